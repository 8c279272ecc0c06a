"""Replies typed in a text channel without buttons (Zalo): a notice or a card ends with exactly the replies its
reader may make now, numbered from 1; «1» answers the last one offered, «CD-2026-0012 2» a given directive.
A reply that needs a text (a report, a date, a reason) opens the same question in the database as a button
does on Telegram (bot/services/conversation.py), and the typed answer goes to the same use cases.

The numbered replies are drawn from the rule the services enforce (`bot.domain.policy.allowed`), like the
Telegram card's buttons; the services check again when a reply is made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.domain.deadlines import local_date
from bot.domain.directive import is_draft_code
from bot.domain.lifecycle import Move
from bot.domain.policy import Role, Standing, allowed
from bot.errors import DomainError
from bot.parsing.dates import read_date_and_reason
from bot.runtime import Runtime
from bot.services import conversation, queries
from bot.services import directives as svc
from bot.services.common import check_code
from bot.services.conversation import Pending
from bot.services.views import Actor, Card, actor_view
from storage.models import Address, Directive, Offer, Person

# The replies a text channel offers, in the order they are numbered (a reader sees only those they may
# make now). Cancelling and reopening are the office's desk work: the web app, not a number.
REPLIES: tuple[tuple[str, Move], ...] = (
    ("ack", Move.ACKNOWLEDGE),
    ("prog", Move.PROGRESS),
    ("ext", Move.REQUEST_EXTENSION),
    ("done", Move.REPORT_DONE),
    ("conf", Move.CONFIRM),
    ("back", Move.SEND_BACK),
    ("exta", Move.DECIDE_EXTENSION),
    ("extr", Move.DECIDE_EXTENSION),
)
# A draft typed by a leader or the office: assign it, or drop it. «Giao việc» is offered only once no question
# is open and a lead unit is named (the service refuses it otherwise, as for the Telegram card's button).
DRAFT_REPLIES: tuple[tuple[str, Move], ...] = (("dok", Move.CONFIRM_DRAFT), ("ddel", Move.DISCARD))
ACTIONS = frozenset(action for action, _ in REPLIES + DRAFT_REPLIES)
# Replies that first ask for a text: the move checked before asking, and the question.
ASKING = {
    "prog": (Move.PROGRESS, "ask.progress"),
    "done": (Move.REPORT_DONE, "ask.done"),
    "ext": (Move.REQUEST_EXTENSION, "ask.extension_date"),
    "back": (Move.SEND_BACK, "ask.send_back"),
    "extr": (Move.DECIDE_EXTENSION, "ask.refuse_extension"),
}
ANSWER_KINDS = frozenset({"act:prog", "act:done", "act:ext", "act:ext_reason", "act:back", "act:extr"})
PROMPT_CONTENT_CHARS = 80


def moves_for(card: Card, actor: Actor) -> frozenset[Move]:
    """What this person may do on this card now: a focal point acts for their own unit."""
    acting = actor.unit_code if actor.role == Role.FOCAL else None
    return allowed(actor.role, card.standing, acting)


def options(card: Card, actor: Actor) -> list[str]:
    """The replies this reader may make on this card now, in the order they are numbered."""
    if is_draft_code(card.code):
        return draft_options(card, actor)
    return options_for(card.standing, actor)


def draft_options(card: Card, actor: Actor) -> list[str]:
    moves = allowed(actor.role, card.standing, None)
    ready = not card.questions and bool(card.lead_codes)
    return [action for action, move in DRAFT_REPLIES if move in moves and (ready or action != "dok")]


def options_for(standing: Standing, actor: Actor) -> list[str]:
    acting = actor.unit_code if actor.role == Role.FOCAL else None
    moves = allowed(actor.role, standing, acting)
    found = [action for action, move in REPLIES if move in moves]
    if not standing.extension_pending:  # deciding needs a request to decide
        found = [a for a in found if a not in ("exta", "extr")]
    return found


@dataclass(frozen=True)
class Outcome:
    """What a reply did: the card as it is now and the line saying so (`done`, a catalogue key), or the
    question it asks (`ask`, with its parameters)."""

    card: Card
    done: str | None = None
    ask: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if len(text) <= PROMPT_CONTENT_CHARS else text[: PROMPT_CONTENT_CHARS - 1].rstrip() + "…"


async def choose(rt: Runtime, actor: Actor, code: str, action: str, chat_key: int, *, now: datetime) -> Outcome:
    """The reply `action` on directive `code`: made at once (received, confirmed, approved), or the question
    it needs asked and remembered for this chat."""
    code = check_code(code)
    if action == "ack":
        card = await svc.acknowledge(rt, actor.id, code, now=now)
    elif action == "conf":
        card = await svc.confirm_done(rt, actor.id, code, now=now)
    elif action == "dok":
        card = await svc.confirm_draft(rt, actor.id, code, now=now)
    elif action == "ddel":
        card = await svc.discard_draft(rt, actor.id, code, now=now)
    elif action == "exta":
        current = await queries.card(rt, actor.id, code, now=now)
        request = current.pending_extension.id if current.pending_extension else None
        card = await svc.decide_extension(rt, actor.id, code, True, now=now, request_id=request)
    elif action in ASKING:
        move, prompt = ASKING[action]
        card = await svc.check_action(rt, actor.id, code, move, now=now, expected_version=None)
        data: dict[str, Any] = {"round": card.round}
        if action == "extr" and card.pending_extension:
            data["request"] = card.pending_extension.id
        await conversation.ask(rt, actor.id, chat_key, f"act:{action}", now=now, code=card.code,
                               version=card.version, data=data)
        return Outcome(card, ask=prompt, params={"code": card.code, "content": _snippet(card.content)})
    else:
        raise DomainError("action.stale")
    return Outcome(card, done=f"done.{action}", params={"code": card.code})


async def answer(rt: Runtime, actor: Actor, chat_key: int, waiting: Pending, text: str, *, now: datetime) -> Outcome:
    """The typed answer to the question a reply asked, applied to the directive it was about (the same use
    cases and the same round check as the Telegram card's questions). A date alone asks for the reason next;
    a date and its reason in one message make the request at once."""
    kind, code, round_ = waiting.kind, waiting.code, waiting.data.get("round")
    if code is None or kind not in ANSWER_KINDS:
        raise DomainError("action.stale")
    if kind == "act:ext":
        new_deadline, reason = read_date_and_reason(text, local_date(now, rt.settings.tz), rt.calendar)
        await svc.check_extension_date(rt, actor.id, code, new_deadline, now=now)
        if reason is None:
            await conversation.ask(rt, actor.id, chat_key, "act:ext_reason", now=now, code=code,
                                   version=waiting.version, data={"round": round_, "date": new_deadline.isoformat()})
            card = await queries.card(rt, actor.id, code, now=now)
            return Outcome(card, ask="ask.extension_reason", params={"code": code, "date": new_deadline})
        # "đề nghị lùi đến 28/2/2027 vì …": the date and its reason in one message, as on Telegram
        card = await svc.request_extension(rt, actor.id, code, new_deadline, reason, now=now, expected_round=round_)
        kind = "act:ext_reason"  # answered as if asked in two steps
    elif kind == "act:ext_reason":
        try:
            card = await svc.request_extension(rt, actor.id, code, date.fromisoformat(waiting.data["date"]), text,
                                               now=now, expected_round=round_)
        except DomainError as error:
            if error.key.startswith(("deadline.", "extension.not_later")):  # the date no longer holds: ask again
                await conversation.ask(rt, actor.id, chat_key, "act:ext", now=now, code=code,
                                       version=waiting.version, data={"round": round_})
            raise
    elif kind in ("act:prog", "act:done"):
        report = svc.report_progress if kind == "act:prog" else svc.report_done
        card = await report(rt, actor.id, code, text, now=now, expected_round=round_)
    elif kind == "act:back":
        card = await svc.send_back(rt, actor.id, code, text, now=now, expected_round=round_)
    else:  # act:extr
        card = await svc.decide_extension(rt, actor.id, code, False, note=text, now=now,
                                          request_id=waiting.data.get("request"))
    await conversation.clear(rt, actor.id, chat_key, now=now)
    return Outcome(card, done=f"done.{kind.removeprefix('act:')}", params={"code": code})


# -- what a reader was last offered ---------------------------------------------------------------------------


async def remember(rt: Runtime, address_id: int, code: str, actions: list[str], *, now: datetime) -> None:
    """The replies just offered at this address (a notice's or a card's last line): a bare number answers
    them. One per address; the latest wins (one upsert)."""
    directive_id = select(Directive.id).where(Directive.code == code).scalar_subquery()
    values = {"address_id": address_id, "directive_id": directive_id, "actions": list(actions), "offered_at": now}
    async with rt.transaction() as session:
        insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
        statement = insert(Offer).values(**values)
        await session.execute(statement.on_conflict_do_update(
            index_elements=["address_id"],
            set_={"directive_id": statement.excluded.directive_id, "actions": statement.excluded.actions,
                  "offered_at": statement.excluded.offered_at}))


async def offered(rt: Runtime, address_id: int) -> tuple[str, list[str]] | None:
    """The directive and the replies last offered at this address, if any."""
    async with rt.sessions() as session:
        found = (await session.execute(select(Directive.code, Offer.actions)
                                       .join(Directive, Directive.id == Offer.directive_id)
                                       .where(Offer.address_id == address_id))).first()
    return (found.code, list(found.actions or [])) if found is not None else None


async def reader_at(rt: Runtime, address_id: int) -> Actor | None:
    """The active person a private address belongs to (None for a group or someone who left)."""
    async with rt.sessions() as session:
        person = await session.scalar(select(Person).join(Address, Address.person_id == Person.id)
                                      .where(Address.id == address_id, Person.active.is_(True)))
        return actor_view(person) if person is not None else None


async def offers_at(rt: Runtime, address_id: int, codes: list[str]) -> dict[str, list[str]]:
    """The replies the reader at this address may make now on each of these directives (a notice's reader
    is one its directive concerns), in one read: none for a group or someone who left, or a code unknown."""
    found: dict[str, list[str]] = {}
    async with rt.sessions() as session:
        person = await session.scalar(select(Person).join(Address, Address.person_id == Person.id)
                                      .where(Address.id == address_id, Person.active.is_(True)))
        if person is None:
            return found
        actor = actor_view(person)
        uow = rt.uow_on(session)
        for code in dict.fromkeys(codes):
            try:
                directive = await uow.directives.get(check_code(code))
            except DomainError:
                continue
            found[code] = options_for(directive.standing, actor)
    return found
