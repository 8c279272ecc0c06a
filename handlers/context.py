"""The typed context every handler and job gets (as python-telegram-bot's contexttypesbot example shows):
`context.bot_data` is a `BotData`, not an untyped dict."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.logging_setup import ErrorCounter
from bot.outbox import Dispatcher
from bot.runtime import Runtime
from bot.services.jobs import Scheduler


class BotData:
    """What the application's handlers and jobs share; set once when the application is built."""

    rt: Runtime
    worker: str
    dispatcher: Dispatcher
    scheduler: Scheduler
    clock: Callable[[], datetime] | None = None  # tests move time; None is the real clock
    errors: ErrorCounter | None = None  # repeated errors, for the operations alert
    zalo: Any = None  # the Zalo channel (zalo.runner.ZaloChannel) when ZALO_BOT_TOKEN is set
    dispatching = False  # a dispatch job is running (the start's and the repeating one never overlap)
    watcher: asyncio.Task[None] | None = None  # polling mode: stops the app when Telegram refuses the token
    token_refused: BaseException | None = None  # Telegram refused the token mid-run: `run` exits 2

    def now(self) -> datetime:
        return self.clock() if self.clock is not None else datetime.now(UTC)


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
App = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Context]]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
