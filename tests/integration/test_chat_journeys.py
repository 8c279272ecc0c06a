"""Every role's journey through the real handlers, in process, on a real database; no network."""

from __future__ import annotations

from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.services import access
from handlers.actions import CardPress
from storage.models import Directive, Event, Outbox
from tests.conftest import AFTERNOON, NOW


async def test_a_stranger_is_refused_politely_with_their_telegram_id(chat):
    reply = await chat.say(777, "/start")
    assert "Văn phòng UBND tỉnh" in reply and "777" in reply
    assert await chat.say(777, "việc quá hạn") == reply, "nothing but the refusal answers a stranger"
    assert len(chat.request.sent(chat_id=777)) == 2


async def test_an_invite_registers_once_and_a_reused_one_is_refused(chat, rt):
    invite = await access.create_invite(rt, role="focal", unit_code="STC", now=NOW)
    reply = await chat.say(4242, f"/start {invite.token}")
    assert "Đăng ký thành công" in reply and "Sở Tài chính" in reply
    assert chat.request.sent(chat_id=4242)[-1]["reply_markup"]["keyboard"][0][0]["text"] == "📋 Việc của đơn vị"
    assert "đã được sử dụng" in await chat.say(4343, f"/start {invite.token}")


async def test_the_welcome_names_the_title_and_name_the_invite_gave_not_the_role(chat, rt):
    invite = await access.create_invite(rt, role="leader", unit_code=None, now=NOW, title="Phó Chủ tịch UBND tỉnh",
                                        name="Lê Quang Minh")
    reply = await chat.say(4545, f"/start {invite.token}")  # Telegram's profile says «Test User»
    assert reply.startswith("Đăng ký thành công! Chào Phó Chủ tịch UBND tỉnh Lê Quang Minh.\n"), reply
    assert "Lãnh đạo, đơn vị" not in reply
    assert (await chat.say(4545, "/start")).startswith("Chào Phó Chủ tịch UBND tỉnh Lê Quang Minh.\n")
    invite = await access.create_invite(rt, role="focal", unit_code="STC", now=NOW, title="Chuyên viên",
                                        name="Nguyễn Thị Lan")
    reply = await chat.say(4646, f"/start {invite.token}")
    assert reply.startswith("Đăng ký thành công! Chào Chuyên viên Nguyễn Thị Lan — Sở Tài chính.\n"), reply


async def test_a_leader_assigns_by_free_text_and_the_lead_unit_acts_on_its_card(chat, rt, people):
    preview = await chat.say(1002, "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án chậm tiến độ, "
                              "báo cáo UBND tỉnh trước ngày 15/12/2026.")
    assert "Bản nháp" in preview and "Sở Xây dựng" in preview and "15/12/2026" in preview
    async with rt.sessions() as s:
        assert (await s.scalar(select(Directive.state))) == "draft"
        assert (await s.scalar(select(Outbox.id))) is None, "nothing is announced before confirmation"

    card = await chat.press(1002, chat.button(1002, "Giao việc"))
    assert "Đang thực hiện trong hạn" in card
    sent: list[int] = []

    async def sender(recipient, items):  # noqa: ANN001
        sent.append(int(recipient.external_id))

    await Dispatcher(rt, sender, "test").run_once(NOW)
    assert sorted(sent) == [2001], "the lead unit at once; the support unit with its next message of the day"
    await Dispatcher(rt, sender, "test").run_once(AFTERNOON)
    assert sorted(sent) == [2001, 2002], "at the latest an hour before the send window closes"

    await chat.say(2001, "/xem CD-2026-0001")
    ack = chat.button(2001, "Đã nhận")
    assert "Sở Xây dựng 👁" in await chat.press(2001, ack)

    # Another unit's focal point replays the same kind of button: refused, nothing written.
    async with rt.sessions() as s:
        events_before = len((await s.scalars(select(Event))).all())
    forged = CardPress("done", "CD-2026-0001", 3).pack()
    await chat.press(2003, forged)
    assert chat.request.alerts()[-1] in ("Nhiệm vụ này không giao cho đơn vị của bạn.",
                                    "Thao tác không còn hiệu lực. Vui lòng mở lại thẻ nhiệm vụ.")
    async with rt.sessions() as s:
        assert len((await s.scalars(select(Event))).all()) == events_before

    await chat.press(2001, chat.button(2001, "Báo cáo tiến độ"))
    card = await chat.say(2001, "Đã rà soát 12/20 dự án")
    assert "Đã gửi báo cáo tiến độ" in card and "12/20" in card


async def test_a_stale_or_forged_button_changes_nothing(chat, rt, people):
    await chat.press(1002, "garbage-without-separators")
    assert chat.request.alerts()[-1].startswith("Thao tác không còn hiệu lực")
    await chat.press(1002, CardPress("conf", "CD-2026-9999", 1).pack())
    assert "Không tìm thấy" in chat.request.alerts()[-1]


async def test_the_guided_flow_assigns_nothing_before_a_press_that_says_giao_viec(chat, rt, people):
    """The last step shows the whole assignment and its deadline buttons say «Giao việc»: one of them assigns
    it; choosing units assigns nothing; a typed date shows the draft first."""
    await chat.say(1002, "/giaoviec")
    await chat.say(1002, "Kiểm tra chất lượng công trình trường học")
    await chat.press(1002, chat.button(1002, "Sở Xây dựng"))
    await chat.press(1002, chat.button(1002, "Sở Tài chính"))
    async with rt.sessions() as s:
        assert (await s.scalar(select(Directive.state))) is None
    step = chat.request.last_text(1002)
    assert "Kiểm tra chất lượng" in step and "Sở Xây dựng" in step and "Sở Tài chính" in step
    data = chat.button(1002, "Giao việc · 5 ngày làm việc")
    card = await chat.press(1002, data)
    assert "Kiểm tra chất lượng" in card and "30/11/2026" in card, "24/11 is a holiday"
    async with rt.sessions() as s:
        assert (await s.scalar(select(Directive.state))) == "assigned"
    await chat.say(1002, "/giaoviec")
    await chat.say(1002, "Rà soát thủ tục hành chính")
    await chat.press(1002, chat.button(1002, "Sở Y tế"))
    preview = await chat.say(1002, "15/12/2026")
    assert "15/12/2026" in preview
    async with rt.sessions() as s:
        assert list(await s.scalars(select(Directive.state).order_by(Directive.id))) == ["assigned", "draft"]
    await chat.press(1002, chat.button(1002, "Giao việc"))
    async with rt.sessions() as s:
        assert list(await s.scalars(select(Directive.state).order_by(Directive.id))) == ["assigned", "assigned"]


async def test_a_question_in_plain_vietnamese_gets_the_same_list_as_the_button(chat, people):
    reply = await chat.say(1002, "Sở Xây dựng còn bao nhiêu việc quá hạn?")
    assert "Việc quá hạn — Sở Xây dựng" in reply


async def test_a_focal_point_registers_the_units_group_and_chatter_there_gets_no_answer(chat, rt, people):
    reply = await chat.say(2001, "/dangkynhom", chat_id=-500)
    assert "Sở Xây dựng" in reply
    calls = len(chat.request.calls)
    await chat.say(2001, "mọi người họp lúc 2 giờ nhé", chat_id=-500)
    assert len(chat.request.calls) == calls
    from sqlalchemy import select

    from storage.models import Address
    from tests.addressing import telegram_address

    async with rt.sessions() as s:
        group = await s.scalar(select(Address).where(telegram_address(-500)))
    assert group is not None and (group.kind, group.unit_id, group.reachable) == ("group", 2, True)
