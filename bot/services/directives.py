"""Use cases that change a directive: assign, acknowledge, report, extend, confirm, send back, cancel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import check_new_deadline, local_date
from bot.domain.lifecycle import Move, State, transition
from bot.domain.policy import Role, check_can_assign, check_move
from bot.domain.units import fold
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import notify, recurrence, reminders
from bot.services.common import (
    MAX_REASON_CHARS,
    build_card,
    check_text,
    load_actor,
    load_directive,
    load_unit,
    next_number,
    pending_extension,
    record,
    set_deadline,
)
from bot.services.views import Card
from storage.models import Assignment, Directive, Event, ExtensionRequest, Person, Unit

RECURRENCES = ("weekly", "monthly", "quarterly", "yearly")
MAX_BATCH = 30


@dataclass(frozen=True)
class NewDirective:
    content: str
    lead: list[str]
    support: list[str] = field(default_factory=list)
    deadline: date | None = None
    recurrence: str | None = None
    source_number: str | None = None
    source_date: date | None = None
    leader_name: str | None = None


def _search_text(directive: Directive) -> str:
    return fold(" ".join(filter(None, [directive.code, directive.content, directive.source_number])))


async def _commit_card(rt: Runtime, session: AsyncSession, directive: Directive, now: datetime) -> Card:
    """Flush (so a concurrent writer is detected inside the transaction) and return the card."""
    await session.flush()
    return await build_card(rt, session, directive, now)


def _touch(directive: Directive, now: datetime) -> None:
    directive.updated_at = now


async def _units(session: AsyncSession, codes: list[str]) -> list[Unit]:
    units: list[Unit] = []
    for code in dict.fromkeys(c.strip().upper() for c in codes):
        units.append(await load_unit(session, code))
    return units


async def _add_directive(
    rt: Runtime, session: AsyncSession, actor: Person, spec: NewDirective, now: datetime, state: State
) -> Directive:
    content = check_text(spec.content, rt.settings.max_text_chars, key="content")
    if not spec.lead:
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
        source_number=check_text(spec.source_number, 64, required=False, key="source") or None,
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
    directive.search_text = _search_text(directive)
    directive.assignments = [Assignment(unit=u, unit_id=u.id, role="lead") for u in leads] + [
        Assignment(unit=u, unit_id=u.id, role="support") for u in supports
    ]
    session.add(directive)
    await session.flush()
    return directive


async def _announce_assigned(
    rt: Runtime, session: AsyncSession, directive: Directive, event: Event, now: datetime, actor: Person
) -> None:
    """Tell the units and plan their reminders, in the assigning transaction."""
    await reminders.schedule(rt, session, directive, now)
    chats = await notify.unit_chats(session, [a.unit_id for a in directive.assignments])
    await notify.enqueue(
        session,
        event,
        directive,
        chats,
        "notify.assigned",
        now,
        exclude=actor.telegram_id,
        code=directive.code,
        content=directive.content,
        deadline=directive.deadline,
    )


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
            state = State.DRAFT if as_draft else State.ASSIGNED
            directive = await _add_directive(rt, session, actor, spec, now, state)
            event = record(
                session,
                directive,
                actor,
                "drafted" if as_draft else "assigned",
                now,
                after=_snapshot(directive),
            )
            if not as_draft:
                await _announce_assigned(rt, session, directive, event, now, actor)
            cards.append(await _commit_card(rt, session, directive, now))
        return cards


def _snapshot(directive: Directive) -> dict[str, object]:
    return {
        "state": directive.state,
        "deadline": directive.deadline,
        "lead": [a.unit.code for a in directive.assignments if a.role == "lead"],
        "support": [a.unit.code for a in directive.assignments if a.role == "support"],
        "content": directive.content,
    }


async def confirm_draft(
    rt: Runtime, actor_id: int, code: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code, expected_version)
        _decide(actor, directive)
        today = local_date(now, rt.settings.tz)
        check_new_deadline(directive.deadline, today)
        directive.state = transition(directive.state, Move.CONFIRM_DRAFT)
        directive.assigned_on = today
        _touch(directive, now)
        event = record(
            session,
            directive,
            actor,
            "assigned",
            now,
            before={"state": State.DRAFT},
            after=_snapshot(directive),
        )
        await _announce_assigned(rt, session, directive, event, now, actor)
        return await _commit_card(rt, session, directive, now)


async def discard_draft(
    rt: Runtime, actor_id: int, code: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code, expected_version)
        _decide(actor, directive)
        directive.state = transition(directive.state, Move.DISCARD)
        _touch(directive, now)
        record(
            session,
            directive,
            actor,
            "discarded",
            now,
            before={"state": State.DRAFT},
            after={"state": directive.state},
        )
        return await _commit_card(rt, session, directive, now)


async def edit_draft(
    rt: Runtime,
    actor_id: int,
    code: str,
    *,
    now: datetime,
    expected_version: int | None = None,
    lead: list[str] | None = None,
    support: list[str] | None = None,
    deadline: date | None = None,
    clear_deadline: bool = False,
    content: str | None = None,
) -> Card:
    """Fix a draft's units, deadline or content before it is assigned."""
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code, expected_version)
        _decide(actor, directive)
        if directive.state != State.DRAFT:
            raise DomainError("lifecycle.illegal", move="edit", state=directive.state)
        before = _snapshot(directive)
        if content is not None:
            directive.content = check_text(content, rt.settings.max_text_chars, key="content")
            directive.search_text = _search_text(directive)
        if deadline is not None or clear_deadline:
            check_new_deadline(deadline, local_date(now, rt.settings.tz))
            set_deadline(rt, directive, deadline)
            directive.original_deadline = deadline
        if lead is not None or support is not None:
            leads = await _units(
                session,
                lead
                if lead is not None
                else [a.unit.code for a in directive.assignments if a.role == "lead"],
            )
            if not leads:
                raise DomainError("directive.no_lead")
            lead_ids = {u.id for u in leads}
            support_codes = (
                support
                if support is not None
                else [a.unit.code for a in directive.assignments if a.role == "support"]
            )
            supports = [u for u in await _units(session, support_codes) if u.id not in lead_ids]
            directive.assignments = [Assignment(unit=u, unit_id=u.id, role="lead") for u in leads] + [
                Assignment(unit=u, unit_id=u.id, role="support") for u in supports
            ]
        _touch(directive, now)
        await session.flush()
        record(session, directive, actor, "edited", now, before=before, after=_snapshot(directive))
        return await _commit_card(rt, session, directive, now)


