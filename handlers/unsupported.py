"""Messages the bot cannot read (voice, video notes, stickers, locations, contacts, dice, …) in a private
chat: a short answer saying what to send instead, or, while the bot waits for a typed answer, what it is
still waiting for. Never silence: a person who gets no answer thinks the bot is broken."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import filters

from bot.services.views import Actor
from bot.texts import h
from handlers.common import Context, registered, send, waiting

UNREADABLE = (filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE | filters.VIDEO | filters.Sticker.ALL | filters.LOCATION
              | filters.VENUE | filters.CONTACT | filters.Dice.ALL | filters.ANIMATION | filters.POLL | filters.GAME)
# What each question the bot asks waits for (handlers/actions.py, handlers/assign.py, handlers/lists.py).
WAITING = {"act:prog": "progress", "act:done": "done", "act:ext": "extension_date", "act:ext_reason": "extension_reason",
           "act:back": "send_back", "act:canc": "cancel", "act:reop": "reopen", "act:extr": "refusal", "pick": "unit",
           "deadline": "deadline", "content": "content", "source": "source", "search": "search"}


def kind_of(message: Message) -> str:
    """Which kind of unreadable message this is, for its answer."""
    if message.voice or message.audio or message.video_note:
        return "voice"
    if message.video:
        return "video"
    if message.location or message.venue:
        return "location"
    if message.contact:
        return "contact"
    return "sticker"  # stickers, dice, animations, polls, games: nothing to read


@registered
async def msg_unsupported(update: Update, context: Context, actor: Actor) -> None:
    message = update.effective_message
    if message is None:
        return
    flow = await waiting(update, context, actor)
    if flow is not None and flow.kind in WAITING:
        await send(update, h(f"unsupported.waiting.{WAITING[flow.kind]}", actor.language, code=flow.code or ""))
        return
    await send(update, h(f"unsupported.{kind_of(message)}", actor.language))
