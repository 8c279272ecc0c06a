"""People's phones for benchmarks/month.py: an offline Bot API that records every call the bot makes, and
what a person does with the bot (type, press a button found by its label, send a file), nothing else.

The month is replayed through the bot's real handlers in process (`bot.app.build_application`), so this
module knows only Telegram's side: updates in, Bot API calls out. It never calls a service or reads a
table, so that rewriting the services, the outbox or the texts behind the same chat leaves it working.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

BOT_ID = 999
# Calls that put a new message in a chat (a media group puts one per item).
SENDS = {"sendMessage", "sendDocument", "sendPhoto", "sendVideo", "sendAudio", "sendVoice", "sendAnimation",
         "sendSticker", "sendLocation", "sendContact", "sendPoll", "sendDice", "sendVenue", "sendMediaGroup"}


def plain(text: str) -> str:
    """What the reader sees of an HTML message: no tags, entities decoded."""
    return unescape(re.sub(r"<[^<>]*>", "", text or ""))


@dataclass
class Message:
    """A message as it stands in a chat now (edits replace its text and buttons)."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[tuple[str, str]]  # (label, callback data)
    order: int  # when it was last sent or edited: the newest is what a person looks at


@dataclass
class Call:
    method: str
    chat_id: int | None
    at: datetime
    cause: tuple[str, int | None]  # ("reply", person's telegram id) while a person's update runs; ("push", None)
    count: int = 1  # messages it put in the chat


def _buttons(markup: Any) -> list[tuple[str, str]]:
    if not isinstance(markup, dict):
        return []
    return [(str(b.get("text", "")), str(b.get("callback_data", "")))
            for row in markup.get("inline_keyboard", []) for b in row if b.get("callback_data")]


def _json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class BotApi(BaseRequest):
    """Answers every Bot API call the way Telegram would for a working bot, records it with the
    simulated time and its cause, and keeps each chat's messages (with their buttons) as they stand."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self.calls: list[Call] = []
        self.chats: dict[int, dict[int, Message]] = {}
        self.files: dict[str, bytes] = {}
        self.cause: tuple[str, int | None] = ("push", None)
        self.readers: list[Callable[[str], None]] = []  # told every text the bot sends or edits in
        self.toasts: list[str] = []  # what the bot answered each press with (shown over the chat)
        self._ids = itertools.count(1000)
        self._order = itertools.count()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,  # type: ignore[override]
                         **_: Any) -> tuple[int, bytes]:
        if "/file/bot" in url:
            return 200, self.files.get(url.rsplit("/", 1)[-1], b"")
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.json_parameters) if request_data else {}
        for field_name, upload in ((request_data.multipart_data or {}) if request_data else {}).items():
            params.setdefault(field_name, upload[0])
        params = {k: _json(v) for k, v in params.items()}
        result = self._answer(name, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, name: str, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"]) if str(params.get("chat_id", "")).lstrip("-").isdigit() else None
        chat = {"id": chat_id or 0, "type": "private" if (chat_id or 0) > 0 else "group"}
        if name == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Đôn Đốc", "username": "DonDocMonthBot"}
        if name == "getFile":
            file_id = str(params["file_id"])
            return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files.get(file_id, b"")),
                    "file_path": file_id}
        if name in SENDS and chat_id is not None:
            count = len(params.get("media") or []) if name == "sendMediaGroup" else 1
            self.calls.append(Call(name, chat_id, self.clock(), self.cause, count))
            message_id = next(self._ids)
            text = str(params.get("text") or params.get("caption") or "")
            self._read(text)
            self.chats.setdefault(chat_id, {})[message_id] = Message(
                chat_id, message_id, plain(text), _buttons(params.get("reply_markup")), next(self._order))
            message = {"message_id": message_id, "date": 0, "chat": chat, "text": text}
            return [message] * count if name == "sendMediaGroup" else message
        self.calls.append(Call(name, chat_id, self.clock(), self.cause, 0))
        if name == "answerCallbackQuery":
            self.toasts.append(str(params.get("text") or ""))
        if name in ("editMessageText", "editMessageCaption", "editMessageReplyMarkup") and chat_id is not None:
            message_id = int(params.get("message_id") or 0)
            held = self.chats.setdefault(chat_id, {}).get(message_id)
            text = params.get("text", params.get("caption"))
            if held is None:
                held = Message(chat_id, message_id, "", [], 0)
                self.chats[chat_id][message_id] = held
            if text is not None:
                held.text = plain(str(text))
                self._read(str(text))
            held.buttons = _buttons(params.get("reply_markup"))
            held.order = next(self._order)
            return {"message_id": message_id, "date": 0, "chat": chat, "text": held.text}
        if name == "deleteMessage" and chat_id is not None:
            self.chats.get(chat_id, {}).pop(int(params.get("message_id") or 0), None)
        return True

    def _read(self, text: str) -> None:
        for reader in self.readers:
            reader(plain(text))

    def newest(self, chat_id: int) -> list[Message]:
        """The chat's messages, newest (last sent or edited) first."""
        return sorted(self.chats.get(chat_id, {}).values(), key=lambda m: -m.order)


@dataclass
class Person:
    key: str  # the simulation's name for them: "clerk", "leader1", "focal:SXD:1"
    telegram_id: int
    name: str
    role: str  # admin | leader | focal
    unit: str | None = None
    groups: list[int] = field(default_factory=list)  # group chats they are a member of

    @property
    def chats(self) -> list[int]:
        """Where they read the bot: their private chat first, then their unit's group."""
        return [self.telegram_id, *self.groups]


