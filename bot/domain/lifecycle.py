"""The life of a directive (DESIGN §3) as pure transitions, and the status classes people see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.calendar import WorkingCalendar
from bot.errors import DomainError


class State(StrEnum):
    DRAFT = "draft"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    AWAITING = "awaiting_confirmation"
    DONE = "done"
    CANCELLED = "cancelled"


class Move(StrEnum):
    CONFIRM_DRAFT = "confirm_draft"
    EDIT_DRAFT = "edit_draft"
    DISCARD = "discard"
    ACKNOWLEDGE = "acknowledge"
    PROGRESS = "progress"
    REPORT_DONE = "report_done"
    CONFIRM = "confirm"
    SEND_BACK = "send_back"
    REOPEN = "reopen"
    CANCEL = "cancel"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"


# The one home of these sets; SQL says them through `bot.domain.lifecycle.sql_in` (storage.models).
OPEN_STATES = frozenset({State.ASSIGNED, State.IN_PROGRESS, State.AWAITING})
WORKING_STATES = frozenset({State.ASSIGNED, State.IN_PROGRESS})

# Which moves each state allows, and where they lead. REPORT_DONE may stay IN_PROGRESS while other
# lead units have not reported yet; the service decides that with `after_report_done`.
_TRANSITIONS: dict[tuple[State, Move], State] = {
    (State.DRAFT, Move.CONFIRM_DRAFT): State.ASSIGNED,
    (State.DRAFT, Move.EDIT_DRAFT): State.DRAFT,
    (State.DRAFT, Move.DISCARD): State.CANCELLED,
    (State.ASSIGNED, Move.ACKNOWLEDGE): State.IN_PROGRESS,
    (State.IN_PROGRESS, Move.ACKNOWLEDGE): State.IN_PROGRESS,
    (State.AWAITING, Move.ACKNOWLEDGE): State.AWAITING,
    (State.ASSIGNED, Move.PROGRESS): State.IN_PROGRESS,
    (State.IN_PROGRESS, Move.PROGRESS): State.IN_PROGRESS,
    (State.ASSIGNED, Move.REPORT_DONE): State.AWAITING,
    (State.IN_PROGRESS, Move.REPORT_DONE): State.AWAITING,
    (State.AWAITING, Move.CONFIRM): State.DONE,
    (State.AWAITING, Move.SEND_BACK): State.IN_PROGRESS,
    (State.DONE, Move.REOPEN): State.IN_PROGRESS,
    (State.ASSIGNED, Move.CANCEL): State.CANCELLED,
    (State.IN_PROGRESS, Move.CANCEL): State.CANCELLED,
    (State.AWAITING, Move.CANCEL): State.CANCELLED,
    (State.ASSIGNED, Move.REQUEST_EXTENSION): State.ASSIGNED,
    (State.IN_PROGRESS, Move.REQUEST_EXTENSION): State.IN_PROGRESS,
    (State.ASSIGNED, Move.DECIDE_EXTENSION): State.ASSIGNED,
    (State.IN_PROGRESS, Move.DECIDE_EXTENSION): State.IN_PROGRESS,
    (State.AWAITING, Move.DECIDE_EXTENSION): State.AWAITING,
}


def transition(state: State | str, move: Move) -> State:
    """The state after `move`, or DomainError('lifecycle.illegal') when the state does not allow it."""
    state = State(state)
    try:
        return _TRANSITIONS[(state, move)]
    except KeyError:
        raise DomainError("lifecycle.illegal", move=move.value, state=state.value) from None


def allowed_moves(state: State | str) -> frozenset[Move]:
    state = State(state)
    return frozenset(move for (s, move) in _TRANSITIONS if s == state)


def after_report_done(state: State | str, all_leads_reported: bool) -> State:
    """A directive awaits confirmation once every lead unit has reported done."""
    return transition(state, Move.REPORT_DONE if all_leads_reported else Move.PROGRESS)


class Status(StrEnum):
    """The official categories people see, plus draft, awaiting confirmation and cancelled."""

    DRAFT = "draft"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    ON_TIME = "in_progress_on_time"
    OVERDUE = "in_progress_overdue"
    AWAITING = "awaiting_confirmation"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class StatusView:
    status: Status
    due_soon: bool = False
    days_late: int = 0  # calendar days past the deadline, for open or late-done directives


def status_of(
    state: State | str,
    due_on: date | None,
    completed_on: date | None,
    today: date,
    calendar: WorkingCalendar,
    due_soon_working_days: int = 5,
) -> StatusView:
    """The class people see, judged against the day the deadline really ends (`due_on`: the next working
    day when the leader's date is a day off); days late count from then."""
    state = State(state)
    if state == State.DRAFT:
        return StatusView(Status.DRAFT)
    if state == State.CANCELLED:
        return StatusView(Status.CANCELLED)
    due = due_on
    if state == State.DONE:
        if due is None or completed_on is None or completed_on <= due:
            return StatusView(Status.DONE_ON_TIME)
        return StatusView(Status.DONE_LATE, days_late=(completed_on - due).days)
    late = (today - due).days if due is not None and today > due else 0
    if state == State.AWAITING:
        return StatusView(Status.AWAITING, days_late=late)
    if late:
        return StatusView(Status.OVERDUE, days_late=late)
    return StatusView(Status.ON_TIME, due_soon=is_due_soon(due, today, calendar, due_soon_working_days))


def due_soon_until(today: date, calendar: WorkingCalendar, working_days: int) -> date:
    """The last day a deadline is "due soon" on (sắp đến hạn): the cards, the lists and the digests."""
    return calendar.add_working_days(today, working_days)


def is_due_soon(due_on: date | None, today: date, calendar: WorkingCalendar, working_days: int) -> bool:
    return due_on is not None and today <= due_on <= due_soon_until(today, calendar, working_days)


def is_working_state(state: State | str) -> bool:
    return State(state) in WORKING_STATES


def phase_of(state: State | str) -> str:
    """Where a directive's round stands, for a typed answer: being worked on (assigned or in progress are
    one phase: an acknowledgement does not void an answer), awaiting confirmation, done …"""
    state = State(state)
    return "working" if state in WORKING_STATES else state.value
