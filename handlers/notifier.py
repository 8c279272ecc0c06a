"""The outbox's Telegram side: render one chat's due items in its reader's language as one message
(split at Telegram's 4,096 characters), with buttons to open each card; a digest always goes as a message
of its own, with the buttons to the lists it summarises; map Bot API errors to the dispatcher's outcomes."""

from __future__ import annotations

from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.outbox import BatchSender, Delivery, Migrated, RetryLater, Transient, Uncertain, Unreachable
from bot.runtime import Runtime
from bot.services import access
from bot.texts import fmt_percent, t
from handlers.callbacks import Callback

MAX_BUTTONS = 8


def render(items: list[Delivery], lang: str) -> tuple[list[str], InlineKeyboardMarkup | None]:
    lines = []
    for item in items:
        params = {k: escape(v) if isinstance(v, str) else v for k, v in item.payload.get("params", {}).items()}
        lines.append(t(item.payload.get("text", ""), lang, **params))
    if len(lines) > 1:
        lines.insert(0, t("remind.header", lang, count=len(items)))
    chunks: list[str] = []
    for line in lines:
        line = line[: MessageLimit.MAX_TEXT_LENGTH]
        if chunks and len(chunks[-1]) + 2 + len(line) <= MessageLimit.MAX_TEXT_LENGTH:
            chunks[-1] += "\n\n" + line
        else:
            chunks.append(line)
    codes = list(dict.fromkeys(i.payload["code"] for i in items if i.payload.get("code")))
    label = t("btn.open", lang)
    buttons = [[InlineKeyboardButton(label if len(codes) == 1 else f"{label} {code}",
                                     callback_data=Callback("open", code).pack())] for code in codes[:MAX_BUTTONS]]
    return chunks, InlineKeyboardMarkup(buttons) if buttons else None


_PERCENTS = ("rate", "previous")


def render_digest(item: Delivery, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """A digest's lines and its buttons to the lists it counts."""
    lines = []
    for key, params in item.payload.get("lines", []):
        shown = {k: fmt_percent(v, lang) if k in _PERCENTS else escape(v) if isinstance(v, str) else v
                 for k, v in params.items()}
        lines.append(t(key, lang, **shown))
    buttons = [InlineKeyboardButton(t(key, lang, **params), callback_data=data)
               for key, params, data in item.payload.get("buttons", [])]
    text = "\n".join(lines)[: MessageLimit.MAX_TEXT_LENGTH]
    return text, InlineKeyboardMarkup([[b] for b in buttons]) if buttons else None


def messages(items: list[Delivery], lang: str) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """Reminders and notices merged into one message (split if long); each digest on its own."""
    others = [i for i in items if i.kind != "digest"]
    result: list[tuple[str, InlineKeyboardMarkup | None]] = []
    if others:
        chunks, markup = render(others, lang)
        result += [(chunk, markup if n == len(chunks) else None) for n, chunk in enumerate(chunks, 1)]
    result += [render_digest(i, lang) for i in items if i.kind == "digest"]
    return result


def make_sender(bot: Bot, rt: Runtime) -> BatchSender:
    async def send(chat_id: int, items: list[Delivery]) -> None:
        person = await access.identify(rt, chat_id)
        try:
            for text, markup in messages(items, person.language if person else rt.settings.default_language):
                await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except RetryAfter as error:
            wait = error.retry_after
            raise RetryLater(wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)) from error
        except Forbidden as error:
            raise Unreachable(error.message) from error
        except ChatMigrated as error:
            raise Migrated(error.new_chat_id) from error
        except TimedOut as error:
            raise Uncertain(error.message) from error
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                raise Unreachable(error.message) from error
            raise Transient(error.message) from error
        except NetworkError as error:
            raise Transient(error.message) from error

    return send
