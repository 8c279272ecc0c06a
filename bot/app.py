"""App wiring: the Telegram Application, its handlers, the outbox job, polling or webhook."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import os
import signal
import socket
from collections.abc import Callable
from datetime import datetime
from typing import cast

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import AIORateLimiter, ApplicationBuilder
from telegram.request import BaseRequest

from bot import health, heap
from bot.logging_setup import ErrorCounter, configure_logging
from bot.outbox import Dispatcher
from bot.ratelimit import SharedSendLimiter
from bot.runtime import Runtime
from bot.services import operations
from bot.services.jobs import Scheduler
from bot.settings import Settings
from handlers import scans
from handlers.context import CONTEXT_TYPES, App, Context
from handlers.menu_commands import publish_commands, publish_menu_button
from handlers.notifier import make_sender
from handlers.ordering import PerPersonOrder
from handlers.registry import register

log = logging.getLogger(__name__)


async def job_dispatch(context: Context) -> None:
    """Triggered by the JobQueue; the database is the queue. Time-driven jobs due now run first (their
    runs are recorded in the database, so none is lost to downtime or run twice by replicas)."""
    data = context.bot_data
    if data.dispatcher.stopping or data.dispatching:  # one pass at a time (the start's and the ticks')
        return
    data.dispatching = True
    try:
        try:
            await data.scheduler.run_due(data.now())
        except Exception:  # noqa: BLE001 - a failing job must not stop reminders; it is retried next tick
            log.exception("a scheduled job failed; it will be retried")
        while await data.dispatcher.run_once(data.now()):  # until nothing is due: idle gaps between ticks cost rate
            pass
    finally:
        data.dispatching = False


async def job_ops_check(context: Context) -> None:
    """Every few minutes: tell the operations chat about stuck, dead or uncertain reminders, a silent
    dispatcher or an error that keeps repeating (each announced once per OPS_ALERT_REPEAT_HOURS)."""
    data = context.bot_data
    rt, now = data.rt, data.now()
    report = await health.check(rt, now)
    found = [p for p in report.problems if p.kind != "database"]
    if data.errors is not None:
        found += [operations.repeated_error(*repeat) for repeat in data.errors.take(rt.settings.ops_error_repeats)]
    if not report.database:
        log.warning("operations check: %s", report.error)
        return
    if found:
        log.warning("operations check found: %s", ", ".join(p.kind for p in found))
        await operations.alert(rt, found, data.worker, now)


def build_application(
    settings: Settings,
    rt: Runtime,
    *,
    request: BaseRequest | None = None,
    updates_request: BaseRequest | None = None,
    clock: Callable[[], datetime] | None = None,
    dispatch: bool = True,
) -> App:
    base = settings.telegram_api_base_url.rstrip("/")
    builder = (
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(PerPersonOrder())
        .token(settings.require_token())
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        # The outbox paces bulk sends itself (bot.ratelimit); a reply to a person is never queued behind
        # them, and only Telegram's per-group limit applies to it.
        .rate_limiter(AIORateLimiter(overall_max_rate=0, max_retries=0))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    app = cast(App, builder.build())  # the builder's generic types lose the context types set above
    worker = f"{socket.gethostname()}:{os.getpid()}"
    data = app.bot_data
    data.rt, data.clock, data.worker = rt, clock, worker
    # One budget for every replica on this database (bot.ratelimit.SharedSendLimiter).
    limiter = SharedSendLimiter(rt.engine, "telegram", settings.send_rate_per_second)
    telegram = make_sender(app.bot, rt, limiter)
    if settings.zalo_enabled:
        from zalo.runner import ZaloChannel

        data.zalo = ZaloChannel(rt, settings, clock=clock)
        data.dispatcher = Dispatcher(rt, {"telegram": telegram, "zalo": data.zalo.sender}, worker, limiter,
                                     limiters={"telegram": limiter, "zalo": data.zalo.limiter}, clock=data.now)
    else:
        data.dispatcher = Dispatcher(rt, telegram, worker, limiter, clock=data.now)
    data.scheduler = Scheduler(rt, worker)
    register(app)
    if dispatch and app.job_queue is not None:
        app.job_queue.run_repeating(job_ops_check, interval=settings.ops_check_interval_seconds,
                                    first=settings.ops_check_interval_seconds, name="ops",
                                    job_kwargs={"max_instances": 1, "coalesce": True})
        app.job_queue.run_repeating(job_dispatch, interval=settings.dispatch_interval_seconds, first=0.2,
                                    name="outbox", job_kwargs={"max_instances": 1, "coalesce": True})
        # A repeating job's first run falls due while the app is still starting (publishing its commands) and
        # is then skipped for the next interval: this one runs as soon as the job queue starts, however late.
        app.job_queue.run_once(job_dispatch, when=0, name="outbox-start", job_kwargs={"misfire_grace_time": None})
    return app


async def _post_init(app: App) -> None:
    await app.bot_data.rt.upgrade()
    await publish_commands(app.bot)
    await publish_menu_button(app.bot, app.bot_data.rt.settings)
    if app.job_queue is not None and app.job_queue.get_jobs_by_name("outbox"):
        app.bot_data.dispatcher.start()  # the heartbeat that keeps this process's short leases alive
    if app.bot_data.zalo is not None:
        await app.bot_data.zalo.start()
    heap.settle()  # last: what start-up built is now built


async def _post_init_polling(app: App) -> None:
    """As `_post_init`, and SIGTERM or SIGINT stop the dispatcher's claiming at once, before PTB stops the
    updater and waits for the running jobs (replacing PTB's handlers, which only stop the event loop)."""
    await _post_init(app)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGABRT):
        loop.add_signal_handler(signum, _stop_polling, app)
    app.bot_data.watcher = loop.create_task(_watch_polling(app), name="polling-watcher")


