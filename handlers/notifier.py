"""The outbox's Telegram side: render a notification in the recipient's language and send it,
translating Bot API errors into the dispatcher's outcomes."""

from __future__ import annotations

from html import escape

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.outbox import Delivery, Migrated, RetryLater, Sender, Transient, Uncertain, Unreachable
from bot.runtime import Runtime
from bot.services import access
from bot.texts import t
from handlers.callbacks import Callback


def make_sender(bot: Bot, rt: Runtime) -> Sender:
    async def send(item: Delivery) -> None:
        person = await access.identify(rt, item.chat_id)
        lang = person.language if person else rt.settings.default_language
        payload = item.payload
        params = {k: escape(v) if isinstance(v, str) else v for k, v in payload.get("params", {}).items()}
        text = t(payload.get("text", ""), lang, **params)
        markup = None
        if payload.get("code"):
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(
                t("btn.open", lang), callback_data=Callback("open", payload["code"]).pack())]])
        try:
            await bot.send_message(item.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
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
