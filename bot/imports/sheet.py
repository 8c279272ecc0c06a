"""The Excel template and its reader. The header row is found within the first rows of the first sheet
that holds one (a title block or an instructions sheet may come first; a header cell may carry a hint such
as "(dd/mm/yyyy)"); every later row is one directive, except rows holding only a number or a total and the
template's example. Dates are date cells, Excel serial numbers or dd/mm/yyyy text; units are codes, names
or group names, several separated by ";", ",", a new line or "và"; "Ngày giao" defaults to "Ngày văn
bản", else today; a filled "Ngày hoàn thành" records the directive as done on that day; "Trạng thái" may
say "Đã huỷ" (the cancellation day is "Ngày hoàn thành" when filled, else "Ngày giao") or use the bot's own
report labels.
Every problem is reported with its row number and nothing is imported while any remains.

A clerk's own sheet is taken too: its column titles are read by meaning (bot/imports/columns.py), only
«Nội dung» and «Đơn vị chủ trì» must be there, and the words people write are understood: «Thường xuyên»
(no deadline) or «trước ngày 15/12/2026» in the deadline column, «Đang triển khai», «Chưa thực hiện»,
«Hoàn thành quá hạn», … as a status, a source cell holding the document's date too ("45/TB-UBND ngày
02/11/2026")."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from bot.domain.calendar import WorkingCalendar
from bot.domain.deadlines import MAX_YEARS_AHEAD
from bot.domain.units import fold
from bot.errors import DomainError
from bot.imports.columns import REQUIRED, Column, read_row
from bot.imports.files import Damaged, damaged, guarded
from bot.imports.limits import MAX_SHEET_CELLS_READ, MAX_SHEET_ROWS, MAX_SHEET_ROWS_READ, MAX_SHEETS, Budget
from bot.parsing.dates import read_date

MAX_ROWS = MAX_SHEET_ROWS
MAX_ERRORS = 30
HEADERS = ("STT", "Số ký hiệu văn bản", "Ngày văn bản", "Lãnh đạo chỉ đạo", "Nội dung", "Đơn vị chủ trì",
           "Đơn vị phối hợp", "Hạn xử lý", "Ngày giao", "Ngày hoàn thành", "Trạng thái", "Ghi chú")
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
_DONE = {"hoan thanh", "da hoan thanh", "hoan thanh dung han", "hoan thanh qua han", "hoan thanh truoc han",
         "da xong", "xong", "hoan thanh tre han", "da hoan thanh dung han", "da hoan thanh qua han"}
_CANCELLED = {"da huy", "huy", "huy bo", "da huy bo", "khong thuc hien", "dung thuc hien", "ngung thuc hien",
              "thu hoi", "da thu hoi"}
_OPEN = {"", "dang thuc hien", "chua thuc hien", "chua hoan thanh", "dang xu ly", "dang thuc hien trong han",
         "dang thuc hien qua han", "trong han", "qua han", "chua den han", "dang trien khai", "chua trien khai",
         "da trien khai", "dang lam", "chua lam", "moi giao", "da giao", "dang giai quyet", "chua giai quyet",
         "cho xu ly", "tam dung", "hoan thanh mot phan", "thuong xuyen", "dang theo doi", "cho xac nhan"}
# Status words are compared without punctuation and case: "Đang thực hiện." and "ĐANG THỰC HIỆN" alike.
_STATUS_PUNCTUATION = re.compile(r"[^\w\s]|_")
_HINTS = re.compile(r"\(.*?\)|\[.*?\]|[*:]")  # "Hạn xử lý (dd/mm/yyyy)*" is named «Hạn xử lý»
# "45/TB-UBND ngày 02/11/2026" in the source column: the number and the document's date.
_SOURCE_DATED = re.compile(r"(?P<n>.*?)[\s,;-]*(?:ngày|ngay)?\s*(?P<d>\d{1,2}[/.-]\d{1,2}[/.-]\d{4})\.?",
                           re.IGNORECASE)
# A deadline cell saying there is none: a standing task (thường xuyên).
_STANDING = {"thuong xuyen", "khong thoi han", "khong co han", "khong co thoi han", "khong xac dinh", "lien tuc"}
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

    from bot.reports.cells import text_rows

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
    text_rows(ws)  # the example is ours, but what is written in a workbook is written as text everywhere
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


@dataclass(frozen=True)
class SheetRead:
    """A sheet's items (or the problems keeping it out) and how its columns were understood."""

    items: list[Item]
    problems: list[Problem]
    columns: tuple[Column, ...] = ()  # each understood column, in the sheet's order
    ignored: tuple[str, ...] = ()  # titles of the header row's other columns, left out
    absent: tuple[str, ...] = ()  # fields with no column (read as empty)


