"""The Zalo emulator over real HTTP, as a bot's client sees it: each method, its errors, the 2,000-character
limit, webhook delivery with the secret header, getUpdates refused while a webhook is set, fault injection,
the rate limit, the HTTP controls and the standalone runner."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.zalo_emulator import SECRET_HEADER, ZaloEmulator, ZaloEmulatorTimeout
from tests.zalo_emulator.emulator import _Server
from tests.zalo_emulator.process import ZaloEmulatorError, ZaloEmulatorProcess

TOKEN = "1459232241454765289:zalo-test-token"


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def emu() -> AsyncIterator[ZaloEmulator]:
    async with ZaloEmulator(token=TOKEN) as emulator:
        yield emulator


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
        yield client


async def call(http: httpx.AsyncClient, emu: ZaloEmulator, method: str, token: str | None = None,
               **params: Any) -> dict[str, Any]:
    answer = await http.post(emu.api_url(method, token), json=params)
    body: dict[str, Any] = answer.json()
    assert answer.status_code == (200 if body["ok"] else body["error_code"])
    return body


def refused(body: dict[str, Any], code: int) -> str:
    assert body["ok"] is False, body
    assert body["error_code"] == code, body
    assert isinstance(body["description"], str) and body["description"]
    return str(body["description"])


# --- the bot and its credentials ------------------------------------------------------------------------


async def test_get_me_describes_a_bot_that_cannot_join_groups(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    body = await call(http, emu, "getMe")
    assert body["ok"] is True
    me = body["result"]
    assert isinstance(me["id"], str) and me["id"]
    assert isinstance(me["account_name"], str) and me["account_name"]
    assert me["can_join_groups"] is False


async def test_a_wrong_token_is_unauthorized_for_every_method(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    for method in ("getMe", "getUpdates", "sendMessage", "setWebhook"):
        body = await call(http, emu, method, token="1459232241454765289:forged", chat_id="u", text="x")
        assert refused(body, 401) == "Unauthorized"
    assert emu.sent() == []


async def test_unknown_methods_bad_bodies_and_gets_are_refused(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    refused(await call(http, emu, "sendDocument", chat_id="u"), 404)
    answer = await http.post(emu.api_url("sendMessage"), content=b"chat_id=u&text=x",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    refused(answer.json(), 400)
    answer = await http.post(emu.api_url("sendMessage"), json=["u", "x"])
    refused(answer.json(), 400)
    answer = await http.get(emu.api_url("getMe"))
    refused(answer.json(), 405)
    assert emu.sent() == []


# --- updates by long polling ----------------------------------------------------------------------------


async def test_get_updates_hands_each_update_once_in_order_as_the_reference_shapes_it(
        emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    first = await emu.user_says("u-1", "/start ABC123", first_name="Nguyễn Văn A")
    second = await emu.user_says("u-2", "1")
    assert first["delivery"] == "queued" and emu.pending_updates == 2

    got = [await call(http, emu, "getUpdates", timeout=0) for _ in range(2)]
    assert [g["result"] for g in got] == [first["update"], second["update"]]
    message = got[0]["result"]["message"]
    assert message["chat"] == {"id": "u-1", "chat_type": "PRIVATE"}
    assert message["from"] == {"id": "u-1", "first_name": "Nguyễn Văn A"}
    assert message["text"] == "/start ABC123"
    assert isinstance(message["message_id"], str) and message["message_id"]
    assert isinstance(message["date"], int) and message["date"] > 10**12  # milliseconds
    assert message["message_id"] != got[1]["result"]["message"]["message_id"]

    assert refused(await call(http, emu, "getUpdates", timeout=0), 408) == "Request timeout"


async def test_a_long_poll_wakes_when_the_user_writes(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    poll = asyncio.create_task(call(http, emu, "getUpdates", timeout=30))
    await emu.wait_for(lambda: emu.active_polls == 1, what="the poll to be held")
    said = await emu.user_says("u-1", "xin chào")
    body = await asyncio.wait_for(poll, 10)
    assert body["result"] == said["update"]
    assert emu.pending_updates == 0


async def test_a_poll_and_an_update_racing_never_miss_each_other(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    for number in range(30):
        poll = asyncio.create_task(call(http, emu, "getUpdates", timeout=30))
        for _ in range(number % 6):  # the update lands at every point of the poll's way in
            await asyncio.sleep(0)
        await emu.user_says("u-1", str(number))
        body = await asyncio.wait_for(poll, 10)  # a missed wake-up would hold it for the poll's 30 s
        assert body["result"]["message"]["text"] == str(number)


async def test_a_poll_its_client_gave_up_on_loses_nothing(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    with pytest.raises(httpx.ReadTimeout):
        await http.post(emu.api_url("getUpdates"), json={"timeout": 30}, timeout=httpx.Timeout(30, read=0.2))
    await emu.wait_for(lambda: emu.active_polls == 0, what="the abandoned poll to end")
    said = await emu.user_says("u-1", "còn đây không")
    body = await call(http, emu, "getUpdates", timeout=0)
    assert body["result"] == said["update"]


async def test_other_messages_and_malformed_updates_pass_as_they_are(
        emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    sticker = await emu.user_sends("u-1", {"sticker": "0e078a2fb66a5f34067b"})
    got = (await call(http, emu, "getUpdates", timeout=0))["result"]
    assert got == sticker["update"] and "text" not in got["message"]
    assert got["message"]["sticker"] == "0e078a2fb66a5f34067b" and got["message"]["from"]["id"] == "u-1"
    await emu.deliver({"message": {"chat": {"id": 7}}})
    assert (await call(http, emu, "getUpdates", timeout=0))["result"] == {"message": {"chat": {"id": 7}}}


async def test_a_newer_poll_supersedes_a_held_one(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    older = asyncio.create_task(call(http, emu, "getUpdates", timeout=30))
    await emu.wait_for(lambda: emu.active_polls == 1, what="the first poll to be held")
    async with httpx.AsyncClient(trust_env=False, timeout=30) as other:
        newer = asyncio.create_task(call(other, emu, "getUpdates", timeout=30))
        assert "terminated by other getUpdates" in refused(await asyncio.wait_for(older, 10), 409)
        await emu.wait_for(lambda: emu.active_polls == 1, what="the second poll alone")
        said = await emu.user_says("u-1", "x")
        assert (await asyncio.wait_for(newer, 10))["result"] == said["update"]


async def test_get_updates_rejects_a_bad_timeout(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    refused(await call(http, emu, "getUpdates", timeout="soon"), 400)
    refused(await call(http, emu, "getUpdates", timeout=-1), 400)
    await emu.user_says("u-1", "x")
    assert (await call(http, emu, "getUpdates", timeout="0"))["ok"] is True  # the reference types it a string


# --- the webhook ----------------------------------------------------------------------------------------


class Receiver:
    """The bot's side of a webhook: records what arrives, answers 200 only with the right secret."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.calls: list[tuple[str | None, Any]] = []
        self.url = ""

    async def endpoint(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER)
        self.calls.append((given, await request.json()))
        return Response(status_code=200 if given == self.secret else 403)


