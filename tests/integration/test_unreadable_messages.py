"""Voice, video notes, stickers, locations, contacts and dice in a private chat get a short answer saying
what to send instead; while the bot waits for a typed answer, they are told what it still waits for; the
question stands, nothing changes, and a group's chatter stays unanswered."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update

from storage.models import Conversation, Event

_ids = itertools.count(70_000)

KINDS: dict[str, dict[str, Any]] = {
    "voice": {"voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 4}},
    "video_note": {"video_note": {"file_id": "n1", "file_unique_id": "n1", "length": 240, "duration": 5}},
    "sticker": {"sticker": {"file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 512, "height": 512,
                            "is_animated": False, "is_video": False}},
    "location": {"location": {"latitude": 16.75, "longitude": 107.19}},
    "contact": {"contact": {"phone_number": "+84900000000", "first_name": "Lan"}},
    "dice": {"dice": {"emoji": "🎲", "value": 3}},
}
ANSWERS = {"voice": "chưa nghe được tin nhắn thoại", "video_note": "chưa nghe được tin nhắn thoại",
           "sticker": "chỉ hiểu tin nhắn chữ, nút bấm và tệp", "location": "không dùng vị trí",
           "contact": "không nhận danh bạ", "dice": "chỉ hiểu tin nhắn chữ, nút bấm và tệp"}


async def send(chat, user_id: int, kind: str, chat_id: int | None = None) -> str:  # noqa: ANN001
    chat_id = chat_id or user_id
    message = {"message_id": next(_ids), "date": 0, **KINDS[kind],
               "from": {"id": user_id, "is_bot": False, "first_name": "User", "language_code": "vi"},
               "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}}
    await chat.app.process_update(Update.de_json({"update_id": next(_ids), "message": message}, chat.bot))
    return chat.texts(chat_id)[-1] if chat.texts(chat_id) else ""


@pytest.mark.parametrize("kind", list(KINDS))
async def test_an_unreadable_message_in_a_private_chat_is_told_what_to_send_instead(chat, people, kind):
    assert ANSWERS[kind] in await send(chat, 2001, kind)


async def test_while_the_bot_waits_for_a_report_a_voice_message_is_told_it_still_waits_and_the_question_stands(
        chat, rt, people):
    await chat.say(1002, "Giao Sở Xây dựng rà soát các dự án chậm tiến độ, báo cáo trước ngày 15/12/2026.")
    await chat.press(1002, chat.button(1002, "Giao việc"))
    await chat.say(2001, "/xem CD-2026-0001")
    await chat.press(2001, chat.button(2001, "Báo cáo tiến độ"))
    async with rt.sessions() as s:
        events = len((await s.scalars(select(Event))).all())
    answer = await send(chat, 2001, "voice")
    assert "vẫn đang chờ nội dung báo cáo tiến độ cho CD-2026-0001" in answer and "/huy" in answer
    assert "vẫn đang chờ" in await send(chat, 2001, "sticker")
    async with rt.sessions() as s:
        assert len((await s.scalars(select(Event))).all()) == events, "nothing changed"
        assert await s.scalar(select(Conversation.kind)) == "act:prog", "the question still stands"
    assert "Đã gửi báo cáo tiến độ" in await chat.say(2001, "Đã rà soát 12/20 dự án")


async def test_during_the_guided_assignment_a_location_is_told_the_step_it_waits_for(chat, people):
    await chat.say(1002, "/giaoviec")
    assert "vẫn đang chờ nội dung nhiệm vụ" in await send(chat, 1002, "location")
    await chat.say(1002, "Kiểm tra chất lượng công trình trường học")
    assert "vẫn đang chờ bạn chọn đơn vị" in await send(chat, 1002, "location")


async def test_in_english_the_answer_is_in_english(chat, people):
    await chat.say(2002, "/ngonngu en")
    assert "cannot listen to voice messages" in await send(chat, 2002, "voice")


async def test_a_sticker_in_a_units_group_gets_no_answer_and_a_stranger_gets_the_refusal(chat, people):
    await chat.say(2001, "/dangkynhom", chat_id=-500)
    calls = len(chat.request.calls)
    await send(chat, 2001, "sticker", chat_id=-500)
    assert len(chat.request.calls) == calls
    assert "777" in await send(chat, 777, "voice"), "a stranger is refused with their id, as for any message"
