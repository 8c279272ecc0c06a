"""Read use cases the web app and its API add to the chat's: the dashboard's figures beside the previous
period's, the directive list with filters (the report's own classes, `bot/reports/rows.class_case`, never a
second rule), the files kept with a directive (Telegram's or uploaded on the web), and a person's deadlines
for a calendar. The figures themselves come from `bot.services.reports` as for /thongke, Excel and Word."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.calendar import end_of_month
from bot.domain.deadlines import local_date
from bot.domain.leaders import Identity, identify, resolve, text_key
from bot.domain.policy import Role
from bot.domain.text import check_text
from bot.errors import DomainError
from bot.reports import counts
from bot.reports.counts import (
    AWAITING_LATE,
    AWAITING_ON_TIME,
    CANCELLED,
    DONE_LATE,
    DONE_ON_TIME,
    ON_TIME,
    OVERDUE,
    STANDING,
)
from bot.reports.listing import STATUS_KEYS, days_late
from bot.reports.rows import class_case, part_flags, scope_parts, unindexed
from bot.runtime import Runtime
from bot.services import queries, reports
from bot.services.common import load_actor, load_unit
from bot.services.ports import FileRef
from bot.services.views import Actor
from storage import search as search_index
from storage.leaders import grouped, leader_directory
from storage.models import (
    AWAITING,
    NO_DEADLINE,
    WORKING_STATES,
    Assignment,
    Attachment,
    Directive,
    FileBlob,
    LeaderTally,
    Unit,
)
from storage.tallies import ALL_TIME

D, A_ = Directive, Assignment
PAGE = 20
MAX_PAGE = 100
BLOB_PREFIX = "blob:"
MAX_CALENDAR_ITEMS = 1000

# The list's class filter in the API's words, as report classes (an awaiting one is open too, rule 3).
LIST_CLASSES: dict[str, tuple[str, ...]] = {
    "done_on_time": (DONE_ON_TIME,),
    "done_late": (DONE_LATE,),
    "open_on_time": (ON_TIME, AWAITING_ON_TIME),
    "open_late": (OVERDUE, AWAITING_LATE),
    "awaiting": (AWAITING_ON_TIME, AWAITING_LATE),
    "standing": (STANDING,),
    "cancelled": (CANCELLED,),
}
CLASS_NAMES = {DONE_ON_TIME: "done_on_time", DONE_LATE: "done_late", ON_TIME: "open_on_time",
               AWAITING_ON_TIME: "open_on_time", OVERDUE: "open_late", AWAITING_LATE: "open_late",
               STANDING: "standing", CANCELLED: "cancelled"}


# -- the dashboard -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    report: counts.Report
    previous: counts.Rates | None  # the period before, judged at its end: for the rate's change

    def previous_rate(self, unit_code: str | None) -> float | None:
        return self.previous.of(unit_code) if self.previous is not None else None


def previous_scope(scope: counts.Scope, today: date) -> counts.Scope | None:
    """The period of the same kind just before (the month, quarter, half-year or year before; a custom
    range of as many days before), judged at its end."""
    start, end = scope.start, scope.end
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start.day == 1 and end == end_of_month(end.year, end.month) and months in (1, 3, 6, 12):
        first_month = start.month - months
        year = start.year + (first_month - 1) // 12
        first_month = (first_month - 1) % 12 + 1
        p_start = date(year, first_month, 1)
        last = (first_month + months - 2) % 12 + 1
        p_end = end_of_month(year + (first_month + months - 2) // 12, last)
    else:
        length = (end - start).days + 1
        p_start, p_end = start - timedelta(days=length), start - timedelta(days=1)
    try:
        return counts.make_scope(p_start, p_end, today, p_end, scope.unit_code)
    except DomainError:
        return None


async def dashboard(rt: Runtime, actor_id: int, scope: counts.Scope, *, now: datetime) -> Dashboard:
    """The report on screen (the same figures as /thongke, Excel and Word) and the previous period's rates."""
    report = await reports.report(rt, actor_id, scope)
    before = previous_scope(scope, local_date(now, rt.settings.tz))
    previous = await reports.rates(rt, before) if before is not None else None
    return Dashboard(report, previous)


