"""A notice about several new tasks for one unit is one message with each task's buttons and «Nhận tất cả»:
one press acknowledges every task the message offers «Đã nhận» for, each a move of its own (its history,
its notices), checked by the service for the person pressing."""

from __future__ import annotations

from typing import Any

from bot.outbox import Dispatcher
from bot.services import directives as svc
from bot.services import queries
from bot.texts import t
from handlers.notifier import make_sender
from tests.conftest import AFTERNOON, NOW
from tests.integration.test_reminders import NoLimit


async def _deliver(chat, rt) -> None:  # type: ignore[no-untyped-def]
    dispatcher = Dispatcher(rt, make_sender(chat.bot, rt), "probe", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(NOW):
        pass


def _labels(markup: dict[str, Any]) -> list[str]:
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


async def test_one_press_acknowledges_every_new_task_of_a_merged_notice(chat, rt, people):
    cards = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát quy hoạch xây dựng khu công nghiệp", ["SXD"], [], None),
        svc.NewDirective("Kiểm tra an toàn công trình trường học", ["SXD"], ["STC"], None),
        svc.NewDirective("Lập dự toán kinh phí năm 2027", ["STC"], [], None)], now=NOW)
    first, second, third = (c.code for c in cards)
    await _deliver(chat, rt)

    [notice] = chat.messages(2001)  # the Sở Xây dựng: one message for its two new tasks
    assert first in notice["text"] and second in notice["text"] and third not in notice["text"]
    markup = notice["reply_markup"]
    labels = _labels(markup)
    assert labels[0] == "✅ Nhận tất cả (2)"
    assert any(first in label and "Đã nhận" in label for label in labels)
    assert any(second in label and "Đã nhận" in label for label in labels)
    ack_all = markup["inline_keyboard"][0][0]["callback_data"]

    # The press is a claim: the office cannot acknowledge for a unit this way, nor can a unit with no part
    # in these tasks (the Sở Y tế), whatever message the press says it came from.
    await chat.press(1001, ack_all, markup=markup)
    assert chat.alert() == t("auth.forbidden", "vi")
    await chat.press(2003, ack_all, markup=markup)
    assert chat.alert() == t("auth.not_your_unit", "vi")
    assert not any(p.acknowledged for p in (await queries.card(rt, people.admin, first, now=NOW)).parts)

    sent = len(chat.messages(2001))
    await chat.press(2001, ack_all, markup=markup)
    assert chat.alert() == t("done.ack_all", "vi", count=2, codes=f"{first}, {second}")
    for code in (first, second):
        card = await queries.card(rt, people.sxd, code, now=NOW)
        assert [p.code for p in card.parts if p.acknowledged] == ["SXD"], code
        assert card.state.value == "in_progress"
    assert len(chat.messages(2001)) == sent, "no new message: the notice loses the buttons pressed"
    edited = [p for n, p in chat.request.calls if n == "editMessageReplyMarkup"][-1]
    left = _labels(edited["reply_markup"])
    assert not any("Nhận tất cả" in label or "Đã nhận" in label for label in left), left

    # Pressed again (a second copy of the notice): nothing left to acknowledge, said so.
    await chat.press(2001, ack_all, markup=markup)
    assert chat.alert() == t("ack.already", "vi", code=first)
    third_card = await queries.card(rt, people.stc, third, now=NOW)
    assert not any(p.acknowledged for p in third_card.parts)


async def test_a_single_new_task_has_no_acknowledge_all(chat, rt, people):
    await svc.create_directives(rt, people.leader, [svc.NewDirective("Báo cáo tình hình", ["SXD"], [], None)], now=NOW)
    await _deliver(chat, rt)
    [notice] = chat.messages(2001)
    assert not any("Nhận tất cả" in label for label in _labels(notice["reply_markup"]))


