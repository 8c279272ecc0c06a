"""Buttons on a directive's card, and the texts they ask for (report, reason, new deadline)."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.domain.deadlines import local_date
from bot.domain.lifecycle import Move
from bot.errors import DomainError
from bot.parsing.dates import read_date
from bot.services import directives as svc
from bot.services.views import Actor, Card
from bot.texts import t
from handlers.callbacks import Callback, unpack
from handlers.common import Context, clear_pending, expect, now, registered, runtime, send, show
from handlers.render import card_keyboard, card_text

# Buttons that act at once, and the service each calls.
IMMEDIATE = {
    "ack": lambda rt, a, c, at, v: svc.acknowledge(rt, a.id, c, now=at, expected_version=v),
    "conf": lambda rt, a, c, at, v: svc.confirm_done(rt, a.id, c, now=at, expected_version=v),
    "exta": lambda rt, a, c, at, v: svc.decide_extension(rt, a.id, c, True, now=at, expected_version=v),
    "extr": lambda rt, a, c, at, v: svc.decide_extension(rt, a.id, c, False, now=at, expected_version=v),
    "dok": lambda rt, a, c, at, v: svc.confirm_draft(rt, a.id, c, now=at, expected_version=v),
    "ddel": lambda rt, a, c, at, v: svc.discard_draft(rt, a.id, c, now=at, expected_version=v),
}
# Buttons that first ask for a text: the move checked before asking, and the prompt.
ASKING = {
    "prog": (Move.PROGRESS, "ask.progress"),
    "done": (Move.REPORT_DONE, "ask.done"),
    "ext": (Move.REQUEST_EXTENSION, "ask.extension_date"),
    "back": (Move.SEND_BACK, "ask.send_back"),
    "canc": (Move.CANCEL, "ask.cancel"),
    "reop": (Move.REOPEN, "ask.reopen"),
}


def _claim(update: Update) -> Callback:
    data = unpack(update.callback_query.data if update.callback_query else None)
    if data is None or not data.code or data.version is None:
        raise DomainError("action.stale")
    return data


async def show_updated(update: Update, actor: Actor, card: Card, done_key: str | None = None, edit: bool = True) -> None:
    """Replace the pressed card with its new state (or send it as a new message)."""
    text = card_text(card, actor.language)
    if done_key:
        text = t(done_key, actor.language) + "\n\n" + text
    await show(update, text, card_keyboard(card, actor), edit=edit)


@registered
async def cb_act(update: Update, context: Context, actor: Actor) -> None:
    claim = _claim(update)
    run = IMMEDIATE.get(claim.action)
    if run is None:
        raise DomainError("action.stale")
    card = await run(runtime(context), actor, claim.code, now(context), claim.version)
    await update.callback_query.answer(t(f"done.{claim.action}", actor.language))
    await show_updated(update, actor, card)


@registered
async def cb_ask(update: Update, context: Context, actor: Actor) -> None:
    claim = _claim(update)
    if claim.action not in ASKING:
        raise DomainError("action.stale")
    move, prompt = ASKING[claim.action]
    await svc.check_action(runtime(context), actor.id, claim.code, move, expected_version=claim.version)
    expect(context, claim.action, code=claim.code, version=claim.version)
    await update.callback_query.answer()
    await send(update, t(prompt, actor.language, code=claim.code))


async def answer_pending(update: Update, context: Context, actor: Actor, waiting: dict, text: str,
                         file_id: str | None = None) -> None:
    """The typed answer to a card button's question."""
    rt, at, kind = runtime(context), now(context), waiting["kind"]
    code, version = waiting["code"], waiting["version"]
    if kind == "ext":
        new_deadline = read_date(text, local_date(at, rt.settings.tz), rt.calendar)
        expect(context, "ext_reason", code=code, version=version, date=new_deadline.isoformat())
        await send(update, t("ask.extension_reason", actor.language, date=new_deadline))
        return
    if kind == "ext_reason":
        card = await svc.request_extension(rt, actor.id, code, date.fromisoformat(waiting["date"]), text, now=at,
                                           expected_version=version)
    elif kind == "prog":
        card = await svc.report_progress(rt, actor.id, code, text, file_id=file_id, now=at, expected_version=version)
    elif kind == "done":
        card = await svc.report_done(rt, actor.id, code, text, file_id=file_id, now=at, expected_version=version)
    elif kind == "back":
        card = await svc.send_back(rt, actor.id, code, text, now=at, expected_version=version)
    elif kind == "canc":
        card = await svc.cancel(rt, actor.id, code, text, now=at, expected_version=version)
    elif kind == "reop":
        card = await svc.reopen(rt, actor.id, code, text, now=at, expected_version=version)
    else:
        clear_pending(context)
        return
    clear_pending(context)
    await show_updated(update, actor, card, f"done.{kind}")
