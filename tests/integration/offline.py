"""An offline Bot API for in-process handler tests: answers the calls the bot makes, records them, and
fails the test on anything else. It never touches the network."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from tests.html_check import html_problems

BOT_ID = 999


HTML_FIELDS = {"sendMessage": "text", "editMessageText": "text", "sendDocument": "caption", "sendPhoto": "caption"}
# What Telegram answers to a second answerCallbackQuery for the same press.
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query id is invalid"
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message")


class OfflineRequest(BaseRequest):
    """Every text the bot sends in HTML is checked as strictly as Telegram does; `html_problems` lists
    what Telegram would have refused (a test's fixture asserts it stays empty)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.html_problems: list[str] = []
        self._ids = itertools.count(500)
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and downloads
        self.uploads: list[tuple[str, str, bytes]] = []  # (method, file name, content) sent by the bot
        self.answered: dict[str, int] = {}  # callback query id -> answers tried (Telegram takes the first only)
        self.answer_problems: list[str] = []  # presses answered twice, or never
        self.shown: dict[tuple[int, int], tuple[str, str]] = {}  # (chat, message) -> (text, markup) last edited to

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None, **_: Any):  # type: ignore[override]
        if "/file/bot" in url:
            return 200, self.files[url.rsplit("/", 1)[-1]]
        name = url.rsplit("/", 1)[-1]
        params = request_data.json_parameters if request_data else {}
        for field, upload in ((request_data.multipart_data or {}) if request_data else {}).items():
            self.uploads.append((name, upload[0], upload[1] if isinstance(upload[1], bytes) else upload[1].read()))
            params.setdefault(field, upload[0])
        params = {k: _maybe_json(v) for k, v in params.items()}
        self.calls.append((name, params))
        if name in HTML_FIELDS and params.get("parse_mode") == "HTML":
            text = str(params.get(HTML_FIELDS[name]) or "")
            self.html_problems += [f"{name}: {p}" for p in html_problems(text)]
        if name == "answerCallbackQuery" and len(str(params.get("text") or "")) > 200:
            self.html_problems.append("an alert longer than 200 characters")
        if name == "answerCallbackQuery":
            query_id = str(params.get("callback_query_id"))
            self.answered[query_id] = self.answered.get(query_id, 0) + 1
            if self.answered[query_id] > 1:
                self.answer_problems.append(f"press {query_id} answered {self.answered[query_id]} times")
                return 400, json.dumps({"ok": False, "error_code": 400, "description": QUERY_TOO_OLD}).encode()
        if name in ("editMessageText", "editMessageReplyMarkup"):
            # Telegram refuses an edit that changes nothing (the same button pressed twice).
            key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
            before = self.shown.get(key)
            text = str(params["text"]) if "text" in params else (before[0] if before else None)
            now = (text, json.dumps(params.get("reply_markup"), sort_keys=True))
            if before is not None and now == before:
                return 400, json.dumps({"ok": False, "error_code": 400, "description": NOT_MODIFIED}).encode()
            self.shown[key] = now  # type: ignore[assignment]
        if name == "getMe":
            result: Any = {"id": BOT_ID, "is_bot": True, "first_name": "Đôn Đốc", "username": "DonDocTestBot"}
        elif name in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            chat_id = int(params.get("chat_id", 0))
            result = {"message_id": int(params.get("message_id") or next(self._ids)), "date": 0,
                      "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                      "text": params.get("text", "")}
        elif name in ("sendDocument", "sendPhoto"):
            chat_id = int(params.get("chat_id", 0))
            result = {"message_id": next(self._ids), "date": 0,
                      "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                      "caption": params.get("caption", "")}
        elif name == "getFile":
            file_id = params["file_id"]
            result = {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self.files[file_id]),
                      "file_path": file_id}
        elif name in ("answerCallbackQuery", "setMyCommands", "deleteMyCommands", "deleteWebhook", "setMessageReaction"):
            result = True
        else:
            raise AssertionError(f"unexpected Bot API call {name}")
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict[str, Any]]:
        return [p for n, p in self.calls if n == method and (chat_id is None or int(p.get("chat_id", 0)) == chat_id)]

    def last_text(self, chat_id: int) -> str:
        texts = [p["text"] for n, p in self.calls if n in ("sendMessage", "editMessageText")
                 and int(p.get("chat_id", 0)) == chat_id]
        return texts[-1] if texts else ""

    def alerts(self) -> list[str]:
        return [p.get("text", "") for n, p in self.calls if n == "answerCallbackQuery"]


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


_update_ids = itertools.count(1)


def text_update(bot, user_id: int, text: str, chat_id: int | None = None, name: str = "User",  # type: ignore[no-untyped-def]
                edit_of: int | None = None, reply_to: dict[str, Any] | None = None) -> Update:
    """A person types `text`; with `edit_of`, they edit the message of that id to read `text` (Telegram sends
    the whole edited message as an `edited_message` update); with `reply_to` (the bot's message as sent: its
    message_id, text and reply_markup), they type it as a reply to that message."""
    chat_id = chat_id or user_id
    message: dict[str, Any] = {
        "message_id": edit_of or next(_update_ids), "date": 0, "text": text,
        "from": {"id": user_id, "is_bot": False, "first_name": name, "language_code": "vi"},
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group", "title": None if chat_id > 0 else "Nhóm"},
    }
    if reply_to is not None:
        message["reply_to_message"] = {
            "message_id": int(reply_to["message_id"]), "date": 0, "text": reply_to.get("text", ""),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Đôn Đốc"}, "chat": message["chat"],
            **({"reply_markup": reply_to["reply_markup"]} if reply_to.get("reply_markup") else {})}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if edit_of is not None:
        message["edit_date"] = 1
        return Update.de_json({"update_id": next(_update_ids), "edited_message": message}, bot)
    return Update.de_json({"update_id": next(_update_ids), "message": message}, bot)


