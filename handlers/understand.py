"""Free text: a leader's directive becomes draft cards; a question gets its answer; a unit name the list
lacks is asked about, offering the closest units as buttons on that draft. A pasted notice's drafts are a
batch: one message under their previews with «Giao tất cả», and «Giữ đơn vị như đã đọc» for the ones whose
units the parser doubts (asked once for the batch, not once a draft)."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.domain.deadlines import local_date
from bot.domain.directive import DATE_QUESTIONS, LEAD_QUESTIONS, question_kind
from bot.domain.periods import period_range
from bot.domain.policy import DECIDERS
from bot.errors import DomainError
from bot.parsing import DraftDirective, ParseResult, Query, UnitIndex, parse_message
from bot.render import code_label, question_days, question_text, snippet
from bot.services import directives as svc
from bot.services import message_edits, queries
from bot.services.directives import UNSET
from bot.services.units import catalog
from bot.services.views import Actor, Card
from bot.texts import Html, fmt_date, h, t
from handlers import lists, reports
from handlers.actions import edit_card, show_updated
from handlers.callbacks import (
    AssignAll,
    KeepUnitsAll,
    ListPage,
    Meant,
    OpenCard,
    Press,
    QuestionAnswer,
    ResolveUnit,
    claimed,
    pressed,
)
from handlers.common import (
    Context,
    answer,
    drop_buttons,
    expect,
    forget,
    now,
    registered,
    runtime,
    send,
    send_long,
    show,
    waiting,
)

log = logging.getLogger(__name__)
MAX_SUGGESTIONS = 3
MEANT = "meant"  # the question «Bạn hỏi hay giao việc?» waiting for its button
SUMMARY_CHARS = 3000  # «Giao tất cả»'s answer edits the batch message: one Telegram message


async def _index(context: Context) -> UnitIndex:
    return (await catalog(runtime(context))).index


async def understand(update: Update, context: Context, actor: Actor, text: str) -> None:
    rt = runtime(context)
    index = await _index(context)
    result: ParseResult = parse_message(text, at=now(context), calendar=rt.calendar, index=index) \
        .as_read_by(actor.role in DECIDERS)
    if result.ambiguous and (origin := _origin(update)) is not None:
        await _ask_which(update, context, actor, text, origin[1])
    elif result.kind == "query" and result.query is not None:
        await answer_query(update, context, actor, result.query)
    else:
        await _drafts(update, context, actor, index, result)


async def _drafts(update: Update, context: Context, actor: Actor, index: UnitIndex, result: ParseResult,
                  origin: tuple[int, int] | None = None) -> None:
    """The message's directives as draft cards (a batch's with «Giao tất cả»), or why there are none. `origin` is
    the chat message they are read from (the update's own message by default)."""
    rt = runtime(context)
    if result.kind == "directives" and actor.role in DECIDERS:
        specs = [svc.draft_spec(index, draft) for draft in result.directives]
        origin = origin or _origin(update)
        cards = await svc.create_directives(rt, actor.id, specs, now=now(context), as_draft=True, origin=origin)
        batch = len(cards) > 1 and origin is not None
        keep = _keep_press(origin[1], cards) if batch and origin is not None else None
        shown: dict[int, int] = {}
        listed: list[Card] = []
        try:
            for place, (card, draft) in enumerate(zip(cards, result.directives, strict=True)):
                if batch and _complete(card, draft):
                    listed.append(card)  # read in full: a line of the batch's message, no preview of its own
                    continue
                message = await _preview(update, actor, index, card, draft, ask_units=keep is None)
                if message is not None:
                    shown[place] = message.message_id
        finally:  # the previews sent are kept even when a later one fails (svc.remember_previews)
            if origin is not None:
                await svc.remember_previews(rt, actor.id, *origin, shown)
        if batch and origin is not None:
            await _offer_all(update, actor, origin[1], len(cards), listed, keep)
    elif result.kind == "directives":
        await send(update, h("parse.only_deciders", actor.language))
    else:
        await send(update, h(result.reason or "parse.not_understood", actor.language))


async def _ask_which(update: Update, context: Context, actor: Actor, text: str, origin: int) -> None:
    """A message (chat message `origin`) that reads as a question and as a directive: the person says which, by a
    button; the text waits in the database (a question asked of this person in this chat) until then, and any
    other message sent meanwhile is read as new."""
    lang = actor.language
    await expect(update, context, actor, MEANT, origin=origin, text=text)
    rows = [[InlineKeyboardButton(t("btn.meant_question", lang), callback_data=Meant("q", origin).pack())],
            [InlineKeyboardButton(t("btn.meant_directive", lang), callback_data=Meant("d", origin).pack())]]
    await send(update, h("parse.which_meant", lang, text=snippet(text, 120)), reply_markup=InlineKeyboardMarkup(rows))


@registered
async def cb_meant(update: Update, context: Context, actor: Actor) -> None:
    """«Xem tình hình» answers the message as the question it may be; «Tạo bản nháp giao việc» drafts it."""
    press = claimed(update, Meant)
    flow = await waiting(update, context, actor)
    if flow is None or flow.kind != MEANT or flow.data.get("origin") != press.origin:
        raise DomainError("action.stale")  # answered already, expired, or another message asked about since
    await forget(update, context, actor)
    await answer(update)
    await drop_buttons(update)
    rt, text = runtime(context), str(flow.data.get("text") or "")
    index = await _index(context)
    result = parse_message(text, at=now(context), calendar=rt.calendar, index=index)
    if press.answer == "q" and result.query is not None:
        await answer_query(update, context, actor, result.query)
    elif press.answer == "d" and result.directives:
        chat = update.effective_chat
        await _drafts(update, context, actor, index, ParseResult("directives", directives=result.directives),
                      (chat.id, press.origin) if chat is not None else None)
    else:  # the catalogue of units changed since, and the text reads otherwise now
        await understand(update, context, actor, text)


def _origin(update: Update) -> tuple[int, int] | None:
    message = update.effective_message
    return (message.chat_id, message.message_id) if message is not None else None


@registered
async def on_edit(update: Update, context: Context, actor: Actor) -> None:
    """An edited message (bot.services.message_edits): the drafts it made are read again from the new text and
    shown; a directive assigned since is left as it is, and the person told; any other message's edit (a
    command, a question, an answer) is not answered again."""
    message = update.edited_message
    if message is None or message.text is None or message.chat.type != "private" or actor.role not in DECIDERS:
        return
    rt, at, lang = runtime(context), now(context), actor.language
    index = await _index(context)
    result = parse_message(message.text.strip(), at=at, calendar=rt.calendar, index=index)
    drafts = result.directives if result.kind == "directives" else []
    specs = [svc.draft_spec(index, draft) for draft in drafts] if drafts else None
    revision = await message_edits.revise(rt, actor.id, message.chat_id, message.message_id, specs, now=at)
    shown: dict[int, int] = {}
    try:
        for key, changed in (("edit.revised", revision.updated), ("edit.added", revision.added)):
            for place, card in changed:
                preview = await _preview(update, actor, index, card, drafts[place], h(key, lang))
                if preview is not None:
                    shown[place] = preview.message_id
    finally:  # the previews sent are kept even when a later one fails (svc.remember_previews)
        await svc.remember_previews(rt, actor.id, message.chat_id, message.message_id, shown)
    if revision.dropped:
        await send(update, h("edit.dropped", lang, codes=", ".join(revision.dropped)))
    if revision.kept:
        await send(update, h("edit.not_directive", lang, codes=", ".join(revision.kept)))
    if revision.assigned:
        await send(update, h("edit.assigned", lang, codes=", ".join(revision.assigned)))


async def answer_query(update: Update, context: Context, actor: Actor, query: Query) -> None:
    """The same service queries as the buttons. A unit named but not known, or a group of units, is
    answered as such, never with the whole province's list."""
    if query.unit and query.unit.startswith("#"):
        raise DomainError("query.group", name=query.unit[1:])
    unit = query.unit or ""
    if not unit and query.unresolved and query.intent != "search":
        await _suggest_units(update, context, actor, query)
        return
    if query.unread_period and query.intent in ("stats", "due_soon"):  # the answer depends on the period
        raise DomainError("period.unread", period=query.unread_period)
    if query.intent == "stats":
        await reports.show_report(update, context, actor, unit or None, query.period)
    elif query.intent == "search":
        await lists.show_list(update, context, actor, "find", query.text or "")
    elif query.intent == "due_soon":
        until = None
        if query.period:
            until = period_range(query.period, local_date(now(context), runtime(context).settings.tz))[1]
        await lists.show_list(update, context, actor, "soon", unit, until=until)
    elif query.intent == "overdue":
        await lists.show_list(update, context, actor, "over", unit)
    else:
        await lists.show_list(update, context, actor, "my", unit)


_LIST_OF_INTENT = {"overdue": "over", "due_soon": "soon"}


async def _suggest_units(update: Update, context: Context, actor: Actor, query: Query) -> None:
    """"Sở Du lịch có việc gì quá hạn?": no such unit; the closest ones open the list asked for."""
    name = query.unresolved[0]
    kind = _LIST_OF_INTENT.get(query.intent, "my")
    rows = [[InlineKeyboardButton(u.name, callback_data=ListPage(kind, 1, unit=u.code).pack())]
            for u in (await _index(context)).suggest(name, MAX_SUGGESTIONS)]
    await send(update, h("query.unknown_unit", actor.language, name=name),
               reply_markup=InlineKeyboardMarkup(rows) if rows else None)


def _complete(card: Card, draft: DraftDirective) -> bool:
    """A draft of a batch the parser read in full: a lead unit, no open question, no name left unresolved."""
    return bool(card.lead_codes) and not card.questions and not draft.unresolved


def _keep_press(origin: int, cards: list[Card]) -> KeepUnitsAll | None:
    """The batch's «Giữ đơn vị như đã đọc», covering each draft that asks about its units, at its version now."""
    versions = {place: card.version for place, card in enumerate(cards) if svc.unit_questions(card.questions)}
    return KeepUnitsAll.of(origin, versions, len(cards))


async def _offer_all(update: Update, actor: Actor, origin: int, count: int, listed: list[Card],
                     keep: KeepUnitsAll | None = None) -> None:
    """The batch's one message: the drafts read in full, a line each (each opens as its card, to correct
    it, with its own button), and «Giao tất cả» for every draft read from the pasted notice; a draft the
    parser was unsure of has its own preview above, with its questions (those previews' ids are kept in the
    database with the drafts' origin, so the press works after a restart). The drafts whose units are doubted
    are asked here, once, with `keep` («Giữ đơn vị như đã đọc»), above «Giao tất cả» since it comes first."""
    lang = actor.language
    lines = [h("parse.batch_one", lang, count=count, listed=len(listed))]
    lines += [h("parse.batch_line", lang, code=code_label(c.code, lang), lead=", ".join(p.short_name for p in c.leads),
                deadline=fmt_date(c.deadline) if c.deadline else t("parse.batch_standing", lang),
                content=snippet(c.content, 90)) for c in listed]
    rows = []
    if keep is not None:
        lines.append(h("parse.batch_keep_units", lang, count=len(keep.offered)))
        rows.append([InlineKeyboardButton(t("btn.keep_units_all", lang, count=len(keep.offered)),
                                          callback_data=keep.pack())])
    rows.append([InlineKeyboardButton(t("btn.assign_all", lang, count=count), callback_data=AssignAll(origin).pack())])
    opens = [InlineKeyboardButton(t("btn.open_draft", lang, code=code_label(c.code, lang)),
                                  callback_data=OpenCard(c.code).pack()) for c in listed]
    rows += [opens[i: i + 3] for i in range(0, len(opens), 3)]
    await send_long(update, Html("\n".join(lines)), reply_markup=InlineKeyboardMarkup(rows))


@registered
async def cb_assign_all(update: Update, context: Context, actor: Actor) -> None:
    """«Giao tất cả»: the drafts with no open question are assigned; their previews become their cards, and
    the batch message says which remain and why."""
    origin = claimed(update, AssignAll).origin
    chat = update.effective_chat
    if chat is None:
        raise DomainError("action.stale")
    assigned, remaining = await svc.assign_drafts(runtime(context), actor.id, chat.id, origin, now=now(context))
    if not assigned and not remaining:  # pressed again (a double tap, a second phone): the summary shown stays
        raise DomainError("batch.nothing_to_assign")
    lang = actor.language
    await answer(update)
    for _, card, preview in assigned:
        if preview is not None:
            await edit_card(context, chat.id, preview, actor, card, h("done.dok", lang, code=card.code))
    codes = ", ".join(c.code for _, c, _ in assigned) or t("value.none", lang)
    lines = [h("parse.assigned_all", lang, count=len(assigned), codes=codes)]
    lines += [h("parse.batch_line", lang, code=c.code, lead=", ".join(p.short_name for p in c.leads),
                deadline=fmt_date(c.deadline) if c.deadline else t("parse.batch_standing", lang),
                content=snippet(c.content, 90)) for _, c, preview in assigned if preview is None]
    if len("\n".join(lines)) > SUMMARY_CHARS:  # a long batch: the codes only (each card is a /xem away)
        lines = lines[:1]
    markup = None
    if remaining:
        lines.append(h("parse.remaining", lang, count=len(remaining)))
        lines += [h("parse.remaining_line", lang, code=code_label(c.code, lang), content=snippet(c.content, 60))
                  for c in remaining]
        if (kept := _kept_presses(update)) is not None:  # the doubted drafts have no question message of their own
            keep, markup = kept
            lines.append(h("parse.batch_keep_units", lang, count=len(keep.offered)))
    await show(update, Html("\n".join(lines)), markup)


def _kept_presses(update: Update) -> tuple[KeepUnitsAll, InlineKeyboardMarkup] | None:
    """The batch's «Giữ đơn vị như đã đọc» if the pressed message still has it, with the keyboard to leave on it:
    that press and «Giao tất cả» (the drafts it covers were not assigned, so it is still good, and once pressed
    «Giao tất cả» assigns them)."""
    query = update.callback_query
    markup = getattr(query.message, "reply_markup", None) if query is not None else None
    if not isinstance(markup, InlineKeyboardMarkup):
        return None
    rows = [[b for b in row if isinstance(pressed(b), KeepUnitsAll | AssignAll)] for row in markup.inline_keyboard]
    keep = next((p for row in rows for b in row if isinstance(p := pressed(b), KeepUnitsAll)), None)
    return (keep, InlineKeyboardMarkup([row for row in rows if row])) if keep is not None else None


@registered
async def cb_keep_units_all(update: Update, context: Context, actor: Actor) -> None:
    """«Giữ đơn vị như đã đọc»: the units read kept for the batch's drafts that asked about them, at once; each
    preview becomes the draft's card as it now stands («Giao việc» on it when nothing else is open), the press
    leaves the batch message (which keeps «Giao tất cả»), and one reply says what is ready. A draft changed since
    the press was offered is left as it is and offered again on that reply, at its version now (one button, not
    a question message a draft: a draft read again from an edited message was just asked on its own already);
    one the press cannot cover is asked again on its own."""
    press = claimed(update, KeepUnitsAll)
    chat = update.effective_chat
    if chat is None:
        raise DomainError("action.stale")
    rt, lang = runtime(context), actor.language
    kept = await svc.keep_units_read(rt, actor.id, chat.id, press.origin, now=now(context), versions=press.offered)
    if not kept.answered and not kept.left:
        raise DomainError("batch.nothing_to_keep")  # pressed again, or every question answered on its own since
    await answer(update)
    await _drop_press(update, KeepUnitsAll)
    for card, preview in kept.answered:
        if preview is not None:
            await edit_card(context, chat.id, preview, actor, card,
                            h("question.answered", lang, code=code_label(card.code, lang)))
    answered = [card for card, _ in kept.answered]
    ready = [c for c in answered if not c.questions and c.lead_codes]
    still_asking = [c for c in answered if c.questions or not c.lead_codes]
    lines = []
    if answered:
        lines.append(h("parse.kept_units", lang, count=len(answered), codes=_labels(answered, lang)))
    if ready:
        lines.append(h("parse.kept_ready", lang, count=len(ready)))
    if still_asking:
        lines.append(h("parse.kept_waiting", lang, count=len(still_asking), codes=_labels(still_asking, lang)))
    again = KeepUnitsAll.of(press.origin, {place: card.version for place, card in kept.changed.items()},
                            len(press.versions)) if kept.changed else None
    offered = [kept.changed[place] for place in sorted(again.offered)] if again is not None else []
    alone = [c for c in kept.left if c.code not in {o.code for o in offered}]
    markup = None
    if again is not None:
        lines.append(h("parse.kept_changed_again", lang, count=len(offered), codes=_labels(offered, lang)))
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(t("btn.keep_units_all", lang, count=len(offered)),
                                                             callback_data=again.pack())]])
    if alone:
        lines.append(h("parse.kept_changed", lang, count=len(alone), codes=_labels(alone, lang)))
    await send(update, Html("\n".join(lines)), reply_markup=markup)
    for card in alone:  # asked on its own again, at its version now
        for question in svc.unit_questions(card.questions):
            await _ask(update, card, question, lang)


