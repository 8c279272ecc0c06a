"""Correcting a draft from a phone, and answers that always land where their question was asked: on the
draft whose message was pressed, after a restart, with a date typed in any common form."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.services import directives as svc
from storage.models import Assignment, Directive, Event, Unit
from tests.conftest import NOW

LEADER, SXD = 1002, 2001
TYPED = ("Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án chậm tiến độ, "
         "báo cáo UBND tỉnh trước ngày 15/12/2026.")


async def _draft(rt, code: str) -> Directive:
    async with rt.sessions() as s:
        return await s.scalar(select(Directive).where(Directive.code == code))


async def _units(rt, code: str) -> dict[str, str]:
    async with rt.sessions() as s:
        rows = await s.execute(select(Unit.code, Assignment.role).join(Assignment, Assignment.unit_id == Unit.id)
                               .join(Directive, Directive.id == Assignment.directive_id).where(Directive.code == code))
        return dict(rows.all())


async def _edit(chat, part: str) -> str:
    """Press «Sửa» on the newest draft card, then the part to correct."""
    await chat.press(LEADER, chat.button(LEADER, "Sửa"))
    return await chat.press(LEADER, chat.button(LEADER, part))


async def test_a_leader_corrects_every_field_of_a_draft_before_assigning_it(chat, rt, people):
    preview = await chat.say(LEADER, TYPED)
    assert "Nháp 1" in preview and "CD-2026" not in preview, "a draft has its own number"

    await _edit(chat, "Đơn vị chủ trì")
    card = await chat.press(LEADER, chat.button(LEADER, "Tiếp"))
    assert "Đã sửa bản nháp (Nháp 1)" in card, "confirming the lead unchanged is no error"
    assert await _units(rt, "NHAP-1") == {"SXD": "lead", "STC": "support"}

    picker = await _edit(chat, "Đơn vị chủ trì")
    assert "Sửa bản nháp (Nháp 1)" in picker and "bước 1/4" not in picker
    await chat.press(LEADER, chat.button(LEADER, "✅ Sở Xây dựng"))
    await chat.press(LEADER, chat.button(LEADER, "Sở Y tế"))
    await chat.press(LEADER, chat.button(LEADER, "Tiếp"))
    assert await _units(rt, "NHAP-1") == {"SYT": "lead", "STC": "support"}

    await _edit(chat, "Đơn vị phối hợp")
    await chat.say(LEADER, "thuan hoa")  # typing while the picker is open narrows it
    await chat.press(LEADER, chat.button(LEADER, "UBND phường Thuận Hóa"))
    await chat.press(LEADER, chat.button(LEADER, "Tiếp"))
    assert await _units(rt, "NHAP-1") == {"SYT": "lead", "STC": "support", "P-THUANHOA": "support"}

    await _edit(chat, "Hạn xử lý")
    card = await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    assert "Hạn: 30/11/2026" in card

    await _edit(chat, "Nội dung")
    card = await chat.say(LEADER, "rà soát và báo cáo các dự án chậm tiến độ quý IV")
    assert "Rà soát và báo cáo các dự án chậm tiến độ quý IV" in card, "content starts with a capital on the card"

    await _edit(chat, "Văn bản nguồn")
    card = await chat.say(LEADER, "245/TB-UBND ngày 19/11/2026")
    assert "Văn bản: 245/TB-UBND ngày 19/11/2026" in card

    draft = await _draft(rt, "NHAP-1")
    assert (draft.state, draft.deadline, draft.source_number, draft.source_date) == (
        "draft", date(2026, 11, 30), "245/TB-UBND", date(2026, 11, 19))
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Event).where(Event.kind == "edited")) == 6

    card = await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    assert "Đang thực hiện trong hạn" in card


async def test_a_correction_lands_on_the_draft_whose_message_was_pressed(chat, rt, people):
    await chat.say(LEADER, TYPED)
    await chat.say(LEADER, "Giao Sở Y tế kiểm tra an toàn thực phẩm trước ngày 10/12/2026.")
    # «Sửa → Hạn xử lý» on the second draft, then on the first; then the second draft's picker is used.
    await chat.press(LEADER, chat.button_in(LEADER, "Sửa", "Nháp 2"))
    await chat.press(LEADER, chat.button_in(LEADER, "Hạn xử lý", "Nháp 2"))
    await chat.press(LEADER, chat.button_in(LEADER, "Sửa", "Nháp 1"))
    await chat.press(LEADER, chat.button_in(LEADER, "Hạn xử lý", "Nháp 1"))
    await chat.press(LEADER, chat.button_in(LEADER, "Nhập ngày khác", "Sửa bản nháp (Nháp 2)"))
    reply = await chat.say(LEADER, "20/12/2026")
    assert "Đã sửa bản nháp (Nháp 2)" in reply
    assert (await _draft(rt, "NHAP-2")).deadline == date(2026, 12, 20)
    assert (await _draft(rt, "NHAP-1")).deadline == date(2026, 12, 15)


async def test_a_date_typed_while_deadline_choices_are_shown_is_the_answer(chat, rt, people):
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Kiểm tra chất lượng công trình trường học theo Thông báo 245/TB-UBND")
    await chat.press(LEADER, chat.button(LEADER, "Sở Xây dựng"))
    preview = await chat.say(LEADER, "15 tháng 12 năm 2026")  # without pressing «Nhập ngày khác»
    assert "Hạn: 15/12/2026" in preview and "245/TB-UBND" in preview and "Giao việc" in str(
        chat.messages(LEADER)[-1].get("reply_markup"))


async def test_an_answer_typed_after_a_restart_lands_on_the_directive_it_answers(chat, rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await svc.report_done(rt, people.sxd, card.code, "Đã xong", now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    question = await chat.press(LEADER, chat.button(LEADER, "Trả lại"))
    assert f"Nhập lý do trả lại báo cáo {card.code}" in question

    await chat.restart()  # another process (or replica) takes the answer
    reply = await chat.say(LEADER, "Giao Sở Tài chính bổ sung danh sách dự án kèm theo trước ngày 30/11/2026")
    assert f"Đã trả lại báo cáo {card.code} cho đơn vị" in reply
    directive = await _draft(rt, card.code)
    assert directive.state == "in_progress"
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == 1, "the reason became no directive"
        reason = await s.scalar(select(Event.data).where(Event.kind == "sent_back"))
    assert reason["reason"].startswith("Giao Sở Tài chính bổ sung")


async def test_an_extension_date_written_in_words_is_read(chat, rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Xin gia hạn"))
    question = await chat.say(SXD, "30 tháng 6 năm 2027")
    assert "hạn mới đề nghị 30/06/2027" in question
    card_text = await chat.say(SXD, "Chờ số liệu quyết toán")
    assert "đề nghị gia hạn đến 30/06/2027" in card_text


async def test_a_wrong_date_keeps_the_question_open(chat, rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Xin gia hạn"))
    assert "không tồn tại" in await chat.say(SXD, "31/02/2027")
    assert "hạn mới đề nghị 05/01/2027" in await chat.say(SXD, "5/1/2027")


async def test_cancel_input_says_what_it_stopped_and_touches_no_directive(chat, rt, people):
    assert "không có thao tác nào" in (await chat.say(SXD, "/huy")).lower()
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Báo cáo tiến độ"))
    reply = await chat.say(SXD, "/huy")
    assert "Đã thôi" in reply and "Nhiệm vụ không thay đổi" in reply
    assert "Tôi chưa hiểu" in await chat.say(SXD, "đã rà soát 3 dự án"), "the question is gone"