def read_sheet(data: bytes, resolve: Callable[[str], tuple[str, ...] | None], today: date, max_chars: int) \
        -> tuple[list[Item], list[Problem]]:
    """Checked items, or the problems (row-numbered) that keep the file out. `resolve` names the unit
    codes a unit or group name stands for."""
    read = read_sheet_columns(data, resolve, today, max_chars)
    return read.items, read.problems


def read_sheet_columns(data: bytes, resolve: Callable[[str], tuple[str, ...] | None], today: date, max_chars: int,
                       calendar: WorkingCalendar | None = None) -> SheetRead:
    """As `read_sheet`, with how each column was understood; `calendar` reads relative deadlines
    ("trong 10 ngày làm việc") from the day each row was assigned."""
    from openpyxl import load_workbook

    _sizes_from_the_head()
    try:
        wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        damaged(error, "spreadsheet")
        return SheetRead([], [Problem(None, "import.unreadable_sheet")])
    try:
        try:
            for ws in wb.worksheets:
                # Other systems' exports (Apache POI) write <dimension ref="A1"/>; read-only mode would believe it.
                ws.reset_dimensions()
            found = _header(wb.worksheets[:MAX_SHEETS])
        except Exception as error:  # noqa: BLE001 - the header rows are read as openpyxl parses them
            raise damaged(error, "spreadsheet") from error
        if isinstance(found, Problem):
            return SheetRead([], [found])
        ws, row, columns, titles = found
        index = {c.field: c.index for c in columns}
        names = {c.field: " ".join(_HINTS.sub(" ", c.header).split()) for c in columns}
        rows = guarded(ws.iter_rows(min_row=row + 1, values_only=True), "spreadsheet")
        items, problems = _read(rows, row + 1, index, resolve, today, max_chars, calendar or WorkingCalendar(), names)
        used = {c.index for c in columns}
        ignored = tuple(title for i, title in enumerate(titles) if title and i not in used)
        absent = tuple(f for f in _FIELDS if f not in index and f != "no")
        return SheetRead(items, problems, columns, ignored, absent)
    except Damaged:
        return SheetRead([], [Problem(None, "import.unreadable_sheet")])
    finally:
        wb.close()


def _sizes_from_the_head() -> None:
    """openpyxl opens a read-only sheet by looking for its <dimension> element, listening for the ends of
    elements: when the element is missing (a file written without it), the first end it can stop at is that of
    <sheetData>, so the whole sheet is parsed before a row is read — a million rows in 20 s and 200 MB, before
    any cap could count them. The element comes before <sheetData> (ECMA-376), so listening for starts finds
    it, or its absence, at once. The size read is the same; `reset_dimensions` drops it anyway."""
    from openpyxl.worksheet import _reader

    if getattr(_reader.WorkSheetParser.parse_dimensions, "reads_the_head_only", False):
        return

    def parse_dimensions(self):  # noqa: ANN001, ANN202 - openpyxl's signature
        for _event, element in _reader.iterparse(self.source, events=("start",)):
            if element.tag == _reader.DIMENSION_TAG:
                return _reader.SheetDimension.from_tree(element).boundaries
            if element.tag == _reader.DATA_TAG:
                return None
        return None

    parse_dimensions.reads_the_head_only = True  # type: ignore[attr-defined]
    _reader.WorkSheetParser.parse_dimensions = parse_dimensions


def _header(sheets: list[Any]) -> tuple[Any, int, tuple[Column, ...], list[str]] | Problem:
    """The first sheet whose first rows hold a row with the required column titles (read by meaning): the
    sheet, the header's row number, its understood columns and every title in it; else the required columns
    missing from the likeliest row."""
    best: dict[str, Column] = {}
    for ws in sheets:
        for number, values in enumerate(ws.iter_rows(max_row=HEADER_ROWS, values_only=True), 1):
            titles = [" ".join(_text(v).split()) for v in values]
            found = read_row(titles)
            if all(key in found for key in REQUIRED):
                return ws, number, tuple(sorted(found.values(), key=lambda c: c.index)), titles
            if len(found) > len(best):
                best = found
    missing = [HEADERS[_FIELDS.index(key)] for key in REQUIRED if key not in best]
    return Problem(None, "import.missing_columns", {"columns": ", ".join(missing), "rows": HEADER_ROWS})


