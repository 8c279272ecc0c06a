"""A card's button that asks for a text (a report, a reason) asks it under the pressed message in a private
chat, not in a new message (issue 22's message budget); in a unit's group it still opens a reply."""

from __future__ import annotations

from datetime import date

from bot.domain.lifecycle import State
from bot.services import directives as svc
from bot.services import queries
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
    # The answer turns the card that asked into the updated card, the confirmation where the question was, and
    # marks the person's message received: no new message (issue 22).
    assert sends(chat, before, SXD) == []
    edited = [p for n, p in chat.request.calls[before:] if n == "editMessageText"][-1]
    assert int(edited["message_id"]) == 1 and done.endswith(f"Đã gửi báo cáo tiến độ {card.code}.")
    assert "Đã rà soát 12 dự án" in done and "Nhập nội dung" not in done
    [reaction] = chat.request.sent("setMessageReaction", SXD)
    assert int(reaction["message_id"]) == chat.said and "👍" in str(reaction["reaction"])
    assert "Báo cáo hoàn thành" in str(edited["reply_markup"]), "the card keeps its buttons"
    chat.check_clean()


async def test_a_done_report_typed_after_the_question_updates_the_same_card(chat, rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát các dự án", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await chat.say(SXD, f"/xem {card.code}")
    before = len(chat.request.calls)
    await chat.press(SXD, chat.button(SXD, "Báo cáo hoàn thành"))
    done = await chat.say(SXD, "Đã rà soát xong 15 dự án, gửi kèm danh sách tại văn bản số 12/SXD")
    assert sends(chat, before, SXD) == [] and f"Đã gửi báo cáo hoàn thành {card.code}" in done
    assert (await queries.card(rt, people.sxd, card.code, now=NOW)).state == State.AWAITING
    chat.check_clean()


async def test_a_report_asked_in_a_new_message_is_answered_with_one(chat, rt, people):
    """In a group (the question opens a reply) the confirmation and card still come as one new message."""
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát các dự án", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await chat.say(SXD, "/dangkynhom", chat_id=-500)
    await chat.say(SXD, f"/xem {card.code}", chat_id=-500)
    await chat.press(SXD, chat.button(-500, "Báo cáo tiến độ"), chat_id=-500)
    before = len(chat.request.calls)
    done = await chat.say(SXD, "Đã rà soát 12 dự án, còn 3 dự án chưa có số liệu", chat_id=-500)
    assert len(sends(chat, before, -500)) == 1 and "Đã gửi báo cáo tiến độ" in done
    assert not chat.request.sent("setMessageReaction")
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
