"""The Zalo channel end to end, over real HTTP against the Zalo emulator (tests/zalo_emulator): joining with an
invite code, a new-task notice with its numbered replies, «1», a progress report and an extension asked by
text, the leader on Telegram (the real handlers in process) refusing with a reason that reaches Zalo; a person
on both channels told once, on the preferred one; a long notice whole in parts; a forged webhook refused."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from bot.domain.lifecycle import State
from bot.outbox import Dispatcher
from bot.ratelimit import SendLimiter
from bot.runtime import Runtime
from bot.services import access, queries
from bot.services import directives as svc
from bot.texts import t
from handlers.notifier import make_sender as telegram_sender
from tests.conftest import NOW, make_settings
from tests.integration.chatbot import ChatBot
from tests.integration.conftest import People
from tests.zalo_emulator import ZaloEmulator
from zalo.runner import SECRET_HEADER, ZaloChannel, add_webhook_route

TOKEN = "1459232241454765289:dondoc-zalo-test-token"
ZU = "zalo-user-1"
LEADER_TG = 1002  # the leader's Telegram id (tests/integration/conftest.py)


@dataclass
class Zalo:
    emu: ZaloEmulator
    channel: ZaloChannel
    dispatcher: Dispatcher

    async def say(self, user: str, text: str) -> str:
        """The user writes; returns the bot's answer (every part, joined), once it has arrived."""
        before = len(self.emu.sent(user))
        await self.emu.user_says(user, text)
        await self.emu.wait_sent(user, before + 1)
        await self.emu.wait_updates_taken()
        return "\n".join(self.emu.texts(user)[before:])

    async def dispatch(self) -> None:
        while await self.dispatcher.run_once(NOW):
            pass


def zalo_settings(**more: object):
    return make_settings(zalo_bot_token=TOKEN, zalo_poll_timeout_seconds=5, zalo_send_rate_per_second=1000,
                         zalo_private_per_second=1000, **more)


@pytest.fixture
async def zalo(rt: Runtime, chat: ChatBot) -> AsyncIterator[Zalo]:
    async with ZaloEmulator(token=TOKEN) as emu:
        settings = zalo_settings(zalo_api_base_url=emu.base_url)
        channel = ZaloChannel(rt, settings, clock=lambda: NOW)
        fast = SendLimiter(1000, private_per_second=1000, group_per_minute=100000)
        dispatcher = Dispatcher(rt, {"telegram": telegram_sender(chat.bot, rt), "zalo": channel.sender}, "test", fast,
                                limiters={"zalo": fast})
        await channel.start()
        try:
            yield Zalo(emu, channel, dispatcher)
        finally:
            await channel.stop()


def number_for(text: str, label: str) -> str:
    """The number the last «Trả lời:» line gives `label`."""
    line = [x for x in text.splitlines() if x.startswith("Trả lời")][-1]
    found = re.search(r"(\d+) – " + re.escape(label), line)
    assert found, f"no reply {label!r} in {line!r}"
    return found.group(1)


async def join(zalo: Zalo, rt: Runtime, user: str, role: str = "focal", unit: str | None = "P-THUANAN",
               person_id: int | None = None) -> str:
    invite = await access.create_invite(rt, role=role, unit_code=unit, now=NOW, person_id=person_id)
    return await zalo.say(user, f"/start {invite.token}")


async def test_a_leader_invited_with_a_title_joins_on_zalo_greeted_by_title_and_name(
        rt: Runtime, people: People, zalo: Zalo) -> None:
    invite = await access.create_invite(rt, role="leader", unit_code=None, now=NOW, title="Phó Chủ tịch UBND tỉnh",
                                        name="Lê Quang Minh")
    answer = await zalo.say(ZU, f"/start {invite.token}")
    assert answer.startswith("Đăng ký thành công! Chào Phó Chủ tịch UBND tỉnh Lê Quang Minh."), answer
    assert (await zalo.say(ZU, "/start")).startswith("Chào Phó Chủ tịch UBND tỉnh Lê Quang Minh.")


