"""Text typed by people or imported from files is written into every workbook as text, never as a formula
(OWASP: CSV/formula injection): the report's every sheet and text column, and the import template. Each file is
opened again and every cell checked."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import load_workbook

from bot.imports.sheet import HEADERS, template
from bot.reports.cells import FORMULA_STARTS, put
from bot.services import access, imports, reports, units
from bot.services import directives as svc
from tests.conftest import NOW
from tests.integration.conftest import UNITS_CSV

# What OWASP lists as the starts of a formula, and the same in full-width letters.
HOSTILE = ['=HYPERLINK("http://evil.example/x","bấm")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "=cmd|' /C calc'!A0",
           "＝1+1"]
EVIL_UNIT = '=HYPERLINK("http://evil.example/u","Sở")'
EVIL_LEADER = "=1+2 Nguyễn Văn Ác"


def _units_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["EVIL", EVIL_UNIT, "department", "so-nganh", ""])
    writer.writerow(["EVIL2", "@SUM(1;2) phường", "commune", "dia-phuong", ""])
    return UNITS_CSV + out.getvalue()


def cells(data: bytes) -> list[tuple[str, str, object, str, bool]]:
    """(sheet, coordinate, value, data type, quote prefix) of every cell of a workbook."""
    book = load_workbook(io.BytesIO(data))
    return [(ws.title, c.coordinate, c.value, c.data_type, bool(c.quotePrefix))
            for ws in book.worksheets for row in ws.iter_rows() for c in row]


def assert_text_only(data: bytes, expected: list[str]) -> None:
    found = cells(data)
    formulas = [(s, c, v) for s, c, v, kind, _ in found if kind == "f"]
    assert not formulas, formulas
    # Excel's own mark for text typed after an apostrophe: editing the cell later keeps it text too.
    unmarked = [(s, c, v) for s, c, v, _, quoted in found if isinstance(v, str) and v.startswith(FORMULA_STARTS)
                and not quoted]
    assert not unmarked, unmarked
    values = {v for _, _, v, _, _ in found if isinstance(v, str)}
    missing = [text for text in expected if not any(text in v for v in values)]
    assert not missing, f"not written as typed: {missing}"


async def test_every_text_column_of_every_sheet_of_the_report_is_text(rt):
    await units.import_units(rt, _units_csv(), None, now=NOW)
    invite = await access.create_invite(rt, role="leader", unit_code=None, now=NOW)
    leader = await access.register(rt, 1002, invite.token, full_name=EVIL_LEADER, username=None, language="vi",
                                   now=NOW)
    specs = [svc.NewDirective(text, ["EVIL"], ["EVIL2"], date(2026, 12, 15), source_number=f"{text[:20]}/TB",
                              source_date=date(2026, 11, 1), leader_name=None if i % 2 else f"@{i} lãnh đạo")
             for i, text in enumerate(HOSTILE)]
    specs.append(svc.NewDirective("Việc thường xuyên", ["EVIL2"], ["EVIL"], None))
    cards = await svc.create_directives(rt, leader.id, specs, now=NOW - timedelta(days=40))
    await svc.cancel(rt, leader.id, cards[0].code, "=1+1 lý do huỷ", now=NOW)
    expected = [*(h.strip() for h in HOSTILE[1:]), EVIL_UNIT, "@SUM(1;2) phường", EVIL_LEADER, "@2 lãnh đạo", f"{HOSTILE[1][:20]}/TB"]
    for unit in (None, "EVIL"):
        scope = reports.scope_for(rt, now=NOW, period="2026-11", unit_code=unit)
        file = await reports.report_file(rt, None, scope, "xlsx", "vi", now=NOW)
        assert_text_only(file.data, expected if unit is None else [EVIL_UNIT, *(h.strip() for h in HOSTILE[1:])])
    assert {s for s, *_ in cells(file.data)} >= {"Theo lãnh đạo", "Danh sách nhiệm vụ"}


async def test_text_imported_from_a_sheet_is_exported_as_it_was_typed(rt, people):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    for i, text in enumerate(HOSTILE):
        row = [i + 1, f"{i}{text[:10]}/TB-UBND", "02/11/2026", text, text, "SXD", "STC", "15/12/2026", "03/11/2026",
               None, "Đang thực hiện", text]
        ws.append([put(ws.cell(row=i + 2, column=n + 1), v).value for n, v in enumerate(row)])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            put(cell, cell.value)  # typed as text in the source file too, as a clerk's Excel would keep them
    out = io.BytesIO()
    wb.save(out)
    preview, applied = await imports.import_file(rt, "ac-y.xlsx", out.getvalue(), now=NOW)
    assert applied is not None and applied.count == len(HOSTILE), preview.problems
    scope = reports.scope_for(rt, now=NOW, period="2026-11")
    file = await reports.report_file(rt, None, scope, "xlsx", "vi", now=NOW)
    assert_text_only(file.data, [text.strip() for text in HOSTILE])


def test_the_import_template_holds_no_formula():
    assert not [c for c in cells(template()) if c[3] == "f"]


def test_control_characters_that_xml_cannot_hold_are_dropped_rather_than_breaking_the_workbook():
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    from openpyxl.cell import WriteOnlyCell

    ws.append([put(WriteOnlyCell(ws), "=a\x01b\x0bc")])
    out = io.BytesIO()
    wb.save(out)
    [(_, _, value, kind, _)] = cells(out.getvalue())
    assert (value, kind) == ("=abc", "s")
