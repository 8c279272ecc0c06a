"""Buttons on a directive's card: the one table that maps each to its move, the press that names one
(`CardPress`), the card's keyboard, the texts they ask for (report, reason, new deadline), and the files kept
with a directive."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError

from bot.domain import directive as dom
from bot.domain.deadlines import local_date
from bot.domain.lifecycle import Move, State
from bot.domain.text import approves, neither_decision_nor_reason, reports_done, substantial
from bot.errors import DomainError
from bot.parsing.dates import read_date_and_reason
from bot.render import card_text, code_label, snippet
from bot.services import directives as svc
from bot.services import lifecycle, queries
from bot.services.common import check_code
from bot.services.conversation import Pending
from bot.services.replies import moves_for
from bot.services.views import Actor, Card
from bot.texts import Html, h, t
from handlers import callbacks as cb
from handlers.callbacks import CardFiles, claimed, pressed, presses, unpack
from handlers.common import Context, answer, ask, expect, forget, now, registered, runtime, send, show
from handlers.web import app_button

log = logging.getLogger(__name__)
MORE_FILES_FOR = timedelta(minutes=15)
PROMPT_CONTENT_CHARS = 80
RECEIVED = "👍"  # the reaction on a typed answer applied in place (one of Telegram's standard reactions)

# The card's buttons: the one table that maps a button to its move. Immediate buttons make the move at once
# (`command`, through `cb_card`); asking buttons first check the move and ask `prompt` (`answer_action` takes
# the typed answer). Rows are the card's rows, in order. The tag is the wire contract (callback data of
# buttons already in chats): never rename one.


@dataclass(frozen=True)
class CardButton:
    tag: str
    label: str
    move: Move
    row: int
    command: Callable[[], dom.Command] | None = None
    prompt: str | None = None


CARD_BUTTONS: tuple[CardButton, ...] = (
    CardButton("dok", "btn.assign", Move.CONFIRM_DRAFT, 0, command=dom.ConfirmDraft),
    CardButton("ded", "btn.edit", Move.EDIT_DRAFT, 0),  # opens the correction flow (handlers/assign.py)
    CardButton("ddel", "btn.discard", Move.DISCARD, 0, command=dom.Discard),
    CardButton("ack", "btn.ack", Move.ACKNOWLEDGE, 1, command=dom.Acknowledge),
    CardButton("prog", "btn.progress", Move.PROGRESS, 1, prompt="ask.progress"),
    CardButton("ext", "btn.extension", Move.REQUEST_EXTENSION, 2, prompt="ask.extension_date"),
    CardButton("done", "btn.done", Move.REPORT_DONE, 2, prompt="ask.done"),
    CardButton("conf", "btn.confirm", Move.CONFIRM, 3, command=dom.Confirm),
    CardButton("back", "btn.send_back", Move.SEND_BACK, 3, prompt="ask.send_back"),
    CardButton("exta", "btn.approve_ext", Move.DECIDE_EXTENSION, 4, command=lambda: dom.DecideExtension(True)),
    CardButton("extr", "btn.refuse_ext", Move.DECIDE_EXTENSION, 4, prompt="ask.refuse_extension"),
    CardButton("canc", "btn.cancel", Move.CANCEL, 5, prompt="ask.cancel"),
    CardButton("reop", "btn.reopen", Move.REOPEN, 5, prompt="ask.reopen"),
)
BUTTONS = {b.tag: b for b in CARD_BUTTONS}
# A unit's own moves are not refused because someone else moved the directive since the button was drawn
# (another unit acknowledged it, the office added a file): a notice's buttons stay good while the rule lets
# the person make the move. The deciders' buttons keep the version they were drawn for.
UNIT_MOVES = frozenset({"ack", "prog", "done", "ext"})
# The report buttons: a text typed as a reply to a message that shows one is that report (`report_by_reply`),
# and a notice about one directive that shows one says so (handlers/notifier.py).
REPORTS = frozenset({"prog", "done"})


@cb.kind
@dataclass(frozen=True)
class CardPress(cb.Press):
    """A button of `CARD_BUTTONS` on the card of `code` as it was at `version`."""

    TAGS = tuple(BUTTONS)
    button: str
    code: str
    version: int

    @property
    def tag(self) -> str:
        return self.button

    @property
    def spec(self) -> CardButton:
        return BUTTONS[self.button]

    def slots(self) -> tuple[str, str, str]:
        return self.code, str(self.version), ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> cb.Press:
        cb.empty(c)
        return cls(tag, cb.text(a, cb.DIRECTIVE), cb.number(b, 0))


# What the card buttons' questions wait for (bot.services.conversation kinds), and the later steps.
ACTION_KINDS = frozenset(f"act:{b.tag}" for b in CARD_BUTTONS if b.prompt) | {"act:ext_reason", "act:more_files"}


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
                    done: Html | None = None, *, done_below: bool = False,
                    open_app: InlineKeyboardButton | None = None) -> bool:
    """Turn an earlier message of the bot (a draft's preview, a card that asked a question) into the
    directive's card, `done` above it (or below it, where the question was); one Telegram no longer lets us
    edit stays as it is (False)."""
    text = card_text(card, actor.language)
    if done:
        text = Html(text + "\n\n" + done) if done_below else Html(done + "\n\n" + text)
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, parse_mode="HTML",
                                            reply_markup=card_keyboard(card, actor, open_app))
        return True
    except BadRequest as error:
        log.info("could not turn message %s into its card: %s", message_id, error.message)
        return False


def _about_others(update: Update) -> bool:
    """Whether the pressed message has buttons for directives other than the one pressed for (a merged
    notice). Compared with the pressed button's code: a draft assigned has a new code since."""
    query = update.callback_query
    message = query.message if query is not None else None
    markup = getattr(message, "reply_markup", None)
    code = getattr(unpack(query.data if query is not None else None), "code", None)
    if not isinstance(markup, InlineKeyboardMarkup) or not code:
        return False
    return any(getattr(press, "code", code) not in ("", code) for press in presses(markup))


def move_rows(card: Card, actor: Actor, *, named: bool = False) -> list[list[InlineKeyboardButton]]:
    """The buttons of the moves this person may make on this card now (CARD_BUTTONS, `moves_for`: the rule
    the card uses), a row per group; `named`: each label ends with the directive's code (a notice about
    several)."""
    lang, moves = actor.language, moves_for(card, actor)
    rows: list[list[InlineKeyboardButton]] = [[] for _ in range(max(b.row for b in CARD_BUTTONS) + 1)]
    for button in CARD_BUTTONS:
        if button.move in moves:
            label = t(button.label, lang)
            if named:
                label = t("btn.with_code", lang, label=label, code=code_label(card.code, lang))
            rows[button.row].append(InlineKeyboardButton(
                label, callback_data=CardPress(button.tag, card.code, card.version).pack()))
    return [r for r in rows if r]


def card_keyboard(card: Card, actor: Actor, open_app: InlineKeyboardButton | None = None) -> InlineKeyboardMarkup:
    """The buttons this person may press on this card now (CARD_BUTTONS, drawn from the rule the service
    checks again on press), and the one that opens it in the web app (handlers/web.py) when it has a public
    address."""
    lang = actor.language
    rows = move_rows(card, actor)
    extra = []
    if card.files:
        extra.append(InlineKeyboardButton(t("btn.files", lang, count=len(card.files)),
                                          callback_data=CardFiles(card.code).pack()))
    if card.state != State.DRAFT:
        extra.append(InlineKeyboardButton(t("btn.history", lang), callback_data=cb.CardHistory(card.code).pack()))
    rows.append(extra)
    if open_app is not None:
        rows.append([open_app])
    return InlineKeyboardMarkup([r for r in rows if r])


@registered
async def cb_card(update: Update, context: Context, actor: Actor) -> None:
    """A button of the card (CARD_BUTTONS): its move made at once, or checked and its text asked."""
    press = claimed(update, CardPress)
    button, rt, at = press.spec, runtime(context), now(context)
    if button.command is not None:
        card = await lifecycle.act(rt, actor.id, check_code(press.code), button.command(), now=at,
                                   expected_version=None if button.tag in UNIT_MOVES else press.version)
        await answer(update, t(f"done.{button.tag}", actor.language, code=code_label(card.code, actor.language)))
        if _about_others(update) and await _update_notice(update, actor, press.code, card):
            return  # a notice about several: its buttons for this directive now, no new message
        await show_updated(update, actor, card, context=context)
        return
    if button.prompt is None:  # a button another handler takes (the draft's «Sửa»)
        raise DomainError("action.stale")
    card = await svc.check_action(rt, actor.id, press.code, button.move, now=at,
                                  expected_version=None if button.tag in UNIT_MOVES else press.version)
    request: dict[str, Any] = {"request": card.pending_extension.id} \
        if button.tag == "extr" and card.pending_extension else {}
    await answer(update)
    prompt = h(button.prompt, actor.language, code=card.code, content=snippet(card.content, PROMPT_CONTENT_CHARS))
    # What is awaited is stored before the question shows: an answer typed at once may reach another replica.
    target = _in_place_target(update)
    if target is not None and not _about_others(update):
        request["asked_in"] = target  # the answer turns this message into the updated card (answer_action)
    await expect(update, context, actor, f"act:{button.tag}", code=card.code, version=card.version,
                 round=card.round, **request)
    if target is None or not await _ask_in_place(update, prompt, actor.language):
        # Asked in a new message after all; the answer still turns the pressed card into the updated card.
        await ask(update, actor, prompt)


def ack_codes(markup: InlineKeyboardMarkup | None) -> list[str]:
    """The directives whose «Đã nhận» a message shows (a merged notice's per-directive buttons), in order."""
    return list(dict.fromkeys(p.code for p in presses(markup) if isinstance(p, CardPress) and p.button == "ack"))


@registered
async def cb_ack_all(update: Update, context: Context, actor: Actor) -> None:
    """«Nhận tất cả»: every directive the notice offers «Đã nhận» for is acknowledged, each a move of its own
    that the service checks (lifecycle.acknowledge_all); the notice keeps its other buttons, no new message."""
    claimed(update, cb.AckAll)
    query = update.callback_query
    message = query.message if query is not None else None
    markup = getattr(message, "reply_markup", None)
    codes = ack_codes(markup)
    if not codes:
        raise DomainError("action.stale")
    done = set(await _acknowledge_codes(update, context, actor, codes))
    rows = [[b for b in row if not _acknowledges(b, done)] for row in markup.inline_keyboard]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup([r for r in rows if r]))
    except BadRequest as error:
        log.info("could not drop the acknowledged buttons: %s", error.message)