@dataclass
class Tap:
    person: str
    role: str
    kind: str  # press | text | file
    journey: str
    at: datetime


class Phones:
    """What people do with the bot. Every action is one update processed by the real application, and
    one tap in the tally (a button press, a typed message, a file sent)."""

    def __init__(self, app: Any, api: BotApi, clock: Callable[[], datetime]) -> None:
        self.app = app
        self.api = api
        self.clock = clock
        self.taps: list[Tap] = []
        self.counting = True
        self._ids = itertools.count(1)

    def _user(self, person: Person) -> dict[str, Any]:
        return {"id": person.telegram_id, "is_bot": False, "first_name": person.name, "language_code": "vi"}

    def _chat(self, chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "type": "private" if chat_id > 0 else "group",
                **({} if chat_id > 0 else {"title": f"Nhóm {chat_id}"})}

    async def _process(self, person: Person, update: dict[str, Any], kind: str, journey: str) -> None:
        if self.counting:
            self.taps.append(Tap(person.key, person.role, kind, journey, self.clock()))
        self.api.cause = ("reply", person.telegram_id)
        try:
            await self.app.process_update(Update.de_json({"update_id": next(self._ids), **update}, self.app.bot))
        finally:
            self.api.cause = ("push", None)

    def _reply_to(self, found: Message) -> dict[str, Any]:
        """The bot's message `found` as Telegram quotes it in a reply to it (with its keyboard)."""
        quoted: dict[str, Any] = {"message_id": found.message_id, "date": 0, "text": found.text,
                                  "from": {"id": BOT_ID, "is_bot": True, "first_name": "Đôn Đốc"},
                                  "chat": self._chat(found.chat_id)}
        if found.buttons:
            quoted["reply_markup"] = {"inline_keyboard": [[{"text": label, "callback_data": data}]
                                                          for label, data in found.buttons]}
        return quoted

    async def say(self, person: Person, text: str, *, chat: int | None = None, journey: str = "",
                  reply_to: Message | None = None) -> None:
        """Type `text`; with `reply_to`, as a reply to that message of the bot."""
        message: dict[str, Any] = {"message_id": next(self._ids), "date": int(self.clock().timestamp()),
                                   "text": text, "from": self._user(person),
                                   "chat": self._chat(chat or person.telegram_id)}
        if reply_to is not None:
            message["reply_to_message"] = self._reply_to(reply_to)
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        await self._process(person, {"message": message}, "text", journey)

    async def press(self, person: Person, found: Message, data: str, *, journey: str = "") -> None:
        query = {"id": str(next(self._ids)), "chat_instance": "ci", "data": data, "from": self._user(person),
                 "message": {"message_id": found.message_id, "date": 0, "text": found.text,
                             "chat": self._chat(found.chat_id)}}
        if found.buttons:  # Telegram sends the pressed message with its keyboard
            query["message"]["reply_markup"] = {"inline_keyboard": [[{"text": label, "callback_data": data}]
                                                                    for label, data in found.buttons]}
        await self._process(person, {"callback_query": query}, "press", journey)

    async def send_file(self, person: Person, name: str, content: bytes, *, caption: str | None = None,
                        chat: int | None = None, mime: str = "application/pdf", journey: str = "",
                        reply_to: Message | None = None) -> None:
        number = next(self._ids)
        file_id = f"file-{number}"
        self.api.files[file_id] = content
        message: dict[str, Any] = {
            "message_id": number, "date": int(self.clock().timestamp()), "from": self._user(person),
            "chat": self._chat(chat or person.telegram_id),
            "document": {"file_id": file_id, "file_unique_id": f"u-{number}", "file_name": name, "mime_type": mime,
                         "file_size": len(content)}}
        if caption is not None:
            message["caption"] = caption
        if reply_to is not None:
            message["reply_to_message"] = self._reply_to(reply_to)
        await self._process(person, {"message": message}, "file", journey)

    def since(self, chat_id: int, order: int) -> list[Message]:
        """The chat's messages sent or edited after `order` (a mark taken with `mark`), newest first."""
        return [m for m in self.api.newest(chat_id) if m.order > order]

    def mark(self) -> int:
        return next(self.api._order)

    def button(self, chats: Iterable[int], labels: Iterable[str | re.Pattern[str]], *, containing: str | None = None,
               data_has: str | None = None, after: int = -1, strict: bool = False) -> tuple[Message, str] | None:
        """The newest button (over these chats) whose label holds one of `labels` (or matches it, for a
        pattern) on a message that holds `containing`; among several on one message, the one whose label or
        callback data names `data_has`. `strict`: only a button that names `data_has` (a message that names
        the directive but shows that button only for others is passed over, as a person would)."""
        wanted = list(labels)

        def fits(label: str) -> bool:
            return any(w.search(label) if isinstance(w, re.Pattern) else w.casefold() in label.casefold()
                       for w in wanted)

        messages = sorted((m for c in chats for m in self.api.newest(c) if m.order > after),
                          key=lambda m: -m.order)
        for message in messages:
            if containing is not None and containing.casefold() not in message.text.casefold():
                continue
            hits = [(label, data) for label, data in message.buttons if fits(label)]
            if data_has is not None and strict:
                hits = [h for h in hits if data_has in h[1] or data_has in h[0]]
            elif data_has is not None and len(hits) > 1:
                hits = [h for h in hits if data_has in h[1] or data_has in h[0]] or hits
            if hits:
                return message, hits[0][1]
        return None
