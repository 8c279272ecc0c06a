"""Read-only use cases: lists, a card with its history, search. Any registered person reads.
Statistics are reports: bot/services/reports.py."""

from __future__ import annotations

import re
from datetime import date, datetime
from math import ceil

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import local_date
from bot.domain.lifecycle import OPEN_STATES, State
from bot.domain.policy import DECIDERS, Role
from bot.domain.units import fold
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services.common import build_card, load_actor, load_directive, load_unit
from bot.services.views import Card, HistoryEntry, Page, card_view
from storage.models import Assignment, Directive, Event, ExtensionRequest, Person

PAGE_SIZE = 5
MAX_QUERY_CHARS = 200
_WORKING = (State.ASSIGNED, State.IN_PROGRESS)


def search_words(text: str) -> list[str]:
    """What a search looks for: the accent-free words of the text, punctuation dropped."""
    return re.findall(r"[a-z0-9]+", fold(text))


def _urgency_order(query: Select) -> Select:  # type: ignore[type-arg]
    # Soonest (or most overdue) deadline first; standing tasks last.
    return query.order_by(Directive.due_on.is_(None), Directive.due_on, Directive.id)


async def _unit_filter(session: AsyncSession, actor: Person, unit_code: str | None, own: bool, role: str = "lead"):  # type: ignore[no-untyped-def]
    """The unit a list is about (the one named, or for `own` lists the asker's unit) and its part in the
    directives listed: what it leads by default (DESIGN §7: accountability is the lead unit's), or what
    it supports."""
    if unit_code:
        unit = await load_unit(session, unit_code)
    elif own:
        if actor.unit_id is None:
            raise DomainError("list.needs_unit")
        unit = actor.unit
    else:
        return None
    return exists().where(Assignment.directive_id == Directive.id, Assignment.unit_id == unit.id,
                          Assignment.role == role)


async def _page(rt: Runtime, session: AsyncSession, query: Select, page: int, now: datetime) -> Page:  # type: ignore[type-arg]
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = await session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    today = local_date(now, rt.settings.tz)
    items = tuple(card_view(d, today, rt.calendar, rt.settings.due_soon_working_days) for d in rows)
    return Page(items, page, pages, total)


async def unit_tasks(rt: Runtime, actor_id: int, *, now: datetime, unit_code: str | None = None, page: int = 1,
                     role: str = "lead") -> Page:
    """A unit's open directives, most urgent first (the asker's own unit by default): those it leads, or
    with role="support" those it supports."""
    if role not in ("lead", "support"):
        raise DomainError("action.stale")
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        where = await _unit_filter(session, actor, unit_code, own=True, role=role)
        query = _urgency_order(select(Directive).where(Directive.state.in_(OPEN_STATES), where))
        return await _page(rt, session, query, page, now)


async def due_soon(
    rt: Runtime, actor_id: int, *, now: datetime, unit_code: str | None = None, page: int = 1, until: date | None = None
) -> Page:
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        today = local_date(now, rt.settings.tz)
        until = until or rt.calendar.add_working_days(today, rt.settings.due_soon_working_days)
        conditions = [Directive.state.in_(_WORKING), Directive.due_on >= today, Directive.due_on <= until]
        where = await _unit_filter(session, actor, unit_code, own=actor.role == Role.FOCAL)
        if where is not None:
            conditions.append(where)
        return await _page(rt, session, _urgency_order(select(Directive).where(*conditions)), page, now)


async def overdue(rt: Runtime, actor_id: int, *, now: datetime, unit_code: str | None = None, page: int = 1) -> Page:
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        today = local_date(now, rt.settings.tz)
        conditions = [Directive.state.in_(_WORKING), Directive.due_on < today]
        where = await _unit_filter(session, actor, unit_code, own=False)
        if where is not None:
            conditions.append(where)
        return await _page(rt, session, _urgency_order(select(Directive).where(*conditions)), page, now)


async def awaiting_decision(rt: Runtime, actor_id: int, *, now: datetime, page: int = 1) -> Page:
    """Reports awaiting confirmation and pending extension requests: the office's and leaders' inbox."""
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        if actor.role not in DECIDERS:
            raise DomainError("auth.forbidden")
        pending = exists().where(ExtensionRequest.directive_id == Directive.id, ExtensionRequest.status == "pending")
        query = select(Directive).where(or_(Directive.state == State.AWAITING, and_(Directive.state.in_(OPEN_STATES), pending)))
        return await _page(rt, session, _urgency_order(query), page, now)


async def drafts(rt: Runtime, actor_id: int, *, now: datetime, page: int = 1) -> Page:
    async with rt.sessions() as session:
        actor = await load_actor(session, actor_id)
        query = select(Directive).where(Directive.state == State.DRAFT, Directive.assigned_by_id == actor.id)
        return await _page(rt, session, query.order_by(Directive.id.desc()), page, now)


async def _readable(session: AsyncSession, actor_id: int, code: str) -> Directive:
    """A draft is seen only by leaders and the office until it is assigned."""
    actor = await load_actor(session, actor_id)
    directive = await load_directive(session, code)
    if directive.state == State.DRAFT and actor.role not in DECIDERS:
        raise DomainError("directive.not_found", code=directive.code)
    return directive


async def card(rt: Runtime, actor_id: int, code: str, *, now: datetime) -> Card:
    async with rt.sessions() as session:
        directive = await _readable(session, actor_id, code)
        return await build_card(rt, session, directive, now)


async def history(rt: Runtime, actor_id: int, code: str) -> list[HistoryEntry]:
    async with rt.sessions() as session:
        directive = await _readable(session, actor_id, code)
        rows = await session.execute(
            select(Event, Person.full_name)
            .outerjoin(Person, Person.id == Event.actor_id)
            .where(Event.directive_id == directive.id)
            .order_by(Event.id)
        )
        names = {a.unit.code: a.unit.name for a in directive.assignments}
        return [HistoryEntry(e.at, e.kind, name, dict(e.data), tuple(str(f) for f in e.data.get("files") or ()),
                             names.get(str(e.data.get("unit")), e.data.get("unit")))
                for e, name in rows]


async def search(rt: Runtime, actor_id: int, text: str, *, now: datetime, page: int = 1) -> Page:
    """Accent-insensitive: 'ra soat' finds 'rà soát'; every word (letters and digits) must occur."""
    if len(text or "") > MAX_QUERY_CHARS:
        raise DomainError("text.too_long", field="search", limit=MAX_QUERY_CHARS)
    words = search_words(text or "")
    if not words:
        raise DomainError("search.empty")
    async with rt.sessions() as session:
        await load_actor(session, actor_id)
        conditions = [Directive.search_text.contains(w, autoescape=True) for w in words[:8]]
        query = select(Directive).where(Directive.state != State.DRAFT, *conditions).order_by(Directive.id.desc())
        return await _page(rt, session, query, page, now)
