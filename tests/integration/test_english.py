"""An English-speaking person sees English everywhere but in names and content they or others typed; a
person who switches language gets the command menu in it, whatever their app's language."""

from __future__ import annotations

import re
from datetime import date

from bot.services import access
from bot.services import directives as svc
from tests.conftest import NOW
from tests.integration.chatbot import plain

ENGLISH = 4242
VIETNAMESE_LETTERS = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)


async def test_an_english_speaking_focal_point_never_sees_vietnamese_outside_names_and_content(chat, rt, people):
    invite = await access.create_invite(rt, role="focal", unit_code="SXD", now=NOW)
    await access.register(rt, ENGLISH, invite.token, full_name="Anna", username=None, language="en", now=NOW)
    names = ["Sở Xây dựng", "Sở Tài chính", "Phó Chủ tịch", "Chuyên viên VP", "Rà soát các dự án chậm tiến độ",
             "Chờ số liệu", "Đang làm", "Văn phòng UBND tỉnh", "Đầu mối Sở XD"]
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát các dự án chậm tiến độ", ["SXD"], ["STC"], date(2026, 12, 15))], now=NOW)
    await svc.request_extension(rt, people.sxd, card.code, date(2027, 1, 15), "Chờ số liệu", now=NOW)

    await chat.say(ENGLISH, "/start")
    await chat.say(ENGLISH, "/tasks")
    await chat.say(ENGLISH, f"/view {card.code}")
    await chat.press(ENGLISH, chat.button(ENGLISH, "Report progress"))
    await chat.say(ENGLISH, "Đang làm")
    await chat.say(ENGLISH, "/overdue")
    await chat.say(ENGLISH, "/abc")
    await chat.say(ENGLISH, "what is overdue?")
    await chat.say(ENGLISH, "stats 2026-11")
    await chat.say(ENGLISH, "/view CD-2026-9999")
    await chat.press(ENGLISH, "garbage")
    await chat.press(ENGLISH, chat.button(ENGLISH, "History"))
    await chat.say(ENGLISH, "/cancel")

    shown = [*chat.texts(ENGLISH), *chat.request.alerts()]
    assert len(shown) >= 12
    for text in shown:
        for name in names:
            text = text.replace(name, "")
        assert not VIETNAMESE_LETTERS.search(text), plain(text)


async def test_switching_language_sets_the_chats_own_command_menu(chat, rt, people):
    await chat.say(2001, "/ngonngu en")
    scoped = [p for n, p in chat.request.calls if n == "setMyCommands" and p.get("scope")]
    assert scoped[-1]["scope"] == {"type": "chat", "chat_id": 2001}
    assert scoped[-1]["commands"][0] == {"command": "tasks", "description": "My unit's tasks"}
    await chat.say(2001, "/language vi")
    scoped = [p for n, p in chat.request.calls if n == "setMyCommands" and p.get("scope")]
    assert scoped[-1]["commands"][0]["command"] == "viec"
