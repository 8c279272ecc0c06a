"""Report periods as people name them: 2026, 2026-11, 2026-Q4, 2026-H2, this_week, and a custom range
2026-11-01..2026-11-15 (also written 01/11/2026-15/11/2026, 1/11-15/11, or compactly 20261101-20261115).
Typed forms are forgiving (11/2026, T11, 2026-q4, Q4/2026, h2) and so are words («năm 2025», «quý 4/2025»,
«tháng 11», «từ 1/10 đến 15/11/2026»); `canonical_period` gives the one name.

This is the one reader of periods: chat questions and /thongke (`find_period` in a message's folded
text), the CLI's `--period` and the web's `period` parameter (`canonical_period` of the whole text) all
read through it, so «2025», «năm 2025», «2025-Q4», «quý 4/2025», «tháng 11/2026» and «11/2026» mean the
same everywhere. No period is the current month."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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
    ("T11" on 20/11/2026 is November 2026, "q4" is the fourth quarter of 2025). None (or nothing) is the
    current month. Words are read as chat reads them: the whole text must name the period."""
    text = (period or "").strip()
    if not text:
        return f"{today:%Y-%m}"
    if text in ("this_week", "next_week") or _YEAR_ALONE.fullmatch(text):
        return text
    try:
        return _compact(text, today)
    except DomainError:
        folded = fold(text)
        found = find_period(folded, today)
        if found.period is not None and found.span == (0, len(folded)):
            return found.period
        raise


def _compact(text: str, today: date) -> str:
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


def fold(text: str) -> str:
    """Lower case without diacritics, one character per character (đ → d), trimmed; so a span found in
    the folded text cuts the same words out of the text as typed."""
    return "".join(_fold_char(ch) for ch in text.strip())


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


# ---- periods in words, in a message's folded text -------------------------------------------------------

