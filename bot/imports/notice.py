"""Conclusion notices (thông báo kết luận) as DOCX or text PDF: their text, the header's number and date
("Số: 123/TB-UBND", "…, ngày 19 tháng 11 năm 2026") and the leader, then the directive parser on the body.
The header reading is deliberately small: the parser's own notice reader replaces it when it lands."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar
from bot.domain.units import fold
from bot.errors import DomainError
from bot.imports.files import damaged
from bot.imports.limits import (
    MAX_NOTICE_CHARS,
    MAX_NOTICE_ITEMS,
    MAX_PAGES,
    MAX_PARAGRAPHS,
    MAX_PDF_CONTENT_BYTES,
    Budget,
)
from bot.imports.sheet import Item, Problem
from bot.parsing import MAX_MESSAGE_CHARS, UnitIndex, parse_message
from bot.parsing.signoff import sign_off

_NUMBER = re.compile(r"\bS[ốo]\s*:\s*(\d{1,5}\s*/\s*[A-ZĐ0-9][A-ZĐ0-9/\-]*)", re.IGNORECASE)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_NAME = r"[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}"
_LEADER = re.compile(rf"(?:đồng chí|Đồng chí|Đ/c|đ/c)\s+({_NAME})"
                     rf"|(?:Chủ tịch|CHỦ TỊCH)(?:\s+(?:UBND|Ủy ban nhân dân|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+tỉnh)?\s+({_NAME})")
_AS_FOLLOWS = re.compile(r"(?:như|nhu) sau\s*:", re.IGNORECASE)
# "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện." closes every notice.
_CLOSING = re.compile(r"\bthông báo\b.*\bbiết\b", re.IGNORECASE)
_RECIPIENTS = re.compile(r"^\s*N[ơo]i nh[ậa]n\s*:", re.IGNORECASE | re.MULTILINE)
HEADER_LINES = 25
_UNIT_LIST = re.compile(r"\s*\n\s*[-–•+]?\s*|^\s*[-–•+]\s*")  # units one a line, maybe bulleted
# pypdf logs a warning for each flaw it works around in a damaged PDF ("EOF marker not found", "Ignoring wrong
# pointing object"): noise in the bot's log and lines on the CLI's stderr; the file's refusal says it all.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Notice:
    number: str | None
    day: date | None
    leader: str | None
    body: str


def text_of(kind: str, data: bytes, name: str) -> str:
    """The file's text; a file its library cannot read to the end is refused by name (python-docx and pypdf
    read lazily, so a damaged part may fail at any paragraph or page, not only on opening)."""
    try:
        text = _docx_text(data, name) if kind == "docx" else _pdf_text(data, name)
    except DomainError:
        raise
    except Exception as error:  # noqa: BLE001 - see bot.imports.files.Damaged
        from pypdf.errors import PdfReadError

        # A file that is no PDF past its first bytes is "not a readable PDF"; one that breaks later is damaged.
        key = "import.unreadable" if isinstance(error, PdfReadError) else "import.damaged"
        damaged(error, kind)
        raise DomainError(key, file=name[:60]) from None
    if sum(ch.isalpha() for ch in text) < 20:
        raise DomainError("import.no_text", file=name[:60])
    return text


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_docx_size(data: bytes, name: str) -> None:
    """A Word file's paragraphs and text counted as its XML streams past, before python-docx builds the whole
    document in memory: a 50,000-paragraph file is refused at the 5,001st."""
    import zipfile

    from lxml import etree

    paragraphs = Budget(MAX_PARAGRAPHS, "import.too_many_paragraphs", file=name[:60])
    chars = Budget(MAX_NOTICE_CHARS, "import.text_too_long", file=name[:60])
    with zipfile.ZipFile(BytesIO(data)) as archive, archive.open("word/document.xml") as part:
        for _, element in etree.iterparse(part, events=("end",), tag=(f"{_W}p", f"{_W}t"), resolve_entities=False,
                                          no_network=True):
            if element.tag == f"{_W}t":
                chars.take(len(element.text or ""))
            else:
                paragraphs.take()
                element.clear()


def _docx_text(data: bytes, name: str) -> str:
    from docx import Document
    from docx.table import Table

    _check_docx_size(data, name)
    # In reading order: the header (number, date) usually sits in a borderless table on top, and the
    # directives may be listed in a table of their own.
    lines: list[str] = []
    for block in Document(BytesIO(data)).iter_inner_content():
        if not isinstance(block, Table):
            lines.append(block.text)
        elif (directives := _table_directives(block)) is not None:
            lines += directives
        else:
            lines += [text for row in block.rows for text in _row_texts(row)]
    return "\n".join(lines)


def _pdf_text(data: bytes, name: str) -> str:
    return "\n".join(pdf_page_texts(data, name))


def pdf_page_texts(data: bytes, name: str) -> list[str]:
    """Each page's text layer, read within the caps: the pages, their drawing instructions and the text
    (the OCR reader takes its text layers from here too)."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise DomainError("import.password", file=name[:60])
    pages = Budget(MAX_PAGES, "import.too_many_pages", file=name[:60])
    pages.take(len(reader.pages))  # the page tree, read before any page is
    content = Budget(MAX_PDF_CONTENT_BYTES, "import.pdf_too_heavy", file=name[:60])
    chars = Budget(MAX_NOTICE_CHARS, "import.text_too_long", file=name[:60])
    texts = []
    for page in reader.pages:
        drawing = page.get_contents()
        content.take(len(drawing.get_data()) if drawing is not None else 0)
        # Counted as pypdf finds each piece of text, so a page holding too much stops in its middle.
        texts.append(page.extract_text(visitor_text=lambda text, *_: chars.take(len(text))) or "")
    return texts


