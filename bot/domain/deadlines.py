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


def check_new_deadline(deadline: date | None, today: date) -> None:
    """A new deadline may be today or later, within reason; None means a standing task."""
    if deadline is None:
        return
    if deadline < today:
        raise DomainError("deadline.past", date=deadline)
    if deadline.year > today.year + MAX_YEARS_AHEAD:
        raise DomainError("deadline.too_far", date=deadline)


def parse_user_date(text: str, today: date) -> date:
    """dd/mm or dd/mm/yyyy (also with '-' or '.'); a date without year is the next one on or after today."""
    parts = text.strip().replace("-", "/").replace(".", "/").split("/")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise DomainError("deadline.unreadable", text=text[:40]) from None
    if len(numbers) == 2:
        day, month = numbers
        year = today.year
    elif len(numbers) == 3:
        day, month, year = numbers
        if year < 100:
            year += 2000
    else:
        raise DomainError("deadline.unreadable", text=text[:40])
    try:
        result = date(year, month, day)
    except ValueError:
        raise DomainError("deadline.impossible", text=text[:40]) from None
    if len(numbers) == 2 and result < today:
        try:
            result = date(year + 1, month, day)
        except ValueError:
            raise DomainError("deadline.impossible", text=text[:40]) from None
    return result


def next_occurrence(deadline: date, recurrence: str) -> date:
    """The next deadline of a recurring directive: a week, month, quarter or year later (month ends stay
    month ends, and the 31st becomes the month's last day)."""
    if recurrence == "weekly":
        return deadline + timedelta(days=7)
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[recurrence]
    index = deadline.year * 12 + deadline.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    was_month_end = deadline.day == calendar.monthrange(deadline.year, deadline.month)[1]
    return date(year, month + 1, last if was_month_end else min(deadline.day, last))


def quick_deadlines(today: date, working: WorkingCalendar) -> list[tuple[str, date | None]]:
    """The deadlines offered as buttons: 5 and 10 working days, end of week (the coming Friday at the
    weekend), end of month, and none (a standing task)."""
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    return [("w5", working.add_working_days(today, 5)), ("w10", working.add_working_days(today, 10)),
            ("eow", friday), ("eom", end_of_month(today.year, today.month)), ("none", None)]
