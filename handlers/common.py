"""What every handler needs: the runtime, the clock, who is speaking, and error answers."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import access
from bot.services.views import Actor
from bot.texts import error_text, t

Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Update, Context, Actor], Awaitable[Any]]


def runtime(context: Context) -> Runtime:
    return context.bot_data["rt"]


def now(context: Context) -> datetime:
    clock = context.bot_data.get("clock")
    return clock() if clock else datetime.now(UTC)


def stranger_lang(update: Update) -> str:
    user = update.effective_user
    return "en" if user and (user.language_code or "").startswith("en") else "vi"


async def send(update: Update, text: str, **kwargs: Any) -> None:
    """Answer in the chat the update came from."""
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(text, parse_mode=ParseMode.HTML, **kwargs)


async def show(update: Update, text: str, markup: Any = None, *, edit: bool = True) -> None:
    """Replace the pressed message (after a button) or send a new one (after typing, or when asked)."""
    if edit and update.callback_query is not None:
        await update.callback_query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    else:
        await send(update, text, reply_markup=markup)


async def refuse_stranger(update: Update) -> None:
    user = update.effective_user
    if update.callback_query:
        await update.callback_query.answer(t("start.stranger_short", stranger_lang(update)), show_alert=True)
        return
    if update.effective_chat and update.effective_chat.type == "private" and user:
        await send(update, t("start.stranger", stranger_lang(update), id=user.id))


def registered(handler: Handler) -> Callable[[Update, Context], Awaitable[Any]]:
    """Run `handler` for a registered person; strangers get the refusal, service errors a clear answer."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context) -> Any:
        user = update.effective_user
        actor = await access.identify(runtime(context), user.id) if user else None
        if actor is None:
            await refuse_stranger(update)
            return None
        try:
            return await handler(update, context, actor)
        except DomainError as error:
            text = error_text(error, actor.language)
            if update.callback_query:
                await update.callback_query.answer(text, show_alert=True)
            else:
                await send(update, text)
            return None

    return wrapper


def pending(context: Context) -> dict[str, Any] | None:
    return context.user_data.get("await") if context.user_data is not None else None


def expect(context: Context, kind: str, **data: Any) -> None:
    """Remember that this person's next message answers a question we asked."""
    if context.user_data is not None:
        context.user_data["await"] = {"kind": kind, **data}


def clear_pending(context: Context) -> None:
    if context.user_data is not None:
        context.user_data.pop("await", None)