async def test_the_offices_confirmation_goes_with_the_units_next_message_or_before_the_day_ends(chat, rt, people):
    """The office's confirmation asks nothing of a unit: it waits for the unit's next message of the day and
    goes in it (one message, not two), or goes alone an hour before the send window closes."""
    from datetime import timedelta

    one, two = (c.code for c in await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát quy hoạch xây dựng khu công nghiệp", ["SXD"], [], None),
        svc.NewDirective("Kiểm tra an toàn công trình trường học", ["STC"], [], None)], now=NOW))
    await _deliver(chat, rt)
    for person, code in ((people.sxd, one), (people.stc, two)):
        await svc.report_done(rt, person, code, "Đã hoàn thành, gửi kèm báo cáo kết quả", now=NOW)
        await svc.confirm_done(rt, people.admin, code, now=NOW)
    sent = {chat_id: len(chat.messages(chat_id)) for chat_id in (2001, 2002)}
    dispatcher = Dispatcher(rt, make_sender(chat.bot, rt), "probe", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(NOW + timedelta(minutes=1)):
        pass
    assert {chat_id: len(chat.messages(chat_id)) for chat_id in sent} == sent, "nothing yet: it can wait"

    [three] = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Báo cáo tình hình xây dựng nhà ở xã hội", ["SXD"], [], None)], now=NOW + timedelta(hours=1))
    while await dispatcher.run_once(NOW + timedelta(hours=1)):
        pass
    [merged] = chat.texts(2001)[sent[2001]:]
    assert three.code in merged and one in merged, merged
    assert merged.index(three.code) < merged.index(one), "the new task first, then what happened"
    assert len(chat.texts(2002)) == sent[2002], "the Sở Tài chính has had no other message: still waiting"

    # 16:00 local (an hour before the window closes): it goes alone, the same day.
    while await dispatcher.run_once(AFTERNOON):
        pass
    [alone] = chat.texts(2002)[sent[2002]:]
    assert two in alone


async def test_one_acknowledgement_on_a_notice_about_several_updates_its_buttons_without_a_new_message(chat, rt, people):
    first, second = (c.code for c in await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát quy hoạch xây dựng khu công nghiệp", ["SXD"], [], None),
        svc.NewDirective("Kiểm tra an toàn công trình trường học", ["SXD"], [], None)], now=NOW))
    await _deliver(chat, rt)
    [notice] = chat.messages(2001)
    markup = notice["reply_markup"]
    ack_first = next(b["callback_data"] for row in markup["inline_keyboard"] for b in row
                     if "Đã nhận" in b["text"] and first in b["text"])
    await chat.press(2001, ack_first, markup=markup)
    assert chat.alert() == t("done.ack", "vi", code=first)
    assert len(chat.messages(2001)) == 1, "no card sent: the notice's buttons change"
    left = _labels([p for n, p in chat.request.calls if n == "editMessageReplyMarkup"][-1]["reply_markup"])
    assert not any("Nhận tất cả" in label for label in left), "one task left to acknowledge: its own button"
    assert any("Đã nhận" in label and second in label for label in left)
    assert not any("Đã nhận" in label and first in label for label in left)
    assert [p.code for p in (await queries.card(rt, people.sxd, first, now=NOW)).parts if p.acknowledged] == ["SXD"]


def _sent(chat, chat_id: int) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for n, p in chat.request.calls if n == "sendMessage" and int(p.get("chat_id", 0)) == chat_id)


