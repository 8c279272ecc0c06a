"""The admin CLI: `python -m bot init-db | import-units | merge-units | invite | users | deactivate | backup | parse | report |
template | import | web-link | api-token | prune-outbox | run | status | verify-log`."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import DomainError
from bot.runtime import Runtime
from bot.settings import MissingToken, Settings
from bot.texts import error_text, t

EXIT_ERROR, EXIT_CONFIG = 1, 2


def _now() -> datetime:
    return datetime.now(UTC)


def _days(text: str) -> int:
    match = re.fullmatch(r"(\d+)d?", text.strip())
    if not match:
        raise argparse.ArgumentTypeError("use a number of days, e.g. 7d")
    return int(match.group(1))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("use a date as YYYY-MM-DD") from None


def _person_id(text: str) -> int:
    match = re.fullmatch(r"(?:id=|#)?(\d+)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError("use the id `python -m bot users` prints, e.g. 12")
    return int(match.group(1))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Đôn Đốc — admin commands")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="create or upgrade the database schema")
    units = sub.add_parser("import-units", help="import units (and groups) from CSV; idempotent")
    units.add_argument("units_csv", type=Path)
    units.add_argument("--groups", type=Path)
    merge = sub.add_parser("merge-units", help="retire units into their successor: open work moves, history stays")
    merge.add_argument("retired", nargs="+", metavar="OLD", help="codes of the units retired")
    merge.add_argument("--into", required=True, metavar="NEW", help="code of the successor unit")
    invite = sub.add_parser("invite", help="create a one-time invite link")
    invite.add_argument("--role", required=True, choices=["admin", "leader", "focal", "viewer"])
    invite.add_argument("--unit")
    invite.add_argument("--expires", type=_days, default=None, help="e.g. 7d (default from settings)")
    invite.add_argument("--channel", choices=["telegram", "zalo"], default="telegram",
                        help="zalo: print the code the person sends the Zalo bot (/start CODE)")
    invite.add_argument("--person", type=_person_id,
                        help="someone registered already (the id `users` prints): adds the channel to them")
    invite.add_argument("--title", help='the person\'s title, e.g. "Phó Chủ tịch UBND tỉnh"')
    invite.add_argument("--name", help='the person\'s name, family name first, e.g. "Lê Quang Minh"')
    sub.add_parser("users", help="list registered people")
    deactivate = sub.add_parser("deactivate", help="someone who left: no more access or notifications")
    deactivate.add_argument("telegram_id", nargs="?", help="their Telegram id, or the id `users` prints (id=12)")
    deactivate.add_argument("--person", type=_person_id, help="the id `users` prints (id=…)")
    backup = sub.add_parser("backup", help="a consistent copy of the database (SQLite file, or pg_dump's format)")
    backup.add_argument("file", type=Path)
    parse = sub.add_parser("parse", help="show how a message is understood, as JSON")
    parse.add_argument("--at", required=True, help="when it was sent, ISO 8601 with offset")
    parse.add_argument("--units", type=Path, help="units CSV instead of the database")
    parse.add_argument("--groups", type=Path, help="groups CSV (with --units)")
    parse.add_argument("text")
    report = sub.add_parser("report", help="write the report (.xlsx, .png, .docx) into a folder; print the summary")
    report.add_argument("--period", help="2026-11 (or 11/2026, 'tháng 11/2026'), 2026-Q4 (or Q4/2026, 'quý 4/2026'), "
                                         "2026-H2, 2026 (or 'năm 2026') or 2026-11-01..2026-11-15 (or "
                                         "1/11/2026-15/11/2026): as chat reads them (default: this month)")
    report.add_argument("--unit", help="one lead unit's code")
    report.add_argument("--as-of", type=_date, dest="as_of", help="judge status on this day, YYYY-MM-DD "
                                                                 "(default: the period's end, or today)")
    report.add_argument("--out", type=Path, required=True, help="folder to write into")
    template = sub.add_parser("template", help="write the Excel template for importing directives")
    template.add_argument("file", type=Path)
    imp = sub.add_parser("import", help="import directives from the Excel template or a notice (.docx, .pdf, "
                                        "or a scan or photo: .pdf, .png, .jpg, read by OCR)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check and preview only; write nothing")
    imp.add_argument("--json", action="store_true",
                     help="print the drafts as JSON in the shape of `parse`, with the document's pages, OCR and "
                          "confidence (for a spreadsheet also how each column was read); exit 1 when refused")
    link = sub.add_parser("web-link", help="print a single-use sign-in link to the web app for a registered person")
    who = link.add_mutually_exclusive_group(required=True)
    who.add_argument("--telegram-id", type=int, dest="telegram_id")
    who.add_argument("--person", type=_person_id, help="the id `users` prints (id=…)")
    token = sub.add_parser("api-token", help="issue (--name) or revoke (--revoke) a read-only API token")
    which = token.add_mutually_exclusive_group(required=True)
    which.add_argument("--name", help="the client's name, e.g. ioc or qlvb")
    which.add_argument("--revoke", metavar="NAME")
    prune = sub.add_parser("prune-outbox", help="move the outbox's sent rows to its history, then, for directives "
                                                "done or cancelled more than DAYS days ago, delete the sent notices "
                                                "there and the rows never to be sent from the outbox (reminders "
                                                "keep only their keys, so none is sent twice)")
    prune.add_argument("--older-than", dest="older_than", metavar="DAYS",
                       help="days since the directive was closed (default OUTBOX_RETENTION_DAYS, 90)")
    prune.add_argument("--dry-run", action="store_true", help="count only; move and delete nothing")
    sub.add_parser("run", help="start the bot (polling, or webhook when WEBHOOK_URL is set; the web app when "
                               "WEB_PORT is set)")
    status = sub.add_parser("status", help="health for people and monitors: exit 1 when unhealthy")
    status.add_argument("--json", action="store_true", help="one JSON object, for a monitor")
    verify = sub.add_parser("verify-log", help="rebuild directives from the event log; exit 1 on differences")
    verify.add_argument("--json", action="store_true", help="one JSON object per difference")
    return parser


async def _with_runtime(settings: Settings, work):
    rt = Runtime.build(settings)
    try:
        await rt.upgrade()
        return await work(rt)
    finally:
        await rt.close()


async def cmd_init_db(settings: Settings, _args: argparse.Namespace) -> str:
    async def work(rt: Runtime) -> str:
        return t("cli.db_ready", settings.default_language, url=rt.engine.url.render_as_string(hide_password=True))

    return await _with_runtime(settings, work)


async def cmd_import_units(settings: Settings, args: argparse.Namespace) -> str:
    from bot.services.units import import_units

    units_text = args.units_csv.read_text(encoding="utf-8")
    groups_text = args.groups.read_text(encoding="utf-8") if args.groups else None

    async def work(rt: Runtime) -> str:
        result = await import_units(rt, units_text, groups_text, now=_now())
        if result.missing:
            print(t("cli.units_missing", settings.default_language, count=len(result.missing),
                    codes=", ".join(result.missing)))
        return t("cli.units_imported", settings.default_language, created=result.created, updated=result.updated,
                 groups=result.groups)

    return await _with_runtime(settings, work)


async def cmd_merge_units(settings: Settings, args: argparse.Namespace) -> str:
    from bot.services.units import merge_units

    async def work(rt: Runtime) -> str:
        result = await merge_units(rt, args.retired, args.into, now=_now())
        return t("cli.units_merged", settings.default_language, retired=", ".join(result.retired),
                 successor=result.successor, count=len(result.moved), codes=", ".join(result.moved) or "—")

    return await _with_runtime(settings, work)


async def cmd_invite(settings: Settings, args: argparse.Namespace) -> str:
    from bot.services.access import create_invite

    async def work(rt: Runtime) -> str:
        invite = await create_invite(rt, role=args.role, unit_code=args.unit, days=args.expires, now=_now(),
                                     person_id=args.person, title=args.title, name=args.name)
        if args.channel == "zalo":
            return t("cli.invite_zalo", settings.default_language, role=invite.role, unit=invite.unit_code or "—",
                     expires=invite.expires_at, token=invite.token)
        return t("cli.invite_created", settings.default_language, role=invite.role, unit=invite.unit_code or "—",
                 expires=invite.expires_at, link=invite.link, token=invite.token)

    return await _with_runtime(settings, work)


async def cmd_users(settings: Settings, _args: argparse.Namespace) -> str:
    from bot.services.access import list_users

    async def work(rt: Runtime) -> str:
        people = await list_users(rt)
        if not people:
            return t("cli.no_users", settings.default_language)
        return "\n".join(
            f"{p.telegram_id or '-'}\t{p.role}\t{p.unit_code or '-'}\t{p.full_name}\tid={p.id}" for p in people
        )

    return await _with_runtime(settings, work)


async def cmd_deactivate(settings: Settings, args: argparse.Namespace) -> str:
    from bot.services.access import deactivate

    async def work(rt: Runtime) -> str:
        person_id, telegram_id = args.person, None
        if person_id is None:
            given = (args.telegram_id or "").strip()
            if re.fullmatch(r"(?:id=|#)\d+", given):
                person_id = _person_id(given)
            elif re.fullmatch(r"-?\d+", given):
                telegram_id = int(given)
            else:
                raise DomainError("person.unknown", id=given[:20] or "—")
        person = await deactivate(rt, telegram_id, now=_now(), person_id=person_id)
        lang = settings.default_language
        return t("cli.deactivated", lang, name=person.full_name, id=person.telegram_id or f"id={person.id}",
                 role=t(f"role.{person.role}", lang), unit=person.unit_name or "—")

    return await _with_runtime(settings, work)


async def cmd_web_link(settings: Settings, args: argparse.Namespace) -> str:
    from bot.services.web_auth import create_link

    async def work(rt: Runtime) -> str:
        link = await create_link(rt, now=_now(), person_id=args.person, telegram_id=args.telegram_id)
        return t("cli.web_link", settings.default_language, name=link.actor.full_name, expires=link.expires_at,
                 url=link.url)

    return await _with_runtime(settings, work)


async def cmd_api_token(settings: Settings, args: argparse.Namespace) -> str:
    from bot.services import web_auth

    lang = settings.default_language

    async def work(rt: Runtime) -> str:
        if args.revoke:
            await web_auth.revoke_api_client(rt, args.revoke, now=_now())
            return t("cli.api_revoked", lang, name=args.revoke)
        token = await web_auth.create_api_client(rt, args.name, now=_now())
        return t("cli.api_token", lang, name=args.name, token=token)

    return await _with_runtime(settings, work)


async def cmd_prune_outbox(settings: Settings, args: argparse.Namespace) -> str:
    from bot.services.retention import prune_outbox, retention_days

    lang = settings.default_language
    retention_days(args.older_than, settings.outbox_retention_days)  # refused before the database is opened

    async def work(rt: Runtime) -> str:
        done = await prune_outbox(rt, now=_now(), days=args.older_than, dry_run=args.dry_run)
        key = "cli.prune_dry_run" if done.dry_run else "cli.pruned"
        return t(key, lang, rows=done.rows, directives=done.directives, days=done.days, cutoff=done.cutoff,
                 kept=done.kept, moved=done.moved, dropped=done.dropped, retired=done.retired, cleared=done.cleared)

    return await _with_runtime(settings, work)


async def cmd_backup(settings: Settings, args: argparse.Namespace) -> str:
    url = make_url(settings.database_url)
    if url.drivername.startswith("postgresql"):
        return _pg_dump(settings, url, args.file)
    if not url.drivername.startswith("sqlite"):
        raise ValueError(f"backup: unsupported database {url.drivername}")
    await _with_runtime(settings, lambda rt: asyncio.sleep(0))  # the schema exists before we copy it
    source = sqlite3.connect(url.database or ":memory:")
    target = sqlite3.connect(args.file)
    try:
        with target:
            source.backup(target)  # SQLite's online backup: a consistent snapshot even while the bot writes
    finally:
        source.close()
        target.close()
    return t("cli.backup_done", settings.default_language, file=args.file)


def _pg_dump(settings: Settings, url: URL, file: Path) -> str:
    """pg_dump's custom format (restore with pg_restore, see README); the password goes in the
    environment, never on the command line where `ps` would show it."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise ValueError(t("cli.no_pg_dump", settings.default_language))
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ, **({"PGPASSWORD": url.password} if url.password else {}))
    done = subprocess.run([pg_dump, "--format=custom", f"--file={file}", f"--dbname={libpq}"], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ValueError(done.stderr.strip()[-500:] or f"pg_dump exited with {done.returncode}")
    return t("cli.backup_done", settings.default_language, file=file)


async def cmd_parse(settings: Settings, args: argparse.Namespace) -> str:
    from bot.domain.calendar import WorkingCalendar
    from bot.domain.units import groups_from_units, parse_groups_csv, parse_units_csv
    from bot.parsing import parse_message, to_corpus_json

    at = datetime.fromisoformat(args.at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=settings.tz)
    if args.units:
        units = parse_units_csv(args.units.read_text(encoding="utf-8"))
        groups = (parse_groups_csv(args.groups.read_text(encoding="utf-8"), units) if args.groups
                  else groups_from_units(units))
    else:
        from bot.services.units import unit_catalog

        units, groups = await _with_runtime(settings, unit_catalog)
    calendar = WorkingCalendar(settings.extra_days_off, settings.extra_working_days)
    result = parse_message(args.text, at=at, units=units, groups=groups, calendar=calendar)
    return json.dumps(to_corpus_json(result), ensure_ascii=False)


async def cmd_report(settings: Settings, args: argparse.Namespace) -> str:
    from bot.reports.labels import summary
    from bot.services import reports

    lang = settings.default_language

    async def work(rt: Runtime) -> str:
        now = _now()
        scope = reports.scope_for(rt, now=now, period=args.period, unit_code=args.unit, as_of=args.as_of)
        figures = await reports.report(rt, None, scope)
        args.out.mkdir(parents=True, exist_ok=True)
        written = []
        for fmt in ("xlsx", "png", "docx"):
            file = await reports.report_file(rt, None, scope, fmt, lang, now=now, figures=figures)
            (args.out / file.name).write_bytes(file.data)
            written.append(str(args.out / file.name))
        return summary(figures, lang, html=False) + "\n\n" + t("cli.report_written", lang, files=", ".join(written))

    return await _with_runtime(settings, work)


async def cmd_template(settings: Settings, args: argparse.Namespace) -> str:
    from bot.imports.sheet import template

    args.file.write_bytes(template())
    return t("cli.template_written", settings.default_language, file=args.file)


class ImportRefused(Exception):
    """The file has problems: they are printed and nothing is imported."""


async def cmd_import(settings: Settings, args: argparse.Namespace) -> str:
    """Exit 0 with the preview (and the import unless --dry-run), or exit 1 naming every problem; a file
    whose rows were all imported before is no error."""
    from bot.imports.preview import preview_json, preview_text, problem_text
    from bot.reports.labels import plain
    from bot.services import imports

    lang = settings.default_language
    data = args.file.read_bytes()

    async def progress(page: int, pages: int) -> None:  # an operator at a terminal sees a long scan advance
        print(t("ocr.progress", lang, page=page, pages=pages), file=sys.stderr)

    async def work(rt: Runtime) -> str:
        preview, applied = await imports.import_file(rt, args.file.name, data, now=_now(), dry_run=args.dry_run,
                                                     progress=progress if sys.stderr.isatty() else None)
        refused = bool(preview.problems) or (not preview.items and not preview.skipped)
        if args.json:
            print(json.dumps(preview_json(preview, lang, applied), ensure_ascii=False))
        if refused and len(preview.problems) == 1 and preview.problems[0].row is None:  # the whole file: one line
            raise ImportRefused(t("cli.import_refused", lang, file=args.file.name,
                                  problem=plain(problem_text(preview.problems[0], preview.kind, lang))))
        if refused:
            lines = [t("cli.import_problems", lang, file=args.file.name, count=len(preview.problems))]
            lines += [plain(problem_text(p, preview.kind, lang)) for p in preview.problems]
            raise ImportRefused("\n".join(lines))
        if args.json:
            return ""
        if not preview.items:
            return plain(preview_text(preview, lang))
        text = plain(preview_text(preview, lang))
        if applied is None:
            return text + "\n" + t("cli.import_dry_run", lang, **preview.counts)
        return text + "\n" + t("cli.import_done", lang, count=applied.count, file=args.file.name)

    return await _with_runtime(settings, work)


async def cmd_status(settings: Settings, args: argparse.Namespace) -> tuple[str, bool]:
    """Read-only: never migrates, never writes."""
    from bot.health import check

    rt = Runtime.build(settings)
    try:
        report = await check(rt, _now())
    finally:
        await rt.close()
    if args.json:
        return json.dumps(report.as_json(), ensure_ascii=False), report.healthy
    return report.as_text(settings.default_language), report.healthy


async def cmd_verify_log(settings: Settings, args: argparse.Namespace) -> tuple[str, bool]:
    """Read-only: rebuild every directive from its events and compare with the stored rows."""
    from bot.services.verification import verify_log

    rt = Runtime.build(settings)
    try:
        result = await verify_log(rt)
    finally:
        await rt.close()
    if args.json:
        return "\n".join(json.dumps(line, ensure_ascii=False) for line in result.as_json_lines()), result.ok
    return result.as_text(settings.default_language), result.ok


CHECKS = {"status": cmd_status, "verify-log": cmd_verify_log}

COMMANDS = {
    "init-db": cmd_init_db,
    "import-units": cmd_import_units,
    "merge-units": cmd_merge_units,
    "invite": cmd_invite,
    "users": cmd_users,
    "deactivate": cmd_deactivate,
    "backup": cmd_backup,
    "web-link": cmd_web_link,
    "api-token": cmd_api_token,
    "prune-outbox": cmd_prune_outbox,
    "parse": cmd_parse,
    "report": cmd_report,
    "template": cmd_template,
    "import": cmd_import,
}


def _database_error(error: BaseException, lang: str) -> str:
    """The driver's message names host and database only (never the URL's password): its first line."""
    detail = (str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__])[0][:200]
    return t("cli.database_error", lang, message=detail)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    lang = settings.default_language
    if args.command == "run":
        try:
            settings.require_token()
        except MissingToken:
            print(t("cli.missing_token", lang), file=sys.stderr)
            return EXIT_CONFIG
        from telegram.error import InvalidToken

        from bot.app import run

        threading.excepthook = lambda _args: None  # aiosqlite's thread: the line below says it once
        try:
            run(settings)
        except InvalidToken:
            print(t("cli.token_rejected", lang), file=sys.stderr)
            return EXIT_CONFIG
        except (SQLAlchemyError, sqlite3.Error, OSError) as error:
            # A database that cannot be opened or reached at start: one line, not a traceback.
            print(_database_error(error, lang), file=sys.stderr)
            return EXIT_ERROR
        return 0
    # aiosqlite's worker thread reports a database it cannot open on its own, as a traceback, beside the
    # one line below; an admin command has no other thread.
    threading.excepthook = lambda _args: None
    try:
        if args.command in CHECKS:
            output, ok = asyncio.run(CHECKS[args.command](settings, args))
            print(output)
            return 0 if ok else EXIT_ERROR
        output = asyncio.run(COMMANDS[args.command](settings, args))
        if output:
            print(output)
    except (SQLAlchemyError, sqlite3.Error) as error:
        # A database that cannot be opened or reached: one line an operator can act on, not a traceback
        # (the URL's password never appears: the driver's message names host and database only).
        print(_database_error(error, lang), file=sys.stderr)
        return EXIT_ERROR
    except DomainError as error:
        print(t("cli.error", lang, message=error_text(error, lang)), file=sys.stderr)
        return EXIT_ERROR
    except ImportRefused as refused:
        print(str(refused), file=sys.stderr)
        return EXIT_ERROR
    except (OSError, ValueError) as error:
        print(t("cli.error", lang, message=str(error)), file=sys.stderr)
        return EXIT_ERROR
    return 0
