"""The Excel workbook in the layout offices use: the per-unit table, then the directive list; what units
support and the breakdown by leader on sheets of their own. Written in openpyxl's write-only mode, so
memory stays flat whatever the list's length. CPU-bound: call it through `asyncio.to_thread`."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.reports.cells import put
from bot.reports.counts import Counts, Report
from bot.reports.labels import period_name, subject
from bot.reports.listing import Listing
from bot.texts import t

DATE_FORMAT = "DD/MM/YYYY"
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")

UNIT_COLUMNS = ("xlsx.no", "xlsx.unit", "xlsx.total", "xlsx.carried", "xlsx.new", "status.done_on_time",
                "status.done_late", "status.in_progress_on_time", "status.in_progress_overdue", "status.standing",
                "xlsx.rate")
UNIT_WIDTHS = (6, 40, 10, 12, 12, 13, 13, 13, 13, 12, 14)
LIST_COLUMNS = ("xlsx.code", "xlsx.source_number", "xlsx.source_date", "xlsx.content", "xlsx.lead", "xlsx.support",
                "xlsx.leader", "xlsx.assigned_on", "xlsx.deadline", "xlsx.status", "xlsx.completed_on",
                "xlsx.days_late")
LIST_WIDTHS = (14, 16, 12, 60, 30, 30, 24, 12, 12, 24, 14, 10)
SUPPORT_COLUMNS = ("xlsx.no", "xlsx.unit", "xlsx.total", "xlsx.done", "status.in_progress_on_time",
                   "status.in_progress_overdue", "status.standing")
LEADER_COLUMNS = ("xlsx.no", "xlsx.leader", *UNIT_COLUMNS[2:])


def _cell(ws, value, *, bold: bool = False, head: bool = False, date: bool = False, wrap: bool = False):
    """Every value the workbook holds goes through here: text is written as text (bot.reports.cells)."""
    cell = put(WriteOnlyCell(ws), value)
    if bold or head:
        cell.font = _BOLD
    if head:
        cell.fill, cell.alignment = _HEAD_FILL, _HEAD_ALIGN
    if date:
        cell.number_format = DATE_FORMAT
    if wrap:
        cell.alignment = _WRAP
    return cell


def _sheet(wb: Workbook, title: str, widths: tuple[int, ...], freeze: str):
    ws = wb.create_sheet(title[:31])
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = freeze
    return ws


def _rate(counts: Counts) -> float | None:
    return None if counts.rate is None else round(counts.rate * 100, 1)


def _figures(counts: Counts) -> list[object]:
    return [counts.total, counts.carried, counts.new, counts.done_on_time, counts.done_late, counts.on_time,
            counts.overdue, counts.standing, _rate(counts)]


def _row(ws, values: list[object]) -> list[object]:
    return [_cell(ws, v) for v in values]


def _rate_cell(ws, row: list[object], bold: bool = False):
    cells = [_cell(ws, v, bold=bold) for v in row]
    cells[-1].number_format = "0.0"
    return cells


def workbook(report: Report, listing: Listing, lang: str) -> bytes:
    wb = Workbook(write_only=True)
    title = t("xlsx.title", lang, unit=subject(report, lang), period=period_name(report.scope, lang),
              as_of=report.scope.as_of)

    ws = _sheet(wb, t("xlsx.sheet_units", lang), UNIT_WIDTHS, "C4")
    ws.append([_cell(ws, title, bold=True)])
    ws.append([])
    ws.append([_cell(ws, t(key, lang), head=True) for key in UNIT_COLUMNS])
    lead_units = [u for u in report.units if u.lead.total or u.lead.cancelled]
    for number, unit in enumerate(lead_units, 1):
        ws.append(_rate_cell(ws, [number, unit.name, *_figures(unit.lead)]))
    ws.append(_rate_cell(ws, ["", t("xlsx.total_row", lang), *_figures(report.total)], bold=True))
    ws.append([])
    ws.append(_row(ws, [t("xlsx.note_leads", lang)]))
    ws.append(_row(ws, [t("xlsx.note_cancelled", lang, count=report.total.cancelled)]))
    ws.append(_row(ws, [t("xlsx.note_awaiting", lang, count=report.total.awaiting)]))
    ws.append(_row(ws, [t("xlsx.note_rate", lang)]))

    ws = _sheet(wb, t("xlsx.sheet_list", lang), LIST_WIDTHS, "B2")
    ws.append([_cell(ws, t(key, lang), head=True) for key in LIST_COLUMNS])
    for r in listing.rows:
        ws.append([
            _cell(ws, r.code), _cell(ws, r.source_number), _cell(ws, r.source_date, date=True),
            _cell(ws, r.content, wrap=True), _cell(ws, r.lead, wrap=True), _cell(ws, r.support, wrap=True),
            _cell(ws, r.leader), _cell(ws, r.assigned_on, date=True), _cell(ws, r.deadline, date=True),
            _cell(ws, t(r.status, lang)), _cell(ws, r.completed_on, date=True), _cell(ws, r.days_late),
        ])
    if listing.total > len(listing.rows):
        ws.append(_row(ws, [t("xlsx.list_cut", lang, shown=len(listing.rows), total=listing.total)]))

    ws = _sheet(wb, t("xlsx.sheet_support", lang), (6, 40, 10, 12, 13, 13, 12), "C2")
    ws.append([_cell(ws, t(key, lang), head=True) for key in SUPPORT_COLUMNS])
    supporting = [u for u in report.units if u.support.total]
    for number, unit in enumerate(supporting, 1):
        s = unit.support
        ws.append(_row(ws, [number, unit.name, s.total, s.done, s.on_time, s.overdue, s.standing]))

    ws = _sheet(wb, t("xlsx.sheet_leaders", lang), UNIT_WIDTHS, "C2")
    ws.append([_cell(ws, t(key, lang), head=True) for key in LEADER_COLUMNS])
    for number, leader in enumerate(report.leaders, 1):
        ws.append(_rate_cell(ws, [number, leader.name or t("xlsx.no_leader", lang), *_figures(leader.counts)]))

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
