"""The pages: the dashboard, the lists, the directive card with its actions, files and report downloads.
Each route parses its input, calls one service (the chat's own, `bot/services`) and renders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.datastructures import FormData, UploadFile

from bot.domain.deadlines import local_date
from bot.domain.directive import DATE_QUESTIONS, question_kind
from bot.domain.lifecycle import Move
from bot.domain.periods import period_range
from bot.domain.policy import DECIDERS, Role, allowed
from bot.errors import DomainError
from bot.parsing.dates import read_date
from bot.render import question_days, question_text
from bot.reports import counts
from bot.reports.labels import period_name
from bot.services import access, queries, reports, units, web_auth, web_views
from bot.services import directives as svc
from bot.services.directives import UNSET
from bot.services.views import Actor, Card, Page
from bot.texts import t
from web import batches
from web.chart import bars
from web.context import checked_form, language_of, now, render, signed_in, state

router = APIRouter(include_in_schema=False)

# A card's actions: the move each is allowed by (bot.domain.policy.allowed, as the chat's buttons), its
# label, and what it asks for (None: nothing; "report": text and files; "extension": a date and a reason;
# "reason": a reason).
ACTIONS: dict[str, tuple[Move, str, str | None]] = {
    "dok": (Move.CONFIRM_DRAFT, "btn.assign", None),
    "ddel": (Move.DISCARD, "btn.discard", None),
    "ack": (Move.ACKNOWLEDGE, "btn.ack", None),
    "prog": (Move.PROGRESS, "btn.progress", "report"),
    "done": (Move.REPORT_DONE, "btn.done", "report"),
    "ext": (Move.REQUEST_EXTENSION, "btn.extension", "extension"),
    "conf": (Move.CONFIRM, "btn.confirm", None),
    "back": (Move.SEND_BACK, "btn.send_back", "reason"),
    "exta": (Move.DECIDE_EXTENSION, "btn.approve_ext", None),
    "extr": (Move.DECIDE_EXTENSION, "btn.refuse_ext", "reason"),
    "canc": (Move.CANCEL, "btn.cancel", "reason"),
    "reop": (Move.REOPEN, "btn.reopen", "reason"),
}
DONE_KEYS = {"ext": "done.ext_reason"}
LISTS = {"my": "list.my_tasks", "support": "list.my_support", "soon": "list.due_soon", "overdue": "list.overdue",
         "inbox": "list.inbox", "drafts": "web.list.drafts", "search": "list.search"}
FORMATS = ("xlsx", "docx", "png")
LIST_FILTERS = frozenset({"lunit", "role", "leader", "class", "q", "after"})


def moves_for(card: Card, actor: Actor) -> list[str]:
    """The actions this person may take on this card now: the chat's rule (a focal point acts for their unit)."""
    acting = actor.unit_code if actor.role == Role.FOCAL else None
    moves = allowed(actor.role, card.standing, acting)
    return [action for action, (move, _, _) in ACTIONS.items() if move in moves]


# A draft's question answered as it stands, by kind: the answer (the chat's, handlers/callbacks.py QuestionAnswer) and
# its label. A date question offers its days and «no deadline»; a unit the list lacks is answered with «Sửa» in chat.
KEEP_ANSWERS = {"background": ("bg", "btn.is_task"), "vague_unit": ("u", "btn.keep_units"), "lead": ("l", "btn.keep_units")}
ANSWER_KINDS = {"bg": ("background",), "u": ("vague_unit",), "l": ("lead",)}


def questions_for(card: Card, actor: Actor, lang: str) -> list[dict[str, Any]]:
    """A draft's open questions, each with the answers this person may give here (the chat's buttons): none for who
    may not correct the draft."""
    may = Move.EDIT_DRAFT in allowed(actor.role, card.standing, None)
    shown = []
    for question in card.questions:
        kind = question_kind(question)
        answers: list[tuple[str, str]] = []
        if kind in KEEP_ANSWERS:
            answer, label = KEEP_ANSWERS[kind]
            answers.append((answer, t(label, lang)))
        elif kind in DATE_QUESTIONS:
            answers += [(f"d:{day.isoformat()}", t("btn.deadline_on", lang, date=day)) for day in question_days(question)]
            answers.append(("d:", t("btn.no_deadline", lang)))
        shown.append({"text": Markup(question_text(question, lang)), "answers": answers if may else []})
    return shown


