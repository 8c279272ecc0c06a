"""Read-only use cases: lists, a card with its history, search. Any registered person reads lists; a card,
its history and its files follow the reading rule (`bot.domain.policy.check_can_read`). Statistics are
reports: bot/services/reports.py."""

from __future__ import annotations

import re
from datetime import date, datetime
from math import ceil

from sqlalchemy import ColumnElement, Select, TextClause, and_, exists, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import directive as dom
from bot.domain.deadlines import local_date
from bot.domain.lifecycle import OPEN_STATES, State, due_soon_until
from bot.domain.policy import DECIDERS, Role, check_can_read
from bot.domain.units import fold
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services.cards import card_of, listed
from bot.services.common import check_code, load_actor, load_unit
from bot.services.ports import UnitOfWork
from bot.services.views import Actor, Card, FileView, HistoryEntry, Page, actor_view
from storage import search as search_index
from storage.models import (
    WORKING_STATES,
    Address,
    Assignment,
    Attachment,
    Directive,
    Event,
    ExtensionRequest,
    Person,
    Unit,
)

PAGE_SIZE = 5
MAX_COUNTED = 1000  # lists count exactly up to here, then say "more than 1,000" (no count of 500k rows)
MAX_QUERY_CHARS = 200
CODE = re.compile(r"CD[\s_-]*(\d{4})[\s_-]+(\d{1,8})")  # as typed: "CD-2026-0013", "cd 2026 13"


def search_words(text: str) -> list[str]:
    """What a search looks for: the accent-free words of the text, punctuation dropped."""
    return re.findall(r"[a-z0-9]+", fold(text))


async def _unit(session: AsyncSession, actor: Person, unit_code: str | None, own: bool) -> Unit | None:
    """The unit a list is about: the one named, or for `own` lists the asker's unit."""
    if unit_code:
        return await load_unit(session, unit_code)
    if own:
        if actor.unit is None:
            raise DomainError("list.needs_unit")
        return actor.unit
    return None


def _unit_list(unit: Unit, role: str, *conditions: ColumnElement[bool]) -> tuple[Select, Select]:
    """A unit's open part in directives, most urgent first, straight from its assignments' list index
    (unit, role, open, due day): what it leads by default (DESIGN §7), or what it supports; and the rows to
    count (`_of_unit`)."""
    return _of_unit(Assignment.unit_id == unit.id, Assignment.role == role, Assignment.is_open.is_(True),
                    *conditions)


def _unit_working_list(unit: Unit, *conditions: ColumnElement[bool]) -> tuple[Select, Select]:
    """The work a unit leads and works on now (assigned or in progress), by the day its deadline ends: the
    order of a partial index that begins with the unit, whose condition the query repeats word for word
    (its overdue and due-soon lists read only the rows they show and count)."""
    return _of_unit(Assignment.unit_id == unit.id, Assignment.role == "lead", text(f"assignments.{WORKING_STATES}"),
                    *conditions)


def _of_unit(*where: ColumnElement[bool] | TextClause) -> tuple[Select, Select]:
    """The directives whose assignment meets `where`, in the index's order, and the assignments to count:
    every condition is the assignment's, so the count reads the index alone (joined to the directives, a
    count up to MAX_COUNTED read a thousand of them: 0.3 → 1.9 ms from 10k to 1M directives on SQLite)."""
    listed = (select(Directive).join(Assignment, Assignment.directive_id == Directive.id).where(*where)
              .order_by(Assignment.due_sort, Assignment.directive_id))
    return listed, select(Assignment.directive_id).where(*where)


def _working_list(*conditions: ColumnElement[bool]) -> Select:
    """The province's working directives by the day their deadline ends: the order of a partial index,
    whose condition the query repeats word for word (a bound parameter would not match it)."""
    return (select(Directive).where(text(WORKING_STATES), *conditions)
            .order_by(Directive.due_on, Directive.id))


