"""What every handler needs: the runtime, the clock, who is speaking, what we asked them, error answers."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from datetime import datetime, timedelta
from html import escape
from typing import Any

from telegram import CallbackQuery, ForceReply, Message, Update
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, TelegramError

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
ALERT_CHARS = 200  # Telegram's limit on a callback answer's text

log = logging.getLogger(__name__)
# The press being handled in this task, and whether it has been answered: Telegram takes one answer per press
# and refuses a second («query is too old»), so every answer goes through `answer` and `registered` answers
# whatever the handler left unanswered.
_press: ContextVar[_Press | None] = ContextVar("press", default=None)


class _Press:
    __slots__ = ("answered", "query")

    def __init__(self, query: CallbackQuery) -> None:
        self.query = query
        self.answered = False


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


async def send(update: Update, text: str, **kwargs: Any) -> Message | None:
    """Answer in the chat the update came from; `text` is Telegram HTML (see bot.texts.h). The message sent."""
    chat = update.effective_chat
    if chat is not None:
        return await chat.send_message(text, parse_mode=ParseMode.HTML, **kwargs)
    return None


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


async def show(update: Update, text: str, markup: Any = None, *, edit: bool = True) -> Message | None:
    """Replace the pressed message (after a button) or send a new one (after typing, or when asked). The same
    button pressed twice leaves the message as it is; a message Telegram no longer lets us edit (too old, or
    gone) is answered with a new one."""
    if edit and update.callback_query is not None and update.callback_query.message is not None:
        try:
            await update.callback_query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
            return None
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return None
            log.info("could not edit the pressed message (%s): sending a new one", error.message)
    return await send(update, text, reply_markup=markup)


async def drop_buttons(update: Update) -> None:
    """Take the buttons off the pressed message (a question answered); gone already, or the message too old to
    edit, is no error."""
    if update.callback_query is None or update.callback_query.message is None:
        return
    try:
        await update.callback_query.edit_message_reply_markup(None)
    except BadRequest as error:
        log.info("could not take the buttons off the pressed message: %s", error.message)


async def answer(update: Update, text: str | None = None, *, alert: bool = False) -> bool:
    """Answer the pressed button, once: False (and nothing sent) when it was answered already, or when this is
    not a press."""
    query = update.callback_query
    if query is None:
        return False
    press = _press.get()
    if press is not None and press.query is query:
        if press.answered:
            return False
        press.answered = True
    try:
        await query.answer(text[:ALERT_CHARS] if text else None, show_alert=alert)
    except BadRequest as error:
        # Too late (the handler took longer than Telegram waits): the work is done, only the spinner is lost.
        log.info("could not answer a button press: %s", error.message)
    return True


async def refuse_stranger(update: Update) -> None:
    user = update.effective_user
    if update.callback_query:
        await answer(update, t("start.stranger_short", stranger_lang(update)), alert=True)
        return
    if update.effective_chat and update.effective_chat.type == "private" and user:
        await send(update, h("start.stranger", stranger_lang(update), id=user.id))


def _typed(update: Update) -> str:
    """What was typed in a new message (an edit is checked where it is read again, if it is)."""
    message = update.message
    if message is None:
        return ""
    return (message.text or "") + (message.caption or "")


def registered(handler: Handler) -> Callback:
    """Run `handler` for a registered person: the one error path of every handler. Strangers get the refusal;
    text with control characters is refused before anything reads it; a service's refusal is answered once,
    in the person's language (as the press's alert, or as a message when the press was answered already);
    and a press is answered exactly once whatever happens, an unhandled error included (it then goes on to
    the application's error handler, which logs it and apologises)."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context) -> Any:
        press = _Press(update.callback_query) if update.callback_query is not None else None
        token = _press.set(press)
        try:
            user = update.effective_user
            actor = await access.identify(runtime(context), user.id) if user else None
            if actor is None:
                if update.edited_message is None:  # a stranger was refused on the message, not on its edits
                    await refuse_stranger(update)
                return None
            try:
                if has_control_characters(_typed(update)):
                    raise DomainError("text.control_characters")
                return await handler(update, context, actor)
            except DomainError as error:
                if not await answer(update, error_text(error, actor.language), alert=True):
                    await send(update, error_html(error, actor.language))
                return None
        finally:
            if press is not None and not press.answered:
                try:
                    await answer(update)
                except TelegramError:  # the network failing here must not hide the error being raised
                    log.warning("could not answer a button press", exc_info=True)
            _press.reset(token)

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
