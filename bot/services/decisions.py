"""Use cases of the office and leaders on an assigned directive: decide an extension, confirm or send
back a report, reopen, cancel. Every refusal carries a reason the unit is shown."""

from __future__ import annotations

from datetime import datetime

from bot.domain.deadlines import local_date
from bot.domain.lifecycle import Move, transition
from bot.domain.policy import check
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import notify, recurrence, reminders
from bot.services.common import (
    MAX_REASON_CHARS,
    check_text,
    load_actor,
    load_directive,
    pending_extension,
    record,
    set_deadline,
    standing_of,
)
from bot.services.drafts import commit_card
from bot.services.views import Card


async def decide_extension(
    rt: Runtime, actor_id: int, code: str, approve: bool, *, now: datetime, note: str | None = None,
    expected_version: int | None = None, request_id: int | None = None,
) -> Card:
    """Approve (the deadline moves, the old one stays in history) or refuse, which needs a reason. A
    decision made on a request the decider saw (`request_id`) never lands on a later one."""
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code, expected_version)
        check(actor.role, Move.DECIDE_EXTENSION, await standing_of(session, directive))
        request = await pending_extension(session, directive.id)
        assert request is not None  # the rule checked that one is pending
        if request_id is not None and request.id != request_id:
            raise DomainError("action.stale")
        note = check_text(note, MAX_REASON_CHARS, required=not approve, key="reason") or None
        request.status = "approved" if approve else "refused"
        request.decided_by, request.decided_at, request.decision_note = actor.id, now, note
        before = directive.deadline
        if approve:
            if request.new_deadline < local_date(now, rt.settings.tz):
                raise DomainError("extension.date_passed", date=request.new_deadline)
            set_deadline(rt, directive, request.new_deadline)
            directive.deadline_version += 1
            await reminders.schedule(rt, session, directive, now)
        directive.updated_at = now
        event = record(session, directive, actor, "extension_approved" if approve else "extension_refused", now,
                       before={"deadline": before}, after={"deadline": directive.deadline},
                       new_deadline=request.new_deadline, note=note)
        # A new deadline concerns every unit on the directive and the leader who assigned it; a refusal, the
        # unit that asked.
        chats = (await notify.unit_chats(session, [a.unit_id for a in directive.assignments])
                 | await notify.deciders_of(session, directive)) if approve \
            else await notify.unit_chats(session, [request.unit_id])
        await notify.enqueue(session, event, directive, chats,
                             "notify.extension_approved" if approve else "notify.extension_refused", now,
                             exclude=actor.telegram_id, code=directive.code, content=directive.content,
                             new_deadline=request.new_deadline, reason=note or "—", by=actor.full_name)
        return await commit_card(rt, session, directive, now)


async def _decision(
    rt: Runtime, actor_id: int, code: str, move: Move, kind: str, *, now: datetime, reason: str | None,
    expected_version: int | None, expected_round: str | None = None,
) -> Card:
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code, expected_version, expected_round)
        check(actor.role, move, await standing_of(session, directive))
        before = directive.state
        directive.state = transition(directive.state, move)
        reason = check_text(reason, MAX_REASON_CHARS, required=move != Move.CONFIRM, key="reason") or None
        if move == Move.CONFIRM:
            reported = [a.reported_done_at for a in directive.assignments if a.role == "lead" and a.reported_done_at]
            directive.completed_on = local_date(max(reported) if reported else now, rt.settings.tz)
        elif move in (Move.SEND_BACK, Move.REOPEN):
            for assignment in directive.assignments:
                assignment.reported_done_at = None
            directive.completed_on = directive.reported_on = None
            # The reminders voided when the work was reported done keep their keys: a new plan needs new ones.
            directive.deadline_version += 1
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
            await reminders.schedule(rt, session, directive, now, again=True)
        directive.updated_at = now
        event = record(session, directive, actor, kind, now, reason=reason, before={"state": before},
                       after={"state": directive.state, "completed_on": directive.completed_on,
                              "deadline_version": directive.deadline_version})
        chats = await notify.unit_chats(session, [a.unit_id for a in directive.assignments])
        await notify.enqueue(session, event, directive, chats, f"notify.{kind}", now, exclude=actor.telegram_id,
                             code=directive.code, content=directive.content, reason=reason or "",
                             by=actor.full_name)
        return await commit_card(rt, session, directive, now)


async def confirm_done(
    rt: Runtime, actor_id: int, code: str, *, now: datetime, expected_version: int | None = None
) -> Card:
    return await _decision(rt, actor_id, code, Move.CONFIRM, "confirmed", now=now, reason=None,
                           expected_version=expected_version)


async def send_back(
    rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime, expected_version: int | None = None,
    expected_round: str | None = None,
) -> Card:
    return await _decision(rt, actor_id, code, Move.SEND_BACK, "sent_back", now=now, reason=reason,
                           expected_version=expected_version, expected_round=expected_round)


async def reopen(
    rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime, expected_version: int | None = None,
    expected_round: str | None = None,
) -> Card:
    return await _decision(rt, actor_id, code, Move.REOPEN, "reopened", now=now, reason=reason,
                           expected_version=expected_version, expected_round=expected_round)


async def cancel(
    rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime, expected_version: int | None = None,
    expected_round: str | None = None,
) -> Card:
    return await _decision(rt, actor_id, code, Move.CANCEL, "cancelled", now=now, reason=reason,
                           expected_version=expected_version, expected_round=expected_round)