async def _page(rt: Runtime, session: AsyncSession, query: Select | tuple[Select, Select], page: int,
                now: datetime) -> Page:
    """One page, and a count bounded at MAX_COUNTED (read from the index, never more rows than that);
    `query` may come with the cheaper rows to count (the list, the rows)."""
    query, rows_counted = query if isinstance(query, tuple) else (query, query.order_by(None))
    counted = select(literal(1)).select_from(rows_counted.limit(MAX_COUNTED + 1).subquery())
    total = await session.scalar(select(func.count()).select_from(counted.subquery())) or 0
    pages = max(1, ceil(min(total, MAX_COUNTED) / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = await session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    today = local_date(now, rt.settings.tz)
    items = tuple(listed(d, today, rt.calendar, rt.settings.due_soon_working_days) for d in rows)
    return Page(items, page, pages, min(total, MAX_COUNTED), more=total > MAX_COUNTED)


async def unit_tasks(rt: Runtime, actor_id: int, *, now: datetime, unit_code: str | None = None, page: int = 1,
                     role: str = "lead") -> Page:
    """A unit's open directives, most urgent first (the asker's own unit by default): those it leads, or
    with role="support" those it supports."""
    if role not in ("lead", "support"):
        raise DomainError("action.stale")
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        unit = await _unit(session, actor, unit_code, own=True)
        assert unit is not None
        return await _page(rt, session, _unit_list(unit, role), page, now)


async def due_soon(
    rt: Runtime, actor_id: int, *, now: datetime, unit_code: str | None = None, page: int = 1, until: date | None = None
) -> Page:
    """Working directives whose deadline ends from today to `until` (a focal point's own unit's lead work by
    default; the province's for others)."""
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        today = local_date(now, rt.settings.tz)
        until = until or due_soon_until(today, rt.calendar, rt.settings.due_soon_working_days)
        unit = await _unit(session, actor, unit_code, own=actor.role == Role.FOCAL)
        query: Select | tuple[Select, Select]
        if unit is None:
            query = _working_list(Directive.due_on >= today, Directive.due_on <= until)
        else:
            query = _unit_working_list(unit, Assignment.due_sort >= today, Assignment.due_sort <= until)
        return await _page(rt, session, query, page, now)


async def overdue(rt: Runtime, actor_id: int, *, now: datetime, unit_code: str | None = None, page: int = 1) -> Page:
    """Working directives past the day their deadline ends, the most overdue first (a unit's lead work, or
    the province's)."""
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        today = local_date(now, rt.settings.tz)
        unit = await _unit(session, actor, unit_code, own=False)
        query: Select | tuple[Select, Select]
        if unit is None:
            query = _working_list(Directive.due_on < today)
        else:
            query = _unit_working_list(unit, Assignment.due_sort < today)
        return await _page(rt, session, query, page, now)


async def awaiting_decision(rt: Runtime, actor_id: int, *, now: datetime, page: int = 1) -> Page:
    """Reports awaiting confirmation and pending extension requests: the office's and leaders' inbox."""
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        if actor.role not in DECIDERS:
            raise DomainError("auth.forbidden")
        pending = exists().where(ExtensionRequest.directive_id == Directive.id, ExtensionRequest.status == "pending")
        query = (select(Directive).where(or_(Directive.state == State.AWAITING,
                                             and_(Directive.state.in_(OPEN_STATES), pending)))
                 .order_by(Directive.due_on.is_(None), Directive.due_on, Directive.id))
        return await _page(rt, session, query, page, now)


MAX_AWAITING_LISTED = 8  # beside a done report's notice to the office: the other reports it may confirm too


async def awaiting_beside(rt: Runtime, address_id: int, codes: list[str], *, now: datetime) -> list[Card]:
    """The office's notice of a done report lists the other reports awaiting the office's confirmation (the
    most overdue first, `MAX_AWAITING_LISTED` at most), so that it may confirm them with this one in one press:
    their cards, for a person of the office reached at this address; none for anyone else (a leader is told
    of the reports of what they assigned, not of the province's)."""
    async with rt.sessions() as session:
        address = await session.get(Address, address_id)
        if address is None or address.person_id is None:
            return []
        person = await session.get(Person, address.person_id)
        if person is None or not person.active or person.role != Role.ADMIN.value:
            return []
        # the awaiting part of the overdue list's index (ix_directives_awaiting_due), as a list reads it
        rows = await session.scalars(
            select(Directive).where(Directive.state == State.AWAITING, Directive.code.not_in(codes or [""]))
            .order_by(Directive.due_on, Directive.id).limit(MAX_AWAITING_LISTED))
        today = local_date(now, rt.settings.tz)
        return [listed(d, today, rt.calendar, rt.settings.due_soon_working_days) for d in rows]


async def drafts(rt: Runtime, actor_id: int, *, now: datetime, page: int = 1) -> Page:
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        query = select(Directive).where(Directive.state == State.DRAFT, Directive.assigned_by_id == actor.id)
        return await _page(rt, session, query.order_by(Directive.id.desc()), page, now)


async def readable(uow: UnitOfWork, actor_id: int | None, code: str) -> dom.Directive:
    """The directive, if this person may open it (`check_can_read`: a focal point opens only what their
    unit takes part in; a draft only leaders and the office). `actor_id` None is a read-only API client,
    who reads as a viewer does."""
    role, unit = Role.VIEWER, None
    if actor_id is not None:
        actor = await uow.people.actor(actor_id)
        role, unit = Role(actor.role), actor.unit_code
    directive = await uow.directives.get(check_code(code))
    check_can_read(role, directive.standing, unit)
    return directive


async def card(rt: Runtime, actor_id: int | None, code: str, *, now: datetime) -> Card:
    async with rt.uow(read_only=True) as uow:
        return await card_of(rt, uow, await readable(uow, actor_id, code), now)


async def notice_cards(rt: Runtime, address_id: int, codes: list[str], *, now: datetime) \
        -> tuple[Actor | None, dict[str, Card]]:
    """What a notice sent to this address lets its reader do at once (issue 22, «act where you read»): the
    reader as the cards' buttons see them (the person; for a unit's group, a focal point of that unit) and
    the cards of the directives it names that the reader may open. (None, {}) for any other chat."""
    async with rt.sessions() as session:
        address = await session.get(Address, address_id)
        if address is None:
            return None, {}
        if address.person_id is not None:
            person = await session.get(Person, address.person_id)
            if person is None or not person.active:
                return None, {}
            reader = actor_view(person)
        elif address.unit_id is not None and address.kind == "group":
            unit = await session.get(Unit, address.unit_id)
            if unit is None:
                return None, {}
            reader = Actor(0, None, unit.name, Role.FOCAL.value, unit.code, unit.name, rt.settings.default_language)
        else:
            return None, {}
        uow = rt.uow_on(session)
        cards: dict[str, Card] = {}
        for code in dict.fromkeys(codes):
            try:
                directive = await uow.directives.get(code)
                check_can_read(Role(reader.role), directive.standing, reader.unit_code)
            except DomainError:  # gone, or no longer theirs to open: the notice goes without its buttons
                continue
            cards[code] = await card_of(rt, uow, directive, now)
        return reader, cards


async def attachments(rt: Runtime, ids: list[int]) -> list[FileView]:
    """Files a notice forwards, by id, in that order (for a channel adapter sending them on)."""
    if not ids:
        return []
    async with rt.sessions() as session:
        found = {a.id: a for a in await session.scalars(select(Attachment).where(Attachment.id.in_(ids)))}
        return [FileView(a.id, a.kind, a.file_id, a.file_name, a.file_size, None, a.created_at)
                for a in (found[i] for i in ids if i in found)]


async def history(rt: Runtime, actor_id: int | None, code: str) -> list[HistoryEntry]:
    async with rt.sessions() as session:
        uow = rt.uow_on(session)
        return await _history(session, uow, await readable(uow, actor_id, code))


async def card_with_history(rt: Runtime, actor_id: int | None, code: str, *, now: datetime) \
        -> tuple[Card, list[HistoryEntry]]:
    """A card and its history read together (the web's card page shows both), under one reading check."""
    async with rt.sessions() as session:
        uow = rt.uow_on(session)
        directive = await readable(uow, actor_id, code)
        return await card_of(rt, uow, directive, now), await _history(session, uow, directive)


async def _history(session: AsyncSession, uow: UnitOfWork, directive: dom.Directive) -> list[HistoryEntry]:
    rows = await session.execute(
        select(Event, Person.full_name)
        .outerjoin(Person, Person.id == Event.actor_id)
        .where(Event.directive_id == directive.id)
        .order_by(Event.id)
    )
    names = await uow.units.names([p.unit for p in directive.parts])
    return [HistoryEntry(e.at, e.kind, name, dict(e.data), tuple(str(f) for f in e.data.get("files") or ()),
                         names.get(str(e.data.get("unit")), e.data.get("unit")))
            for e, name in rows]


async def search(rt: Runtime, actor_id: int, text: str, *, now: datetime, page: int = 1) -> Page:
    """Accent-insensitive word search, newest first: 'ra soat' finds 'rà soát'; every word (letters and
    digits) must be a word of the code, content or source, the last one possibly cut short (see
    `storage.search`). A directive's code finds that directive."""
    if len(text or "") > MAX_QUERY_CHARS:
        raise DomainError("text.too_long", field="search", limit=MAX_QUERY_CHARS)
    words = search_words(text or "")
    if not words:
        raise DomainError("search.empty")
    async with rt.sessions() as session:
        await load_actor(session, actor_id)
        if typed := CODE.fullmatch((text or "").strip().upper()):
            code = f"CD-{typed[1]}-{int(typed[2]):04d}"
            query = select(Directive).where(Directive.code == code, Directive.state != State.DRAFT)
            return await _page(rt, session, query, page, now)
        words = words[:8]
        total = await search_index.count(session, words, at_most=MAX_COUNTED)
        pages = max(1, ceil(min(total, MAX_COUNTED) / PAGE_SIZE))
        page = min(max(page, 1), pages)
        ids = await search_index.matching_ids(session, words, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                              many=total > MAX_COUNTED)
        found = {d.id: d for d in await session.scalars(select(Directive).where(Directive.id.in_(ids)))}
        today = local_date(now, rt.settings.tz)
        items = tuple(listed(found[i], today, rt.calendar, rt.settings.due_soon_working_days) for i in ids)
        return Page(items, page, pages, min(total, MAX_COUNTED), more=total > MAX_COUNTED)
