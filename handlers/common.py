"""What every handler needs: the runtime, the clock, who is speaking, what we asked them, error answers."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from html import escape
from typing import Any

from telegram import ForceReply, Update
from telegram.constants import MessageLimit, ParseMode

from bot.domain.text import has_control_characters
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import access, conversation
from bot.services.conversation import Pending
from bot.services.views import Actor
from bot.texts import error_html, error_text, h, t
from handlers.context import Context

Handler = Callable[[Update, Context, Actor], Awaitable[Any]]
Callback = Callable[[Update, Context], Coroutine[Any, Any, Any]]


def runtime(context: Context) -> Runtime:
    return context.bot_data.rt


def now(context: Context) -> datetime:
    return context.bot_data.now()


def stranger_lang(update: Update) -> str:
    user = update.effective_user
    return "en" if user and (user.language_code or "").startswith("en") else "vi"


def chat_id(update: Update) -> int:
    chat = update.effective_chat
    return chat.id if chat is not None else 0


async def send(update: Update, text: str, **kwargs: Any) -> None:
    """Answer in the chat the update came from; `text` is Telegram HTML (see bot.texts.h)."""
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(text, parse_mode=ParseMode.HTML, **kwargs)


async def ask(update: Update, actor: Actor, text: str) -> None:
    """A question whose answer is typed. In a group the bot is told only of messages that reply to it
    (Telegram's privacy mode, on by default), so the question names the person and opens a reply to
    itself on their phone alone."""
    chat = update.effective_chat
    if chat is None or chat.type == "private":
        await send(update, text)
        return
    mention = f'<a href="tg://user?id={actor.telegram_id}">{escape(actor.full_name)}</a>'
    await send(update, f"{mention}: {text}", reply_markup=ForceReply(selective=True))


def split_message(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Telegram's 4,096-character messages, cut between lines (each line of ours is balanced HTML); a
    single longer line is cut too."""
    chunks: list[str] = []
    for line in text.split("\n"):
        while len(line) > limit:
            cut = _safe_cut(line, limit)
            chunks.append(line[:cut])
            line = line[cut:]
        if chunks and len(chunks[-1]) + 1 + len(line) <= limit:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return chunks


def _safe_cut(line: str, limit: int) -> int:
    """Where to cut a line longer than a message: never inside an entity ("&amp;") or a tag."""
    cut = limit
    for opener, closer in (("&", ";"), ("<", ">")):
        start = line.rfind(opener, 0, cut)
        if start > 0 and line.find(closer, start, cut) == -1:
            cut = start
    return cut


async def send_long(update: Update, text: str, **kwargs: Any) -> None:
    """Answer with as many messages as the text needs; buttons go with the last one."""
    parts = split_message(text)
    for number, part in enumerate(parts, 1):
        await send(update, part, **(kwargs if number == len(parts) else {}))


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
        await send(update, h("start.stranger", stranger_lang(update), id=user.id))


def _typed(update: Update) -> str:
    message = update.effective_message
    if message is None or update.callback_query is not None:
        return ""
    return (message.text or "") + (message.caption or "")


def registered(handler: Handler) -> Callback:
    """Run `handler` for a registered person; strangers get the refusal, service errors a clear answer,
    and text with control characters is refused before anything reads it."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context) -> Any:
        user = update.effective_user
        actor = await access.identify(runtime(context), user.id) if user else None
        if actor is None:
            await refuse_stranger(update)
            return None
        try:
            if has_control_characters(_typed(update)):
                raise DomainError("text.control_characters")
            return await handler(update, context, actor)
        except DomainError as error:
            if update.callback_query:
                await update.callback_query.answer(error_text(error, actor.language)[:200], show_alert=True)
            else:
                await send(update, error_html(error, actor.language))
            return None

    return wrapper


async def waiting(update: Update, context: Context, actor: Actor) -> Pending | None:
    """What we asked this person in this chat and are still waiting for."""
    return await conversation.pending(runtime(context), actor.id, chat_id(update), now=now(context))


async def expect(update: Update, context: Context, actor: Actor, kind: str, *, code: str | None = None,
                 version: int | None = None, ttl: timedelta = conversation.TTL, **data: Any) -> None:
    """Remember (in the database) that this person's next message here answers `kind`."""
    await conversation.ask(runtime(context), actor.id, chat_id(update), kind, now=now(context), code=code,
                           version=version, data=data, ttl=ttl)


async def forget(update: Update, context: Context, actor: Actor) -> bool:
    return await conversation.clear(runtime(context), actor.id, chat_id(update), now=now(context))