async def _answer(request: Request, actor: Actor, code: str, answer: str, version: int | None) -> Card:
    """A draft's question answered from its page: as it stands («bg», «u», «l»), or its deadline («d:ISO», «d:»)."""
    rt, at = state(request).rt, now(request)
    kinds = ANSWER_KINDS.get(answer, DATE_QUESTIONS)
    current = await queries.card(rt, actor.id, code, now=at)
    if not any(question_kind(q) in kinds for q in current.questions):
        raise DomainError("action.stale")  # answered already (the form sent again), or never asked
    if answer in ANSWER_KINDS:
        return await svc.edit_draft(rt, actor.id, code, now=at, expected_version=version, answered=ANSWER_KINDS[answer])
    if not answer.startswith("d:"):
        raise DomainError("action.stale")
    try:
        day = date.fromisoformat(answer[2:]) if answer[2:] else None
    except ValueError:
        raise DomainError("action.stale") from None
    return await svc.edit_draft(rt, actor.id, code, now=at, expected_version=version, deadline=day,
                                recurrence=UNSET if day else None)  # no deadline: a standing task, not a recurring one


# -- the dashboard -----------------------------------------------------------------------------------


def _arg(request: Request, name: str, limit: int = 200) -> str | None:
    value = (request.query_params.get(name) or "").strip()[:limit]
    return value or None


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError("deadline.unreadable", text=text[:20]) from None


def _period(request: Request) -> str | None:
    start, end = _day(_arg(request, "from", 10)), _day(_arg(request, "to", 10))
    if start and end:
        return f"{start.isoformat()}..{end.isoformat()}"
    return _arg(request, "period", 40)


def period_choices(today: date, lang: str) -> list[tuple[str, str]]:
    """The periods the picker offers: the last 12 months, 4 quarters, 2 half-years and 3 years."""
    names: list[str] = []
    for back in range(12):
        month = today.month - back
        names.append(f"{today.year + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}")
    quarter = (today.month - 1) // 3 + 1
    for back in range(4):
        q = quarter - back
        names.append(f"{today.year + (q - 1) // 4}-Q{(q - 1) % 4 + 1}")
    half = 1 if today.month <= 6 else 2
    names += [f"{today.year}-H{half}", f"{today.year - 1 if half == 1 else today.year}-H{2 if half == 1 else 1}"]
    names += [str(today.year - back) for back in range(3)]
    choices = []
    for name in names:
        start, end = period_range(name, today)
        choices.append((name, period_name(counts.Scope(start, end, end), lang)))
    return choices


def scope_query(scope: counts.Scope, **extra: str | None) -> str:
    """The query string that names a scope (and more), for links and downloads."""
    params = {"period": scope.period or f"{scope.start.isoformat()}..{scope.end.isoformat()}",
              "as_of": scope.as_of.isoformat(), "unit": scope.unit_code or ""}
    params.update({k: v or "" for k, v in extra.items()})
    return urlencode({k: v for k, v in params.items() if v})


def unit_queries(scope: counts.Scope) -> Any:
    """`scope_query` of the scope for each unit in turn (a link per row of the table and bar of the chart):
    the unit's code added to the rest, encoded once."""
    rest = scope_query(replace(scope, unit_code=None))
    return lambda code: f"{rest}&{urlencode({'unit': code})}" if code else rest


def _scope(request: Request, actor: Actor) -> counts.Scope:
    rt = state(request).rt
    unit = _arg(request, "unit", 32)
    if unit is None and "unit" not in request.query_params and actor.role == Role.FOCAL:
        unit = actor.unit_code  # a unit sees its own first (every unit's figures stay one click away)
    return reports.scope_for(rt, now=now(request), period=_period(request), unit_code=unit,
                             as_of=_day(_arg(request, "as_of", 10)))


@router.get("/")
async def dashboard(request: Request) -> Response:
    actor = await signed_in(request)
    rt, at = state(request).rt, now(request)
    scope = _scope(request, actor)
    view = await web_views.dashboard(rt, actor.id, scope, now=at)
    wanted = web_views.ListFilter(unit_code=_arg(request, "lunit", 32) or scope.unit_code,
                                  role=_arg(request, "role", 8) or "lead", leader=_arg(request, "leader"),
                                  cls=_arg(request, "class", 16) or "open_late", text=_arg(request, "q"))
    listed = None
    if LIST_FILTERS & set(request.query_params):  # the drill-down, once asked for: the overdue list is above
        after = _arg(request, "after", 20)
        listed = await web_views.directive_list(rt, actor.id, scope, wanted, now=at,
                                                after=int(after) if after and after.isdigit() else None)
    catalog = await units.catalog(rt)
    today = local_date(at, rt.settings.tz)
    lang = actor.language
    return render(request, "dashboard.html", {
        "view": view, "report": view.report, "scope": scope, "wanted": wanted, "listed": listed,
        "units": sorted(catalog.index.units.values(), key=lambda u: u.name),
        "periods": period_choices(today, lang), "period_label": period_name(scope, lang),
        "custom": ".." in (scope.period or ""), "chart": bars(view.report),
        "query": scope_query(scope), "classes": web_views.LIST_CLASSES,
        "unit_query": unit_queries(scope),
        "next_query": scope_query(scope, lunit=wanted.unit_code, role=wanted.role, leader=wanted.leader,
                                  **{"class": wanted.cls}, q=wanted.text,
                                  after=str(listed.next_after) if listed and listed.next_after else None),
        "calendar_url": web_auth.calendar_url(rt.settings, actor.id),
    })


