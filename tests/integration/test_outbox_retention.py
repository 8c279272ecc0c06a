"""Retention of sent outbox rows (`python -m bot prune-outbox`, issue 23): only the sent notices of
directives closed more than N days ago go; the reminders' rows stay, so a reopened directive is never
reminded again of what was sent before; the queue and the event log stay right."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.domain.reminders import REMINDER_KINDS
from bot.errors import DomainError
from bot.outbox import Delivery, Dispatcher, Recipient
from bot.services import directives as svc
from bot.services import retention
from bot.services.verification import verify_log
from storage import pending
from storage.models import Outbox
from tests.conftest import NOW
from tests.outbox_all import every_row


class NoLimit:
    async def acquire(self, address: int, group: bool = False) -> None:
        return None


class Recorder:
    def __init__(self) -> None:
        self.got: list[tuple[int, str, str | None]] = []

    async def __call__(self, recipient: Recipient, items: list[Delivery]) -> None:
        for item in items:
            self.got.append((int(recipient.external_id), item.payload["text"], item.payload.get("code")))


def local(day: date, hour: int = 8) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture
def run(rt):
    recorder = Recorder()
    dispatcher = Dispatcher(rt, recorder, "test", NoLimit())  # type: ignore[arg-type]

    async def at(moment: datetime) -> Recorder:
        while await dispatcher.run_once(moment):
            pass
        async with rt.sessions() as session:
            assert await pending.differences(session) == (0, 0, 0, 0)
        return recorder

    return at


async def _rows(rt, code_id: int | None = None) -> dict[tuple[str, str], int]:
    """(kind, status) → rows, of one directive or all."""
    async with rt.sessions() as session:
        r = every_row()
        query = select(r.c.kind, r.c.status, func.count()).group_by(r.c.kind, r.c.status)
        if code_id is not None:
            query = query.where(r.c.directive_id == code_id)
        return {(kind, status): n for kind, status, n in await session.execute(query)}


async def _sent_reminders(rt, directive_id: int, since: datetime | None = None) -> set[str]:
    async with rt.sessions() as session:
        r = every_row()
        query = select(r.c.key).where(r.c.directive_id == directive_id, r.c.status == "sent",
                                      r.c.kind.in_(REMINDER_KINDS))
        if since is not None:
            query = query.where(r.c.sent_at >= since)
        return set(await session.scalars(query))


async def _id(rt, code: str) -> int:
    from storage.models import Directive

    async with rt.sessions() as session:
        return await session.scalar(select(Directive.id).where(Directive.code == code))


async def test_prune_deletes_only_old_closed_notices_and_no_reminder_is_sent_again(rt, people, run):
    make = svc.NewDirective
    done, cancelled, still_open = [c.code for c in await svc.create_directives(rt, people.leader, [
        make("Rà soát hồ sơ đất đai", lead=["SXD"], deadline=date(2026, 11, 27)),
        make("Báo cáo tiến độ giải ngân", lead=["STC"], deadline=date(2026, 11, 27)),
        make("Kiểm tra an toàn thực phẩm", lead=["SYT"], deadline=date(2026, 11, 27)),
    ], now=NOW)]
    await run(NOW)
    for day in (date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 4), date(2026, 12, 7)):
        await run(local(day))  # before, overdue and escalation pings all go out
    closed_on = local(date(2026, 12, 8), 9)
    await svc.report_done(rt, people.sxd, done, "Đã rà soát xong 120 hồ sơ, gửi kèm báo cáo", now=closed_on)
    await svc.confirm_done(rt, people.admin, done, now=closed_on)
    await svc.cancel(rt, people.leader, cancelled, "Không còn cần thiết", now=closed_on)
    await run(closed_on + timedelta(hours=1))
    ids = {code: await _id(rt, code) for code in (done, cancelled, still_open)}
    before = {code: await _rows(rt, i) for code, i in ids.items()}
    for code in ids:
        assert before[code].get(("notify", "sent")), code
        assert sum(n for (kind, status), n in before[code].items() if kind in REMINDER_KINDS and status == "sent")
    assert any(kind == "escalation" for kind, _ in before[done])

    sent_before = await _sent_reminders(rt, ids[done])

    # Not yet 90 days: nothing goes.
    early = await retention.prune_outbox(rt, now=closed_on + timedelta(days=60))
    assert (early.directives, early.rows) == (0, 0)
    # A dry run counts what would go and deletes nothing.
    later = local(date(2027, 3, 15), 9)  # a Monday, 97 days after
    dry = await retention.prune_outbox(rt, now=later, dry_run=True, batch=1)
    assert dry.directives == 2 and dry.dry_run
    assert dry.rows == before[done][("notify", "sent")] + before[cancelled][("notify", "sent")]
    assert {code: await _rows(rt, i) for code, i in ids.items()} == before
    # The real run, in batches of one directive: the sent notices of the two closed directives go.
    pruned = await retention.prune_outbox(rt, now=later, batch=1)
    assert (pruned.directives, pruned.rows, pruned.kept) == (2, dry.rows, dry.kept) and pruned.days == 90
    after = {code: await _rows(rt, i) for code, i in ids.items()}
    assert after[still_open] == before[still_open]
    # No sent row of theirs is left in the outbox itself: one copied by this very run goes too (left for the
    # next run, its notice would be copied again after the history's copy was pruned, and stay).
    async with rt.sessions() as session:
        assert not await session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.directive_id.in_([ids[done], ids[cancelled]]), Outbox.status == "sent"))
    for code in (done, cancelled):
        assert ("notify", "sent") not in after[code]
        # The rows never to be sent leave the outbox: the reminders voided when it closed for the history,
        # their keys kept (status 'kept': no sent_at), the notices for good; nothing else changes.
        expected: dict[tuple[str, str], int] = {}
        for (kind, status), n in before[code].items():
            if status in ("void", "dead", "uncertain", "unreachable"):
                if kind in REMINDER_KINDS:
                    expected[(kind, "kept")] = expected.get((kind, "kept"), 0) + n
            elif (kind, status) != ("notify", "sent"):
                expected[(kind, status)] = n
        assert after[code] == expected
    again = await retention.prune_outbox(rt, now=later, batch=1)
    assert again.rows == 0 and again.directives == 2

    # Reopened: its reminders are planned again for a new deadline version (new keys), and the escalation,
    # sent once already, is not sent again (`escalation_sent` reads the kept rows); no key sent before is
    # sent twice.
    await svc.reopen(rt, people.leader, done, "Cần bổ sung số liệu", now=later)
    for moment in (later + timedelta(hours=1), local(date(2027, 3, 16)), local(date(2027, 3, 17))):
        await run(moment)
    again_sent = await _sent_reminders(rt, ids[done], since=later)
    assert again_sent, "the reopened directive is reminded of what is new"
    assert not again_sent & sent_before, "a reminder went out again after pruning"
    assert any(key.startswith("escalation:") for key in sent_before)
    assert not any(key.startswith("escalation:") for key in again_sent), "the escalation went out again"
    async with rt.sessions() as session:
        assert await pending.differences(session) == (0, 0, 0, 0)
    assert (await verify_log(rt)).ok


async def test_rows_sent_and_copied_in_the_pruning_run_leave_the_outbox_in_it(rt, people, run):
    """A directive closed long ago whose sent rows were never moved (no daily job since): the run copies them to
    the history and prunes its notices; the outbox keeps no sent row of it (left for the next run, the notices
    would be copied back into the history, outside any later run's window)."""
    [code] = [c.code for c in await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát hồ sơ đất đai", lead=["SXD"], deadline=date(2026, 11, 27))], now=NOW)]
    await run(NOW)
    closed_on = local(date(2026, 12, 1), 9)
    await svc.report_done(rt, people.sxd, code, "Đã rà soát xong 120 hồ sơ", now=closed_on)
    await svc.confirm_done(rt, people.admin, code, now=closed_on)
    await run(closed_on + timedelta(hours=1))
    directive_id = await _id(rt, code)
    assert (await _rows(rt, directive_id)).get(("notify", "sent"))
    later = local(date(2027, 3, 15), 9)
    pruned = await retention.prune_outbox(rt, now=later)
    assert pruned.directives == 1 and pruned.rows and pruned.moved
    async with rt.sessions() as session:
        left = await session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.directive_id == directive_id, Outbox.status == "sent"))
    assert left == 0
    assert ("notify", "sent") not in await _rows(rt, directive_id)
    await retention.prune_outbox(rt, now=later + timedelta(days=1))  # the next run brings no copy back
    assert ("notify", "sent") not in await _rows(rt, directive_id)
    assert (await verify_log(rt)).ok