async def _acknowledge_codes(update: Update, context: Context, actor: Actor, codes: list[str]) -> list[str]:
    """Acknowledge `codes` for the person's unit, each a move of its own (lifecycle.acknowledge_all); the press
    answered with what was done (the first refusal when nothing was). The codes acknowledged."""
    lang = actor.language
    result = await lifecycle.acknowledge_all(runtime(context), actor.id, codes, now=now(context))
    if not result.acknowledged:
        raise DomainError(result.skipped[0][1] if result.skipped else "action.stale",
                          code=code_label(codes[0], lang))
    await answer(update, _acknowledged_text(result.acknowledged, lang))
    return result.acknowledged


def _acknowledged_text(codes: list[str], lang: str) -> str:
    if len(codes) == 1:
        return t("done.ack", lang, code=code_label(codes[0], lang))
    return t("done.ack_all", lang, count=len(codes), codes=", ".join(code_label(c, lang) for c in codes))


LISTED = re.compile(r"\bCD-[0-9]{4}-[0-9]{1,8}\b")


@registered
async def cb_ack_listed(update: Update, context: Context, actor: Actor) -> None:
    """The acknowledge button under a unit's daily digest: the task it names, or every task the digest lists
    (read from the pressed message, as «Nhận tất cả» reads a notice's buttons), acknowledged each as a move
    of its own. The digest says so where the button was, and loses it: no new message."""
    press = claimed(update, cb.AckListed)
    query = update.callback_query
    message = query.message if query is not None else None
    text = message.text if isinstance(message, Message) else None
    codes = [press.code] if press.code else list(dict.fromkeys(LISTED.findall(text or "")))
    if query is None or not codes:
        raise DomainError("action.stale")
    done = await _acknowledge_codes(update, context, actor, codes)
    markup = getattr(message, "reply_markup", None)
    rows = [[b for b in row if not isinstance(pressed(b), cb.AckListed)]
            for row in (markup.inline_keyboard if markup else ())]
    keyboard = InlineKeyboardMarkup([r for r in rows if r])
    try:
        if isinstance(message, Message) and message.text:
            said = h("digest.acked", actor.language, text=_acknowledged_text(done, actor.language))
            await query.edit_message_text(message.text_html + "\n\n" + said, parse_mode="HTML",
                                          reply_markup=keyboard)
        else:
            await query.edit_message_reply_markup(keyboard)
    except BadRequest as error:
        log.info("could not mark the digest acknowledged: %s", error.message)