def _row_texts(row) -> list[str]:
    """A table row's cell texts, a merged cell once (python-docx repeats it for every column it spans)."""
    texts: list[str] = []
    for cell in row.cells:
        if not texts or cell.text != texts[-1]:
            texts.append(cell.text)
    return texts


def _column(titles: list[str], *words: str) -> int | None:
    return next((i for i, title in enumerate(titles) if any(w in title for w in words)), None)


def _table_directives(table) -> list[str] | None:
    """A table listing directives (STT | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn), one
    sentence per row as a notice's body would write it, for the directive parser; None for any other
    table. A row spanning the whole table (a heading such as "I. Lĩnh vực đầu tư") is left out."""
    if not table.rows:
        return None
    titles = [fold(cell.text) for cell in table.rows[0].cells]
    content = _column(titles, "noi dung")
    support = _column(titles, "phoi hop")
    lead = _column(titles, "chu tri")
    if lead is None:  # one "Đơn vị thực hiện" column
        lead = next((i for i, title in enumerate(titles) if "don vi" in title and i != support), None)
    deadline = _column(titles, "thoi han", "han xu ly", "han hoan thanh")
    if content is None or lead is None:
        return None
    lines: list[str] = []
    for row in table.rows[1:]:
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        what, who = cells[content].rstrip(" .;"), _UNIT_LIST.sub(", ", row.cells[lead].text).strip(" ,-")
        if not what or row.cells[content].text == row.cells[lead].text:
            continue
        line = f"{len(lines) + 1}. Giao {who} chủ trì"
        if support is not None and (helpers := _UNIT_LIST.sub(", ", row.cells[support].text).strip(" ,-")):
            line += f", phối hợp với {helpers}"
        line += f": {what}"
        if deadline is not None and cells[deadline]:
            line += f"; thời hạn: {cells[deadline]}"
        lines.append(line + ".")
    return lines


def read_notice(text: str) -> Notice:
    head = "\n".join(text.splitlines()[:HEADER_LINES])
    number = m[1].replace(" ", "") if (m := _NUMBER.search(head)) else None
    day = None
    if m := _DATE.search(head):
        try:
            day = date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            day = None
    leader = None
    if m := _LEADER.search(text):
        leader = " ".join((m[1] or m[2]).split())  # a name wrapped onto the next line is still one name
    else:  # no "đồng chí …" nor "Chủ tịch … <name>" in the text: the sign-off names title and name
        leader = sign_off(text)
    body = text[: m.start()] if (m := _RECIPIENTS.search(text)) else text
    # The directives follow "… kết luận như sau:"; failing that, the header's date line.
    start = _AS_FOLLOWS.search(body) or _DATE.search(body)
    if start is not None:
        body = body[body.index("\n", start.end()) + 1 if "\n" in body[start.end():] else start.end():]
    lines = [line for line in body.splitlines()
             if not (line.strip() and line.strip().upper() == line.strip()) and not _CLOSING.search(line)]
    return Notice(number, day, leader, "\n".join(lines))


def _chunks(body: str) -> list[str]:
    """The body in pieces the message parser takes, cut between lines."""
    chunks, current = [], ""
    for line in body.splitlines():
        if len(current) + len(line) + 1 > MAX_MESSAGE_CHARS - 96 and current:
            chunks.append(current)
            current = ""
        current += line[: MAX_MESSAGE_CHARS - 96] + "\n"
    if current.strip():
        chunks.append(current)
    return chunks


def notice_items(notice: Notice, index: UnitIndex, calendar: WorkingCalendar, today: date, tz: ZoneInfo) \
        -> tuple[list[Item], list[Problem]]:
    """Each directive of the notice as an item (numbered in order), or the problems naming them."""
    day = notice.day if notice.day is not None and notice.day <= today else today
    at = datetime.combine(day, time(8), tzinfo=tz)
    items: list[Item] = []
    problems: list[Problem] = []
    number = 0
    for chunk in _chunks(notice.body):
        result = parse_message(chunk, at=at, calendar=calendar, index=index)
        if result.kind != "directives":
            continue
        if number + len(result.directives) > MAX_NOTICE_ITEMS:  # no conclusion notice holds that many
            return [], [Problem(None, "import.too_many_items", {"limit": MAX_NOTICE_ITEMS})]
        for draft in result.directives:
            number += 1
            lead = list(index.expand(draft.lead))
            support = [c for c in index.expand(draft.support) if c not in lead]
            before = len(problems)
            if not lead:
                problems.append(Problem(number, "import.notice_no_lead", {"text": draft.content[:80]}))
            for name in draft.unresolved:
                problems.append(Problem(number, "import.notice_unknown_unit", {"value": name[:60]}))
            if "impossible_date" in draft.problems:
                problems.append(Problem(number, "import.notice_bad_deadline", {"text": draft.content[:80]}))
            if "two_deadlines" in draft.problems:  # the parser asks rather than guess: so does the import
                problems.append(Problem(number, "import.notice_two_deadlines", {"text": draft.content[:80]}))
            if "maybe_background" in draft.problems:
                problems.append(Problem(number, "import.notice_background", {"text": draft.content[:80]}))
            if len(problems) > before:
                continue
            deadline = draft.deadline if draft.deadline and draft.deadline >= day else None
            if draft.deadline and deadline is None:
                problems.append(Problem(number, "import.notice_bad_deadline", {"text": draft.content[:80]}))
                continue
            items.append(Item(number, draft.content, lead, support, deadline.isoformat() if deadline else None,
                              day.isoformat(), source_number=notice.number or draft.source,
                              source_date=notice.day.isoformat() if notice.day else None, leader_name=notice.leader))
    if not items and not problems:
        problems.append(Problem(None, "import.notice_empty"))
    return items, problems
