"""The outbox's Telegram adapter: render one address's due items in its reader's language as one message
(split at Telegram's 4,096 characters), with buttons to open each card; a digest always goes as a message
of its own, with the buttons to the lists it summarises; forward the files a notice names; map Bot API
errors to the dispatcher's outcomes. The only place an address's Telegram chat id is read."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.domain.reminders import REMINDER_KINDS
from bot.outbox import (
    BatchSender,
    Delivery,
    Moved,
    Recipient,
    RetryLater,
    Transient,
    Uncertain,
    Unreachable,
    merge_order,
)
from bot.ratelimit import SendLimiter
from bot.render import code_label, snippet
from bot.runtime import Runtime
from bot.services import queries, web_views
from bot.services.views import Card
from bot.texts import fmt_percent, h, t
from handlers.actions import REPORTS, CardPress, move_rows
from handlers.callbacks import AckAll, AckListed, ConfirmAll, ListPage, OpenCard, Resend, presses

MAX_BUTTONS = 8
MAX_PARAM_CHARS = 1500
# Time-outs before the request left this machine (no connection, or none free in the pool): nothing
# reached Telegram, so the send is retried like a server error. Any later time-out is uncertain.
NOTHING_SENT = (httpx.ConnectTimeout, httpx.PoolTimeout)


def nothing_sent(error: TimedOut) -> bool:
    return isinstance(error.__cause__, NOTHING_SENT) or error.message.startswith("Pool timeout")


def _param(value: Any, lang: str) -> Any:
    """A notice's parameter in the reader's language: {"key": …} is a catalogue text."""
    if isinstance(value, dict) and "key" in value:
        return t(str(value["key"]), lang, **(value.get("params") or {}))
    if isinstance(value, str) and len(value) > MAX_PARAM_CHARS:  # a notice stays one message
        return value[: MAX_PARAM_CHARS - 1] + "…"
    return value


def _text(payload: dict[str, Any], lang: str) -> str:
    params = {k: _param(v, lang) for k, v in payload.get("params", {}).items()}
    lines = [h(payload.get("text", ""), lang, **params)]
    for line in payload.get("lines") or []:
        lines.append(h(str(line.get("key", "")), lang, **{k: _param(v, lang) for k, v in line.get("params", {}).items()}))
    return "\n".join(lines)


Actions = dict[str, list[list[InlineKeyboardButton]]]


REPORT_SNIPPET = 90


def render(items: list[Delivery], lang: str, actions: Actions | None = None, awaiting: list[Card] | None = None) \
        -> tuple[list[str], InlineKeyboardMarkup | None]:
    """The notices as one message (split if long: the buttons go with the last part). Each directive's
    buttons: the moves its reader may make now (`actions`, by code: bot/services/replies.py's rule), then the
    one that opens its card. `awaiting`: the other reports awaiting the office's confirmation
    (queries.awaiting_beside), listed below with their text and a «Xác nhận» each; with two or more to
    confirm, «Xác nhận tất cả (n)» confirms every one the message shows. About one directive with a report
    button, the last part ends with the hint that a reply is the report (with «Trả lại», that a reply decides it)."""
    items = merge_order(items)
    lines = [_text(item.payload, lang) for item in items]
    if len(lines) > 1:  # counted by directive: one can have a notice and a reminder in the same batch
        directives = {item.payload.get("code") or item.id for item in items}
        reminders_only = all(item.kind in REMINDER_KINDS for item in items)
        lines.insert(0, h("remind.header" if reminders_only else "notify.header", lang, count=len(directives)))
    if awaiting:
        lines.append(h("notify.also_awaiting", lang, count=len(awaiting)) + "\n" + "\n".join(
            h("notify.awaiting_line", lang, code=card.code, unit=_reporter(card),
              text=snippet(_report(card) or t("value.none", lang), REPORT_SNIPPET)) for card in awaiting))
    codes = list(dict.fromkeys(i.payload["code"] for i in items if i.payload.get("code")))
    label = t("btn.open", lang)
    buttons = []
    for code in codes[:MAX_BUTTONS]:
        buttons += (actions or {}).get(code, [])
        named = label if len(codes) == 1 else t("btn.with_code", lang, label=label, code=code)
        buttons.append([InlineKeyboardButton(named, callback_data=OpenCard(code).pack())])
    acknowledgeable = [code for code in codes[:MAX_BUTTONS] if _offers((actions or {}).get(code), {"ack"})]
    if len(acknowledgeable) > 1:  # several new tasks: one press acknowledges them all (each a move of its own)
        buttons.insert(0, [InlineKeyboardButton(t("btn.ack_all", lang, count=len(acknowledgeable)),
                                                callback_data=AckAll().pack())])
    others = [InlineKeyboardButton(t("btn.confirm_one", lang, code=code_label(card.code, lang)),
                                   callback_data=CardPress("conf", card.code, card.version).pack())
              for card in awaiting or []]
    buttons += [others[i: i + 2] for i in range(0, len(others), 2)]
    confirmable = [code for code in codes[:MAX_BUTTONS] if _offers((actions or {}).get(code), {"conf"})]
    if len(confirmable) + len(others) > 1:  # several reports to confirm: one press for them all (each its own move)
        buttons.insert(0, [InlineKeyboardButton(t("btn.confirm_all", lang, count=len(confirmable) + len(others)),
                                                callback_data=ConfirmAll().pack())])
    for event_id in dict.fromkeys(i.payload["resend"] for i in items if i.payload.get("resend")):
        buttons.append([InlineKeyboardButton(t("btn.resend", lang), callback_data=Resend(int(event_id)).pack())])
    if len(codes) == 1 and _offers((actions or {}).get(codes[0]), REPORTS):
        lines.append(h("reply.hint", lang))  # a reply to this notice is the report (handlers/actions.py)
    elif len(codes) == 1 and _offers((actions or {}).get(codes[0]), ("back",)):
        # a reply to this notice is the decision on the report (handlers/actions.py: decide_by_reply)
        lines.append(h("reply.hint_decide", lang, code=code_label(codes[0], lang)))
    return _parts(lines), InlineKeyboardMarkup(buttons) if buttons else None


def _offers(rows: list[list[InlineKeyboardButton]] | None, buttons: Collection[str]) -> bool:
    """Whether a directive's rows hold one of these card buttons (CardPress tags)."""
    return any(isinstance(press, CardPress) and press.button in buttons for press in presses(rows))


def _parts(lines: list[str]) -> list[str]:
    """The lines as messages of at most Telegram's 4,096 characters, a blank line between two, cut between
    lines (a line longer than a message is cut short)."""
    parts: list[str] = []
    for line in lines:
        line = line[: MessageLimit.MAX_TEXT_LENGTH]
        if parts and len(parts[-1]) + 2 + len(line) <= MessageLimit.MAX_TEXT_LENGTH:
            parts[-1] += "\n\n" + line
        else:
            parts.append(line)
    return parts


def _report(card: Card) -> str | None:
    """The lead unit's done report (the newest report of the card)."""
    reports = sorted((p for p in card.parts if p.last_report and p.last_report_at), key=lambda p: p.last_report_at)  # type: ignore[arg-type, return-value]
    return reports[-1].last_report if reports else None


def _reporter(card: Card) -> str:
    leads = [p for p in card.parts if p.role == "lead" and p.reported_done] or [p for p in card.parts if p.role == "lead"]
    return ", ".join(p.short_name for p in leads)


def files_of(items: list[Delivery]) -> list[int]:
    """The attachments the notices carry (a unit's report with its appendix), each once, in order."""
    seen: dict[int, None] = {}
    for item in items:
        for file in item.payload.get("files") or []:
            seen.setdefault(int(file["attachment"]), None)
    return list(seen)


def _list_button(target: dict[str, Any]) -> str:
    """A digest's way to a list, or its button that acknowledges the tasks it lists (the one it names, or all:
    read from the message on press), as this adapter's callback data."""
    if "ack" in target:
        codes = [str(c) for c in target.get("ack") or []]
        return AckListed(codes[0] if len(codes) == 1 else "").pack()
    return ListPage(str(target.get("list", "")), 1, unit=str(target.get("unit", ""))).pack()


_PERCENTS = ("rate", "previous")


def render_digest(item: Delivery, lang: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """A digest's lines and its buttons to the lists it counts."""
    lines = []
    for key, params in item.payload.get("lines", []):
        shown = {k: fmt_percent(v, lang) if k in _PERCENTS else v for k, v in params.items()}
        lines.append(h(key, lang, **shown))
    buttons = [InlineKeyboardButton(t(key, lang, **params), callback_data=_list_button(target))
               for key, params, target in item.payload.get("buttons", [])]
    text = "\n".join(lines)[: MessageLimit.MAX_TEXT_LENGTH]
    return text, InlineKeyboardMarkup([[b] for b in buttons]) if buttons else None


def messages(items: list[Delivery], lang: str, actions: Actions | None = None, awaiting: list[Card] | None = None) \
        -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """Reminders and notices merged into one message (split if long); each digest on its own."""
    others = [i for i in items if i.kind != "digest"]
    result: list[tuple[str, InlineKeyboardMarkup | None]] = []
    if others:
        chunks, markup = render(others, lang, actions, awaiting)
        result += [(chunk, markup if n == len(chunks) else None) for n, chunk in enumerate(chunks, 1)]
    result += [render_digest(i, lang) for i in items if i.kind == "digest"]
    return result


async def actions_for(rt: Runtime, recipient: Recipient, items: list[Delivery], lang: str) -> Actions:
    """Each directive's buttons for this reader, as its card would show them (act where you read)."""
    codes = [str(i.payload["code"]) for i in items if i.kind != "digest" and i.payload.get("code")]
    if not codes:
        return {}
    reader, cards = await queries.notice_cards(rt, recipient.address_id, codes, now=datetime.now(UTC))
    if reader is None:
        return {}
    reader = replace(reader, language=lang)
    named = len(set(codes)) > 1
    return {code: move_rows(card, reader, named=named) for code, card in cards.items()}


async def awaiting_for(rt: Runtime, recipient: Recipient, items: list[Delivery]) -> list[Card]:
    """Beside a done report told to the office: the other reports awaiting its confirmation."""
    if not any(i.kind != "digest" and i.payload.get("text") == "notify.done_reported" for i in items):
        return []
    codes = [str(i.payload["code"]) for i in items if i.payload.get("code")]
    return await queries.awaiting_beside(rt, recipient.address_id, codes, now=datetime.now(UTC))


def make_sender(bot: Bot, rt: Runtime, limiter: SendLimiter | None = None) -> BatchSender:
    """The dispatcher books the first message of a chat's batch with its limiter; given the same limiter,
    the sender books every further one (a long batch split in two, the files it forwards)."""
    async def send(recipient: Recipient, items: list[Delivery]) -> None:
        chat_id = int(recipient.external_id)
        sent = 0

        async def booked() -> None:
            nonlocal sent
            if sent and limiter is not None:
                await limiter.acquire(recipient.address_id, recipient.group)
            sent += 1

        try:
            lang = recipient.language or rt.settings.default_language
            for text, markup in messages(items, lang, await actions_for(rt, recipient, items, lang),
                                         await awaiting_for(rt, recipient, items)):
                await booked()
                await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
            for file in await queries.attachments(rt, files_of(items)):
                await booked()
                kept = await web_views.blob(rt, file.file_id)
                if kept is not None and kept.data is not None:  # uploaded on the web: its bytes go up
                    await bot.send_document(chat_id, InputFile(kept.data, filename=kept.name))
                elif file.kind == "photo":
                    await bot.send_photo(chat_id, file.file_id)
                else:
                    await bot.send_document(chat_id, file.file_id)
        except RetryAfter as error:
            wait = error.retry_after
            raise RetryLater(wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)) from error
        except Forbidden as error:
            raise Unreachable(error.message) from error
        except ChatMigrated as error:
            raise Moved(str(error.new_chat_id)) from error
        except TimedOut as error:
            if nothing_sent(error):
                raise Transient(f"not sent: {error.message}") from error
            raise Uncertain(error.message) from error
        except BadRequest as error:
            if "chat not found" in error.message.lower():
                raise Unreachable(error.message) from error
            raise Transient(error.message) from error
        except NetworkError as error:
            raise Transient(error.message) from error

    return send
