"""Import use cases: read a file (the Excel template or a conclusion notice), preview it, and on the
importer's confirmation write every directive in one transaction, each with an "imported" event whose
"after" snapshot lets the event log rebuild the row. A row imported before (same content, lead units and
source document: its `import_key`) is skipped and counted, so a file sent again assigns nothing twice. Only the office and leaders import. A pending import
lives in `import_batches` (never in process memory): the confirm button names its id and nonce, and only
the person who sent the file may confirm it, once, before it expires."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.domain import directive as dom
from bot.domain.deadlines import local_date
from bot.domain.leaders import as_recorded
from bot.domain.policy import check_can_assign
from bot.domain.units import fold
from bot.errors import DomainError
from bot.imports import ocr
from bot.imports.columns import Column
from bot.imports.files import SCANNED, kind_of
from bot.imports.notice import notice_items, read_notice, text_of
from bot.imports.sheet import Item, Problem, read_sheet_columns
from bot.runtime import Runtime
from bot.services import lifecycle
from bot.services.common import check_id, load_actor
from bot.services.units import Catalog, catalog
from storage.leaders import leader_directory
from storage.models import Directive, ImportBatch, Person

BATCH_LIFETIME = timedelta(hours=24)
_AROUND_PUNCTUATION = re.compile(r"\s*([,;&/])\s*")  # "Sở VH, TT&DL" is "Sở VH,TT&DL"
KEY_CHUNK = 1000  # keys per look-up, well under every driver's limit on bound parameters


@dataclass(frozen=True)
class Preview:
    kind: str  # sheet | notice
    file_name: str
    items: tuple[Item, ...]
    problems: tuple[Problem, ...]
    source_number: str | None = None
    source_date: date | None = None
    leader: str | None = None
    batch_id: int | None = None
    nonce: str | None = None
    skipped: int = 0  # rows already imported (by an earlier file, or earlier in this one)
    columns: tuple[Column, ...] = ()  # a sheet's columns as understood, shown to be confirmed
    ignored: tuple[str, ...] = ()  # a sheet's column titles left out
    absent: tuple[str, ...] = ()  # fields a sheet has no column for (read as empty)
    unit_names: dict[str, str] = field(default_factory=dict)  # code → name of every unit the items name
    document: ocr.Document | None = None  # how a notice's PDF or photos were read: pages, OCR, confidence

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.items)

    @property
    def counts(self) -> dict[str, int]:
        done = sum(1 for i in self.items if i.completed_on)
        cancelled = sum(1 for i in self.items if i.cancelled_on)
        return {"total": len(self.items), "done": done, "cancelled": cancelled,
                "open": len(self.items) - done - cancelled}


@dataclass(frozen=True)
class Applied:
    count: int
    codes: tuple[str, ...] = field(default_factory=tuple)


def _name_key(text: str) -> str:
    return fold(_AROUND_PUNCTUATION.sub(r"\1", text))


def _resolver(known: Catalog) -> Callable[[str], tuple[str, ...] | None]:
    """The unit codes a unit's code, name or alias stands for, or a group's name or phrase (its members),
    as the notice parser understands them; a unit's own names win over a group's."""
    names: dict[str, tuple[str, ...]] = {}
    for unit in known.units:
        for name in (unit.code, unit.name, *unit.aliases):
            names.setdefault(_name_key(name), (unit.code,))
    for group in known.groups:
        if members := known.index.expand([f"#{group.code}"]):
            for name in (group.name, *group.phrases):
                names.setdefault(_name_key(name), members)

    def resolve(text: str) -> tuple[str, ...] | None:
        return names.get(_name_key(text))

    return resolve


def sources(files: Sequence[tuple[str, bytes]]) -> list[ocr.Source]:
    """The files of one notice (a PDF, or the photos of its pages) for the OCR reader; anything else
    sent with photos is refused."""
    found = [ocr.Source(name, kind_of(name, data), data) for name, data in files]
    for source in found:
        if source.kind not in SCANNED:
            raise DomainError("ocr.mixed", file=source.name[:60])
    return found


async def _parse(rt: Runtime, name: str, files: Sequence[tuple[str, bytes]], *, now: datetime,
                 progress: ocr.Progress | None = None) -> Preview:
    kind = kind_of(name, files[0][1]) if len(files) == 1 else "scans"
    today = local_date(now, rt.settings.tz)
    known = await catalog(rt)
    names = {u.code: u.name for u in known.units}
    if kind == "xlsx":
        read = await asyncio.to_thread(read_sheet_columns, files[0][1], _resolver(known), today,
                                       rt.settings.max_text_chars, rt.calendar)
        return Preview("sheet", name, tuple(read.items), tuple(read.problems), columns=read.columns,
                       ignored=read.ignored, absent=read.absent, unit_names=_named(read.items, names))
    document = None
    if kind == "docx":
        text = await asyncio.to_thread(text_of, kind, files[0][1], name)
    else:  # a PDF (its text layer, or OCR for pages without one) or photos
        document = await ocr.read(sources(files), progress)
        text = document.text
    notice = read_notice(text)
    items, problems = await asyncio.to_thread(notice_items, notice, known.index, rt.calendar, today, rt.settings.tz)
    leader = notice.leader
    if leader:  # shown as it will be recorded: the registered leader by title and name (bot/domain/leaders.py)
        async with rt.sessions() as session:
            leader = as_recorded(leader, await leader_directory(session))
    return Preview("notice", name, tuple(items), tuple(problems), notice.number, notice.day, leader,
                   unit_names=_named(items, names), document=document)


def _named(items: list[Item], names: dict[str, str]) -> dict[str, str]:
    """The names of the units the items name, for a preview people read (names, not codes)."""
    return {code: names.get(code, code) for item in items for code in (*item.lead, *item.support)}


async def _imported_keys(session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):
        found.update(await session.scalars(select(Directive.import_key)
                                           .where(Directive.import_key.in_(keys[start:start + KEY_CHUNK]))))
    return found


async def _new_only(session, items: list[Item]) -> tuple[list[Item], int]:
    """The items not imported yet (nor repeated earlier in the same file), and how many were left out."""
    seen = await _imported_keys(session, [i.key for i in items])
    fresh = []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            fresh.append(item)
    return fresh, len(items) - len(fresh)


async def read_file(rt: Runtime, name: str, data: bytes, *, now: datetime,
                    progress: ocr.Progress | None = None, more: Sequence[tuple[str, bytes]] = ()) -> Preview:
    """What a file would import (less the rows already imported, counted in `skipped`), or its problems;
    writes nothing. `more`: the other photos of one notice sent together; `progress` hears of each page
    read by OCR."""
    preview = await _parse(rt, name, [(name, data), *more], now=now, progress=progress)
    if preview.problems or not preview.items:
        return preview
    async with rt.sessions() as session:
        fresh, skipped = await _new_only(session, list(preview.items))
    return replace(preview, items=tuple(fresh), skipped=skipped)


async def stage(rt: Runtime, actor_id: int, name: str, data: bytes, *, now: datetime) -> Preview:
    """Read and check a file sent in chat; a clean one waits in `import_batches` for the confirm button."""
    async with rt.sessions() as session:
        check_can_assign((await load_actor(session, actor_id)).role)
    preview = await read_file(rt, name, data, now=now)
    if not preview.ok:
        return preview
    async with rt.transaction() as session:
        batch = ImportBatch(person_id=actor_id, nonce=secrets.token_hex(4), kind=preview.kind, file_name=name[:255],
                            status="pending", items=[i.as_json() for i in preview.items],
                            summary=preview.counts, created_at=now, expires_at=now + BATCH_LIFETIME)
        session.add(batch)
        await session.flush()
        return replace(preview, batch_id=batch.id, nonce=batch.nonce)


async def _pending(session, actor: Person, batch_id: int, nonce: str, now: datetime) -> ImportBatch:
    batch_id = check_id(ImportBatch.id, batch_id, "import.stale")
    batch = await session.get(ImportBatch, batch_id, with_for_update=True)
    if batch is None or batch.person_id != actor.id or batch.nonce != nonce or batch.status != "pending" \
            or batch.expires_at <= now:
        raise DomainError("import.stale")
    return batch


async def confirm(rt: Runtime, actor_id: int, batch_id: int, nonce: str, *, now: datetime) -> Applied:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        check_can_assign(actor.role)
        batch = await _pending(session, actor, batch_id, nonce, now)
        items = [Item(**raw) for raw in batch.items]
        codes = await _apply(rt, session, actor, items, batch.kind, batch.file_name, now)
        batch.status, batch.applied_at = "applied", now
        return Applied(len(codes), tuple(codes))


async def drop(rt: Runtime, actor_id: int, batch_id: int, nonce: str, *, now: datetime) -> None:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        batch = await _pending(session, actor, batch_id, nonce, now)
        batch.status = "dropped"


async def import_file(rt: Runtime, name: str, data: bytes, *, now: datetime, dry_run: bool = False,
                      progress: ocr.Progress | None = None) -> tuple[Preview, Applied | None]:
    """The admin CLI: check, and unless `dry_run` or any problem, import at once (actor: the server's holder)."""
    preview = await read_file(rt, name, data, now=now, progress=progress)
    if not preview.ok or dry_run:
        return preview, None
    async with rt.transaction() as session:
        codes = await _apply(rt, session, None, list(preview.items), preview.kind, name, now)
    return preview, Applied(len(codes), tuple(codes))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


async def _apply(rt: Runtime, session, actor: Person | None, items: list[Item], kind: str, name: str,
                 now: datetime) -> list[str]:
    uow = rt.uow_on(session)
    importer = await uow.people.actor(actor.id) if actor is not None else None
    codes = []
    # Checked again here: another file with the same rows may have been confirmed since the preview (two
    # confirmed at the same moment are kept apart by the unique index).
    items, _ = await _new_only(session, items)
    leaders = await uow.people.leaders() if any(item.leader_name for item in items) else []
    for item in items:
        spec = dom.Spec(item.content, tuple(item.lead), tuple(item.support), _day(item.deadline),
                        source_number=item.source_number, source_date=_day(item.source_date),
                        leader_name=as_recorded(item.leader_name, leaders) if item.leader_name else None)
        history = dom.History(date.fromisoformat(item.assigned_on), _day(item.completed_on),
                              _day(item.cancelled_on), item.note)
        directive = await lifecycle.create(uow, importer, spec, now, history=history, import_key=item.key,
                                           source=kind, file=name[:120], row=item.row)
        codes.append(directive.code)
    return codes