async def _update_notice(update: Update, actor: Actor, code: str, card: Card) -> bool:
    """On a notice about several directives, the rows of buttons for `code` become the moves its card allows
    now (the others stay; «Nhận tất cả» only while two or more «Đã nhận» remain). False if it cannot be
    edited."""
    query = update.callback_query
    markup = getattr(query.message if query is not None else None, "reply_markup", None)
    if query is None or markup is None:
        return False
    rows: list[list[InlineKeyboardButton]] = []
    placed = False
    for row in markup.inline_keyboard:
        presses = [unpack(b.callback_data if isinstance(b.callback_data, str) else None) for b in row]
        if any(isinstance(p, CardPress) and p.code == code for p in presses):
            if not placed:
                rows += move_rows(card, actor, named=True)
                placed = True
            continue
        rows.append(list(row))
    if len(ack_codes(InlineKeyboardMarkup(rows))) < 2:
        rows = [[b for b in row if not isinstance(unpack(b.callback_data if isinstance(b.callback_data, str)
                                                          else None), cb.AckAll)] for row in rows]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup([r for r in rows if r]))
    except BadRequest as error:
        log.info("could not update the notice's buttons: %s", error.message)
        return False  # the card is shown instead: the reader sees what changed
    return True


def confirm_codes(markup: InlineKeyboardMarkup | None) -> list[tuple[str, int]]:
    """The reports whose «Xác nhận» a message shows, with the version each button was drawn for, in order."""
    shown: list[tuple[str, int]] = []
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            press = unpack(button.callback_data if isinstance(button.callback_data, str) else None)
            if isinstance(press, CardPress) and press.button == "conf":
                shown.append((press.code, press.version))
    return list(dict.fromkeys(shown))


