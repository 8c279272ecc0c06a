"""The drafts list's batches: the drafts read from one pasted message shown together, with the chat's two batch
presses as forms («Giữ đơn vị như đã đọc», «Giao tất cả»). Zalo has no buttons and sends its officials here, so
the one-tap answers of a pasted notice exist on the web too, through the same use cases (which check who may).

A batch is grouped within the page the list draws (the list pages by draft, newest first, so a long notice's
drafts may fall on two pages); its header then says how many of its drafts are elsewhere, and both presses act on
the whole message, as in the chat. What a press did comes back on the list after the redirect (PRG) in its query
string: the codes it names, checked for their shape, and words only from the catalogue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from bot.errors import DomainError
from bot.render import code_label
from bot.services import batches
from bot.services import directives as svc
from bot.services.views import Card, Page
from bot.texts import h
from web.context import checked_form, language_of, now, state

router = APIRouter(include_in_schema=False)

ACTIONS = ("keep", "assign")
# What a press's notice may name, by the query field that carries it: codes only (a draft's «NHAP-12», a
# directive's «CD-2026-0013»), at most a message's worth each.
CODE = re.compile(r"NHAP-\d{1,8}|CD-\d{4}-\d{1,8}")
NOTICE_FIELDS = ("kept", "ready", "waiting", "changed", "assigned", "remaining")
VERSION = re.compile(r"(\d{1,3}):(\d{1,9})")


@dataclass(frozen=True)
class Group:
    """A batch as one page shows it: the batch, and its drafts on this page by their place in the message."""

    batch: batches.Batch
    shown: tuple[Card, ...]

    @property
    def elsewhere(self) -> int:
        return len(self.batch.drafts) - len(self.shown)


async def list_context(request: Request, page: Page | None) -> dict[str, Any]:
    """The drafts list's rows in runs — (a group, its drafts) or (None, drafts on their own) in the list's order —
    and the notice of a press just made."""
    context: dict[str, Any] = {"notice": notice(request)}
    if page is None or not page.items:
        return context
    found = await batches.batches_of(state(request).rt, [card.id for card in page.items], now=now(request))
    on_page = {card.id for card in page.items}
    runs: list[tuple[Group | None, list[Card]]] = []
    placed: set[tuple[int, int]] = set()
    for card in page.items:
        batch = found.get(card.id)
        if batch is None or len(batch.drafts) < 2:  # typed alone, or the last of its message left: as before
            if runs and runs[-1][0] is None:
                runs[-1][1].append(card)
            else:
                runs.append((None, [card]))
            continue
        key = (batch.chat_id, batch.message_id)
        if key in placed:
            continue
        placed.add(key)  # the group stands where its first draft on the page would, its drafts by their place
        group = Group(batch, tuple(c for c in batch.drafts if c.id in on_page))
        runs.append((group, list(group.shown)))
    context["runs"] = runs
    return context


def notice(request: Request) -> list[Markup]:
    """What the press just made did, a line each, from the redirect's query (nothing when none was made)."""
    done = request.query_params.get("batch")
    if done not in ACTIONS:
        return []
    lang = language_of(request)
    named = {field: _codes(request.query_params.get(field)) for field in NOTICE_FIELDS}

    def line(key: str, field: str, **params: object) -> Markup:
        codes = named[field]
        return Markup(h(key, lang, count=len(codes), codes=", ".join(code_label(c, lang) for c in codes), **params))

    lines = []
    if done == "keep":
        if not named["kept"] and not named["changed"]:
            lines.append(Markup(h("batch.nothing_to_keep", lang)))
        if named["kept"]:
            lines.append(line("web.batch.kept", "kept"))
        if named["ready"]:
            lines.append(line("web.batch.kept_ready", "ready"))
        if named["waiting"]:
            lines.append(line("web.batch.kept_waiting", "waiting"))
        if named["changed"]:
            lines.append(line("web.batch.kept_changed", "changed"))
    else:
        lines.append(line("web.batch.assigned", "assigned") if named["assigned"]
                     else Markup(h("web.batch.none_assigned", lang)))
        if named["remaining"]:
            lines.append(line("web.batch.remaining", "remaining"))
    return lines


def _codes(text: str | None) -> list[str]:
    return [code for code in (text or "").split(",") if CODE.fullmatch(code)][:svc.MAX_BATCH]


def _number(text: object) -> int:
    value = str(text or "")
    if not re.fullmatch(r"-?\d{1,19}", value):
        raise DomainError("action.stale")
    return int(value)


def _versions(values: list[Any]) -> dict[int, int]:
    """The drafts the page offered «Giữ đơn vị như đã đọc» for, as it drew them (place → version)."""
    offered = {}
    for value in values:
        found = VERSION.fullmatch(str(value))
        if found:
            offered[int(found[1])] = int(found[2])
    return offered


@router.post("/lists/drafts/batch/{action}")
async def press(request: Request, action: str) -> Response:
    """One of a batch's presses, for the whole pasted message (chat and message ids, as the chat's button knows
    them); a refusal (who may not assign) is the app's error page, with nothing changed."""
    actor, form = await checked_form(request)
    if action not in ACTIONS:
        raise DomainError("action.stale")
    rt, at = state(request).rt, now(request)
    chat, message = _number(form.get("chat")), _number(form.get("message"))
    said: dict[str, list[str]]
    if action == "keep":
        # only the drafts the page offered, at the versions it showed: never None, which would mean «all»
        kept = await svc.keep_units_read(rt, actor.id, chat, message, now=at, versions=_versions(form.getlist("v")))
        answered = [card for card, _ in kept.answered]
        said = {"kept": [c.code for c in answered],
                "ready": [c.code for c in answered if not c.questions and c.lead_codes],
                "waiting": [c.code for c in answered if c.questions or not c.lead_codes],
                "changed": [c.code for c in kept.left]}
    else:
        assigned, remaining = await svc.assign_drafts(rt, actor.id, chat, message, now=at)
        said = {"assigned": [card.code for _, card, _ in assigned], "remaining": [c.code for c in remaining]}
    page = str(form.get("page") or "1")
    query = {"page": page if page.isdigit() else "1", "batch": action,
             **{field: ",".join(codes) for field, codes in said.items() if codes}}
    return RedirectResponse(f"/lists/drafts?{urlencode(query)}", status_code=303)
