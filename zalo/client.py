"""A small client of the Zalo Bot API: every method a POST of JSON to `{base}/bot{TOKEN}/{method}`, every
answer `{"ok": true, "result": …}` or `{"ok": false, "error_code": N, "description": "…"}`.

Trouble comes out as the outbox's outcomes (bot/outbox.py), so the sender needs no mapping of its own:
429 → RetryLater, a server error or a request that never left → Transient, a time-out after the request left
→ Uncertain (Zalo may have delivered it). Any other refusal is a ZaloError with the platform's code. The
token is in the URL only: never in a message or a log line (httpx's own request lines are logged at DEBUG,
and the logging set-up masks the token anyway)."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from typing import Any

import httpx

from bot.outbox import RetryLater, Transient, Uncertain

DEFAULT_RETRY_SECONDS = 1.0
# Time-outs before the request left this machine: nothing reached Zalo, so it may simply be sent again.
NOTHING_SENT = (httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ConnectError)


class ZaloError(Exception):
    """The platform refused a call (`{"ok": false}`) for a reason other than its rate or its health."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description


class SendWindow:
    """At most `per_second` sends in any rolling window, as the platform counts them: when they arrive. A send
    may arrive any time between its request and its answer, so a send starts only while the sends answered
    within the last window plus those still in flight leave it room; every send of the process (notices and
    replies alike) goes through it. A send is then delayed by about one answer's latency against even
    spacing, rather than booked a whole message a second below the rate."""

    def __init__(self, per_second: float) -> None:
        self.capacity = max(1, math.floor(per_second))
        self.window = self.capacity / per_second
        self._answered: deque[float] = deque()
        self._in_flight = 0
        self._changed = asyncio.Condition()

    def _room(self, now: float) -> float:
        """0 when a send may start now, else how long until one answered leaves the window."""
        while self._answered and self._answered[0] <= now - self.window:
            self._answered.popleft()
        if len(self._answered) + self._in_flight < self.capacity:
            return 0.0
        if not self._answered:
            return math.inf  # all in flight: wait for an answer
        return self._answered[0] + self.window - now

    async def start(self) -> None:
        async with self._changed:
            while (wait := self._room(time.monotonic())) > 0:
                try:
                    await asyncio.wait_for(self._changed.wait(), None if math.isinf(wait) else wait)
                except TimeoutError:
                    pass
            self._in_flight += 1

    async def end(self) -> None:
        async with self._changed:
            self._in_flight -= 1
            self._answered.append(time.monotonic())
            self._changed.notify_all()


class ZaloClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 15.0,
                 http: httpx.AsyncClient | None = None, window: SendWindow | None = None) -> None:
        self.window = window
        self._base = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._http = http or httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))
        self._own_http = http is None

    def __repr__(self) -> str:  # the token never shows, even in a traceback's locals
        return f"ZaloClient({self._base!r})"

    async def close(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def call(self, method: str, params: dict[str, Any] | None = None, *, wait: float | None = None) -> Any:
        url = f"{self._base}/bot{self._token}/{method}"
        try:
            response = await self._http.post(url, json=params or {},
                                             timeout=wait if wait is not None else httpx.USE_CLIENT_DEFAULT)
        except NOTHING_SENT as error:
            raise Transient(f"{method}: not sent ({type(error).__name__})") from None
        except httpx.TimeoutException as error:
            raise Uncertain(f"{method}: no answer in time ({type(error).__name__})") from None
        except httpx.HTTPError as error:  # the connection broke: whether it arrived is unknown
            raise Uncertain(f"{method}: {type(error).__name__}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            if response.status_code == 429:
                raise RetryLater(_retry_after(response, None))
            if response.status_code >= 500:
                raise Transient(f"{method}: HTTP {response.status_code}")
            raise ZaloError(response.status_code, f"HTTP {response.status_code}")
        if body.get("ok") is True:
            return body.get("result")
        code = _int(body.get("error_code"), response.status_code)
        description = str(body.get("description") or "")[:200]
        if code == 429 or response.status_code == 429:
            raise RetryLater(_retry_after(response, body))
        if code >= 500 or response.status_code >= 500:
            raise Transient(f"{method}: {code} {description}")
        raise ZaloError(code, description)

    # The methods of the reference, as the bot uses them.
    async def get_me(self) -> dict[str, Any]:
        return await self.call("getMe")

    async def get_updates(self, seconds: int) -> list[dict[str, Any]]:
        """Long polling: waits up to `seconds` for updates (refused while a webhook is set)."""
        result = await self.call("getUpdates", {"timeout": seconds}, wait=seconds + self._timeout)
        if isinstance(result, dict):  # one update, as the reference's example shows it
            return [result]
        return list(result or [])

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> Any:
        return await self.call("getWebhookInfo")

    async def send_message(self, chat_id: str, text: str) -> Any:
        return await self._send("sendMessage", {"chat_id": chat_id, "text": text})

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> Any:
        return await self._send("sendPhoto", {"chat_id": chat_id, "photo": photo_url, "caption": caption})

    async def _send(self, method: str, params: dict[str, Any]) -> Any:
        """A message: within the send window when there is one."""
        if self.window is None:
            return await self.call(method, params)
        await self.window.start()
        try:
            return await self.call(method, params)
        finally:
            await self.window.end()

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> Any:
        return await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _retry_after(response: httpx.Response, body: dict[str, Any] | None) -> float:
    """How long the platform asks us to wait: `parameters.retry_after` (Telegram's shape), else the
    Retry-After header, else a second."""
    params = (body or {}).get("parameters")
    if isinstance(params, dict) and params.get("retry_after") is not None:
        return float(_int(params.get("retry_after"), 1))
    header = response.headers.get("retry-after")
    if header:
        try:
            return max(float(header), 0.0)
        except ValueError:
            pass
    return DEFAULT_RETRY_SECONDS
