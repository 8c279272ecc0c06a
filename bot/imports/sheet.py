"""The Excel template and its reader. The header row is found within the first rows of the first sheet
that holds one (a title block or an instructions sheet may come first; a header cell may carry a hint such
as "(dd/mm/yyyy)"); every later row is one directive, except rows holding only a number or a total and the
template's example. Dates are date cells, Excel serial numbers or dd/mm/yyyy text; units are codes, names
or group names, several separated by ";", ",", a new line or "và"; "Ngày giao" defaults to today; a filled
"Ngày hoàn thành" records the directive as done on that day; "Trạng thái" may say "Đã huỷ" (the
cancellation day is "Ngày hoàn thành" when filled, else "Ngày giao") or use the bot's own report labels.
Every problem is reported with its row number and nothing is imported while any remains."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from bot.domain.deadlines import MAX_YEARS_AHEAD
from bot.domain.units import fold

MAX_ROWS = 10_000
MAX_ERRORS = 30
HEADERS = ("STT", "Số ký hiệu văn bản", "Ngày văn bản", "Lãnh đạo chỉ đạo", "Nội dung", "Đơn vị chủ trì",
           "Đơn vị phối hợp", "Hạn xử lý", "Ngày giao", "Ngày hoàn thành", "Trạng thái", "Ghi chú")
OPTIONAL = {"STT", "Ghi chú"}
_FIELDS = ("no", "source_number", "source_date", "leader", "content", "lead", "support", "deadline", "assigned_on",
           "completed_on", "status", "note")
_DATES = {"source_date", "deadline", "assigned_on", "completed_on"}
HEADER_ROWS = 10  # how far down a sheet its header row may be (below a title block)
# "15/12/2026", "ngày 15/12/2026", "2026-12-15", each maybe followed by a time of day.
_TEXT_DATE = re.compile(r"(?:ngày\s*)?(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{2})-(\d{2}))"
                        r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", re.IGNORECASE)
# A number in a General-format cell is Excel's serial for a date: accepted from 1990 to 2100 only, so that
# a number typed by mistake is still refused.
_SERIALS = (32874, 73051)
# The bot's own report labels (status.* in the text catalogue) are accepted, so a report can be re-imported.
_DONE = {"hoan thanh", "da hoan thanh", "hoan thanh dung han", "hoan thanh qua han", "hoan thanh truoc han"}
_CANCELLED = {"da huy", "huy"}
_OPEN = {"", "dang thuc hien", "chua thuc hien", "chua hoan thanh", "dang xu ly", "dang thuc hien trong han",
         "dang thuc hien qua han", "trong han", "qua han", "chua den han"}
_HINT = re.compile(r"\(.*?\)|\[.*?\]|[*:]")
_UNIT_SEPARATORS = re.compile(r"(\s*[;,\n]\s*|\s+và\s+)", re.IGNORECASE)
_BULLET = re.compile(r"^[-–•+*]\s*")
MAX_UNIT_PARTS = 8  # the most separator-cut pieces one unit or group name is tried across
# "Tổng cộng: 12", "Tổng số 12 nhiệm vụ", "Cộng:" — not a content that starts with "Công an…".
_TOTAL = re.compile(r"(tong cong|tong so)\b|cong\s*(:|$)")
_NUMBER = re.compile(r"[\d.,]+")
EXAMPLE_MARK = "Ví dụ"  # the template's example row says so in «STT»; the reader skips it
EXAMPLE = ("123/TB-UBND", date(2026, 11, 19), "Nguyễn Văn A", "Rà soát các dự án chậm tiến độ", "SXD",
           "STC; Sở Y tế", date(2026, 12, 15), date(2026, 11, 20), None, "Đang thực hiện", "")


@dataclass(frozen=True)
class Problem:
    row: int | None  # None: about the file, not one row
    key: str  # text catalogue key
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """One directive to import, checked; JSON-able (kept in import_batches until confirmed)."""

    row: int
    content: str
    lead: list[str]
    support: list[str]
    deadline: str | None
    assigned_on: str
    completed_on: str | None = None
    cancelled_on: str | None = None
    source_number: str | None = None
    source_date: str | None = None
    leader_name: str | None = None
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def key(self) -> str:
        return import_key(self.content, self.lead, self.source_number, self.source_date)


def import_key(content: str, lead: list[str], source_number: str | None, source_date: str | None) -> str:
    """The fingerprint an imported directive keeps, so that sending the same sheet or notice again (another
    day, retyped with other accents, case or spacing) skips it instead of assigning the work twice."""
    parts = (fold(content), ";".join(sorted(lead)), fold(source_number or "").replace(" ", ""), source_date or "")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def template() -> bytes:
    """The empty template: header on row 1, one example row (marked, never imported), real date cells,
    sensible widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(list(HEADERS))
    ws.append([EXAMPLE_MARK, *EXAMPLE])
    for cell in ("C2", "H2", "I2", "J2"):
        ws[cell].number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHIJKL", (6, 18, 13, 22, 60, 24, 28, 13, 13, 15, 16, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _date(value: object, column: str, row: int, problems: list[Problem]) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and _SERIALS[0] <= value <= _SERIALS[1]:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    if isinstance(value, str) and (m := _TEXT_DATE.fullmatch(value.strip())):
        try:
            if m[1]:
                return date(int(m[3]), int(m[2]), int(m[1]))
            return date(int(m[4]), int(m[5]), int(m[6]))
        except ValueError:
            problems.append(Problem(row, "import.impossible_date", {"column": column, "value": value.strip()}))
            return None
    problems.append(Problem(row, "import.bad_date", {"column": column, "value": str(value)[:30]}))
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(data: bytes, resolve: Callable[[str], tuple[str, ...] | None], today: date, max_chars: int) \
        -> tuple[list[Item], list[Problem]]:
    """Checked items, or the problems (row-numbered) that keep the file out. `resolve` names the unit
    codes a unit or group name stands for."""
    try:
        from openpyxl import load_workbook

        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        return [], [Problem(None, "import.unreadable_sheet")]
    try:
        for ws in wb.worksheets:
            # Other systems' exports (Apache POI) write <dimension ref="A1"/>; read-only mode would believe it.
            ws.reset_dimensions()
        found = _header(wb.worksheets)
        if isinstance(found, Problem):
            return [], [found]
        ws, row, index = found
        return _read(ws.iter_rows(min_row=row + 1, values_only=True), row + 1, index, resolve, today, max_chars)
    finally:
        wb.close()


