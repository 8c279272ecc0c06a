"""A directive's report class as a timeline: the days its class (DESIGN §7, bot/reports/numbers.py) changes.

A report judges each directive as of a day A. Its class as of A only changes on a few days: the day it
was assigned, reported, done or cancelled, and the day after its deadline. Written as marks (+1 entering a
class on a day, −1 leaving it), the directives in class c as of A are the sum of c's marks up to A, and
those that entered a final class within a period are the sum of its marks within the period. Kept summed
per day, month and all time (storage/tallies.py), a year's report reads a few thousand sums, not a million
rows.

Classes: the report's own (bot/reports/numbers.py), with "standing" split into open and done, since a
standing task done before a period began is not carried into it, plus BORN, one mark on the day assigned.
FINAL classes never change again: done on time, done late, cancelled and standing done."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

BORN = "b"
CANCELLED, STANDING, STANDING_DONE = "x", "s", "sd"
DONE_ON_TIME, DONE_LATE = "dt", "dl"
AWAITING_ON_TIME, AWAITING_LATE = "wt", "wl"
ON_TIME, OVERDUE = "ot", "ol"
FINAL = frozenset({CANCELLED, STANDING_DONE, DONE_ON_TIME, DONE_LATE})
OPEN = frozenset({STANDING, AWAITING_ON_TIME, AWAITING_LATE, ON_TIME, OVERDUE})


class Dates(NamedTuple):
    assigned_on: date | None
    due_on: date | None
    reported_on: date | None
    completed_on: date | None
    cancelled_on: date | None


class Mark(NamedTuple):
    cls: str
    day: date
    delta: int


def class_on(dates: Dates, day: date) -> str:
    """The class as of `day` (on or after the day it was assigned): rows.class_case, in Python."""
    _, due, reported, completed, cancelled = dates
    if cancelled is not None and cancelled <= day:
        return CANCELLED
    if due is None:
        return STANDING_DONE if completed is not None and completed <= day else STANDING
    if completed is not None and completed <= day:
        return DONE_ON_TIME if completed <= due else DONE_LATE
    if reported is not None and reported <= day:
        return AWAITING_ON_TIME if reported <= due else AWAITING_LATE
    return ON_TIME if due >= day else OVERDUE


def marks(dates: Dates) -> tuple[Mark, ...]:
    """The marks of one directive; none for a draft. A date before the assignment day counts from it."""
    born = dates.assigned_on
    if born is None:
        return ()
    changes = {born}
    for day in (dates.reported_on, dates.completed_on, dates.cancelled_on):
        if day is not None:
            changes.add(max(day, born))
    if dates.due_on is not None and dates.due_on < date.max:
        changes.add(max(dates.due_on + timedelta(days=1), born))
    found = [Mark(BORN, born, 1)]
    previous = None
    for day in sorted(changes):
        current = class_on(dates, day)
        if current != previous:
            if previous is not None:
                found.append(Mark(previous, day, -1))
            found.append(Mark(current, day, 1))
            previous = current
    return tuple(found)
