"""App wiring: the Telegram Application, its handlers, the outbox job, polling or webhook."""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

from bot.outbox import Dispatcher
from bot.runtime import Runtime
from bot.services.jobs import Scheduler
from bot.settings import Settings
from handlers.menu_commands import publish_commands
from handlers.notifier import make_sender
from handlers.registry import register

log = logging.getLogger(__name__)


class RedactSecrets(logging.Filter):
    """Logs never carry the bot token, even inside a URL an HTTP library prints."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(s in message for s in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, None
        return True


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact = RedactSecrets(settings.telegram_bot_token.get_secret_value(),
                           settings.webhook_secret_token.get_secret_value())
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


async def job_dispatch(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Triggered by the JobQueue; the database is the queue. Time-driven jobs due now run first (their
    runs are recorded in the database, so none is lost to downtime or run twice by replicas)."""
    app = context.application
    clock = app.bot_data.get("clock") or (lambda: datetime.now(UTC))
    scheduler: Scheduler = app.bot_data["scheduler"]
    try:
        await scheduler.run_due(clock())
    except Exception:  # noqa: BLE001 - a failing job must not stop reminders; it is retried next tick
        log.exception("a scheduled job failed; it will be retried")
    dispatcher: Dispatcher = app.bot_data["dispatcher"]
    while await dispatcher.run_once(clock()):  # until nothing is due: idle gaps between ticks cost rate
        pass


def build_application(
    settings: Settings,
    rt: Runtime,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    clock: Callable[[], datetime] | None = None,
    dispatch: bool = True,
) -> Application:
    base = settings.telegram_api_base_url.rstrip("/")
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=0))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    app = builder.build()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    app.bot_data.update(rt=rt, clock=clock, dispatcher=Dispatcher(rt, make_sender(app.bot, rt), worker),
                        scheduler=Scheduler(rt, worker))
    register(app)
    if dispatch and app.job_queue is not None:
        app.job_queue.run_repeating(job_dispatch, interval=settings.dispatch_interval_seconds, first=0.2,
                                    name="outbox", job_kwargs={"max_instances": 1, "coalesce": True})
    return app


async def _post_init(app: Application) -> None:
    rt: Runtime = app.bot_data["rt"]
    await rt.upgrade()
    await publish_commands(app.bot)


async def _post_shutdown(app: Application) -> None:
    """A graceful stop gives the dispatcher lease back, so the next process sends at once."""
    dispatcher: Dispatcher = app.bot_data["dispatcher"]
    await dispatcher.release()
    await app.bot_data["rt"].close()


def run(settings: Settings) -> None:
    """Polling by default; a webhook (checking Telegram's secret token) when WEBHOOK_URL is set."""
    configure_logging(settings)
    rt = Runtime.build(settings)
    app = build_application(settings, rt)
    if settings.webhook_url:
        # Telegram sends this secret in a header on every call; PTB refuses calls without it.
        secret = settings.webhook_secret_token.get_secret_value() or secrets.token_urlsafe(32)
        app.run_webhook(listen=settings.webhook_listen, port=settings.webhook_port, url_path="telegram",
                        webhook_url=settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
