"""Buttons on a directive's card, the texts they ask for (report, reason, new deadline), and the files
kept with a directive."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest

from bot.domain.deadlines import local_date
from bot.domain.lifecycle import Move
from bot.domain.text import substantial
from bot.errors import DomainError
from bot.parsing.dates import read_date
from bot.services import directives as svc
from bot.services import queries
from bot.services.conversation import Pending
from bot.services.views import Actor, Card
from bot.texts import Html, h, t
from handlers.callbacks import Callback, unpack
from handlers.cards import card_keyboard, card_text, code_label
from handlers.common import Context, answer, ask, expect, forget, now, registered, runtime, send, show
from handlers.render import snippet
from handlers.web import app_button

log = logging.getLogger(__name__)
MORE_FILES_FOR = timedelta(minutes=15)
CODE = re.compile(r"(?:CD-\d{4}|NHAP)-\d+")
PROMPT_CONTENT_CHARS = 80

# Buttons that act at once, and the service each calls.
IMMEDIATE = {
    "ack": lambda rt, a, c, at, v: svc.acknowledge(rt, a.id, c, now=at, expected_version=v),
    "conf": lambda rt, a, c, at, v: svc.confirm_done(rt, a.id, c, now=at, expected_version=v),
    "exta": lambda rt, a, c, at, v: svc.decide_extension(rt, a.id, c, True, now=at, expected_version=v),
    "dok": lambda rt, a, c, at, v: svc.confirm_draft(rt, a.id, c, now=at, expected_version=v),
    "ddel": lambda rt, a, c, at, v: svc.discard_draft(rt, a.id, c, now=at, expected_version=v),
}
# Buttons that first ask for a text: the move checked before asking, and the question.
ASKING = {
    "prog": (Move.PROGRESS, "ask.progress"),
    "done": (Move.REPORT_DONE, "ask.done"),
    "ext": (Move.REQUEST_EXTENSION, "ask.extension_date"),
    "back": (Move.SEND_BACK, "ask.send_back"),
    "canc": (Move.CANCEL, "ask.cancel"),
    "reop": (Move.REOPEN, "ask.reopen"),
    "extr": (Move.DECIDE_EXTENSION, "ask.refuse_extension"),
}
# A unit's own moves are not refused because someone else moved the directive since the button was drawn
# (another unit acknowledged it, the office added a file): a notice's buttons stay good while the rule lets
# the person make the move. The deciders' buttons keep the version they were drawn for.
UNIT_MOVES = frozenset({"ack", "prog", "done", "ext"})
ACTION_KINDS = frozenset(f"act:{action}" for action in (*ASKING, "ext_reason", "more_files"))


def _claim(update: Update) -> Callback:
    data = unpack(update.callback_query.data if update.callback_query else None)
    if data is None or not data.code or data.version is None:
        raise DomainError("action.stale")
    return data


async def show_updated(update: Update, actor: Actor, card: Card, done: Html | None = None, edit: bool = True, *,
                       context: Context | None = None) -> Message | None:
    """Replace the pressed card with its new state (or send it as a new message). A notice about several
    directives (buttons for each) stays as it is, for the others: the card comes as a new message."""
    if edit and _about_others(update):
        edit = False
    text = card_text(card, actor.language)
    if done:
        text = Html(done + "\n\n" + text)
    button = app_button(update, context, card.code, actor.language) if context is not None else None
    return await show(update, text, card_keyboard(card, actor, button), edit=edit)


async def edit_card(context: Context, chat_id: int, message_id: int, actor: Actor, card: Card,
                    done: Html | None = None) -> None:
    """Turn an earlier message of the bot (a draft's preview) into the directive's card; one Telegram no
    longer lets us edit stays as it is."""
    text = card_text(card, actor.language)
    if done:
        text = Html(done + "\n\n" + text)
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, parse_mode="HTML",
                                            reply_markup=card_keyboard(card, actor))
    except BadRequest as error:
        log.info("could not turn message %s into its card: %s", message_id, error.message)


def _about_others(update: Update) -> bool:
    """Whether the pressed message has buttons for directives other than the one pressed for (a merged
    notice). Compared with the pressed button's code: a draft assigned has a new code since."""
    query = update.callback_query
    message = query.message if query is not None else None
    markup = getattr(message, "reply_markup", None)
    pressed = unpack(query.data if query is not None else None)
    if markup is None or pressed is None or not pressed.code:
        return False
    code = pressed.code
    return any(b.callback_data and isinstance(b.callback_data, str) and CODE.search(b.callback_data)
               and code not in b.callback_data for row in markup.inline_keyboard for b in row)


@registered
async def cb_act(update: Update, context: Context, actor: Actor) -> None:
    claim = _claim(update)
    run = IMMEDIATE.get(claim.action)
    if run is None:
        raise DomainError("action.stale")
    version = None if claim.action in UNIT_MOVES else claim.version
    card = await run(runtime(context), actor, claim.code, now(context), version)
    await answer(update, t(f"done.{claim.action}", actor.language, code=code_label(card.code, actor.language)))
    await show_updated(update, actor, card, context=context)


@registered
async def cb_ask(update: Update, context: Context, actor: Actor) -> None:
    claim = _claim(update)
    if claim.action not in ASKING:
        raise DomainError("action.stale")
    move, prompt = ASKING[claim.action]
    card = await svc.check_action(runtime(context), actor.id, claim.code, move, now=now(context),
                                  expected_version=None if claim.action in UNIT_MOVES else claim.version)
    request: dict[str, Any] = {"request": card.pending_extension.id} \
        if claim.action == "extr" and card.pending_extension else {}
    await expect(update, context, actor, f"act:{claim.action}", code=card.code, version=card.version,
                 round=card.round, **request)
    await answer(update)
    await ask(update, actor, h(prompt, actor.language, code=card.code, content=snippet(card.content, PROMPT_CONTENT_CHARS)))


async def answer_action(update: Update, context: Context, actor: Actor, waiting: Pending, text: str,
                        files: list[svc.FileRef]) -> None:
    """The typed answer (or file) to a card button's question, applied to the directive it was about. What
    others did to the directive meanwhile (a support unit's acknowledgement, a progress report) does not
    void the answer, but a new round does (a report sent back, confirmed or reopened, an extension granted):
    the answer was about what the person saw. The service checks again that they may still make the move,
    and a refusal names only the extension request the decider saw."""
    rt, at, kind = runtime(context), now(context), waiting.kind
    code, version, round_ = waiting.code, waiting.version, waiting.data.get("round")
    if code is None:
        raise DomainError("action.stale")
    if kind == "act:ext":
        new_deadline = read_date(text, local_date(at, rt.settings.tz), rt.calendar)
        await svc.check_extension_date(rt, actor.id, code, new_deadline, now=at)
        await expect(update, context, actor, "act:ext_reason", code=code, version=version, round=round_,
                     date=new_deadline.isoformat())
        await ask(update, actor, h("ask.extension_reason", actor.language, code=code, date=new_deadline))
        return
    if kind == "act:more_files":
        if not files:  # a text after the report: a new message, not an answer
            raise DomainError("action.stale")
        card = await svc.add_files(rt, actor.id, code, files, now=at)
        await send(update, h("done.more_files", actor.language, code=code, count=len(files)))
        return
    if kind == "act:ext_reason":
        try:
            card = await svc.request_extension(rt, actor.id, code, date.fromisoformat(waiting.data["date"]), text,
                                               now=at, expected_round=round_)
        except DomainError as error:
            if error.key.startswith(("deadline.", "extension.not_later")):  # the date no longer holds: ask it again
                await expect(update, context, actor, "act:ext", code=code, version=version, round=round_)
            raise
    elif kind in ("act:prog", "act:done"):
        report = svc.report_progress if kind == "act:prog" else svc.report_done
        card = await report(rt, actor.id, code, text, files=files, now=at, expected_round=round_)
    elif kind == "act:back":
        card = await svc.send_back(rt, actor.id, code, text, now=at, expected_round=round_)
    elif kind == "act:canc":
        card = await svc.cancel(rt, actor.id, code, text, now=at, expected_round=round_)
    elif kind == "act:reop":
        card = await svc.reopen(rt, actor.id, code, text, now=at, expected_round=round_)
    elif kind == "act:extr":
        card = await svc.decide_extension(rt, actor.id, code, False, note=text, now=at,
                                          request_id=waiting.data.get("request"))
    else:
        raise DomainError("action.stale")
    if files:  # an album's other files follow as separate messages: they join this report
        await expect(update, context, actor, "act:more_files", code=code, version=card.version, ttl=MORE_FILES_FOR)
    else:
        await forget(update, context, actor)
    done = h(f"done.{kind.removeprefix('act:')}", actor.language, code=code)
    if kind in ("act:prog", "act:done") and not substantial(text, files=len(files)):
        done = Html(done + "\n" + h("done.thin_report", actor.language, text=text.strip()[:40]))
    await show_updated(update, actor, card, done, edit=False, context=context)


@registered
async def cb_files(update: Update, context: Context, actor: Actor) -> None:
    """Send the files kept with a directive to whoever may read it."""
    data = unpack(update.callback_query.data)
    if data is None or not data.code:
        raise DomainError("action.stale")
    card = await queries.card(runtime(context), actor.id, data.code, now=now(context))
    await answer(update)
    chat = update.effective_chat
    if chat is None:
        return
    for file in card.files:
        caption = h("file.caption", actor.language, code=card.code, unit=file.unit_name or "—", at=file.at)
        if file.kind == "photo":
            await chat.send_photo(file.file_id, caption=caption, parse_mode="HTML")
        else:
            await chat.send_document(file.file_id, caption=caption, parse_mode="HTML")
