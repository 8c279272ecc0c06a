"""The Zalo channel in the bot's process: its client, its outbox sender, and its updates — by long polling
(getUpdates), or, when ZALO_WEBHOOK_URL is set, by a webhook on the web app's server at that URL's path,
which refuses any call without the right `X-Bot-Api-Secret-Token`. Updates of one chat are handled in
order; different chats at once (up to MAX_IN_FLIGHT while polling)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response

from bot.outbox import BatchSender, RetryLater, Transient, Uncertain
from bot.ratelimit import SendLimiter
from bot.runtime import Runtime
from bot.settings import Settings
from zalo.bot import ZaloBot
from zalo.client import SendWindow, ZaloClient, ZaloError
from zalo.sender import make_sender

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Bot-Api-Secret-Token"
NO_NEWS = 408  # getUpdates' answer when nothing arrived within its timeout
MAX_UPDATE_BYTES = 1 << 20
ERROR_PAUSE_SECONDS = 2.0
MAX_CHAT_LOCKS = 10_000
MAX_IN_FLIGHT = 16


def webhook_secret(settings: Settings) -> str:
    """ZALO_WEBHOOK_SECRET, or one derived from the Zalo token (the same in every replica; 64 characters,
    within the platform's 8–256)."""
    configured = settings.zalo_webhook_secret.get_secret_value()
    if configured:
        return configured
    token = settings.zalo_bot_token.get_secret_value().strip()
    return hmac.new(token.encode(), b"dondoc zalo webhook secret", hashlib.sha256).hexdigest()


def webhook_path(settings: Settings) -> str:
    return urlsplit(settings.zalo_webhook_url).path or "/zalo"


class ZaloChannel:
    def __init__(self, rt: Runtime, settings: Settings, *, clock: Callable[[], datetime] | None = None,
                 client: ZaloClient | None = None) -> None:
        self.settings = settings
        self.client = client or ZaloClient(settings.zalo_api_base_url, settings.zalo_bot_token.get_secret_value().strip(),
                                           timeout=settings.zalo_request_timeout_seconds,
                                           window=SendWindow(settings.zalo_send_rate_per_second))
        self.bot = ZaloBot(rt, self.client, clock)
        self.limiter = SendLimiter(settings.zalo_send_rate_per_second,
                                   private_per_second=settings.zalo_private_per_second, margin=0.0)
        self.sender: BatchSender = make_sender(self.client, rt, self.limiter, **({"clock": clock} if clock else {}))
        self.secret = webhook_secret(settings) if settings.zalo_webhook_url else None
        self._locks: dict[str, asyncio.Lock] = {}
        self._poller: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._room = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def webhook(self) -> bool:
        return self.secret is not None

    async def start(self) -> None:
        """Webhook mode: tell the platform where to post; polling mode: drop any webhook, start polling."""
        self._stopping.clear()
        try:
            if self.secret is not None:
                await self.client.set_webhook(self.settings.zalo_webhook_url, self.secret)
                log.info("Zalo updates by webhook at %s", webhook_path(self.settings))
                return
            await self.client.delete_webhook()
        except (ZaloError, Transient, Uncertain, RetryLater) as error:
            log.warning("Zalo: could not set up the updates (%s); retrying while polling", error)
            if self.secret is not None:
                return
        self._poller = asyncio.create_task(self.poll(), name="zalo-poll")
        log.info("Zalo updates by long polling")

    async def stop(self) -> None:
        self._stopping.set()
        if self._poller is not None:
            self._poller.cancel()
            try:
                await self._poller
            except asyncio.CancelledError:
                pass
            self._poller = None
        if self._tasks:  # the answers being made are finished, not cut off
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.client.close()

    async def poll(self) -> None:
        """getUpdates until stopped; a failing platform is waited for, never given up on."""
        told = False
        while not self._stopping.is_set():
            try:
                updates = await self.client.get_updates(self.settings.zalo_poll_timeout_seconds)
                told = False
            except ZaloError as error:
                if error.code == NO_NEWS:
                    continue
                if not told:
                    log.warning("Zalo getUpdates refused: %s", error)
                    told = True
                await self._pause()
                continue
            except (Transient, Uncertain, RetryLater) as error:
                if not told:
                    log.warning("Zalo getUpdates failed: %s", error)
                    told = True
                await self._pause(error.seconds if isinstance(error, RetryLater) else ERROR_PAUSE_SECONDS)
                continue
            for update in updates:
                # Handled beside the next poll (a chat's updates still one after another, see `handle`): a slow
                # answer does not hold the others up. At most MAX_IN_FLIGHT at once.
                await self._room.acquire()
                task = asyncio.create_task(self._handle_then_release(update))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _handle_then_release(self, update: dict[str, Any]) -> None:
        try:
            await self.handle(update)
        finally:
            self._room.release()

    async def _pause(self, seconds: float = ERROR_PAUSE_SECONDS) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            pass

    async def handle(self, update: dict[str, Any]) -> None:
        """One update, after the earlier ones of its chat; a failure to answer is logged, never raised."""
        chat = str(((update.get("message") or {}).get("chat") or {}).get("id") or "") if isinstance(update, dict) else ""
        lock = self._locks.setdefault(chat, asyncio.Lock())
        if len(self._locks) > MAX_CHAT_LOCKS:
            for key in [k for k, v in self._locks.items() if not v.locked()][: MAX_CHAT_LOCKS // 2]:
                self._locks.pop(key, None)
        async with lock:
            try:
                await self.bot.handle(update)
            except (ZaloError, Transient, Uncertain, RetryLater) as error:
                log.warning("Zalo: could not answer an update: %s", error)

    def secret_ok(self, given: str | None) -> bool:
        if self.secret is None:
            return False
        return hmac.compare_digest((given or "").encode("utf-8", "replace"), self.secret.encode())


def add_webhook_route(web: Any, channel: ZaloChannel) -> None:
    """POST <the path of ZALO_WEBHOOK_URL> on the web app: 403 without the right secret header, 400 for a
    body that is not an update, else handled and 200."""
    async def zalo_webhook(request: Request) -> Response:
        if not channel.secret_ok(request.headers.get(SECRET_HEADER)):
            log.warning("refused a Zalo webhook call without the right secret token from %s",
                        request.client.host if request.client else "?")
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return Response(status_code=413)
        try:
            update = json.loads(body)
        except ValueError:
            return Response(status_code=400)
        if not isinstance(update, dict):
            return Response(status_code=400)
        await channel.handle(update)
        return Response(status_code=200)

    web.add_api_route(webhook_path(channel.settings), zalo_webhook, methods=["POST"], include_in_schema=False)
