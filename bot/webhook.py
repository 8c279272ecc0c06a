"""Webhook mode: our own web server in front of the Application, as PTB's custom-webhook examples do,
so that it can serve GET /healthz beside POST /telegram. It is tornado, the server PTB's own
`run_webhook` uses (a dependency of PTB's webhooks extra already).

POST /telegram takes an update only with Telegram's secret-token header (compared in constant time),
puts it on the Application's update queue and answers 200; anything else is refused.
GET /healthz answers the same report as `python -m bot status --json`: 200 when healthy, 503 when not.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import Awaitable, Callable

from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot import health
from bot.settings import Settings
from handlers.context import App

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram"
HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1 << 20


class TelegramUpdates(RequestHandler):
    def initialize(self, app: App, secret: str) -> None:
        self.app = app
        self.secret = secret.encode()

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self.secret):
            log.warning("refused a webhook call without the right secret token from %s", self.request.remote_ip)
            self.set_status(403)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.app.bot)
        except (ValueError, TypeError, KeyError) as error:
            log.warning("refused a malformed webhook call: %s", error)
            self.set_status(400)
            return
        await self.app.update_queue.put(update)
        self.set_status(200)

    def log_exception(self, *args) -> None:
        log.error("webhook request failed", exc_info=args if len(args) == 3 else None)


class Healthz(RequestHandler):
    def initialize(self, app: App) -> None:
        self.app = app

    async def get(self) -> None:
        report = await health.check(self.app.bot_data.rt, self.app.bot_data.now())
        self.set_status(200 if report.healthy else 503)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(report.as_json(), ensure_ascii=False))


def web_application(app: App, secret: str) -> WebApplication:
    return WebApplication(
        [(WEBHOOK_PATH, TelegramUpdates, {"app": app, "secret": secret}), (HEALTH_PATH, Healthz, {"app": app})],
        log_function=lambda handler: None,  # no access log: one line per update is noise
    )


async def serve(
    app: App,
    settings: Settings,
    secret: str,
    *,
    post_init: Callable[[App], Awaitable[None]],
    post_shutdown: Callable[[App], Awaitable[None]],
) -> None:
    """Start the Application, register the webhook with Telegram, serve until SIGTERM or SIGINT, stop."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    server = HTTPServer(web_application(app, secret), xheaders=True, max_body_size=MAX_BODY_BYTES)
    try:
        async with app:
            await post_init(app)
            server.listen(settings.webhook_port, address=settings.webhook_listen)
            await app.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                      allowed_updates=Update.ALL_TYPES)
            await app.start()
            log.info("webhook mode: listening on %s:%s%s for %s", settings.webhook_listen, settings.webhook_port,
                     WEBHOOK_PATH, settings.webhook_url)
            await stop.wait()
            log.info("stopping")
            app.bot_data.dispatcher.stop()  # claim no more reminders; the pass under way gives the rest back
            server.stop()
            await server.close_all_connections()
            await app.stop()
    finally:
        await post_shutdown(app)
