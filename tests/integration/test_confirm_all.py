"""The office's notice of a done report lists the other reports awaiting its confirmation, each with its
text and its «Xác nhận», and «Xác nhận tất cả (n)»: one press confirms every report the message shows, each
at the version it showed (a report sent back or changed since is left for its own press), each a move of
its own checked by the service."""

from __future__ import annotations

from typing import Any

from bot.services import directives as svc
from bot.services import queries
from bot.texts import t
from tests.conftest import NOW
from tests.integration.test_acknowledge_all import _deliver

OFFICE, LEADER = 1001, 1002


def _labels(markup: dict[str, Any]) -> list[str]:
    return [b["text"] for row in markup["inline_keyboard"] for b in row]


async def _reported(rt, people, *contents: str) -> list[str]:  # type: ignore[no-untyped-def]
    cards = await svc.create_directives(rt, people.leader, [svc.NewDirective(c, ["SXD"], [], None) for c in contents],
                                        now=NOW)
    for card in cards:
        await svc.report_done(rt, people.sxd, card.code, f"Đã hoàn thành: {card.content}", now=NOW)
    return [c.code for c in cards]


async def test_the_newest_report_lists_the_others_awaiting_and_one_press_confirms_them_all(chat, rt, people):
    first, second = await _reported(rt, people, "Rà soát quy hoạch khu công nghiệp", "Kiểm tra trường học")
    await _deliver(chat, rt)
    [third] = await _reported(rt, people, "Lập dự toán kinh phí năm 2027")
    before = len(chat.messages(OFFICE))
    await _deliver(chat, rt)
    [notice] = chat.messages(OFFICE)[before:]
    assert third in notice["text"] and "Đang chờ" not in notice["text"]
    assert "Cũng đang chờ xác nhận hoàn thành (2)" in notice["text"]
    assert f"{first}</b> · Sở Xây dựng: Đã hoàn thành: Rà soát quy hoạch" in notice["text"]
    markup = notice["reply_markup"]
    labels = _labels(markup)
    assert labels[0] == "✔️ Xác nhận tất cả (3)"
    assert f"✔️ Xác nhận {first}" in labels and f"✔️ Xác nhận {second}" in labels
    confirm_all = markup["inline_keyboard"][0][0]["callback_data"]

    # The second report is sent back meanwhile: the press confirms the others, not it.
    card = await queries.card(rt, people.admin, second, now=NOW)
    await svc.send_back(rt, people.admin, second, "Bổ sung số liệu", now=NOW, expected_version=card.version)
    # A focal point's press is refused by the service, whatever message it says it came from.
    await chat.press(2001, confirm_all, markup=markup)
    assert chat.alert() == t("auth.forbidden", "vi")
    sent = len(chat.messages(OFFICE))
    await chat.press(OFFICE, confirm_all, markup=markup)
    assert chat.alert() == t("done.confirm_all", "vi", count=2, codes=f"{third}, {first}")
    for code in (first, third):
        assert (await queries.card(rt, people.admin, code, now=NOW)).state.value == "done"
    assert (await queries.card(rt, people.admin, second, now=NOW)).state.value == "in_progress"
    assert len(chat.messages(OFFICE)) == sent, "no new message: the notice loses the confirmed reports' buttons"
    edited = [p for n, p in chat.request.calls if n == "editMessageReplyMarkup"][-1]
    left = _labels(edited["reply_markup"])
    assert not any("Xác nhận tất cả" in label or first in label or third in label for label in left), left


async def test_a_leader_told_of_a_report_gets_no_list_of_the_provinces(chat, rt, people):
    await _reported(rt, people, "Rà soát quy hoạch khu công nghiệp")
    await _deliver(chat, rt)
    await _reported(rt, people, "Kiểm tra trường học")
    before = len(chat.messages(LEADER))
    await _deliver(chat, rt)
    [notice] = chat.messages(LEADER)[before:]
    assert "Cũng đang chờ" not in notice["text"]
    assert not any("Xác nhận tất cả" in label for label in _labels(notice["reply_markup"]))


