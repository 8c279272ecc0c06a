"""A draft's questions answered with their buttons («ans», issue 22), pressed as shown, again, by a unit, forged
(a draft or directive that does not exist, an impossible day, an answer to a question never asked): each press
is answered exactly once, with no unhandled error, and only the leader's one answer to an open question
changes the draft (issue 24: a stale or forged press changes nothing)."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Directive, Event

IMPOSSIBLE = "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027."


async def edits(rt) -> int:
    async with rt.sessions() as s:
        return len((await s.scalars(select(Event.id).where(Event.kind == "edited"))).all())


async def draft(rt) -> Directive:
    async with rt.sessions() as s:
        found = await s.scalar(select(Directive).where(Directive.content.like("%cơ sở khám bệnh%")))
    assert found is not None
    return found


async def test_answers_to_a_drafts_question_pressed_again_by_a_unit_or_forged_change_nothing(chat, rt, people):
    await chat.say(1002, IMPOSSIBLE)
    none = chat.button(1002, "Không có hạn")
    assert none.startswith("ans|NHAP-")
    code = none.split("|")[1]
    await chat.press(2003, none)  # a unit's focal point: not theirs to answer
    for forged in ("ans|NHAP-999999999|0|d:", "ans|CD-2026-99999999|0|bg", f"ans|{code}|0|d:2027-02-30",
                   f"ans|{code}|99|u", f"ans|{code}|0|bg"):  # the last two: questions this draft was never asked
        await chat.press(1002, forged)
    chat.check_clean()
    assert await edits(rt) == 0 and (await draft(rt)).questions
    await chat.press(1002, none)
    chat.check_clean()
    assert await edits(rt) == 1 and not (await draft(rt)).questions and (await draft(rt)).deadline is None
    await chat.press(1002, none)  # the same button again: the question is answered
    chat.check_clean()
    said = [p.get("text", "") for n, p in chat.request.calls if n in ("answerCallbackQuery", "sendMessage")][-1]
    assert await edits(rt) == 1 and "không còn hiệu lực" in said