def _header_key(text: str) -> str:
    return fold(_HINT.sub(" ", text))


def _header(sheets: list[Any]) -> tuple[Any, int, dict[str, int]] | Problem:
    """The first sheet whose first rows hold every required column title: the sheet, the header's row
    number and each field's column; else the columns missing from the likeliest row."""
    wanted = {_header_key(name): key for name, key in zip(HEADERS, _FIELDS, strict=True)}
    best: dict[str, int] = {}
    for ws in sheets:
        for number, values in enumerate(ws.iter_rows(max_row=HEADER_ROWS, values_only=True), 1):
            index: dict[str, int] = {}
            for column, value in enumerate(values):
                key = wanted.get(_header_key(_text(value)))
                if key is not None:
                    index.setdefault(key, column)
            if all(key in index for name, key in zip(HEADERS, _FIELDS, strict=True) if name not in OPTIONAL):
                return ws, number, index
            if len(index) > len(best):
                best = index
    missing = [name for name, key in zip(HEADERS, _FIELDS, strict=True) if name not in OPTIONAL and key not in best]
    return Problem(None, "import.missing_columns", {"columns": ", ".join(missing), "rows": HEADER_ROWS})


def _read(rows, first: int, index: dict[str, int], resolve, today: date, max_chars: int) \
        -> tuple[list[Item], list[Problem]]:
    items: list[Item] = []
    problems: list[Problem] = []
    seen = 0
    for number, values in enumerate(rows, first):
        if all(_text(v) == "" for v in values):
            continue
        cells = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
        if _filler(cells) or _example(cells):
            continue
        seen += 1
        if seen > MAX_ROWS:
            return [], [Problem(None, "import.too_many_rows", {"limit": MAX_ROWS})]
        item = _item(number, cells, resolve, today, max_chars, problems)
        if item is not None:
            items.append(item)
    if not items and not problems:
        problems.append(Problem(None, "import.no_rows"))
    return items, problems


def _filler(cells: dict[str, object]) -> bool:
    """A row that holds no directive: only its number (a template numbered ahead, =ROW()-1 dragged down),
    or a total line ("Tổng cộng: 12 nhiệm vụ", maybe with figures). A row with anything else is checked,
    so a directive with missing fields is refused, never dropped."""
    others = [fold(_text(v)) for key, v in cells.items() if key != "no" and _text(v)]
    if not others:
        return True
    if _text(cells.get("lead")) or _text(cells.get("support")):
        return False
    if not any(_TOTAL.match(fold(_text(v))) for v in cells.values()):
        return False
    return all(_TOTAL.match(text) or _NUMBER.fullmatch(text) for text in others)


