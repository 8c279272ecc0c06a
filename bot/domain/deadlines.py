"""Deadline helpers: local day of an instant, and the rules a new deadline must meet."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar, end_of_month
from bot.errors import DomainError

MAX_YEARS_AHEAD = 10


def local_date(now: datetime, tz: ZoneInfo) -> date:
    if now.tzinfo is None:
        raise ValueError("naive datetime")
    return now.astimezone(tz).date()


def due_day(deadline: date | None, calendar: WorkingCalendar) -> date | None:
    """The day a deadline really ends: the deadline itself, or the next working day when it falls on a
    weekend or holiday (Bộ luật Dân sự 2015, Điều 148: a period ending on a day off ends with the next
    working day). The leader's date is kept as written; lateness is judged against this day."""
    return None if deadline is None else calendar.next_working_day(deadline)


def check_new_deadline(deadline: date | None, today: date) -> None:
    """A new deadline may be today or later, within reason; None means a standing task."""
    if deadline is None:
        return
    if deadline < today:
        raise DomainError("deadline.past", date=deadline)
    if deadline.year > today.year + MAX_YEARS_AHEAD:
        raise DomainError("deadline.too_far", date=deadline)


def next_occurrence(deadline: date, recurrence: str, day: int | None = None) -> date:
    """The next deadline of a recurring directive: a week, month, quarter or year later. `day` is the
    series' day of the month when a short month cut it (the 30th, after 28/02); without it a month end
    stays a month end. The 31st becomes the month's last day."""
    if recurrence == "weekly":
        return deadline + timedelta(days=7)
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[recurrence]
    index = deadline.year * 12 + deadline.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if day is not None and day >= deadline.day:
        return date(year, month + 1, min(day, last))
    was_month_end = deadline.day == calendar.monthrange(deadline.year, deadline.month)[1]
    return date(year, month + 1, last if was_month_end else min(deadline.day, last))


def quick_deadlines(today: date, working: WorkingCalendar) -> list[tuple[str, date | None]]:
    """The deadlines offered as buttons: 5 and 10 working days, end of week (the coming Friday at the
    weekend), end of month, and none (a standing task)."""
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    return [("w5", working.add_working_days(today, 5)), ("w10", working.add_working_days(today, 10)),
            ("eow", friday), ("eom", end_of_month(today.year, today.month)), ("none", None)]


_ROMAN = ("I", "II", "III", "IV")


def occurrence_period(deadline: date, recurrence: str) -> tuple[str, dict[str, object]]:
    """The period one occurrence of a recurring directive covers (its deadline's week, month, quarter or
    year), as a catalogue key and its parameters: 'kỳ tháng 12/2026'."""
    if recurrence == "weekly":
        monday = deadline - timedelta(days=deadline.weekday())
        return "occurrence.week", {"start": monday, "end": monday + timedelta(days=6)}
    if recurrence == "quarterly":
        return "occurrence.quarter", {"quarter": _ROMAN[(deadline.month - 1) // 3], "year": str(deadline.year)}
    if recurrence == "yearly":
        return "occurrence.year", {"year": str(deadline.year)}
    return "occurrence.month", {"month": f"{deadline.month:02d}", "year": str(deadline.year)}