# -- the directive list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListItem:
    code: str
    content: str
    cls: str  # LIST_CLASSES' name of its report class
    status_key: str  # the catalogue key of its class (as the Excel list writes it)
    lead: tuple[str, ...]
    support: tuple[str, ...]
    leader: str | None
    assigned_on: date | None
    deadline: date | None
    due_on: date | None
    completed_on: date | None
    days_late: int | None


@dataclass(frozen=True)
class ListPage:
    items: tuple[ListItem, ...]
    next_after: int | None  # the keyset: pass it as `after` for the next page


@dataclass(frozen=True)
class ListFilter:
    unit_code: str | None = None
    role: str = "lead"  # lead | support: the unit's part
    leader: str | None = None
    cls: str | None = None
    text: str | None = None


async def directive_list(rt: Runtime, actor_id: int | None, scope: counts.Scope, wanted: ListFilter, *,
                         now: datetime, after: int | None = None, limit: int = PAGE) -> ListPage:
    """The directives of a report's scope filtered by unit (lead or support), assigning leader, class and
    words, a page at a time by keyset (`after`: the `next_after` of the page before). Classes as of the
    scope's day by the report's own rule (`bot/reports/rows.class_case`). Open work judged today (open in
    time, overdue, awaiting) comes most overdue first, read in the order of the index that serves the
    chat's lists; the rest newest first. Lists are open to every registered person (they are what the
    statistics count); opening a card follows the reading rule. `actor_id` None is an API client."""
    if wanted.role not in ("lead", "support"):
        raise DomainError("web.bad_filter", name="role")
    if wanted.cls is not None and wanted.cls not in LIST_CLASSES:
        raise DomainError("web.bad_filter", name="class")
    limit = min(max(limit, 1), MAX_PAGE)
    words = queries.search_words(check_text(wanted.text, queries.MAX_QUERY_CHARS, required=False, key="search"))[:8]
    async with rt.sessions() as session:
        if actor_id is not None:
            await load_actor(session, actor_id)
        unit = await load_unit(session, wanted.unit_code) if wanted.unit_code else None
        where = Where([], [])
        if words:  # the chat's search: every word whole, the last one possibly cut short
            assert session.bind is not None
            dialect = session.bind.dialect.name
            where.over_many.append(search_index.matches(dialect, words))  # type: ignore[arg-type]
            where.one_by_one.append(search_index.matches(dialect, words, one_row=True))  # type: ignore[arg-type]
        if wanted.leader:
            led = await _led_by(session, check_text(wanted.leader, 200, key="leader"))
            where.over_many.append(led)
            where.one_by_one.append(led)
        if wanted.cls in OPEN_NOW and scope.as_of == local_date(now, rt.settings.tz):
            found = await _open_now(session, scope, wanted, unit, where, after, limit)
        else:
            found = await _in_scope(session, scope, wanted, unit, where, after, limit)
        more = len(found) > limit
        found = found[:limit]
        items = await _items(session, scope, [(i, c) for i, c, _ in found])
    return ListPage(items, found[-1][2] if more and found else None)


@dataclass(frozen=True)
class Where:
    """A list's conditions on the directive (its words, its leader), said twice: for a directive tested alone
    (`one_by_one`, on each row of a slice read in an index's order) and for a statement over a range of
    rows (`over_many`): the same test, in the form each is fast in (storage/search.matches)."""
    one_by_one: list[ColumnElement[bool]]
    over_many: list[ColumnElement[bool]]

    def __bool__(self) -> bool:
        return bool(self.over_many)


OPEN_NOW = frozenset({"open_late", "open_on_time", "awaiting"})
_KEY = 10**10  # a keyset of (day, id) as one number: yyyymmdd × 10¹⁰ + id
SLICE = 16  # the first slice of an index read for a filtered list, in pages (limit + 1 rows)


def _keyset(day: object, directive_id: int) -> int:
    value = day if isinstance(day, date) else date.fromisoformat(str(day))
    return int(f"{value:%Y%m%d}") * _KEY + directive_id