@pytest.mark.parametrize("days", ["abc", "0", "-5", "1.5", "100000", ""])
def test_bad_days_are_refused_with_a_clear_vietnamese_error(days, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "DEFAULT_LANGUAGE", "OUTBOX_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    assert main(["prune-outbox", f"--older-than={days}"]) == 1
    err = capsys.readouterr().err
    assert "Số ngày" in err and "không hợp lệ" in err and "--older-than 90" in err
    assert not (tmp_path / "dondoc.sqlite3").exists()  # refused before the database is opened


def test_the_command_runs_dry_and_for_real_on_an_empty_database(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "DEFAULT_LANGUAGE", "OUTBOX_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    assert main(["prune-outbox", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Chạy thử, chưa xoá gì: sẽ xoá 0 tin") and "quá 90 ngày" in out
    monkeypatch.setenv("OUTBOX_RETENTION_DAYS", "30")
    assert main(["prune-outbox"]) == 0
    assert "quá 30 ngày" in capsys.readouterr().out
    assert main(["prune-outbox", "--older-than", "120d"]) == 0
    assert "quá 120 ngày" in capsys.readouterr().out
    monkeypatch.setenv("OUTBOX_RETENTION_DAYS", "0")
    assert main(["prune-outbox"]) == 1
    assert "Số ngày «0» không hợp lệ" in capsys.readouterr().err


def test_days_are_read_as_people_write_them():
    assert retention.retention_days(None, 90) == 90
    assert retention.retention_days("45", 90) == 45
    assert retention.retention_days(" 45 ngày ", 90) == 45
    with pytest.raises(DomainError):
        retention.retention_days("45 tuần", 90)
