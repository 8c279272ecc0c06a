"""A notice pasted in chat that states its date: the drafts and the assigned directive carry it as «Ngày
văn bản», shown on the card and kept in the report's list."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import Directive


async def test_a_pasted_notice_stating_its_date_fills_the_directives_document_date(chat, rt, people):
    preview = await chat.say(1001, "Thông báo số 215/TB-UBND ngày 18/11/2026 kết luận của Phó Chủ tịch UBND tỉnh:\n"
                                   "1. Giao Sở Xây dựng rà soát các dự án chậm tiến độ, báo cáo trước ngày 15/12/2026.")
    assert "Văn bản: 215/TB-UBND ngày 18/11/2026" in preview
    await chat.press(1001, chat.button(1001, "Giao việc"))
    async with rt.sessions() as s:
        assert (await s.execute(select(Directive.source_number, Directive.source_date))).one() == (
            "215/TB-UBND", date(2026, 11, 18))
