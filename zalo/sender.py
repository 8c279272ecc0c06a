"""The outbox's Zalo adapter: one address's due items as plain text in its reader's language, split at Zalo's
2,000 characters on line boundaries; every notice about a directive ends with exactly the replies its reader
may make now, numbered from 1 (remembered, so that «1» answers it); a digest goes as a message of its own.
Zalo carries no files: a notice that forwards some says how to open them on the web. The only place an
address's Zalo chat id is read for sending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.domain.reminders import REMINDER_KINDS
from bot.outbox import BatchSender, Delivery, Recipient, Transient, Unreachable
from bot.ratelimit import SendLimiter
from bot.runtime import Runtime
from bot.services import replies
from bot.texts import fmt_percent, h, t
from zalo.client import ZaloClient, ZaloError
from zalo.text import plain, replies_line, split

_PERCENTS = ("rate", "previous")
# Refusals that mean the person cannot be reached there (the bot blocked, the user gone).
UNREACHABLE_CODES = frozenset({403, 404})


def _param(value: Any, lang: str) -> Any:
    """A notice's parameter in the reader's language: {"key": …} is a catalogue text."""
    if isinstance(value, dict) and "key" in value:
        return t(str(value["key"]), lang, **(value.get("params") or {}))
    return value


def notice_text(payload: dict[str, Any], lang: str) -> str:
    params = {k: _param(v, lang) for k, v in payload.get("params", {}).items()}
    lines = [plain(h(payload.get("text", ""), lang, **params))]
    for line in payload.get("lines") or []:
        lines.append(plain(h(str(line.get("key", "")), lang,
                             **{k: _param(v, lang) for k, v in line.get("params", {}).items()})))
    if payload.get("files"):
        lines.append(t("zalo.files", lang, count=len(payload["files"])))
    return "\n".join(lines)


def digest_text(item: Delivery, lang: str) -> str:
    lines = []
    for key, params in item.payload.get("lines", []):
        shown = {k: fmt_percent(v, lang) if k in _PERCENTS else v for k, v in params.items()}
        lines.append(plain(h(key, lang, **shown)))
    return "\n".join(lines)


def render(items: list[Delivery], lang: str, offers: dict[int, list[str]]) -> tuple[list[str], tuple[str, list[str]] | None]:
    """The messages for a batch (notices and reminders merged, each digest apart) and the offer a bare number
    answers: the last notice's replies. `offers` gives each item's replies (by outbox id)."""
    notices = [i for i in items if i.kind != "digest"]
    messages: list[str] = []
    last: tuple[str, list[str]] | None = None
    if notices:
        offering = [i for i in notices if offers.get(i.id) and i.payload.get("code")]
        final = offering[-1] if offering else None
        blocks = []
        if len(notices) > 1:
            directives = {i.payload.get("code") or i.id for i in notices}
            reminders_only = all(i.kind in REMINDER_KINDS for i in notices)
            blocks.append(plain(h("remind.header" if reminders_only else "notify.header", lang, count=len(directives))))
        for item in notices:
            block = notice_text(item.payload, lang)
            actions = offers.get(item.id) or []
            if actions:
                code = str(item.payload["code"])
                block += "\n" + replies_line(actions, lang, None if item is final else code)
            blocks.append(block)
        messages += split("\n\n".join(blocks))
        if final is not None:
            last = (str(final.payload["code"]), offers[final.id])
    for item in items:
        if item.kind == "digest":
            messages += split(digest_text(item, lang))
    return messages, last


def make_sender(client: ZaloClient, rt: Runtime, limiter: SendLimiter | None = None,
                clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> BatchSender:
    """The dispatcher books the first message of a batch with its limiter; given the same limiter, the sender
    books every further part."""
    async def send(recipient: Recipient, items: list[Delivery]) -> None:
        lang = recipient.language or rt.settings.default_language
        now = clock()
        offers: dict[int, list[str]] = {}
        coded = {item.id: str(item.payload["code"]) for item in items
                 if item.payload.get("code") and item.kind != "digest"}
        if coded and not recipient.group:
            by_code = await replies.offers_at(rt, recipient.address_id, list(coded.values()))
            offers = {item_id: by_code.get(code, []) for item_id, code in coded.items()}
        messages, last = render(items, lang, offers)
        for number, text in enumerate(messages):
            if number and limiter is not None:
                await limiter.acquire(recipient.address_id, recipient.group)
            try:
                await client.send_message(recipient.external_id, text)
            except ZaloError as error:
                if error.code in UNREACHABLE_CODES:
                    raise Unreachable(error.description) from None
                raise Transient(f"{error.code}: {error.description}") from None
        if last is not None:
            await replies.remember(rt, recipient.address_id, last[0], last[1], now=now)

    return send