_YEAR_ALONE = re.compile(r"(?:19|20)\d{2}")
_HALF = re.compile(r"\b(?:(?:6|sau)\s+thang|nua)\s+(?P<h>dau|cuoi)\s+nam(?:\s+(?P<y>\d{4}))?\b")
_WEEK = re.compile(r"\btuan\s+(?P<which>nay|sau|toi)\b")
_QUARTER = re.compile(r"\bquy\s+(?:(?P<q>iv|i{1,3}|[1-4])\b(?:\s*(?:/|nam)\s*(?P<y>\d{4}))?|(?P<which>nay|truoc)\b)")
_MONTH_WORDS = re.compile(r"\bthang\s+(?:(?P<m>\d{1,2})\b(?:\s*(?:/|nam)\s*(?P<y>\d{4}))?|(?P<which>nay|truoc)\b)")
_YEAR = re.compile(r"\bnam\s+(?P<y>\d{4}|nay|ngoai|truoc)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _point(name: str) -> str:
    """One end of a range in words: a month "10/2026" or "tháng 9[/2026]", or a day "[ngày] 15/10[/2026]"."""
    return (rf"(?P<{name}_mo>\d{{1,2}})/(?P<{name}_moy>\d{{4}})(?![\d/])"
            rf"|(?:ngay\s+)?(?P<{name}_d>\d{{1,2}})[/.-](?P<{name}_m>\d{{1,2}})(?:[/.-](?P<{name}_y>\d{{4}}))?"
            rf"|thang\s+(?P<{name}_mm>\d{{1,2}})(?:\s*(?:/|nam)\s*(?P<{name}_my>\d{{4}}))?")


# "từ 15/10/2026 đến 15/01/2027", "từ ngày 1/10 đến hết ngày 15/11", "từ tháng 9 đến tháng 11/2026",
# "từ đầu năm đến nay".
_RANGE_WORDS = re.compile(rf"\btu\s+(?:{_point('a')}|dau\s+nam(?:\s+(?P<a_year>\d{{4}}))?)\s+(?:den|toi)\s+"
                          rf"(?:het\s+)?(?:{_point('b')}|(?P<b_today>(?:hom\s+)?nay))\b")
# A period typed compactly in a question or after /thongke: 11/2026, T11, 2026-q4, 1/10-15/11/2026, 2025 …
_COMPACT = re.compile(r"[^\s,;:?!()]+")
# What names a period though none of the rules above reads it ("từ hôm qua đến mai", "tháng mười",
# "quý 5", "năm 26"): the question is answered by asking again, never with another period.
_UNREAD_RANGE = re.compile(r"\btu\s+(?:ngay|thang|quy|nam|dau|hom|\d)[^?!\n]*?\b(?:den|toi)\s+"
                           r"(?:(?:het|ngay|thang|quy|nam|hom|tuan)\s+)?[^\s,;?!]+(?:\s+(?:sau|toi|nay|truoc)\b)?")
_UNREAD = re.compile(r"\b(?:thang|quy)\s+(?:\d+|[ivx]+|muoi|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|gieng|chap|toi)\b"
                     r"(?:\s*/\s*\d+)?|\bnam\s+(?:\d{1,3}|\d{5,}|sau|toi)\b|(?<![\d/])\d{1,2}/\d{4}\b")


@dataclass(frozen=True, slots=True)
class Found:
    span: tuple[int, int] | None  # where the period is named, or the phrase that could not be read
    period: str | None  # the canonical name, None when none is named or read
    unread: bool = False  # `span` names a period these rules cannot read


def find_period(folded: str, today: date) -> Found:
    """The period a message names, in words or typed compactly, in its folded text (`fold`)."""
    if m := _RANGE_WORDS.search(folded):
        try:
            return Found(m.span(), custom_range(_range_end(m, "a", today), _range_end(m, "b", today), today,
                                                folded[m.start():m.end()]))
        except DomainError:
            return Found(m.span(), None, unread=True)
    if m := _UNREAD_RANGE.search(folded):  # before its parts: "từ tháng 9 đến mai" is not September
        return Found(m.span(), None, unread=True)
    span, period = _in_words(folded, today)
    if period is not None:
        return Found(span, period)
    if m := _UNREAD.search(folded):
        return Found(m.span(), None, unread=True)
    return Found(None, None)


def _in_words(folded: str, today: date) -> tuple[tuple[int, int] | None, str | None]:
    if m := _HALF.search(folded):
        year = int(m["y"]) if m["y"] else today.year
        return m.span(), f"{year}-H{1 if m['h'] == 'dau' else 2}"
    if m := _WEEK.search(folded):
        return m.span(), "this_week" if m["which"] == "nay" else "next_week"
    if m := _QUARTER.search(folded):
        current = (today.month + 2) // 3
        if m["which"]:
            year, q = today.year, current
            if m["which"] == "truoc":
                year, q = (year - 1, 4) if q == 1 else (year, q - 1)
        else:
            q = _ROMAN.get(m["q"]) or int(m["q"])
            year = int(m["y"]) if m["y"] else today.year - (q > current)  # the latest such quarter
        return m.span(), f"{year}-Q{q}"
    if (m := _MONTH_WORDS.search(folded)) and (m["which"] or 1 <= int(m["m"]) <= 12):
        if m["which"]:
            year, month = today.year, today.month
            if m["which"] == "truoc":
                year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        else:
            month = int(m["m"])
            year = int(m["y"]) if m["y"] else today.year - (month > today.month)
        return m.span(), f"{year}-{month:02d}"
    if m := _YEAR.search(folded):
        y = m["y"]
        year = int(y) if y.isdigit() else today.year - (y != "nay")
        return m.span(), str(year)
    for m in _COMPACT.finditer(folded):
        if _YEAR_ALONE.fullmatch(m[0]):  # a year alone, "thống kê 2025"; other bare numbers are no period
            return m.span(), m[0]
        if not m[0].isdigit():
            try:
                return m.span(), _compact(m[0], today)
            except DomainError:
                continue
    return None, None


def _range_end(m: re.Match[str], name: str, today: date) -> tuple[int | None, int, int | None]:
    """(year, month, day) of one end of a _RANGE_WORDS match; no day means the whole month."""
    def number(group: str) -> int | None:
        return int(m[f"{name}_{group}"]) if m[f"{name}_{group}"] else None

    if name == "b" and m["b_today"]:
        return today.year, today.month, today.day
    if m[f"{name}_mo"]:
        return number("moy"), int(m[f"{name}_mo"]), None
    if m[f"{name}_mm"]:
        return number("my"), int(m[f"{name}_mm"]), None
    if m[f"{name}_d"]:
        return number("y"), int(m[f"{name}_m"]), int(m[f"{name}_d"])
    return number("year"), 1, 1  # "từ đầu năm"


def period_range(period: str | None, today: date) -> tuple[date, date]:
    """First and last day of a period; None means the current month."""
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
