"""The figures of a report and what it is about (the rule they follow: bot/reports/numbers.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.errors import DomainError

# Class codes (rule 3), as bot/reports/rows.py's class_case computes them.
CANCELLED, STANDING = "x", "s"
DONE_ON_TIME, DONE_LATE = "dt", "dl"
AWAITING_ON_TIME, AWAITING_LATE = "wt", "wl"
ON_TIME, OVERDUE = "ot", "ol"
MAX_OVERDUE_LIST = 20


@dataclass(frozen=True)
class Counts:
    carried: int = 0
    new: int = 0
    done_on_time: int = 0
    done_late: int = 0
    on_time: int = 0  # open in time at A (awaiting confirmation included)
    overdue: int = 0  # open past due at A (awaiting confirmation reported late included)
    standing: int = 0
    awaiting: int = 0  # of which awaiting confirmation (in on_time/overdue, or standing)
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.carried + self.new

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def due(self) -> int:
        return self.done_on_time + self.done_late + self.overdue

    @property
    def rate(self) -> float | None:
        return self.done_on_time / self.due if self.due else None

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(as_tuple(self), as_tuple(other), strict=True)))


def as_tuple(counts: Counts) -> tuple[int, ...]:
    return (counts.carried, counts.new, counts.done_on_time, counts.done_late, counts.on_time, counts.overdue,
            counts.standing, counts.awaiting, counts.cancelled)


def of_class(cls: str, is_new: bool, n: int) -> Counts:
    """n directives of one class, either new in the period or carried over."""
    if cls == CANCELLED:
        return Counts(cancelled=n)
    fields: dict[str, int] = {"new" if is_new else "carried": n}
    if cls == STANDING:
        fields["standing"] = n
    elif cls == DONE_ON_TIME:
        fields["done_on_time"] = n
    elif cls == DONE_LATE:
        fields["done_late"] = n
    elif cls in (ON_TIME, AWAITING_ON_TIME):
        fields["on_time"] = n
    else:
        fields["overdue"] = n
    if cls in (AWAITING_ON_TIME, AWAITING_LATE):
        fields["awaiting"] = n
    return Counts(**fields)


@dataclass(frozen=True)
class Scope:
    """What a report is about: a period, the day status is judged on, and optionally one lead unit."""

    start: date
    end: date
    as_of: date
    unit_code: str | None = None
    period: str | None = None  # as asked (2026-11, 2026-Q4 …), for labels and buttons

    @property
    def seen_until(self) -> date:
        """The last assignment day the report can know of."""
        return min(self.end, self.as_of)


def make_scope(start: date, end: date, today: date, as_of: date | None = None, unit_code: str | None = None,
               period: str | None = None) -> Scope:
    """The as-of date defaults to the period's end, or today while the period runs."""
    as_of = as_of or min(end, today)
    if as_of < start:
        raise DomainError("report.as_of_before_start", as_of=as_of, start=start)
    if as_of > today:
        raise DomainError("report.as_of_future", as_of=as_of)
    return Scope(start, end, as_of, unit_code.strip().upper() if unit_code else None, period)


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    lead: Counts = field(default_factory=Counts)
    support: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class LeaderRow:
    name: str | None  # None: no leader recorded
    counts: Counts


@dataclass(frozen=True)
class OverdueItem:
    code: str
    content: str
    lead: tuple[str, ...]  # lead unit names
    deadline: date
    due_on: date
    days_late: int
    awaiting: bool


@dataclass(frozen=True)
class Report:
    scope: Scope
    unit_name: str | None
    total: Counts
    units: tuple[UnitRow, ...]  # lead rows first by code; units that only support come last
    leaders: tuple[LeaderRow, ...]
    overdue: tuple[OverdueItem, ...]  # the most overdue first, at most MAX_OVERDUE_LIST


@dataclass(frozen=True)
class Rates:
    """A report's on-time rates alone (rule 5): its total's and each lead unit's by code (a unit with nothing
    due: None, or absent). What the dashboard shows of the period before, read without the rest."""

    scope: Scope
    total: float | None
    units: dict[str, float | None]

    def of(self, unit_code: str | None) -> float | None:
        """The total's rate (None), or a unit's."""
        return self.total if unit_code is None else self.units.get(unit_code)
