"""Reports and imports in chat, through the real handlers in process (offline Bot API)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from storage.models import Directive, Event, ImportBatch
from tests.integration.report_data import build


@pytest.fixture
async def office(chat):
    """The shared in-process chat (which checks every HTML text), with raw HTML answers and file uploads."""

    async def say(user_id: int, text: str) -> str:
        await chat.say(user_id, text)
        return chat.request.last_text(user_id)

    async def press(user_id: int, data: str) -> str:
        await chat.press(user_id, data)
        return chat.request.last_text(user_id)

    async def upload(user_id: int, name: str, data: bytes) -> str:
        file_id = f"f{len(chat.request.files)}"
        chat.request.files[file_id] = data
        await chat.send_file(user_id, name, file_id=file_id, size=len(data), mime="application/octet-stream")
        return chat.request.last_text(user_id)

    return chat.request, say, press, upload


def button(request, chat_id: int, label: str) -> str:  # noqa: ANN001
    """The newest button to this chat whose label holds `label`."""
    for name, params in reversed(request.calls):
        if name in ("sendMessage", "editMessageText") and int(params.get("chat_id", 0)) == chat_id:
            for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
                for b in row:
                    if label in b["text"]:
                        return b["callback_data"]
    raise AssertionError(f"no button {label!r} for {chat_id}")


async def test_a_clerk_gets_this_months_report_as_text_chart_excel_and_word(office, rt, people):
    request, say, press, _ = office
    await build(rt, people)
    summary = await say(1001, "/thongke")
    assert "tháng 11/2026, tính đến ngày 20/11/2026" in summary
    assert "Tổng số: <b>14</b> nhiệm vụ (kỳ trước chuyển sang 3, giao trong kỳ 11)" in summary
    assert "Đang thực hiện quá hạn: 2" in summary and "Tỷ lệ hoàn thành đúng hạn: <b>40,0 %</b> (2/5)" in summary
    assert "D06 · Sở Y tế · quá hạn 51 ngày" in summary
    excel = button(request, 1001, "Excel")
    assert excel == "rpx|2026-11|20261120|" and len(excel.encode()) <= 64
    await press(1001, excel)
    method, name, data = request.uploads[-1]
    assert method == "sendDocument" and name.endswith(".xlsx")
    total = [c.value for c in load_workbook(BytesIO(data)).worksheets[0][9]]
    assert total[1:] == ["Tổng cộng", 14, 3, 11, 2, 1, 8, 2, 1, 40.0]
    await press(1001, button(request, 1001, "Biểu đồ"))
    assert request.uploads[-1][0] == "sendPhoto" and request.uploads[-1][2][:4] == b"\x89PNG"
    await press(1001, button(request, 1001, "Word"))
    assert request.uploads[-1][1].endswith(".docx")


async def test_a_question_the_menu_and_a_unit_argument_give_the_same_numbers(office, rt, people):
    _, say, _, _ = office
    await build(rt, people)
    by_command = await say(1002, "/thongke 2026-11")
    assert await say(1002, "thống kê tháng 11") == by_command
    assert await say(1002, "📊 Thống kê") == by_command
    unit = await say(2002, "/thongke STC 2026-11")
    assert "Thống kê — Sở Tài chính" in unit and "Tổng số: <b>5</b>" in unit
    assert "Phối hợp (không tính vào số liệu trên): 1 nhiệm vụ, 0 quá hạn" in unit


async def test_a_range_asked_in_words_is_that_range_and_an_unread_period_is_asked_about_never_this_month(
        office, rt, people):
    _, say, _, _ = office
    await build(rt, people)
    by_command = await say(1001, "/thongke 15/10/2026-15/01/2027")
    assert "từ 15/10/2026 đến 15/01/2027, tính đến ngày 20/11/2026" in by_command
    assert await say(1001, "thống kê từ 15/10/2026 đến 15/01/2027") == by_command
    assert await say(1001, "thống kê từ ngày 15/10 đến ngày 15/01/2027") == by_command
    assert "từ 01/09/2026 đến 30/11/2026" in await say(1001, "thống kê từ tháng 9 đến tháng 11/2026")
    assert "quý III/2026" in await say(1001, "thống kê quý 3/2026")
    assert "6 tháng đầu năm 2026" in await say(1001, "thống kê 6 tháng đầu năm 2026")
    assert "năm 2025" in await say(1001, "thống kê năm 2025")
    unread = await say(1001, "thống kê từ tháng 9 đến tuần sau")
    assert unread.startswith("Tôi chưa hiểu khoảng thời gian «từ tháng 9 đến tuần sau»."), unread
    assert "Thống kê —" not in unread, "no report of another period"
    assert (await say(1001, "thống kê tháng mười")).startswith("Tôi chưa hiểu khoảng thời gian «tháng mười».")


async def test_thongke_reads_a_unit_by_name_or_code_and_a_period_typed_the_usual_ways(office, rt, people):
    _, say, _, _ = office
    await build(rt, people)
    by_code = await say(1001, "/thongke SYT 2026-11")
    assert "Thống kê — Sở Y tế" in by_code and "tháng 11/2026" in by_code
    for words in ("Sở Y tế 2026-11", "so y te 11/2026", "T11 Sở Y tế", "Sở Y tế tháng 11", "syt 2026-11"):
        assert await say(1001, f"/thongke {words}") == by_code, words
    quarter = await say(1001, "/thongke 2026-Q4")
    assert "quý IV/2026" in quarter
    for words in ("2026-q4", "quý 4", "q4", "Q4/2026"):
        assert await say(1001, f"/thongke {words}") == quarter, words
    assert await say(1001, "/thongke Sở Hàng không vũ trụ 2026-11") == \
        "Không có đơn vị mã «Sở Hàng không vũ trụ» trong danh sách."
    assert (await say(1001, "/thongke SYT 2026-13")).startswith("Tôi chưa hiểu khoảng thời gian «2026-13».")


async def test_a_forged_or_unreadable_report_button_is_refused(office, people):
    request, _, press, _ = office
    await press(1001, "rpx|2026-99|20261120|")
    assert "Không hiểu kỳ báo cáo" in request.alerts()[-1]
    await press(1001, "rpx|2026-11|20269999|")
    assert request.alerts()[-1].startswith("Thao tác không còn hiệu lực")
    assert not request.uploads


def sheet(*rows: list[object]) -> bytes:
    from bot.imports.sheet import HEADERS

    wb = Workbook()
    wb.active.append(list(HEADERS))
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


ROW_OPEN = [1, "45/TB-UBND", date(2026, 11, 2), "Nguyễn Văn An", "Rà soát hồ sơ đất đai", "Sở Xây dựng",
            "STC, Sở Y tế", date(2026, 12, 10), date(2026, 11, 3), None, "", ""]
ROW_DONE = [2, "45/TB-UBND", "02/11/2026", "Nguyễn Văn An", "Báo cáo giải ngân", "STC", "", "15/11/2026",
            "03/11/2026", "14/11/2026", "Hoàn thành", ""]
ROW_CANCELLED = [3, "", None, "", "Khảo sát bến xe", "P-THUANHOA", "", None, date(2026, 10, 1), None, "Đã hủy",
                 "Không còn phù hợp"]


async def test_the_office_imports_a_spreadsheet_after_a_preview_and_a_second_press_is_stale(office, rt, people):
    request, _, press, upload = office
    preview = await upload(1001, "theo-doi.xlsx", sheet(ROW_OPEN, ROW_DONE, ROW_CANCELLED))
    assert "3 nhiệm vụ: 1 đang thực hiện, 1 đã hoàn thành, 1 đã huỷ" in preview
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == 0, "nothing before confirmation"
    confirm = button(request, 1001, "Nhập 3")
    assert confirm.startswith("impok|")
    await press(1002, confirm)
    assert "không còn hiệu lực" in request.alerts()[-1], "nobody but the sender confirms"
    assert "Đã nhập 3 nhiệm vụ" in await press(1001, confirm)
    async with rt.sessions() as s:
        rows = {d.content: d for d in await s.scalars(select(Directive))}
        assert rows["Báo cáo giải ngân"].state == "done" and rows["Báo cáo giải ngân"].completed_on == date(2026, 11, 14)
        assert rows["Khảo sát bến xe"].state == "cancelled" and rows["Khảo sát bến xe"].cancelled_on == date(2026, 10, 1)
        opened = rows["Rà soát hồ sơ đất đai"]
        assert opened.state == "assigned" and opened.leader_name == "Nguyễn Văn An" and opened.code == "CD-2026-0001"
        assert sorted((a.unit.code, a.role) for a in opened.assignments) == [
            ("STC", "support"), ("SXD", "lead"), ("SYT", "support")]
        events = list(await s.scalars(select(Event).where(Event.kind == "imported")))
        assert len(events) == 3 and events[0].data["after"]["lead"] == ["SXD"]
    await press(1001, confirm)
    assert "không còn hiệu lực" in request.alerts()[-1]
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == 3
    from bot.services.verification import verify_log

    checked = await verify_log(rt)
    assert checked.ok and checked.directives == 3, checked.differences  # the log rebuilds imported rows too


async def test_a_spreadsheet_with_one_bad_row_names_it_and_imports_nothing(office, rt, people):
    request, _, _, upload = office
    bad = list(ROW_DONE)
    bad[7] = "31/02/2026"
    reply = await upload(1001, "theo-doi.xlsx", sheet(ROW_OPEN, bad, ROW_CANCELLED))
    assert "Dòng 3: cột «Hạn xử lý»: ngày «31/02/2026» không tồn tại" in reply
    assert "không có nhiệm vụ nào được nhập" in reply
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert await s.scalar(select(func.count()).select_from(Directive)) == 0


async def test_a_focal_point_may_not_import_and_a_file_that_lies_about_its_kind_is_named(office, people):
    _, _, _, upload = office
    answer = await upload(2001, "theo-doi.xlsx", sheet(ROW_OPEN))
    assert "Để gửi tệp, hãy bấm «Báo cáo tiến độ»" in answer, "a focal point's file is a report's, never an import"
    assert "không phải tệp Excel" in await upload(1001, "bang.xlsx", b"just some text, not a workbook")


async def test_the_template_is_downloadable_in_chat(office, people):
    request, say, _, _ = office
    await say(1001, "/mauexcel")
    method, name, data = request.uploads[-1]
    assert method == "sendDocument" and name == "mau-nhap-nhiem-vu.xlsx"
    assert [c.value for c in load_workbook(BytesIO(data)).active[1]][:5] == [
        "STT", "Số ký hiệu văn bản", "Ngày văn bản", "Lãnh đạo chỉ đạo", "Nội dung"]
    await say(1001, "/ngonngu en")
    await say(1001, "/mauexcel")  # its name in the reader's language (the catalogue's), the same columns
    method, name, again = request.uploads[-1]
    assert method == "sendDocument" and name == "directive-import-template.xlsx"
    assert [c.value for c in load_workbook(BytesIO(again)).active[1]][:2] == ["STT", "Số ký hiệu văn bản"]
