"""The real handlers in process, on a real database, with the offline Bot API: a person types, presses
and sends files; the test reads what the bot answered. Every HTML text the bot sends is checked as
strictly as Telegram does, and a generic apology (an unhandled error) fails the test."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import unescape
from typing import Any

from telegram.ext import Application

from bot.app import build_application
from bot.runtime import Runtime
from bot.texts import t
from tests.conftest import NOW
from tests.integration.offline import OfflineRequest, file_update, other_update, press_update, text_update

APOLOGY = t("error.generic", "vi")


def plain(text: str) -> str:
    """What the reader sees of an HTML message: no tags, entities decoded."""
    return unescape(re.sub(r"<[^<>]*>", "", text))


class ChatBot:
    def __init__(self, rt: Runtime, clock: Callable[[], datetime] = lambda: NOW) -> None:
        self.rt = rt
        self.clock = clock
        self.request = OfflineRequest()
        self.app: Application | None = None
        self.said = 0  # the id of the last message `say` sent
        self.said_by: dict[int, list[int]] = {}  # every message id each person sent, for edits

    async def start(self) -> ChatBot:
        self.app = build_application(self.rt.settings, self.rt, request=self.request, clock=self.clock, dispatch=False)
        await self.app.initialize()
        return self

    async def restart(self) -> None:
        """A new process: nothing of the old one's memory survives, only the database."""
        await self.stop()
        await self.start()

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.shutdown()
            self.app = None

    @property
    def bot(self) -> Any:
        assert self.app is not None
        return self.app.bot

    async def say(self, user_id: int, text: str, chat_id: int | None = None,
                  reply_to: dict[str, Any] | None = None) -> str:
        """Type `text`; with `reply_to` (a message the bot sent, as `messages` lists it), as a reply to it."""
        assert self.app is not None
        update = text_update(self.bot, user_id, text, chat_id, reply_to=reply_to)
        self.said = update.message.message_id  # for `edit`
        self.said_by.setdefault(user_id, []).append(self.said)
        await self.app.process_update(update)
        return plain(self.request.last_text(chat_id or user_id))

    async def edit(self, user_id: int, message_id: int, text: str, chat_id: int | None = None) -> str:
        """The person edits a message they sent (`said` after `say`) to read `text`."""
        assert self.app is not None
        await self.app.process_update(text_update(self.bot, user_id, text, chat_id, edit_of=message_id))
        return plain(self.request.last_text(chat_id or user_id))

    async def press(self, user_id: int, data: str, chat_id: int | None = None,
                    markup: dict[str, Any] | None = None, text: str = "card") -> str:
        """A button press (`markup`, `text`: the pressed message's); Telegram wants every press answered exactly
        once (the offline Bot API refuses a second answer as Telegram does), and a press never answered leaves
        the button spinning."""
        assert self.app is not None
        update = press_update(self.bot, user_id, data, chat_id, markup=markup, text=text)
        await self.app.process_update(update)
        if not self.request.answered.get(update.callback_query.id):
            self.request.answer_problems.append(f"press {data!r} was never answered")
        return plain(self.request.last_text(chat_id or user_id))

    async def send_file(self, user_id: int, name: str = "bao-cao.pdf", **kwargs: Any) -> str:
        assert self.app is not None
        await self.app.process_update(file_update(self.bot, user_id, name, **kwargs))
        return plain(self.request.last_text(kwargs.get("chat_id") or user_id))

    async def send_other(self, user_id: int, kind: str, chat_id: int | None = None) -> None:
        """Anything else Telegram delivers (offline.OTHER_UPDATES): a sticker, a location, the bot blocked…"""
        assert self.app is not None
        update = other_update(self.bot, user_id, kind, chat_id)
        await self.app.process_update(update)
        if update.callback_query is not None and not self.request.answered.get(update.callback_query.id):
            self.request.answer_problems.append(f"a {kind} was never answered")

    def button(self, chat_id: int, label: str) -> str:
        """The callback data of the newest button to this chat whose label holds `label`."""
        for params in reversed(self.messages(chat_id)):
            for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
                for b in row:
                    if label in b["text"]:
                        return b["callback_data"]
        raise AssertionError(f"no button {label!r} for {chat_id}")

    def button_in(self, chat_id: int, label: str, containing: str) -> str:
        """The button `label` on the newest message to this chat whose text holds `containing`."""
        for params in reversed(self.messages(chat_id)):
            if containing in plain(params.get("text", "")):
                for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
                    for b in row:
                        if label in b["text"]:
                            return b["callback_data"]
        raise AssertionError(f"no button {label!r} on a message with {containing!r} for {chat_id}")

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        return [p for n, p in self.request.calls if n in ("sendMessage", "editMessageText")
                and int(p.get("chat_id", 0)) == chat_id]

    def texts(self, chat_id: int) -> list[str]:
        return [plain(p["text"]) for p in self.messages(chat_id)]

    def alert(self) -> str:
        return self.request.alerts()[-1]

    def documents(self, chat_id: int) -> list[dict[str, Any]]:
        return [p for n, p in self.request.calls if n in ("sendDocument", "sendPhoto")
                and int(p.get("chat_id", 0)) == chat_id]

    def check_clean(self) -> None:
        assert not self.request.html_problems, self.request.html_problems
        assert not self.request.answer_problems, self.request.answer_problems
        apologies = [p for n, p in self.request.calls if n == "sendMessage" and p.get("text") == APOLOGY]
        assert not apologies, "an update ended in an unhandled error"

