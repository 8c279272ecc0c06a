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
    """Working-day arithmetic in O(1): each day of the years in use gets an ordinal (how many working days
    there are up to it), built once per span of years, so counting and stepping working days is an index
    look-up, never a day-by-day walk (a year's statistics once made millions of holiday look-ups)."""

    def __init__(self, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()) -> None:
        self._extra_off = frozenset(extra_days_off)
        self._extra_work = frozenset(extra_working_days)
        self._holidays = holidays.Vietnam(language="en_US")
        self._first = date(1, 1, 1)
        self._upto: list[int] = []  # working days in [first, first + i]
        self._working: list[date] = []  # the working days of the span, in order

    def is_holiday(self, day: date) -> bool:
        return day in self._holidays or day in self._extra_off

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def _is_working(self, day: date) -> bool:
        if day in self._extra_work:
            return True
        if day in self._extra_off:
            return False
        return self._holidays.is_working_day(day)

    def _cover(self, *days: date) -> None:
        """Make the span hold these days, with a margin of years either side (rebuilt rarely)."""
        lo, hi = min(days), max(days)
        years = [d.year for d in days]
        if self._upto:
            last = self._first + timedelta(days=len(self._upto) - 1)
            if self._first <= lo and hi <= last:
                return
            years += [self._first.year, last.year]
        first, end = date(max(min(years) - 2, 1), 1, 1), date(min(max(years) + 5, 9998), 12, 31)
        upto, working, count = [], [], 0
        day = first
        while day <= end:
            if self._is_working(day):
                count += 1
                working.append(day)
            upto.append(count)
            day += timedelta(days=1)
        self._first, self._upto, self._working = first, upto, working

    def _ordinal(self, day: date) -> int:
        self._cover(day)
        return self._upto[(day - self._first).days]

    def is_working_day(self, day: date) -> bool:
        self._cover(day)
        i = (day - self._first).days
        return self._upto[i] - (self._upto[i - 1] if i else 0) == 1

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (n > 0), before it (n < 0), or `start` itself (n == 0)."""
        if n == 0:
            return start
        while True:
            k = self._ordinal(start) - (1 if n < 0 and self.is_working_day(start) else 0)
            index = k + n - 1 if n > 0 else k + n
            if 0 <= index < len(self._working):
                return self._working[index]
            # Past either end of the span: widen it by the distance asked and look again.
            self._cover(start + timedelta(days=2 * n), start - timedelta(days=2 * n))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        self._cover(start, end)
        return self._ordinal(end) - self._ordinal(start)

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

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
