"""Guided assignment on a phone: lead unit(s), support units, deadline, content, source → preview.

Nothing is assigned before "Giao việc" on the preview: the preview is a draft directive, so it survives a
restart and its buttons are checked like any other card's. "Sửa" reopens the pickers on that draft.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.deadlines import local_date, quick_deadlines
from bot.domain.policy import check_can_assign
from bot.domain.units import Unit, fold
from bot.errors import DomainError
from bot.parsing.dates import read_date
from bot.services import directives as svc
from bot.services import queries
from bot.services.units import unit_catalog
from bot.services.views import Actor
from bot.texts import fmt_date, t
from handlers.actions import show_updated
from handlers.callbacks import Callback, unpack
from handlers.common import Context, clear_pending, expect, now, registered, runtime, send, show

PAGE = 8
MAX_SOURCE = 64


def _state(context: Context) -> dict[str, Any]:
    state = context.user_data.get("assign") if context.user_data is not None else None
    if state is None:
        raise DomainError("action.stale")
    return state


def _matches(unit: Unit, needle: str) -> bool:
    return not needle or any(needle in fold(x) for x in (unit.code, unit.name, *unit.aliases))


async def _picker(update: Update, context: Context, actor: Actor, *, edit: bool) -> None:
    state = _state(context)
    stage, page, needle = state["stage"], state.get("page", 1), state.get("filter", "")
    units, _ = await unit_catalog(runtime(context))
    chosen = set(state["lead"] if stage == "lead" else state["support"])
    blocked = set(state["lead"]) if stage == "support" else set()
    shown = [u for u in units if _matches(u, needle) and u.code not in blocked]
    pages = max(1, -(-len(shown) // PAGE))
    page = min(max(page, 1), pages)
    buttons = [
        InlineKeyboardButton(("✅ " if u.code in chosen else "") + u.name,
                             callback_data=Callback("asg", stage, page, f"t:{u.code}").pack())
        for u in shown[(page - 1) * PAGE : page * PAGE]
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav = []
    if page > 1:
        nav.append(InlineKeyboardButton("◀", callback_data=Callback("asg", stage, page - 1, "pg").pack()))
    nav.append(InlineKeyboardButton(t("assign.find", actor.language), callback_data=Callback("asg", stage, page, "find").pack()))
    if page < pages:
        nav.append(InlineKeyboardButton("▶", callback_data=Callback("asg", stage, page + 1, "pg").pack()))
    rows.append(nav)
    rows.append([InlineKeyboardButton(t("assign.next", actor.language), callback_data=Callback("asg", stage, page, "next").pack()),
                 InlineKeyboardButton(t("assign.abort", actor.language), callback_data=Callback("asg", stage, page, "abort").pack())])
    names = {u.code: u.name for u in units}
    text = t(f"assign.pick_{stage}", actor.language,
             chosen=", ".join(names.get(c, c) for c in (state["lead"] if stage == "lead" else state["support"])) or "—")
    if needle:
        text += "\n" + t("assign.filtered", actor.language, text=needle)
    await show(update, text, InlineKeyboardMarkup(rows), edit=edit)


@registered
async def cmd_assign(update: Update, context: Context, actor: Actor) -> None:
    """Start the guided flow (leaders and the office)."""
    check_can_assign(actor.role)
    clear_pending(context)
    context.user_data["assign"] = {"stage": "lead", "lead": [], "support": [], "page": 1}
    await _picker(update, context, actor, edit=False)


@registered
async def cb_assign(update: Update, context: Context, actor: Actor) -> None:
    check_can_assign(actor.role)
    claim = unpack(update.callback_query.data)
    state = _state(context)
    if claim is None or claim.code != state["stage"]:
        raise DomainError("action.stale")
    query = update.callback_query
    chosen = state["lead"] if claim.code == "lead" else state["support"]
    if claim.arg.startswith("t:"):
        code = claim.arg[2:]
        chosen.remove(code) if code in chosen else chosen.append(code)
    elif claim.arg == "pg":
        state["page"] = claim.version or 1
    elif claim.arg == "find":
        expect(context, "asg_find")
        await query.answer()
        await send(update, t("assign.find_prompt", actor.language))
        return
    elif claim.arg == "abort":
        context.user_data.pop("assign", None)
        await query.answer()
        await query.edit_message_text(t("assign.aborted", actor.language))
        return
    elif claim.arg == "next":
        await query.answer()
        await _after_units(update, context, actor)
        return
    await query.answer()
    await _picker(update, context, actor, edit=True)


async def _after_units(update: Update, context: Context, actor: Actor) -> None:
    state = _state(context)
    state["filter"], state["page"] = "", 1
    if state["stage"] == "lead" and not state["lead"]:
        raise DomainError("directive.no_lead")
    if state.get("draft"):  # editing a draft's units
        await _edit_draft(update, context, actor, lead=state["lead"], support=state["support"])
        return
    if state["stage"] == "lead":
        state["stage"] = "support"
        await _picker(update, context, actor, edit=True)
        return
    await _ask_deadline(update, context, actor)


def _deadline_choices(context: Context) -> list[tuple[str, date | None]]:
    rt = runtime(context)
    return quick_deadlines(local_date(now(context), rt.settings.tz), rt.calendar)


async def _ask_deadline(update: Update, context: Context, actor: Actor, edit: bool = True) -> None:
    lang = actor.language
    rows = [[InlineKeyboardButton(t(f"assign.deadline_{key}", lang, date=fmt_date(day)),
                                  callback_data=Callback("asd", "", None, key).pack())]
            for key, day in _deadline_choices(context)]
    rows.append([InlineKeyboardButton(t("assign.deadline_type", lang), callback_data=Callback("asd", "", None, "type").pack())])
    await show(update, t("assign.pick_deadline", lang), InlineKeyboardMarkup(rows), edit=edit)


@registered
async def cb_deadline(update: Update, context: Context, actor: Actor) -> None:
    check_can_assign(actor.role)
    claim = unpack(update.callback_query.data)
    _state(context)
    await update.callback_query.answer()
    if claim is None:
        raise DomainError("action.stale")
    if claim.arg == "type":
        expect(context, "asg_date")
        await send(update, t("assign.type_date", actor.language))
        return
    chosen = dict(_deadline_choices(context))
    if claim.arg not in chosen:
        raise DomainError("action.stale")
    await _deadline_chosen(update, context, actor, chosen[claim.arg])


async def _deadline_chosen(update: Update, context: Context, actor: Actor, deadline: date | None) -> None:
    state = _state(context)
    if state.get("draft"):
        await _edit_draft(update, context, actor, deadline=deadline, clear_deadline=deadline is None)
        return
    state["deadline"] = deadline.isoformat() if deadline else None
    expect(context, "asg_content")
    await send(update, t("assign.type_content", actor.language))


async def answer_assign(update: Update, context: Context, actor: Actor, waiting: dict, text: str) -> None:
    """Typed answers inside the flow: a unit filter, a date, the content, the source document."""
    kind = waiting["kind"]
    state = _state(context)
    rt = runtime(context)
    if kind == "asg_find":
        clear_pending(context)
        state["filter"], state["page"] = fold(text)[:40], 1
        await _picker(update, context, actor, edit=False)
    elif kind == "asg_date":
        deadline = read_date(text, local_date(now(context), rt.settings.tz), rt.calendar)
        clear_pending(context)
        await _deadline_chosen(update, context, actor, deadline)
    elif kind == "asg_content":
        if state.get("draft"):
            clear_pending(context)
            await _edit_draft(update, context, actor, content=text)
            return
        state["content"] = text[: rt.settings.max_text_chars + 1]
        expect(context, "asg_source")
        skip = InlineKeyboardMarkup([[InlineKeyboardButton(t("assign.skip", actor.language),
                                                           callback_data=Callback("asks").pack())]])
        await send(update, t("assign.type_source", actor.language), reply_markup=skip)
    elif kind == "asg_source":
        clear_pending(context)
        await _create_draft(update, context, actor, source=text[:MAX_SOURCE])


@registered
async def cb_skip_source(update: Update, context: Context, actor: Actor) -> None:
    _state(context)
    clear_pending(context)
    await update.callback_query.answer()
    await _create_draft(update, context, actor, source=None)


async def _create_draft(update: Update, context: Context, actor: Actor, source: str | None) -> None:
    state = _state(context)
    spec = svc.NewDirective(
        content=state.get("content", ""), lead=state["lead"], support=state["support"],
        deadline=date.fromisoformat(state["deadline"]) if state.get("deadline") else None,
        source_number=source,
    )
    [card] = await svc.create_directives(runtime(context), actor.id, [spec], now=now(context), as_draft=True)
    context.user_data.pop("assign", None)
    await send(update, t("assign.preview", actor.language))
    await show_updated(update, actor, card, edit=False)


@registered
async def cb_edit_draft(update: Update, context: Context, actor: Actor) -> None:
    """'Sửa' on a preview: choose what to fix."""
    claim = unpack(update.callback_query.data)
    if claim is None or claim.version is None:
        raise DomainError("action.stale")
    card = await queries.card(runtime(context), actor.id, claim.code, now=now(context))
    if card.version != claim.version:
        raise DomainError("action.stale")
    check_can_assign(actor.role)
    await update.callback_query.answer()
    if claim.action == "ded":
        lang = actor.language
        rows = [[InlineKeyboardButton(t(f"assign.edit_{part}", lang),
                                      callback_data=Callback("dedp", card.code, card.version, part).pack())]
                for part in ("lead", "support", "deadline", "content")]
        await send(update, t("assign.edit_what", lang, code=card.code), reply_markup=InlineKeyboardMarkup(rows))
        return
    context.user_data["assign"] = {"stage": "lead" if claim.arg == "lead" else "support", "lead": card.lead_codes,
                                   "support": card.support_codes, "page": 1, "draft": card.code, "version": card.version}
    if claim.arg in ("lead", "support"):
        await _picker(update, context, actor, edit=False)
    elif claim.arg == "deadline":
        await _ask_deadline(update, context, actor, edit=False)
    elif claim.arg == "content":
        expect(context, "asg_content")
        await send(update, t("assign.type_content", actor.language))
    else:
        raise DomainError("action.stale")


async def _edit_draft(update: Update, context: Context, actor: Actor, **changes: Any) -> None:
    state = _state(context)
    card = await svc.edit_draft(runtime(context), actor.id, state["draft"], now=now(context),
                                expected_version=state["version"], **changes)
    context.user_data.pop("assign", None)
    await show_updated(update, actor, card, edit=False)