async def test_a_single_report_awaiting_has_no_confirm_all(chat, rt, people):
    await _reported(rt, people, "Rà soát quy hoạch khu công nghiệp")
    await _deliver(chat, rt)
    [notice] = [m for m in chat.messages(OFFICE) if "báo cáo hoàn thành" in m["text"]]
    assert "Cũng đang chờ" not in notice["text"]
    assert not any("Xác nhận tất cả" in label for label in _labels(notice["reply_markup"]))


async def test_a_reply_to_a_done_reports_notice_is_the_offices_decision(chat, rt, people):
    """The office replies to a done report's notice (its hint says so): the text is the reason it is sent back
    with; «xác nhận» first confirms it. At the version the notice showed."""
    first, second = await _reported(rt, people, "Rà soát quy hoạch khu công nghiệp", "Kiểm tra trường học")
    await _deliver(chat, rt)
    notices = [m for m in chat.messages(OFFICE) if "báo cáo hoàn thành" in m["text"]]
    assert len(notices) == 1 and "Trả lời (reply) tin này" not in notices[0]["text"], "a notice of two: no hint"
    await chat.say(OFFICE, f"/xem {first}")
    card = chat.messages(OFFICE)[-1]
    replied = {"message_id": 77, "text": card["text"], "reply_markup": card["reply_markup"]}
    before = len(chat.request.calls)
    shown = await chat.say(OFFICE, "Báo cáo chưa có số liệu cụ thể, đề nghị bổ sung", reply_to=replied)
    assert f"Đã trả lại báo cáo {first}" in shown
    assert not [n for n, _ in chat.request.calls[before:] if n == "sendMessage"], "the card edited in place"
    sent_back = await queries.card(rt, people.admin, first, now=NOW)
    assert sent_back.state.value == "in_progress"
    await chat.say(OFFICE, f"/xem {second}")
    card = chat.messages(OFFICE)[-1]
    replied = {"message_id": 78, "text": card["text"], "reply_markup": card["reply_markup"]}
    for thanks in ("Cảm ơn đơn vị đã báo cáo đầy đủ", "Tốt"):  # thanks, praise: not a reason
        answer = await chat.say(OFFICE, thanks, reply_to=replied)
        assert "Chưa rõ ý" in answer
        assert (await queries.card(rt, people.admin, second, now=NOW)).state.value == "awaiting_confirmation"
    await chat.say(OFFICE, "Xác nhận, báo cáo đầy đủ", reply_to=replied)
    assert (await queries.card(rt, people.admin, second, now=NOW)).state.value == "done"


async def test_a_single_done_report_notice_says_a_reply_decides_it(chat, rt, people):
    [code] = await _reported(rt, people, "Rà soát quy hoạch khu công nghiệp")
    await _deliver(chat, rt)
    [notice] = [m for m in chat.messages(OFFICE) if "báo cáo hoàn thành" in m["text"]]
    assert f"Trả lời (reply) tin này kèm lý do để trả lại báo cáo {code}" in notice["text"]


async def test_a_reply_to_a_message_about_several_reports_asks_which(chat, rt, people):
    from handlers.actions import CardPress

    codes = await _reported(rt, people, "Rà soát quy hoạch khu công nghiệp", "Kiểm tra trường học")
    cards = [await queries.card(rt, people.admin, c, now=NOW) for c in codes]
    markup = {"inline_keyboard": [[{"text": f"↩️ Trả lại {c.code}", "callback_data": CardPress("back", c.code, c.version).pack()}]
                                  for c in cards]}
    answer = await chat.say(OFFICE, "Chưa đạt, đề nghị bổ sung", reply_to={"message_id": 79, "text": "Thông báo",
                                                                        "reply_markup": markup})
    assert "nhiều báo cáo" in answer and codes[0] in answer and codes[1] in answer
    for code in codes:
        assert (await queries.card(rt, people.admin, code, now=NOW)).state.value == "awaiting_confirmation"
