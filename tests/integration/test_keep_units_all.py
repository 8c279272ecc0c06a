"""A pasted article read into several drafts whose lead units the doubt check questions (bot/parsing/doubt.py): the
batch message asks once, with «Giữ đơn vị như đã đọc (N nháp)», instead of one question message per draft; one
press answers them all, turns their previews into their cards, and «Giao tất cả» then assigns them. The check is
made to doubt every draft it may ask about, so the test does not hang on what the packaged model scores."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from bot.errors import DomainError
from bot.parsing import doubt
from bot.runtime import Runtime
from bot.services import directives as svc
from handlers.callbacks import KeepUnitsAll, QuestionAnswer, unpack
from tests.conftest import NOW, make_settings
from tests.integration.chatbot import plain

LEADER, FOCAL = 1002, 2001
# Three tasks in an article: the first two with a lead the check doubts, the third with a date that does not exist
# (a question of its own, which the press leaves open).
ARTICLE = ("Ngày 5/11, UBND tỉnh tổ chức hội nghị sơ kết công tác phòng, chống thiên tai năm 2026. Theo báo cáo tại "
           "hội nghị, trong năm qua nhiều công trình vẫn chậm tiến độ, một số nơi còn lúng túng trong ứng phó với mưa "
           "lũ. Phát biểu kết luận, Phó Chủ tịch UBND tỉnh giao Sở Y tế rà soát trang thiết bị phục vụ cấp cứu "
           "trong mùa mưa bão, hoàn thành trước ngày 30/11/2026. Phó Chủ tịch cũng giao Sở Xây dựng kiểm tra các "
           "công trình đê điều, hoàn thành trước ngày 15/12/2026. Sở Tài chính bố trí kinh phí khắc phục hậu quả "
           "thiên tai, hoàn thành trước ngày 31/2/2027.")
KEEP = "Giữ đơn vị như đã đọc"


@pytest.fixture(autouse=True)
def doubting() -> Iterator[None]:
    n = len(doubt.FEATURES)
    doubt.use_model(doubt.DoubtModel({"format": 1, "features": list(doubt.FEATURES), "mean": [0.0] * n,
                                      "scale": [1.0] * n, "coef": [0.0] * n, "intercept": 0.0, "threshold": 0.0}))
    yield
    doubt.use_model()


def _labels(params: dict[str, Any]) -> list[str]:
    return [b["text"] for row in (params.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def _questions(rt, code: str) -> tuple[str, ...]:  # noqa: ANN001
    async with rt.uow(read_only=True) as uow:
        return (await uow.directives.get(code)).questions


async def _paste(chat) -> dict[str, Any]:  # noqa: ANN001
    """The article pasted; the batch message (the last one sent), whose keyboard a press comes with."""
    await chat.say(LEADER, ARTICLE)
    return chat.messages(LEADER)[-1]


async def test_the_batch_asks_once_about_the_doubted_units_instead_of_once_a_draft(chat, rt, people):
    batch = await _paste(chat)
    assert f"{KEEP} (2 nháp)" in _labels(batch) and "✅ Giao tất cả (3)" in _labels(batch)
    assert "2 bản nháp ở trên hỏi lại đơn vị" in plain(batch["text"])
    everything = [label for params in chat.messages(LEADER) for label in _labels(params)]
    assert "Giữ đơn vị như trên" not in everything, "no question message of its own for each doubted draft"
    assert any("Không có hạn" in label for label in everything), "the date question is still asked on its own"


async def test_one_press_keeps_the_units_turns_the_previews_into_cards_and_giao_tat_ca_assigns_them(chat, rt, people):
    batch = await _paste(chat)
    await chat.restart()  # the press carries what it covers; the previews' ids are in the database
    before = len(chat.request.calls)
    summary = await chat.press(LEADER, chat.button(LEADER, KEEP), markup=batch["reply_markup"], text=batch["text"])
    assert "Đã giữ đơn vị như đã đọc cho 2 bản nháp: Nháp 1, Nháp 2" in summary
    assert "2 bản đã sẵn sàng" in summary and "Giao tất cả" in summary
    calls = chat.request.calls[before:]
    cards = [p for n, p in calls if n == "editMessageText" and "Đã trả lời câu hỏi" in plain(p["text"])]
    assert len(cards) == 2 and all("✅ Giao việc" in _labels(p) for p in cards), "each preview is its card now"
    [keyboard] = [p for n, p in calls if n == "editMessageReplyMarkup"]
    assert [b["text"] for row in keyboard["reply_markup"]["inline_keyboard"] for b in row] == ["✅ Giao tất cả (3)"]
    assert await _questions(rt, "NHAP-1") == () and await _questions(rt, "NHAP-2") == ()
    assert await _questions(rt, "NHAP-3") == ("impossible_date:trước ngày 31/2/2027",), "its date is still asked"
    assigned = plain(await chat.press(LEADER, chat.button(LEADER, "Giao tất cả")))
    assert "Đã giao 2 nhiệm vụ" in assigned and "Còn 1 bản nháp chưa giao" in assigned


async def test_giao_tat_ca_pressed_first_leaves_the_keep_press_on_the_batch_for_the_drafts_it_could_not_assign(
        chat, rt, people):
    """«Giao tất cả» before «Giữ đơn vị như đã đọc» (it says «all»): the doubted drafts stay drafts, and the batch
    message keeps both buttons, since those drafts have no question message of their own to answer."""
    batch = await _paste(chat)
    summary = await chat.press(LEADER, chat.button(LEADER, "Giao tất cả"), markup=batch["reply_markup"],
                               text=batch["text"])
    assert "Đã giao 0 nhiệm vụ" in summary and "Còn 3 bản nháp chưa giao" in summary
    assert "2 bản nháp ở trên hỏi lại đơn vị" in summary
    edited = chat.messages(LEADER)[-1]
    assert _labels(edited) == [f"{KEEP} (2 nháp)", "✅ Giao tất cả (3)"], _labels(edited)
    await chat.press(LEADER, chat.button(LEADER, KEEP), markup=edited["reply_markup"], text=edited["text"])
    assert await _questions(rt, "NHAP-1") == () and await _questions(rt, "NHAP-2") == ()
    assigned = plain(await chat.press(LEADER, chat.button(LEADER, "Giao tất cả")))
    assert "Đã giao 2 nhiệm vụ" in assigned and "Còn 1 bản nháp chưa giao" in assigned


async def test_a_second_press_and_an_old_per_draft_answer_are_refused_cleanly(chat, rt, people):
    batch = await _paste(chat)
    data = chat.button(LEADER, KEEP)
    await chat.press(LEADER, data, markup=batch["reply_markup"], text=batch["text"])
    await chat.press(LEADER, data, markup=batch["reply_markup"], text=batch["text"])
    assert chat.alert().startswith("Không còn bản nháp nào cần giữ đơn vị")
    await chat.press(LEADER, QuestionAnswer("NHAP-1", 1, "l").pack())  # the button a draft asked with before
    assert chat.alert().startswith("Thao tác không còn hiệu lực")
    async with rt.uow(read_only=True) as uow:
        assert (await uow.directives.get("NHAP-1")).version == 2, "answered once, by the first press"


async def test_a_draft_corrected_since_the_press_was_offered_is_left_and_offered_again_on_the_summary(chat, rt, people):
    batch = await _paste(chat)
    await svc.edit_draft(rt, people.leader, "NHAP-2", now=NOW, content="Kiểm tra các công trình đê điều xung yếu")
    sent = len(chat.texts(LEADER))
    await chat.press(LEADER, chat.button(LEADER, KEEP), markup=batch["reply_markup"], text=batch["text"])
    summary = chat.messages(LEADER)[-1]
    assert len(chat.texts(LEADER)) - sent == 2, "the preview of Nháp 1 edited, and the summary: no question message"
    assert "cho 1 bản nháp: Nháp 1" in plain(summary["text"]) and "đã thay đổi sau khi nút được gửi" in plain(
        summary["text"])
    assert await _questions(rt, "NHAP-2") == ("lead:Sở Xây dựng",), "the corrected draft keeps its question"
    assert _labels(summary) == [f"{KEEP} (1 nháp)"], "offered again, at the draft's version now"
    await chat.press(LEADER, chat.button(LEADER, KEEP), markup=summary["reply_markup"], text=summary["text"])
    assert "cho 1 bản nháp: Nháp 2" in chat.texts(LEADER)[-1] and await _questions(rt, "NHAP-2") == ()


async def test_a_draft_read_again_from_the_edited_notice_is_not_asked_twice(chat, rt, people):
    """Editing the pasted message reads its drafts again and asks each draft's unit question under its new preview;
    the batch's old press then leaves the changed draft, and offers it again on its summary instead of sending the
    same question a second time."""
    batch = await _paste(chat)
    await chat.edit(LEADER, chat.said, ARTICLE.replace("các công trình đê điều", "các công trình đê điều xung yếu"))
    asked = [p for p in chat.messages(LEADER) if "Nháp 2" in plain(p["text"]) and "Giữ đơn vị như trên" in _labels(p)]
    assert len(asked) == 1, "asked under the draft read again"
    before = len(chat.texts(LEADER))
    await chat.press(LEADER, chat.button(LEADER, KEEP), markup=batch["reply_markup"], text=batch["text"])
    after = chat.messages(LEADER)[before:]
    assert not any("Giữ đơn vị như trên" in _labels(p) for p in after), "the question is not sent again"
    assert _labels(after[-1]) == [f"{KEEP} (1 nháp)"] and "Nháp 2" in plain(after[-1]["text"])


async def test_a_unit_focal_point_cannot_keep_the_units(chat, rt, people):
    batch = await _paste(chat)
    await chat.press(FOCAL, chat.button(LEADER, KEEP), markup=batch["reply_markup"], text=batch["text"])
    assert await _questions(rt, "NHAP-1") == ("lead:Sở Y tế",)


async def test_two_replicas_pressing_at_once_keep_each_draft_once_and_write_nothing_half(chat, rt, people,
                                                                                        database_url):
    """The same press handled by two replicas at the same moment (a double tap spread by the load balancer): each
    draft is answered once; the press that loses either finds nothing left or loses the race on a draft's version
    and writes nothing («try again»)."""
    await _paste(chat)
    press = unpack(chat.button(LEADER, KEEP))
    assert isinstance(press, KeepUnitsAll)
    other = Runtime.build(make_settings(), database_url)
    try:
        results = await asyncio.gather(
            *(svc.keep_units_read(replica, people.leader, LEADER, press.origin, now=NOW, versions=press.offered)
              for replica in (rt, other)), return_exceptions=True)
    finally:
        await other.close()
    kept = [r for r in results if isinstance(r, svc.KeptUnits) and r.answered]
    assert len(kept) == 1 and [c.code for c, _ in kept[0].answered] == ["NHAP-1", "NHAP-2"], results
    loser = next(r for r in results if r is not kept[0])
    assert (isinstance(loser, DomainError) and loser.key == "action.conflict") or loser == svc.KeptUnits([], []), loser
    async with rt.uow(read_only=True) as uow:
        assert [(await uow.directives.get(code)).version for code in ("NHAP-1", "NHAP-2")] == [2, 2]
