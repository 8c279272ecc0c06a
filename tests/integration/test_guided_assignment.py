"""/giaoviec on a phone (issue 22): the task's text first, read as a typed directive is read, then only
what is missing is asked; the whole flow is one message of the bot, edited in place, ending as the draft's
preview with «Giao việc»."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Directive

LEADER = 1002


def sent(chat, since: int) -> list[dict]:
    return [p for n, p in chat.request.calls[since:] if n == "sendMessage" and int(p.get("chat_id", 0)) == LEADER]


async def directive(rt) -> Directive:
    async with rt.sessions() as s:
        return await s.scalar(select(Directive))


async def test_the_whole_guided_flow_is_one_message_edited_in_place(chat, rt, people):
    before = len(chat.request.calls)
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Kiểm tra chất lượng công trình trường học")
    await chat.press(LEADER, chat.button(LEADER, "Sở Xây dựng"))   # the lead: one press
    await chat.say(LEADER, "Sở Tài chính")                          # a support unit, by its name
    step = chat.messages(LEADER)[-1]
    assert "Sở Xây dựng" in step["text"] and "giao ngay" in step["text"], "the last step shows what it assigns"
    card = await chat.press(LEADER, chat.button(LEADER, "5 ngày làm việc"))  # «✅ Giao việc · 5 ngày làm việc (…)»
    assert "Kiểm tra chất lượng" in card and "Sở Tài chính" in card and "CD-2026-0001" in card
    assert len(sent(chat, before)) == 1, "one message, edited at each step"
    d = await directive(rt)
    assert d.state == "assigned" and d.content == "Kiểm tra chất lượng công trình trường học"
    chat.check_clean()


async def test_what_the_text_names_is_not_asked_again(chat, rt, people):
    before = len(chat.request.calls)
    preview = await chat.say(LEADER, "/giaoviec Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án "
                                     "chậm tiến độ, báo cáo trước ngày 15/12/2026")
    assert "15/12/2026" in preview and "Sở Tài chính" in preview
    assert "Giao việc" in str(chat.messages(LEADER)[-1].get("reply_markup"))
    assert len(sent(chat, before)) == 1
    await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    assert (await directive(rt)).state == "assigned"


async def test_only_the_deadline_is_asked_when_the_text_names_the_units(chat, rt, people):
    await chat.say(LEADER, "/giaoviec")
    step = await chat.say(LEADER, "Giao Sở Xây dựng rà soát các dự án chậm tiến độ")
    assert "Chọn hạn xử lý" in step and "chủ trì</b>, hoặc gõ" not in step
    preview = await chat.say(LEADER, "30/12/2026")
    assert "30/12/2026" in preview and "Sở Xây dựng" in preview


async def test_a_source_number_in_the_text_is_kept_and_thoi_ends_the_flow(chat, rt, people):
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Rà soát thủ tục hành chính theo Thông báo số 345/TB-UBND")
    await chat.press(LEADER, chat.button(LEADER, "Sở Xây dựng"))
    preview = await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    assert "345/TB-UBND" in preview
    await chat.say(LEADER, "/giaoviec")
    assert "Đã thôi giao việc" in await chat.press(LEADER, chat.button(LEADER, "Thôi"))


async def test_a_mis_tapped_deadline_is_cancelled_and_the_last_step_comes_back(chat, rt, people):
    """«Giao nhầm — làm lại» under a directive just assigned by its deadline's button: it is cancelled (the
    units told why) and the same assignment is back at its last step, in the same message."""
    before = len(chat.request.calls)
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Kiểm tra chất lượng công trình trường học")
    await chat.press(LEADER, chat.button(LEADER, "Sở Xây dựng"))
    await chat.press(LEADER, chat.button(LEADER, "Sở Tài chính"))
    await chat.press(LEADER, chat.button(LEADER, "5 ngày làm việc"))
    step = await chat.press(LEADER, chat.button(LEADER, "Giao nhầm"))
    assert "Sở Xây dựng" in step and "Sở Tài chính" in step and "giao ngay" in step
    async with rt.sessions() as s:
        first = await s.scalar(select(Directive))
        assert first.state == "cancelled" and "Giao nhầm" in (first.cancel_reason or "")
    card = await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    assert "CD-2026-0002" in card and "30/11/2026" in card
    async with rt.sessions() as s:
        second = await s.scalar(select(Directive).where(Directive.code == "CD-2026-0002"))
    assert second.state == "assigned" and second.content == first.content
    assert len(sent(chat, before)) == 1, "the whole of it in the flow's one message"


async def test_the_redo_is_refused_once_a_unit_has_acted_on_the_directive(chat, rt, people):
    from bot.services import directives as svc
    from tests.conftest import NOW

    await chat.say(LEADER, "/giaoviec Giao Sở Xây dựng kiểm tra chất lượng công trình trường học")
    await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    await svc.acknowledge(rt, people.sxd, "CD-2026-0001", now=NOW)
    await chat.press(LEADER, chat.button(LEADER, "Giao nhầm"))
    assert (await directive(rt)).state == "in_progress", "acknowledged: the redo's cancel is refused"


async def test_a_text_of_several_tasks_becomes_a_draft_for_each_not_its_first_alone(chat, rt, people):
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "1. Giao Sở Xây dựng rà soát các dự án chậm tiến độ, báo cáo trước ngày 15/12/2026.\n"
                           "2. Giao Sở Y tế kiểm tra an toàn thực phẩm, báo cáo trước ngày 20/12/2026.")
    assert any("có 2 nhiệm vụ" in text for text in chat.texts(LEADER))
    async with rt.sessions() as s:
        drafts = list(await s.scalars(select(Directive).order_by(Directive.id)))
    assert [d.state for d in drafts] == ["draft", "draft"]
    await chat.press(LEADER, chat.button(LEADER, "Giao tất cả"))
    async with rt.sessions() as s:
        assert list(await s.scalars(select(Directive.state))) == ["assigned", "assigned"]


async def test_a_name_typed_in_the_picker_is_read_as_the_parser_reads_it(chat, rt, people):
    """The picker reads a typed name as a typed directive's is (UnitIndex.resolve): a typo or a variant
    spelling chooses the unit, as does a part of a name only one unit has."""
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Kiểm tra chất lượng công trình trường học")
    await chat.say(LEADER, "sở xây dựg")  # the lead, mistyped
    step = await chat.say(LEADER, "Sở Tài chánh")  # a support unit, as the South says it
    assert "Chủ trì: Sở Xây dựng" in step and "Đã chọn: Sở Tài chính" in step, step
    step = await chat.say(LEADER, "y t")  # a part of one unit's name only
    assert "Đã chọn: Sở Tài chính, Sở Y tế" in step, step
    card = await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    assert "Sở Xây dựng" in card and "Sở Y tế" in card


async def test_a_text_the_parser_has_a_question_about_is_previewed_before_it_is_assigned(chat, rt, people):
    """The parser asks about «31/11» (no such day): the deadline's buttons do not say «Giao việc», and the press
    shows the draft with its question, not an assignment."""
    step = await chat.say(LEADER, "/giaoviec Giao Sở Xây dựng rà soát các dự án chậm tiến độ, báo cáo trước ngày "
                                  "31/11/2026")
    assert "giao ngay" not in step
    labels = [b["text"] for row in chat.messages(LEADER)[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert not any("Giao việc" in label for label in labels), labels
    await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    assert (await directive(rt)).state == "draft"
