"""/giaoviec on a phone (issue 22): the task's text first, read as a typed directive is read, then only
what is missing is asked; the whole flow is one message of the bot, edited in place, ending as the draft's
preview with «Giao việc»."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Directive

LEADER = 1002


def sent(chat, since: int) -> list[dict]:
    return [p for n, p in chat.request.calls[since:] if n == "sendMessage" and int(p.get("chat_id", 0)) == LEADER]


async def directive(rt) -> Directive:
    async with rt.sessions() as s:
        return await s.scalar(select(Directive))


async def test_the_whole_guided_flow_is_one_message_edited_in_place(chat, rt, people):
    before = len(chat.request.calls)
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Kiểm tra chất lượng công trình trường học")
    await chat.press(LEADER, chat.button(LEADER, "Sở Xây dựng"))   # the lead: one press
    await chat.say(LEADER, "Sở Tài chính")                          # a support unit, by its name
    preview = await chat.press(LEADER, chat.button(LEADER, "5 ngày làm việc"))
    assert "Kiểm tra chất lượng" in preview and "Sở Tài chính" in preview
    assert len(sent(chat, before)) == 1, "one message, edited at each step"
    assert (await directive(rt)).state == "draft"
    card = await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    assert "CD-2026-0001" in card and len(sent(chat, before)) == 1
    d = await directive(rt)
    assert d.state == "assigned" and d.content == "Kiểm tra chất lượng công trình trường học"
    chat.check_clean()


async def test_what_the_text_names_is_not_asked_again(chat, rt, people):
    before = len(chat.request.calls)
    preview = await chat.say(LEADER, "/giaoviec Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án "
                                     "chậm tiến độ, báo cáo trước ngày 15/12/2026")
    assert "15/12/2026" in preview and "Sở Tài chính" in preview
    assert "Giao việc" in str(chat.messages(LEADER)[-1].get("reply_markup"))
    assert len(sent(chat, before)) == 1
    await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    assert (await directive(rt)).state == "assigned"


async def test_only_the_deadline_is_asked_when_the_text_names_the_units(chat, rt, people):
    await chat.say(LEADER, "/giaoviec")
    step = await chat.say(LEADER, "Giao Sở Xây dựng rà soát các dự án chậm tiến độ")
    assert "Chọn hạn xử lý" in step and "chủ trì</b>, hoặc gõ" not in step
    preview = await chat.say(LEADER, "30/12/2026")
    assert "30/12/2026" in preview and "Sở Xây dựng" in preview


async def test_a_source_number_in_the_text_is_kept_and_thoi_ends_the_flow(chat, rt, people):
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Rà soát thủ tục hành chính theo Thông báo số 345/TB-UBND")
    await chat.press(LEADER, chat.button(LEADER, "Sở Xây dựng"))
    preview = await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    assert "345/TB-UBND" in preview
    await chat.say(LEADER, "/giaoviec")
    assert "Đã thôi giao việc" in await chat.press(LEADER, chat.button(LEADER, "Thôi"))