@contextlib.asynccontextmanager
async def receiver(secret: str) -> AsyncIterator[Receiver]:
    hook = Receiver(secret)
    app = Starlette(routes=[Route("/zalo", hook.endpoint, methods=["POST"])])
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_config=None,
                                    log_level="warning", access_log=False))
    serving = asyncio.create_task(server.serve())
    await server.listening.wait()
    hook.url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}/zalo"
    try:
        yield hook
    finally:
        server.should_exit = True
        await serving


async def test_set_webhook_checks_the_url_and_the_secrets_length(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    url = "https://bot.example.invalid/zalo"
    refused(await call(http, emu, "setWebhook", url=url, secret_token="7-chars"), 400)
    refused(await call(http, emu, "setWebhook", url=url, secret_token="s" * 257), 400)
    refused(await call(http, emu, "setWebhook", url=url), 400)
    refused(await call(http, emu, "setWebhook", url="ftp://bot/zalo", secret_token="s" * 8), 400)
    assert (await call(http, emu, "getWebhookInfo"))["result"]["url"] == ""

    assert (await call(http, emu, "setWebhook", url=url, secret_token="s" * 256))["ok"] is True
    set_ = await call(http, emu, "setWebhook", url=url, secret_token="8-chars!")
    assert set_["result"]["url"] == url and isinstance(set_["result"]["updated_at"], int)
    assert (await call(http, emu, "getWebhookInfo"))["result"]["url"] == url

    deleted = await call(http, emu, "deleteWebhook")
    assert deleted["result"]["url"] == ""
    assert (await call(http, emu, "getWebhookInfo"))["result"]["url"] == ""


async def test_updates_go_to_the_webhook_with_the_secret_header(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    secret = "webhook-secret-1234"
    async with receiver(secret) as hook:
        await call(http, emu, "setWebhook", url=hook.url, secret_token=secret)
        said = await emu.user_says("u-7", "1", first_name="Trần Thị B")
        assert said["delivery"] == "webhook" and said["status"] == 200
        assert hook.calls == [(secret, said["update"])]
        assert said["update"]["message"]["chat"] == {"id": "u-7", "chat_type": "PRIVATE"}
        assert emu.pending_updates == 0

        await call(http, emu, "setWebhook", url=hook.url, secret_token="another-secret")  # the bot disagrees
        assert (await emu.user_says("u-7", "2"))["status"] == 403
        assert hook.calls[-1][0] == "another-secret"


async def test_a_webhook_nobody_answers_is_reported_not_raised(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    async with receiver("s" * 8) as hook:
        url = hook.url
    await call(http, emu, "setWebhook", url=url, secret_token="s" * 8)
    said = await emu.user_says("u-1", "x")
    assert said["status"] is None and said["error"]


async def test_get_updates_is_refused_while_a_webhook_is_set(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    await call(http, emu, "setWebhook", url="https://bot.example.invalid/zalo", secret_token="secret-123")
    refused(await call(http, emu, "getUpdates", timeout=0), 409)
    await call(http, emu, "deleteWebhook")
    said = await emu.user_says("u-1", "x")
    assert (await call(http, emu, "getUpdates", timeout=0))["result"] == said["update"]


async def test_a_held_poll_is_refused_when_a_webhook_is_set(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    poll = asyncio.create_task(call(http, emu, "getUpdates", timeout=30))
    await emu.wait_for(lambda: emu.active_polls == 1, what="the poll to be held")
    await call(http, emu, "setWebhook", url="https://bot.example.invalid/zalo", secret_token="secret-123")
    refused(await asyncio.wait_for(poll, 10), 409)


# --- sending --------------------------------------------------------------------------------------------


async def test_send_message_takes_1_to_2000_characters(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    longest = "ệ" * 2000  # characters, not bytes
    body = await call(http, emu, "sendMessage", chat_id="u-1", text=longest)
    assert isinstance(body["result"]["message_id"], str) and isinstance(body["result"]["date"], int)
    assert "2000" in refused(await call(http, emu, "sendMessage", chat_id="u-1", text=longest + "!"), 400)
    refused(await call(http, emu, "sendMessage", chat_id="u-1", text=""), 400)
    refused(await call(http, emu, "sendMessage", chat_id="u-1"), 400)
    refused(await call(http, emu, "sendMessage", text="no chat"), 400)
    refused(await call(http, emu, "sendMessage", chat_id="", text="empty chat"), 400)
    await call(http, emu, "sendMessage", chat_id="u-2", text="Chào anh")

    sent = emu.sent()
    assert [(s["method"], s["chat_id"], s["text"]) for s in sent] == [
        ("sendMessage", "u-1", longest), ("sendMessage", "u-2", "Chào anh")]
    assert sent[0]["message_id"] == body["result"]["message_id"]
    assert sent[0]["at"] <= sent[1]["at"]
    assert emu.sent("u-2") == sent[1:]
    assert emu.texts("u-1") == [longest]


async def test_photos_stickers_and_chat_actions(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    photo = "https://dondoc.example.invalid/chart.png"
    assert (await call(http, emu, "sendPhoto", chat_id="u-1", photo=photo, caption="Biểu đồ"))["ok"] is True
    refused(await call(http, emu, "sendPhoto", chat_id="u-1", photo="/tmp/chart.png"), 400)
    refused(await call(http, emu, "sendPhoto", chat_id="u-1", photo=photo, caption="x" * 2001), 400)
    assert (await call(http, emu, "sendSticker", chat_id="u-1", sticker="0e078a2fb66a5f34067b"))["ok"] is True
    refused(await call(http, emu, "sendSticker", chat_id="u-1"), 400)
    assert (await call(http, emu, "sendChatAction", chat_id="u-1", action="typing"))["result"] is True
    refused(await call(http, emu, "sendChatAction", chat_id="u-1", action="dancing"), 400)

    assert [(s["method"], s.get("photo"), s.get("caption"), s.get("sticker")) for s in emu.sent("u-1")] == [
        ("sendPhoto", photo, "Biểu đồ", None), ("sendSticker", None, None, "0e078a2fb66a5f34067b")]
    assert [a["action"] for a in emu.chat_actions("u-1")] == ["typing"]


async def test_a_blocked_user_cannot_be_reached(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    emu.block("u-9")
    refused(await call(http, emu, "sendMessage", chat_id="u-9", text="x"), 403)
    emu.block("u-9", blocked=False)
    assert (await call(http, emu, "sendMessage", chat_id="u-9", text="x"))["ok"] is True


async def test_only_users_who_wrote_can_be_reached_when_asked(http: httpx.AsyncClient) -> None:
    async with ZaloEmulator(token=TOKEN, known_users_only=True) as emu:
        refused(await call(http, emu, "sendMessage", chat_id="u-1", text="x"), 403)
        await emu.user_says("u-1", "/start ABC")
        assert (await call(http, emu, "sendMessage", chat_id="u-1", text="x"))["ok"] is True
        refused(await call(http, emu, "sendPhoto", chat_id="u-2", photo="https://x.invalid/p.png"), 403)


async def test_wait_sent_wakes_on_the_send_and_names_what_came_when_it_times_out(
        emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    waiting = asyncio.create_task(emu.wait_sent("u-1", 2))
    await call(http, emu, "sendMessage", chat_id="u-1", text="một")
    await call(http, emu, "sendMessage", chat_id="u-2", text="khác")
    assert not waiting.done()
    await call(http, emu, "sendMessage", chat_id="u-1", text="hai")
    assert [s["text"] for s in await asyncio.wait_for(waiting, 10)] == ["một", "hai"]

    with pytest.raises(ZaloEmulatorTimeout, match="khác"):
        await emu.wait_sent("u-1", 3, timeout=0.05)


async def test_a_user_reads_the_bots_messages_one_by_one(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    anna = emu.user("u-5", "Anna")
    said = await anna.says("xin chào")
    assert said["update"]["message"]["from"] == {"id": "u-5", "first_name": "Anna"}
    await call(http, emu, "sendMessage", chat_id="u-5", text="một")
    await call(http, emu, "sendMessage", chat_id="u-6", text="người khác")
    await call(http, emu, "sendPhoto", chat_id="u-5", photo="https://x.invalid/p.png", caption="hai")
    assert await anna.next_text() == "một"
    assert [m["method"] for m in anna.unread()] == ["sendPhoto"]
    assert await anna.next_text() == "hai"
    with pytest.raises(ZaloEmulatorTimeout):
        await anna.next_message(timeout=0.05)
    await call(http, emu, "sendMessage", chat_id="u-5", text="ba")
    anna.skip()
    assert anna.unread() == []


# --- faults and the rate limit --------------------------------------------------------------------------


async def test_a_429_fault_carries_a_retry_hint_and_sends_nothing(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    emu.fail("sendMessage", "429", times=2, retry_after=7)
    for _ in range(2):
        body = await call(http, emu, "sendMessage", chat_id="u-1", text="x")
        assert "retry after 7" in refused(body, 429)
        assert body["parameters"] == {"retry_after": 7}
    assert emu.sent() == [] and emu.rejected_429 == 2
    assert (await call(http, emu, "sendMessage", chat_id="u-1", text="x"))["ok"] is True


async def test_a_500_fault_on_any_method(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    emu.fail("*", "500")
    refused(await call(http, emu, "getMe"), 500)
    assert (await call(http, emu, "getMe"))["ok"] is True
    emu.fail("sendPhoto", "500")
    assert (await call(http, emu, "sendMessage", chat_id="u-1", text="x"))["ok"] is True  # another method
    refused(await call(http, emu, "sendPhoto", chat_id="u-1", photo="https://x.invalid/p.png"), 500)
    assert [s["method"] for s in emu.sent()] == ["sendMessage"]
    with pytest.raises(ValueError):
        emu.fail("sendMessage", "418")
    with pytest.raises(ValueError):
        emu.fail("sendDocument", "500")


async def test_a_timeout_fault_holds_the_request_and_sends_nothing(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    emu.fail("sendMessage", "timeout")
    with pytest.raises(httpx.ReadTimeout):
        await http.post(emu.api_url("sendMessage"), json={"chat_id": "u-1", "text": "lost"},
                        timeout=httpx.Timeout(30, read=0.2))
    assert emu.sent() == []
    assert (await call(http, emu, "sendMessage", chat_id="u-1", text="again"))["ok"] is True
    assert emu.texts() == ["again"]


async def test_a_timeout_after_send_leaves_the_sender_uncertain(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    emu.fail("sendMessage", "timeout_after_send")
    with pytest.raises(httpx.ReadTimeout):
        await http.post(emu.api_url("sendMessage"), json={"chat_id": "u-1", "text": "arrived"},
                        timeout=httpx.Timeout(30, read=0.2))
    assert emu.texts("u-1") == ["arrived"]  # the user has it; the sender never heard


async def test_faults_on_get_updates(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    await emu.user_says("u-1", "một")
    emu.fail("getUpdates", "timeout")
    with pytest.raises(httpx.ReadTimeout):
        await http.post(emu.api_url("getUpdates"), json={"timeout": 0}, timeout=httpx.Timeout(30, read=0.2))
    assert emu.pending_updates == 1  # a poll that timed out took nothing
    emu.fail("getUpdates", "timeout_after_send")
    with pytest.raises(httpx.ReadTimeout):
        await http.post(emu.api_url("getUpdates"), json={"timeout": 0}, timeout=httpx.Timeout(30, read=0.2))
    assert emu.pending_updates == 0  # handed out and lost with the answer: no offset to ask for it again
    refused(await call(http, emu, "getUpdates", timeout=0), 408)


async def test_close_answers_a_held_request() -> None:
    async with httpx.AsyncClient(trust_env=False) as http:
        emu = ZaloEmulator(token=TOKEN)
        await emu.start()
        emu.fail("sendMessage", "timeout")
        held = asyncio.create_task(http.post(emu.api_url("sendMessage"), json={"chat_id": "u", "text": "x"},
                                             timeout=30))
        await emu.wait_for(lambda: emu.calls["sendMessage"] == 1)
        await emu.close()
        answer = await asyncio.wait_for(held, 10)
        assert answer.json()["error_code"] == 504
        assert emu.sent() == []


async def test_the_rate_limit_refuses_sends_beyond_it_in_a_rolling_second(http: httpx.AsyncClient) -> None:
    clock = FakeMonotonic()
    async with ZaloEmulator(token=TOKEN, monotonic=clock) as emu:
        emu.rate_limit(3)
        bodies = [await call(http, emu, "sendMessage", chat_id=f"u-{i}", text=str(i)) for i in range(5)]
        assert [b["ok"] for b in bodies] == [True, True, True, False, False]
        assert bodies[3]["parameters"]["retry_after"] >= 1
        assert emu.rejected_429 == 2 and emu.texts() == ["0", "1", "2"]
        assert (await call(http, emu, "sendChatAction", chat_id="u-0", action="typing"))["ok"] is True

        clock.now += 0.5  # still inside the second of the first three
        refused(await call(http, emu, "sendMessage", chat_id="u-9", text="x"), 429)
        clock.now += 0.5  # the first three leave the window
        assert (await call(http, emu, "sendMessage", chat_id="u-9", text="y"))["ok"] is True
        assert emu.rejected_429 == 3

        emu.rate_limit(0.5)  # one per two seconds
        assert (await call(http, emu, "sendMessage", chat_id="u-9", text="z"))["ok"] is True
        clock.now += 1.9
        refused(await call(http, emu, "sendMessage", chat_id="u-9", text="z"), 429)
        clock.now += 0.1
        assert (await call(http, emu, "sendMessage", chat_id="u-9", text="z"))["ok"] is True

        emu.rate_limit(None)
        for _ in range(5):
            assert (await call(http, emu, "sendMessage", chat_id="u-9", text="free"))["ok"] is True
        with pytest.raises(ValueError):
            emu.rate_limit(0)


async def test_a_rate_limit_per_chat(http: httpx.AsyncClient) -> None:
    clock = FakeMonotonic()
    async with ZaloEmulator(token=TOKEN, monotonic=clock) as emu:
        emu.rate_limit(None, per_chat=2)
        results = [(await call(http, emu, "sendMessage", chat_id=chat, text="x"))["ok"]
                   for chat in ("a", "a", "a", "b", "b", "c")]
        assert results == [True, True, False, True, True, True]
        emu.rate_limit(4, per_chat=2)
        results = [(await call(http, emu, "sendMessage", chat_id=chat, text="x"))["ok"]
                   for chat in ("a", "a", "a", "b", "c", "d")]
        assert results == [True, True, False, True, True, False]  # the sixth is beyond 4 a second overall
        assert emu.rejected_429 == 3 and len(emu.sent()) == 9


async def test_reset_forgets_everything(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    await call(http, emu, "sendMessage", chat_id="u-1", text="x")
    await emu.user_says("u-1", "y")
    emu.fail("sendMessage", "500")
    emu.rate_limit(1)
    emu.block("u-2")
    await call(http, emu, "setWebhook", url="https://bot.example.invalid/zalo", secret_token="secret-123")
    emu.reset()
    assert emu.sent() == [] and emu.pending_updates == 0 and emu.webhook_url is None and emu.rejected_429 == 0
    for chat in ("u-1", "u-2", "u-3"):
        assert (await call(http, emu, "sendMessage", chat_id=chat, text="x"))["ok"] is True


# --- the controls over HTTP and the standalone runner ---------------------------------------------------


async def test_the_controls_over_http(emu: ZaloEmulator, http: httpx.AsyncClient) -> None:
    control = f"{emu.base_url}/control"
    said = (await http.post(f"{control}/say", json={"user_id": "u-1", "text": "xin chào"})).json()
    assert said["ok"] and said["result"]["delivery"] == "queued"
    assert (await call(http, emu, "getUpdates", timeout=0))["result"] == said["result"]["update"]

    assert (await http.post(f"{control}/fail", json={"method": "sendMessage", "kind": "429"})).json()["ok"]
    refused(await call(http, emu, "sendMessage", chat_id="u-1", text="x"), 429)
    assert (await http.post(f"{control}/rate_limit", json={"per_second": 1000})).json()["ok"]
    await call(http, emu, "sendMessage", chat_id="u-1", text="một")
    await call(http, emu, "sendMessage", chat_id="u-2", text="hai")
    waited = (await http.post(f"{control}/wait_sent", json={"chat_id": "u-1", "count": 1})).json()
    assert [s["text"] for s in waited["result"]] == ["một"]
    sent = (await http.get(f"{control}/sent", params={"chat_id": "u-2"})).json()["result"]
    assert [s["text"] for s in sent] == ["hai"]
    stats = (await http.get(f"{control}/stats")).json()["result"]
    assert stats["sent"] == 2 and stats["rejected_429"] == 1 and stats["calls"]["sendMessage"] == 3

    late = (await http.post(f"{control}/wait_sent", json={"chat_id": "u-3", "count": 1, "timeout": 0.05})).json()
    refused(late, 408)
    refused((await http.post(f"{control}/fail", json={"method": "sendMessage", "kind": "teapot"})).json(), 400)
    assert (await http.post(f"{control}/reset")).json()["ok"]
    assert (await http.get(f"{control}/sent")).json()["result"] == []


async def test_the_standalone_runner_driven_from_another_process(http: httpx.AsyncClient) -> None:
    async with ZaloEmulatorProcess(token="T:42") as emu:
        assert (await http.post(emu.api_url("getMe"), json={})).json()["result"]["id"] == "T"
        said = await emu.user_says("u-1", "hi")
        update = (await http.post(emu.api_url("getUpdates"), json={"timeout": 0})).json()
        assert update["result"] == said["update"]
        sticker = await emu.user_sends("u-1", {"sticker": "abc"})
        await emu.deliver({"message": None})
        updates = [(await http.post(emu.api_url("getUpdates"), json={"timeout": 0})).json()["result"] for _ in "12"]
        assert updates == [sticker["update"], {"message": None}]

        await emu.fail("sendMessage", "500")
        await emu.rate_limit(1000, per_chat=1)
        assert (await http.post(emu.api_url("sendMessage"), json={"chat_id": "u-1", "text": "a"})).status_code == 500
        assert (await http.post(emu.api_url("sendMessage"), json={"chat_id": "u-1", "text": "b"})).json()["ok"]
        assert (await http.post(emu.api_url("sendMessage"), json={"chat_id": "u-1", "text": "c"})).status_code == 429
        assert [s["text"] for s in await emu.wait_sent("u-1", 1)] == ["b"]
        with pytest.raises(ZaloEmulatorTimeout):
            await emu.wait_sent("u-1", 2, timeout=0.05)
        with pytest.raises(ZaloEmulatorError):
            await emu.fail("sendMessage", "teapot")
        stats = await emu.stats()
        assert stats["sent"] == 1 and stats["rejected_429"] == 1
        await emu.reset()
        assert await emu.sent() == []
        pid = emu.pid
        assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # SIGTERM ended it
