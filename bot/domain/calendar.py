"""Working days: Monday to Friday minus Vietnamese public holidays (lunar Tết included).

Holidays and the official make-up working days come from the `holidays` package; an office adds its
own extra days off and make-up working days by settings.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


class WorkingCalendar:
    def __init__(self, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()) -> None:
        self._extra_off = frozenset(extra_days_off)
        self._extra_work = frozenset(extra_working_days)
        self._holidays = holidays.Vietnam(language="en_US")

    def is_holiday(self, day: date) -> bool:
        return day in self._holidays or day in self._extra_off

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self._extra_work:
            return True
        if day in self._extra_off:
            return False
        return self._holidays.is_working_day(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n > 0), before it (n < 0), or `start` itself (n == 0)."""
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        count = sum(1 for i in range(1, (hi - lo).days + 1) if self.is_working_day(lo + timedelta(days=i)))
        return sign * count

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def lunar_new_year(self, year: int) -> date:
        return _lunar_new_year(year)


@lru_cache(maxsize=64)
def _lunar_new_year(year: int) -> date:
    named = holidays.Vietnam(years=year, language="en_US").get_named("Lunar New Year", lookup="exact")
    return min(named)


def end_of_month(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def end_of_quarter(year: int, quarter: int) -> date:
    return end_of_month(year, quarter * 3)


def friday_of_week(day: date) -> date:
    return day + timedelta(days=4 - day.weekday())
