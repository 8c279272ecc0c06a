"""An emulator of the Zalo Bot Platform's bot API, written from its public reference (December 2025), for tests
and benchmarks. It is a real HTTP server (Starlette served by uvicorn) on 127.0.0.1, run as a task on the
caller's event loop::

    async with ZaloEmulator(token="123:zalo-test") as emu:
        # the bot's client: ZALO_API_BASE_URL=emu.base_url, it POSTs JSON to {base_url}/bot{TOKEN}/{method}
        await emu.user_says("u-1", "/start ABCD")          # queued for getUpdates, or POSTed to the webhook
        sent = await emu.wait_sent("u-1", 1)                # wakes on the send, raises on time-out
        assert sent[0]["text"].startswith("Chào")

The platform as the emulator plays it (every method a POST with a JSON object body):

- Every answer is ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": N, "description": "..."}``;
  an error is sent with HTTP status N (as Telegram's Bot API does), so a client must read the JSON body
  whatever the status. A wrong token: 401 "Unauthorized"; an unknown method: 404; a body that is not a JSON
  object: 400.
- ``getMe`` → ``{"id", "account_name", "account_type": "BASIC", "can_join_groups": false}``.
- ``getUpdates`` (``timeout`` in seconds, default 30, a number or a numeric string) → as the reference
  shows, ONE update per call: ``"result"`` is the update object itself, the oldest not yet delivered. When
  nothing arrives within ``timeout`` the platform answers ``{"ok": false, "error_code": 408, "description":
  "Request timeout"}`` (not in the reference: what clients of the platform report); a client treats that as
  "no news" and polls again. An update is handed to a poll only while its client is still connected, so a
  poll given up by its client loses nothing; a newer poll ends a held one with 409 "Conflict: terminated by
  other getUpdates request", so two pollers on one token show. While a webhook is set: 409 "Conflict: ...".
- ``setWebhook`` (``url`` http(s), ``secret_token`` of 8–256 characters, both required) →
  ``{"url", "updated_at"}``; ``getWebhookInfo`` → ``{"url" ("" when none), "updated_at"}``;
  ``deleteWebhook`` → ``{"url": "", "updated_at"}``.
- ``sendMessage`` (``chat_id``, ``text`` of 1–2000 characters), ``sendPhoto`` (``chat_id``, ``photo`` an
  http(s) URL, optional ``caption`` of 1–2000 characters), ``sendSticker`` (``chat_id``, ``sticker``) →
  ``{"message_id": "<str>", "date": <ms>}``; anything invalid → 400. ``sendChatAction`` (``chat_id``,
  ``action``: ``typing`` or ``upload_photo``) → ``true``; chat actions are kept apart (``chat_actions()``),
  not in ``sent()``, and are not rate-limited.
- An update (the same object in a getUpdates result and a webhook body)::

      {"message": {"chat": {"id": "<user id>", "chat_type": "PRIVATE"}, "text": "...",
                   "message_id": "<str>", "date": <ms>, "from": {"id": "<user id>", "first_name": "..."}}}

  A webhook call carries the secret in the ``X-Bot-Api-Secret-Token`` header.

Controls for tests (on the object; over HTTP under ``/control/...`` too, see ``control.py``, and from another
process with ``process.ZaloEmulatorProcess``): ``user_says`` (``user_sends`` other fields, ``deliver`` any
update), ``user(id)`` (a user reading the bot's messages one by one), ``sent``, ``texts``, ``wait_sent``,
``wait_for``, ``chat_actions``, ``fail`` (429, 500, a time-out that records nothing, a time-out after the send
was recorded), ``rate_limit`` (global and per chat), ``block`` (a user who cannot be reached: 403), ``reset``;
counters ``rejected_429``, ``calls``, ``active_polls``, ``stats()``. Assumptions beyond the reference, kept
apart: the HTTP status of an error, the 408 of an empty poll, the 403 of ``block`` and ``known_users_only``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import itertools
import json
import math
import secrets
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DEFAULT_TOKEN = "1459232241454765289:dondoc-zalo-test-token"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
MAX_TEXT = 2000
SEND_METHODS = ("sendMessage", "sendPhoto", "sendSticker")
METHODS = ("getMe", "getUpdates", "setWebhook", "getWebhookInfo", "deleteWebhook", *SEND_METHODS, "sendChatAction")
FaultKind = Literal["429", "500", "timeout", "timeout_after_send"]
FAULT_KINDS: tuple[str, ...] = ("429", "500", "timeout", "timeout_after_send")
CHAT_ACTIONS = ("typing", "upload_photo")
DEFAULT_HOLD = 120.0  # how long a "timeout" fault holds a request (ended early by the client or by close())


class ZaloEmulatorTimeout(AssertionError):
    """A wait on the emulator ran out of time; the message says what had been sent by then."""


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class _Fault:
    kind: str
    hold: float
    retry_after: int


@dataclass
class _Webhook:
    url: str
    secret: str


class _Server(uvicorn.Server):
    """uvicorn on the caller's loop: no signal handling of its own (a test or the standalone runner stops it),
    and an event set once it listens."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets=sockets)
        self.listening.set()


def ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def error(code: int, description: str, parameters: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


class ZaloEmulator:
    """The Zalo Bot API on 127.0.0.1 (a free port unless `port` is given), for one bot `token`.

    `known_users_only`: sends to a user who has never written to the bot get error 403 (an assumption about
    the platform, off by default). `webhook_timeout`: how long ``user_says`` waits for the bot's webhook.
    `clock` (wall time: the ``date`` fields) and `monotonic` (the rate limit, the ``at`` of a send) can be
    replaced by a test's own clocks."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_id: str | None = None,
        account_name: str = "bot.DonDocTest",
        webhook_timeout: float = 30.0,
        known_users_only: bool = False,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.host, self.port = host, port
        self.bot_id = bot_id or (token.split(":", 1)[0] if ":" in token else "1459232241454765289")
        self.account_name = account_name
        self.webhook_timeout = webhook_timeout
        self.known_users_only = known_users_only
        self._clock, self._monotonic = clock, monotonic
        self._server: _Server | None = None
        self._serving: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None
        self._closing = asyncio.Event()
        self._changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._salt = secrets.token_hex(4)
        self.active_polls = 0  # getUpdates calls being held now (not reset: they are in flight)
        self._polls = 0
        self._version = 0  # counts changes, so a waiter cannot miss one made before it waits
        self._reset_state()

    # --- life -------------------------------------------------------------------------------------------

    def _reset_state(self) -> None:
        self._pending: deque[dict[str, Any]] = deque()
        self._webhook: _Webhook | None = None
        self._webhook_updated_at = 0
        self._sent: list[dict[str, Any]] = []
        self._actions: list[dict[str, Any]] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._per_second: float | None = None
        self._per_chat: float | None = None
        self._recent: deque[float] = deque()
        self._recent_by_chat: dict[str, deque[float]] = {}
        self._blocked: set[str] = set()
        self._known: set[str] = set()
        self.rejected_429 = 0
        self.calls: Counter[str] = Counter()
        self.delivered_updates = 0

    async def __aenter__(self) -> ZaloEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        if self._serving is not None:
            raise RuntimeError("the emulator is already running")
        self._closing = asyncio.Event()  # made on this loop: an emulator may be started again on another
        self._changed = asyncio.Condition()
        config = uvicorn.Config(self.asgi_app(), host=self.host, port=self.port, lifespan="off",
                                log_config=None, log_level="warning", access_log=False, server_header=False,
                                timeout_graceful_shutdown=5)
        self._server = _Server(config)
        self._serving = asyncio.create_task(self._server.serve(), name="zalo-emulator")
        listening = asyncio.create_task(self._server.listening.wait())
        await asyncio.wait({self._serving, listening}, return_when=asyncio.FIRST_COMPLETED)
        if not listening.done():
            listening.cancel()
            with contextlib.suppress(BaseException):
                await self._serving
            self._serving = None
            raise RuntimeError(f"the Zalo emulator could not listen on {self.host}:{self.port}")
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        self._http = httpx.AsyncClient(timeout=self.webhook_timeout, trust_env=False)

    async def close(self) -> None:
        """Stop serving: requests held by a fault or a long poll are answered at once."""
        self._closing.set()
        if self._server is not None and self._serving is not None:
            self._server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await self._serving
        self._serving = None
        self._server = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    @property
    def base_url(self) -> str:
        """What ZALO_API_BASE_URL is set to: the client appends ``/bot{TOKEN}/{method}``."""
        return f"http://{self.host}:{self.port}"

    def api_url(self, method: str, token: str | None = None) -> str:
        return f"{self.base_url}/bot{self.token if token is None else token}/{method}"

    # --- controls ---------------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything: updates, sends, the webhook, faults, the rate limit, blocked users, counters."""
        self._reset_state()

    def sent(self, chat_id: str | None = None) -> list[dict[str, Any]]:
        """Every accepted send, in order: {"method", "chat_id", "text"|"photo"+"caption"|"sticker",
        "message_id", "date" (ms), "at" (`monotonic`, time.monotonic by default)}."""
        return [dict(s) for s in self._sent if chat_id is None or s["chat_id"] == str(chat_id)]

    def texts(self, chat_id: str | None = None) -> list[str]:
        """The texts (and captions) sent, in order."""
        return [s.get("text") or s.get("caption") or "" for s in self.sent(chat_id)]

    def chat_actions(self, chat_id: str | None = None) -> list[dict[str, Any]]:
        return [dict(a) for a in self._actions if chat_id is None or a["chat_id"] == str(chat_id)]

    @property
    def pending_updates(self) -> int:
        """Updates queued for getUpdates and not yet taken."""
        return len(self._pending)

    @property
    def webhook_url(self) -> str | None:
        return self._webhook.url if self._webhook else None

    def fail(self, method: str, kind: FaultKind | str, times: int = 1, *, hold: float = DEFAULT_HOLD,
             retry_after: int = 1) -> None:
        """The next `times` calls of `method` ("*" for any method) fail:

        - "429": error 429, "Too Many Requests: retry after N" and ``parameters.retry_after`` N; nothing sent;
        - "500": error 500; nothing sent;
        - "timeout": the request is held (up to `hold` seconds, ended early when the client gives up or the
          emulator closes) and nothing is sent — a client's read time-out;
        - "timeout_after_send": the send is recorded (the user has it), then the answer is held the same way —
          the uncertain case (on getUpdates: the update handed out is lost, as a lost answer loses it on the
          platform, which has no offset to ask again).
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {FAULT_KINDS}")
        if method != "*" and method not in METHODS:
            raise ValueError(f"unknown method {method!r}")
        if times < 1:
            raise ValueError("times must be at least 1")
        queue = self._faults.setdefault(method, deque())
        queue.extend(_Fault(kind, hold, retry_after) for _ in range(times))

    def rate_limit(self, per_second: float | None, *, per_chat: float | None = None) -> None:
        """At most `per_second` sends (sendMessage, sendPhoto, sendSticker, all chats together) in any rolling
        window: n = max(1, floor(per_second)) sends per n / per_second seconds (1 s when per_second is whole);
        with `per_chat`, the same again for each chat on its own. Beyond either: error 429 with a retry hint,
        not recorded, counted in ``rejected_429``. None lifts a limit."""
        for rate in (per_second, per_chat):
            if rate is not None and rate <= 0:
                raise ValueError("a rate must be positive (or None for no limit)")
        self._per_second, self._per_chat = per_second, per_chat
        self._recent.clear()
        self._recent_by_chat.clear()

    def block(self, user_id: str, blocked: bool = True) -> None:
        """A user the bot cannot reach (left, blocked the bot): sends to them get error 403."""
        (self._blocked.add if blocked else self._blocked.discard)(str(user_id))

    async def user_says(self, user_id: str, text: str, first_name: str = "Người dùng") -> dict[str, Any]:
        """A user writes to the bot in their private chat (chat id = user id). With a webhook set the update is
        POSTed to it now, with the secret header, and the answer's status is returned; otherwise it is queued
        for getUpdates. Returns {"update", "delivery": "webhook"|"queued", "status": int|None, "error"}."""
        return await self.user_sends(user_id, {"text": text}, first_name)

    async def user_sends(self, user_id: str, fields: dict[str, Any],
                         first_name: str = "Người dùng") -> dict[str, Any]:
        """A message with other `fields` than a text (e.g. {"sticker": "..."} or {"photo_url": "..."}: what the
        reference leaves undescribed), delivered as ``user_says`` delivers."""
        return await self.deliver(self.make_update(user_id, first_name=first_name, **fields))

    async def deliver(self, update: dict[str, Any]) -> dict[str, Any]:
        """Deliver any update as it is (a malformed one too), as ``user_says`` does."""
        message = update.get("message") if isinstance(update, dict) else None
        sender = message.get("from") if isinstance(message, dict) else None
        if isinstance(sender, dict) and isinstance(sender.get("id"), str):
            self._known.add(sender["id"])
        if self._webhook is None:
            self._pending.append(update)
            await self._notify()
            return {"update": update, "delivery": "queued", "status": None, "error": None}
        return await self._post_webhook(self._webhook, update)

    def make_update(self, user_id: str, text: str | None = None, first_name: str = "Người dùng",
                    **fields: Any) -> dict[str, Any]:
        """An update in the reference's shape (the text left out when None)."""
        user_id = str(user_id)
        message: dict[str, Any] = {"chat": {"id": user_id, "chat_type": "PRIVATE"}}
        if text is not None:
            message["text"] = text
        message.update(fields)
        message.update({"message_id": self._new_id(), "date": self._ms(),
                        "from": {"id": user_id, "first_name": first_name}})
        return {"message": message}

    def user(self, user_id: str, first_name: str = "Người dùng") -> ZaloUser:
        """A user to play in a test: ``says``, and reads the bot's messages to them one by one."""
        return ZaloUser(self, str(user_id), first_name)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0,  # noqa: ASYNC109 - the contract
                       what: str = "a condition") -> None:
        """Wait until `predicate()` holds, re-checked on every send, update and call."""
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
        except TimeoutError:
            raise ZaloEmulatorTimeout(f"waited {timeout} s for {what}; sent so far: {self._describe_sent()}") from None

    async def wait_sent(self, chat_id: str | None, count: int,
                        timeout: float = 10.0) -> list[dict[str, Any]]:  # noqa: ASYNC109 - the contract
        """Wait until at least `count` sends to `chat_id` (None: to anyone) are recorded; return them all."""
        await self.wait_for(lambda: len(self.sent(chat_id)) >= count, timeout,
                            f"{count} send(s) to {chat_id if chat_id is not None else 'anyone'}")
        return self.sent(chat_id)

    async def wait_updates_taken(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has taken every queued update with getUpdates."""
        await self.wait_for(lambda: not self._pending, timeout, "the queued updates to be taken")

    def stats(self) -> dict[str, Any]:
        return {"sent": len(self._sent), "chat_actions": len(self._actions), "rejected_429": self.rejected_429,
                "pending_updates": len(self._pending), "delivered_updates": self.delivered_updates,
                "webhook_url": self.webhook_url, "active_polls": self.active_polls, "calls": dict(self.calls),
                "rate_limit": self._per_second, "rate_limit_per_chat": self._per_chat}

    # --- helpers ----------------------------------------------------------------------------------------

    def _describe_sent(self) -> str:
        return json.dumps([{k: v for k, v in s.items() if k not in ("at", "date")} for s in self._sent],
                          ensure_ascii=False)[:4000]

    def _ms(self) -> int:
        return int(self._clock() * 1000)

    def _new_id(self) -> str:
        return f"{self._salt}{next(self._ids):012x}"

    async def _notify(self) -> None:
        self._version += 1
        async with self._changed:
            self._changed.notify_all()

    async def _post_webhook(self, hook: _Webhook, update: dict[str, Any]) -> dict[str, Any]:
        assert self._http is not None, "the emulator is not running"
        try:
            answer = await self._http.post(hook.url, json=update, headers={SECRET_HEADER: hook.secret})
        except httpx.HTTPError as exc:
            return {"update": update, "delivery": "webhook", "status": None, "error": f"{type(exc).__name__}: {exc}"}
        if answer.is_success:
            self.delivered_updates += 1
        return {"update": update, "delivery": "webhook", "status": answer.status_code, "error": None}

    def _take_fault(self, method: str) -> _Fault | None:
        for key in (method, "*"):
            queue = self._faults.get(key)
            if queue:
                return queue.popleft()
        return None

    async def _hold(self, request: Request, seconds: float) -> None:
        """Hold a request until `seconds` pass, its client goes away or the emulator closes."""
        waiters = {asyncio.ensure_future(self._closing.wait()), asyncio.ensure_future(_disconnected(request))}
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    def _check_rate(self, chat_id: str) -> None:
        now = self._monotonic()
        limits = [(self._per_second, self._recent)]
        if self._per_chat is not None:
            limits.append((self._per_chat, self._recent_by_chat.setdefault(chat_id, deque())))
        for rate, recent in limits:
            if rate is None:
                continue
            capacity = max(1, math.floor(rate))
            window = capacity / rate
            while recent and recent[0] <= now - window:
                recent.popleft()
            if len(recent) >= capacity:
                self.rejected_429 += 1
                retry = max(1, math.ceil(recent[0] + window - now))
                raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})

    def _count_send(self, chat_id: str, now: float) -> None:
        if self._per_second is not None:
            self._recent.append(now)
        if self._per_chat is not None:
            self._recent_by_chat.setdefault(chat_id, deque()).append(now)

    # --- the API ----------------------------------------------------------------------------------------

    def asgi_app(self) -> Starlette:
        return Starlette(routes=[
            Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
            *control_routes(self),
        ])

    async def _api(self, request: Request) -> Response:
        token, method = request.path_params["token"], request.path_params["method"]
        try:
            if request.method != "POST":
                raise ApiError(405, "Method Not Allowed: every method is a POST with a JSON body")
            if not hmac.compare_digest(token.encode(), self.token.encode()):
                raise ApiError(401, "Unauthorized")
            handler = self._handlers().get(method)
            if handler is None:
                raise ApiError(404, f"Not Found: method {method}")
            body = await _json_body(request)
            self.calls[method] += 1
            await self._notify()
            fault = self._take_fault(method)
            if fault is not None and fault.kind != "timeout_after_send":
                return await self._inject(request, fault)
            result = await handler(request, body)
            if fault is not None:  # timeout_after_send: done, but the client never hears it
                await self._notify()
                await self._hold(request, fault.hold)
            return ok(result)
        except ApiError as exc:
            return error(exc.code, exc.description, exc.parameters)
        finally:
            await self._notify()

    async def _inject(self, request: Request, fault: _Fault) -> Response:
        if fault.kind == "429":
            self.rejected_429 += 1
            return error(429, f"Too Many Requests: retry after {fault.retry_after}", {"retry_after": fault.retry_after})
        if fault.kind == "500":
            return error(500, "Internal Server Error")
        await self._hold(request, fault.hold)
        return error(504, "Gateway Timeout")

    def _handlers(self) -> dict[str, Callable[[Request, dict[str, Any]], Any]]:
        return {
            "getMe": self._get_me, "getUpdates": self._get_updates, "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info, "deleteWebhook": self._delete_webhook,
            "sendMessage": self._send_message, "sendPhoto": self._send_photo, "sendSticker": self._send_sticker,
            "sendChatAction": self._send_chat_action,
        }

    async def _get_me(self, request: Request, body: dict[str, Any]) -> Any:
        return {"id": self.bot_id, "account_name": self.account_name, "account_type": "BASIC",
                "can_join_groups": False}

    async def _get_updates(self, request: Request, body: dict[str, Any]) -> Any:
        if self._webhook is not None:
            raise ApiError(409, "Conflict: getUpdates does not work while a webhook is set; call deleteWebhook first")
        timeout = _number(body.get("timeout", 30), "timeout")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        gone = asyncio.ensure_future(_disconnected(request))
        closing = asyncio.ensure_future(self._closing.wait())
        self._polls += 1
        generation = self._polls
        self.active_polls += 1
        await self._notify()
        try:
            while True:
                seen = self._version  # a change after this wakes the wait below, even one before it waits
                if gone.done():
                    raise ApiError(408, "Request timeout")  # nobody reads it; the update stays queued
                if generation != self._polls:  # a newer poll came: it gets the updates, never a stale one
                    raise ApiError(409, "Conflict: terminated by other getUpdates request")
                if self._webhook is not None:
                    raise ApiError(409, "Conflict: a webhook was set during getUpdates")
                if self._pending:
                    return self._pending.popleft()
                remaining = deadline - loop.time()
                if remaining <= 0 or closing.done():
                    raise ApiError(408, "Request timeout")
                arrival = asyncio.ensure_future(self._next_change(seen))
                try:
                    await asyncio.wait({arrival, gone, closing}, timeout=remaining,
                                       return_when=asyncio.FIRST_COMPLETED)
                finally:
                    arrival.cancel()
        finally:
            self.active_polls -= 1
            gone.cancel()
            closing.cancel()

    async def _next_change(self, seen: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self._version != seen)

    async def _set_webhook(self, request: Request, body: dict[str, Any]) -> Any:
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")) or len(url) > 2048:
            raise ApiError(400, "Bad Request: url must be an http(s) URL")
        secret = body.get("secret_token")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise ApiError(400, "Bad Request: secret_token must be 8-256 characters")
        self._webhook = _Webhook(url, secret)
        self._webhook_updated_at = self._ms()
        return {"url": url, "updated_at": self._webhook_updated_at}

    async def _get_webhook_info(self, request: Request, body: dict[str, Any]) -> Any:
        return {"url": self.webhook_url or "", "updated_at": self._webhook_updated_at}

    async def _delete_webhook(self, request: Request, body: dict[str, Any]) -> Any:
        self._webhook = None
        self._webhook_updated_at = self._ms()
        return {"url": "", "updated_at": self._webhook_updated_at}

    def _chat_id(self, body: dict[str, Any]) -> str:
        chat_id = body.get("chat_id")
        if isinstance(chat_id, bool) or not isinstance(chat_id, str | int) or not str(chat_id).strip():
            raise ApiError(400, "Bad Request: chat_id is required")
        chat_id = str(chat_id)
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: the user cannot be reached by this bot")
        if self.known_users_only and chat_id not in self._known:
            raise ApiError(403, "Forbidden: the user has not written to this bot")
        return chat_id

    def _record(self, method: str, chat_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        self._check_rate(chat_id)
        message_id, date = self._new_id(), self._ms()
        now = self._monotonic()
        self._count_send(chat_id, now)
        self._sent.append({"method": method, "chat_id": chat_id, **fields, "message_id": message_id, "date": date,
                           "at": now})
        return {"message_id": message_id, "date": date}

    async def _send_message(self, request: Request, body: dict[str, Any]) -> Any:
        chat_id = self._chat_id(body)
        return self._record("sendMessage", chat_id, {"text": _text(body.get("text"), "text")})

    async def _send_photo(self, request: Request, body: dict[str, Any]) -> Any:
        chat_id = self._chat_id(body)
        photo = body.get("photo")
        if not isinstance(photo, str) or not photo.startswith(("https://", "http://")):
            raise ApiError(400, "Bad Request: photo must be an http(s) URL")
        fields: dict[str, Any] = {"photo": photo}
        if body.get("caption") is not None:
            fields["caption"] = _text(body["caption"], "caption")
        return self._record("sendPhoto", chat_id, fields)

    async def _send_sticker(self, request: Request, body: dict[str, Any]) -> Any:
        chat_id = self._chat_id(body)
        sticker = body.get("sticker")
        if not isinstance(sticker, str) or not sticker.strip():
            raise ApiError(400, "Bad Request: sticker is required")
        return self._record("sendSticker", chat_id, {"sticker": sticker})

    async def _send_chat_action(self, request: Request, body: dict[str, Any]) -> Any:
        chat_id = self._chat_id(body)
        action = body.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError(400, f"Bad Request: action must be one of {', '.join(CHAT_ACTIONS)}")
        self._actions.append({"chat_id": chat_id, "action": action, "at": self._monotonic()})
        return True


class ZaloUser:
    """A user of the bot: what they say goes to the bot; what the bot sent them is read in order, each message
    once (``next_message``), so a journey reads like the chat it plays."""

    def __init__(self, emu: ZaloEmulator, user_id: str, first_name: str) -> None:
        self.emu, self.id, self.first_name = emu, user_id, first_name
        self.read = 0

    async def says(self, text: str) -> dict[str, Any]:
        return await self.emu.user_says(self.id, text, self.first_name)

    def unread(self) -> list[dict[str, Any]]:
        return self.emu.sent(self.id)[self.read:]

    def skip(self) -> None:
        """Mark everything sent so far as read."""
        self.read = len(self.emu.sent(self.id))

    async def next_message(self, timeout: float = 10.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The next message the bot sent this user (waiting for it), and mark it read."""
        sent = await self.emu.wait_sent(self.id, self.read + 1, timeout)
        self.read += 1
        return sent[self.read - 1]

    async def next_text(self, timeout: float = 10.0) -> str:  # noqa: ASYNC109
        message = await self.next_message(timeout)
        return str(message.get("text") or message.get("caption") or "")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_TEXT:
        raise ApiError(400, f"Bad Request: {name} must be 1-{MAX_TEXT} characters")
    return value


def _number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: {name} must be a number of seconds") from None
    if isinstance(value, bool) or not math.isfinite(number) or number < 0:
        raise ApiError(400, f"Bad Request: {name} must be a number of seconds")
    return number


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Bad Request: the body is not JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Bad Request: the body must be a JSON object")
    return body


async def _disconnected(request: Request) -> None:
    """Returns when the client has gone away (or the answer was sent). Call only once the body is read."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def control_routes(emu: ZaloEmulator) -> list[Route]:
    """The test controls over HTTP, for a bot or a benchmark in another process (no token: tests only)."""
    from tests.zalo_emulator.control import routes

    return routes(emu)
