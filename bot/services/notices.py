"""Who is told of what happens to a directive, and with what notice.

A notice is data — a catalogue text, its parameters, more lines, the files it forwards — addressed to an
audience (units, the office, a person), never to a chat: each address's channel renders it when it is
sent, in its reader's language. The person who made the move is never told of it.

    event                   told                                           text
    assigned, recurred,     each unit, as lead or as support               notify.assigned
      imported (open)
    progress, done_reported the office and the leader who assigned it      notify.progress / notify.done_reported
                              (the leader only when the report says           (+ files)
                              something: a file, or more than «ok»)
    files_added             the office and the leader who assigned it      notify.files_added (+ files)
    extension_requested     the office and the leader who assigned it      notify.extension_requested
    extension_approved      every unit, the office and the leader          notify.extension_approved
    extension_refused       the unit that asked and the office             notify.extension_refused
    sent_back, cancelled    every unit and the leader who assigned it      notify.<event>
    confirmed, reopened     every unit                                     notify.<event>
    drafted, edited, discarded, acknowledged: nobody

A unit is told once (storage/addressing.py: unit_copies): in its registered group, else by each focal
point. What asks nothing of its readers (a progress report, files added, the office's confirmation, a support
unit's new task not due soon) goes with the reader's next message of the day, at the latest an hour before
the send window closes (`later`). The same table, row by row, is in ARCHITECTURE.md and tested in tests/unit/test_who_is_told.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.domain import events as ev
from bot.domain.deadlines import occurrence_period
from bot.domain.directive import LEAD, Directive
from bot.domain.lifecycle import State
from bot.domain.reminders import later_until
from bot.domain.text import substantial
from bot.services.ports import Audience, Person, Row, UnitOfWork


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_iso(v) for v in value]
    return value.isoformat() if isinstance(value, date | datetime) else value


def units_of(d: Directive, role: str | None = None) -> frozenset[int]:
    return frozenset(p.unit_id for p in d.parts if p.unit_id is not None and (role is None or p.role == role))


def deciders(d: Directive) -> Audience:
    """Whom a unit's request or report concerns: the office and the leader who assigned it."""
    return Audience(office=True, people=frozenset({d.assigned_by_id}) if d.assigned_by_id else frozenset())


def assigner(d: Directive) -> Audience:
    """The person who assigned it (a leader, or the office's clerk)."""
    return Audience(people=frozenset({d.assigned_by_id}) if d.assigned_by_id else frozenset())


def directive_lines(d: Directive, leader: str | None) -> list[dict[str, Any]]:
    """The lines a notice about a directive adds below its text: the period of a recurring one, who
    directed it and the source document with its date (each only when known)."""
    lines: list[dict[str, Any]] = []
    if d.recurrence and d.deadline:
        key, params = occurrence_period(d.deadline, d.recurrence)
        lines.append({"key": "line.period", "params": {"recurrence": {"key": f"recurrence.{d.recurrence}"},
                                                       "period": {"key": key, "params": _iso(params)}}})
    if leader:
        lines.append({"key": "line.leader", "params": {"leader": leader}})
    if d.source_number:
        key = "line.source_dated" if d.source_date else "line.source"
        lines.append({"key": key, "params": _iso({"source": d.source_number, "date": d.source_date})})
    return lines


async def notify(uow: UnitOfWork, d: Directive | None, event_id: int, audience: Audience, key: str,
                 at: datetime, *, exclude_person: int | None = None, lines: list[dict[str, Any]] | None = None,
                 files: list[dict[str, Any]] | None = None, due_at: datetime | None = None,
                 extra: dict[str, Any] | None = None, later: bool = False, **params: Any) -> int:
    """One outbox row per address of the audience (reachable ones, none to `exclude_person`); `later`: a
    notice nobody needs at once, sent with the reader's next message or at `due_at` (ports.Row.later)."""
    addresses = await uow.outbox.addresses(audience, exclude_person=exclude_person)
    if not addresses:
        return 0
    payload: dict[str, Any] = {"text": key, "params": _iso(params), "code": d.code if d else None}
    if lines:
        payload["lines"] = lines
    if files:
        payload["files"] = files
    payload.update(_iso(extra or {}))
    rows = [Row(f"event:{event_id}:@{address}", address, "notify", payload, due_at or at,
                d.deadline_version if d is not None else 0, later) for address in sorted(addresses)]
    return await uow.outbox.add(rows, d, at)


async def _leader(uow: UnitOfWork, person_id: int | None) -> str | None:
    """Who directed a directive that names no leader: the person who assigned it, when a leader (an office
    clerk who typed or imported it is no directing leader)."""
    return await uow.people.directing(person_id)


NEAR_WORKING_DAYS = 2  # a deadline this close makes a support unit's new task news to tell at once