def _labels(cards: list[Card], lang: str) -> str:
    return ", ".join(code_label(c.code, lang) for c in cards)


async def _drop_press(update: Update, kind: type[Press]) -> None:
    """Take the pressed kind's button off the pressed message, leaving its others («Giao tất cả», ✏️)."""
    query = update.callback_query
    markup = getattr(query.message, "reply_markup", None) if query is not None else None
    if query is None or not isinstance(markup, InlineKeyboardMarkup):
        return
    rows = [[b for b in row if not isinstance(pressed(b), kind)] for row in markup.inline_keyboard]
    try:
        await query.edit_message_reply_markup(InlineKeyboardMarkup([row for row in rows if row]))
    except BadRequest as error:  # too old to edit: the stale press is refused by the service anyway
        log.info("could not take the press off the batch message: %s", error.message)


async def _preview(update: Update, actor: Actor, index: UnitIndex, card: Card, draft: DraftDirective,
                   header: Html | None = None, *, ask_units: bool = True) -> Message | None:
    """The draft's card, then a message for each question it asks; with `ask_units` False the questions about
    its units are left to the batch's one «Giữ đơn vị như đã đọc» (the card still shows them)."""
    lang = actor.language
    header = header or h("parse.preview", lang)
    message = await show_updated(update, actor, card, header, edit=False)
    for question in card.questions:
        if ask_units or question_kind(question) not in LEAD_QUESTIONS:
            await _ask(update, card, question, lang)
    unresolved = list(draft.unresolved)
    if not card.lead_codes:
        await _ask_unit(update, index, unresolved.pop(0) if unresolved else draft.content[:40], lang, card, "L",
                        "parse.which_lead")
    for name in unresolved:
        await _ask_unit(update, index, name, lang, card, "S", "parse.which_support")
    return message