def _decide(actor: Person, directive: Directive) -> None:
    check_move(actor.role, Move.CONFIRM, actor_unit=None, lead_units=set(), support_units=set())


def _parts(directive: Directive) -> tuple[set[str], set[str]]:
    leads = {a.unit.code for a in directive.assignments if a.role == "lead"}
    return leads, {a.unit.code for a in directive.assignments if a.role == "support"}


async def _unit_move(
    session: AsyncSession,
    actor_id: int,
    code: str,
    move: Move,
    unit_code: str | None,
    expected_version: int | None,
) -> tuple[Person, Directive, Assignment]:
    """Load, authorise and find the assignment a unit acts on. The office may act for a unit it names
    (or, by default, the lead unit); a focal point always acts for their own unit."""
    actor = await load_actor(session, actor_id)
    directive = await load_directive(session, code, expected_version)
    leads, supports = _parts(directive)
    if actor.role == Role.FOCAL:
        acting = actor.unit.code if actor.unit else None
    elif unit_code:
        acting = unit_code.strip().upper()
    else:
        acting = sorted(leads)[0] if leads else None
    check_move(actor.role, move, actor_unit=acting, lead_units=leads, support_units=supports)
    transition(directive.state, move)
    if acting is None:
        raise DomainError("auth.not_your_unit")
    assignment = next((a for a in directive.assignments if a.unit.code == acting), None)
    if assignment is None:
        raise DomainError("auth.not_your_unit")
    return actor, directive, assignment


_UNIT_MOVES = frozenset({Move.ACKNOWLEDGE, Move.PROGRESS, Move.REQUEST_EXTENSION, Move.REPORT_DONE})


async def check_action(
    rt: Runtime,
    actor_id: int,
    code: str,
    move: Move,
    *,
    expected_version: int | None,
    unit_code: str | None = None,
) -> None:
    """The checks `move` would make, without writing: lets the chat refuse before asking for a text."""
    async with rt.sessions() as session:
        if move in _UNIT_MOVES:
            await _unit_move(session, actor_id, code, move, unit_code, expected_version)
            return
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code, expected_version)
        check_move(actor.role, move, actor_unit=None, lead_units=set(), support_units=set())
        transition(directive.state, move)


async def acknowledge(
    rt: Runtime,
    actor_id: int,
    code: str,
    *,
    now: datetime,
    unit_code: str | None = None,
    expected_version: int | None = None,
) -> Card:
    async with rt.transaction() as session:
        actor, directive, assignment = await _unit_move(
            session, actor_id, code, Move.ACKNOWLEDGE, unit_code, expected_version
        )
        if assignment.acknowledged_at is not None:
            raise DomainError("ack.already", code=directive.code)
        before = directive.state
        assignment.acknowledged_at = now
        if assignment.role == "lead":
            directive.state = transition(directive.state, Move.ACKNOWLEDGE)
        _touch(directive, now)
        record(
            session,
            directive,
            actor,
            "acknowledged",
            now,
            unit=assignment.unit.code,
            before={"state": before},
            after={"state": directive.state},
        )
        return await _commit_card(rt, session, directive, now)