def _stop_polling(app: App) -> None:
    begin_stop(app)
    app.stop_running()


async def _watch_polling(app: App) -> None:
    """PTB ends its polling loop when Telegram refuses the token (401) but leaves the application running,
    and re-raises the error from the updater's stop, skipping the application's own stop and shutdown
    (tasks left pending, «Event loop is closed»). Stop the updater here, keep the error for `run` (exit 2),
    then stop the rest in order."""
    while True:
        await asyncio.sleep(1)
        polling = getattr(app.updater, "_Updater__polling_task", None)
        if polling is None or not polling.done() or app.updater is None or not app.updater.running:
            continue
        try:
            await app.updater.stop()
        except InvalidToken as refused:
            app.bot_data.token_refused = refused
        except Exception:  # noqa: BLE001 - polling ended on another error: stop all the same, say why
            log.exception("polling for updates stopped")
        _stop_polling(app)
        return


def begin_stop(app: App) -> None:
    """The first step of a graceful stop, as soon as the signal arrives: claim no more reminders; the pass
    under way sends the message in flight and gives the rest back."""
    log.info("stopping: the dispatcher claims nothing more")
    app.bot_data.dispatcher.stop()


async def _post_shutdown(app: App) -> None:
    """A graceful stop gives the rows still held and the dispatcher lease back, so the next process sends
    at once."""
    watcher = app.bot_data.watcher
    if watcher is not None and not watcher.done():
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    try:
        await scans.stop()
        if app.bot_data.zalo is not None:
            await app.bot_data.zalo.stop()
        await app.bot_data.dispatcher.release()
    finally:
        await app.bot_data.rt.close()


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET_TOKEN, or one derived from the bot token: as secret as the token, and the same in
    every replica (a random one per process would make each replica's setWebhook refuse the others')."""
    configured = settings.webhook_secret_token.get_secret_value()
    if configured:
        return configured
    return hmac.new(settings.require_token().encode(), b"dondoc webhook secret", hashlib.sha256).hexdigest()


def run(settings: Settings) -> None:
    """Polling by default; a webhook (checking Telegram's secret token) when WEBHOOK_URL is set; the web app
    beside either when WEB_PORT is set (then its server carries the webhook too)."""
    redact = configure_logging(settings)
    if settings.zalo_enabled and settings.zalo_webhook_url:
        from zalo.runner import webhook_secret as zalo_secret

        redact.add(zalo_secret(settings))
        if not settings.web_port:
            raise SystemExit("ZALO_WEBHOOK_URL needs WEB_PORT: the Zalo webhook is served by the web app's server")
    errors = ErrorCounter(redact)
    logging.getLogger().addHandler(errors)
    rt = Runtime.build(settings)
    app = build_application(settings, rt)
    app.bot_data.errors = errors
    if settings.web_port:
        from web.serve import serve as serve_with_web

        secret = None
        if settings.webhook_url:
            secret = webhook_secret(settings)
            redact.add(secret)
        asyncio.run(serve_with_web(app, settings, secret, post_init=_post_init, post_shutdown=_post_shutdown))
    elif settings.webhook_url:
        from bot.webhook import serve

        secret = webhook_secret(settings)
        redact.add(secret)  # before anything (PTB's DEBUG line for setWebhook) can print it
        asyncio.run(serve(app, settings, secret, post_init=_post_init, post_shutdown=_post_shutdown))
    else:
        app.post_init = _post_init_polling
        app.run_polling(allowed_updates=Update.ALL_TYPES)
        if app.bot_data.token_refused is not None:
            raise app.bot_data.token_refused
