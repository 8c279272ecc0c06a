"""A clerk's own tracking sheet imports after one confirmation: its column titles are read by meaning and
shown, the status and deadline words offices write are understood, previews name units, history entered
late is not escalated at once, and the CLI prints the drafts and the columns as JSON and exits 1 on any
refusal."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.cli import main
from bot.imports.preview import preview_text
from bot.services import imports, units
from storage.models import Directive, Outbox
from tests.conftest import NOW

OWN = ["TT", "Số, ký hiệu", "Ngày ban hành", "Nội dung chỉ đạo", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn",
       "Tình trạng", "Người theo dõi"]


def book(header: list[str], *rows: list[object], title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def own_row(n: int, content: str, lead: str = "Sở Xây dựng", deadline: object = "15/12/2026",
            status: object = "Đang triển khai", support: str = "") -> list[object]:
    return [n, "45/TB-UBND", "02/11/2026", content, lead, support, deadline, status, "Chị Lan"]


async def test_a_clerks_own_sheet_is_read_by_meaning_and_its_columns_are_shown_before_the_import(rt, people):
    data = book(OWN, own_row(1, "Rà soát hồ sơ đất đai", support="Sở Tài chính"),
                own_row(2, "Kiểm tra an toàn thực phẩm", "Sở Y tế", "Thường xuyên", "Chưa thực hiện"),
                title="DANH SÁCH NHIỆM VỤ THEO DÕI")
    preview = await imports.stage(rt, people.admin, "theo-doi-cua-chi-lan.xlsx", data, now=NOW)
    assert preview.ok, preview.problems
    assert {c.header: c.field for c in preview.columns} == {
        "TT": "no", "Số, ký hiệu": "source_number", "Ngày ban hành": "source_date", "Nội dung chỉ đạo": "content",
        "Cơ quan chủ trì": "lead", "Cơ quan phối hợp": "support", "Thời hạn": "deadline", "Tình trạng": "status"}
    text = preview_text(preview, "vi")
    assert "«Số, ký hiệu» → Số ký hiệu văn bản" in text and "«Ngày ban hành» → Ngày văn bản" in text
    assert "Bỏ qua cột: «Người theo dõi»" in text
    assert "Tệp không có cột (để trống): Lãnh đạo chỉ đạo, Ngày giao, Ngày hoàn thành" in text
    assert "Sở Y tế · hạn không có" in text or "Sở Y tế · hạn —" in text or "Sở Y tế" in text
    applied = await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=NOW)
    assert applied.count == 2
    async with rt.sessions() as s:
        rows = {d.content: d for d in await s.scalars(select(Directive))}
    assert rows["Rà soát hồ sơ đất đai"].deadline == date(2026, 12, 15)
    assert (rows["Rà soát hồ sơ đất đai"].source_number, rows["Rà soát hồ sơ đất đai"].source_date) == (
        "45/TB-UBND", date(2026, 11, 2))
    assert rows["Kiểm tra an toàn thực phẩm"].deadline is None, "«Thường xuyên»: a standing task"


async def test_the_template_itself_needs_no_column_check(rt, people):
    from bot.imports.sheet import HEADERS

    row = [1, "45/TB-UBND", "02/11/2026", "", "Rà soát hồ sơ", "SXD", "", "15/12/2026", "03/11/2026", None, "", ""]
    preview = await imports.read_file(rt, "mau.xlsx", book(list(HEADERS), row), now=NOW)
    assert preview.ok and "Cách đọc các cột" not in preview_text(preview, "vi")


@pytest.mark.parametrize("status, completed, expected", [
    ("Đang triển khai", None, "assigned"),
    ("Đang thực hiện", None, "assigned"),
    ("ĐANG THỰC HIỆN.", None, "assigned"),
    ("Chưa thực hiện", None, "assigned"),
    ("Đang thực hiện, đạt 80%", None, "assigned"),
    ("Đã hoàn thành", "20/11/2026", "done"),
    ("Hoàn thành quá hạn", "20/11/2026", "done"),
    ("Hoàn thành quá hạn 3 ngày", "20/11/2026", "done"),
    ("Huỷ bỏ", None, "cancelled"),
])
async def test_the_status_words_offices_write_are_understood(rt, people, status, completed, expected):
    header = [*OWN[:7], "Tình trạng", "Ngày hoàn thành"]
    row = [1, "45/TB-UBND", "02/11/2026", "Rà soát hồ sơ đất đai", "SXD", "", "30/11/2026", status, completed]
    preview = await imports.stage(rt, people.admin, "a.xlsx", book(header, row), now=NOW)
    assert preview.ok, preview.problems
    await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=NOW)
    async with rt.sessions() as s:
        assert await s.scalar(select(Directive.state)) == expected


@pytest.mark.parametrize("written, expected", [
    ("Thường xuyên", None), ("Không thời hạn", None), ("-", None),
    ("trước ngày 15/12/2026", date(2026, 12, 15)), ("Quý I/2027", date(2027, 3, 31)),
    ("Tháng 12/2026", date(2026, 12, 31)), (date(2026, 12, 20), date(2026, 12, 20)),
])
async def test_the_deadline_words_offices_write_are_understood(rt, people, written, expected):
    preview = await imports.read_file(rt, "a.xlsx", book(OWN, own_row(1, "Rà soát", deadline=written)), now=NOW)
    assert preview.ok, preview.problems
    assert preview.items[0].deadline == (expected.isoformat() if expected else None)


async def test_words_that_are_neither_are_refused_naming_the_sheets_own_column(rt, people):
    data = book(OWN, own_row(1, "Rà soát", deadline="sớm nhất có thể", status="Tốt"))
    preview = await imports.read_file(rt, "a.xlsx", data, now=NOW)
    texts = [p.params.get("column") for p in preview.problems if p.key == "import.bad_date"]
    assert texts == ["Thời hạn"], "the clerk's own title, not the template's «Hạn xử lý»"
    assert "import.bad_status" in {p.key for p in preview.problems}


async def test_a_source_cell_holding_its_date_fills_the_date(rt, people):
    header = ["Văn bản chỉ đạo", "Nội dung", "Đơn vị chủ trì", "Hạn"]
    preview = await imports.read_file(rt, "a.xlsx", book(header, ["123/TB-UBND ngày 02/11/2026", "Rà soát", "SXD",
                                                                  "15/12/2026"]), now=NOW)
    assert preview.ok, preview.problems
    assert (preview.items[0].source_number, preview.items[0].source_date) == ("123/TB-UBND", "2026-11-02")


async def test_a_sheet_without_content_or_lead_unit_columns_is_refused_naming_them(rt, people):
    preview = await imports.read_file(rt, "a.xlsx", book(["Số, ký hiệu", "Nội dung chỉ đạo", "Thời hạn"],
                                                         ["1/TB", "Rà soát", "15/12/2026"]), now=NOW)
    assert [p.key for p in preview.problems] == ["import.missing_columns"]
    assert preview.problems[0].params["columns"] == "Đơn vị chủ trì"


async def test_previews_name_units_not_codes(rt, people, sample_units_csv):
    await units.import_units(rt, sample_units_csv, None, now=NOW)
    data = book(OWN, own_row(1, "Rà soát đất đai", "SNNMT"), own_row(2, "Kiểm tra chợ", "SCT"))
    preview = await imports.read_file(rt, "a.xlsx", data, now=NOW)
    text = preview_text(preview, "vi")
    assert "Sở Nông nghiệp và Môi trường · hạn 15/12/2026" in text and "Sở Công Thương" in text
    assert "SNNMT ·" not in text


async def test_in_chat_a_clerks_sheet_imports_with_one_press_after_the_columns_are_shown(chat, rt, people):
    chat.request.files["own-sheet"] = book(OWN, own_row(1, "Rà soát hồ sơ đất đai"))
    preview = await chat.send_file(1001, "theo-doi.xlsx", file_id="own-sheet",
                                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "Cách đọc các cột" in preview and "«Cơ quan chủ trì» → Đơn vị chủ trì" in preview
    assert "Đã nhập 1 nhiệm vụ" in await chat.press(1001, chat.button(1001, "Nhập 1"))
    async with rt.sessions() as s:
        assert await s.scalar(select(Directive.state)) == "assigned"


async def test_history_imported_weeks_late_reminds_the_unit_but_does_not_escalate_at_once(rt, people):
    deadline = rt.calendar.add_working_days(date(2026, 11, 20), -19)
    row = [*own_row(1, "Rà soát hồ sơ đất đai", deadline=deadline), date(2026, 10, 5)]
    preview = await imports.stage(rt, people.admin, "a.xlsx", book([*OWN, "Ngày giao"], row), now=NOW)
    await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=NOW)
    async with rt.sessions() as s:
        rows = list(await s.scalars(select(Outbox).where(Outbox.kind.in_(["remind_overdue", "escalation"]))))
    due_now = {r.kind for r in rows if r.due_at <= NOW}
    assert due_now == {"remind_overdue"}, "the unit is reminded; the leaders are not told «quá hạn 5 ngày» at once"
    [escalation] = [r for r in rows if r.kind == "escalation"]
    assert escalation.due_at.date() == rt.calendar.add_working_days(date(2026, 11, 20), 5)
    assert escalation.payload["params"]["step"] == 24


# The CLI.

@pytest.fixture
def office(tmp_path, monkeypatch):
    from tests.integration.conftest import UNITS_CSV

    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    (tmp_path / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    assert main(["import-units", str(tmp_path / "units.csv")]) == 0
    return tmp_path


def test_the_cli_prints_the_drafts_and_how_the_columns_were_read_as_json(office, capsys):
    last_year = date.today().year - 1
    (office / "own.xlsx").write_bytes(book(OWN, [1, "7/TB-UBND", f"01/03/{last_year}", "Rà soát quy hoạch", "SXD",
                                                 "Sở Tài chính", f"31/03/{last_year}", "Đang triển khai", ""]))
    capsys.readouterr()
    assert main(["import", "own.xlsx", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["columns"]["Số, ký hiệu"] == "source_number" and out["columns"]["Cơ quan chủ trì"] == "lead"
    assert "Người theo dõi" not in out["columns"] and out["ignored"] == ["Người theo dõi"]
    [draft] = out["directives"]
    assert (draft["lead"], draft["support"], draft["deadline"], draft["content"], draft["source"]) == (
        ["SXD"], ["STC"], f"{last_year}-03-31", "Rà soát quy hoạch", "7/TB-UBND")
    assert main(["import", "own.xlsx", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"]["count"] == 1


def test_the_cli_exits_1_on_any_refusal_with_the_problems_in_the_json_and_the_reason_on_stderr(office, capsys):
    (office / "bad.xlsx").write_bytes(book(OWN, own_row(1, "Rà soát", "Sở Không Có")))
    assert main(["import", "bad.xlsx", "--dry-run", "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["problems"][0]["key"] == "import.unknown_unit"
    assert "Sở Không Có" in captured.err
    (office / "columns.xlsx").write_bytes(book(["A", "B"], ["x", "y"]))
    assert main(["import", "columns.xlsx"]) == 1
    assert "Thiếu cột: Nội dung, Đơn vị chủ trì" in capsys.readouterr().err
    (office / "empty.xlsx").write_bytes(book(OWN))
    assert main(["import", "empty.xlsx", "--dry-run"]) == 1
    (office / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    assert main(["import", "broken.xlsx", "--json"]) == 1
