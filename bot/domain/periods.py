"""Report periods as people name them: 2026, 2026-11, 2026-Q4, 2026-H2, this_week, and a custom range
2026-11-01..2026-11-15 (also written 01/11/2026-15/11/2026, 1/11-15/11, or compactly 20261101-20261115).
Typed forms are forgiving (11/2026, T11, 2026-q4, Q4/2026, h2); `canonical_period` gives the one name."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.domain.calendar import end_of_month, end_of_quarter
from bot.errors import DomainError

_MONTH = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})|(?:t|T)?(?P<m2>\d{1,2})[/-](?P<y2>\d{4})|[tT](?P<m3>\d{1,2})")
_PART = re.compile(r"(?P<y>\d{4})-(?P<k>[qQhH])(?P<n>\d)|(?P<k2>[qQhH])(?P<n2>\d)(?:[/-](?P<y2>\d{4}))?")
_DAY = r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{4})?|\d{8}"
_RANGE = re.compile(rf"(?P<a>{_DAY})\s*(?:\.\.|-|–|—)\s*(?P<b>{_DAY})")
PARTS = {"q": 4, "h": 2}  # quarters and halves in a year


def canonical_period(period: str | None, today: date) -> str:
    """The one name of a period: "2026", "2026-11", "2026-Q4", "2026-H2", "this_week", "next_week" or
    "2026-11-01..2026-11-15". A month, quarter or half named without its year is the latest such one
    ("T11" on 20/11/2026 is November 2026, "q4" is the fourth quarter of 2025). None is the current year."""
    text = (period or str(today.year)).strip()
    if text in ("this_week", "next_week") or re.fullmatch(r"\d{4}", text):
        return text
    if m := _MONTH.fullmatch(text):
        month = int(m["m"] or m["m2"] or m["m3"])
        year = m["y"] or m["y2"]
        if 1 <= month <= 12:
            return f"{int(year) if year else today.year - (month > today.month)}-{month:02d}"
    if m := _PART.fullmatch(text):
        kind, number, year = (m["k"] or m["k2"]).upper(), int(m["n"] or m["n2"]), m["y"] or m["y2"]
        parts = PARTS[kind.lower()]
        if 1 <= number <= parts:
            current = (today.month - 1) * parts // 12 + 1
            return f"{int(year) if year else today.year - (number > current)}-{kind}{number}"
    if m := _RANGE.fullmatch(text):
        return custom_range(_day(m["a"]), _day(m["b"]), today, text)
    raise DomainError("period.unknown", period=text[:20])


def period_range(period: str | None, today: date) -> tuple[date, date]:
    """First and last day of a period; None means the current year."""
    period = canonical_period(period, today)
    if period == "this_week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    if period == "next_week":
        start = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return start, start + timedelta(days=6)
    if ".." in period:
        first, last = period.split("..")
        return date.fromisoformat(first), date.fromisoformat(last)
    year, _, part = period.partition("-")
    if not part:
        return date(int(year), 1, 1), date(int(year), 12, 31)
    if part[0] == "Q":
        quarter = int(part[1])
        return date(int(year), quarter * 3 - 2, 1), end_of_quarter(int(year), quarter)
    if part[0] == "H":
        return (date(int(year), 1, 1), date(int(year), 6, 30)) if part == "H1" else \
            (date(int(year), 7, 1), date(int(year), 12, 31))
    return date(int(year), int(part), 1), end_of_month(int(year), int(part))


def custom_range(first: tuple[int | None, int, int | None], last: tuple[int | None, int, int | None],
                 today: date, as_typed: str) -> str:
    """The range from `first` to `last`, each (year, month, day): no day means the month's first (for
    `first`) or last day (for `last`). Without a year, `last` is the latest such day (or month) and
    `first` falls in the same year, or the year before when its month comes later. Refuses a day that
    does not exist or a range that ends before it starts, naming it `as_typed`."""
    try:
        if last[0] is not None:
            last_year = last[0]
        else:
            last_year = today.year - (date(today.year, last[1], 1 if last[2] is None else last[2]) > today)
        end = end_of_month(last_year, last[1]) if last[2] is None else date(last_year, last[1], last[2])
        start = date(first[0] or last_year, first[1], 1 if first[2] is None else first[2])
        if first[0] is None and first[1] > last[1]:  # "từ 15/10 đến 15/01/2027" runs over the new year
            start = start.replace(year=last_year - 1)
    except ValueError:
        raise DomainError("period.unknown", period=as_typed[:40]) from None
    if start > end:
        raise DomainError("period.unknown", period=as_typed[:40])
    return f"{start.isoformat()}..{end.isoformat()}"


def _day(text: str) -> tuple[int | None, int, int | None]:
    """(year, month, day) of one end of a typed range; a d/m day may leave its year out."""
    if "/" in text:
        day, month, *year = (int(x) for x in text.split("/"))
        return (year[0] if year else None), month, day
    if "-" in text:
        y, m, d = (int(x) for x in text.split("-"))
        return y, m, d
    return int(text[:4]), int(text[4:6]), int(text[6:])


def compact_period(period: str | None, today: date) -> str:
    """The shortest name of the same period, for buttons (64 bytes of callback data)."""
    period = canonical_period(period, today)
    if period in ("this_week", "next_week") or ".." in period:
        start, end = period_range(period, today)
        return f"{start:%Y%m%d}-{end:%Y%m%d}"
    return period
