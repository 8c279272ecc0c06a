"""An edited message maps to what its original produced: the drafts it made are updated and shown again, never
made a second time; a directive assigned since is not changed, and the leader is told; a command, a question or
an answer edited is not answered again."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from storage.models import Directive, Event

ADMIN, LEADER, SXD, VIEWER, STRANGER = 1001, 1002, 2001, 3001, 999
FIRST = "Giao Sở Xây dựng chủ trì rà soát các dự án chậm tiến độ, báo cáo trước ngày 15/12/2026."
SECOND = "Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính rà soát các dự án chậm tiến độ, báo cáo trước ngày 20/12/2026."
THIRD = "Giao Sở Y tế chủ trì kiểm tra an toàn thực phẩm tại các trường học trước ngày 30/12/2026."
TWO = f"1. {SECOND}\n2. Giao Sở Tài chính chủ trì rà soát dự toán, báo cáo trước ngày 25/12/2026."


async def directives(rt) -> list[Directive]:
    async with rt.sessions() as s:
        return list((await s.scalars(select(Directive).order_by(Directive.id))).all())


async def events(rt, kind: str) -> int:
    async with rt.sessions() as s:
        return await s.scalar(select(func.count()).select_from(Event).where(Event.kind == kind))


def sent(chat) -> int:
    return len(chat.request.sent())


async def test_a_directive_and_two_edits_make_one_draft_updated_each_time(chat, rt, people):
    await chat.say(LEADER, FIRST)
    message = chat.said
    answer = await chat.edit(LEADER, message, SECOND)
    assert "Đã sửa bản nháp theo tin nhắn bạn vừa sửa" in answer and "Sở Y tế" in answer, answer
    await chat.edit(LEADER, message, THIRD)
    [draft] = await directives(rt)
    assert draft.state == "draft" and draft.content.startswith("kiểm tra an toàn thực phẩm")
    assert draft.deadline == date(2026, 12, 30)
    assert [a.unit.code for a in draft.assignments] == ["SYT"]
    assert (await events(rt, "drafted"), await events(rt, "edited")) == (1, 2)
    # The card shown after the edit is the live draft: its «Giao việc» assigns the edited text.
    await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    [assigned] = await directives(rt)
    assert assigned.state == "assigned" and assigned.content.startswith("kiểm tra an toàn thực phẩm")


async def test_an_assigned_directive_is_not_changed_by_an_edit_and_the_leader_is_told(chat, rt, people):
    await chat.say(LEADER, FIRST)
    message = chat.said
    await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    answer = await chat.edit(LEADER, message, SECOND)
    [directive] = await directives(rt)
    assert f"Nhiệm vụ {directive.code} đã giao nên không thay đổi theo tin nhắn đã sửa" in answer, answer
    assert directive.state == "assigned" and directive.content.startswith("rà soát các dự án")
    assert [a.unit.code for a in directive.assignments] == ["SXD"]
    assert await events(rt, "edited") == 0


async def test_an_edit_adding_a_directive_adds_a_draft_and_one_removing_it_discards_it(chat, rt, people):
    await chat.say(LEADER, FIRST)
    message = chat.said
    await chat.edit(LEADER, message, TWO)
    first, second = await directives(rt)
    assert (first.state, second.state) == ("draft", "draft")
    assert "Tin nhắn đã sửa có thêm ý chỉ đạo này" in chat.texts(LEADER)[-1]
    answer = await chat.edit(LEADER, message, THIRD)
    assert f"không còn các ý này nên đã bỏ bản nháp {second.code}" in answer, answer
    first, second = await directives(rt)
    assert first.state == "draft" and first.content.startswith("kiểm tra an toàn thực phẩm")
    assert second.state == "cancelled" and second.assigned_on is None, "discarded as a draft is"
    await chat.edit(LEADER, message, TWO)
    assert len(await directives(rt)) == 3, "the second directive comes back as a new draft"


async def test_an_edit_that_is_no_directive_any_more_keeps_the_drafts_and_says_so(chat, rt, people):
    await chat.say(LEADER, FIRST)
    message = chat.said
    answer = await chat.edit(LEADER, message, "Sở Y tế còn bao nhiêu việc quá hạn?")
    [draft] = await directives(rt)
    assert f"không còn là ý kiến chỉ đạo nên bản nháp {draft.code} được giữ nguyên" in answer, answer
    assert draft.content.startswith("rà soát các dự án")


async def test_a_draft_discarded_before_the_edit_stays_discarded_and_nothing_is_said(chat, rt, people):
    await chat.say(LEADER, FIRST)
    message = chat.said
    await chat.press(LEADER, chat.button(LEADER, "Huỷ"))
    calls = sent(chat)
    await chat.edit(LEADER, message, SECOND)
    assert sent(chat) == calls
    [draft] = await directives(rt)
    assert draft.state == "cancelled" and draft.content.startswith("rà soát các dự án")


async def test_edited_commands_questions_and_answers_are_not_answered_again(chat, rt, people):
    for who, text, edited in [(LEADER, "/trogiup", "/trogiup"), (SXD, "/viec", "/quahan"),
                              (LEADER, "Sở Y tế còn bao nhiêu việc quá hạn?", "Sở Xây dựng còn bao nhiêu việc quá hạn?"),
                              (SXD, "xin chào", FIRST), (VIEWER, "thống kê tháng 11", "thống kê tháng 10"),
                              (STRANGER, "xin chào", "chào"), (STRANGER, "/start", "/start abc")]:
        await chat.say(who, text)
        message, calls = chat.said, sent(chat)
        await chat.edit(who, message, edited)
        assert sent(chat) == calls, f"{text!r} edited to {edited!r} was answered again"
    many = "\n".join(f"{n}. Giao Sở Y tế chủ trì kiểm tra việc {n} trước ngày 30/12/2026." for n in range(1, 40))
    await chat.say(LEADER, "/trogiup")
    message, calls = chat.said, sent(chat)
    await chat.edit(LEADER, message, many)
    assert sent(chat) == calls, "an edit of a command into more directives than a message may hold is not answered"
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "xây")  # the unit picker's filter
    message, calls = chat.said, sent(chat)
    await chat.edit(LEADER, message, "y tế")
    assert sent(chat) == calls
    assert await directives(rt) == []


async def test_an_edit_of_someone_elses_message_in_the_same_chat_changes_nothing(chat, rt, people):
    """Telegram lets only a message's author edit it; a forged edit naming another person's message is ignored."""
    await chat.say(LEADER, FIRST)
    message, calls = chat.said, sent(chat)
    await chat.edit(ADMIN, message, SECOND, chat_id=LEADER)
    assert sent(chat) == calls
    [draft] = await directives(rt)
    assert draft.content.startswith("rà soát các dự án")