async def report_progress(
    rt: Runtime,
    actor_id: int,
    code: str,
    text: str,
    *,
    now: datetime,
    file_id: str | None = None,
    unit_code: str | None = None,
    expected_version: int | None = None,
) -> Card:
    async with rt.transaction() as session:
        actor, directive, assignment = await _unit_move(
            session, actor_id, code, Move.PROGRESS, unit_code, expected_version
        )
        text = check_text(text, rt.settings.max_text_chars, key="report")
        before = directive.state
        assignment.acknowledged_at = assignment.acknowledged_at or now
        assignment.last_report, assignment.last_report_at = text, now
        if assignment.role == "lead":
            directive.state = transition(directive.state, Move.PROGRESS)
        _touch(directive, now)
        record(
            session,
            directive,
            actor,
            "progress",
            now,
            unit=assignment.unit.code,
            text=text,
            file_id=file_id,
            before={"state": before},
            after={"state": directive.state},
        )
        return await _commit_card(rt, session, directive, now)


async def request_extension(
    rt: Runtime,
    actor_id: int,
    code: str,
    new_deadline: date,
    reason: str,
    *,
    now: datetime,
    unit_code: str | None = None,
    expected_version: int | None = None,
) -> Card:
    async with rt.transaction() as session:
        actor, directive, assignment = await _unit_move(
            session, actor_id, code, Move.REQUEST_EXTENSION, unit_code, expected_version
        )
        reason = check_text(reason, MAX_REASON_CHARS, key="reason")
        check_new_deadline(new_deadline, local_date(now, rt.settings.tz))
        if directive.deadline is not None and new_deadline <= directive.deadline:
            raise DomainError("extension.not_later", date=directive.deadline)
        pending = await pending_extension(session, directive.id)
        if pending is not None:
            raise DomainError("extension.pending_exists", code=directive.code)
        session.add(
            ExtensionRequest(
                directive_id=directive.id,
                unit_id=assignment.unit_id,
                requested_by=actor.id,
                requested_at=now,
                old_deadline=directive.deadline,
                new_deadline=new_deadline,
                reason=reason,
            )
        )
        _touch(directive, now)
        event = record(
            session,
            directive,
            actor,
            "extension_requested",
            now,
            unit=assignment.unit.code,
            old_deadline=directive.deadline,
            new_deadline=new_deadline,
            reason=reason,
        )
        chats = await notify.deciders_of(session, directive)
        await notify.enqueue(
            session,
            event,
            directive,
            chats,
            "notify.extension_requested",
            now,
            exclude=actor.telegram_id,
            code=directive.code,
            unit=assignment.unit.name,
            new_deadline=new_deadline,
            reason=reason,
        )
        return await _commit_card(rt, session, directive, now)


async def decide_extension(
    rt: Runtime,
    actor_id: int,
    code: str,
    approve: bool,
    *,
    now: datetime,
    note: str | None = None,
    expected_version: int | None = None,
) -> Card:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code, expected_version)
        check_move(actor.role, Move.DECIDE_EXTENSION, actor_unit=None, lead_units=set(), support_units=set())
        transition(directive.state, Move.DECIDE_EXTENSION)
        request = await pending_extension(session, directive.id)
        if request is None:
            raise DomainError("extension.none_pending", code=directive.code)
        note = check_text(note, MAX_REASON_CHARS, required=False, key="note") or None
        request.status = "approved" if approve else "refused"
        request.decided_by, request.decided_at, request.decision_note = actor.id, now, note
        before = directive.deadline
        if approve:
            check_new_deadline(request.new_deadline, local_date(now, rt.settings.tz))
            set_deadline(rt, directive, request.new_deadline)
            directive.deadline_version += 1
            await reminders.schedule(rt, session, directive, now)
        _touch(directive, now)
        event = record(
            session,
            directive,
            actor,
            "extension_approved" if approve else "extension_refused",
            now,
            before={"deadline": before},
            after={"deadline": directive.deadline},
            note=note,
        )
        chats = await notify.unit_chats(session, [request.unit_id])
        await notify.enqueue(
            session,
            event,
            directive,
            chats,
            "notify.extension_approved" if approve else "notify.extension_refused",
            now,
            exclude=actor.telegram_id,
            code=directive.code,
            new_deadline=request.new_deadline,
            note=note or "",
        )
        return await _commit_card(rt, session, directive, now)


