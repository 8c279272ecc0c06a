"""Questions asked in chat: "Sở Xây dựng còn bao nhiêu việc quá hạn?", "thống kê tháng 11" …

A query is told from a directive by its words: question marks and particles, or a message made
almost only of query vocabulary (status words, "thống kê", "việc", a unit, a period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.periods import find_period
from bot.parsing.mood import Mood, has_diacritics, read_mood
from bot.parsing.normalise import Analysed
from bot.parsing.result import Intent, Query
from bot.parsing.unit_index import Mention, UnitIndex

_SEARCH = re.compile(r"\b(?:tim(?:\s+kiem)?|tra\s+cuu)\b(?:\s+(?:cac|nhung))?"
                     r"(?:\s+(?:nhiem\s+vu|cong\s+viec|viec|van\s+ban|chi\s+dao|y\s+kien\s+chi\s+dao))?"
                     r"(?:\s+(?:ve|lien\s+quan(?:\s+(?:den|toi))?|co\s+chu|chua|co)\b|\s*:)*\s*")
_FIGURES = re.compile(r"\b(?:thong\s+ke|ty\s+le|ti\s+le|tong\s+hop|so\s+lieu)\b")
_REPORT = re.compile(r"(?<!\bda\s)(?<!\bchua\s)(?<!\bdang\s)(?<!\bse\s)(?<!\bduoc\s)(?<!\bnop\s)(?<!\bgui\s)"
                     r"\bbao\s+cao\b"
                     r"(?!\s+(?:lai\s+)?(?:cho\s+|voi\s+)?(?:toi|minh|em|anh|chi|chung\s+toi)\b)")
_INTENTS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    ("overdue", re.compile(r"\b(?:qua|tre|cham)\s+han\b|\bno\s+dong\b"
                           r"|\b(?:dang\s+)?cham\s+(?:nhung\s+|cac\s+)?(?:viec|nhiem\s+vu|tien\s+do)\b")),
    ("due_soon", re.compile(r"\b(?:sap|gan)\s+(?:den|het|toi)\s+han\b|\bden\s+han\b")),
    # «báo cáo quý 4» asks for the report; «Sở Y tế đã báo cáo chưa» asks whether a unit reported, and «báo cáo
    # tôi tình hình …» asks the bot to tell: neither is the statistics.
    ("stats", re.compile(rf"{_FIGURES.pattern}|{_REPORT.pattern}")),
    ("my_tasks", re.compile(r"\bcua\s+(?:toi|minh|chung\s+toi|don\s+vi\s+(?:toi|minh))\b"
                            r"|\b(?:tinh\s+hinh|ket\s+qua|tien\s+do)\s+(?:thuc\s+hien|trien\s+khai)\s+(?:(?:cac|nhung)\s+)?"
                            r"(?:(?:nhiem\s+vu|cong\s+viec|viec|chi\s+dao)\s+)?(?:(?:duoc\s+giao|da\s+giao)\s+)?cua\b"
                            r"|\bdang\s+(?:lam|thuc\s+hien|xu\s+ly)\s+(?:nhung\s+|cac\s+)?(?:viec|nhiem\s+vu|gi)\b"
                            r"|\b(?:co|con)\s+(?:bao\s+nhieu\s+|may\s+|nhung\s+)?(?:viec|nhiem\s+vu)\b"
                            r"|^(?:danh\s+sach\s+|xem\s+)?(?:cac\s+|nhung\s+)?(?:viec|nhiem\s+vu|cong\s+viec)\b")),
)
# «trễ» alone asks for the late ones («có việc nào trễ không»), typed as «trễ» (not «trẻ», young).
_LATE = re.compile(r"\b(?:bi\s+)?(?:cham\s+)?tre\b")
# A directive's code as typed: «CD-2026-0012», «cd 2026 12» (bot/services/queries.py CODE reads it).
_CODE = re.compile(r"\bcd[\s_-]*\d{4}[\s_-]+\d{1,8}\b")
# A list asked for by its name at the start: «thống kê …», «danh sách …», «tìm …».
_LISTING = re.compile(r"^(?:thong\s+ke|danh\s+sach|liet\s+ke|xem(?!\s+(?:xet|lai)\b)|tim|tra\s+cuu|ty\s+le|ti\s+le)\b")
# A pasted text's question form, read without the mood (bot/parsing/mood.py reads a chat message's).
_STRONG = re.compile(r"\?\s*$|\bbao\s+nhieu\b|\b(?:khong|chua|nao|gi)\s*[?.!]*\s*$")
# Words a question is made of besides its unit and period; anything else makes it a directive.
_VOCABULARY = frozenset(
    "con co bao nhieu viec nhiem vu cong gi nao khong nhung cac danh sach liet ke cua toi minh chung don vi "
    "qua han sap den het tre cham gan thong ty ti le dung cao tong hop so lieu trong xem cho hoi da chua "
    "hoan thanh la hien nay dang roi a vay the nhu tinh hinh ket tuan thang quy nam dau cuoi ngoai truoc "
    "tat ca hay di giup voi duoc may muc ra sao theo doi ve ? ! . , : nua thuc hien lam trien khai".split())


@dataclass(frozen=True, slots=True)
class QueryReading:
    query: Query
    asked: bool  # put as a question: "?", "bao nhiêu", "… không", "… đến đâu", "thống kê …", "cho biết …"
    only_query_words: bool  # nothing in it but query words, a unit and a period
    mood: Mood  # the sentence's form (bot/parsing/mood.py)


def read_query(msg: Analysed, index: UnitIndex, today: date, mood: Mood | None = None) -> QueryReading | None:
    """The question a message asks, when it reads as one: by its query words, or by its form (an interrogative,
    a request to the bot, or how work is going: «Sở Y tế thực hiện nhiệm vụ đến đâu») with the unit's work, a
    period's statistics or one directive as the answer."""
    folded = msg.folded
    mood = mood or read_mood(msg)
    search = _SEARCH.search(folded)
    text = msg.text[search.end() :].strip(" ?.!") if search else ""
    intent: Intent | None = "search" if text else None
    if intent is None:
        intent = next((name for name, pattern in _INTENTS if pattern.search(folded)), None)
    if intent in (None, "my_tasks") and (mood.asked or mood.progress) and _late(msg):
        intent = "overdue"
    code = _CODE.search(folded)
    if code and intent in (None, "my_tasks") and (mood.asked or mood.progress):
        intent, text = "search", msg.text[code.start() : code.end()]
    period = read_period(msg, today)
    by_form = intent is None and (mood.asked or mood.progress)  # no query word: read as a question by its form
    if by_form:
        intent = "stats" if period.period else "my_tasks"  # how work goes: the unit's list, or the period's figures
    elif intent == "my_tasks" and mood.progress and period.period:
        intent = "stats"  # «tình hình thực hiện nhiệm vụ của Sở Y tế quý 4»: the list has no period; the report has
    if intent is None:
        return None
    scan_to = msg.token_at_or_after(search.end()) if search and text else len(msg.tokens)
    mentions = [m for m in index.find_all(msg, 0, scan_to, unknown=True)
                if m.kind != "unknown" or msg.original_token(m.first)[0].isupper()
                and not (code and code.start() <= msg.tokens[m.first].start < code.end())]
    known = [m for m in mentions if m.kind in ("unit", "group")]
    unit = None
    if known:
        unit = known[0].code if known[0].kind == "unit" else f"#{known[0].code}"
    only_words = _only_query_words(msg, mentions, period.span)
    if by_form and not (known or only_words or mood.asked and mood.progress):
        # «Tiến độ đã chậm, không thể lùi thêm» (a word of progress in a statement), «Ai đang giữ hồ sơ này vậy?»
        # (a question about no unit's work): not a question about directives
        return None
    if intent == "stats" and unit and mood.progress and not period.period and not _FIGURES.search(folded):
        intent = "my_tasks"  # «Sở Y tế báo cáo tình hình thực hiện nhiệm vụ»: how its work goes, as its list shows
    unread = msg.text[period.span[0]:period.span[1]] if period.unread and period.span else None
    query = Query(intent, unit, period.period, text if intent == "search" else None,
                  tuple(m.text for m in mentions if m.kind == "unknown"), unread)
    asked = mood.asked if mood.chat else bool(_STRONG.search(folded))
    return QueryReading(query, asked or bool(_LISTING.match(folded)), only_words, mood)


def _late(msg: Analysed) -> bool:
    """«trễ» (late) said alone, as typed: «trẻ» (young) folds the same."""
    accented = has_diacritics(msg)
    return any(not accented or "trễ" in msg.text[m.start() : m.end()].lower() for m in _LATE.finditer(msg.folded))


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
    """The period a question or /thongke's words name, in words or typed compactly: the one reader,
    `bot/domain/periods.py: find_period`, on the message's folded text."""
    found = find_period(msg.folded, today)
    return PeriodReading(found.span, found.period, found.unread)
