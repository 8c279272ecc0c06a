"""Lists and look-ups: my unit's tasks, due soon, overdue, the decision inbox, a card, search."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.errors import DomainError
from bot.services import queries
from bot.services.views import Actor, Page
from bot.texts import t
from handlers.callbacks import unpack
from handlers.common import Context, expect, now, registered, runtime, send, show
from handlers.render import card_keyboard, card_text, history_text, list_keyboard, list_text

LISTS = {"my": "list.my_tasks", "soon": "list.due_soon", "over": "list.overdue", "inbox": "list.inbox", "find": "list.search"}


async def load_page(context: Context, actor: Actor, kind: str, page: int, arg: str, until: date | None = None) -> Page:
    rt, at = runtime(context), now(context)
    unit = arg or None
    if kind == "my":
        return await queries.unit_tasks(rt, actor.id, now=at, unit_code=unit, page=page)
    if kind == "soon":
        return await queries.due_soon(rt, actor.id, now=at, unit_code=unit, page=page, until=until)
    if kind == "over":
        return await queries.overdue(rt, actor.id, now=at, unit_code=unit, page=page)
    if kind == "inbox":
        return await queries.awaiting_decision(rt, actor.id, now=at, page=page)
    if kind == "find":
        return await queries.search(rt, actor.id, arg, now=at, page=page)
    raise DomainError("action.stale")


async def show_list(update: Update, context: Context, actor: Actor, kind: str, arg: str = "", page: int = 1,
                    until: date | None = None) -> None:
    result = await load_page(context, actor, kind, page, arg, until)
    title = t(LISTS[kind], actor.language) + (f" — {arg}" if arg else "")
    text = list_text(title, result, actor.language)
    markup = list_keyboard(result, kind, arg[:40], actor.language)
    if update.callback_query is not None:
        await update.callback_query.answer()
    await show(update, text, markup)


def _unit_arg(context: Context) -> str:
    return context.args[0].upper() if context.args else ""


@registered
async def cmd_my_tasks(update: Update, context: Context, actor: Actor) -> None:
    await show_list(update, context, actor, "my", _unit_arg(context))


@registered
async def cmd_due_soon(update: Update, context: Context, actor: Actor) -> None:
    await show_list(update, context, actor, "soon", _unit_arg(context))


@registered
async def cmd_overdue(update: Update, context: Context, actor: Actor) -> None:
    await show_list(update, context, actor, "over", _unit_arg(context))


@registered
async def cmd_inbox(update: Update, context: Context, actor: Actor) -> None:
    await show_list(update, context, actor, "inbox")


@registered
async def cmd_search(update: Update, context: Context, actor: Actor) -> None:
    if context.args:
        await show_list(update, context, actor, "find", " ".join(context.args)[:40])
        return
    expect(context, "search")
    await send(update, t("search.prompt", actor.language))


@registered
async def cmd_view(update: Update, context: Context, actor: Actor) -> None:
    """`/xem CD-2026-0012`."""
    if not context.args:
        await send(update, t("view.usage", actor.language))
        return
    await show_card(update, context, actor, context.args[0])


async def show_card(update: Update, context: Context, actor: Actor, code: str) -> None:
    card = await queries.card(runtime(context), actor.id, code, now=now(context))
    await send(update, card_text(card, actor.language), reply_markup=card_keyboard(card, actor))


@registered
async def cb_page(update: Update, context: Context, actor: Actor) -> None:
    data = unpack(update.callback_query.data)
    if data is None or data.code not in LISTS:
        raise DomainError("action.stale")
    await show_list(update, context, actor, data.code, data.arg, data.version or 1)


@registered
async def cb_open(update: Update, context: Context, actor: Actor) -> None:
    data = unpack(update.callback_query.data)
    if data is None:
        raise DomainError("action.stale")
    await update.callback_query.answer()
    await show_card(update, context, actor, data.code)


@registered
async def cb_history(update: Update, context: Context, actor: Actor) -> None:
    data = unpack(update.callback_query.data)
    if data is None:
        raise DomainError("action.stale")
    entries = await queries.history(runtime(context), actor.id, data.code)
    await update.callback_query.answer()
    await send(update, history_text(data.code, entries, actor.language))