@registered
async def cb_confirm_all(update: Update, context: Context, actor: Actor) -> None:
    """«Xác nhận tất cả»: every report the notice offers «Xác nhận» for is confirmed at the version shown, each
    a move of its own that the service checks (lifecycle.confirm_all); the notice keeps its other buttons (a
    report sent back or changed since stays with its own), no new message."""
    claimed(update, cb.ConfirmAll)
    query = update.callback_query
    message = query.message if query is not None else None
    markup = getattr(message, "reply_markup", None)
    shown = confirm_codes(markup)
    if not shown:
        raise DomainError("action.stale")
    lang = actor.language
    result = await lifecycle.confirm_all(runtime(context), actor.id, shown, now=now(context))
    if not result.confirmed:
        raise DomainError(result.skipped[0][1] if result.skipped else "action.stale",
                          code=code_label(shown[0][0], lang))
    await answer(update, t("done.confirm_all", lang, count=len(result.confirmed),
                           codes=", ".join(code_label(c, lang) for c in result.confirmed)))
    done = set(result.confirmed)
    rows = [[b for b in row if not _decided(b, done)] for row in markup.inline_keyboard]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup([r for r in rows if r]))
    except BadRequest as error:
        log.info("could not drop the confirmed reports' buttons: %s", error.message)


def _decided(button: InlineKeyboardButton, done: set[str]) -> bool:
    """«Xác nhận tất cả», or a button of a report now confirmed (its «Xác nhận», «Trả lại», «Huỷ»)."""
    press = unpack(button.callback_data if isinstance(button.callback_data, str) else None)
    return isinstance(press, cb.ConfirmAll) or (isinstance(press, CardPress) and press.code in done
                                                and press.button in ("conf", "back", "canc"))


def _acknowledges(button: InlineKeyboardButton, done: set[str]) -> bool:
    """«Nhận tất cả», or the «Đã nhận» of a directive now acknowledged."""
    press = pressed(button)
    return isinstance(press, cb.AckAll) or (isinstance(press, CardPress) and press.button == "ack"
                                             and press.code in done)


def _in_place_target(update: Update) -> int | None:
    """In a private chat, the question a card's button asks is written under the pressed message (a card, or a
    notice, also one about several directives: the question names its directive) instead of in a new
    message; its buttons stay. The message's id, or None when it cannot be (a group, where the question must
    open a reply)."""
    query, chat = update.callback_query, update.effective_chat
    message = query.message if query is not None else None
    if chat is None or chat.type != "private" or not isinstance(message, Message) or not message.text:
        return None
    return message.message_id