async def test_a_focal_point_on_zalo_works_a_directive_through_with_a_leader_on_telegram(
        rt: Runtime, people: People, chat: ChatBot, zalo: Zalo) -> None:
    assert t("zalo.stranger", "vi") in await zalo.say(ZU, "xin chào")
    answer = await join(zalo, rt, ZU)
    assert "Đăng ký thành công" in answer
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Kiểm tra an toàn giao thông dịp Tết", lead=["P-THUANAN"], deadline=date(2026, 12, 4))], now=NOW)
    await zalo.dispatch()
    [notice] = zalo.emu.texts(ZU)[-1:]
    assert card.code in notice and "Kiểm tra an toàn giao thông" in notice
    assert notice.endswith("Trả lời: 1 – Đã nhận · 2 – Báo cáo tiến độ · 3 – Xin gia hạn · 4 – Hoàn thành"), notice

    answer = await zalo.say(ZU, "1")
    assert t("done.ack", "vi", code=card.code) in answer

    asked = await zalo.say(ZU, number_for(answer, "Báo cáo tiến độ"))
    assert "Nhập nội dung báo cáo tiến độ" in asked and "/huy" in asked
    answer = await zalo.say(ZU, "Đã lắp 12 biển báo, còn 3")
    assert t("done.prog", "vi", code=card.code) in answer

    asked = await zalo.say(ZU, f"{card.code} {number_for(answer, 'Xin gia hạn')}")
    assert "Nhập hạn mới" in asked
    asked = await zalo.say(ZU, "30/12/2026")
    assert "lý do" in asked.lower()
    answer = await zalo.say(ZU, "Chờ vật tư từ nhà cung cấp")
    assert t("done.ext_reason", "vi", code=card.code) in answer
    await zalo.dispatch()

    # The leader, on Telegram, refuses with a reason.
    await chat.say(LEADER_TG, f"/xem {card.code}")
    await chat.press(LEADER_TG, chat.button(LEADER_TG, "Từ chối gia hạn"))
    await chat.say(LEADER_TG, "Đề nghị hoàn thành đúng hạn")
    before = len(zalo.emu.sent(ZU))
    await zalo.dispatch()
    told = "\n".join(zalo.emu.texts(ZU)[before:])
    assert card.code in told and "Đề nghị hoàn thành đúng hạn" in told
    assert all(len(s["text"]) <= 2000 for s in zalo.emu.sent(ZU))


async def test_a_date_and_its_reason_in_one_message_make_the_request_on_zalo(
        rt: Runtime, people: People, zalo: Zalo) -> None:
    await join(zalo, rt, ZU)
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát dự án", lead=["P-THUANAN"], deadline=date(2026, 11, 30))], now=NOW)
    answer = await zalo.say(ZU, card.code)
    assert "Nhập hạn mới" in await zalo.say(ZU, f"{card.code} {number_for(answer, 'Xin gia hạn')}")
    answer = await zalo.say(ZU, "Đề nghị lùi đến 28/2/2027 vì chờ ý kiến Bộ")
    assert t("done.ext_reason", "vi", code=card.code) in answer, answer
    seen = await queries.card(rt, people.leader, card.code, now=NOW)
    assert seen.pending_extension is not None
    assert (seen.pending_extension.new_deadline, seen.pending_extension.reason) == (date(2027, 2, 28), "chờ ý kiến Bộ")


async def test_a_bare_number_while_a_question_is_open_is_its_answer(rt: Runtime, people: People, zalo: Zalo) -> None:
    await join(zalo, rt, ZU)
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Báo cáo số liệu", lead=["P-THUANAN"], deadline=date(2026, 12, 4))], now=NOW)
    await zalo.dispatch()
    asked = await zalo.say(ZU, "2")
    assert "tiến độ" in asked
    answer = await zalo.say(ZU, "3")  # the report's text is «3», not the third reply
    assert t("done.prog", "vi", code=card.code) in answer
    asked = await zalo.say(ZU, "/huy")
    assert asked == t("reply.nothing_to_cancel", "vi")
    assert "chỉ có" in await zalo.say(ZU, "9")


