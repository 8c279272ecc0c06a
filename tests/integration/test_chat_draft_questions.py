"""Ask, don't guess, in chat: a draft the parser was unsure of shows its question under the preview, offers
no «Giao việc» until it is answered, and the answer's button (or «Sửa») makes it assignable."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import Directive

LEADER = 1002


async def _row(rt, code: str) -> Directive:
    async with rt.sessions() as s:
        return await s.scalar(select(Directive).where(Directive.code == code))


def _buttons(chat, containing: str) -> list[str]:
    for params in reversed(chat.messages(LEADER)):
        if containing in params.get("text", ""):
            return [b["text"] for row in (params.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
    raise AssertionError(f"no message with {containing!r}")


async def test_an_impossible_date_is_asked_and_giao_viec_waits_for_the_answer(chat, rt, people):
    await chat.say(LEADER, "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027.")
    texts = chat.texts(LEADER)
    card = next(t for t in texts if "Bản nháp" in t)
    assert "Cần trả lời trước khi giao việc" in card and "31/2/2027" in card
    assert "Giao việc" not in " ".join(_buttons(chat, "Bản nháp")), "no «Giao việc» while a question is open"
    assert "không tồn tại" in texts[-1]
    row = await _row(rt, "NHAP-1")
    assert (row.state, row.deadline, row.questions) == ("draft", None, ["impossible_date:trước ngày 31/2/2027"])

    answered = await chat.press(LEADER, chat.button(LEADER, "Không có hạn"))
    assert "Đã trả lời" in answered and "Cần trả lời" not in answered
    card = await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    assert "Đang thực hiện" in card
    assert await _row(rt, "NHAP-1") is None, "an assigned draft takes its CD code"
    assert (await _row(rt, "CD-2026-0001")).state == "assigned"


async def test_two_candidate_deadlines_offer_each_day(chat, rt, people):
    await chat.say(LEADER, "Giao Sở Xây dựng kiểm tra các công trình, báo cáo kết quả bước đầu trước ngày 10/12/2026, "
                           "hoàn thành trước ngày 31/12/2026.")
    assert "hai ngày" in chat.texts(LEADER)[-1]
    await chat.press(LEADER, chat.button(LEADER, "Hạn 10/12/2026"))
    row = await _row(rt, "NHAP-1")
    assert (row.deadline, row.questions) == (date(2026, 12, 10), None)
    card = await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    assert "Hạn: 10/12/2026" in card


async def test_a_date_chosen_with_sua_answers_the_question(chat, rt, people):
    await chat.say(LEADER, "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027.")
    await chat.press(LEADER, chat.button(LEADER, "Sửa"))
    await chat.press(LEADER, chat.button(LEADER, "Hạn xử lý"))
    card = await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    assert "Hạn: 30/11/2026" in card and "Cần trả lời" not in card
    assert (await _row(rt, "NHAP-1")).questions is None
