"""The guided assignment and its corrections on a phone: old buttons of an earlier step, recurrences that
need a deadline, dates typed as computers write them."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Assignment, Directive, Unit

L = 1002


async def _roles(rt, code):
    async with rt.sessions() as s:
        rows = await s.execute(select(Unit.code, Assignment.role).join(Assignment, Assignment.unit_id == Unit.id)
                               .join(Directive, Directive.id == Assignment.directive_id).where(Directive.code == code))
        return dict(rows.all())


async def _draft(rt, code="CD-2026-0001"):
    async with rt.sessions() as s:
        return await s.scalar(select(Directive).where(Directive.code == code))


async def test_a_button_left_on_an_earlier_steps_message_is_refused_not_read_as_this_steps_choice(chat, rt, people):
    """A lead-step button (kept by a slow phone, or by a client showing the message before its edit) pressed
    after the flow moved to the support step must not silently add a *support* unit."""
    await chat.say(L, "/giaoviec")
    await chat.say(L, "Kiểm tra an toàn thực phẩm")
    old_step1_syt = chat.button(L, "Sở Y tế")          # on the lead step
    await chat.say(L, "xay dung")                       # only one unit has it: chosen as the lead
    answer = await chat.press(L, old_step1_syt)         # user thinks: add Sở Y tế as co-lead
    await chat.press(L, chat.button(L, "Cuối tháng"))
    await chat.press(L, chat.button(L, "Giao việc"))
    roles = await _roles(rt, "CD-2026-0001")
    assert roles.get("SXD") == "lead"
    assert roles.get("SYT") != "support", (
        f"a press on the step-1 (lead) message made SYT a support unit; bot showed: {answer!r}; roles {roles}")


async def test_a_recurring_draft_cannot_be_corrected_to_have_no_deadline(chat, rt, people):
    await chat.say(L, "/giaoviec")
    await chat.say(L, "Báo cáo tình hình giải ngân")
    await chat.press(L, chat.button(L, "Sở Xây dựng"))
    await chat.press(L, chat.button(L, "Định kỳ"))
    await chat.press(L, chat.button(L, "hằng tháng"))   # the new flow then hides «Không có hạn»
    await chat.say(L, "30/12/2026")                      # a typed date: the draft's preview, with «Sửa»
    await chat.press(L, chat.button(L, "Sửa"))
    await chat.press(L, chat.button(L, "Hạn xử lý"))    # ...but «Sửa → Hạn xử lý» offers it
    card = await chat.press(L, chat.button(L, "Không có hạn"))
    await chat.press(L, chat.button(L, "Giao việc"))
    d = await _draft(rt)
    assert not (d.recurrence and d.deadline is None), (
        f"assigned as recurring '{d.recurrence}' with no deadline (spawn_next never continues it); card: {card!r}")


async def test_a_recurrence_chosen_while_correcting_is_saved_only_with_its_deadline(chat, rt, people):
    await chat.say(L, "Giao Sở Y tế theo dõi tình hình dịch bệnh thường xuyên")
    await chat.press(L, chat.button(L, "Sửa"))
    await chat.press(L, chat.button(L, "Hạn xử lý"))
    await chat.press(L, chat.button(L, "Định kỳ"))
    await chat.press(L, chat.button(L, "hằng quý"))     # asks the first deadline...
    said = await chat.say(L, "/huy")                     # ...the leader changes their mind
    d = await _draft(rt, "NHAP-1")  # still a draft: its own number
    assert d.recurrence is None, (
        f"/huy answered {said!r} but the draft was already changed: recurrence={d.recurrence}, "
        f"deadline={d.deadline}, version={d.version}")


async def test_a_date_typed_as_computers_write_it_is_read(chat, rt, people):
    await chat.say(L, "/giaoviec")
    await chat.say(L, "Kiểm tra an toàn thực phẩm")
    await chat.press(L, chat.button(L, "Sở Xây dựng"))
    answer = await chat.say(L, "2026-12-15")
    assert "15/12/2026" not in answer or "Không đọc được" not in answer, (
        f"bot says it cannot read «15/12/2026» — the very format it asks for — when 2026-12-15 was typed: {answer!r}")
