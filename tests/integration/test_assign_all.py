"""A pasted notice of several tasks (issue 22): its drafts are previewed one by one, then «Giao tất cả»
assigns those with no open question, turns their previews into their cards and says which remain; /nhap
lists the drafts not yet assigned."""

from __future__ import annotations

from sqlalchemy import select

from bot.services import directives as svc
from storage.models import Directive
from tests.conftest import NOW
from tests.integration.chatbot import APOLOGY, plain

NOTICE = ("Thông báo số 215/TB-UBND ngày 18/11/2026 kết luận của Phó Chủ tịch UBND tỉnh:\n"
          "1. Giao Sở Xây dựng rà soát các dự án chậm tiến độ, báo cáo trước ngày 15/12/2026.\n"
          "2. Giao Sở Tài chính tổng hợp nhu cầu vốn, hoàn thành trước ngày 20/12/2026.\n"
          "3. Giao Sở Du lịch Quảng Trị kiểm tra các điểm du lịch, báo cáo trước ngày 30/12/2026.")


async def states(rt) -> dict[str, str]:
    async with rt.sessions() as s:
        return {content[:20]: state for content, state in await s.execute(select(Directive.content, Directive.state))}


async def test_assign_all_assigns_the_complete_drafts_and_says_which_remain(chat, rt, people):
    before = len(chat.request.calls)
    await chat.say(1001, NOTICE)
    sent = [plain(p["text"]) for n, p in chat.request.calls[before:] if n == "sendMessage"]
    batch = sent[-1]
    assert "Nháp 1" in batch and "Nháp 2" in batch and "Rà soát các dự án chậm tiến độ" in batch
    assert len([t for t in sent if "Bản nháp" in t]) == 1, "only the draft the bot is unsure of has its own preview"
    assert "Giao tất cả (3)" in str(chat.messages(1001)[-1]["reply_markup"])
    summary = plain(await chat.press(1001, chat.button(1001, "Giao tất cả")))
    assert "Đã giao 2 nhiệm vụ" in summary and "Còn 1 bản nháp chưa giao" in summary
    assert "Nháp 3" in summary and "CD-2026-0003" not in summary and "các điểm du lịch" in summary
    assert "CD-2026-0001" in summary and "Rà soát các dự án chậm tiến độ" in summary, "each assigned one named"
    found = await states(rt)
    assert sorted(found.values()) == ["assigned", "assigned", "draft"]
    drafts = plain(await chat.say(1001, "/nhap"))
    assert "Bản nháp chưa giao" in drafts and "các điểm du lịch" in drafts
    again = plain(await chat.press(1001, chat.button(1001, "Giao tất cả")))
    assert "Đã giao 0 nhiệm vụ" in again and sorted((await states(rt)).values()) == ["assigned", "assigned", "draft"]


async def test_assign_all_pressed_again_once_no_draft_is_left_is_refused_and_the_summary_stays(chat, rt, people):
    """A double tap (the second press sent before the first one's answer took the button away), or a second phone:
    nothing is left, so the press says so in an alert instead of overwriting the list of what was assigned with
    «Đã giao 0 nhiệm vụ»."""
    await chat.say(1001, NOTICE)
    data = chat.button(1001, "Giao tất cả")
    summary = plain(await chat.press(1001, data))
    assert "Đã giao 2 nhiệm vụ" in summary
    await svc.discard_draft(rt, people.admin, "NHAP-3", now=NOW)
    before = len(chat.request.calls)
    await chat.press(1001, data)
    assert chat.alert().startswith("Không còn bản nháp nào để giao")
    assert [n for n, _ in chat.request.calls[before:] if n != "answerCallbackQuery"] == [], "the summary stays"


async def test_a_listed_draft_opens_as_its_card_to_be_corrected(chat, rt, people):
    await chat.say(1001, NOTICE)
    before = len(chat.request.calls)
    card = plain(await chat.press(1001, chat.button(1001, "✏️ Nháp 2")))
    assert "Tổng hợp nhu cầu vốn" in card and "Giao việc" in str(chat.messages(1001)[-1]["reply_markup"])
    assert [n for n, _ in chat.request.calls[before:] if n == "sendMessage"] == ["sendMessage"]


async def test_a_unit_cannot_assign_all(chat, rt, people):
    await chat.say(1001, NOTICE)
    data = chat.button(1001, "Giao tất cả")
    await chat.press(2001, data)
    assert sorted((await states(rt)).values()) == ["draft", "draft", "draft"]


async def test_assign_all_after_a_restart_still_turns_the_previews_into_cards(chat, rt, people):
    """The previews' ids are kept with the drafts' origin in the database, not in the process's memory."""
    await chat.say(1001, NOTICE)
    data = chat.button(1001, "Giao tất cả")
    resolve = chat.button_in(1001, "Sở", "Du lịch Quảng Trị")  # the unknown lead unit: a suggested one chosen
    await chat.press(1001, resolve)
    await chat.restart()
    summary = plain(await chat.press(1001, data))
    assert "Đã giao 3 nhiệm vụ" in summary
    edits = [m for n, m in chat.request.calls if n == "editMessageText" and int(m.get("chat_id", 0)) == 1001
             and "Đã giao việc" in plain(m.get("text", ""))]
    assert len(edits) == 1, "the preview of the draft read with a question became its card after the restart"
    assert "các điểm du lịch" in plain(edits[0]["text"])


async def test_a_preview_that_fails_to_send_leaves_the_ones_sent_before_it_kept(chat, rt, people, monkeypatch):
    """The drafts are written first, their previews' ids after (bot.services.directives.remember_previews):
    when a later preview cannot be sent, the one already shown is still kept with its draft."""
    from telegram.error import NetworkError

    from handlers import understand

    shown = understand._preview
    calls: list[int] = []

    async def second_fails(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 2:
            raise NetworkError("connection reset")
        return await shown(*args, **kwargs)

    monkeypatch.setattr(understand, "_complete", lambda card, draft: False)  # every draft previewed
    monkeypatch.setattr(understand, "_preview", second_fails)
    await chat.say(1001, NOTICE)
    assert len(calls) == 2 and sorted((await states(rt)).values()) == ["draft", "draft", "draft"]
    async with rt.uow() as uow:
        assert list(await uow.origins.previews(1001, chat.said)) == [0], "the first preview, sent, is kept"
    # The update ended in the error (the person is told something went wrong): not what this test is about.
    chat.request.calls[:] = [(n, p) for n, p in chat.request.calls if p.get("text") != APOLOGY]
