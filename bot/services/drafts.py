"""Use cases before a directive is assigned: create (as draft or at once), correct a draft, confirm or
discard it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import check_new_deadline, local_date
from bot.domain.lifecycle import Move, State, transition
from bot.domain.policy import check, check_can_assign
from bot.domain.units import fold
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import notify, reminders
from bot.services.common import (
    build_card,
    check_text,
    load_actor,
    load_directive,
    load_unit,
    next_number,
    record,
    set_deadline,
    standing_of,
)
from bot.services.views import Card
from storage.models import Assignment, Directive, Event, Person, Unit

RECURRENCES = ("weekly", "monthly", "quarterly", "yearly")
MAX_BATCH = 30
MAX_SOURCE_CHARS = 64
UNSET = object()  # edit_draft: "leave this field as it is"


@dataclass(frozen=True)
class NewDirective:
    """What a directive is made of. A draft may lack its lead unit (the parser could not resolve it);
    it cannot be assigned until one is chosen."""

    content: str
    lead: list[str]
    support: list[str] = field(default_factory=list)
    deadline: date | None = None
    recurrence: str | None = None
    source_number: str | None = None
    source_date: date | None = None
    leader_name: str | None = None


def check_content(rt: Runtime, text: str) -> str:
    """A directive's content as it will be accepted (checked before the guided flow's last step)."""
    return check_text(text, rt.settings.max_text_chars, key="content")


def check_deadline(rt: Runtime, deadline: date | None, now: datetime) -> None:
    """A draft's deadline as it will be accepted (checked at the guided flow's deadline step, so a past day
    is asked again there rather than refused at the last step)."""
    check_new_deadline(deadline, local_date(now, rt.settings.tz))


def search_text(directive: Directive) -> str:
    return fold(" ".join(filter(None, [directive.code, directive.content, directive.source_number])))


async def commit_card(rt: Runtime, session: AsyncSession, directive: Directive, now: datetime) -> Card:
    """Flush (so a concurrent writer is detected inside the transaction) and return the card."""
    await session.flush()
    return await build_card(rt, session, directive, now)


async def _units(session: AsyncSession, codes: list[str]) -> list[Unit]:
    return [await load_unit(session, code) for code in dict.fromkeys(c.strip().upper() for c in codes)]


def snapshot(directive: Directive) -> dict[str, object]:
    """What an event records of a directive: enough for the log to rebuild the row."""
    return {
        "state": directive.state,
        "deadline": directive.deadline,
        "lead": [a.unit.code for a in directive.assignments if a.role == "lead"],
        "support": [a.unit.code for a in directive.assignments if a.role == "support"],
        "content": directive.content,
        "recurrence": directive.recurrence,
        "source_number": directive.source_number,
        "source_date": directive.source_date,
    }


async def _add_directive(
    rt: Runtime, session: AsyncSession, actor: Person, spec: NewDirective, now: datetime, state: State
) -> Directive:
    content = check_text(spec.content, rt.settings.max_text_chars, key="content")
    if not spec.lead and state != State.DRAFT:
        raise DomainError("directive.no_lead")
    if spec.recurrence is not None and spec.recurrence not in RECURRENCES:
        raise DomainError("directive.bad_recurrence", value=spec.recurrence[:20])
    today = local_date(now, rt.settings.tz)
    check_new_deadline(spec.deadline, today)
    leads = await _units(session, spec.lead)
    lead_ids = {u.id for u in leads}
    supports = [u for u in await _units(session, spec.support) if u.id not in lead_ids]
    number = await next_number(session, f"directive-{today.year}")
    directive = Directive(
        code=f"CD-{today.year}-{number:04d}",
        content=content,
        search_text="",
        source_number=check_text(spec.source_number, MAX_SOURCE_CHARS, required=False, key="source") or None,
        source_date=spec.source_date,
        leader_name=check_text(spec.leader_name, 200, required=False, key="leader") or None,
        assigned_by_id=actor.id,
        state=state,
        original_deadline=spec.deadline,
        deadline_version=1,
        recurrence=spec.recurrence,
        assigned_on=None if state == State.DRAFT else today,
        created_at=now,
        updated_at=now,
    )
    set_deadline(rt, directive, spec.deadline)
    directive.search_text = search_text(directive)
    directive.assignments = [Assignment(unit=u, unit_id=u.id, role="lead") for u in leads] + [
        Assignment(unit=u, unit_id=u.id, role="support") for u in supports
    ]
    session.add(directive)
    await session.flush()
    return directive


async def announce_assigned(
    rt: Runtime, session: AsyncSession, directive: Directive, event: Event, now: datetime, actor: Person | None,
    due_at: datetime | None = None, imported: bool = False,
) -> None:
    """Tell each unit what it is asked to do (lead or support), by whom, from which document, for which
    period, and plan its reminders, in the assigning transaction. `due_at` holds the notice (a recurring
    occurrence created at night or on a holiday is announced in office hours); `imported`: history entered
    late, whose reminders are planned as such."""
    await reminders.schedule(rt, session, directive, now, imported=imported)
    leader = directive.leader_name
    if leader is None and directive.assigned_by_id is not None:
        assigner = await session.get(Person, directive.assigned_by_id)
        leader = assigner.full_name if assigner else None
    lines = notify.directive_lines(directive, leader)
    for role in ("lead", "support"):
        chats = await notify.unit_chats(session, [a.unit_id for a in directive.assignments if a.role == role])
        await notify.enqueue(session, event, directive, chats, "notify.assigned", now,
                             exclude=actor.telegram_id if actor else None, lines=lines, due_at=due_at,
                             code=directive.code,
                             content=directive.content,
                             deadline=directive.deadline or {"key": "deadline.standing"},
                             role={"key": f"unit_role.{role}"})


async def create_directives(
    rt: Runtime, actor_id: int, specs: list[NewDirective], *, now: datetime, as_draft: bool = False
) -> list[Card]:
    """Assign one or several directives at once (all or none). As drafts, they wait for confirmation."""
    if not specs:
        raise DomainError("directive.none")
    if len(specs) > MAX_BATCH:
        raise DomainError("directive.too_many", limit=MAX_BATCH)
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        check_can_assign(actor.role)
        cards = []
        for spec in specs:
            directive = await _add_directive(rt, session, actor, spec, now, State.DRAFT if as_draft else State.ASSIGNED)
            event = record(session, directive, actor, "drafted" if as_draft else "assigned", now,
                           after=snapshot(directive))
            if not as_draft:
                await announce_assigned(rt, session, directive, event, now, actor)
            cards.append(await commit_card(rt, session, directive, now))
        return cards


async def _draft_for(session: AsyncSession, actor: Person, code: str, move: Move,
                     expected_version: int | None) -> Directive:
    directive = await load_directive(session, code, expected_version)
    check(actor.role, move, await standing_of(session, directive))
    return directive


async def confirm_draft(
    rt: Runtime, actor_id: int, code: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await _draft_for(session, actor, code, Move.CONFIRM_DRAFT, expected_version)
        today = local_date(now, rt.settings.tz)
        check_new_deadline(directive.deadline, today)
        directive.state = transition(directive.state, Move.CONFIRM_DRAFT)
        directive.assigned_on = today
        directive.updated_at = now
        event = record(session, directive, actor, "assigned", now, before={"state": State.DRAFT},
                       after=snapshot(directive))
        await announce_assigned(rt, session, directive, event, now, actor)
        return await commit_card(rt, session, directive, now)


async def discard_draft(
    rt: Runtime, actor_id: int, code: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await _draft_for(session, actor, code, Move.DISCARD, expected_version)
        directive.state = transition(directive.state, Move.DISCARD)
        directive.updated_at = now
        record(session, directive, actor, "discarded", now, before={"state": State.DRAFT},
               after={"state": directive.state})
        return await commit_card(rt, session, directive, now)


async def edit_draft(
    rt: Runtime,
    actor_id: int,
    code: str,
    *,
    now: datetime,
    expected_version: int | None = None,
    lead: list[str] | None = None,
    support: list[str] | None = None,
    deadline: date | None | object = UNSET,
    content: str | None = None,
    source_number: str | None | object = UNSET,
    source_date: date | None | object = UNSET,
    recurrence: str | None | object = UNSET,
) -> Card:
    """Correct any field of a draft before it is assigned; `deadline=None` makes it a standing task,
    `recurrence=None` a one-off one."""
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await _draft_for(session, actor, code, Move.EDIT_DRAFT, expected_version)
        before = snapshot(directive)
        if content is not None:
            directive.content = check_text(content, rt.settings.max_text_chars, key="content")
        if deadline is not UNSET:
            assert deadline is None or isinstance(deadline, date)
            check_new_deadline(deadline, local_date(now, rt.settings.tz))
            set_deadline(rt, directive, deadline)
            directive.original_deadline = deadline
        if source_number is not UNSET:
            assert source_number is None or isinstance(source_number, str)
            directive.source_number = check_text(source_number, MAX_SOURCE_CHARS, required=False, key="source") or None
        if source_date is not UNSET:
            assert source_date is None or isinstance(source_date, date)
            directive.source_date = source_date
        if recurrence is not UNSET:
            if recurrence is not None and recurrence not in RECURRENCES:
                raise DomainError("directive.bad_recurrence", value=str(recurrence)[:20])
            directive.recurrence = recurrence
        if directive.recurrence and directive.deadline is None:
            raise DomainError("directive.recurrence_needs_deadline")
        if lead is not None or support is not None:
            await _reassign(session, directive, lead, support)
        directive.search_text = search_text(directive)
        directive.updated_at = now
        await session.flush()
        record(session, directive, actor, "edited", now, before=before, after=snapshot(directive))
        return await commit_card(rt, session, directive, now)


async def _reassign(session: AsyncSession, directive: Directive, lead: list[str] | None,
                    support: list[str] | None) -> None:
    """New lead and/or support units, changing the assignment rows in place (a unit that stays keeps its
    row, so the one-row-per-unit rule holds at every step of the flush)."""
    current = {a.unit.code: a.role for a in directive.assignments}
    leads = await _units(session, lead if lead is not None else [c for c, r in current.items() if r == "lead"])
    if not leads:
        raise DomainError("directive.no_lead")
    lead_ids = {u.id for u in leads}
    supports = await _units(session, support if support is not None
                            else [c for c, r in current.items() if r == "support"])
    wanted: dict[int, tuple[str, Unit]] = {u.id: ("lead", u) for u in leads}
    wanted.update({u.id: ("support", u) for u in supports if u.id not in lead_ids})
    for assignment in list(directive.assignments):
        if assignment.unit_id in wanted:
            assignment.role = wanted.pop(assignment.unit_id)[0]
        else:
            directive.assignments.remove(assignment)
    await session.flush()
    for unit_id, (role, unit) in wanted.items():
        directive.assignments.append(Assignment(unit=unit, unit_id=unit_id, role=role))
