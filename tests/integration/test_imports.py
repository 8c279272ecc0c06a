"""Imports: conclusion notices (DOCX, text PDF) become the expected drafts; bad files are named and import
nothing; the CLI imports, previews with --dry-run, refuses with exit code 1, writes reports and the template."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import matplotlib
import pytest
from docx import Document
from matplotlib.backends.backend_pdf import FigureCanvasPdf
from matplotlib.figure import Figure
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.cli import main
from bot.errors import DomainError
from bot.services import imports
from storage.models import Directive
from tests.conftest import NOW

HEADER = [("UBND TỈNH THỪA THIÊN HUẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
          ("Số: 123/TB-UBND", "Huế, ngày 19 tháng 11 năm 2026")]
BODY = [
    "THÔNG BÁO",
    "Kết luận của Phó Chủ tịch UBND tỉnh Nguyễn Văn An tại cuộc họp nghe báo cáo tình hình đầu tư công",
    "Ngày 17/11/2026, đồng chí Nguyễn Văn An, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp. Sau khi nghe báo cáo, "
    "Phó Chủ tịch kết luận như sau:",
    "1. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án chậm tiến độ, báo cáo UBND tỉnh "
    "trước ngày 15/12/2026.",
    "2. Giao Sở Y tế kiểm tra an toàn thực phẩm tại các trường học, hoàn thành trước ngày 30/12/2026.",
    "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện.",
    "Nơi nhận:",
    "- Như trên;",
    "- Lưu: VT.",
]
EXPECTED = [(["SXD"], ["STC"], "2026-12-15", "rà soát các dự án chậm tiến độ"),
            (["SYT"], [], "2026-12-30", "kiểm tra an toàn thực phẩm")]


def notice_docx() -> bytes:
    document = Document()
    table = document.add_table(rows=2, cols=2)
    for row, (left, right) in zip(table.rows, HEADER, strict=True):
        row.cells[0].text, row.cells[1].text = left, right
    for line in BODY:
        document.add_paragraph(line)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(lines: list[str], image: bool = False) -> bytes:
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        figure = Figure(figsize=(8.27, 11.69))
        FigureCanvasPdf(figure)
        if image:
            figure.figimage([[0.2, 0.8], [0.8, 0.2]], resize=False)
        for i, line in enumerate(lines):
            figure.text(0.04, 0.96 - i * 0.025, line, fontsize=7)
        out = BytesIO()
        figure.savefig(out, format="pdf")
        return out.getvalue()


def notice_pdf() -> bytes:
    return pdf([f"{a}    {b}" for a, b in HEADER] + BODY)


def items_of(preview):
    return [(i.lead, i.support, i.deadline, i.content) for i in preview.items]


@pytest.mark.parametrize("name, make", [("thong-bao.docx", notice_docx), ("thong-bao.pdf", notice_pdf)])
async def test_a_conclusion_notice_becomes_the_expected_drafts_with_its_number_date_and_leader(rt, people, name, make):
    preview = await imports.stage(rt, people.admin, name, make(), now=NOW)
    assert preview.ok, preview.problems
    got = items_of(preview)
    assert [(lead, support, deadline) for lead, support, deadline, _ in got] == [e[:3] for e in EXPECTED]
    assert all(phrase in content for (*_, content), (*_, phrase) in zip(got, EXPECTED, strict=True))
    assert (preview.source_number, preview.source_date, preview.leader) == ("123/TB-UBND", date(2026, 11, 19),
                                                                           "Nguyễn Văn An")
    applied = await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=NOW)
    assert applied.count == 2
    async with rt.sessions() as s:
        rows = list(await s.scalars(select(Directive).order_by(Directive.id)))
    assert [(d.state, d.source_number, d.source_date, d.leader_name, d.assigned_on) for d in rows] == [
        ("assigned", "123/TB-UBND", date(2026, 11, 19), "Nguyễn Văn An", date(2026, 11, 19))] * 2


async def test_a_scanned_or_password_protected_file_is_named_and_nothing_is_kept(rt, people):
    from pypdf import PdfReader, PdfWriter

    from bot.imports.ocr.engine import missing

    with pytest.raises(DomainError) as scanned:  # a scan whose only page holds no print
        await imports.stage(rt, people.admin, "scan.pdf", pdf([], image=True), now=NOW)
    assert scanned.value.key == ("ocr.missing" if missing() else "ocr.blank")
    writer = PdfWriter(clone_from=PdfReader(BytesIO(notice_pdf())))
    writer.encrypt("mat-khau")
    locked = BytesIO()
    writer.write(locked)
    with pytest.raises(DomainError) as protected:
        await imports.stage(rt, people.admin, "khoa.pdf", locked.getvalue(), now=NOW)
    assert protected.value.key == "import.password"
    office_encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le")
    with pytest.raises(DomainError) as sheet:
        await imports.stage(rt, people.admin, "theo-doi.xlsx", office_encrypted, now=NOW)
    assert sheet.value.key == "import.password"


async def test_missing_columns_unknown_units_a_deadline_before_assignment_and_50000_rows_are_refused(rt, people):
    from openpyxl import Workbook

    from bot.imports.sheet import HEADERS, MAX_ROWS

    def book(header: list[str], rows: list[list[object]]) -> bytes:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(header)
        for row in rows:
            ws.append(row)
        out = BytesIO()
        wb.save(out)
        return out.getvalue()

    row = [1, "", None, "", "Rà soát", "Sở Không Có", "SXD", date(2026, 11, 1), date(2026, 11, 10), None, "", ""]
    preview = await imports.stage(rt, people.admin, "a.xlsx", book(list(HEADERS), [row]), now=NOW)
    keys = {p.key for p in preview.problems}
    assert keys == {"import.unknown_unit", "import.deadline_before_assigned"} and preview.batch_id is None
    far = [1, "", None, "", "Rà soát", "SXD", "", date(9999, 12, 31), date(2026, 11, 10), None, "", ""]
    preview = await imports.stage(rt, people.admin, "far.xlsx", book(list(HEADERS), [far]), now=NOW)
    assert [p.key for p in preview.problems] == ["import.deadline_too_far"] and preview.batch_id is None
    preview = await imports.stage(rt, people.admin, "b.xlsx", book(list(HEADERS[:5]), [row[:5]]), now=NOW)
    assert preview.problems[0].key == "import.missing_columns" and "Đơn vị chủ trì" in preview.problems[0].params["columns"]
    many = [[n, "", None, "", f"Việc {n}", "SXD", "", None, None, None, "", ""] for n in range(50_000)]
    preview = await imports.stage(rt, people.admin, "c.xlsx", book(list(HEADERS), many), now=NOW)
    assert preview.problems[0].key == "import.too_many_rows" and preview.problems[0].params["limit"] == MAX_ROWS
    wrong_type = [1, "", None, "", "Rà soát", "SXD", "", 12345, None, None, "", ""]
    preview = await imports.stage(rt, people.admin, "d.xlsx", book(list(HEADERS), [wrong_type]), now=NOW)
    assert [(p.row, p.key) for p in preview.problems] == [(2, "import.bad_date")]
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == 0


@pytest.fixture
def office(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    from tests.integration.conftest import UNITS_CSV

    (tmp_path / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    assert main(["import-units", str(tmp_path / "units.csv")]) == 0
    return tmp_path


def test_the_cli_writes_the_template_imports_it_filled_in_and_writes_the_report(office, capsys):
    from openpyxl import load_workbook as load

    last_year = date.today().year - 1
    assert main(["template", "mau.xlsx"]) == 0
    book = load(office / "mau.xlsx")
    ws = book.active
    ws.delete_rows(2)
    ws.append([1, "7/TB-UBND", date(last_year, 3, 1), "Nguyễn Văn An", "Rà soát quy hoạch", "SXD", "Sở Tài chính",
               date(last_year, 3, 31), date(last_year, 3, 2), date(last_year, 4, 3), "Hoàn thành", ""])
    ws.append([2, "7/TB-UBND", date(last_year, 3, 1), "Nguyễn Văn An", "Kiểm tra bệnh viện", "SYT", "",
               date(last_year, 3, 20), date(last_year, 3, 2), date(last_year, 3, 19), "", ""])
    book.save(office / "theo-doi.xlsx")
    capsys.readouterr()
    assert main(["import", "theo-doi.xlsx", "--dry-run"]) == 0
    assert "Kiểm tra xong, không ghi gì: 2 nhiệm vụ" in capsys.readouterr().out
    assert main(["import", "theo-doi.xlsx"]) == 0
    assert "Đã nhập 2 nhiệm vụ" in capsys.readouterr().out
    assert main(["import", "theo-doi.xlsx"]) == 0, "a file imported already is no error"
    assert "không có gì mới để nhập — 2 nhiệm vụ trong tệp đều đã có" in capsys.readouterr().out
    assert main(["report", "--period", f"{last_year}-03", "--out", "ra"]) == 0
    out = capsys.readouterr().out
    assert f"tháng 3/{last_year}, tính đến ngày 31/03/{last_year}" in out and "Tổng số: 2 nhiệm vụ" in out
    assert "Hoàn thành đúng hạn: 1" in out and "Đang thực hiện trong hạn: 1" in out, "SXD done 3/4, after 31/3"
    written = sorted(p.suffix for p in (office / "ra").iterdir())
    assert written == [".docx", ".png", ".xlsx"]
    xlsx = next((office / "ra").glob("*.xlsx"))
    assert [c.value for c in load_workbook(xlsx).worksheets[0][6]][1:4] == ["Tổng cộng", 2, 0]


def test_the_cli_refuses_a_bad_file_with_exit_code_1_and_imports_nothing(office, capsys):
    (office / "notice.pdf").write_bytes(b"%PDF-1.4 broken")
    assert main(["import", "notice.pdf"]) == 1
    assert "không phải tệp Excel" in capsys.readouterr().err
    from openpyxl import Workbook

    from bot.imports.sheet import HEADERS

    wb = Workbook()
    wb.active.append(list(HEADERS))
    wb.active.append([1, "", None, "", "Rà soát", "SXD", "", "31/02/2026", None, None, "", ""])
    wb.save(office / "bad.xlsx")
    assert main(["import", "bad.xlsx"]) == 1
    assert "Dòng 2: cột «Hạn xử lý»: ngày «31/02/2026» không tồn tại" in capsys.readouterr().err
    assert main(["report", "--period", "2026-13", "--out", "x"]) == 1
    assert "Không hiểu kỳ báo cáo" in capsys.readouterr().err


def test_a_report_for_the_coming_days_is_refused(office, capsys):
    future = date.today() + timedelta(days=3)
    assert main(["report", "--as-of", future.isoformat(), "--out", "x"]) == 1
    assert "chưa đến" in capsys.readouterr().err


# Spreadsheets as the office's clerks make them.

ROW = [1, "45/TB-UBND", "02/11/2026", "Nguyễn Văn An", "Rà soát hồ sơ đất đai", "SXD", "", "15/12/2026",
       "03/11/2026", None, "Đang thực hiện", ""]


def sheet_row(**cols: object) -> list[object]:
    """ROW with some columns changed, named by their header ("Nội_dung" for «Nội dung»)."""
    from bot.imports.sheet import HEADERS

    values = list(ROW)
    for name, value in cols.items():
        values[HEADERS.index(name.replace("_", " "))] = value
    return values


def workbook(*rows: list[object], before: list[list[object]] = (), header: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    from bot.imports.sheet import HEADERS

    wb = Workbook()
    ws = wb.active
    for r in before:
        ws.append(r)
    ws.append(header or list(HEADERS))
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


async def count(rt, model) -> int:
    async with rt.sessions() as s:
        return await s.scalar(select(func.count()).select_from(model))


async def test_a_sheet_sent_again_skips_the_rows_already_imported_and_says_how_many(rt, people):
    from bot.imports.preview import preview_text
    from storage.models import Outbox

    first = await imports.stage(rt, people.admin, "theo-doi.xlsx",
                                workbook(ROW, sheet_row(STT=2, Nội_dung="Kiểm tra bệnh viện", Đơn_vị_chủ_trì="SYT")),
                                now=NOW)
    await imports.confirm(rt, people.admin, first.batch_id, first.nonce, now=NOW)
    notified = await count(rt, Outbox)
    # The same rows retyped (other case and spacing) beside one new row, the next day.
    again = workbook(sheet_row(Nội_dung="rà soát  hồ sơ đất đai"),
                     sheet_row(STT=2, Nội_dung="Kiểm tra bệnh viện", Đơn_vị_chủ_trì="Sở Y tế"),
                     sheet_row(STT=3, Nội_dung="Kiểm tra trường học", Đơn_vị_chủ_trì="SYT"))
    preview = await imports.stage(rt, people.admin, "theo-doi (2).xlsx", again, now=NOW + timedelta(days=1))
    assert [i.content for i in preview.items] == ["Kiểm tra trường học"] and preview.skipped == 2
    assert "2 nhiệm vụ đã có, bỏ qua" in preview_text(preview, "vi")
    applied = await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=NOW + timedelta(days=1))
    assert applied.count == 1 and await count(rt, Directive) == 3
    async with rt.sessions() as s:
        told = set(await s.scalars(select(Outbox.directive_id).order_by(Outbox.id).offset(notified)))
        new = await s.scalar(select(Directive.id).where(Directive.code == applied.codes[0]))
    assert told == {new}, "only the new directive's unit is told; the others are not told again"
    unchanged = await imports.stage(rt, people.admin, "theo-doi.xlsx", again, now=NOW + timedelta(days=2))
    assert not unchanged.ok and unchanged.batch_id is None and unchanged.skipped == 3
    assert "không có gì mới để nhập" in preview_text(unchanged, "vi")


async def test_a_row_repeated_in_one_file_or_in_two_files_confirmed_one_after_the_other_is_imported_once(rt, people):
    data = workbook(ROW, sheet_row(STT=2))
    first = await imports.stage(rt, people.admin, "a.xlsx", data, now=NOW)
    second = await imports.stage(rt, people.admin, "b.xlsx", data, now=NOW)
    assert (len(first.items), first.skipped) == (1, 1)
    await imports.confirm(rt, people.admin, first.batch_id, first.nonce, now=NOW)
    applied = await imports.confirm(rt, people.admin, second.batch_id, second.nonce, now=NOW)
    assert applied.count == 0 and await count(rt, Directive) == 1


async def test_a_notice_sent_again_adds_no_directive(rt, people):
    first = await imports.stage(rt, people.admin, "thong-bao.docx", notice_docx(), now=NOW)
    await imports.confirm(rt, people.admin, first.batch_id, first.nonce, now=NOW)
    again = await imports.stage(rt, people.admin, "thong-bao.pdf", notice_pdf(), now=NOW)
    assert (again.items, again.skipped) == ((), 2) and await count(rt, Directive) == 2


async def test_directives_imported_before_the_import_key_existed_are_recognised_after_the_upgrade(rt, people):
    import importlib.util

    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from sqlalchemy import update

    from storage.db import MIGRATIONS

    for name in ("a.xlsx", "b.xlsx"):  # imported twice by a version without the key
        preview = await imports.stage(rt, people.admin, name, workbook(ROW), now=NOW)
        await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=NOW)
        async with rt.transaction() as s:
            await s.execute(update(Directive).values(import_key=None))
    spec = importlib.util.spec_from_file_location("m0008", MIGRATIONS / "versions" / "0008_import_key.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    def backfill(connection):  # noqa: ANN001, ANN202
        with Operations.context(MigrationContext.configure(connection)):
            migration._backfill()

    async with rt.engine.begin() as connection:
        await connection.run_sync(backfill)
    async with rt.sessions() as s:
        keys = list(await s.scalars(select(Directive.import_key).order_by(Directive.id)))
    assert keys[0] is not None and keys[1] is None, "the first copy keeps the key; the unique index holds"
    preview = await imports.stage(rt, people.admin, "c.xlsx", workbook(ROW), now=NOW)
    assert preview.skipped == 1 and not preview.items


def problems_of(preview) -> list[tuple[int | None, str, dict]]:
    return [(p.row, p.key, p.params) for p in preview.problems]


async def test_unit_names_holding_a_comma_or_and_unit_groups_and_bulleted_lists_are_understood(rt, people):
    from bot.services import units
    from tests.conftest import shared_path

    await units.import_units(rt, shared_path("data", "units.csv").read_text(encoding="utf-8"),
                             shared_path("data", "groups.csv").read_text(encoding="utf-8"), now=NOW)
    data = workbook(sheet_row(Đơn_vị_chủ_trì="Sở Văn hóa, Thể thao và Du lịch", Đơn_vị_phối_hợp="Các sở, ban, ngành"),
                    sheet_row(STT=2, Đơn_vị_chủ_trì="- Sở Xây dựng\n- Sở Y tế",
                              Đơn_vị_phối_hợp="Sở Tài chính và Sở VH, TT&DL; Báo và Phát thanh truyền hình tỉnh"))
    preview = await imports.read_file(rt, "theo-doi.xlsx", data, now=NOW)
    assert preview.ok, problems_of(preview)
    first, second = preview.items
    assert first.lead == ["SVHTTDL"] and "SVHTTDL" not in first.support and {"SXD", "STC", "SYT"} < set(first.support)
    assert (second.lead, second.support) == (["SXD", "SYT"], ["STC", "SVHTTDL", "DPTTH"])
    unknown = workbook(sheet_row(Đơn_vị_chủ_trì="Sở Xây dựng, Sở Không Có"))
    preview = await imports.read_file(rt, "theo-doi.xlsx", unknown, now=NOW)
    assert problems_of(preview) == [(2, "import.unknown_unit", {"column": "Đơn vị chủ trì", "value": "Sở Không Có"})]


def with_dimension(data: bytes, ref: str) -> bytes:
    import re
    import zipfile

    source, out = zipfile.ZipFile(BytesIO(data)), BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                blob = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), blob)
            target.writestr(info, blob)
    return out.getvalue()


async def test_a_sheet_whose_dimension_tag_says_A1_is_read_whole(rt, people):
    # Apache POI's streaming writer (Java e-office and ERP exports) writes <dimension ref="A1"/>; Excel ignores it.
    data = with_dimension(workbook(ROW, sheet_row(STT=2, Nội_dung="Kiểm tra bệnh viện")), "A1")
    preview = await imports.read_file(rt, "xuat-tu-he-thong.xlsx", data, now=NOW)
    assert preview.ok, problems_of(preview)
    assert [i.content for i in preview.items] == ["Rà soát hồ sơ đất đai", "Kiểm tra bệnh viện"]


async def test_rows_holding_only_a_number_or_a_total_are_skipped_but_a_row_missing_its_content_is_refused(rt, people):
    filler = [[2], [3], ["", "", "", "", "Tổng cộng: 1 nhiệm vụ"], ["Cộng:", "", "", "", 1]]
    preview = await imports.read_file(rt, "theo-doi.xlsx", workbook(ROW, *filler), now=NOW)
    assert preview.ok and len(preview.items) == 1, problems_of(preview)
    half_made = [4, "", "", "", "", "", "", "31/12/2026"]
    preview = await imports.read_file(rt, "theo-doi.xlsx", workbook(ROW, *filler, half_made), now=NOW)
    assert [(row, key) for row, key, _ in problems_of(preview)] == [(7, "import.no_content"), (7, "import.no_lead")]


async def test_the_header_row_is_found_under_a_title_on_the_sheet_after_an_instructions_sheet_with_format_hints(
        rt, people):
    from openpyxl import Workbook

    from bot.imports.sheet import HEADERS

    wb = Workbook()
    wb.active.title = "Hướng dẫn"
    wb.active.append(["Điền mỗi nhiệm vụ một dòng ở trang «Nhiệm vụ»"])
    ws = wb.create_sheet("Nhiệm vụ")
    for line in (["UBND TỈNH THỪA THIÊN HUẾ"], ["DANH SÁCH NHIỆM VỤ THÁNG 11/2026"], []):
        ws.append(line)
    ws.merge_cells("A1:L1")
    ws.append([f"{h} (dd/mm/yyyy)" if h.startswith(("Ngày", "Hạn")) else f"{h}*" for h in HEADERS])
    ws.append(ROW)
    ws.append(sheet_row(STT=2, Hạn_xử_lý="31/02/2026"))
    out = BytesIO()
    wb.save(out)
    preview = await imports.read_file(rt, "theo-doi.xlsx", out.getvalue(), now=NOW)
    assert [(row, key) for row, key, _ in problems_of(preview)] == [(6, "import.impossible_date")], \
        "the rows are named as Excel numbers them"
    nowhere = workbook(ROW, before=[[]] * 10)
    preview = await imports.read_file(rt, "theo-doi.xlsx", nowhere, now=NOW)
    assert problems_of(preview)[0][1] == "import.missing_columns" and problems_of(preview)[0][2]["rows"] == 10


@pytest.mark.parametrize("status, done, deadline, expected", [
    ("Hoàn thành đúng hạn", "10/11/2026", "15/12/2026", "2026-11-10"),
    ("Hoàn thành quá hạn", "18/11/2026", "15/11/2026", "2026-11-18"),
    ("Đang thực hiện trong hạn", None, "15/12/2026", None),
    ("Đang thực hiện quá hạn", None, "15/11/2026", None),
    ("Quá hạn", None, "15/11/2026", None)])
async def test_the_status_words_of_the_bots_own_reports_are_accepted(rt, people, status, done, deadline, expected):
    data = workbook(sheet_row(Trạng_thái=status, Ngày_hoàn_thành=done, Hạn_xử_lý=deadline))
    preview = await imports.read_file(rt, "bao-cao.xlsx", data, now=NOW)
    assert preview.ok, problems_of(preview)
    assert preview.items[0].completed_on == expected


async def test_the_templates_example_row_is_skipped_but_a_row_written_over_it_is_imported(rt, people):
    from bot.imports.sheet import template

    def filled(*rows: list[object], overwrite: bool = False) -> bytes:
        wb = load_workbook(BytesIO(template()))
        if overwrite:
            wb.active["E2"] = "Kiểm tra bệnh viện"
        for r in rows:
            wb.active.append(r)
        out = BytesIO()
        wb.save(out)
        return out.getvalue()

    preview = await imports.read_file(rt, "mau.xlsx", filled(sheet_row(STT=1, Nội_dung="Kiểm tra trường học")), now=NOW)
    assert [(i.row, i.content) for i in preview.items] == [(3, "Kiểm tra trường học")]
    preview = await imports.read_file(rt, "mau.xlsx", filled(), now=NOW)
    assert [p.key for p in preview.problems] == ["import.no_rows"]
    preview = await imports.read_file(rt, "mau.xlsx", filled(overwrite=True), now=NOW)
    assert [(i.row, i.content) for i in preview.items] == [(2, "Kiểm tra bệnh viện")]


@pytest.mark.parametrize("cell", [46371, 46371.0, "ngày 15/12/2026", "Ngày 15/12/2026", "15/12/2026 00:00:00",
                                  "2026-12-15 00:00:00"])
async def test_an_excel_serial_number_or_a_date_written_with_ngay_or_a_time_is_read_as_a_date(rt, people, cell):
    preview = await imports.read_file(rt, "theo-doi.xlsx", workbook(sheet_row(Hạn_xử_lý=cell)), now=NOW)
    assert preview.ok, problems_of(preview)
    assert preview.items[0].deadline == "2026-12-15"


@pytest.mark.parametrize("name", ["theo-doi.xls", "THONG-BAO.DOC"])
async def test_an_old_format_file_sent_in_chat_is_asked_for_again_as_xlsx_or_docx(chat, rt, people, name):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le")
    chat.request.files["old"] = ole
    await chat.send_file(1001, name, file_id="old", size=len(ole), mime="application/vnd.ms-excel")
    answer = chat.request.last_text(1001)
    assert "định dạng cũ (.xls/.doc): hãy lưu lại thành .xlsx hoặc .docx" in answer, answer
    assert await count(rt, Directive) == 0


def notice_with_a_table() -> bytes:
    """The notice with its directives in a table: a heading row across it, units one a line."""
    document = Document()
    header = document.add_table(rows=2, cols=2)
    for row, (left, right) in zip(header.rows, HEADER, strict=True):
        row.cells[0].text, row.cells[1].text = left, right
    for line in BODY[:3]:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=5)
    titles = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"]
    for cell, text in zip(table.rows[0].cells, titles, strict=True):
        cell.text = text
    heading = table.add_row().cells
    heading[0].merge(heading[4]).text = "I. LĨNH VỰC ĐẦU TƯ"
    for row in [("1", "Rà soát các dự án chậm tiến độ", "Sở Xây dựng", "- Sở Tài chính\n- Sở Y tế", "15/12/2026"),
                ("2", "Kiểm tra an toàn thực phẩm tại trường học.", "Sở Y tế", "", "Trước ngày 30/12/2026")]:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    for line in BODY[5:]:
        document.add_paragraph(line)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


async def test_directives_listed_in_a_table_of_the_notice_are_found(rt, people):
    preview = await imports.read_file(rt, "thong-bao.docx", notice_with_a_table(), now=NOW)
    assert preview.ok, problems_of(preview)
    assert items_of(preview) == [(["SXD"], ["STC", "SYT"], "2026-12-15", "Rà soát các dự án chậm tiến độ"),
                                 (["SYT"], [], "2026-12-30", "Kiểm tra an toàn thực phẩm tại trường học")]
    assert (preview.source_number, preview.source_date) == ("123/TB-UBND", date(2026, 11, 19))