async def _ask(update: Update, card: Card, question: str, lang: str) -> None:
    """A question about the text's dates or its sentence, with the answers as buttons (a unit's is asked by
    `_ask_unit`); «Sửa» on the card answers a date question too."""
    kind = question.split(":", 1)[0]
    rows = []
    if kind == "background":
        rows.append([InlineKeyboardButton(t("btn.is_task", lang),
                                          callback_data=QuestionAnswer(card.code, card.version, "bg").pack())])
    elif kind in DATE_QUESTIONS:
        rows += [[InlineKeyboardButton(t("btn.deadline_on", lang, date=day),
                                       callback_data=QuestionAnswer(card.code, card.version,
                                                                    f"d:{day.isoformat()}").pack())]
                 for day in question_days(question)]
        rows.append([InlineKeyboardButton(t("btn.no_deadline", lang),
                                          callback_data=QuestionAnswer(card.code, card.version, "d:").pack())])
    elif kind in ("vague_unit", "lead"):  # "các địa phương", a doubted lead: keep the units read, or «Sửa»
        rows.append([InlineKeyboardButton(t("btn.keep_units", lang), callback_data=QuestionAnswer(
            card.code, card.version, "u" if kind == "vague_unit" else "l").pack())])
    else:
        return
    await send(update, h("question.ask", lang, code=code_label(card.code, lang), question=question_text(question, lang)),
               reply_markup=InlineKeyboardMarkup(rows))


