"""Delivery outcomes an operator sees: time-outs before anything left are retried, after it they are
uncertain and the office is told once (directive and recipient) with a button to resend, once; every
outcome other than sent is one INFO line."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from telegram.error import TimedOut

from bot.app import build_application
from bot.outbox import Dispatcher, Transient, Uncertain
from bot.services import directives as svc
from handlers.callbacks import Resend
from handlers.notifier import make_sender
from storage import pending
from storage.models import Event, Outbox
from tests.addressing import delivery, recipient, to_chat
from tests.conftest import NOW
from tests.integration.offline import OfflineRequest, press_update
from tests.integration.test_reminders import NoLimit, Recorder

OFFICE, SXD = 1001, 2001


async def _assign(rt, people, deadline=date(2026, 12, 4)) -> str:  # noqa: ANN001
    [card] = await svc.create_directives(
        rt, people.leader, [svc.NewDirective("Rà soát dự án", lead=["SXD"], deadline=deadline)], now=NOW)
    return card.code


@pytest.fixture
def dispatch(rt):
    recorder = Recorder()
    dispatcher = Dispatcher(rt, recorder, "test", NoLimit())  # type: ignore[arg-type]

    async def at(moment):  # noqa: ANN001, ANN202
        while await dispatcher.run_once(moment):
            pass
        async with rt.sessions() as session:  # the queue of rows to send is the outbox's unsent rows, always
            assert await pending.differences(session) == (0, 0, 0, 0)
        return recorder

    return recorder, at


class FailingBot:
    """Just enough of telegram.Bot for the sender: every send raises `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def send_message(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        raise self.error


def timed_out(cause: Exception) -> TimedOut:
    try:
        raise TimedOut() from cause
    except TimedOut as error:
        return error


@pytest.mark.parametrize("cause", [httpx.ConnectTimeout("connect"), httpx.PoolTimeout("pool")])
async def test_a_time_out_before_the_request_left_is_retried_like_a_server_error(rt, people, cause):
    send = make_sender(FailingBot(timed_out(cause)), rt)  # type: ignore[arg-type]
    await _assign(rt, people)
    async with rt.sessions() as s:
        row = await s.scalar(select(Outbox).where(to_chat(SXD), Outbox.kind == "notify"))
        to = await recipient(s, SXD)
    with pytest.raises(Transient, match="not sent"):
        await send(to, [delivery(row)])


async def test_a_read_time_out_is_uncertain(rt, people):
    send = make_sender(FailingBot(timed_out(httpx.ReadTimeout("read"))), rt)  # type: ignore[arg-type]
    await _assign(rt, people)
    async with rt.sessions() as s:
        row = await s.scalar(select(Outbox).where(to_chat(SXD), Outbox.kind == "notify"))
        to = await recipient(s, SXD)
    with pytest.raises(Uncertain):
        await send(to, [delivery(row)])


async def test_a_connect_time_out_goes_out_on_the_retry_and_is_logged_as_a_retry(rt, people, dispatch, caplog):
    recorder, at = dispatch
    await _assign(rt, people)
    recorder.fail[SXD] = Transient("not sent: Timed out")
    with caplog.at_level(logging.INFO, logger="bot.outbox"):
        await at(NOW)
    del recorder.fail[SXD]
    await at(NOW + timedelta(minutes=2))
    assert recorder.texts(SXD) == ["notify.assigned"]
    assert [r.outcome for r in caplog.records if hasattr(r, "outcome")] == ["retry"]


async def test_an_uncertain_batch_tells_the_office_once_with_the_directives_and_recipient(rt, people, dispatch, caplog):
    recorder, at = dispatch
    first, second = await _assign(rt, people), await _assign(rt, people, date(2026, 12, 8))
    recorder.fail[SXD] = Uncertain("Timed out")
    with caplog.at_level(logging.INFO, logger="bot.outbox"):
        await at(NOW)
    assert recorder.texts(OFFICE) == ["notify.delivery_uncertain"], "one notice for the merged batch"
    async with rt.sessions() as s:
        notice = await s.scalar(select(Outbox).where(to_chat(OFFICE), Outbox.kind == "notify"))
        event = await s.scalar(select(Event).where(Event.kind == "delivery_uncertain"))
        statuses = set(await s.scalars(select(Outbox.status).where(to_chat(SXD), Outbox.kind == "notify")))
    assert statuses == {"uncertain"}
    assert notice.payload["params"]["codes"] == f"{first}, {second}"
    assert notice.payload["params"]["chat"] == "Đầu mối Sở XD (Telegram)"
    assert notice.payload["resend"] == event.id and len(event.data["outbox"]) == 2
    [line] = [r for r in caplog.records if getattr(r, "outcome", None) == "uncertain"]
    assert line.levelno == logging.INFO and first in line.getMessage()
    del recorder.fail[SXD]
    assert (await at(NOW + timedelta(hours=1))).texts(SXD) == [], "never resent by itself"


@pytest.fixture
async def office_chat(rt, people):
    request = OfflineRequest()
    app = build_application(rt.settings, rt, request=request, clock=lambda: NOW, dispatch=False)
    await app.initialize()

    async def press(user_id: int, data: str) -> str:
        await app.process_update(press_update(app.bot, user_id, data))
        return request.alerts()[-1]

    yield app, request, press
    await app.shutdown()


async def test_the_office_resends_an_uncertain_delivery_with_one_button_and_only_once(
        rt, people, dispatch, office_chat):
    recorder, at = dispatch
    app, request, press = office_chat
    await _assign(rt, people)
    recorder.fail[SXD] = Uncertain("Timed out")
    await at(NOW)
    del recorder.fail[SXD]
    async with rt.sessions() as s:
        notice = await s.scalar(select(Outbox).where(to_chat(OFFICE), Outbox.kind == "notify"))
    # The office's message carries the button, rendered by the app's own sender.
        office = await recipient(s, OFFICE)
    await make_sender(app.bot, rt)(office, [delivery(notice)])
    [row] = request.sent("sendMessage", OFFICE)[-1]["reply_markup"]["inline_keyboard"][-1:]
    assert row[0]["text"] == "🔁 Gửi lại"
    data = row[0]["callback_data"]
    assert data == Resend(int(notice.payload["resend"])).pack()

    assert "không có quyền" in await press(SXD, data), "a focal point may not resend"
    assert "gửi lại" in await press(OFFICE, data)
    assert "đã được gửi lại trước đó" in await press(OFFICE, data), "a second press resends nothing"
    assert (await at(NOW + timedelta(seconds=1))).texts(SXD) == ["notify.assigned"]
    assert (await at(NOW + timedelta(hours=1))).texts(SXD) == ["notify.assigned"], "exactly once"
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Event).where(Event.kind == "delivery_resent")) == 1
    assert "không còn hiệu lực" in await press(OFFICE, Resend(999999).pack())


async def test_a_blocked_chat_is_unreachable_not_dead_and_both_are_logged(rt, people, dispatch, caplog):
    from bot.outbox import Unreachable

    recorder, at = dispatch
    await _assign(rt, people)
    recorder.fail[SXD] = Unreachable("Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.INFO, logger="bot.outbox"):
        await at(NOW)
    async with rt.sessions() as s:
        assert set(await s.scalars(select(Outbox.status).where(to_chat(SXD)))) == {"unreachable"}, \
            "the notice and every pending reminder of the blocked chat"
    assert "unreachable" in [getattr(r, "outcome", None) for r in caplog.records]