async def report_done(
    rt: Runtime,
    actor_id: int,
    code: str,
    text: str,
    *,
    now: datetime,
    file_id: str | None = None,
    unit_code: str | None = None,
    expected_version: int | None = None,
) -> Card:
    async with rt.transaction() as session:
        actor, directive, assignment = await _unit_move(
            session, actor_id, code, Move.REPORT_DONE, unit_code, expected_version
        )
        text = check_text(text, rt.settings.max_text_chars, key="report")
        if assignment.reported_done_at is not None:
            raise DomainError("done.already_reported", code=directive.code)
        before = directive.state
        assignment.acknowledged_at = assignment.acknowledged_at or now
        assignment.reported_done_at = now
        assignment.last_report, assignment.last_report_at = text, now
        all_reported = all(a.reported_done_at is not None for a in directive.assignments if a.role == "lead")
        directive.state = transition(directive.state, Move.REPORT_DONE if all_reported else Move.PROGRESS)
        if all_reported:
            directive.reported_on = local_date(now, rt.settings.tz)
        _touch(directive, now)
        event = record(
            session,
            directive,
            actor,
            "done_reported",
            now,
            unit=assignment.unit.code,
            text=text,
            file_id=file_id,
            before={"state": before},
            after={"state": directive.state},
        )
        if all_reported:
            await notify.void_reminders(session, directive, all_versions=True)
            chats = await notify.deciders_of(session, directive)
            await notify.enqueue(
                session,
                event,
                directive,
                chats,
                "notify.done_reported",
                now,
                exclude=actor.telegram_id,
                code=directive.code,
                unit=assignment.unit.name,
                text=text,
            )
        return await _commit_card(rt, session, directive, now)


async def _decision(
    rt: Runtime,
    actor_id: int,
    code: str,
    move: Move,
    kind: str,
    *,
    now: datetime,
    reason: str | None,
    reason_required: bool,
    expected_version: int | None,
) -> Card:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code, expected_version)
        check_move(actor.role, move, actor_unit=None, lead_units=set(), support_units=set())
        before = directive.state
        directive.state = transition(directive.state, move)
        reason = check_text(reason, MAX_REASON_CHARS, required=reason_required, key="reason") or None
        if move == Move.CONFIRM:
            reported = [
                a.reported_done_at for a in directive.assignments if a.role == "lead" and a.reported_done_at
            ]
            directive.completed_on = local_date(max(reported) if reported else now, rt.settings.tz)
        elif move in (Move.SEND_BACK, Move.REOPEN):
            for a in directive.assignments:
                a.reported_done_at = None
            directive.completed_on = directive.reported_on = None
        if move == Move.CANCEL:
            directive.cancel_reason = reason
            directive.cancelled_on = local_date(now, rt.settings.tz)
            request = await pending_extension(session, directive.id)
            if request is not None:
                request.status = "void"
        if move in (Move.CONFIRM, Move.CANCEL):
            await notify.void_reminders(session, directive, all_versions=True)
            if move == Move.CONFIRM:
                await recurrence.spawn_next(rt, session, directive, now)
        else:
            await reminders.schedule(rt, session, directive, now)
        _touch(directive, now)
        event = record(
            session,
            directive,
            actor,
            kind,
            now,
            reason=reason,
            before={"state": before},
            after={"state": directive.state, "completed_on": directive.completed_on},
        )
        chats = await notify.unit_chats(session, [a.unit_id for a in directive.assignments])
        await notify.enqueue(
            session,
            event,
            directive,
            chats,
            f"notify.{kind}",
            now,
            exclude=actor.telegram_id,
            code=directive.code,
            reason=reason or "",
        )
        return await _commit_card(rt, session, directive, now)


async def confirm_done(
    rt: Runtime, actor_id: int, code: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    return await _decision(
        rt,
        actor_id,
        code,
        Move.CONFIRM,
        "confirmed",
        now=now,
        reason=None,
        reason_required=False,
        expected_version=expected_version,
    )


async def send_back(
    rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    return await _decision(
        rt,
        actor_id,
        code,
        Move.SEND_BACK,
        "sent_back",
        now=now,
        reason=reason,
        reason_required=True,
        expected_version=expected_version,
    )


async def reopen(
    rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    return await _decision(
        rt,
        actor_id,
        code,
        Move.REOPEN,
        "reopened",
        now=now,
        reason=reason,
        reason_required=True,
        expected_version=expected_version,
    )


async def cancel(
    rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    return await _decision(
        rt,
        actor_id,
        code,
        Move.CANCEL,
        "cancelled",
        now=now,
        reason=reason,
        reason_required=True,
        expected_version=expected_version,
    )
