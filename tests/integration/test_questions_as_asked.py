"""Questions as officials type them: an unknown unit or a group of units is answered as such, never with
the whole province's list, and a question is never turned into a draft directive."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.services import directives as svc
from bot.services import units
from storage.models import Directive
from tests.conftest import NOW, shared_path
from tests.integration.conftest import UNITS_CSV

LEADER = 1002


async def _overdue(rt, people, lead: str, content: str) -> None:
    await svc.create_directives(rt, people.leader, [svc.NewDirective(content, [lead], [], date(2026, 11, 10))],
                                now=NOW.replace(day=2))


async def _drafts(rt) -> int:
    async with rt.sessions() as s:
        return await s.scalar(select(func.count()).select_from(Directive).where(Directive.state == "draft"))


async def test_a_unit_the_bot_does_not_know_gets_the_closest_units_not_the_provinces_list(chat, rt, people):
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    reply = await chat.say(LEADER, "Sở Du lịch có việc gì quá hạn?")
    assert "Không có đơn vị «Sở Du lịch»" in reply and "Kiểm tra an toàn" not in reply
    codes = [b["callback_data"] for row in chat.messages(LEADER)[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert codes and all(c.startswith("pg|over|1|") for c in codes)


async def test_a_question_about_a_group_of_units_says_it_cannot_list_a_group(chat, rt, people):
    await units.import_units(rt, UNITS_CSV, shared_path("data", "groups.csv").read_text(encoding="utf-8"), now=NOW)
    await chat.restart()
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    reply = await chat.say(LEADER, "các địa phương còn việc gì quá hạn?")
    assert "cả nhóm đơn vị" in reply and "Kiểm tra an toàn" not in reply


async def test_questions_with_how_many_or_lagging_get_the_units_list_and_never_a_draft(chat, rt, people):
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    await _overdue(rt, people, "P-THUANAN", "Rà soát hộ nghèo")
    open_work = await chat.say(LEADER, "Sở Y tế còn mấy việc chưa xong?")
    assert "Kiểm tra an toàn thực phẩm" in open_work
    lagging = await chat.say(LEADER, "UBND phường Thuận An đang chậm việc gì")
    assert "Rà soát hộ nghèo" in lagging and "Kiểm tra an toàn" not in lagging
    unread = await chat.say(LEADER, "Sở Y tế làm đến đâu rồi nhỉ?")
    assert "Bản nháp" not in unread
    assert await _drafts(rt) == 0


async def test_a_list_command_takes_a_units_name_as_typed_or_says_it_does_not_know_it(chat, rt, people):
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    assert "Kiểm tra an toàn thực phẩm" in await chat.say(LEADER, "/quahan Sở Y tế")
    assert "Kiểm tra an toàn thực phẩm" in await chat.say(LEADER, "/quahan so y te")
    assert "Kiểm tra an toàn thực phẩm" in await chat.say(LEADER, "/quahan syt")
    assert "Sở Du lịch" in await chat.say(LEADER, "/quahan Sở Du lịch")


async def test_a_progress_question_without_a_question_mark_gets_the_units_work(chat, rt, people):
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    asked = await chat.say(LEADER, "Sở Y tế đang có những việc gì?")
    typed = await chat.say(LEADER, "tình hình thực hiện các nhiệm vụ của Sở Y tế")
    assert "Kiểm tra an toàn thực phẩm" in asked and "Kiểm tra an toàn thực phẩm" in typed
    assert "Tôi chưa hiểu" not in typed and typed == asked
    assert await _drafts(rt) == 0


async def test_a_progress_question_typed_without_a_question_mark_is_answered_and_drafts_nothing(chat, rt, people):
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    for text in ("Sở Y tế thực hiện nhiệm vụ đến đâu", "so y te da xong chua", "cho biết tình hình của Sở Y tế",
                 "Sở Y tế có việc nào trễ không"):
        reply = await chat.say(LEADER, text)
        assert "Kiểm tra an toàn thực phẩm" in reply and "Bản nháp" not in reply, (text, reply)
    assert await _drafts(rt) == 0
    assert "Bản nháp" in await chat.say(LEADER, "Giao Sở Y tế báo cáo tình hình thực hiện nhiệm vụ trước ngày 15/12/2026")
    assert await _drafts(rt) == 1


async def test_a_message_that_reads_both_ways_is_asked_about_and_either_button_does_what_it_says(chat, rt, people):
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    asked = await chat.say(LEADER, "Sở Y tế báo cáo tình hình thực hiện nhiệm vụ")
    assert "câu hỏi" in asked and "giao việc" in asked and "Bản nháp" not in asked
    assert await _drafts(rt) == 0
    question, directive = chat.button(LEADER, "Xem tình hình"), chat.button(LEADER, "Tạo bản nháp")
    assert "Kiểm tra an toàn thực phẩm" in await chat.press(LEADER, question)
    assert await _drafts(rt) == 0
    await chat.press(LEADER, directive)  # the question was answered: its other button is stale
    assert "không còn hiệu lực" in chat.alert() and await _drafts(rt) == 0

    await chat.say(LEADER, "Sở Xây dựng báo cáo tiến độ dự án đường ven biển")
    drafted = await chat.press(LEADER, chat.button(LEADER, "Tạo bản nháp"))
    assert "Bản nháp" in drafted and "Báo cáo tiến độ dự án đường ven biển" in drafted and "Sở Xây dựng" in drafted
    assert await _drafts(rt) == 1


async def test_another_message_instead_of_the_button_is_read_as_new(chat, rt, people):
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    await chat.say(LEADER, "Sở Y tế báo cáo tình hình thực hiện nhiệm vụ")
    stale = chat.button(LEADER, "Tạo bản nháp")
    assert "Kiểm tra an toàn thực phẩm" in await chat.say(LEADER, "Sở Y tế có việc nào trễ không")
    await chat.press(LEADER, stale)
    assert "không còn hiệu lực" in chat.alert() and await _drafts(rt) == 0


async def test_a_unit_focal_point_who_cannot_assign_gets_the_answer_not_the_choice(chat, rt, people):
    await _overdue(rt, people, "SYT", "Kiểm tra an toàn thực phẩm")
    reply = await chat.say(2003, "Sở Y tế báo cáo tình hình thực hiện nhiệm vụ")
    assert "Kiểm tra an toàn thực phẩm" in reply and "Tạo bản nháp" not in str(chat.messages(2003)[-1])