async def test_the_units_morning_digest_lists_the_tasks_it_has_not_acknowledged_and_acknowledges_them_in_one_press(
        chat, rt, people):
    """The daily digest a unit gets anyway lists its open tasks (lead or support) it has not acknowledged, newest
    first, with one «Nhận tất cả» that acknowledges exactly those listed, each a move the service checks for the
    person pressing; the digest then says so in place and loses the button: no new message."""
    from datetime import timedelta

    from bot.services import lifecycle
    from bot.services.digests import daily_digest
    from tests.integration.chatbot import plain

    first, second, third = (c.code for c in await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát quy hoạch xây dựng khu công nghiệp", ["SXD"], [], None),
        svc.NewDirective("Kiểm tra an toàn công trình trường học", ["STC"], ["SXD"], None),
        svc.NewDirective("Lập dự toán kinh phí năm 2027", ["SXD"], [], None)], now=NOW))
    await _deliver(chat, rt)
    await lifecycle.acknowledge_all(rt, people.sxd, [third], now=NOW)  # from its notice
    assert await daily_digest(rt, NOW) > 0
    await _deliver(chat, rt)
    digest = next(p for p in reversed(chat.messages(2001)) if "Việc của Sở Xây dựng" in plain(p["text"]))
    text, markup = plain(digest["text"]), digest["reply_markup"]
    assert "Đơn vị chưa xác nhận đã nhận: 2 nhiệm vụ" in text
    assert first in text and second in text and third not in text, text
    assert text.index(second) < text.index(first), "the newest first"
    assert _labels(markup)[0] == "✅ Nhận tất cả (2)" and "📋 Việc của đơn vị (2)" in _labels(markup)
    data = markup["inline_keyboard"][0][0]["callback_data"]

    # A claim read from the message pressed: the office cannot acknowledge for a unit this way, nor a unit with
    # no part in these tasks.
    await chat.press(1001, data, markup=markup, text=text)
    assert chat.alert() == t("auth.forbidden", "vi")
    await chat.press(2003, data, markup=markup, text=text)
    assert chat.alert() == t("auth.not_your_unit", "vi")

    sent = _sent(chat, 2001)
    await chat.press(2001, data, markup=markup, text=text)
    assert chat.alert() == t("done.ack_all", "vi", count=2, codes=f"{second}, {first}")
    for code in (first, second):
        card = await queries.card(rt, people.sxd, code, now=NOW)
        assert [p.code for p in card.parts if p.acknowledged] == ["SXD"], "the Sở Tài chính keeps its own"
    assert _sent(chat, 2001) == sent, "no new message"
    edited = [p for n, p in chat.request.calls if n == "editMessageText" and int(p["chat_id"]) == 2001][-1]
    assert "Đã ghi nhận: đơn vị đã nhận 2 nhiệm vụ" in plain(edited["text"]) and first in plain(edited["text"])
    assert _labels(edited["reply_markup"]) == ["⚠️ Quá hạn (0)", "⏰ Sắp đến hạn (0)", "📋 Việc của đơn vị (2)"]

    # Pressed again (the digest as it was): nothing left, said so.
    await chat.press(2001, data, markup=markup, text=text)
    assert chat.alert() == t("ack.already", "vi", code=second)

    # A unit with one task not acknowledged: its own button, naming it.
    [fourth] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Báo cáo tình hình", ["STC"], [], None)],
                                           now=NOW)
    await lifecycle.acknowledge_all(rt, people.stc, [second], now=NOW)
    monday = NOW + timedelta(days=3)
    assert await daily_digest(rt, monday) > 0
    dispatcher = Dispatcher(rt, make_sender(chat.bot, rt), "probe", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(monday):
        pass
    stc = next(p for p in reversed(chat.messages(2002)) if "Việc của Sở Tài chính" in plain(p["text"]))
    assert fourth.code in plain(stc["text"]) and second not in plain(stc["text"])
    one = stc["reply_markup"]["inline_keyboard"][0][0]
    assert one["text"] == f"✅ Đã nhận {fourth.code}" and fourth.code in one["callback_data"]
    await chat.press(2002, one["callback_data"], markup=stc["reply_markup"], text="digest")
    assert chat.alert() == t("done.ack", "vi", code=fourth.code)
    assert [p.code for p in (await queries.card(rt, people.stc, fourth.code, now=monday)).parts
            if p.acknowledged] == ["STC"]


async def test_a_digest_lists_no_task_when_the_unit_has_acknowledged_all(chat, rt, people):
    from bot.services import lifecycle
    from bot.services.digests import daily_digest
    from tests.integration.chatbot import plain

    [one] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Báo cáo tình hình", ["SXD"], [], None)],
                                        now=NOW)
    await lifecycle.acknowledge_all(rt, people.sxd, [one.code], now=NOW)
    assert await daily_digest(rt, NOW) > 0
    await _deliver(chat, rt)
    digest = next(p for p in reversed(chat.messages(2001)) if "Việc của Sở Xây dựng" in plain(p["text"]))
    assert "chưa xác nhận" not in plain(digest["text"]) and one.code not in plain(digest["text"])
    assert not any("Đã nhận" in label or "Nhận tất cả" in label for label in _labels(digest["reply_markup"]))
