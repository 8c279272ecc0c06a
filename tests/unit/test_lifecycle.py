from datetime import date

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.deadlines import due_day
from bot.domain.lifecycle import Move, State, Status, allowed_moves, status_of, transition
from bot.errors import DomainError

CAL = WorkingCalendar()
TODAY = date(2026, 11, 20)


def test_confirming_what_was_never_reported_is_an_illegal_move():
    with pytest.raises(DomainError) as error:
        transition(State.IN_PROGRESS, Move.CONFIRM)
    assert error.value.key == "lifecycle.illegal"


def test_a_done_directive_can_only_be_reopened():
    assert allowed_moves(State.DONE) == {Move.REOPEN}


def test_a_cancelled_directive_allows_nothing():
    assert allowed_moves(State.CANCELLED) == frozenset()


def test_sending_back_returns_the_work_to_the_unit():
    assert transition(State.AWAITING, Move.SEND_BACK) == State.IN_PROGRESS


@pytest.mark.parametrize(
    ("state", "deadline", "completed", "expected"),
    [
        (State.IN_PROGRESS, date(2026, 11, 30), None, Status.ON_TIME),
        (State.IN_PROGRESS, date(2026, 11, 19), None, Status.OVERDUE),
        (State.IN_PROGRESS, None, None, Status.ON_TIME),
        (State.DONE, date(2026, 11, 19), date(2026, 11, 19), Status.DONE_ON_TIME),
        (State.DONE, date(2026, 11, 19), date(2026, 11, 20), Status.DONE_LATE),
        (State.AWAITING, date(2026, 11, 19), None, Status.AWAITING),
        (State.CANCELLED, date(2026, 11, 19), None, Status.CANCELLED),
    ],
)
def test_the_status_class_follows_the_deadline_in_force_and_the_completion_day(state, deadline, completed, expected):
    assert status_of(state, deadline, completed, TODAY, CAL).status == expected


def test_the_deadline_day_itself_is_still_on_time():
    assert status_of(State.IN_PROGRESS, TODAY, None, TODAY, CAL).status == Status.ON_TIME


def test_due_soon_counts_working_days_so_a_holiday_stretches_the_window():
    # 24/11/2026 is a public holiday: 27/11 is only 4 working days after 20/11 (21-22 weekend).
    assert status_of(State.IN_PROGRESS, date(2026, 11, 27), None, TODAY, CAL, due_soon_working_days=4).due_soon
    assert not status_of(State.IN_PROGRESS, date(2026, 12, 8), None, TODAY, CAL, due_soon_working_days=4).due_soon


def test_a_deadline_on_a_saturday_runs_to_the_end_of_the_next_working_day():
    saturday = date(2026, 11, 28)
    assert due_day(saturday, CAL) == date(2026, 11, 30)
    due = due_day(saturday, CAL)
    assert status_of(State.IN_PROGRESS, due, None, date(2026, 11, 30), CAL).status == Status.ON_TIME
    late = status_of(State.IN_PROGRESS, due, None, date(2026, 12, 1), CAL)
    assert (late.status, late.days_late) == (Status.OVERDUE, 1)
    assert status_of(State.DONE, due, date(2026, 11, 30), date(2026, 12, 5), CAL).status == Status.DONE_ON_TIME
