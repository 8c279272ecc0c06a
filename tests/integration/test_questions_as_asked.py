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
