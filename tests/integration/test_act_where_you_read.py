"""Act where you read (issue 22): every notice carries the buttons its reader may press now — the rule a card
uses (bot/services/replies.py: moves_for) — so nobody has to open the card first; «Chờ xử lý» says what waits on
each directive; «Không phải các đơn vị trên» leaves the draft with its next step."""

from __future__ import annotations

from datetime import date

from bot.services import directives as svc
from tests.conftest import AFTERNOON, NOW
from tests.integration.chatbot import plain
from tests.integration.test_chat_files_and_reasons import ADMIN, LEADER, STC, SXD, _assigned, _dispatch


def labels(chat, chat_id: int) -> list[str]:
    markup = chat.messages(chat_id)[-1].get("reply_markup") or {}
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_a_new_task_notice_carries_the_units_own_moves_and_acknowledging_from_it_works(chat, rt, people):
    card = await _assigned(rt, people)
    await _dispatch(chat, rt, AFTERNOON)  # the support unit's notice may wait for the afternoon
    lead = labels(chat, SXD)
    assert any("Đã nhận" in b for b in lead) and any("Báo cáo hoàn thành" in b for b in lead)
    assert any("Xin gia hạn" in b for b in lead) and any("Mở thẻ" in b for b in lead)
    support = labels(chat, STC)
    assert any("Đã nhận" in b for b in support) and not any("Báo cáo hoàn thành" in b for b in support)
    assert not any("Huỷ" in b for b in lead + support), "a unit may not cancel"
    await chat.press(SXD, chat.button(SXD, "Đã nhận"))
    assert "Sở Xây dựng 👁" in plain(chat.messages(SXD)[-1]["text"]), "acknowledged from the notice itself"
    assert card.code in plain(chat.messages(SXD)[-1]["text"])


async def test_a_completion_report_reaches_the_office_and_the_leader_with_confirm_and_send_back_on_it(chat, rt, people):
    card = await _assigned(rt, people)
    await svc.report_done(rt, people.sxd, card.code, "Đã rà soát 12 dự án, báo cáo số 12/BC-SXD", now=NOW)
    await _dispatch(chat, rt)
    for reader in (ADMIN, LEADER):
        shown = labels(chat, reader)
        assert any("Xác nhận" in b for b in shown) and any("Trả lại" in b for b in shown), reader
    await chat.press(ADMIN, chat.button(ADMIN, "Xác nhận"))
    assert "Hoàn thành" in plain(chat.messages(ADMIN)[-1]["text"])


async def test_a_notice_about_several_directives_names_each_button_and_pressing_one_keeps_the_others(chat, rt, people):
    first = await _assigned(rt, people, content="Rà soát dự án thứ nhất")
    second = await _assigned(rt, people, content="Rà soát dự án thứ hai")
    await _dispatch(chat, rt)
    notice = chat.messages(SXD)[-1]
    assert any(f"Đã nhận {first.code}" in b for b in labels(chat, SXD))
    assert any(f"Đã nhận {second.code}" in b for b in labels(chat, SXD))
    sent = len(chat.messages(SXD))
    await chat.press(SXD, chat.button(SXD, f"Đã nhận {second.code}"), markup=notice["reply_markup"])
    # The merged notice keeps the other directive's buttons (its own are gone), and no card is sent.
    left = [b["text"] for row in [p for n, p in chat.request.calls if n == "editMessageReplyMarkup"
                                  and int(p["chat_id"]) == SXD][-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert any(f"Đã nhận {first.code}" in b for b in left)
    assert not any(f"Đã nhận {second.code}" in b for b in left)
    assert len(chat.messages(SXD)) == sent


async def test_the_decision_inbox_says_what_waits_on_each_directive(chat, rt, people):
    now = NOW
    reported = await _assigned(rt, people, content="Báo cáo số liệu quý")
    await svc.report_done(rt, people.sxd, reported.code, "Đã gửi số liệu quý IV", now=now)
    asked = await _assigned(rt, people, content="Kiểm tra công trình")
    await svc.request_extension(rt, people.sxd, asked.code, date(2027, 1, 15), "Chờ số liệu", now=now)
    inbox = plain(await chat.say(ADMIN, "/choxuly"))
    assert "Chờ xác nhận: báo cáo hoàn thành" in inbox
    assert "Chờ duyệt:" in inbox and "gia hạn" in inbox


async def test_none_of_the_suggested_units_leaves_the_draft_with_its_next_step(chat, rt, people):
    await chat.say(LEADER, "Giao Sở Du lịch Quảng Trị rà soát các điểm du lịch, hạn 30/12/2026")
    question = next(m for m in reversed(chat.messages(LEADER)) if "Không phải các đơn vị trên" in str(m))
    skip = next(b["callback_data"] for row in question["reply_markup"]["inline_keyboard"] for b in row
                if b["text"] == "Không phải các đơn vị trên")
    answer = plain(await chat.press(LEADER, skip))
    assert "Sửa" in answer
    assert any("Sửa" in b for b in labels(chat, LEADER))
