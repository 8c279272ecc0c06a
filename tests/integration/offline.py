"""An offline Bot API for in-process handler tests: answers the calls the bot makes, records them, and
fails the test on anything else. It never touches the network."""

from __future__ import annotations

import itertools
import json
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

from tests.html_check import html_problems

BOT_ID = 999


HTML_FIELDS = {"sendMessage": "text", "editMessageText": "text", "sendDocument": "caption", "sendPhoto": "caption"}


class OfflineRequest(BaseRequest):
    """Every text the bot sends in HTML is checked as strictly as Telegram does; `html_problems` lists
    what Telegram would have refused (a test's fixture asserts it stays empty)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.html_problems: list[str] = []
        self._ids = itertools.count(500)
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and downloads
        self.uploads: list[tuple[str, str, bytes]] = []  # (method, file name, content) sent by the bot

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
        elif name in ("answerCallbackQuery", "setMyCommands", "deleteMyCommands", "deleteWebhook"):
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


def text_update(bot, user_id: int, text: str, chat_id: int | None = None, name: str = "User") -> Update:  # type: ignore[no-untyped-def]
    chat_id = chat_id or user_id
    message: dict[str, Any] = {
        "message_id": next(_update_ids), "date": 0, "text": text,
        "from": {"id": user_id, "is_bot": False, "first_name": name, "language_code": "vi"},
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group", "title": None if chat_id > 0 else "Nhóm"},
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return Update.de_json({"update_id": next(_update_ids), "message": message}, bot)


def press_update(bot, user_id: int, data: str, chat_id: int | None = None, message_id: int = 1) -> Update:  # type: ignore[no-untyped-def]
    chat_id = chat_id or user_id
    return Update.de_json({
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)), "chat_instance": "ci", "data": data,
            "from": {"id": user_id, "is_bot": False, "first_name": "User"},
            "message": {"message_id": message_id, "date": 0, "text": "card",
                        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"}},
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
