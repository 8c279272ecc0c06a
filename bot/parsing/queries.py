"""Questions asked in chat: "Sở Xây dựng còn bao nhiêu việc quá hạn?", "thống kê tháng 11" …

A query is told from a directive by its words: question marks and particles, or a message made
almost only of query vocabulary (status words, "thống kê", "việc", a unit, a period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.periods import canonical_period, custom_range
from bot.errors import DomainError
from bot.parsing.normalise import Analysed
from bot.parsing.result import Intent, Query
from bot.parsing.unit_index import Mention, UnitIndex

_SEARCH = re.compile(r"\b(?:tim(?:\s+kiem)?|tra\s+cuu)\b(?:\s+(?:cac|nhung))?"
                     r"(?:\s+(?:nhiem\s+vu|cong\s+viec|viec|van\s+ban|chi\s+dao|y\s+kien\s+chi\s+dao))?"
                     r"(?:\s+(?:ve|lien\s+quan(?:\s+(?:den|toi))?|co\s+chu|chua|co)\b|\s*:)*\s*")
_INTENTS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    ("overdue", re.compile(r"\b(?:qua|tre|cham)\s+han\b|\bno\s+dong\b"
                           r"|\b(?:dang\s+)?cham\s+(?:nhung\s+|cac\s+)?(?:viec|nhiem\s+vu|tien\s+do)\b")),
    ("due_soon", re.compile(r"\b(?:sap|gan)\s+(?:den|het|toi)\s+han\b|\bden\s+han\b")),
    ("stats", re.compile(r"\b(?:thong\s+ke|ty\s+le|ti\s+le|tong\s+hop|so\s+lieu|bao\s+cao)\b")),
    ("my_tasks", re.compile(r"\bcua\s+(?:toi|minh|chung\s+toi|don\s+vi\s+(?:toi|minh))\b"
                            r"|\b(?:tinh\s+hinh|ket\s+qua|tien\s+do)\s+(?:thuc\s+hien|trien\s+khai)\s+(?:(?:cac|nhung)\s+)?"
                            r"(?:(?:nhiem\s+vu|cong\s+viec|viec|chi\s+dao)\s+)?(?:(?:duoc\s+giao|da\s+giao)\s+)?cua\b"
                            r"|\bdang\s+(?:lam|thuc\s+hien|xu\s+ly)\s+(?:nhung\s+|cac\s+)?(?:viec|nhiem\s+vu|gi)\b"
                            r"|\b(?:co|con)\s+(?:bao\s+nhieu\s+|may\s+|nhung\s+)?(?:viec|nhiem\s+vu)\b"
                            r"|^(?:danh\s+sach\s+|xem\s+)?(?:cac\s+|nhung\s+)?(?:viec|nhiem\s+vu|cong\s+viec)\b")),
)
_STRONG = re.compile(r"\?\s*$|\bbao\s+nhieu\b|\b(?:khong|chua|nao|gi)\s*[?.!]*\s*$"
                     r"|^(?:thong\s+ke|danh\s+sach|liet\s+ke|xem|tim|tra\s+cuu|ty\s+le|ti\s+le)\b")
_HALF = re.compile(r"\b(?:(?:6|sau)\s+thang|nua)\s+(?P<h>dau|cuoi)\s+nam(?:\s+(?P<y>\d{4}))?\b")
_WEEK = re.compile(r"\btuan\s+(?P<which>nay|sau|toi)\b")
_QUARTER = re.compile(r"\bquy\s+(?:(?P<q>iv|i{1,3}|[1-4])\b(?:\s*(?:/|nam)\s*(?P<y>\d{4}))?|(?P<which>nay|truoc)\b)")
_MONTH = re.compile(r"\bthang\s+(?:(?P<m>\d{1,2})\b(?:\s*(?:/|nam)\s*(?P<y>\d{4}))?|(?P<which>nay|truoc)\b)")
_YEAR = re.compile(r"\bnam\s+(?P<y>\d{4}|nay|ngoai|truoc)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _point(name: str) -> str:
    """One end of a range in words: a month "10/2026" or "tháng 9[/2026]", or a day "[ngày] 15/10[/2026]"."""
    return (rf"(?P<{name}_mo>\d{{1,2}})/(?P<{name}_moy>\d{{4}})(?![\d/])"
            rf"|(?:ngay\s+)?(?P<{name}_d>\d{{1,2}})[/.-](?P<{name}_m>\d{{1,2}})(?:[/.-](?P<{name}_y>\d{{4}}))?"
            rf"|thang\s+(?P<{name}_mm>\d{{1,2}})(?:\s*(?:/|nam)\s*(?P<{name}_my>\d{{4}}))?")


# "từ 15/10/2026 đến 15/01/2027", "từ ngày 1/10 đến hết ngày 15/11", "từ tháng 9 đến tháng 11/2026",
# "từ đầu năm đến nay".
_RANGE = re.compile(rf"\btu\s+(?:{_point('a')}|dau\s+nam(?:\s+(?P<a_year>\d{{4}}))?)\s+(?:den|toi)\s+(?:het\s+)?"
                    rf"(?:{_point('b')}|(?P<b_today>(?:hom\s+)?nay))\b")
# A period typed compactly in a question or after /thongke: 11/2026, T11, 2026-q4, 1/10-15/11/2026, …
_COMPACT = re.compile(r"[^\s,;:?!()]+")
# What names a period though none of the rules above reads it ("từ hôm qua đến mai", "tháng mười",
# "quý 5", "năm 26"): the question is answered by asking again, never with another period.
_UNREAD_RANGE = re.compile(r"\btu\s+(?:ngay|thang|quy|nam|dau|hom|\d)[^?!\n]*?\b(?:den|toi)\s+"
                           r"(?:(?:het|ngay|thang|quy|nam|hom|tuan)\s+)?[^\s,;?!]+(?:\s+(?:sau|toi|nay|truoc)\b)?")
_UNREAD = re.compile(r"\b(?:thang|quy)\s+(?:\d+|[ivx]+|muoi|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|gieng|chap|toi)\b"
                     r"(?:\s*/\s*\d+)?|\bnam\s+(?:\d{1,3}|\d{5,}|sau|toi)\b|(?<![\d/])\d{1,2}/\d{4}\b")
# Words a question is made of besides its unit and period; anything else makes it a directive.
_VOCABULARY = frozenset(
    "con co bao nhieu viec nhiem vu cong gi nao khong nhung cac danh sach liet ke cua toi minh chung don vi "
    "qua han sap den het tre cham gan thong ty ti le dung cao tong hop so lieu trong xem cho hoi da chua "
    "hoan thanh la hien nay dang roi a vay the nhu tinh hinh ket tuan thang quy nam dau cuoi ngoai truoc "
    "tat ca hay di giup voi duoc may muc ra sao theo doi ve ? ! . , : nua thuc hien lam trien khai".split())


@dataclass(frozen=True, slots=True)
class QueryReading:
    query: Query
    asked: bool  # put as a question: "?", "bao nhiêu", "… không", "thống kê …"
    only_query_words: bool  # nothing in it but query words, a unit and a period


def read_query(msg: Analysed, index: UnitIndex, today: date) -> QueryReading | None:
    folded = msg.folded
    search = _SEARCH.search(folded)
    text = msg.text[search.end() :].strip(" ?.!") if search else ""
    intent: Intent | None = "search" if text else None
    if intent is None:
        intent = next((name for name, pattern in _INTENTS if pattern.search(folded)), None)
    if intent is None:
        return None
    scan_to = msg.token_at_or_after(search.end()) if search and text else len(msg.tokens)
    mentions = [m for m in index.find_all(msg, 0, scan_to, unknown=True)
                if m.kind != "unknown" or msg.original_token(m.first)[0].isupper()]
    known = [m for m in mentions if m.kind in ("unit", "group")]
    unit = None
    if known:
        unit = known[0].code if known[0].kind == "unit" else f"#{known[0].code}"
    period = read_period(msg, today)
    unread = msg.text[period.span[0]:period.span[1]] if period.unread and period.span else None
    query = Query(intent, unit, period.period, text if intent == "search" else None,
                  tuple(m.text for m in mentions if m.kind == "unknown"), unread)
    return QueryReading(query, bool(_STRONG.search(folded)), _only_query_words(msg, mentions, period.span))


def _only_query_words(msg: Analysed, mentions: list[Mention], period: tuple[int, int] | None) -> bool:
    named = {i for m in mentions for i in range(m.first, m.last)}
    others = [t for i, t in enumerate(msg.tokens) if i not in named and t.text not in _VOCABULARY
              and not t.text.isdigit() and not (period and period[0] <= t.start < period[1])]
    return len(others) <= 1


@dataclass(frozen=True, slots=True)
class PeriodReading:
    span: tuple[int, int] | None  # where the period is named, or the phrase that could not be read
    period: str | None  # the canonical name (bot/domain/periods.py), None when none is named or read
    unread: bool = False  # `span` names a period these rules cannot read


def read_period(msg: Analysed, today: date) -> PeriodReading:
    """The period a question or /thongke's words name, in words or typed compactly."""
    folded = msg.folded
    if m := _RANGE.search(folded):
        try:
            return PeriodReading(m.span(), custom_range(_range_end(m, "a", today), _range_end(m, "b", today), today,
                                                        msg.text[m.start():m.end()]))
        except DomainError:
            return PeriodReading(m.span(), None, unread=True)
    if m := _UNREAD_RANGE.search(folded):  # before its parts: "từ tháng 9 đến mai" is not September
        return PeriodReading(m.span(), None, unread=True)
    span, period = _period(folded, today)
    if period is not None:
        return PeriodReading(span, period)
    if m := _UNREAD.search(folded):
        return PeriodReading(m.span(), None, unread=True)
    return PeriodReading(None, None)


def _period(folded: str, today: date) -> tuple[tuple[int, int] | None, str | None]:
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
    if (m := _MONTH.search(folded)) and (m["which"] or 1 <= int(m["m"]) <= 12):
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
        if not m[0].isdigit():  # a bare number is no period ("2026" alone is read only as "năm 2026")
            try:
                return m.span(), canonical_period(m[0], today)
            except DomainError:
                continue
    return None, None


def _range_end(m: re.Match[str], name: str, today: date) -> tuple[int | None, int, int | None]:
    """(year, month, day) of one end of a _RANGE match; no day means the whole month."""
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