@router.get("/report/file.{fmt}")
async def report_file(request: Request, fmt: str) -> Response:
    """What is on screen as a workbook, a Word report or the chart, from the same figures."""
    actor = await signed_in(request)
    if fmt not in FORMATS:
        raise DomainError("action.stale")
    scope = _scope(request, actor)
    file = await reports.report_file(state(request).rt, actor.id, scope, fmt, actor.language, now=now(request))
    disposition = "inline" if fmt == "png" else "attachment"
    return Response(file.data, media_type=file.mime,
                    headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(file.name)}"})


# -- lists -------------------------------------------------------------------------------------------


async def _page(request: Request, actor: Actor, kind: str, page: int, unit: str | None, words: str | None) -> Page:
    rt, at = state(request).rt, now(request)
    if kind in ("my", "support"):
        return await queries.unit_tasks(rt, actor.id, now=at, unit_code=unit, page=page,
                                        role="lead" if kind == "my" else "support")
    if kind == "soon":
        return await queries.due_soon(rt, actor.id, now=at, unit_code=unit, page=page)
    if kind == "overdue":
        return await queries.overdue(rt, actor.id, now=at, unit_code=unit, page=page)
    if kind == "inbox":
        if actor.role == Role.FOCAL:  # what waits for a unit: its own work, each saying what is awaited
            return await queries.unit_tasks(rt, actor.id, now=at, page=page)
        return await queries.awaiting_decision(rt, actor.id, now=at, page=page)
    if kind == "drafts":
        return await queries.drafts(rt, actor.id, now=at, page=page)
    return await queries.search(rt, actor.id, words or "", now=at, page=page)


def waiting_for(card: Card, actor: Actor) -> tuple[str, dict[str, Any]] | None:
    """What a card in the inbox waits for from this person: a decision on an extension or on a report, or
    (for a unit) its acknowledgement."""
    if actor.role in DECIDERS:
        if card.pending_extension is not None:
            ext = card.pending_extension
            return "web.wait.extension", {"unit": ext.unit_name, "date": ext.new_deadline}
        if card.state == "awaiting_confirmation":
            return "web.wait.report", {}
        return None
    part = next((p for p in card.parts if p.code == actor.unit_code), None)
    if part is not None and not part.acknowledged:
        return "web.wait.ack", {}
    if card.status.status == "in_progress_overdue":
        return "web.wait.overdue", {}
    return None


@router.get("/lists/{kind}")
async def list_page(request: Request, kind: str) -> Response:
    actor = await signed_in(request)
    if kind not in LISTS:
        raise DomainError("action.stale")
    number = _arg(request, "page", 6)
    unit, words = _arg(request, "unit", 32), _arg(request, "q", queries.MAX_QUERY_CHARS)
    page = None
    if kind != "search" or words:
        page = await _page(request, actor, kind, int(number) if number and number.isdigit() else 1, unit, words)
    grouped = await batches.list_context(request, page) if kind == "drafts" else {}  # a pasted notice together
    return render(request, "list.html", {"kind": kind, "title_key": LISTS[kind], "page": page, "unit": unit or "",
                                         "words": words or "", "waiting_for": waiting_for, **grouped})


# -- the card ----------------------------------------------------------------------------------------


async def _card_page(request: Request, actor: Actor, code: str, *, error: str | None = None,
                     status_code: int = 200, typed: dict[str, str] | None = None) -> Response:
    rt, at = state(request).rt, now(request)
    card, history = await queries.card_with_history(rt, actor.id, code, now=at)
    done = _arg(request, "done", 8)
    return render(request, "card.html", {
        "card": card, "history": history, "moves": moves_for(card, actor), "actions": ACTIONS,
        "questions": questions_for(card, actor, language_of(request)),
        "done": DONE_KEYS.get(done, f"done.{done}") if done in ACTIONS else None, "error": error,
        "typed": typed or {}, "max_mb": rt.settings.web_max_upload_mb,
    }, status_code=status_code)


@router.get("/d/{code}")
async def card_page(request: Request, code: str) -> Response:
    actor = await signed_in(request)
    return await _card_page(request, actor, code)