@registered
async def cb_answer(update: Update, context: Context, actor: Actor) -> None:
    """An answer to a draft's question: it is a task as read ('bg'), or its deadline is this day ('d:ISO',
    'd:' for none)."""
    press = claimed(update, QuestionAnswer)
    rt, at = runtime(context), now(context)
    current = await queries.card(rt, actor.id, press.code, now=at)
    if not any(question_kind(q) in press.kinds for q in current.questions):
        raise DomainError("action.stale")  # answered already (the button pressed again), or never asked
    if press.answer in ("bg", "u", "l"):
        card = await svc.edit_draft(rt, actor.id, press.code, now=at, expected_version=current.version,
                                    answered=tuple(press.kinds))
    else:
        day = press.deadline
        card = await svc.edit_draft(rt, actor.id, press.code, now=at, expected_version=current.version, deadline=day,
                                    recurrence=UNSET if day else None)
    await answer(update)
    await drop_buttons(update)
    await show_updated(update, actor, card, h("question.answered", actor.language, code=code_label(card.code, actor.language)), edit=False)


async def _ask_unit(update: Update, index: UnitIndex, name: str, lang: str, card: Card, role: str, key: str) -> None:
    suggestions = index.suggest(name, MAX_SUGGESTIONS)
    rows = [[InlineKeyboardButton(u.name, callback_data=ResolveUnit(card.code, card.version, role, u.code).pack())]
            for u in suggestions]
    rows.append([InlineKeyboardButton(t("parse.skip_unit", lang),
                                      callback_data=ResolveUnit(card.code, card.version, role).pack())])
    await send(update, h(key, lang, name=name, code=code_label(card.code, lang)), reply_markup=InlineKeyboardMarkup(rows))