def _read(rows, first: int, index: dict[str, int], resolve, today: date, max_chars: int,
          calendar: WorkingCalendar, names: dict[str, str] | None = None) -> tuple[list[Item], list[Problem]]:
    items: list[Item] = []
    problems: list[Problem] = []
    seen = 0
    # Counted as read, blank and number-only rows too: a sheet of a million numbered rows is refused at the cap,
    # not after the million.
    read = Budget(MAX_SHEET_ROWS_READ, "import.sheet_too_long")
    read_cells = Budget(MAX_SHEET_CELLS_READ, "import.sheet_too_wide")
    wanted: list[tuple[int, dict[str, object]]] = []
    for number, values in enumerate(rows, first):
        try:
            read.take()
            read_cells.take(len(values))
        except DomainError as cap:
            return [], [Problem(None, cap.key, cap.params)]
        if all(_text(v) == "" for v in values):
            continue
        cells = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
        if _filler(cells) or _example(cells):
            continue
        seen += 1
        if seen > MAX_ROWS:
            return [], [Problem(None, "import.too_many_rows", {"limit": MAX_ROWS})]
        wanted.append((number, cells))
    # Each row is checked (dates, units: ten times the reading's cost) once the sheet is known to fit the caps.
    for number, cells in wanted:
        item = _item(number, cells, resolve, today, max_chars, problems, calendar, names or {})
        if item is not None:
            items.append(item)
    if not items and not problems:
        problems.append(Problem(None, "import.no_rows"))
    return items, problems


def _filler(cells: dict[str, object]) -> bool:
    """A row that holds no directive: only its number (a template numbered ahead, =ROW()-1 dragged down),
    or a total line ("Tổng cộng: 12 nhiệm vụ", maybe with figures). A row with anything else is checked,
    so a directive with missing fields is refused, never dropped."""
    if _text(cells.get("lead")) or _text(cells.get("support")):  # first: it spares folding every real row
        return False
    others = [fold(_text(v)) for key, v in cells.items() if key != "no" and _text(v)]
    if not others:
        return True
    if not any(_TOTAL.match(fold(_text(v))) for v in cells.values()):
        return False
    return all(_TOTAL.match(text) or _NUMBER.fullmatch(text) for text in others)


def _example(cells: dict[str, object]) -> bool:
    """The template's own example, still there: skipped. A row the clerk wrote over it is real work."""
    number = _text(cells.get("no"))
    if not number or number.isdigit():  # most rows: no folding needed to tell
        return False
    return fold(number) == fold(EXAMPLE_MARK) and fold(_text(cells.get("content"))) == fold(EXAMPLE[3])


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


def _words(value: object) -> str:
    """A cell's words as compared: folded, punctuation as spaces."""
    return " ".join(_STATUS_PUNCTUATION.sub(" ", fold(_text(value))).split())


def _status(value: object) -> str | None:
    """'open', 'done' or 'cancelled' for the words people write in a status column; None when unknown.
    A longer note is read by how it starts ("Đang thực hiện, đạt 80 %", "Hoàn thành quá hạn 3 ngày")."""
    words = _words(value)
    for kind, known in (("open", _OPEN), ("done", _DONE), ("cancelled", _CANCELLED)):
        if words in known:
            return kind
    for kind, starts in (("open", ("dang ", "chua ", "da trien khai", "qua han", "trong han", "hoan thanh mot phan")),
                         ("cancelled", ("da huy", "huy ", "khong thuc hien", "dung thuc hien", "ngung thuc hien")),
                         ("done", ("da hoan thanh", "hoan thanh dung han", "hoan thanh qua han", "hoan thanh tre han",
                                   "hoan thanh truoc han", "da xong"))):
        if words.startswith(starts):
            return kind
    return None