async def test_a_person_on_both_channels_hears_each_notice_once_on_the_preferred_one(
        rt: Runtime, people: People, chat: ChatBot, zalo: Zalo) -> None:
    """The leader joins Zalo too (an invite for them): from then on they are told there, and only there."""
    answer = await join(zalo, rt, "zalo-leader", role="leader", unit=None, person_id=people.leader)
    assert "Phó Chủ tịch" in answer
    await join(zalo, rt, ZU)
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Tổng hợp ý kiến", lead=["P-THUANAN"], deadline=date(2026, 12, 4))], now=NOW)
    await zalo.dispatch()
    telegram_before = len(chat.texts(LEADER_TG))
    await zalo.say(ZU, f"{card.code} 4")  # Hoàn thành (acknowledging is not needed to report)
    await zalo.say(ZU, "Đã xong toàn bộ")
    await zalo.dispatch()
    leader_zalo = zalo.emu.texts("zalo-leader")
    assert sum(card.code in text and "Đã xong toàn bộ" in text for text in leader_zalo) == 1
    assert leader_zalo[-1].endswith("Trả lời: 1 – Xác nhận · 2 – Trả lại"), leader_zalo[-1]
    assert not any(card.code in text for text in chat.texts(LEADER_TG)[telegram_before:])
    answer = await zalo.say("zalo-leader", "1")
    assert t("done.conf", "vi", code=card.code) in answer


async def test_a_notice_longer_than_a_message_arrives_whole_in_parts(rt: Runtime, people: People,
                                                                      zalo: Zalo) -> None:
    await join(zalo, rt, ZU)
    words = [f"mục{n}" for n in range(400)]
    content = " ".join(words)[:1990].rsplit(" ", 1)[0]
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        content, lead=["P-THUANAN"], deadline=date(2026, 12, 4), source_number="123/UBND-KT",
        leader_name="Phó Chủ tịch Nguyễn Văn A")], now=NOW)
    before = len(zalo.emu.sent(ZU))
    await zalo.dispatch()
    parts = zalo.emu.texts(ZU)[before:]
    assert len(parts) >= 2 and all(len(p) <= 2000 for p in parts)
    received = " ".join(" ".join(parts).split())  # the parts, joined where they were cut
    assert content in received or content.capitalize() in received  # whole, never cut inside a word
    assert parts[-1].endswith("4 – Hoàn thành") and card.code in "".join(parts)