@registered
async def cb_resolve(update: Update, context: Context, actor: Actor) -> None:
    """A suggested unit chosen for a name the parser could not resolve: it becomes the draft's lead
    ('L:') or one more support unit ('S:')."""
    press = claimed(update, ResolveUnit)
    rt, at = runtime(context), now(context)
    role, unit = press.role, press.unit
    if not unit:  # none of the units offered: the question is answered, the name left out, and the draft
        # shown as it stands, with the way to choose another unit
        current = await queries.card(rt, actor.id, press.code, now=at)
        if any(q.startswith("unit:") for q in current.questions):
            await svc.edit_draft(rt, actor.id, press.code, now=at, expected_version=current.version,
                                 answered=("unit",))
        await answer(update)
        await drop_buttons(update)
        card = await queries.card(rt, actor.id, press.code, now=at)
        key = "parse.skipped_lead" if role == "L" and not card.lead_codes else "parse.skipped_unit"
        await show_updated(update, actor, card, h(key, actor.language, code=code_label(card.code, actor.language)),
                           edit=False)
        return
    # Adding a unit does not depend on the draft's other fields, so several answers to several questions
    # about one draft each land, whatever their order (the service still refuses it once assigned).
    current = await queries.card(rt, actor.id, press.code, now=at)
    if role == "L":
        card = await svc.edit_draft(rt, actor.id, press.code, now=at, expected_version=current.version,
                                    lead=[*current.lead_codes, unit], answered=("unit",))
    else:
        card = await svc.edit_draft(rt, actor.id, press.code, now=at, expected_version=current.version,
                                    support=[*current.support_codes, unit], answered=("unit",))
    await answer(update)
    await drop_buttons(update)
    await show_updated(update, actor, card, h("assign.corrected", actor.language, code=code_label(card.code, actor.language)), edit=False)
