"""One date reader for every prompt that asks for a day: the same phrases a directive's deadline may be
written in ("30/6/2027", "30-6", "30 tháng 6 năm 2027", "cuối tháng 12", "trong 10 ngày làm việc",
"tuần sau"), resolved against the office's day."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.calendar import WorkingCalendar
from bot.errors import DomainError
from bot.parsing.deadlines import find_deadline
from bot.parsing.normalise import clean_text, fold_same_length

MAX_DATE_CHARS = 80


def read_date(text: str, today: date, calendar: WorkingCalendar) -> date:
    """The day `text` names, or DomainError('deadline.unreadable' | 'deadline.impossible'). A past day is
    returned as read: whether it may be used is the caller's rule."""
    shown = " ".join(text.split())[:40]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):  # 2026-12-15, as computers write it
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise DomainError("deadline.impossible", text=shown) from None
    folded = fold_same_length(clean_text(text)).strip()
    if not folded or len(folded) > MAX_DATE_CHARS:
        raise DomainError("deadline.unreadable", text=shown)
    # A bare date is what a deadline phrase would introduce: read it as if it followed "hạn", and a bare
    # period ("quý I/2027", "6 tháng đầu năm") as if it followed "trong".
    found = None
    for intro in ("han ", "trong "):
        probe = intro + folded
        if (found := find_deadline(probe, 0, len(probe), today, calendar)) is not None:
            break
    if found is None or found.recurrence is not None:
        raise DomainError("deadline.unreadable", text=shown)
    if found.day is None or found.problem == "impossible_date":
        raise DomainError("deadline.impossible", text=shown)
    return found.day


# A date inside a longer answer: "đề nghị lùi đến 28/2/2027 vì chờ vốn", "ngày 15 tháng 3 năm 2027, do …".
_DATE_IN_TEXT = re.compile(r"(?<![\d/.-])\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?(?![\d/])"
                           r"|\b\d{1,2}\s+thang\s+\d{1,2}(?:\s*,?\s*nam\s+\d{4})?")
_REASON_OPENING = re.compile(r"^[\s,;:.\-–—)]*(?:(?:vi|do|ly\s+do|boi\s+vi|boi)\b\s*(?:la\b)?[\s:,-]*)?")
MIN_REASON_WORDS = 2


def read_date_and_reason(text: str, today: date, calendar: WorkingCalendar) -> tuple[date, str | None]:
    """A new deadline typed alone ("28/2/2027"), or with its reason in the same message ("đề nghị lùi đến
    28/2/2027 vì chờ bố trí vốn"): the day and the reason (None when none is given). Raises as `read_date`
    when no day can be read."""
    clean = " ".join(clean_text(text).split())
    folded = fold_same_length(clean)
    found = _DATE_IN_TEXT.search(folded)
    if found is not None:  # a reason after the day is taken even when the whole text reads as one phrase
        rest = clean[found.end():]
        opening = _REASON_OPENING.match(fold_same_length(rest))
        reason = rest[opening.end() if opening else 0:].strip()
        if len(reason.split()) >= MIN_REASON_WORDS:
            return read_date(clean[found.start():found.end()], today, calendar), reason
    try:
        return read_date(text, today, calendar), None
    except DomainError as error:
        if error.key != "deadline.unreadable" or found is None:
            raise
    return read_date(clean[found.start():found.end()], today, calendar), None


_DOCUMENT_NUMBER = re.compile(r"(?<![\w/])\d{1,6}/(?:\d{4}/)?[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_DOCUMENT_DATE = re.compile(r"(?:ngay\s+)?(?P<d>\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(?P<m>\d{1,2})"
                            r"(?:\s*(?:[/.-]|,?\s+nam\s+)\s*(?P<y>\d{4}|\d{2}))?\b")
MAX_SOURCE_CHARS = 64


def read_source(text: str, today: date, calendar: WorkingCalendar) -> tuple[str, date | None]:
    """A source document as typed: its number/symbol and, when given, its date ('245/TB-UBND ngày
    20/11/2026'; a date without a year is the latest such day up to today). Text with no number is kept
    as the document's name."""
    clean = " ".join(clean_text(text).split())
    folded = fold_same_length(clean)
    day: date | None = None
    found = _DOCUMENT_DATE.search(folded)
    if found:
        day = _past_date(int(found["d"]), int(found["m"]), found["y"], today, clean[found.start():found.end()])
        clean = (clean[: found.start()] + clean[found.end():]).strip(" ,;-")
    number = _DOCUMENT_NUMBER.search(clean)
    name = number.group(0) if number else clean
    if not name:
        raise DomainError("text.empty", field="source")
    if len(name) > MAX_SOURCE_CHARS:
        raise DomainError("text.too_long", field="source", limit=MAX_SOURCE_CHARS)
    return name, day


def find_source_number(text: str) -> str | None:
    """The first document number/symbol a text names ('345/TB-UBND'), if any."""
    found = _DOCUMENT_NUMBER.search(clean_text(text))
    return found.group(0)[:MAX_SOURCE_CHARS] if found else None


def _past_date(day: int, month: int, year: str | None, today: date, shown: str) -> date:
    try:
        if year:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        found = date(today.year, month, day)
        return found if found <= today else date(today.year - 1, month, day)
    except ValueError:
        raise DomainError("deadline.impossible", text=shown[:40]) from None


# A notice's own date, as a pasted notice states it: after its number ("số 215/TB-UBND ngày 02/11/2026",
# "215/TB-UBND, ngày 2 tháng 11 năm 2026") or in its place-and-date line ("Quảng Trị, ngày 2 tháng 11 năm 2026").
_STATED = (r"ngay\s+(?P<d>\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(?P<m>\d{1,2})"
           r"\s*(?:[/.-]|,?\s+nam\s+)\s*(?P<y>\d{4})\b")
_AFTER_NUMBER = re.compile(r"\s*,?\s*(?:ban\s+hanh\s+)?" + _STATED)
_PLACE_DATE = re.compile(r"^[^\W\d_][^\n,]{0,40},\s*" + _STATED, re.MULTILINE)
STATED_DATE_CHARS = 600  # the preamble: a date further down is a task's, not the notice's


def stated_date(text: str, number: str, today: date) -> date | None:
    """The date a pasted notice gives for itself, or None; never a day after `today`. `number` is the
    notice's number as read (spaces removed), found in the text's first lines."""
    folded = fold_same_length(clean_text(text[:STATED_DATE_CHARS]))
    spaced = r"\s*".join(re.escape(ch) for ch in fold_same_length(number).lower() if not ch.isspace())
    found = None
    if spaced and (at := re.search(spaced, folded.lower())) is not None:
        found = _AFTER_NUMBER.match(folded.lower(), at.end())
    found = found or _PLACE_DATE.search(folded.lower())
    if found is None:
        return None
    try:
        day = date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return None
    return day if day <= today else None