def _listening() -> socket.socket:
    """A socket bound and listening already: calls queue on it until the server takes them (no wait)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


async def test_the_webhook_answers_the_platform_and_refuses_a_forged_call(rt: Runtime, people: People) -> None:
    async with ZaloEmulator(token=TOKEN) as emu:
        sock = _listening()
        port = sock.getsockname()[1]
        url = f"http://127.0.0.1:{port}/hooks/zalo-x1"
        settings = zalo_settings(zalo_api_base_url=emu.base_url, zalo_webhook_url=url,
                                 zalo_webhook_secret="s3cret-for-zalo-hook")
        channel = ZaloChannel(rt, settings, clock=lambda: NOW)
        web = FastAPI()
        add_webhook_route(web, channel)
        server = uvicorn.Server(uvicorn.Config(web, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        try:
            await channel.start()
            assert emu.webhook_url == url
            invite = await access.create_invite(rt, role="focal", unit_code="P-THUANAN", now=NOW)
            forged = emu.make_update("intruder", f"/start {invite.token}")
            async with httpx.AsyncClient() as client:
                assert (await client.post(url, json=forged)).status_code == 403
                wrong = await client.post(url, json=forged, headers={SECRET_HEADER: "not-the-secret"})
                assert wrong.status_code == 403
            assert emu.sent("intruder") == []
            assert await access.identify_on(rt, "zalo", "intruder") is None
            delivered = await emu.user_says(ZU, f"/start {invite.token}")  # the platform, with the secret
            assert delivered["status"] == 200
            [welcome] = await emu.wait_sent(ZU, 1)
            assert "Đăng ký thành công" in welcome["text"]
        finally:
            await channel.stop()
            server.should_exit = True
            await serving
            sock.close()


async def test_the_platform_s_trouble_becomes_the_outbox_s_outcomes(rt: Runtime, people: People, zalo: Zalo) -> None:
    """429: retried later, not an attempt; 500: retried with backoff; a time-out after the send: uncertain,
    not resent; a blocked user: unreachable. Nothing is sent twice."""
    from sqlalchemy import select

    from storage.models import Address, Directive, Outbox

    await join(zalo, rt, ZU)
    await join(zalo, rt, "zalo-user-2", unit="SYT")

    async def statuses(content: str) -> list[tuple[str, int]]:
        """The new-task notice of a directive on Zalo: its status and attempts."""
        async with rt.sessions() as session:
            return [(s, a) for s, a in await session.execute(
                select(Outbox.status, Outbox.attempts).join(Directive, Directive.id == Outbox.directive_id)
                .join(Address, Address.id == Outbox.address_id)
                .where(Outbox.kind == "notify", Directive.content == content, Address.channel == "zalo"))]

    async def assign(unit: str, content: str) -> None:
        await svc.create_directives(rt, people.leader, [svc.NewDirective(content, lead=[unit],
                                                                        deadline=date(2026, 12, 4))], now=NOW)

    zalo.emu.fail("sendMessage", "429")
    await assign("P-THUANAN", "Việc một")
    await zalo.dispatch()
    assert await statuses("Việc một") == [("pending", 0)] and zalo.emu.sent(ZU)[-1]["text"].startswith("Đăng ký")

    zalo.emu.fail("sendMessage", "500")
    await assign("SYT", "Việc hai")
    await zalo.dispatch()
    assert await statuses("Việc hai") == [("pending", 1)]

    zalo.emu.fail("sendMessage", "timeout_after_send", hold=30)
    zalo.channel.client._http.timeout = httpx.Timeout(1.0)  # a read time-out soon after the request left
    await assign("P-THUANAN", "Việc ba")
    await zalo.dispatch()
    assert await statuses("Việc ba") == [("uncertain", 0)]
    assert sum("Việc ba" in text for text in zalo.emu.texts(ZU)) == 1

    zalo.emu.block("zalo-user-2")
    await assign("SYT", "Việc bốn")
    await zalo.dispatch()
    assert (await statuses("Việc bốn"))[0][0] == "unreachable"


async def test_a_person_on_zalo_adds_telegram_with_an_invite_made_for_them(rt: Runtime, people: People,
                                                                           chat: ChatBot, zalo: Zalo) -> None:
    await join(zalo, rt, ZU)
    found = await access.identify_on(rt, "zalo", ZU)
    assert found is not None
    invite = await access.create_invite(rt, role="focal", unit_code=None, now=NOW, person_id=found[0].id)
    actor = await access.register(rt, 4242, invite.token, full_name="Tên Telegram", username=None, language="vi",
                                  now=NOW)
    assert actor.id == found[0].id and actor.unit_code == "P-THUANAN" and actor.telegram_id == 4242
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Việc trên Telegram", lead=["P-THUANAN"], deadline=date(2026, 12, 4))], now=NOW)
    before = len(zalo.emu.sent(ZU))
    await zalo.dispatch()
    assert any(card.code in text for text in chat.texts(4242))  # now preferred: Telegram
    assert len(zalo.emu.sent(ZU)) == before
    with pytest.raises(Exception, match="invite"):
        await access.create_invite(rt, role="leader", unit_code=None, now=NOW, person_id=found[0].id)


async def test_the_app_serves_the_zalo_webhook_on_the_web_server_at_the_url_s_path(rt: Runtime, people: People) -> None:
    """Wired as `python -m bot run` wires it: the Zalo channel beside Telegram, its webhook on the web app's
    server, its sender in the dispatcher's senders."""
    from bot.app import build_application
    from tests.integration.offline import OfflineRequest
    from web.serve import web_server

    settings = zalo_settings(zalo_api_base_url="http://127.0.0.1:9", web_port=8099,
                             zalo_webhook_url="https://dondoc.example/hooks/zalo-abc")
    app = build_application(settings, rt, request=OfflineRequest(), clock=lambda: NOW, dispatch=False)
    channel = app.bot_data.zalo
    assert channel is not None and channel.webhook
    assert app.bot_data.dispatcher.sender_for("zalo") is channel.sender
    assert app.bot_data.dispatcher.limiter_for("zalo") is channel.limiter
    server = web_server(app, settings, None)
    transport = httpx.ASGITransport(app=server.config.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        update = {"message": {"chat": {"id": "u9", "chat_type": "PRIVATE"}, "text": "/start x"}}
        assert (await client.post("/hooks/zalo-abc", json=update)).status_code == 403
        assert (await client.post("/hooks/zalo-abc", json=update, headers={SECRET_HEADER: "x" * 64})).status_code == 403
    await channel.client.close()


async def test_a_dispatcher_killed_during_a_zalo_burst_loses_nothing_and_repeats_at_most_what_was_in_flight(
        rt: Runtime, people: People, zalo: Zalo) -> None:
    """The process stops dead mid-burst (its task cancelled between two awaits, nothing cleaned up); another
    dispatcher takes the rows once their lease lapses: everyone has the notice, at most the one in flight twice."""
    from datetime import timedelta

    users = [f"z-burst-{n}" for n in range(24)]
    for user in users:
        await join(zalo, rt, user)
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Việc gửi hàng loạt", lead=["P-THUANAN"], deadline=date(2026, 12, 4))], now=NOW)
    zalo.dispatcher.limiters["zalo"] = SendLimiter(20, private_per_second=1000)  # slow enough to stop mid-burst

    async def burst() -> None:
        while await zalo.dispatcher.run_once(NOW):
            pass

    running = asyncio.create_task(burst())
    await zalo.emu.wait_for(lambda: sum(card.code in s["text"] for s in zalo.emu.sent()) >= 8, 20, "8 notices")
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert sum(card.code in s["text"] for s in zalo.emu.sent()) < len(users)  # stopped mid-burst
    later = NOW + timedelta(seconds=zalo.dispatcher.lease.total_seconds() + 1)
    other = Dispatcher(rt, {"zalo": zalo.channel.sender}, "another-process", SendLimiter(1000),
                       limiters={"zalo": SendLimiter(1000, private_per_second=1000)})
    while await other.run_once(later):
        pass
    got = {user: sum(card.code in text for text in zalo.emu.texts(user)) for user in users}
    assert min(got.values()) == 1
    assert sum(got.values()) - len(users) <= 1, got


async def test_a_person_on_both_channels_chooses_where_notices_reach_them(rt: Runtime, people: People,
                                                                          chat: ChatBot, zalo: Zalo) -> None:
    await join(zalo, rt, "zalo-leader", role="leader", unit=None, person_id=people.leader)
    assert await zalo.say("zalo-leader", "/kenh") == t("channel.usage", "vi")
    assert await zalo.say("zalo-leader", "/kenh telegram") == t("channel.changed", "vi", channel="Telegram")
    await join(zalo, rt, ZU)
    assert "chưa đăng ký nhận tin trên Telegram" in await zalo.say(ZU, "/kenh telegram")
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Việc chọn kênh", lead=["P-THUANAN"], deadline=date(2026, 12, 4))], now=NOW)
    await zalo.dispatch()
    await zalo.say(ZU, f"{card.code} 4")
    await zalo.say(ZU, "Đã chọn kênh xong cho toàn bộ cán bộ")  # a bare «Xong» goes to the office only
    before = len(zalo.emu.sent("zalo-leader"))
    await zalo.dispatch()
    assert any(card.code in text for text in chat.texts(LEADER_TG))
    assert len(zalo.emu.sent("zalo-leader")) == before
    assert await zalo.say(ZU, "/ngonngu en") == t("language.changed", "en")
    assert await zalo.say(ZU, "/help") == t("zalo.help", "en")


async def test_a_text_starting_with_hoan_thanh_after_a_notice_offering_it_is_the_completion_report(
        rt: Runtime, people: People, zalo: Zalo) -> None:
    """As a reply to the notice is on Telegram (bot.domain.text.reports_done): «Hoàn thành: …» typed after a
    notice whose replies include «Hoàn thành» reports completion with that text; a mere «xong» is reported and
    asked for substance; after a card that offers no completion the same words are read as anything else."""
    await join(zalo, rt, ZU)
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Kiểm tra an toàn giao thông dịp Tết", lead=["P-THUANAN"], deadline=date(2026, 12, 4))], now=NOW)
    await zalo.dispatch()
    assert zalo.emu.texts(ZU)[-1].endswith("4 – Hoàn thành")

    answer = await zalo.say(ZU, "Hoàn thành: đã lắp đủ 15 biển báo tại các điểm giao cắt")
    assert answer.startswith(t("done.done", "vi", code=card.code)), answer
    reported = await queries.card(rt, people.leader, card.code, now=NOW)
    assert reported.state == State.AWAITING and reported.leads[0].last_report == \
        "Hoàn thành: đã lắp đủ 15 biển báo tại các điểm giao cắt"

    [other] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Báo cáo tình hình mưa lũ", lead=["P-THUANAN"], deadline=date(2026, 12, 8))], now=NOW)
    await zalo.dispatch()
    thin = await zalo.say(ZU, "xong")
    assert thin.startswith("ℹ️ Báo cáo chỉ ghi «xong»") and t("done.done", "vi", code=other.code) in thin, thin
    assert (await queries.card(rt, people.leader, other.code, now=NOW)).state == State.AWAITING

    again = await zalo.say(ZU, "xong")  # the last card offers no completion now: not a report
    assert t("done.done", "vi", code=other.code) not in again, again