def _example(cells: dict[str, object]) -> bool:
    """The template's own example, still there: skipped. A row the clerk wrote over it is real work."""
    return fold(_text(cells.get("no"))) == fold(EXAMPLE_MARK) and fold(_text(cells.get("content"))) == fold(EXAMPLE[3])


def _units(value: object, column: str, row: int, resolve, problems: list[Problem]) -> list[str]:
    """The unit codes a cell names. Known names are matched first, the longest across separators winning,
    since an official name may hold a comma or "và" ("Sở Văn hóa, Thể thao và Du lịch", "Các sở, ban,
    ngành"); whatever is left is cut at the separators."""
    parts = _UNIT_SEPARATORS.split(_text(value))  # names at even places, the separators between them
    names = parts[::2]
    codes: list[str] = []
    start = 0
    while start < len(names):
        if not _BULLET.sub("", names[start]).strip():
            start += 1
            continue
        for end in range(min(len(names), start + MAX_UNIT_PARTS), start, -1):
            found = resolve(_BULLET.sub("", "".join(parts[2 * start:2 * end - 1])).strip())
            if found is not None:
                codes.extend(c for c in found if c not in codes)
                start = end
                break
        else:
            name = _BULLET.sub("", names[start]).strip()
            problems.append(Problem(row, "import.unknown_unit", {"column": column, "value": name[:60]}))
            start += 1
    return codes


def _item(row: int, cells: dict[str, object], resolve, today: date, max_chars: int,
          problems: list[Problem]) -> Item | None:
    before = len(problems)
    dates = {k: _date(cells.get(k), HEADERS[_FIELDS.index(k)], row, problems) for k in _DATES}
    content = _text(cells.get("content"))
    if not content:
        problems.append(Problem(row, "import.no_content"))
    elif len(content) > max_chars:
        problems.append(Problem(row, "import.too_long", {"column": HEADERS[4], "limit": max_chars}))
    lead = _units(cells.get("lead"), HEADERS[5], row, resolve, problems)
    if not lead and not _text(cells.get("lead")):
        problems.append(Problem(row, "import.no_lead"))
    support = [c for c in _units(cells.get("support"), HEADERS[6], row, resolve, problems) if c not in lead]
    assigned = dates["assigned_on"] or today
    deadline, completed = dates["deadline"], dates["completed_on"]
    for key in ("assigned_on", "completed_on", "source_date"):
        if dates[key] and dates[key] > today:  # type: ignore[operator]
            problems.append(Problem(row, "import.future_date", {"column": HEADERS[_FIELDS.index(key)],
                                                                 "value": dates[key]}))
    if deadline and deadline.year > today.year + MAX_YEARS_AHEAD:
        problems.append(Problem(row, "import.deadline_too_far", {"deadline": deadline}))
    elif deadline and deadline < assigned:
        problems.append(Problem(row, "import.deadline_before_assigned", {"deadline": deadline, "assigned": assigned}))
    if completed and completed < assigned:
        problems.append(Problem(row, "import.completed_before_assigned", {"completed": completed, "assigned": assigned}))
    status = fold(_text(cells.get("status")))
    cancelled = None
    if status in _CANCELLED:
        cancelled, completed = completed or assigned, None
    elif status in _DONE and completed is None:
        problems.append(Problem(row, "import.done_without_date"))
    elif status not in _DONE and status not in _OPEN:
        problems.append(Problem(row, "import.bad_status", {"value": _text(cells.get("status"))[:30]}))
    source_number, leader = _text(cells.get("source_number")), _text(cells.get("leader"))
    if len(source_number) > 64 or len(leader) > 200:
        problems.append(Problem(row, "import.too_long", {"column": HEADERS[1] if len(source_number) > 64 else HEADERS[3],
                                                         "limit": 64 if len(source_number) > 64 else 200}))
    if len(problems) > before:
        if len(problems) > MAX_ERRORS:
            del problems[MAX_ERRORS:]
        return None
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return Item(row, content, lead, support, iso(deadline), assigned.isoformat(), iso(completed), iso(cancelled),
                source_number or None, iso(dates["source_date"]), leader or None, _text(cells.get("note")) or None)
