"""A report typed as a Telegram reply to the bot's card or notice of a directive, without pressing «Báo cáo tiến
độ» / «Báo cáo hoàn thành» first (issue 22's tap budget): progress by default, a completion when it starts
with «hoàn thành», «đã hoàn thành» or «xong». The service still decides who may report."""

from __future__ import annotations

from datetime import date

from bot.domain.lifecycle import State
from bot.services import directives as svc
from bot.services import queries
from handlers.actions import CardPress
from tests.conftest import NOW

SXD, STC = 2001, 2002


async def _card(chat, rt, people) -> tuple[str, dict]:
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát các dự án", ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW)
    await chat.say(SXD, f"/xem {card.code}")
    shown = chat.messages(SXD)[-1]
    assert "Báo cáo tiến độ" in str(shown["reply_markup"])
    return card.code, {"message_id": 77, "text": shown["text"], "reply_markup": shown["reply_markup"]}


def _sends(chat, since: int) -> list[dict]:
    return [p for n, p in chat.request.calls[since:] if n == "sendMessage"]


async def test_a_reply_to_the_card_is_a_progress_report(chat, rt, people):
    code, card = await _card(chat, rt, people)
    before = len(chat.request.calls)
    shown = await chat.say(SXD, "Đã rà soát 12 dự án, còn 3 dự án chưa có số liệu", reply_to=card)
    assert _sends(chat, before) == [], "the replied card becomes the updated card"
    assert shown.endswith(f"Đã gửi báo cáo tiến độ {code}.") and "Đã rà soát 12 dự án" in shown
    edited = [p for n, p in chat.request.calls[before:] if n == "editMessageText"][-1]
    assert int(edited["message_id"]) == 77
    [reaction] = chat.request.sent("setMessageReaction", SXD)
    assert int(reaction["message_id"]) == chat.said
    now = await queries.card(rt, people.sxd, code, now=NOW)
    assert now.state == State.IN_PROGRESS and "Đã rà soát 12 dự án" in (now.parts[0].last_report or "")
    chat.check_clean()


async def test_a_reply_starting_with_hoan_thanh_is_a_done_report(chat, rt, people):
    code, card = await _card(chat, rt, people)
    shown = await chat.say(SXD, "Hoàn thành: đã rà soát xong 15 dự án, kèm danh sách tại văn bản 12/SXD",
                           reply_to=card)
    assert f"Đã gửi báo cáo hoàn thành {code}" in shown
    assert (await queries.card(rt, people.sxd, code, now=NOW)).state == State.AWAITING
    chat.check_clean()


async def test_a_reply_by_someone_not_allowed_is_refused_and_changes_nothing(chat, rt, people):
    code, card = await _card(chat, rt, people)
    before = len(chat.request.calls)
    answer = await chat.say(STC, "Xong, đã rà soát toàn bộ các dự án trên địa bàn", reply_to=card)
    assert "không giao cho đơn vị của bạn" in answer, answer
    assert not [p for n, p in chat.request.calls[before:] if n == "editMessageText"]
    now = await queries.card(rt, people.sxd, code, now=NOW)
    assert now.state == State.ASSIGNED and not now.parts[0].last_report
    chat.check_clean()


async def test_a_reply_to_a_message_about_several_tasks_asks_which(chat, rt, people):
    cards = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát các dự án", ["SXD"], [], date(2026, 12, 15)),
        svc.NewDirective("Kiểm tra công trình", ["SXD"], [], date(2026, 12, 16))], now=NOW)
    markup = {"inline_keyboard": [[{"text": f"Báo cáo tiến độ {c.code}",
                                    "callback_data": CardPress("prog", c.code, c.version).pack()}] for c in cards]}
    answer = await chat.say(SXD, "Đã rà soát 12 dự án", reply_to={"message_id": 78, "text": "Nhiệm vụ mới",
                                                                   "reply_markup": markup})
    assert "nhiều nhiệm vụ" in answer and cards[0].code in answer and cards[1].code in answer
    for c in cards:
        assert (await queries.card(rt, people.sxd, c.code, now=NOW)).state == State.ASSIGNED
    chat.check_clean()


async def test_a_reply_to_a_message_without_report_buttons_is_understood_as_before(chat, rt, people):
    code, card = await _card(chat, rt, people)
    card = {**card, "reply_markup": None}
    await chat.say(SXD, "Đã rà soát 12 dự án", reply_to=card)
    assert (await queries.card(rt, people.sxd, code, now=NOW)).state == State.ASSIGNED
    chat.check_clean()


async def test_a_reply_in_a_units_group_is_not_a_report(chat, rt, people):
    """In a group people reply to a notice to talk about it: only answers to the bot's own questions count."""
    code, card = await _card(chat, rt, people)
    before = len(chat.request.calls)
    await chat.say(SXD, "Ai đang giữ hồ sơ này vậy?", chat_id=-100200, reply_to=card)
    now = await queries.card(rt, people.sxd, code, now=NOW)
    assert now.state == State.ASSIGNED and not now.parts[0].last_report
    assert not [p for n, p in chat.request.calls[before:] if n in ("editMessageText", "setMessageReaction")]


async def test_a_completion_replied_to_a_message_where_one_task_shows_its_button_is_that_tasks(chat, rt, people):
    """A notice of a lead task and a support task: only the lead one shows «Báo cáo hoàn thành», so «Hoàn thành…»
    typed as a reply to it can mean only that one; progress could be either, so it still asks which. The notice
    stays as it is, for the other task: the updated card comes as a new message."""
    lead, support = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát các dự án", ["SXD"], [], date(2026, 12, 15)),
        svc.NewDirective("Kiểm tra công trình", ["STC"], ["SXD"], date(2026, 12, 16))], now=NOW)
    rows = [[{"text": f"Báo cáo tiến độ {c.code}", "callback_data": CardPress("prog", c.code, c.version).pack()}]
            for c in (lead, support)]
    rows.insert(1, [{"text": f"Báo cáo hoàn thành {lead.code}",
                     "callback_data": CardPress("done", lead.code, lead.version).pack()}])
    notice = {"message_id": 79, "text": "Thông báo — 2 nhiệm vụ", "reply_markup": {"inline_keyboard": rows}}

    answer = await chat.say(SXD, "Đã rà soát 12 dự án", reply_to=notice)
    assert "nhiều nhiệm vụ" in answer and lead.code in answer and support.code in answer

    before = len(chat.request.calls)
    answer = await chat.say(SXD, "Hoàn thành: đã rà soát xong 15 dự án", reply_to=notice)
    assert f"Đã gửi báo cáo hoàn thành {lead.code}" in answer
    assert (await queries.card(rt, people.sxd, lead.code, now=NOW)).state == State.AWAITING
    assert (await queries.card(rt, people.sxd, support.code, now=NOW)).state == State.ASSIGNED
    assert not [p for n, p in chat.request.calls[before:] if n == "editMessageText"], "the notice is not replaced"
    assert len(_sends(chat, before)) == 1
    chat.check_clean()
