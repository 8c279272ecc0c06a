"""Every role's journey through the real handlers, in process, on a real database; no network."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import build_application
from bot.outbox import Dispatcher
from bot.services import access
from handlers.callbacks import Callback
from storage.models import Directive, Event, Outbox
from tests.conftest import NOW
from tests.integration.offline import OfflineRequest, press_update, text_update


@pytest.fixture
async def chat(rt, people):
    request = OfflineRequest()
    app = build_application(rt.settings, rt, request=request, clock=lambda: NOW, dispatch=False)
    await app.initialize()

    async def say(user_id: int, text: str, chat_id: int | None = None) -> str:
        await app.process_update(text_update(app.bot, user_id, text, chat_id))
        return request.last_text(chat_id or user_id)

    async def press(user_id: int, data: str) -> str:
        await app.process_update(press_update(app.bot, user_id, data))
        return request.last_text(user_id)

    yield app, request, say, press
    await app.shutdown()


def button(request: OfflineRequest, chat_id: int, label_start: str) -> str:
    for params in reversed([p for n, p in request.calls if n in ("sendMessage", "editMessageText")
                            and int(p.get("chat_id", 0)) == chat_id]):
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for b in row:
                if b["text"].startswith(label_start) or label_start in b["text"]:
                    return b["callback_data"]
    raise AssertionError(f"no button {label_start!r} for {chat_id}")


async def test_a_stranger_is_refused_politely_with_their_telegram_id(chat):
    _, request, say, _ = chat
    reply = await say(777, "/start")
    assert "Văn phòng UBND tỉnh" in reply and "777" in reply
    assert await say(777, "việc quá hạn") == reply, "nothing but the refusal answers a stranger"
    assert len(request.sent(chat_id=777)) == 2


async def test_an_invite_registers_once_and_a_reused_one_is_refused(chat, rt):
    _, request, say, _ = chat
    invite = await access.create_invite(rt, role="focal", unit_code="STC", now=NOW)
    reply = await say(4242, f"/start {invite.token}")
    assert "Đăng ký thành công" in reply and "Sở Tài chính" in reply
    assert request.sent(chat_id=4242)[-1]["reply_markup"]["keyboard"][0][0]["text"] == "📋 Việc của đơn vị"
    assert "đã được sử dụng" in await say(4343, f"/start {invite.token}")


async def test_a_leader_assigns_by_free_text_and_the_lead_unit_acts_on_its_card(chat, rt, people):
    app, request, say, press = chat
    preview = await say(1002, "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án chậm tiến độ, "
                              "báo cáo UBND tỉnh trước ngày 15/12/2026.")
    assert "Bản nháp" in preview and "Sở Xây dựng" in preview and "15/12/2026" in preview
    async with rt.sessions() as s:
        assert (await s.scalar(select(Directive.state))) == "draft"
        assert (await s.scalar(select(Outbox.id))) is None, "nothing is announced before confirmation"

    card = await press(1002, button(request, 1002, "Giao việc"))
    assert "Đang thực hiện trong hạn" in card
    sent: list[int] = []

    async def sender(chat_id, items):  # noqa: ANN001
        sent.append(chat_id)

    await Dispatcher(rt, sender, "test").run_once(NOW)
    assert sorted(sent) == [2001, 2002]

    await say(2001, "/xem CD-2026-0001")
    ack = button(request, 2001, "Đã nhận")
    assert "Sở Xây dựng 👁" in await press(2001, ack)

    # Another unit's focal point replays the same kind of button: refused, nothing written.
    async with rt.sessions() as s:
        events_before = len((await s.scalars(select(Event))).all())
    forged = Callback("done", "CD-2026-0001", 3).pack()
    await press(2003, forged)
    assert request.alerts()[-1] in ("Nhiệm vụ này không giao cho đơn vị của bạn.",
                                    "Thao tác không còn hiệu lực. Vui lòng mở lại thẻ nhiệm vụ.")
    async with rt.sessions() as s:
        assert len((await s.scalars(select(Event))).all()) == events_before

    await press(2001, button(request, 2001, "Báo cáo tiến độ"))
    card = await say(2001, "Đã rà soát 12/20 dự án")
    assert "Đã gửi báo cáo tiến độ" in card and "12/20" in card


async def test_a_stale_or_forged_button_changes_nothing(chat, rt, people):
    _, request, say, press = chat
    await press(1002, "garbage-without-separators")
    assert request.alerts()[-1].startswith("Thao tác không còn hiệu lực")
    await press(1002, Callback("conf", "CD-2026-9999", 1).pack())
    assert "Không tìm thấy" in request.alerts()[-1]


async def test_the_guided_flow_assigns_nothing_before_confirmation(chat, rt, people):
    _, request, say, press = chat
    await say(1002, "/giaoviec")
    await press(1002, button(request, 1002, "Sở Xây dựng"))
    await press(1002, button(request, 1002, "Tiếp"))
    await press(1002, button(request, 1002, "Sở Tài chính"))
    await press(1002, button(request, 1002, "Tiếp"))
    await press(1002, button(request, 1002, "5 ngày làm việc"))
    await say(1002, "Kiểm tra chất lượng công trình trường học")
    await press(1002, button(request, 1002, "Bỏ qua"))
    preview = request.last_text(1002)
    assert "Kiểm tra chất lượng" in preview and "30/11/2026" in preview, "24/11 is a holiday"
    async with rt.sessions() as s:
        assert (await s.scalar(select(Directive.state))) == "draft"
    await press(1002, button(request, 1002, "Giao việc"))
    async with rt.sessions() as s:
        assert (await s.scalar(select(Directive.state))) == "assigned"


async def test_a_question_in_plain_vietnamese_gets_the_same_list_as_the_button(chat, people):
    _, request, say, _ = chat
    reply = await say(1002, "Sở Xây dựng còn bao nhiêu việc quá hạn?")
    assert "Việc quá hạn" in reply and "SXD" in reply


async def test_a_focal_point_registers_the_units_group_and_chatter_there_gets_no_answer(chat, rt, people):
    _, request, say, _ = chat
    reply = await say(2001, "/dangkynhom", chat_id=-500)
    assert "Sở Xây dựng" in reply
    calls = len(request.calls)
    await say(2001, "mọi người họp lúc 2 giờ nhé", chat_id=-500)
    assert len(request.calls) == calls
    from bot.services import notify

    async with rt.sessions() as s:
        assert -500 in await notify.unit_chats(s, [2])
