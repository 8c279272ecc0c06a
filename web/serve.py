"""The web app served in the bot's process (WEB_PORT set), as python-telegram-bot's custom-webhook example
does with an ASGI server: one uvicorn server on WEB_HOST:WEB_PORT, the Application started beside it on
the same event loop. In polling mode the Application polls; in webhook mode the same server also carries
POST /telegram (Telegram's secret-token header checked in constant time) and the Zalo webhook later.
GET /healthz answers in both modes. SIGTERM or SIGINT stops the server, then the Application.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from telegram import Update

from bot import health
from bot.settings import Settings
from handlers.context import App
from web.app import create_app

log = logging.getLogger(__name__)
WEBHOOK_PATH, HEALTH_PATH = "/telegram", "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1 << 20


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: this process stops the server and the Application in order
    (uvicorn's would re-raise the signal once the server stops, before the Application had stopped)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    def install_signal_handlers(self) -> None:
        return None


def add_bot_routes(web: FastAPI, app: App, secret: str | None) -> None:
    """/healthz always; /telegram when the updates come by webhook (`secret` given)."""

    @web.get(HEALTH_PATH, include_in_schema=False)
    async def healthz() -> Response:
        report = await health.check(app.bot_data.rt, app.bot_data.now())
        return JSONResponse(report.as_json(), status_code=200 if report.healthy else 503,
                            headers={"Cache-Control": "no-store"})

    if secret is None:
        return
    expected = secret.encode()

    @web.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            log.warning("refused a webhook call without the right secret token from %s",
                        request.client.host if request.client else "?")
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return Response(status_code=413)
        try:
            update = Update.de_json(json.loads(body), app.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("refused a malformed webhook call: %s", error)
            return Response(status_code=400)
        await app.update_queue.put(update)
        return Response(status_code=200)


def web_server(app: App, settings: Settings, secret: str | None) -> uvicorn.Server:
    web = create_app(app.bot_data.rt, bot=app.bot, clock=app.bot_data.now)
    add_bot_routes(web, app, secret)
    zalo = app.bot_data.zalo
    if zalo is not None and zalo.webhook:
        from zalo.runner import add_webhook_route

        add_webhook_route(web, zalo)
    config = uvicorn.Config(web, host=settings.web_host, port=settings.web_port or 8080, lifespan="off",
                            proxy_headers=True, forwarded_allow_ips="127.0.0.1", access_log=False,
                            log_level="warning", server_header=False)
    return _Server(config)


async def serve(
    app: App,
    settings: Settings,
    secret: str | None,
    *,
    post_init: Callable[[App], Awaitable[None]],
    post_shutdown: Callable[[App], Awaitable[None]],
) -> None:
    """Start the Application (polling, or the webhook when `secret` is given) and the web server; serve
    until SIGTERM or SIGINT; stop both."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    server = web_server(app, settings, secret)
    try:
        async with app:
            await post_init(app)
            serving = asyncio.create_task(server.serve())
            if secret is None:
                assert app.updater is not None
                await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            else:
                await app.bot.set_webhook(settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
            await app.start()
            log.info("web app on %s:%s (%s), updates by %s", settings.web_host, settings.web_port, settings.web_url,
                     "webhook" if secret else "polling")
            stopped = asyncio.create_task(stop.wait())
            await asyncio.wait({serving, stopped}, return_when=asyncio.FIRST_COMPLETED)
            log.info("stopping")
            app.bot_data.dispatcher.stop()  # claim no more reminders; the pass under way gives the rest back
            server.should_exit = True
            await serving
            if secret is None and app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
    finally:
        await post_shutdown(app)