async def _uploads(request: Request, actor: Actor, form: FormData) -> list[svc.FileRef]:
    rt, limit = state(request).rt, state(request).rt.settings.web_max_upload_mb * 1024 * 1024
    files = []
    for upload in form.getlist("files"):
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        data = await upload.read(limit + 1)
        files.append(await web_views.store_upload(rt, actor.id, upload.filename, data, now=now(request)))
    return files


async def _act(request: Request, actor: Actor, code: str, action: str, form: FormData) -> Card:
    rt, at = state(request).rt, now(request)
    version_text = str(form.get("version") or "")
    version = int(version_text) if version_text.isdigit() else None
    round_ = str(form.get("round") or "") or None
    text = str(form.get("text") or "")
    if action == "ack":
        return await svc.acknowledge(rt, actor.id, code, now=at, expected_version=version)
    if action == "conf":
        return await svc.confirm_done(rt, actor.id, code, now=at, expected_version=version)
    if action == "exta":
        request_id = str(form.get("request") or "")
        return await svc.decide_extension(rt, actor.id, code, True, now=at, expected_version=version,
                                          request_id=int(request_id) if request_id.isdigit() else None)
    if action == "dok":
        return await svc.confirm_draft(rt, actor.id, code, now=at, expected_version=version)
    if action == "ans":
        return await _answer(request, actor, code, str(form.get("answer") or ""), version)
    if action == "ddel":
        return await svc.discard_draft(rt, actor.id, code, now=at, expected_version=version)
    if action in ("prog", "done"):
        await svc.check_action(rt, actor.id, code, ACTIONS[action][0], now=at, expected_version=None)
        files = await _uploads(request, actor, form)
        report = svc.report_progress if action == "prog" else svc.report_done
        try:
            return await report(rt, actor.id, code, text, files=files, now=at, expected_round=round_)
        except DomainError:
            for file in files:
                await web_views.drop_blob(rt, file)
            raise
    if action == "ext":
        typed = str(form.get("date") or "").strip()
        today = local_date(at, rt.settings.tz)
        try:
            new_deadline = date.fromisoformat(typed)
        except ValueError:
            new_deadline = read_date(typed, today, rt.calendar)
        return await svc.request_extension(rt, actor.id, code, new_deadline, text, now=at, expected_round=round_)
    if action == "extr":
        request_id = str(form.get("request") or "")
        return await svc.decide_extension(rt, actor.id, code, False, note=text, now=at,
                                          request_id=int(request_id) if request_id.isdigit() else None)
    decision = {"back": svc.send_back, "canc": svc.cancel, "reop": svc.reopen}.get(action)
    if decision is None:
        raise DomainError("action.stale")
    return await decision(rt, actor.id, code, text, now=at, expected_round=round_)


@router.post("/d/{code}/{action}")
async def act(request: Request, code: str, action: str) -> Response:
    actor, form = await checked_form(request)
    try:
        card = await _act(request, actor, code, action, form)
    except DomainError as error:
        from bot.texts import error_text
        from web.app import status_of

        typed = {"action": action, "text": str(form.get("text") or "")[:5000], "date": str(form.get("date") or "")}
        return await _card_page(request, actor, code, error=error_text(error, actor.language),
                                status_code=status_of(error), typed=typed)
    return RedirectResponse(f"/d/{quote(card.code)}?done={action}", status_code=303)


@router.get("/d/{code}/files/{file_id}")
async def file(request: Request, code: str, file_id: int) -> Response:
    """A file kept with a directive, for whoever may open it: uploaded here (its bytes are in the database)
    or sent in Telegram (fetched from the Bot API on demand)."""
    actor = await signed_in(request)
    web = state(request)
    found = await web_views.file_for_reader(web.rt, actor.id, code, file_id)
    data = found.data
    if data is None:
        if web.bot is None or found.telegram_file_id is None:
            raise DomainError("file.unavailable")
        try:
            telegram_file = await web.bot.get_file(found.telegram_file_id)
            data = bytes(await telegram_file.download_as_bytearray())
        except Exception as error:  # noqa: BLE001 - Telegram unreachable or the file too old: say so
            raise DomainError("file.unavailable") from error
    inline = found.mime.startswith(("image/", "application/pdf"))
    return Response(data, media_type=found.mime, headers={
        "Content-Disposition": f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(found.name)}"})


# -- the person --------------------------------------------------------------------------------------


@router.get("/me")
async def me(request: Request) -> Response:
    actor = await signed_in(request)
    return render(request, "me.html", {"calendar_url": web_auth.calendar_url(state(request).rt.settings, actor.id)})


@router.post("/me/language")
async def language(request: Request) -> Response:
    """The reader's language, for the web and the chat alike (the chat's `/ngonngu`)."""
    actor, form = await checked_form(request)
    await access.set_language(state(request).rt, actor.id, str(form.get("language") or ""), now=now(request))
    return RedirectResponse("/me", status_code=303)
