"""A card's button that asks for a text (a report, a reason) asks it under the pressed message in a private
chat, not in a new message (issue 22's message budget); in a unit's group it still opens a reply."""

from __future__ import annotations

from datetime import date

from bot.services import directives as svc
from tests.conftest import NOW

SXD = 2001


def sends(chat, since: int, chat_id: int) -> list[dict]:
    return [p for n, p in chat.request.calls[since:] if n == "sendMessage" and int(p.get("chat_id", 0)) == chat_id]


async def test_a_report_is_asked_for_under_the_pressed_card_and_answered_once(chat, rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát các dự án", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await chat.say(SXD, f"/xem {card.code}")
    before = len(chat.request.calls)
    asked = await chat.press(SXD, chat.button(SXD, "Báo cáo tiến độ"))
    assert "Nhập nội dung báo cáo tiến độ" in asked
    assert sends(chat, before, SXD) == [], "the question is an edit of the pressed message"
    done = await chat.say(SXD, "Đã rà soát 12 dự án, còn 3 dự án chưa có số liệu")
    assert "Đã gửi báo cáo tiến độ" in done and len(sends(chat, before, SXD)) == 1
    chat.check_clean()


async def test_in_a_units_group_the_question_still_opens_a_reply(chat, rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát các dự án", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await chat.say(SXD, "/dangkynhom", chat_id=-500)
    await chat.say(SXD, f"/xem {card.code}", chat_id=-500)
    before = len(chat.request.calls)
    await chat.press(SXD, chat.button(-500, "Báo cáo tiến độ"), chat_id=-500)
    [question] = sends(chat, before, -500)
    assert "force_reply" in str(question.get("reply_markup"))
