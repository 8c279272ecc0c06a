"""Lists and look-ups: my unit's tasks (what it leads, and apart what it supports), due soon, overdue, the
decision inbox, a card, search."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, Update

from bot.domain.policy import Role
from bot.errors import DomainError
from bot.render import card_text, history_text, list_text
from bot.services import queries, units
from bot.services.views import Actor, Page
from bot.texts import h, t
from handlers.actions import card_keyboard
from handlers.callbacks import CardHistory, ListPage, OpenCard, claimed
from handlers.common import Context, answer, expect, now, registered, runtime, send, send_long, show
from handlers.render import callback_text, list_keyboard
from handlers.web import app_button

LISTS = {"my": "list.my_tasks", "mys": "list.my_support", "soon": "list.due_soon", "over": "list.overdue",
         "inbox": "list.inbox", "find": "list.search", "drafts": "list.drafts"}


async def load_page(context: Context, actor: Actor, kind: str, page: int, arg: str, until: date | None = None) -> Page:
    rt, at = runtime(context), now(context)
    unit = arg or None
    if kind in ("my", "mys"):
        return await queries.unit_tasks(rt, actor.id, now=at, unit_code=unit, page=page,
                                        role="lead" if kind == "my" else "support")
    if kind == "soon":
        return await queries.due_soon(rt, actor.id, now=at, unit_code=unit, page=page, until=until)
    if kind == "over":
        return await queries.overdue(rt, actor.id, now=at, unit_code=unit, page=page)
    if kind == "inbox":
        return await queries.awaiting_decision(rt, actor.id, now=at, page=page)
    if kind == "find":
        return await queries.search(rt, actor.id, arg, now=at, page=page)
    if kind == "drafts":
        return await queries.drafts(rt, actor.id, now=at, page=page)
    raise DomainError("action.stale")


async def show_list(update: Update, context: Context, actor: Actor, kind: str, arg: str = "", page: int = 1,
                    until: date | None = None) -> None:
    shown = " ".join(arg.split())[:60]  # the words as typed, for the title
    if kind == "find":
        arg = callback_text(arg)  # what the search looks for, in a form its page buttons can carry
    result = await load_page(context, actor, kind, page, arg, until)
    lang = actor.language
    if arg and kind != "find":
        unit = (await units.catalog(runtime(context))).index.units.get(arg)
        shown = unit.name if unit is not None else arg
    title = t(LISTS[kind], lang)
    if shown:
        title = t("list.title_for", lang, title=title, name=shown)
    extra = []
    if kind in ("my", "mys") and (arg or actor.role == Role.FOCAL):
        other = "mys" if kind == "my" else "my"
        extra.append([InlineKeyboardButton(t(f"list.switch_{other}", lang),
                                           callback_data=ListPage(other, 1, unit=arg).pack())])
    await answer(update)
    await show(update, list_text(title, result, lang, waiting=kind == "inbox"),
               list_keyboard(result, kind, arg, lang, extra))


async def _unit_arg(context: Context) -> str:
    """`/quahan SYT`, `/quahan Sở Y tế`: the unit asked about, or "" for one's own (or the province)."""
    words = " ".join(context.args or [])
    return await units.code_named(runtime(context), words) if words.strip() else ""


@registered
async def cmd_my_tasks(update: Update, context: Context, actor: Actor) -> None:
    await show_list(update, context, actor, "my", await _unit_arg(context))


@registered
async def cmd_due_soon(update: Update, context: Context, actor: Actor) -> None:
    await show_list(update, context, actor, "soon", await _unit_arg(context))


@registered
async def cmd_overdue(update: Update, context: Context, actor: Actor) -> None:
    await show_list(update, context, actor, "over", await _unit_arg(context))


@registered
async def cmd_drafts(update: Update, context: Context, actor: Actor) -> None:
    """/nhap: the person's own drafts not yet assigned (abandoned ones too), newest first."""
    await show_list(update, context, actor, "drafts")


@registered
async def cmd_inbox(update: Update, context: Context, actor: Actor) -> None:
    await show_list(update, context, actor, "inbox")


@registered
async def cmd_search(update: Update, context: Context, actor: Actor) -> None:
    """`/timkiem [words]`: the results, or a question asking for the words."""
    if context.args:
        await show_list(update, context, actor, "find", " ".join(context.args))
        return
    await ask_search(update, context, actor)


async def ask_search(update: Update, context: Context, actor: Actor) -> None:
    await expect(update, context, actor, "search")
    await send(update, h("search.prompt", actor.language))


@registered
async def cmd_view(update: Update, context: Context, actor: Actor) -> None:
    """`/xem CD-2026-0012`."""
    if not context.args:
        await send(update, h("view.usage", actor.language))
        return
    await show_card(update, context, actor, context.args[0])


async def show_card(update: Update, context: Context, actor: Actor, code: str) -> None:
    card = await queries.card(runtime(context), actor.id, code, now=now(context))
    await send(update, card_text(card, actor.language),
               reply_markup=card_keyboard(card, actor, app_button(update, context, card.code, actor.language)))


@registered
async def cb_page(update: Update, context: Context, actor: Actor) -> None:
    press = claimed(update, ListPage)
    if press.list not in LISTS:
        raise DomainError("action.stale")
    await show_list(update, context, actor, press.list, press.words if press.list == "find" else press.unit, press.page)


@registered
async def cb_open(update: Update, context: Context, actor: Actor) -> None:
    await show_card(update, context, actor, claimed(update, OpenCard).code)  # a refusal here is the press's answer


@registered
async def cb_history(update: Update, context: Context, actor: Actor) -> None:
    code = claimed(update, CardHistory).code
    entries = await queries.history(runtime(context), actor.id, code)
    await answer(update)
    await send_long(update, history_text(code, entries, actor.language))