def _after(key: int) -> tuple[date, int]:
    day = key // _KEY
    try:
        return date(day // 10000, day // 100 % 100, day % 100), key % _KEY
    except ValueError:
        raise DomainError("web.bad_filter", name="after") from None


def _possible(done: bool, cancelled: bool) -> frozenset[str]:
    """The classes a part of the scope can hold (bot/reports/rows.part_flags)."""
    left = set(CLASS_NAMES)
    if not done:
        left -= {DONE_ON_TIME, DONE_LATE}
    if not cancelled:
        left.discard(CANCELLED)
    return frozenset(left)


async def _first(session: AsyncSession, query: Select, order: tuple[str, ...], classes: tuple[str, ...] | None,
                 where: Where, limit: int, *, descending: bool = False,
                 past: Callable[[Any], ColumnElement[bool]], rest: Select | None = None) -> list[Any]:
    """The first `limit` + 1 rows of `query` (columns `id`, a directive's id, and `cls`, its class) in the
    order of its columns named `order` (the order of the index the query reads) whose class is one of
    `classes` and whose directive meets `where` (its words, its leader). The index is read a slice at a
    time in its own order, the class and the directive's conditions tested on the slice's rows (each
    directive by its key), so a filter met once in SLICE rows stops at the first slice; a rarer one reads
    a slice eight times longer, then the rest of the index (`past` the last row read) with every condition
    in the statement, the database choosing how (a rare word: from its own index, then joined). `rest`: the
    same rows as `query` said for that last read, when `query` says its conditions so that no index serves
    them (the first slice then walks the index of the order, the rest is read from a range and sorted)."""
    def ordered(select_: Select, columns: Any) -> Select:
        keys = [columns[name] for name in order]
        return select_.order_by(*(k.desc() if descending else k for k in keys))

    if classes is None and not where:
        return list((await session.execute(ordered(query, query.selected_columns).limit(limit + 1))).all())
    found: list[Any] = []
    for size in (SLICE * (limit + 1), 8 * SLICE * (limit + 1)):
        head = ordered(query, query.selected_columns).limit(size).subquery()
        # Tested row by row, by the directive's key: a correlated scalar query (an EXISTS would let
        # PostgreSQL hash every directive that has a common word instead).
        hit = (select(and_(*where.one_by_one)).where(D.id == head.c.id).scalar_subquery() if where
               else literal(True))
        rows = (await session.execute(ordered(select(head, hit.label("hit")), head.c))).all()
        found += [row for row in rows if row.hit and (classes is None or row.cls in classes)]
        if len(found) > limit or len(rows) < size:
            return found[:limit + 1]
        query = query.where(past(rows[-1]))
        if rest is not None:
            rest = rest.where(past(rows[-1]))
            break  # one walked slice at most: a rarer class is read from the range
    left = (rest if rest is not None else query).subquery()
    tests: list[ColumnElement[bool]] = [exists().where(D.id == left.c.id, *where.over_many)] if where else []
    if classes is not None:
        tests.append(left.c.cls.in_(classes))
    more = await session.execute(ordered(select(left).where(*tests), left.c).limit(limit + 1 - len(found)))
    return found + list(more.all())


async def _open_now(session: AsyncSession, scope: counts.Scope, wanted: ListFilter, unit: Unit | None,
                    where: Where, after: int | None, limit: int) -> list[tuple[int, str, int]]:
    """Open work as of today, most overdue first: a unit's from its assignments' list index (unit, role,
    open, due day), the province's from the partial indexes of working and awaiting directives by due day;
    the filters on the directive (words, leader) tested on the rows read in that order (`_first`)."""
    as_of, classes = scope.as_of, LIST_CLASSES[wanted.cls or ""]
    found: list[tuple[int, str, int]] = []
    sources: list[Any]
    day: Any
    key: Any
    if unit is not None:
        t: Any = A_
        sources = [select(A_.directive_id.label("id"), A_.due_sort.label("day"), class_case(A_, as_of).label("cls"))
                   .where(A_.unit_id == unit.id, A_.role == wanted.role, A_.is_open.is_(True),
                          A_.assigned_on <= scope.seen_until)]
        day, key = A_.due_sort, A_.directive_id
    else:
        t = D
        sources = [select(D.id.label("id"), D.due_on.label("day"), class_case(D, as_of).label("cls"))
                   .where(text(condition), D.assigned_on <= scope.seen_until)
                   for condition in (WORKING_STATES, AWAITING)]
        day, key = D.due_on, D.id
    span: list[ColumnElement[bool]] = []
    if wanted.cls == "open_late":
        span.append(day < as_of)
    elif wanted.cls == "open_on_time":
        span += [day >= as_of, day < NO_DEADLINE]
    if after is not None:
        last_day, last_id = _after(after)
        span.append(or_(day > last_day, and_(day == last_day, key > last_id)))

    def past(row: Any) -> ColumnElement[bool]:
        return or_(day > row.day, and_(day == row.day, key > row.id))

    for query in sources:
        rows = await _first(session, query.where(*span, t.due_on.is_not(None)), ("day", "id"), classes, where,
                            limit, past=past)
        found += [(r.id, r.cls, _keyset(r.day, r.id)) for r in rows]
    found.sort(key=lambda row: row[2])
    return found


async def _in_scope(session: AsyncSession, scope: counts.Scope, wanted: ListFilter, unit: Unit | None,
                    where: Where, after: int | None, limit: int) -> list[tuple[int, str, int]]:
    """Any class of the scope, newest first: each part of the scope (bot/reports/rows.scope_parts) that can
    hold the class asked for read from its own index, then merged. A unit's parts are read from its
    assignments' copies of the dates (the indexes the report's unit rows are counted from); the filters on
    the directive (words, leader) tested on the rows read (`_first`)."""
    t: Any = A_ if unit is not None else D
    key = A_.directive_id if unit is not None else D.id
    conditions: list[ColumnElement[bool]] = []
    if unit is not None:
        conditions += [A_.unit_id == unit.id, A_.role == wanted.role]
    if after is not None:
        conditions.append(key < after)
    classes = LIST_CLASSES[wanted.cls] if wanted.cls else None
    # Done (cancelled) by the scope's day: the part "carried over, done (cancelled) since the start" then ends
    # at that day (a past period's: not every later one), read as that range of its index, the assignment
    # day tested in the index, and sorted (`key + 0`: never by walking the order's index past every row
    # done at another time, as a planner counting on many matches would).
    by_day: Any = None
    if classes is not None and set(classes) <= {DONE_ON_TIME, DONE_LATE}:
        by_day = (2, t.completed_on)
    elif classes == (CANCELLED,):
        by_day = (3, t.cancelled_on)
    assert session.bind is not None
    # A half-year or longer on SQLite: the first slice of the new work walks the index of the order (a
    # unit's, or the table's), testing the days on each row, rather than reading the period's whole range
    # of assignment days and sorting it; a shorter period's range is small, a longer one's rows are dense.
    walk = session.bind.dialect.name == "sqlite" and (scope.seen_until - scope.start).days >= 180
    found: list[tuple[int, str, int]] = []
    for number, ((_, condition, cls), flags) in enumerate(zip(scope_parts(scope, t), part_flags(), strict=True)):
        if classes is not None and not _possible(*flags) & set(classes):
            continue  # this part holds no directive of that class
        columns = (key.label("id"), cls.label("cls"))
        part: Select = select(*columns).where(condition, *conditions)
        rest = None
        if by_day is not None and number == by_day[0]:
            day = by_day[1]
            part = select((key + 0).label("id"), cls.label("cls")).where(
                day >= scope.start, day <= scope.as_of, t.assigned_on < scope.start, *conditions)
        if number == 0 and walk:
            rest = part
            part = select(*columns).where(unindexed(t.assigned_on) >= scope.start,
                                          unindexed(t.assigned_on) <= scope.seen_until, *conditions)
        rows = await _first(session, part, ("id",), classes, where, limit, descending=True,
                            past=lambda row: key < row.id, rest=rest)
        found += [(row.id, row.cls, row.id) for row in rows]
    found.sort(reverse=True)
    return found


def _shown(leader: Identity | None) -> str | None:
    return leader.shown if leader is not None else None


async def _led_by(session: AsyncSession, wanted: str) -> ColumnElement[bool]:
    """The directives whose directing leader is the one `wanted` names («Phó Chủ tịch UBND tỉnh Lê Quang
    Minh» as the report shows them, or any other way of writing them): every (text, who assigned) the
    tallies hold that is the same identity (bot/domain/leaders.py)."""
    leaders = await leader_directory(session)
    person = resolve(wanted, leaders)
    key = f"#{person.id}" if person is not None else f"~{text_key(wanted)}"
    pairs = (await session.execute(select(LeaderTally.leader_name, LeaderTally.assigned_by_id).distinct()
                                   .where(LeaderTally.grain == ALL_TIME))).all()
    mine = [pair for pair, ident in grouped(((p.leader_name, p.assigned_by_id) for p in pairs), leaders).items()
            if ident is not None and ident.key == key]
    names = sorted({name for name, _ in mine if name})
    by = sorted({by for name, by in mine if not name and by is not None})
    if person is not None and person.id not in by:
        by.append(person.id)  # a directive they assigned themselves, not counted yet
    return or_(D.leader_name.in_(names) if names else false(),
               and_(D.leader_name.is_(None), D.assigned_by_id.in_(by)) if by else false())


async def _items(session: AsyncSession, scope: counts.Scope, found: list[tuple[int, str]]) -> tuple[ListItem, ...]:
    if not found:
        return ()
    ids = [i for i, _ in found]
    rows = {d.id: d for d in await session.execute(
        select(D.id, D.code, D.content, D.leader_name, D.assigned_by_id, D.assigned_on, D.deadline, D.due_on,
               D.completed_on, D.reported_on).where(D.id.in_(ids)))}
    parts: dict[int, dict[str, list[str]]] = {}
    for did, name, role in await session.execute(
            select(A_.directive_id, Unit.name, A_.role).join(Unit, Unit.id == A_.unit_id)
            .where(A_.directive_id.in_(ids)).order_by(A_.id)):
        parts.setdefault(did, {"lead": [], "support": []})[role].append(name)
    leaders = await leader_directory(session)
    items = []
    for did, cls in found:
        d = rows[did]
        units = parts.get(did, {"lead": [], "support": []})
        items.append(ListItem(
            d.code, d.content, CLASS_NAMES[cls], STATUS_KEYS[cls], tuple(units["lead"]), tuple(units["support"]),
            _shown(identify(d.leader_name, d.assigned_by_id, leaders)), d.assigned_on, d.deadline, d.due_on,
            d.completed_on if cls in (DONE_ON_TIME, DONE_LATE) else None, days_late(cls, d, scope.as_of)))
    return tuple(items)


# -- files -------------------------------------------------------------------------------------------

# What may be uploaded: the extension and the bytes a file of that kind starts with (None: UTF-8 text).
_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
UPLOAD_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".zip": ("application/zip", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain; charset=utf-8", None),
    ".csv": ("text/csv; charset=utf-8", None),
}


def check_upload(name: str, data: bytes, max_bytes: int) -> tuple[str, str]:
    """(clean name, MIME type) of a file a person uploads, or the reason it is refused: too big, empty, or
    not what its name says it is (the bytes are checked, not the browser's word)."""
    name = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    name = check_text(name, 10_000, key="file")[:255]
    if not data:
        raise DomainError("file.empty")
    if len(data) > max_bytes:
        raise DomainError("file.too_big", limit=max_bytes // (1024 * 1024))
    ext = PurePosixPath(name.lower()).suffix
    if ext not in UPLOAD_TYPES:
        raise DomainError("file.type", types=", ".join(sorted(UPLOAD_TYPES)))
    mime, magic = UPLOAD_TYPES[ext]
    if magic is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError("file.type_mismatch", name=name) from None
    elif not data.startswith(magic):
        raise DomainError("file.type_mismatch", name=name)
    return name, mime


async def store_upload(rt: Runtime, actor_id: int, name: str, data: bytes, *, now: datetime) -> FileRef:
    """Keep an uploaded file's bytes (checked, size-capped) for a report about to be made; the FileRef the
    report's service attaches. A report that is then refused leaves the blob unreferenced (`drop_blob`)."""
    name, mime = check_upload(name, data, rt.settings.web_max_upload_mb * 1024 * 1024)
    digest = hashlib.sha256(data).hexdigest()
    async with rt.transaction() as session:
        await load_actor(session, actor_id)
        blob = FileBlob(sha256=digest, size=len(data), mime_type=mime, name=name, data=data, person_id=actor_id,
                        created_at=now)
        session.add(blob)
        await session.flush()
        return FileRef("document", f"{BLOB_PREFIX}{blob.id}", digest[:64], name, mime, len(data))


async def drop_blob(rt: Runtime, file: FileRef) -> None:
    """An uploaded file whose report was refused: no attachment names it, so it goes."""
    blob_id = blob_id_of(file.file_id)
    if blob_id is None:
        return
    async with rt.transaction() as session:
        used = await session.scalar(select(Attachment.id).where(Attachment.file_id == file.file_id).limit(1))
        if used is None:
            blob = await session.get(FileBlob, blob_id)
            if blob is not None:
                await session.delete(blob)


def blob_id_of(file_id: str) -> int | None:
    if not file_id.startswith(BLOB_PREFIX) or not file_id[len(BLOB_PREFIX):].isdigit():
        return None
    return int(file_id[len(BLOB_PREFIX):])


@dataclass(frozen=True)
class FileContent:
    name: str
    mime: str
    data: bytes | None  # kept here (uploaded on the web)
    telegram_file_id: str | None  # kept by Telegram: fetch it with getFile


async def blob(rt: Runtime, file_id: str) -> FileContent | None:
    """The bytes behind a "blob:" file id (the notifier forwards them to Telegram)."""
    blob_id = blob_id_of(file_id)
    if blob_id is None:
        return None
    async with rt.sessions() as session:
        found = await session.get(FileBlob, blob_id)
        return FileContent(found.name, found.mime_type, found.data, None) if found is not None else None


async def file_for_reader(rt: Runtime, actor_id: int | None, code: str, attachment_id: int) -> FileContent:
    """A file kept with a directive, for someone who may open that directive (the reading rule)."""
    async with rt.sessions() as session:
        directive = await queries.readable(rt.uow_on(session), actor_id, code)
        attachment = await session.get(Attachment, attachment_id)
        if attachment is None or attachment.directive_id != directive.id:
            raise DomainError("file.unknown")
        name = attachment.file_name or f"{attachment.kind}-{attachment.id}"
        mime = attachment.mime_type or ("image/jpeg" if attachment.kind == "photo" else "application/octet-stream")
        blob_id = blob_id_of(attachment.file_id)
        if blob_id is None:
            return FileContent(name, mime, None, attachment.file_id)
        found = await session.get(FileBlob, blob_id)
        if found is None:
            raise DomainError("file.unknown")
        return FileContent(name, found.mime_type, found.data, None)


# -- calendar ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarItem:
    code: str
    content: str
    due_on: date
    deadline: date | None
    state: str
    role: str | None  # the unit's part (a focal point's calendar), else None
    updated_at: datetime


async def calendar_items(rt: Runtime, actor: Actor, *, now: datetime) -> list[CalendarItem]:
    """The deadlines a person follows: a focal point's unit's open work (lead and support); a leader's, what
    they assigned that is still being worked on; the office's and a viewer's, the province's; the soonest
    first, bounded (a calendar is not an archive)."""
    async with rt.sessions() as session:
        person = await load_actor(session, actor.id)
        since = local_date(now, rt.settings.tz) - timedelta(days=90)
        if person.role == Role.FOCAL and person.unit_id is not None:
            query = (select(D.code, D.content, A_.due_on, D.deadline, A_.state, A_.role, D.updated_at)
                     .join(A_, A_.directive_id == D.id)
                     .where(A_.unit_id == person.unit_id, A_.is_open.is_(True), A_.due_sort >= since,
                            A_.due_sort < NO_DEADLINE)
                     .order_by(A_.due_sort, A_.directive_id))
        else:
            query = (select(D.code, D.content, D.due_on, D.deadline, D.state, func.null(), D.updated_at)
                     .where(text(WORKING_STATES), D.due_on >= since).order_by(D.due_on, D.id))
            if person.role == Role.LEADER:
                query = query.where(D.assigned_by_id == person.id)
        rows = await session.execute(query.limit(MAX_CALENDAR_ITEMS))
        return [CalendarItem(code, content, due, deadline, state, role, updated)
                for code, content, due, deadline, state, role, updated in rows if due is not None]


