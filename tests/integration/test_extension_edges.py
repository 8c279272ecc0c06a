"""An extension over its whole life: who hears of a new deadline, a request whose date has passed, a
standing task with no deadline to extend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.errors import DomainError
from bot.services import directives as svc
from bot.services import queries
from storage.models import Outbox
from tests.addressing import CHAT
from tests.conftest import NOW
from tests.integration.chatbot import ChatBot

L, A, SXD, STC, SYT = 1002, 1001, 2001, 2002, 2003


class Clock:
    def __init__(self, t):
        self.t = t

    def __call__(self):
        self.t += timedelta(seconds=1)
        return self.t


@pytest.fixture
async def cchat(rt, people):
    clock = Clock(NOW)
    bot = await ChatBot(rt, clock=clock).start()
    bot.clk = clock
    yield bot
    await bot.stop()
    bot.check_clean()


async def _ask(chat, unit, day, reason="Chờ ý kiến của Bộ Xây dựng"):
    await chat.say(unit, "/xem CD-2026-0001")
    await chat.press(unit, chat.button(unit, "Xin gia hạn"))
    await chat.say(unit, day)
    return await chat.say(unit, reason)


async def test_an_approved_extension_is_told_to_every_unit_and_the_assigning_leader(chat, rt, people):
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát dự án", lead=["SXD", "STC"], support=["SYT"], deadline=date(2026, 11, 30))], now=NOW)
    await _ask(chat, SXD, "15/12/2026")
    async with rt.sessions() as s:
        mark = await s.scalar(select(Outbox.id).order_by(Outbox.id.desc()).limit(1))
    await chat.say(A, "/xem CD-2026-0001")
    await chat.press(A, chat.button(A, "Đồng ý gia hạn"))
    async with rt.sessions() as s:
        told = set(await s.scalars(select(CHAT).where(Outbox.id > mark, Outbox.kind == "notify")))
    assert {SXD, STC, SYT, L} <= told, (
        f"deadline moved 30/11 → 15/12 but only {told} were told; co-lead STC, support SYT and the assigning "
        f"leader never hear of the new deadline")


async def test_a_request_whose_date_has_passed_tells_the_leader_to_refuse_it(cchat, rt, people):
    chat = cchat
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát dự án", lead=["SXD"], deadline=date(2026, 11, 30))], now=NOW)
    await _ask(chat, SXD, "25/12/2026")
    await chat.say(L, "/xem CD-2026-0001")
    ok = chat.button(L, "Đồng ý gia hạn")
    chat.clk.t = datetime(2026, 12, 28, 2, 0, tzinfo=UTC)  # the leader gets to it late
    await chat.press(L, ok)
    alert = chat.request.alerts()[-1]
    assert "Vui lòng chọn ngày" not in alert, (
        f"the leader is told to 'choose a date from today' though they only approve/refuse: {alert!r}; "
        f"the request stays pending and blocks the unit from asking again")


async def test_a_standing_task_offers_no_extension_and_refuses_one_asked_anyway(chat, rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Theo dõi thường xuyên", lead=["SXD"])],
                                         now=NOW)
    await chat.say(SXD, f"/xem {card.code}")
    labels = [b["text"] for row in chat.messages(SXD)[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert not any("gia hạn" in label for label in labels)
    with pytest.raises(DomainError) as refused:
        await svc.request_extension(rt, people.sxd, card.code, date(2026, 12, 15), "Chờ số liệu", now=NOW)
    assert refused.value.key == "extension.no_deadline"


async def test_a_date_and_its_reason_in_one_message_make_the_request(chat, rt, people):
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát dự án", lead=["SXD"], deadline=date(2026, 11, 30))], now=NOW)
    await chat.say(SXD, "/xem CD-2026-0001")
    await chat.press(SXD, chat.button(SXD, "Xin gia hạn"))
    done = await chat.say(SXD, "Đề nghị lùi đến 28/2/2027 vì chờ Bộ Xây dựng có ý kiến về hồ sơ")
    assert "Đã gửi đề nghị gia hạn CD-2026-0001" in done
    card = await queries.card(rt, people.leader, "CD-2026-0001", now=NOW)
    assert card.pending_extension is not None
    assert (card.pending_extension.new_deadline, card.pending_extension.reason) == (
        date(2027, 2, 28), "chờ Bộ Xây dựng có ý kiến về hồ sơ")
