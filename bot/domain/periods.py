"""Report periods as people name them: 2026, 2026-11, 2026-Q4, 2026-H2, this_week, and a custom range
2026-11-01..2026-11-15 (also written 01/11/2026-15/11/2026, or compactly 20261101-20261115)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.domain.calendar import end_of_month, end_of_quarter
from bot.errors import DomainError


def period_range(period: str | None, today: date) -> tuple[date, date]:
    """First and last day of a period; None means the current year."""
    period = (period or str(today.year)).strip()
    if period == "this_week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    if period == "next_week":
        start = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return start, start + timedelta(days=6)
    if re.fullmatch(r"\d{4}", period):
        year = int(period)
        return date(year, 1, 1), date(year, 12, 31)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", period):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return date(year, month, 1), end_of_month(year, month)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        year, quarter = int(m[1]), int(m[2])
        return date(year, quarter * 3 - 2, 1), end_of_quarter(year, quarter)
    if m := re.fullmatch(r"(\d{4})-H([12])", period):
        year, half = int(m[1]), int(m[2])
        return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
    if m := _RANGE.fullmatch(period):
        first, last = _day(m["a"]), _day(m["b"])
        if first is not None and last is not None and first <= last:
            return first, last
    raise DomainError("period.unknown", period=period[:20])


_DAY = r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\d{8}"
_RANGE = re.compile(rf"(?P<a>{_DAY})\s*(?:\.\.|-|–|—)\s*(?P<b>{_DAY})")


def _day(text: str) -> date | None:
    try:
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            return date(y, m, d)
        if "-" in text:
            return date.fromisoformat(text)
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def compact_period(period: str | None, today: date) -> str:
    """The shortest name of the same period, for buttons (64 bytes of callback data)."""
    period = (period or str(today.year)).strip()
    if period in ("this_week", "next_week") or _RANGE.fullmatch(period):
        start, end = period_range(period, today)
        return f"{start:%Y%m%d}-{end:%Y%m%d}"
    period_range(period, today)  # refuses what it cannot read
    return period
