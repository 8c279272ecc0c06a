"""Guided assignment on a phone and correcting any field of a draft ("Sửa").

`/giaoviec` asks for the task's text first and reads it as a typed directive is read (bot.parsing): what the
parser understood (lead and support units, deadline, source document) is taken, and only what is missing
is asked, with buttons: the lead unit (one press, or its name typed), support units, the deadline. The whole
flow is ONE message of the bot, edited in place at each step, that ends as the draft's preview with
«Giao việc» (`flow.data["msg"]`: its id, kept with the flow in the database).

Where the person is in the flow is kept in the database (bot.services.conversation), never in process
memory. A new assignment's buttons carry the flow's token, so a press on an older flow's message is
refused; a draft's buttons carry the draft's code and version, so a correction always lands on the draft
whose message was pressed. Nothing is assigned before "Giao việc" on the draft.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date
from typing import Any, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.domain.deadlines import local_date, quick_deadlines
from bot.domain.policy import check_can_assign
from bot.domain.units import Unit, fold
from bot.errors import DomainError
from bot.parsing import parse_message
from bot.parsing.dates import find_source_number, read_date, read_source
from bot.render import card_text, code_label, snippet
from bot.services import directives as svc
from bot.services import queries
from bot.services.conversation import Pending
from bot.services.units import catalog
from bot.services.views import Actor
from bot.texts import Html, fmt_date, h, t
from handlers.actions import CardPress, card_keyboard, show_updated
from handlers.callbacks import AssignRedo, DeadlinePick, EditPart, SkipSource, UnitPick, claimed
from handlers.common import Context, answer, expect, forget, now, registered, runtime, send, show, waiting

log = logging.getLogger(__name__)
PAGE = 8
MAX_FILTER = 40
DRAFT_PARTS = ("lead", "support", "deadline", "content", "source")


def _token() -> str:
    return secrets.token_urlsafe(6)[:8]


def _matches(unit: Unit, needle: str) -> bool:
    return not needle or any(needle in fold(x) for x in (unit.code, unit.name, *unit.aliases))


def _heading(flow: Pending | dict[str, Any], lang: str, step: str) -> Html:
    code = flow.code if isinstance(flow, Pending) else None
    if code:
        return h("assign.edit_heading", lang, code=code_label(code, lang))
    data = flow.data if isinstance(flow, Pending) else flow
    if data.get("content"):
        return h("assign.new_heading", lang, content=snippet(data["content"], 120))
    return h(f"assign.step_{step}", lang)


async def _display(update: Update, context: Context, flow: Pending, text: str, markup: Any, *,
                   edit: bool = True) -> Pending:
    """Show a step of the flow: the pressed message edited, or, after a typed answer, the flow's own message
    (`data["msg"]`) edited in place; a new message only when there is none to edit. The flow, with the id of
    the message that shows it."""
    if edit and update.callback_query is not None:
        await show(update, text, markup, edit=True)
        return flow
    msg, chat = flow.data.get("msg"), update.effective_chat
    if edit and msg and chat is not None:
        try:
            await context.bot.edit_message_text(text, chat_id=chat.id, message_id=msg, parse_mode=ParseMode.HTML,
                                                reply_markup=markup)
            return flow
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return flow
            log.info("could not edit the assignment's message (%s): sending a new one", error.message)
    sent = await send(update, text, reply_markup=markup)
    if sent is None:
        return flow
    return Pending(flow.kind, flow.code, flow.version, {**flow.data, "msg": sent.message_id})


async def _flow(update: Update, context: Context, actor: Actor, token: str, kinds: tuple[str, ...]) -> Pending:
    """The open flow a pressed button belongs to, or 'stale' (an older flow's message, or none open)."""
    flow = await waiting(update, context, actor)
    if flow is None or flow.kind not in kinds or flow.data.get("token") != token:
        raise DomainError("action.stale")
    return flow


async def _picker(update: Update, context: Context, actor: Actor, flow: Pending, *, edit: bool) -> None:
    data, lang = flow.data, actor.language
    stage, page, needle = data["stage"], data.get("page", 1), data.get("filter", "")
    units = (await catalog(runtime(context))).units
    chosen = data[stage]
    blocked = set(data["lead"]) if stage == "support" else set()
    shown = [u for u in units if _matches(u, needle) and u.code not in blocked]
    pages = max(1, -(-len(shown) // PAGE))
    page = min(max(page, 1), pages)
    # The step is part of the reference, so a button left on an earlier step's message is refused rather
    # than read as a choice for the step now open (a lead unit pressed while picking support units).
    token, step = data["token"], stage[0]
    buttons = [InlineKeyboardButton(t("btn.unit_chosen", lang, name=u.name) if u.code in chosen else u.name,
                                    callback_data=UnitPick(token, step, page, "unit", u.code).pack())
               for u in shown[(page - 1) * PAGE: page * PAGE]]
    rows = [buttons[i: i + 2] for i in range(0, len(buttons), 2)]
    nav = []
    if page > 1:
        nav.append(InlineKeyboardButton(t("btn.page_prev", lang), callback_data=UnitPick(token, step, page - 1, "pg").pack()))
    if needle:
        nav.append(InlineKeyboardButton(t("assign.show_all", lang), callback_data=UnitPick(token, step, 1, "all").pack()))
    if page < pages:
        nav.append(InlineKeyboardButton(t("btn.page_next", lang), callback_data=UnitPick(token, step, page + 1, "pg").pack()))
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton(t("assign.next", lang), callback_data=UnitPick(token, step, page, "next").pack()),
                 InlineKeyboardButton(t("assign.abort", lang), callback_data=UnitPick(token, step, page, "abort").pack())])
    names = {u.code: u.name for u in units}
    key = "assign.pick_lead_one" if stage == "lead" and not flow.code else f"assign.pick_{stage}"
    if stage == "lead" and not flow.code:
        rows.pop()  # one press chooses the lead unit: no «Tiếp»; «Thôi» stays
        rows.append([InlineKeyboardButton(t("assign.abort", lang),
                                          callback_data=UnitPick(token, step, page, "abort").pack())])
    merged = stage == "support" and not flow.code and "deadline" not in data
    if merged:  # the deadline is chosen on the support step itself: no «Tiếp» needed
        # a deadline's press assigns, unless the parser left a question (then the draft's preview comes first)
        key = "assign.pick_support_then_preview" if data.get("questions") else "assign.pick_support_deadline"
        rows.pop()
        rows += _deadline_rows(context, lang, flow, data.get("recurrence"))
        rows.append([InlineKeyboardButton(t("assign.abort", lang),
                                          callback_data=UnitPick(token, step, page, "abort").pack())])
    text = _heading(flow, lang, stage) + "\n" + h(key, lang, chosen=", ".join(names.get(c, c) for c in chosen) or t("value.none", lang))
    if stage == "support" and not flow.code:
        text = _heading(flow, lang, stage) + "\n" + h("assign.lead_chosen", lang,
                                                      lead=", ".join(names.get(c, c) for c in data["lead"])) \
            + _summary(data, lang) + "\n" + h(key, lang, chosen=", ".join(names.get(c, c) for c in chosen) or t("value.none", lang))
    if needle:
        text += "\n" + h("assign.filtered", lang, text=needle)
    elif pages > 1:
        text += "\n" + h("assign.type_to_filter", lang)
    flow = await _display(update, context, flow, Html(text), InlineKeyboardMarkup(rows), edit=edit)
    await _save(update, context, actor, flow)


def _summary(data: dict[str, Any], lang: str) -> Html:
    """What a new assignment's last step shows besides its units, so that the press that assigns it is made
    on the whole of it: the source document and the directing leader the text named."""
    lines = []
    if data.get("source"):
        day = data.get("source_date")
        lines.append(h("assign.summary_source_dated" if day else "assign.summary_source", lang,
                       source=data["source"], date=fmt_date(date.fromisoformat(day)) if day else ""))
    if data.get("leader"):
        lines.append(h("assign.summary_leader", lang, leader=data["leader"]))
    return Html("".join("\n" + line for line in lines))


async def _save(update: Update, context: Context, actor: Actor, flow: Pending, kind: str | None = None,
                **changes: Any) -> Pending:
    """Write the flow back with `changes`; the flow as now stored."""
    data = {**flow.data, **changes}
    kind = kind or flow.kind
    await expect(update, context, actor, kind, code=flow.code, version=flow.version, **data)
    return Pending(kind, flow.code, flow.version, data)


async def _correct(update: Update, context: Context, actor: Actor, flow: Pending, **changes: Any) -> None:
    """Apply a correction to the draft the flow is bound to (at the version it was asked about), close the
    flow and show the corrected draft, saying which one it is."""
    assert flow.code is not None
    card = await svc.edit_draft(runtime(context), actor.id, flow.code, now=now(context),
                                expected_version=flow.version, **changes)
    await forget(update, context, actor)
    await show_updated(update, actor, card, h("assign.corrected", actor.language, code=code_label(card.code, actor.language)), edit=False)


@registered
async def cmd_assign(update: Update, context: Context, actor: Actor) -> None:
    """`/giaoviec`: the guided flow (leaders and the office); `/giaoviec <text>` reads the text at once."""
    await begin(update, context, actor, " ".join(context.args or []).strip())


async def begin(update: Update, context: Context, actor: Actor, text: str = "") -> None:
    """Start the guided flow: the task's text is asked first (or read from `text`)."""
    check_can_assign(actor.role)
    token = _token()
    flow = Pending("content", data={"token": token, "stage": "lead", "lead": [], "support": [], "page": 1})
    if text:
        await _read_task(update, context, actor, flow, text)
        return
    abort = InlineKeyboardMarkup([[InlineKeyboardButton(t("assign.abort", actor.language),
                                                        callback_data=UnitPick(token, "l", 1, "abort").pack())]])
    flow = await _display(update, context, flow, h("assign.type_task", actor.language), abort, edit=False)
    await _save(update, context, actor, flow)


async def _read_task(update: Update, context: Context, actor: Actor, flow: Pending, text: str) -> None:
    """The task's text read as a typed directive is (`svc.draft_spec`, the one reading of every channel): what
    the parser understood is taken, the rest asked next. A text that holds several tasks is not cut to its
    first: the flow ends and the text is taken as a typed one is, a draft for each task (with «Giao tất cả»)."""
    rt = runtime(context)
    catalogue = await catalog(rt)
    result = parse_message(text, at=now(context), calendar=rt.calendar, index=catalogue.index)
    if result.kind == "directives" and len(result.directives) > 1:
        from handlers.understand import understand  # the free-text path (it imports nothing of this module)

        await forget(update, context, actor)
        await _display(update, context, flow, h("assign.several", actor.language, count=len(result.directives)),
                       None)
        await understand(update, context, actor, text)
        return
    data: dict[str, Any] = {}
    if result.kind == "directives" and result.directives:
        spec = svc.draft_spec(catalogue.index, result.directives[0])
        data = {"content": svc.check_content(rt, spec.content), "lead": spec.lead, "support": spec.support,
                "source": spec.source_number,
                "source_date": spec.source_date.isoformat() if spec.source_date else None,
                "leader": spec.leader_name, "questions": list(spec.questions)}
        if spec.deadline is not None:
            data["deadline"] = spec.deadline.isoformat()
            data["recurrence"] = spec.recurrence
    else:  # no unit named: the text is the content; a document number in it is the source
        data = {"content": svc.check_content(rt, text), "source": find_source_number(text)}
    flow = Pending("content", flow.code, flow.version, {**flow.data, **data})
    await _next_step(update, context, actor, flow)


async def _next_step(update: Update, context: Context, actor: Actor, flow: Pending) -> None:
    """What is still missing, asked in the flow's message; when nothing is, the draft."""
    data = flow.data
    if not data.get("lead"):
        flow = Pending("pick", flow.code, flow.version, {**data, "stage": "lead", "page": 1, "filter": ""})
        await _picker(update, context, actor, flow, edit=True)
    elif "deadline" not in data:
        await _ask_deadline(update, context, actor, await _save(update, context, actor, flow, kind="deadline"))
    else:
        source_date = data.get("source_date")
        await _create_draft(update, context, actor, flow, data.get("source"),
                            date.fromisoformat(source_date) if source_date else None)


@registered
async def cb_assign(update: Update, context: Context, actor: Actor) -> None:
    check_can_assign(actor.role)
    press = claimed(update, UnitPick)
    if press.choice == "abort":
        await _flow(update, context, actor, press.token, ("pick", "content", "deadline"))
        await forget(update, context, actor)
        await answer(update)
        await show(update, h("assign.aborted", actor.language))
        return
    flow = await _flow(update, context, actor, press.token, ("pick",))
    stage = flow.data["stage"]
    if press.step != stage[0]:
        raise DomainError("action.stale")
    if press.choice == "unit" and stage == "lead" and not flow.code:
        await answer(update)
        await _lead_chosen(update, context, actor, flow, [press.unit])
        return
    if press.choice == "unit":
        code = press.unit
        chosen = list(flow.data[stage])
        chosen.remove(code) if code in chosen else chosen.append(code)
        flow = await _save(update, context, actor, flow, **cast(dict[str, Any], {stage: chosen}))
    elif press.choice == "pg":
        flow = await _save(update, context, actor, flow, page=press.page)
    elif press.choice == "all":
        flow = await _save(update, context, actor, flow, page=1, filter="")
    elif press.choice == "next":
        await _after_units(update, context, actor, flow)  # a refusal here is the press's answer
        return
    else:
        raise DomainError("action.stale")
    await answer(update)
    await _picker(update, context, actor, flow, edit=True)


async def filter_units(update: Update, context: Context, actor: Actor, flow: Pending, text: str) -> None:
    """Text typed while the unit picker is open: a unit's name, short form or alias as the parser reads it
    (`UnitIndex.resolve`: accents optional; a group's name chooses its members), or a part of a name only one
    unit has, chooses it; other text narrows the list (accents optional)."""
    needle = fold(text)[:MAX_FILTER]
    stage = flow.data["stage"]
    if not flow.code and stage == "support" and "deadline" not in flow.data and any(c.isdigit() for c in text):
        rt = runtime(context)  # a date typed on the support step, where the deadline choices are shown too
        await _deadline_chosen(update, context, actor, flow,
                               read_date(text, local_date(now(context), rt.settings.tz), rt.calendar))
        return
    if not flow.code:
        catalogue = await catalog(runtime(context))
        blocked = set(flow.data["lead"]) if stage == "support" else set()
        named = catalogue.index.resolve(text[:MAX_FILTER * 2])
        chosen_now = [c for c in catalogue.index.expand([named]) if c not in blocked] if named else []
        if not chosen_now:
            shown = [u for u in catalogue.units if _matches(u, needle) and u.code not in blocked]
            chosen_now = [shown[0].code] if len(shown) == 1 else []
        if chosen_now and stage == "lead":
            await _lead_chosen(update, context, actor, flow, chosen_now)
            return
        if chosen_now:
            chosen = list(flow.data["support"])
            chosen += [c for c in chosen_now if c not in chosen]
            flow = await _save(update, context, actor, flow, support=chosen, filter="", page=1)
            await _picker(update, context, actor, flow, edit=True)
            return
    flow = await _save(update, context, actor, flow, filter=needle, page=1)
    await _picker(update, context, actor, flow, edit=not flow.code)


async def _lead_chosen(update: Update, context: Context, actor: Actor, flow: Pending, lead: list[str]) -> None:
    """A new assignment's lead unit: the support units are asked next (in the same message)."""
    flow = await _save(update, context, actor, flow, lead=lead, stage="support", page=1, filter="")
    await _picker(update, context, actor, flow, edit=True)


async def _after_units(update: Update, context: Context, actor: Actor, flow: Pending) -> None:
    data = flow.data
    if data["stage"] == "lead" and not data["lead"]:
        raise DomainError("assign.lead_first")
    if flow.code:  # correcting a draft's units
        await _correct(update, context, actor, flow, **{data["stage"]: data[data["stage"]]})
        return
    if data["stage"] == "lead":
        flow = await _save(update, context, actor, flow, stage="support", page=1, filter="")
        await _picker(update, context, actor, flow, edit=True)
        return
    await _next_step(update, context, actor, Pending("deadline", flow.code, flow.version, flow.data))


def _deadline_choices(context: Context) -> list[tuple[str, date | None]]:
    rt = runtime(context)
    return quick_deadlines(local_date(now(context), rt.settings.tz), rt.calendar)


async def _ask_deadline(update: Update, context: Context, actor: Actor, flow: Pending, edit: bool = True,
                        recurrence: str | None = None) -> None:
    """The deadline choices, and whether the directive recurs; a date typed instead of pressing a choice
    is taken as the answer too."""
    lang = actor.language
    recurrence = recurrence if flow.code else flow.data.get("recurrence")
    rows = _deadline_rows(context, lang, flow, recurrence)
    if flow.code:
        text = _heading(flow, lang, "deadline") + "\n" + h("assign.pick_deadline", lang)
    else:  # a new assignment: its units are known; a deadline's button assigns it
        names = {u.code: u.name for u in (await catalog(runtime(context))).units}
        text = _heading(flow, lang, "deadline") + "\n" + h(
            "assign.units_chosen", lang, lead=", ".join(names.get(c, c) for c in flow.data["lead"]),
            support=", ".join(names.get(c, c) for c in flow.data["support"]) or t("value.none", lang)) \
            + _summary(flow.data, lang) + "\n" + h("assign.pick_deadline" if flow.data.get("questions")
                                                    else "assign.pick_deadline_assign", lang)
    if recurrence:
        text += "\n" + h("assign.recurring_first", lang, recurrence=t(f"recurrence.{recurrence}", lang))
    shown = await _display(update, context, flow, Html(text), InlineKeyboardMarkup(rows), edit=edit)
    if shown is not flow:
        await _save(update, context, actor, shown)


def _deadline_rows(context: Context, lang: str, flow: Pending, recurrence: str | None) -> list[list[InlineKeyboardButton]]:
    ref = _ref(flow)
    # A draft's correction is stateless in its buttons: a recurrence chosen on the way rides along with the
    # deadline, so the two are saved together (a recurring task always has a deadline).
    along = (flow.data["recurrence"] or "none") if flow.code and "recurrence" in flow.data else ""
    def label(key: str, day: date | None) -> str:
        choice = t(f"assign.deadline_{key}", lang, date=day)
        # A new assignment's deadline button assigns it (its summary is the message above): it says so.
        return choice if flow.code or flow.data.get("questions") else t("assign.assign_by", lang, deadline=choice)

    rows = [[InlineKeyboardButton(label(key, day), callback_data=DeadlinePick(key, along=along, **ref).pack())]
            for key, day in _deadline_choices(context) if not (recurrence and key == "none")]
    rows.append([InlineKeyboardButton(t("assign.deadline_type", lang),
                                      callback_data=DeadlinePick("type", along=along, **ref).pack())])
    rows.append([InlineKeyboardButton(t("assign.recurrence_button", lang),
                                      callback_data=DeadlinePick("rec", **ref).pack())])
    return rows


def _ref(flow: Pending) -> dict[str, Any]:
    """What a deadline button names: the draft being corrected (at its version), or the new assignment's flow."""
    return {"code": flow.code, "version": flow.version} if flow.code else {"token": flow.data["token"]}


async def _ask_recurrence(update: Update, actor: Actor, ref: dict[str, Any]) -> None:
    lang = actor.language
    rows = [[InlineKeyboardButton(t(f"recurrence.{r}", lang), callback_data=DeadlinePick("r", recurrence=r, **ref).pack())]
            for r in (*svc.RECURRENCES, "none")]
    await show(update, h("assign.pick_recurrence", lang), InlineKeyboardMarkup(rows), edit=True)


async def _recurrence_chosen(update: Update, context: Context, actor: Actor, flow: Pending, choice: str) -> None:
    recurrence = None if choice == "none" else choice
    if flow.code:  # saved with the deadline chosen next, never alone
        flow = await _save(update, context, actor, Pending("deadline", flow.code, flow.version,
                                                           {"recurrence": recurrence}))
        await _ask_deadline(update, context, actor, flow, recurrence=recurrence)
        return
    await _ask_deadline(update, context, actor, await _save(update, context, actor, flow, kind="deadline",
                                                            recurrence=recurrence))


@registered
async def cb_deadline(update: Update, context: Context, actor: Actor) -> None:
    check_can_assign(actor.role)
    press = claimed(update, DeadlinePick)
    arg, along = press.choice, press.along
    if press.code:
        flow = Pending("deadline", press.code, press.version,
                       {"recurrence": None if along == "none" else along} if along else {})
    else:  # the deadline step, or the support step that shows the deadline choices too
        flow = await _flow(update, context, actor, press.token, ("deadline", "pick"))
        if flow.kind == "pick" and (flow.data.get("stage") != "support" or "deadline" in flow.data):
            raise DomainError("action.stale")
    if arg == "type":
        await _save(update, context, actor, flow, kind="deadline")
        await answer(update)
        await send(update, h("assign.type_date", actor.language))
        return
    if arg == "rec" and not along:
        await answer(update)
        await _ask_recurrence(update, actor, {"code": press.code, "version": press.version} if press.code
                              else {"token": press.token})
        return
    if arg == "r" and press.recurrence in (*svc.RECURRENCES, "none"):
        await answer(update)
        await _recurrence_chosen(update, context, actor, flow, press.recurrence)
        return
    chosen = dict(_deadline_choices(context))
    if arg not in chosen or (chosen[arg] is None and flow.data.get("recurrence")):
        raise DomainError("action.stale")
    # a refusal here is the press's answer; a new assignment's deadline button assigns it
    await _deadline_chosen(update, context, actor, flow, chosen[arg], assign=not press.code)


async def _deadline_chosen(update: Update, context: Context, actor: Actor, flow: Pending, deadline: date | None,
                           *, assign: bool = False) -> None:
    """The deadline of a draft being corrected, or of a new assignment: a typed date shows the draft's preview
    (how the date was read, with «Giao việc»); `assign`, a deadline's button on the last step (which shows the
    whole assignment), assigns it at once, unless the parser left a question open."""
    if flow.code:
        along = {"recurrence": flow.data["recurrence"]} if "recurrence" in flow.data else {}
        await _correct(update, context, actor, flow, deadline=deadline, **along)
        return
    svc.check_deadline(runtime(context), deadline, now(context))
    flow = await _save(update, context, actor, flow, deadline=deadline.isoformat() if deadline else None)
    if assign and not flow.data.get("questions"):
        await _assign_now(update, context, actor, flow)
        return
    await _next_step(update, context, actor, flow)


async def answer_flow(update: Update, context: Context, actor: Actor, flow: Pending, text: str) -> None:
    """A typed answer inside the flow: a unit filter, a date, the content, the source document."""
    rt = runtime(context)
    if flow.kind == "pick":
        await filter_units(update, context, actor, flow, text)
    elif flow.kind == "deadline":
        deadline = read_date(text, local_date(now(context), rt.settings.tz), rt.calendar)
        await _deadline_chosen(update, context, actor, flow, deadline)
    elif flow.kind == "content" and flow.code:
        await _correct(update, context, actor, flow, content=text)
    elif flow.kind == "content":
        await _read_task(update, context, actor, flow, text)
    elif flow.kind == "source":
        number, day = read_source(text, local_date(now(context), rt.settings.tz), rt.calendar)
        if flow.code:
            await _correct(update, context, actor, flow, source_number=number, source_date=day)
        else:
            await _create_draft(update, context, actor, flow, number, day)


@registered
async def cb_skip_source(update: Update, context: Context, actor: Actor) -> None:
    flow = await _flow(update, context, actor, claimed(update, SkipSource).token, ("source",))
    await _create_draft(update, context, actor, flow, None, None)


def _spec(data: dict[str, Any], source: str | None, source_date: date | None) -> svc.NewDirective:
    return svc.NewDirective(
        content=data.get("content", ""), lead=data["lead"], support=data["support"],
        deadline=date.fromisoformat(data["deadline"]) if data.get("deadline") else None,
        recurrence=data.get("recurrence"), source_number=source, source_date=source_date,
        leader_name=data.get("leader"), questions=tuple(data.get("questions") or ()),
    )


async def _assign_now(update: Update, context: Context, actor: Actor, flow: Pending) -> None:
    """The last step's deadline button pressed: the directive is assigned as the step showed it, and the flow's
    message becomes its card, with «Giao nhầm — làm lại» while nobody has acted on it (a mis-tap: it is
    cancelled, the units told, and the same assignment is back at its last step to press again)."""
    data, lang = flow.data, actor.language
    day = data.get("source_date")
    [card] = await svc.create_directives(runtime(context), actor.id,
                                         [_spec(data, data.get("source"), date.fromisoformat(day) if day else None)],
                                         now=now(context))
    await forget(update, context, actor)
    text = Html(h("assign.assigned_now", lang, code=code_label(card.code, lang)) + "\n\n" + card_text(card, lang))
    rows = [[InlineKeyboardButton(t("assign.redo", lang), callback_data=AssignRedo(card.code, card.version).pack())],
            *card_keyboard(card, actor).inline_keyboard]
    await _display(update, context, flow, text, InlineKeyboardMarkup(rows))


@registered
async def cb_redo(update: Update, context: Context, actor: Actor) -> None:
    """«Giao nhầm — làm lại» under a directive just assigned by a deadline's button: it is cancelled (at the
    version the button was drawn for: refused once anyone has acted on it) with the catalogue's reason, and a
    new flow holds the same assignment at its last step (units and deadline to choose again)."""
    check_can_assign(actor.role)
    press = claimed(update, AssignRedo)
    lang, rt, at = actor.language, runtime(context), now(context)
    card = await svc.cancel(rt, actor.id, press.code, t("assign.redo_reason", lang), now=at,
                            expected_version=press.version)
    await answer(update, t("assign.redone", lang, code=card.code))
    data = {"token": _token(), "stage": "support", "page": 1, "filter": "", "content": card.content,
            "lead": card.lead_codes, "support": card.support_codes, "source": card.source_number,
            "source_date": card.source_date.isoformat() if card.source_date else None,
            "leader": card.leader_name, "questions": []}
    message = update.callback_query.message if update.callback_query is not None else None
    if message is not None:
        data["msg"] = message.message_id  # the flow goes on in the pressed message
    if card.recurrence:
        data["recurrence"] = card.recurrence
    await _picker(update, context, actor, Pending("pick", None, None, data), edit=True)


async def _create_draft(update: Update, context: Context, actor: Actor, flow: Pending, source: str | None,
                        source_date: date | None) -> None:
    spec = _spec(flow.data, source, source_date)
    [card] = await svc.create_directives(runtime(context), actor.id, [spec], now=now(context), as_draft=True)
    await forget(update, context, actor)
    text = Html(h("assign.preview", actor.language) + "\n\n" + card_text(card, actor.language))
    await _display(update, context, flow, text, card_keyboard(card, actor))


@registered
async def cb_edit_draft(update: Update, context: Context, actor: Actor) -> None:
    """'Sửa' on a draft: choose what to correct, then correct it."""
    press = claimed(update, CardPress, EditPart)
    assert isinstance(press, CardPress | EditPart)
    if isinstance(press, CardPress) and press.button != "ded":
        raise DomainError("action.stale")
    check_can_assign(actor.role)
    card = await queries.card(runtime(context), actor.id, press.code, now=now(context))
    if card.version != press.version:
        raise DomainError("action.stale")
    lang = actor.language
    if isinstance(press, CardPress):
        rows = [[InlineKeyboardButton(t(f"assign.edit_{part}", lang),
                                      callback_data=EditPart(card.code, card.version, part).pack())]
                for part in DRAFT_PARTS]
        await send(update, h("assign.edit_what", lang, code=code_label(card.code, lang)), reply_markup=InlineKeyboardMarkup(rows))
        return
    part = press.part
    flow = Pending("pick", card.code, card.version, {"token": _token(), "stage": part, "lead": card.lead_codes,
                                                     "support": card.support_codes, "page": 1})
    if part in ("lead", "support"):
        await _picker(update, context, actor, await _save(update, context, actor, flow), edit=False)
    elif part == "deadline":
        await _ask_deadline(update, context, actor, await _save(update, context, actor, flow, kind="deadline"),
                            edit=False, recurrence=card.recurrence)
    elif part in ("content", "source"):
        await _save(update, context, actor, flow, kind=part)
        await send(update, h(f"assign.retype_{part}", lang, code=card.code))
    else:
        raise DomainError("action.stale")
