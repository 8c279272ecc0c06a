"""A whole conclusion notice (thông báo kết luận) as text extracted from a DOCX or PDF, for the import.

Unlike a chat message it has no size limit worth the name and a header that says which notice it is
("Số: 123/TB-UBND", "…, ngày 19 tháng 11 năm 2026") and whose conclusion it records ("Kết luận của Phó
Chủ tịch UBND tỉnh Nguyễn Văn A"); every draft carries those.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from bot.domain.calendar import WorkingCalendar
from bot.parsing.directives import parse_directives
from bot.parsing.message import office_day
from bot.parsing.normalise import Analysed, is_blank
from bot.parsing.result import REASON_EMPTY, REASON_NOT_UNDERSTOOD, REASON_TOO_LONG, ParseResult
from bot.parsing.signoff import sign_off
from bot.parsing.unit_index import UnitIndex

# Far above any real notice (a long one is ~30,000 characters): past this the text is not a notice.
MAX_NOTICE_CHARS = 400_000
_HEADER_CHARS = 3_000
_RECIPIENTS = re.compile(r"^\s*Nơi\s+nhận\s*:", re.MULTILINE | re.IGNORECASE)
_NUMBER = re.compile(r"\bS[ốo]\s*(?:hiệu|hieu)?\s*[:.]?\s*(?P<n>\d{1,6}\s*/\s*(?:\d{4}\s*/\s*)?[A-ZĐ][A-ZĐ0-9]*(?:\s*-\s*[A-ZĐ0-9]+)*)",
                     re.IGNORECASE)
_DATE = re.compile(r"ng[àa]y\s+(?P<d>\d{1,2})\s+th[áa]ng\s+(?P<m>\d{1,2})\s+n[ăa]m\s+(?P<y>\d{4})", re.IGNORECASE)
_LEADER = re.compile(r"(?:k[ếe]t\s+lu[ậa]n|ch[ỉi]\s+đ[ạa]o)\s+c[ủu]a\s+(?:đồng\s+chí\s+)?"
                     r"(?P<title>(?:(?:Quyền|Phó)\s+)?Chủ\s+tịch(?:\s+Thường\s+trực)?\s+(?:UBND|Ủy\s+ban\s+nhân\s+dân)\s+"
                     r"(?:tỉnh|thành\s+phố))"
                     r"(?P<name>(?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][\wÀ-ỹ]*){2,4})?")


def parse_notice(text: str, *, at: datetime, index: UnitIndex, calendar: WorkingCalendar) -> ParseResult:
    """The drafts of every numbered item of a conclusion notice's full text.

    Contract for the document import:
    - `text` is the notice as extracted (line breaks kept, any length up to MAX_NOTICE_CHARS); `at` is
      when it is imported. Dates without a year and relative deadlines ("trong 10 ngày") count from the
      notice's own date when its header gives one, else from `at`.
    - Returns `ParseResult("directives", …)` in the notice's order, each draft with `source` (the
      header's number, e.g. "123/TB-UBND"), `source_date` and `leader` (e.g. "Phó Chủ tịch UBND tỉnh
      Nguyễn Văn A") when the notice states them; unresolved units and other problems are on each draft
      as for a chat message. A text with no directive gives `ParseResult.unknown(reason)`.
    - Pure and deterministic; never raises for any text.
    """
    if len(text) > MAX_NOTICE_CHARS:
        return ParseResult.unknown(REASON_TOO_LONG)
    if is_blank(text):
        return ParseResult.unknown(REASON_EMPTY)
    msg = Analysed.of(text)
    header = msg.text[:_HEADER_CHARS]
    number = _NUMBER.search(header)
    source = re.sub(r"\s+", "", number["n"]) if number else None
    source_date = _header_date(header)
    leader_match = _LEADER.search(msg.text[: _HEADER_CHARS * 2])
    leader = " ".join((leader_match["title"] + (leader_match["name"] or "")).split()) if leader_match else None
    if leader is None or not (leader_match and leader_match["name"]):
        leader = sign_off(msg.text) or leader
    today = source_date or office_day(at)
    body = msg
    dated = _DATE.search(header)
    if dated:  # the place-and-date line and what precedes it are the letterhead, not a task
        line_end = msg.text.find("\n", dated.end())
        body = Analysed.of(msg.text[line_end + 1:]) if line_end != -1 else msg
    recipients = _RECIPIENTS.search(body.text)
    if recipients:  # the distribution list at the foot assigns nothing
        body = Analysed.of(body.text[: recipients.start()])
    drafts = parse_directives(body, index, today, calendar)
    if not drafts:
        return ParseResult.unknown(REASON_NOT_UNDERSTOOD)
    drafts = [replace(d, source=source or d.source, source_date=source_date, leader=leader) for d in drafts]
    return ParseResult("directives", directives=tuple(drafts))


def _header_date(header: str) -> date | None:
    m = _DATE.search(header)
    if not m:
        return None
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