async def _ask_in_place(update: Update, prompt: Html, lang: str) -> bool:
    """The question written under the pressed message (`_in_place_target`); False when it cannot be (too long,
    the message gone): then it is asked in a new one."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message) or not message.text:
        return False
    try:
        await query.edit_message_text(message.text_html + "\n\n" + h("ask.in_place", lang, prompt=prompt),
                                      parse_mode="HTML",
                                      reply_markup=message.reply_markup)
        return True
    except BadRequest as error:
        log.info("could not ask under the pressed message (%s): asking in a new one", error.message)
        return False


async def _answered_in_place(update: Update, context: Context, actor: Actor, waiting: Pending, card: Card,
                             done: Html) -> bool:
    """The card that asked the question (in place, in a private chat) becomes the updated card with the
    confirmation where the question was, and the person's message gets a 👍: no new message (issue 22's
    budget). False when the question was asked in a message of its own, or that card can no longer be
    edited (then the confirmation and card come as a new message)."""
    asked_in, message, chat = waiting.data.get("asked_in"), update.effective_message, update.effective_chat
    if not isinstance(asked_in, int) or message is None or chat is None or chat.type != "private":
        return False
    if not await edit_card(context, message.chat_id, asked_in, actor, card, done, done_below=True,
                           open_app=app_button(update, context, card.code, actor.language)):
        return False
    try:
        await context.bot.set_message_reaction(message.chat_id, message.message_id, RECEIVED)
    except TelegramError as error:  # the edited card above still says it
        log.info("could not mark the report as received: %s", error.message)
    return True


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
        new_deadline, reason = read_date_and_reason(text, local_date(at, rt.settings.tz), rt.calendar)
        await svc.check_extension_date(rt, actor.id, code, new_deadline, now=at)
        if reason is None:
            await expect(update, context, actor, "act:ext_reason", code=code, version=version, round=round_,
                         date=new_deadline.isoformat())
            await ask(update, actor, h("ask.extension_reason", actor.language, code=code, date=new_deadline))
            return
        # "đề nghị lùi đến 28/2/2027 vì …": the date and its reason in one message
        card = await svc.request_extension(rt, actor.id, code, new_deadline, reason, now=at, expected_round=round_)
        kind = "act:ext_reason"  # answered as if asked in two steps
    elif kind == "act:more_files":
        if not files:  # a text after the report: a new message, not an answer
            raise DomainError("action.stale")
        card = await svc.add_files(rt, actor.id, code, files, now=at)
        await send(update, h("done.more_files", actor.language, code=code, count=len(files)))
        return
    elif kind == "act:ext_reason":
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
    if await _answered_in_place(update, context, actor, waiting, card, done):
        return
    await show_updated(update, actor, card, done, edit=False, context=context)


@registered
async def cb_files(update: Update, context: Context, actor: Actor) -> None:
    """Send the files kept with a directive to whoever may read it."""
    press = claimed(update, CardFiles)
    card = await queries.card(runtime(context), actor.id, press.code, now=now(context))
    await answer(update)
    chat = update.effective_chat
    if chat is None:
        return
    for file in card.files:
        unit = file.unit_name or t("value.none", actor.language)
        caption = h("file.caption", actor.language, code=card.code, unit=unit, at=file.at)
        if file.kind == "photo":
            await chat.send_photo(file.file_id, caption=caption, parse_mode="HTML")
        else:
            await chat.send_document(file.file_id, caption=caption, parse_mode="HTML")


def reply_codes(message: Message | None, bot_id: int, report: str | None = None) -> list[str]:
    """The directives the bot's message that `message` replies to has buttons for, in order, when it shows a
    report button (none when it replies to something else); with `report` ("prog" or "done"), the one
    directive whose button for that report the message shows, when it shows it for one only (a completion
    typed as a reply to a notice of a lead task and a support task can mean only the lead one)."""
    replied = message.reply_to_message if message is not None else None
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return []
    buttons = presses(replied.reply_markup)
    reporting: dict[str, set[str]] = {}  # the report buttons it shows, by directive
    for press in buttons:
        if isinstance(press, CardPress) and press.button in REPORTS:
            reporting.setdefault(press.code, set()).add(press.button)
    if not reporting:
        return []
    fitting = [code for code, shown in reporting.items() if report in shown]
    if len(fitting) == 1:
        return fitting
    codes = (getattr(press, "code", None) for press in buttons)  # a card's button, «Mở thẻ», …
    return list(dict.fromkeys(code for code in codes if isinstance(code, str) and code))


def send_back_presses(message: Message | None, bot_id: int) -> list[CardPress]:
    """The «Trả lại» buttons of the bot's message that `message` replies to (a done report's notice or card)."""
    replied = message.reply_to_message if message is not None else None
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return []
    found: dict[str, CardPress] = {}
    for press in presses(replied.reply_markup):
        if isinstance(press, CardPress) and press.button == "back":
            found.setdefault(press.code, press)
    return list(found.values())


async def decide_by_reply(update: Update, context: Context, actor: Actor, text: str) -> bool:
    """A text the office (or a leader) types as a reply to the bot's notice or card that shows a done report's
    «Trả lại» is the decision on that report, without the button: «xác nhận», «đồng ý» or «ok» first confirms
    it, a reason sends it back with that text (thanks, praise or a word too short to be a reason is answered
with what a reply can do, and changes nothing). At the version the message showed (a
    report changed since is not decided on what was not read); the service checks the person may decide. A
    reply to a message about several reports asks which. False when the message is no such reply."""
    message, chat = update.effective_message, update.effective_chat
    if chat is None or chat.type != "private" or message is None:
        return False
    backs = send_back_presses(message, context.bot.id)
    if not backs:
        return False
    lang = actor.language
    if len(backs) > 1:
        await send(update, h("reply.which_report", lang, codes=", ".join(code_label(p.code, lang) for p in backs)))
        return True
    press, rt, at = backs[0], runtime(context), now(context)
    if neither_decision_nor_reason(text):
        await send(update, h("reply.decide_unclear", lang, code=code_label(press.code, lang)))
        return True
    if approves(text):
        card = await svc.confirm_done(rt, actor.id, press.code, now=at, expected_version=press.version)
        done = h("done.conf", lang, code=code_label(press.code, lang))
    else:
        card = await svc.send_back(rt, actor.id, press.code, text, now=at, expected_version=press.version)
        done = h("done.back", lang, code=code_label(press.code, lang))
    replied = message.reply_to_message
    assert replied is not None
    waiting = Pending("act:back", press.code, card.version, {"asked_in": replied.message_id})
    if await _answered_in_place(update, context, actor, waiting, card, done):
        return True
    await show_updated(update, actor, card, done, edit=False, context=context)
    return True


async def report_by_reply(update: Update, context: Context, actor: Actor, text: str,
                          files: list[svc.FileRef]) -> bool:
    """A text typed as a reply to the bot's notice or card that shows a directive's report buttons is that
    report, without the button (issue 22): a completion when it says so (`bot.domain.text.reports_done`: it
    starts with «hoàn thành», «đã hoàn thành» or «xong»), else progress. The service checks that the person
    may report. A reply to a message about several directives is about the one that shows that report's
    button, when only one does; else it asks which. False when the message is no such reply, or is in a group
    (where people reply to each other about a notice: only answers to the bot's own questions are reports
    there)."""
    message, chat = update.effective_message, update.effective_chat
    if chat is None or chat.type != "private":
        return False
    kind = "act:done" if reports_done(text) else "act:prog"
    codes = reply_codes(message, context.bot.id, kind.removeprefix("act:"))
    if message is None or not codes:
        return False
    lang = actor.language
    if len(codes) > 1:
        await send(update, h("reply.which", lang, codes=", ".join(code_label(c, lang) for c in codes)))
        return True
    several = len(reply_codes(message, context.bot.id)) > 1  # the replied message stays, for the others
    code, rt, at = codes[0], runtime(context), now(context)
    report = svc.report_done if kind == "act:done" else svc.report_progress
    card = await report(rt, actor.id, code, text, files=files, now=at)
    if files:
        await expect(update, context, actor, "act:more_files", code=code, version=card.version, ttl=MORE_FILES_FOR)
    done = h(f"done.{kind.removeprefix('act:')}", lang, code=code)
    if not substantial(text, files=len(files)):
        done = Html(done + "\n" + h("done.thin_report", lang, text=text.strip()[:40]))
    replied = message.reply_to_message
    assert replied is not None
    waiting = Pending(kind, code, card.version, {"asked_in": replied.message_id})
    if not several and await _answered_in_place(update, context, actor, waiting, card, done):
        return True
    await show_updated(update, actor, card, done, edit=False, context=context)
    return True