def _due_or(due_at: datetime | None, at: datetime) -> datetime:
    return due_at if due_at is not None and due_at > at else at


def _later(uow: UnitOfWork, at: datetime) -> datetime:
    """When a notice that may wait goes at the latest (bot.domain.reminders.later_until)."""
    return later_until(at, uow.policy, uow.rules.calendar, uow.rules.tz)


def _near(uow: UnitOfWork, d: Directive, at: datetime) -> bool:
    due = uow.rules.due(d.deadline)
    return due is not None and due <= uow.rules.calendar.add_working_days(uow.rules.today(at), NEAR_WORKING_DAYS)


async def on_event(uow: UnitOfWork, d: Directive, event: ev.Event, event_id: int, actor: Person | None, *,
                   files: list[dict[str, Any]], due_at: datetime | None) -> None:
    """Tell whoever the table above says of `event`."""
    me = actor.id if actor is not None else None
    base: dict[str, Any] = {"code": d.code, "content": d.content}
    by = actor.full_name if actor is not None else None
    if isinstance(event, ev.Created | ev.Assigned) and not isinstance(event, ev.Drafted):
        if d.state in (State.DRAFT, State.DONE, State.CANCELLED):
            return  # a draft waits; an imported piece of history is told to nobody
        leader = d.leader_name or await _leader(uow, d.assigned_by_id)
        lines = directive_lines(d, leader)
        for role in (LEAD, "support"):
            # A support unit's part is not pressing unless the deadline is near: it goes with the unit's next
            # message of the day (the lead unit is told at once).
            later = role != LEAD and not _near(uow, d, event.at)
            await notify(uow, d, event_id, Audience(units=units_of(d, role)), "notify.assigned", event.at,
                         exclude_person=me, lines=lines, later=later,
                         due_at=_later(uow, _due_or(due_at, event.at)) if later else due_at,
                         deadline=d.deadline or {"key": "deadline.standing"}, role={"key": f"unit_role.{role}"},
                         **base)
        return
    if isinstance(event, ev.ProgressReported | ev.FilesAdded | ev.ExtensionRequested):
        unit = (await uow.units.names([event.unit])).get(event.unit, event.unit)
        if isinstance(event, ev.ExtensionRequested):
            await notify(uow, d, event_id, deciders(d), "notify.extension_requested", event.at, exclude_person=me,
                         unit=unit, new_deadline=event.new_deadline, reason=event.reason, **base)
        elif isinstance(event, ev.FilesAdded):
            # More files for a report already sent: they go with the readers' next message (after the report
            # they follow, when that waits too), at the latest an hour before the send window closes.
            await notify(uow, d, event_id, deciders(d), "notify.files_added", event.at, exclude_person=me,
                         files=files, unit=unit, count=len(event.files), later=True,
                         due_at=_later(uow, event.at), **base)
        else:
            key = "notify.done_reported" if isinstance(event, ev.DoneReported) else "notify.progress"
            # A report that says nothing («ok») goes to the office only; the reporter is asked for substance.
            audience = deciders(d) if substantial(event.text, files=len(event.files)) else Audience(office=True)
            # A progress report asks nothing of its readers: it goes with their next message of the day, at the
            # latest an hour before the send window closes (a done report waits for a decision: at once).
            later = not isinstance(event, ev.DoneReported)
            await notify(uow, d, event_id, audience, key, event.at, exclude_person=me, files=files, unit=unit,
                         text=event.text, later=later, due_at=_later(uow, event.at) if later else None, **base)
        return
    if isinstance(event, ev.ExtensionApproved | ev.ExtensionRefused):
        approved = isinstance(event, ev.ExtensionApproved)
        asked = Audience(units=frozenset(p.unit_id for p in d.parts if p.unit == event.unit and p.unit_id))
        audience = (Audience(units=units_of(d)) | deciders(d)) if approved else asked | Audience(office=True)
        await notify(uow, d, event_id, audience, f"notify.{event.kind}", event.at, exclude_person=me,
                     new_deadline=event.new_deadline, reason=event.note or "—", by=by, **base)
        return
    if isinstance(event, ev.Decided):
        audience = Audience(units=units_of(d))
        if isinstance(event, ev.SentBack | ev.Cancelled):
            audience = audience | assigner(d)
        # The office's confirmation asks nothing of the units: it goes with their next message of the day, at
        # the latest an hour before the send window closes (the others are news they may act on at once).
        later = isinstance(event, ev.Confirmed)
        await notify(uow, d, event_id, audience, f"notify.{event.kind}", event.at,
                     exclude_person=me, reason=event.reason or "", by=by, later=later,
                     due_at=_later(uow, event.at) if later else None, **base)
