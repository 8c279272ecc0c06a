"""Recurring directives from a phone: typed in the forms leaders use, or chosen in the guided flow; each
occurrence says which period it covers, and a deadline on a day off says when it really ends."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import Directive

LEADER = 1002


async def _newest(rt) -> Directive:
    async with rt.sessions() as s:
        return await s.scalar(select(Directive).order_by(Directive.id.desc()))


async def test_recurring_sentences_become_recurring_drafts_with_their_task_words(chat, rt, people):
    card = await chat.say(LEADER, "Hằng tháng, Sở Tài chính báo cáo tình hình giải ngân vốn đầu tư công trước ngày 25")
    assert "Bản nháp" in card and "Định kỳ: hằng tháng — kỳ tháng 11/2026" in card and "Hạn: 25/11/2026" in card
    draft = await _newest(rt)
    assert (draft.recurrence, draft.content) == ("monthly", "báo cáo tình hình giải ngân vốn đầu tư công")

    await chat.say(LEADER, "Giao Sở Tài chính chủ trì, hằng tháng báo cáo tình hình thu ngân sách trước ngày 25.")
    assert "báo cáo tình hình thu ngân sách" in (await _newest(rt)).content

    card = await chat.say(LEADER, "Giao Sở Y tế báo cáo tình hình dịch bệnh trước ngày 28 hằng tháng")
    draft = await _newest(rt)
    assert (draft.recurrence, draft.content) == ("monthly", "báo cáo tình hình dịch bệnh")
    assert "Hạn: 28/11/2026 (thứ Bảy) → tính đến hết 30/11/2026" in card, "stored as written, judged on Monday"
    assert draft.deadline == date(2026, 11, 28) and draft.due_on == date(2026, 11, 30)


async def test_the_guided_flow_offers_recurrence(chat, rt, people):
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Báo cáo kết quả thực hiện chương trình chuyển đổi số")
    await chat.press(LEADER, chat.button(LEADER, "Sở Tài chính"))
    await chat.press(LEADER, chat.button(LEADER, "Định kỳ"))
    picker = await chat.press(LEADER, chat.button(LEADER, "hằng quý"))
    assert "Định kỳ hằng quý: chọn hạn của kỳ đầu tiên" in picker and "Không có hạn" not in picker
    card = await chat.say(LEADER, "31/12/2026")
    assert "Định kỳ: hằng quý — kỳ quý IV/2026" in card
    assert (await _newest(rt)).recurrence == "quarterly"
