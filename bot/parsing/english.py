"""The main questions asked in English ("what is overdue?", "overdue tasks of the Department of
Construction", "statistics for November", "stats 2026-Q4", "tasks of Kim Long Ward", "find flood
drainage"), mapped to the same queries as their Vietnamese forms.

Units are named by code ("SXD") or by name: English department names are read through a small
glossary into the Vietnamese name the unit list holds; wards and communes by their own names.
"""

from __future__ import annotations

import re
from datetime import date

from bot.parsing.normalise import Analysed
from bot.parsing.result import Intent, Query
from bot.parsing.unit_index import UnitIndex

_ENGLISH = re.compile(r"\b(?:what|which|show|list|overdue|late|due|soon|stats?|statistics|report|tasks?|"
                      r"directives?|find|search|look\s+for|my|of|for|this|week|month|year)\b")
_SEARCH = re.compile(r"^\s*(?:please\s+)?(?:find|search(?:\s+for)?|look\s+for)\s+(?:(?:tasks?|directives?)\s+"
                     r"(?:about|on|for|with|mentioning)\s+)?(?P<text>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
_INTENTS: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    ("overdue", re.compile(r"\b(?:overdue|late|past\s+(?:the\s+)?deadline|behind\s+schedule)\b")),
    ("due_soon", re.compile(r"\b(?:due\s+soon|due\s+this\s+week|due\s+(?:in|within)\b|upcoming|coming\s+up|"
                            r"deadlines?\s+(?:soon|this\s+week))\b")),
    ("stats", re.compile(r"\b(?:stats?|statistics|report|on[-\s]time\s+rate|summary|figures)\b")),
    ("my_tasks", re.compile(r"\b(?:my\s+(?:tasks?|directives?|work)|tasks?|directives?|doing|working\s+on|"
                            r"assignments?)\b")),
)
# English names of the departments a province has, to the Vietnamese names its unit list holds.
_GLOSSARY: tuple[tuple[str, str], ...] = (
    ("construction", "Sở Xây dựng"), ("health", "Sở Y tế"), ("finance", "Sở Tài chính"),
    ("home affairs", "Sở Nội vụ"), ("justice", "Sở Tư pháp"), ("industry and trade", "Sở Công Thương"),
    ("agriculture and environment", "Sở Nông nghiệp và Môi trường"),
    ("science and technology", "Sở Khoa học và Công nghệ"), ("education and training", "Sở Giáo dục và Đào tạo"),
    ("education", "Sở Giáo dục và Đào tạo"), ("culture, sports and tourism", "Sở Văn hóa, Thể thao và Du lịch"),
    ("culture", "Sở Văn hóa, Thể thao và Du lịch"), ("ethnic and religious affairs", "Sở Dân tộc và Tôn giáo"),
    ("inspectorate", "Thanh tra tỉnh"), ("police", "Công an tỉnh"), ("military command", "Bộ Chỉ huy Quân sự tỉnh"),
    ("tax", "Thuế tỉnh"), ("people's committee office", "Văn phòng UBND tỉnh"), ("office", "Văn phòng UBND tỉnh"),
)
_DEPARTMENT_OF = re.compile(r"\b(?:department|dept\.?)\s+of\s+(?P<name>[a-z ,'&]+?)"
                            r"(?=\s*(?:$|[?.!]|\b(?:in|for|this|since|during|from|is|are|has|have)\b))",
                            re.IGNORECASE)
_NAMED_DEPARTMENT = re.compile(r"(?P<name>[a-z ,'&]+?)\s+(?:department|dept\.?)\b", re.IGNORECASE)
_PLACE = re.compile(r"(?P<name>(?:[A-Z]\w*\s+){1,3})(?P<kind>(?i:ward|commune))\b"
                    r"|\b(?P<kind2>(?i:ward|commune))\s+(?P<name2>(?:[A-Z]\w*\s*){1,3})")
_CODE = re.compile(r"\b[A-Z][A-Z0-9_-]{2,}\b")
_MONTHS = {m: n for n, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"), start=1)}
_MONTH = re.compile(r"\b(?P<m>" + "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
                    r"(?:\s+(?P<y>\d{4}))?")
_ISO_PERIOD = re.compile(r"\b(?P<y>\d{4})(?:-(?P<q>Q[1-4])|-(?P<h>H[12])|-(?P<m>\d{2}))?\b", re.IGNORECASE)
_QUARTER = re.compile(r"\b(?:q(?P<q>[1-4])|(?P<nth>first|second|third|fourth)\s+quarter)(?:\s+(?:of\s+)?(?P<y>\d{4}))?\b")
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def looks_english(msg: Analysed) -> bool:
    """Plain ASCII with English question words: Vietnamese text, even typed without accents, is not."""
    return msg.text.isascii() and bool(_ENGLISH.search(msg.text.lower())) and not re.search(
        r"\b(?:cua|viec|han|thong ke|so|nhiem vu|bao cao|tim)\b", msg.text.lower())


def read_english_query(msg: Analysed, index: UnitIndex, today: date) -> Query | None:
    text = msg.text.strip()
    lower = text.lower()
    found = _SEARCH.match(text)
    if found:
        return Query("search", None, None, found["text"])
    intent = next((name for name, pattern in _INTENTS if pattern.search(lower)), None)
    if intent is None:
        return None
    period = _period(text, lower, today)
    if period is None and intent == "due_soon" and "this week" in lower:
        period = "this_week"
    return Query(intent, _unit(text, index), period)


def _unit(text: str, index: UnitIndex) -> str | None:
    for m in _CODE.finditer(text):
        code = index.resolve(m.group())
        if code:
            return code
    for pattern in (_DEPARTMENT_OF, _NAMED_DEPARTMENT):
        for m in pattern.finditer(text):
            name = m["name"].lower().strip(" ,")
            for english, vietnamese in _GLOSSARY:
                if name == english or name.endswith(" " + english):
                    return index.resolve(vietnamese)
    place_match = _PLACE.search(text)
    if place_match:
        found = place_match
        name, kind = (found["name"], found["kind"]) if found["name"] else (found["name2"], found["kind2"])
        place = f"{'phường' if kind.lower() == 'ward' else 'xã'} {name.strip()}"
        return index.resolve(place) or index.resolve("UBND " + place)
    return None


def _period(text: str, lower: str, today: date) -> str | None:
    if "this week" in lower and "due" not in lower:
        return "this_week"
    if m := _ISO_PERIOD.search(text):
        if m["q"]:
            return f"{m['y']}-{m['q'].upper()}"
        if m["h"]:
            return f"{m['y']}-{m['h'].upper()}"
        if m["m"] and 1 <= int(m["m"]) <= 12:
            return f"{m['y']}-{m['m']}"
        if not _QUARTER.search(lower) and not _MONTH.search(lower):
            return m["y"]
    if m := _QUARTER.search(lower):
        q = int(m["q"]) if m["q"] else _NTH[m["nth"]]
        year = int(m["y"]) if m["y"] else today.year - (q > (today.month + 2) // 3)
        return f"{year}-Q{q}"
    if m := _MONTH.search(lower):
        month = next(n for name, n in _MONTHS.items() if name.startswith(m["m"]))
        year = int(m["y"]) if m["y"] else today.year - (month > today.month)
        return f"{year}-{month:02d}"
    if "this month" in lower:
        return f"{today.year}-{today.month:02d}"
    if "this year" in lower:
        return str(today.year)
    return None
