"""Free text: a leader's directive becomes draft previews; a question gets its answer; an unknown unit
name is asked about, offering the closest units as buttons."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.deadlines import local_date
from bot.domain.periods import period_range
from bot.domain.policy import DECIDERS
from bot.errors import DomainError
from bot.parsing import DraftDirective, ParseResult, Query, UnitIndex, parse_message
from bot.services import directives as svc
from bot.services import queries
from bot.services.units import unit_catalog
from bot.services.views import Actor
from bot.texts import t
from handlers import lists, reports
from handlers.actions import show_updated
from handlers.callbacks import Callback, unpack
from handlers.common import Context, now, registered, runtime, send

MAX_SUGGESTIONS = 3


async def _index(context: Context) -> UnitIndex:
    units, groups = await unit_catalog(runtime(context))
    return UnitIndex(units, groups)


async def understand(update: Update, context: Context, actor: Actor, text: str) -> None:
    rt = runtime(context)
    index = await _index(context)
    result: ParseResult = parse_message(text, at=now(context), calendar=rt.calendar, index=index)
    if result.kind == "query" and result.query is not None:
        await answer_query(update, context, actor, result.query)
    elif result.kind == "directives" and actor.role in DECIDERS:
        for number, draft in enumerate(result.directives, 1):
            await _preview(update, context, actor, index, draft, number)
    elif result.kind == "directives":
        await send(update, t("parse.only_deciders", actor.language))
    else:
        await send(update, t(result.reason or "parse.not_understood", actor.language))


async def answer_query(update: Update, context: Context, actor: Actor, query: Query) -> None:
    """The same service queries as the buttons."""
    unit = query.unit if query.unit and not query.unit.startswith("#") else ""
    if query.intent == "stats":
        await reports.show_report(update, context, actor, unit or None, query.period)
    elif query.intent == "search":
        await lists.show_list(update, context, actor, "find", (query.text or "")[:40])
    elif query.intent == "due_soon":
        until = None
        if query.period:
            until = period_range(query.period, local_date(now(context), runtime(context).settings.tz))[1]
        await lists.show_list(update, context, actor, "soon", unit, until=until)
    elif query.intent == "overdue":
        await lists.show_list(update, context, actor, "over", unit)
    else:
        await lists.show_list(update, context, actor, "my", unit)


async def _preview(update: Update, context: Context, actor: Actor, index: UnitIndex, draft: DraftDirective,
                   number: int) -> None:
    lang = actor.language
    notes = [t(f"parse.problem.{p}", lang) for p in draft.problems if p in ("deadline_in_past", "impossible_date")]
    leads = list(index.expand(draft.lead))
    deadline = draft.deadline if "deadline_in_past" not in draft.problems else None
    if not leads:
        context.user_data.setdefault("parsed", {})[str(number)] = {
            "content": draft.content, "support": list(index.expand(draft.support)),
            "deadline": deadline.isoformat() if deadline else None, "recurrence": draft.recurrence,
            "source": draft.source,
        }
        await _ask_unit(update, index, draft.unresolved[0] if draft.unresolved else draft.content[:40],
                        lang, "resl", str(number), None, "parse.which_lead")
        return
    spec = svc.NewDirective(content=draft.content, lead=leads, support=list(index.expand(draft.support)),
                            deadline=deadline, recurrence=draft.recurrence, source_number=draft.source)
    [card] = await svc.create_directives(runtime(context), actor.id, [spec], now=now(context), as_draft=True)
    if notes:
        await send(update, "\n".join(notes))
    await show_updated(update, actor, card, "parse.preview", edit=False)
    for name in draft.unresolved:
        await _ask_unit(update, index, name, lang, "res", card.code, card.version, "parse.which_support")


async def _ask_unit(update: Update, index: UnitIndex, name: str, lang: str, action: str, ref: str,
                    version: int | None, key: str) -> None:
    suggestions = index.suggest(name, MAX_SUGGESTIONS)
    rows = [[InlineKeyboardButton(u.name, callback_data=Callback(action, ref, version, u.code).pack())]
            for u in suggestions]
    rows.append([InlineKeyboardButton(t("parse.skip_unit", lang), callback_data=Callback(action, ref, version, "").pack())])
    await send(update, t(key, lang, name=name), reply_markup=InlineKeyboardMarkup(rows))


@registered
async def cb_resolve(update: Update, context: Context, actor: Actor) -> None:
    """A suggested unit chosen for a name the parser could not resolve."""
    claim = unpack(update.callback_query.data)
    if claim is None:
        raise DomainError("action.stale")
    rt, at = runtime(context), now(context)
    query = update.callback_query
    if claim.action == "res":
        if not claim.arg:
            await query.answer()
            await query.edit_message_reply_markup(None)
            return
        current = await queries.card(rt, actor.id, claim.code, now=at)
        card = await svc.edit_draft(rt, actor.id, claim.code, now=at, expected_version=claim.version,
                                    support=[*current.support_codes, claim.arg])
    else:
        parked = (context.user_data.get("parsed") or {}).pop(claim.code, None)
        if parked is None:
            raise DomainError("action.stale")
        if not claim.arg:
            await query.answer()
            await query.edit_message_reply_markup(None)
            return
        spec = svc.NewDirective(content=parked["content"], lead=[claim.arg], support=parked["support"],
                                deadline=date.fromisoformat(parked["deadline"]) if parked["deadline"] else None,
                                recurrence=parked["recurrence"], source_number=parked["source"])
        [card] = await svc.create_directives(rt, actor.id, [spec], now=at, as_draft=True)
    await query.answer()
    await query.edit_message_reply_markup(None)
    await show_updated(update, actor, card, "parse.preview", edit=False)


