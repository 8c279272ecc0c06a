"""Typed messages from Zalo: parse the text, call one use case, answer in plain text.

A stranger joins with an invite code (`/start CODE` or the bare code). A registered person:
- while a question is open (a report's text, a new date, a reason), what they type is its answer, a bare
  number included; `/huy` drops it;
- `N` makes the N-th reply the last notice, card or draft offered; `CD-2026-0012 N` the N-th reply on that directive;
- a text starting with «hoàn thành» or «xong» after a notice or card that offers «Hoàn thành» is that report
  (`bot.domain.text.reports_done`, the rule a reply to the notice follows on Telegram);
- a directive's code (or `/xem CODE`) shows its card with its replies; `/viec`, `/sapden`, `/quahan`,
  `/choxuly` the lists; `/thongke` the summary; `/web` a single-use sign-in link (files, charts, the desk);
  `/ngonngu en|vi` the language; `/kenh zalo|telegram` where a person on both hears from;
- a leader or the office typing a directive gets a draft, shown with its open questions and «1 – Giao việc ·
  2 – Huỷ nháp» («Giao việc» only once no question is open); `Nháp 12 N` names a draft;
- anything else is understood as on Telegram (a question in Vietnamese).
Zalo has no buttons, files or groups: what needs them (answering a draft's question, editing it) is on the web.
A pasted notice's drafts are each shown with their own replies, under a line that sends the official to the web:
the drafts are kept with the message they were read from (its chat key and a number made from Zalo's message id,
as Telegram's are with its chat and message ids), so the web's drafts list shows them as one group with the batch's
«Giữ đơn vị như đã đọc» and «Giao tất cả» (web/batches.py), which Zalo has no buttons for."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.domain.deadlines import local_date
from bot.domain.periods import period_range
from bot.domain.policy import DECIDERS
from bot.domain.text import has_control_characters, reports_done, substantial
from bot.errors import DomainError
from bot.parsing import parse_message
from bot.render import card_text, code_label, greeting, list_text
from bot.reports.labels import summary
from bot.runtime import Runtime
from bot.services import access, batches, conversation, queries, replies, reports, units, web_auth
from bot.services import directives as svc
from bot.services.common import check_code
from bot.services.views import Actor, Card, Page
from bot.texts import CATALOGUES, error_html, h, t
from zalo.client import ZaloClient
from zalo.text import plain, replies_line, split

log = logging.getLogger(__name__)
CHANNEL = "zalo"
# The conversation table keys a question by (person, chat): a Zalo chat's key is its address's, set apart
# from every Telegram chat id (private ones positive, groups down to about -10^13).
CHAT_KEY_BASE = -(10**15)
_START = re.compile(r"^/start(?:@\S+)?(?:\s+(\S+))?\s*$", re.IGNORECASE)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_NUMBER = re.compile(r"^(\d{1,2})[.)]?$")
_ANY_CODE = r"(CD-\d{4}-\d{1,8}|NH[AÁ]P[\s_-]*\d{1,8})"  # a directive's code, or a draft's «Nháp 12»
_CODE_NUMBER = re.compile(rf"^{_ANY_CODE}[\s:.,–-]+(\d{{1,2}})$", re.IGNORECASE)
_CODE = re.compile(rf"^(?:/(?:xem|view)\s+)?{_ANY_CODE}$", re.IGNORECASE)
_CANCEL = frozenset({"/huy", "huy", "hủy", "huỷ", "/cancel", "cancel"})
_HELP = frozenset({"/trogiup", "/help", "trogiup", "help", "/start"})
_WEB = frozenset({"/web", "web", "/webapp"})
LISTS = {"viec": "my", "tasks": "my", "sapden": "soon", "duesoon": "soon", "quahan": "over", "overdue": "over",
         "choxuly": "inbox", "inbox": "inbox"}
_LIST_TITLES = {"my": "list.my_tasks", "soon": "list.due_soon", "over": "list.overdue", "inbox": "list.inbox",
                "find": "list.search"}
_RETRYABLE = ("deadline.", "text.", "extension.not_later", "date.")


def chat_key(address_id: int) -> int:
    return CHAT_KEY_BASE - address_id


def message_number(message_id: str) -> int:
    """Zalo's message id (a string) as the number a draft's origin is kept under (`message_origins.message_id`, a
    BIGINT): the first 63 bits of its SHA-256, so no two messages of one chat share one in practice."""
    return int.from_bytes(hashlib.sha256(message_id.encode()).digest()[:8], "big") >> 1


@dataclass(frozen=True)
class Incoming:
    chat_id: str
    text: str | None
    first_name: str
    message_id: str | None = None  # Zalo's id of the message: a pasted notice's drafts are kept with it


def incoming(update: dict[str, Any]) -> Incoming | None:
    """A private text message of an update, as the reference describes it (`message.chat.id` a string,
    `chat.chat_type` PRIVATE, `text`, `from.first_name`); None for anything else."""
    message = update.get("message") if isinstance(update, dict) else None
    if not isinstance(message, dict):
        return None
    chat = _dict(message.get("chat"))
    chat_id = str(chat.get("id") or "").strip()
    if not chat_id or len(chat_id) > 64 or str(chat.get("chat_type") or "PRIVATE").upper() != "PRIVATE":
        return None
    sender = _dict(message.get("from"))
    text = message.get("text")
    message_id = str(message.get("message_id") or "").strip()
    return Incoming(chat_id, text if isinstance(text, str) else None, str(sender.get("first_name") or "")[:200],
                    message_id if 0 < len(message_id) <= 128 else None)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class ZaloBot:
    def __init__(self, rt: Runtime, client: ZaloClient, clock: Callable[[], datetime] | None = None) -> None:
        self.rt = rt
        self.client = client
        self.clock = clock or (lambda: datetime.now(UTC))

    async def handle(self, update: dict[str, Any]) -> None:
        """One update: the answer is sent back to its chat (split at 2,000 characters)."""
        message = incoming(update)
        if message is None:
            return
        try:
            answers = await self.answer(message)
        except Exception:
            log.exception("a Zalo update could not be handled")
            answers = [t("error.generic", self.rt.settings.default_language)]
        for text in answers:
            for part in split(text):
                await self.client.send_message(message.chat_id, part)

    async def answer(self, message: Incoming) -> list[str]:
        """What to say back to one message (a list of texts, each split when sent)."""
        rt, now = self.rt, self.clock()
        lang = rt.settings.default_language
        text = (message.text or "").strip()
        found = await access.identify_on(rt, CHANNEL, message.chat_id)
        if found is not None:
            lang = found[0].language
        if message.text is None:
            return [t("zalo.unsupported" if found else "zalo.stranger", lang)]
        if has_control_characters(text):
            return [plain(error_html(DomainError("text.control_characters"), lang))]
        start = _START.match(text)
        token = start.group(1) if start else (text if found is None and _TOKEN.match(text) else None)
        if token:
            try:
                actor = await access.register_on(rt, CHANNEL, message.chat_id, token, full_name=message.first_name,
                                                 language=lang, now=now)
            except DomainError as error:
                return [plain(error_html(error, lang))]
            return [_greeting(actor, "start.moved" if found else "start.registered")]
        if found is None:
            return [t("zalo.stranger", lang)]
        actor, address_id = found
        try:
            return await self._registered(actor, address_id, text, now, message.message_id)
        except DomainError as error:
            return [plain(error_html(error, actor.language))]

    async def _registered(self, actor: Actor, address_id: int, text: str, now: datetime,
                          message_id: str | None = None) -> list[str]:
        rt, lang, key = self.rt, actor.language, chat_key(address_id)
        folded = text.lower()
        if folded in _CANCEL:
            cleared = await conversation.clear(rt, actor.id, key, now=now)
            return [t("reply.cancelled" if cleared else "reply.nothing_to_cancel", lang)]
        waiting = await conversation.pending(rt, actor.id, key, now=now)
        if waiting is not None and waiting.kind in replies.ANSWER_KINDS and not text.startswith("/"):
            try:
                outcome = await replies.answer(rt, actor, key, waiting, text, now=now)
            except DomainError as error:
                if not error.key.startswith(_RETRYABLE):
                    await conversation.clear(rt, actor.id, key, now=now)
                raise
            return [await self._outcome(actor, address_id, outcome, now)]
        if waiting is not None:  # a command instead of the answer: the question is dropped
            await conversation.clear(rt, actor.id, key, now=now)
        if folded in _HELP:
            return [_greeting(actor, "start.welcome_back") if folded == "/start" else t("zalo.help", lang)]
        if folded in _WEB:
            link = await web_auth.create_link(rt, now=now, person_id=actor.id)
            return [t("zalo.web_link", lang, link=link.url, expires=link.expires_at)]
        if number := _NUMBER.match(text):
            last = await replies.offered(rt, address_id)
            if last is None:
                return [t("reply.none", lang)]
            return [await self._choose(actor, address_id, last[0], last[1], int(number.group(1)), now)]
        if pair := _CODE_NUMBER.match(text):
            code = check_code(pair.group(1))
            card = await queries.card(rt, actor.id, code, now=now)
            return [await self._choose(actor, address_id, code, replies.options(card, actor), int(pair.group(2)), now)]
        if shown := _CODE.match(text):
            card = await queries.card(rt, actor.id, check_code(shown.group(1)), now=now)
            return [await self._card(actor, address_id, card, now)]
        if text.startswith("/"):
            return await self._command(actor, text, now)
        if reports_done(text) and (reported := await self._done_typed(actor, address_id, text, now)) is not None:
            return [reported]
        return await self._understand(actor, address_id, text, now, message_id)

    async def _done_typed(self, actor: Actor, address_id: int, text: str, now: datetime) -> str | None:
        """«Hoàn thành: …» or «xong …» typed after the notice or card last offered here, whose replies include
        the completion report: that report, with the text (as a reply to the notice is on Telegram); None
        when the last offer has no such reply (the text is read as anything else is)."""
        last = await replies.offered(self.rt, address_id)
        if last is None or "done" not in last[1]:
            return None
        card = await svc.report_done(self.rt, actor.id, last[0], text, now=now)
        answer = await self._outcome(actor, address_id, replies.Outcome(card, done="done.done",
                                                                        params={"code": card.code}), now)
        if not substantial(text):
            answer = plain(h("zalo.done.thin_report", actor.language, text=text.strip()[:40])) + "\n\n" + answer
        return answer

    async def _choose(self, actor: Actor, address_id: int, code: str, actions: list[str], number: int,
                      now: datetime) -> str:
        if not actions:
            return t("reply.no_options", actor.language, code=code)
        if not 1 <= number <= len(actions):
            return t("reply.out_of_range", actor.language, code=code, count=len(actions))
        outcome = await replies.choose(self.rt, actor, code, actions[number - 1], chat_key(address_id), now=now)
        return await self._outcome(actor, address_id, outcome, now)

    async def _outcome(self, actor: Actor, address_id: int, outcome: replies.Outcome, now: datetime) -> str:
        lang = actor.language
        if outcome.ask is not None:  # Zalo's own wording where Telegram's speaks of attachments
            key = f"zalo.{outcome.ask}" if f"zalo.{outcome.ask}" in CATALOGUES[lang] else outcome.ask
            return plain(h(key, lang, **outcome.params))
        params = {k: code_label(v, lang) if k == "code" else v for k, v in outcome.params.items()}
        done = plain(h(outcome.done or "", lang, **params))
        if outcome.done == "done.ddel":
            return done
        return done + "\n\n" + await self._card(actor, address_id, outcome.card, now)

    async def _card(self, actor: Actor, address_id: int, card: Card, now: datetime) -> str:
        """The card as text, ending with its replies (remembered, so «1» answers them)."""
        text = plain(card_text(card, actor.language))
        actions = replies.options(card, actor)
        if actions:
            await replies.remember(self.rt, address_id, card.code, actions, now=now)
            text += "\n" + replies_line(actions, actor.language)
        return text

    async def _draft(self, actor: Actor, address_id: int, card: Card, *, final: bool, now: datetime) -> str:
        """A typed directive's draft: the card with its open questions, then its replies («1 – Giao việc ·
        2 – Huỷ nháp»; only «Huỷ nháp» while a question is open). The last draft's are what «1» answers; an
        earlier one's name it («Nháp 12 1»)."""
        lang = actor.language
        text = t("zalo.draft_preview", lang) + "\n" + plain(card_text(card, lang))
        actions = replies.options(card, actor)
        if "dok" not in actions:
            text += "\n\n" + t("zalo.draft_fix", lang)
        if actions:
            if final:
                await replies.remember(self.rt, address_id, card.code, actions, now=now)
            text += "\n" + replies_line(actions, lang, None if final else code_label(card.code, lang))
        return text

    async def _command(self, actor: Actor, text: str, now: datetime) -> list[str]:
        word, _, rest = text[1:].partition(" ")
        word = word.split("@")[0].lower()
        if word in ("thongke", "stats"):
            unit, period = await reports.read_request(self.rt, rest, now=now)
            return [await self._stats(actor, unit, period, now)]
        if word in LISTS:
            page, words = _page_of(rest)
            unit = await units.code_named(self.rt, words) if words and LISTS[word] != "inbox" else ""
            return [await self._list(actor, LISTS[word], unit, now, page=page, command=f"/{word}")]
        if word in ("ngonngu", "language"):
            wanted = rest.strip().lower() or ("en" if actor.language == "vi" else "vi")
            actor = await access.set_language(self.rt, actor.id, wanted, now=now)
            return [plain(h("language.changed", actor.language))]
        if word in ("kenh", "channel"):
            wanted = rest.strip().lower()
            if wanted not in ("zalo", "telegram"):
                return [t("channel.usage", actor.language)]
            await access.set_preferred_channel(self.rt, actor.id, wanted, now=now)
            return [t("channel.changed", actor.language, channel=wanted.capitalize())]
        if word in ("timkiem", "search") and rest.strip():
            return [await self._list(actor, "find", rest.strip(), now)]
        return [plain(h("command.unknown", actor.language, command=f"/{word[:30]}")) + "\n\n" +
                t("zalo.help", actor.language)]

    async def _stats(self, actor: Actor, unit: str | None, period: str | None, now: datetime) -> str:
        scope = reports.scope_for(self.rt, now=now, period=period, unit_code=unit)
        report = await reports.report(self.rt, actor.id, scope, leaders=False)
        return summary(report, actor.language, html=False)

    async def _list(self, actor: Actor, kind: str, arg: str, now: datetime, *, page: int = 1,
                    command: str = "", until: date | None = None) -> str:
        rt, lang = self.rt, actor.language
        result: Page
        if kind == "my":
            result = await queries.unit_tasks(rt, actor.id, now=now, unit_code=arg or None, page=page)
        elif kind == "soon":
            result = await queries.due_soon(rt, actor.id, now=now, unit_code=arg or None, page=page, until=until)
        elif kind == "over":
            result = await queries.overdue(rt, actor.id, now=now, unit_code=arg or None, page=page)
        elif kind == "inbox":
            result = await queries.awaiting_decision(rt, actor.id, now=now, page=page)
        else:
            result = await queries.search(rt, actor.id, arg, now=now, page=page)
        shown = arg
        if arg and kind != "find":
            known = (await units.catalog(rt)).index.units.get(arg)
            shown = known.name if known is not None else arg
        title = t(_LIST_TITLES[kind], lang)
        if shown:
            title = t("list.title_for", lang, title=title, name=shown)
        text = plain(list_text(title, result, lang))
        if command and result.page < result.pages:
            text += "\n\n" + t("zalo.list_more", lang, command=f"{command} {arg}".strip(), page=result.page + 1)
        return text

    async def _understand(self, actor: Actor, address_id: int, text: str, now: datetime,
                          message_id: str | None = None) -> list[str]:
        rt, lang = self.rt, actor.language
        index = (await units.catalog(rt)).index
        result = parse_message(text, at=now, calendar=rt.calendar, index=index).as_read_by(actor.role in DECIDERS)
        if result.ambiguous:  # a question, or a directive? Asked how to type either: Zalo has no buttons for it
            return [t("parse.which_meant_typed", lang)]
        if result.kind == "directives":
            if actor.role not in DECIDERS:
                return [t("parse.only_deciders", lang)]
            origin = (chat_key(address_id), message_number(message_id)) if message_id else None
            if origin is not None and await batches.already_read(rt, *origin):
                return []  # the same message delivered again: its drafts were shown the first time
            cards = await svc.create_directives(rt, actor.id, [svc.draft_spec(index, d) for d in result.directives],
                                                now=now, as_draft=True, origin=origin)
            shown = [await self._draft(actor, address_id, card, final=card is cards[-1], now=now) for card in cards]
            if len(cards) > 1 and origin is not None:  # the batch's one-tap answers are on the web
                shown[0] = t("zalo.batch_web", lang, count=len(cards)) + "\n\n" + shown[0]
            return shown
        if result.kind != "query" or result.query is None:
            return [plain(h(result.reason or "parse.not_understood", lang))]
        query = result.query
        if query.unit and query.unit.startswith("#"):
            raise DomainError("query.group", name=query.unit[1:])
        unit = query.unit or ""
        if not unit and query.unresolved and query.intent != "search":
            names = ", ".join(u.name for u in index.suggest(query.unresolved[0], 3))
            return [plain(h("query.unknown_unit", lang, name=query.unresolved[0])) + (f"\n{names}" if names else "")]
        if query.unread_period and query.intent in ("stats", "due_soon"):
            raise DomainError("period.unread", period=query.unread_period)
        if query.intent == "stats":
            return [await self._stats(actor, unit or None, query.period, now)]
        if query.intent == "search":
            return [await self._list(actor, "find", query.text or "", now)]
        if query.intent == "due_soon":
            until = period_range(query.period, local_date(now, rt.settings.tz))[1] if query.period else None
            return [await self._list(actor, "soon", unit, now, until=until)]
        if query.intent == "overdue":
            return [await self._list(actor, "over", unit, now)]
        return [await self._list(actor, "my", unit, now)]


def _page_of(words: str) -> tuple[int, str]:
    """`/quahan SXD 2`: the words and the page asked for (1 when none)."""
    parts = words.split()
    if parts and parts[-1].isdigit() and len(parts[-1]) <= 4:
        return max(int(parts[-1]), 1), " ".join(parts[:-1])
    return 1, " ".join(parts)


def _greeting(actor: Actor, key: str) -> str:
    lang = actor.language
    text = plain(greeting(actor, key))
    return text + "\n\n" + t("zalo.help", lang)