def press_update(bot, user_id: int, data: str, chat_id: int | None = None, message_id: int = 1,  # type: ignore[no-untyped-def]
                 markup: dict[str, Any] | None = None, text: str = "card") -> Update:
    """A press; `markup` and `text`: the pressed message's keyboard and text, as Telegram sends them with it."""
    chat_id = chat_id or user_id
    message: dict[str, Any] = {"message_id": message_id, "date": 0, "text": text,
                               "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}}
    if markup is not None:
        message["reply_markup"] = markup
    return Update.de_json({
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)), "chat_instance": "ci", "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": "User"},
            "message": message,
        },
    }, bot)


def file_update(bot, user_id: int, name: str, *, caption: str | None = None, photo: bool = False,  # type: ignore[no-untyped-def]
                mime: str = "application/pdf", size: int = 52_000, chat_id: int | None = None,
                file_id: str | None = None) -> Update:
    """A person sends a document (or a photo) with an optional caption; `file_id` names content the
    offline Bot API serves for download (OfflineRequest.files)."""
    chat_id = chat_id or user_id
    number = next(_update_ids)
    message: dict[str, Any] = {
        "message_id": number, "date": 0,
        "from": {"id": user_id, "is_bot": False, "first_name": "User", "language_code": "vi"},
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
    }
    if photo:
        message["photo"] = [{"file_id": f"small-{number}", "file_unique_id": f"us-{number}", "width": 90, "height": 90},
                            {"file_id": file_id or f"photo-{number}", "file_unique_id": f"u-{number}", "width": 1280,
                             "height": 960, "file_size": size}]
    else:
        message["document"] = {"file_id": file_id or f"doc-{number}", "file_unique_id": f"u-{number}", "file_name": name,
                               "mime_type": mime, "file_size": size}
    if caption is not None:
        message["caption"] = caption
    return Update.de_json({"update_id": next(_update_ids), "message": message}, bot)


# What people send besides text, files and presses: Telegram delivers each as a message (or an update) of its
# own kind. The bot answers none of these yet (issue 8); it must not fail on any.
OTHER_KINDS: dict[str, dict[str, Any]] = {
    "sticker": {"sticker": {"file_id": "st", "file_unique_id": "st", "width": 512, "height": 512, "is_animated": False,
                            "is_video": False, "type": "regular"}},
    "voice": {"voice": {"file_id": "vo", "file_unique_id": "vo", "duration": 3}},
    "location": {"location": {"latitude": 16.46, "longitude": 107.59}},
    "contact": {"contact": {"phone_number": "+84900000000", "first_name": "Ai đó"}},
    "dice": {"dice": {"emoji": "🎲", "value": 4}},
    "venue": {"venue": {"location": {"latitude": 16.46, "longitude": 107.59}, "title": "UBND", "address": "Huế"}},
    "video_note": {"video_note": {"file_id": "vn", "file_unique_id": "vn", "length": 240, "duration": 2}},
    "new_members": {"new_chat_members": [{"id": 4242, "is_bot": False, "first_name": "Mới"}]},
    "pinned": {"pinned_message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}},
}


def other_update(bot, user_id: int, kind: str, chat_id: int | None = None) -> Update:  # type: ignore[no-untyped-def]
    """A message of another kind (OTHER_KINDS), a live location's edit, a channel's post, the bot blocked or
    unblocked (my_chat_member), or a press without data (a game's button)."""
    chat_id = chat_id or user_id
    sender = {"id": user_id, "is_bot": False, "first_name": "User", "language_code": "vi"}
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "group", "title": None if chat_id > 0 else "Nhóm"}
    number = next(_update_ids)
    if kind in OTHER_KINDS:
        message = {"message_id": number, "date": 0, "from": sender, "chat": chat, **copy.deepcopy(OTHER_KINDS[kind])}
        return Update.de_json({"update_id": next(_update_ids), "message": message}, bot)
    if kind == "live_location":
        message = {"message_id": number, "date": 0, "edit_date": 1, "from": sender, "chat": chat,
                   **copy.deepcopy(OTHER_KINDS["location"])}
        return Update.de_json({"update_id": next(_update_ids), "edited_message": message}, bot)
    if kind == "channel_post":
        post = {"message_id": number, "date": 0, "text": "/trogiup", "chat": {"id": -100123, "type": "channel",
                                                                                 "title": "Kênh"}}
        return Update.de_json({"update_id": next(_update_ids), "channel_post": post}, bot)
    if kind == "blocked":
        member = {"chat": chat, "from": sender, "date": 0,
                  "old_chat_member": {"status": "member", "user": {"id": BOT_ID, "is_bot": True, "first_name": "Bot"}},
                  "new_chat_member": {"status": "kicked", "until_date": 0,
                                      "user": {"id": BOT_ID, "is_bot": True, "first_name": "Bot"}}}
        return Update.de_json({"update_id": next(_update_ids), "my_chat_member": member}, bot)
    if kind == "game_press":
        query = {"id": str(number), "chat_instance": "ci", "game_short_name": "x", "from": sender,
                 "message": {"message_id": 1, "date": 0, "text": "card", "chat": chat}}
        return Update.de_json({"update_id": next(_update_ids), "callback_query": query}, bot)
    raise ValueError(kind)


OTHER_UPDATES = (*OTHER_KINDS, "live_location", "channel_post", "blocked", "game_press")