def _deadline(value: object, column: str, row: int, problems: list[Problem], assigned: date,
              calendar: WorkingCalendar) -> date | None:
    """A deadline cell: a date, none for a standing task («Thường xuyên», «Không thời hạn», «-»), or a
    phrase as in a notice («trước ngày 15/12/2026», «Quý I/2027», «trong 10 ngày làm việc» from the day
    it was assigned)."""
    if not isinstance(value, str):
        return _date(value, column, row, problems)
    if _words(value) in _STANDING or value.strip() in ("-", "--", "—", "–"):
        return None
    tried: list[Problem] = []
    day = _date(value, column, row, tried)
    if not tried:
        return day
    try:
        return read_date(value, assigned, calendar)
    except DomainError:
        problems.extend(tried)
        return None


def _source(number: str, day: date | None, row: int, problems: list[Problem]) -> tuple[str, date | None]:
    """A source cell may hold the document's date too ("45/TB-UBND ngày 02/11/2026"): it fills «Ngày văn
    bản» when that is empty."""
    found = _SOURCE_DATED.fullmatch(number)
    if found is None or not found["n"].strip(" ,;-"):
        return number, day
    return found["n"].strip(" ,;-"), day or _date(found["d"], HEADERS[2], row, problems)


def _item(row: int, cells: dict[str, object], resolve, today: date, max_chars: int,
          problems: list[Problem], calendar: WorkingCalendar, names: dict[str, str]) -> Item | None:
    """One row, checked; problems name the columns by the sheet's own titles (`names`: field → title)."""
    before = len(problems)

    def title(key: str) -> str:
        return names.get(key) or HEADERS[_FIELDS.index(key)]

    dates = {k: _date(cells.get(k), title(k), row, problems) for k in _DATES if k != "deadline"}
    content = _text(cells.get("content"))
    if not content:
        problems.append(Problem(row, "import.no_content"))
    elif len(content) > max_chars:
        problems.append(Problem(row, "import.too_long", {"column": title("content"), "limit": max_chars}))
    lead = _units(cells.get("lead"), title("lead"), row, resolve, problems)
    if not lead and not _text(cells.get("lead")):
        problems.append(Problem(row, "import.no_lead"))
    support = [c for c in _units(cells.get("support"), title("support"), row, resolve, problems) if c not in lead]
    source_number, source_date = _source(_text(cells.get("source_number")), dates["source_date"], row, problems)
    # Without «Ngày giao», the work was given when its document was issued (a clerk's history sheet), else today.
    assigned = dates["assigned_on"] or (source_date if source_date and source_date <= today else None) or today
    deadline = _deadline(cells.get("deadline"), title("deadline"), row, problems, assigned, calendar)
    completed = dates["completed_on"]
    for key, day in (("assigned_on", dates["assigned_on"]), ("completed_on", completed), ("source_date", source_date)):
        if day and day > today:
            problems.append(Problem(row, "import.future_date", {"column": title(key), "value": day}))
    if deadline and deadline.year > today.year + MAX_YEARS_AHEAD:
        problems.append(Problem(row, "import.deadline_too_far", {"deadline": deadline}))
    elif deadline and deadline < assigned:
        problems.append(Problem(row, "import.deadline_before_assigned", {"deadline": deadline, "assigned": assigned}))
    if completed and completed < assigned:
        problems.append(Problem(row, "import.completed_before_assigned", {"completed": completed, "assigned": assigned}))
    status = _status(cells.get("status"))
    cancelled = None
    if status == "cancelled":
        cancelled, completed = completed or assigned, None
    elif status == "done" and completed is None:
        problems.append(Problem(row, "import.done_without_date"))
    elif status is None:
        problems.append(Problem(row, "import.bad_status", {"value": _text(cells.get("status"))[:30]}))
    leader = _text(cells.get("leader"))
    if len(source_number) > 64 or len(leader) > 200:
        problems.append(Problem(row, "import.too_long", {"column": title("source_number") if len(source_number) > 64
                                                         else title("leader"),
                                                         "limit": 64 if len(source_number) > 64 else 200}))
    if len(problems) > before:
        if len(problems) > MAX_ERRORS:
            del problems[MAX_ERRORS:]
        return None
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return Item(row, content, lead, support, iso(deadline), assigned.isoformat(), iso(completed), iso(cancelled),
                source_number or None, iso(source_date), leader or None, _text(cells.get("note")) or None)
