"""What every channel shows as text: a directive's card, a page of a list, a directive's history, the greeting.
The catalogue's HTML (Telegram sends it as it is, Zalo and the CLI strip its tags: zalo/text.py: plain); every
word comes from the catalogue, every piece of user or database text is escaped. The channels' own parts
(Telegram's buttons and keyboards, Zalo's numbered replies) stay in handlers/ and zalo/."""

from __future__ import annotations

from datetime import date

from bot.domain.deadlines import occurrence_period
from bot.domain.directive import DRAFT_PREFIX, is_draft_code
from bot.domain.lifecycle import State, Status
from bot.domain.people import person_name
from bot.domain.units import short_name
from bot.services.views import Actor, Card, HistoryEntry, Page, UnitPart
from bot.texts import Html, fmt_date, fmt_value, h, html_escape, t

WEEKEND = {5: "weekday.sat", 6: "weekday.sun"}
# A card stays one message (Telegram's 4,096 characters): long reports and reasons are cut here, and the
# history shows them whole.
REPORT_CHARS, REASON_CHARS, FILES_SHOWN, FILE_NAME_CHARS = 600, 300, 5, 80
# What a card may take of a message, leaving room for the line an action puts above it; past it, the
# content and the unit lists are cut, step by step (content chars, units named per list).
CARD_CHARS = 3600
_SHORTER = ((1200, 15), (600, 10), (300, 6), (150, 4))


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def sentence(text: str) -> str:
    """Content as a card shows it: trimmed, starting with a capital letter."""
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def code_label(code: str, lang: str) -> str:
    """A directive's code as people read it; a draft's own number as «Nháp 12»."""
    if is_draft_code(code):
        return t("draft.number", lang, number=code.removeprefix(DRAFT_PREFIX))
    return code


def period_text(card: Card, lang: str) -> str:
    """Which period a recurring directive's occurrence covers ('kỳ tháng 12/2026'); '' for others."""
    if not card.recurrence or card.deadline is None:
        return ""
    key, params = occurrence_period(card.deadline, card.recurrence)
    return t(key, lang, **params)


def status_line(card: Card, lang: str) -> str:
    line = t(f"status.{card.status.status.value}", lang)
    if card.status.status == Status.OVERDUE:
        line += f" ({t('status.days_late', lang, days=card.status.days_late)})"
    elif card.status.due_soon:
        line += f" ({t('status.due_soon', lang)})"
    return line


def _units(parts: list[UnitPart], lang: str, shown: int | None = None) -> Html:
    def one(p: UnitPart) -> str:
        if p.reported_done or p.acknowledged:
            return h("card.unit_done" if p.reported_done else "card.unit_acknowledged", lang, name=p.name)
        return html_escape(p.name)

    listed = ", ".join(one(p) for p in parts[:shown])
    if shown is not None and len(parts) > shown:
        listed += " " + t("card.more_units", lang, count=len(parts) - shown)
    return Html(listed)


def _deadline_line(card: Card, lang: str) -> Html:
    if card.deadline is None:
        return h("card.no_deadline", lang)
    if card.due_on and card.due_on != card.deadline:
        day_off = t(WEEKEND.get(card.deadline.weekday(), "weekday.holiday"), lang)
        line = h("card.deadline_day_off", lang, deadline=card.deadline, day_off=day_off, due=card.due_on)
    else:
        line = h("card.deadline", lang, deadline=card.deadline)
    if card.original_deadline and card.original_deadline != card.deadline:
        line = Html(line + " " + h("card.extended_from", lang, original=card.original_deadline))
    return line


def card_text(card: Card, lang: str) -> Html:
    """The card as one message: a directive with a long content and dozens of units is cut to fit."""
    text = _card_text(card, lang)
    for content_chars, units_shown in _SHORTER:
        if len(text) <= CARD_CHARS:
            break
        text = _card_text(card, lang, content_chars, units_shown)
    return text


def question_days(question: str) -> list[date]:
    """The days a "two_deadlines:…" or "headline_deadline:…" question offers."""
    kind, _, detail = question.partition(":")
    if kind not in ("two_deadlines", "headline_deadline"):
        return []
    days = []
    for word in detail.split():
        try:
            days.append(date.fromisoformat(word))
        except ValueError:
            continue
    return days


def question_text(question: str, lang: str) -> Html:
    """A draft's open question (bot.domain.directive.QUESTION_KINDS) in the reader's words."""
    kind, _, detail = question.partition(":")
    if kind in ("two_deadlines", "headline_deadline"):
        detail = ", ".join(fmt_date(d) for d in question_days(question))
    return h(f"question.{kind}", lang, detail=detail)


def _card_text(card: Card, lang: str, content_chars: int | None = None, units_shown: int | None = None) -> Html:
    content = sentence(card.content)
    lines = [h("card.title", lang, code=code_label(card.code, lang), status=status_line(card, lang)),
             html_escape(clip(content, content_chars) if content_chars else content), ""]
    leads = card.leads
    lines.append(h("card.lead", lang, units=_units(leads, lang, units_shown)) if leads else h("card.no_lead", lang))
    if card.supports:
        lines.append(h("card.support", lang, units=_units(card.supports, lang, units_shown)))
    lines.append(_deadline_line(card, lang))
    if card.questions:
        lines.append(h("card.questions", lang))
        lines.extend(h("card.question_line", lang, question=question_text(q, lang)) for q in card.questions)
    if card.recurrence:
        lines.append(h("line.period", lang, recurrence=t(f"recurrence.{card.recurrence}", lang),
                       period=period_text(card, lang)))
    if card.source_number:
        key = "line.source_dated" if card.source_date else "line.source"
        lines.append(h(key, lang, source=card.source_number, date=card.source_date))
    if card.leader_name:
        lines.append(h("line.leader", lang, leader=card.leader_name))
    if card.assigned_by and card.assigned_by != card.leader_name:
        lines.append(h("card.assigned_by", lang, name=card.assigned_by))
    reports = sorted((p for p in card.parts if p.last_report and p.last_report_at),
                     key=lambda p: p.last_report_at)  # type: ignore[arg-type, return-value]
    if reports:
        last = reports[-1]
        lines.append(h("card.last_report", lang, unit=last.name, at=last.last_report_at,
                       text=clip(last.last_report or "", REPORT_CHARS)))
    for file in card.files[-FILES_SHOWN:]:
        lines.append(h("card.file", lang, name=clip(file.name, FILE_NAME_CHARS) if file.name else t(f"file.kind.{file.kind}", lang),
                       unit=file.unit_name or t("value.none", lang), at=file.at))
    if len(card.files) > FILES_SHOWN:
        lines.append(h("card.more_files", lang, count=len(card.files) - FILES_SHOWN))
    if card.unheard:
        unheard = ", ".join(card.unheard[:units_shown])
        if units_shown is not None and len(card.unheard) > units_shown:
            unheard += " " + t("card.more_units", lang, count=len(card.unheard) - units_shown)
        lines.append(h("card.unheard", lang, units=unheard))
    if card.pending_extension:
        ext = card.pending_extension
        lines.append(h("card.extension_pending", lang, unit=ext.unit_name, date=ext.new_deadline,
                       reason=clip(ext.reason, REASON_CHARS)))
    if card.state == State.CANCELLED and card.cancel_reason:
        lines.append(h("card.cancel_reason", lang, reason=clip(card.cancel_reason, REASON_CHARS)))
    if card.completed_on:
        lines.append(h("card.completed_on", lang, date=card.completed_on))
    return Html("\n".join(lines))


MAX_CONTENT_IN_LIST = 90


def snippet(text: str, limit: int) -> str:
    text = sentence(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def waiting_line(card: Card, lang: str) -> str:
    """What a directive in the decision inbox waits for: a completion report to confirm, or an extension
    request to decide (with the unit and the day it was sent, or the day asked for)."""
    if card.state == State.AWAITING:
        reports = [p for p in card.leads if p.reported_done and p.last_report_at]
        last = max(reports, key=lambda p: p.last_report_at) if reports else None  # type: ignore[arg-type, return-value]
        if last is None:
            return t("list.waiting_report", lang)
        return t("list.waiting_report_from", lang, unit=short_name(last.name), at=last.last_report_at)
    if card.pending_extension is not None:
        ext = card.pending_extension
        return t("list.waiting_extension_to", lang, unit=short_name(ext.unit_name), date=ext.new_deadline)
    return t("list.waiting_extension", lang)


def list_text(title: str, page: Page, lang: str, *, waiting: bool = False) -> Html:
    """A page of a list; `waiting` (the decision inbox): each item says what waits on it."""
    if not page.total:
        return Html(h("list.heading", lang, title=title) + "\n" + h("list.empty", lang))
    count = h("list.count_more" if page.more else "list.count", lang, total=page.total, page=page.page,
              pages=page.pages)
    lines: list[str] = [h("list.heading_count", lang, title=title, count=count)]
    for number, card in enumerate(page.items, 1):
        leads = ", ".join(short_name(p.name) for p in card.leads) or t("value.none", lang)
        deadline = fmt_date(card.deadline) if card.deadline else t("list.standing", lang)
        if card.recurrence:
            deadline = t("list.item_period", lang, deadline=deadline, period=period_text(card, lang))
        lines.append("\n" + h("list.item", lang, number=number, content=snippet(card.content, MAX_CONTENT_IN_LIST),
                                leads=leads, deadline=deadline, status=status_line(card, lang),
                                code=code_label(card.code, lang)))
        if waiting:
            lines.append(html_escape(waiting_line(card, lang)))
    return Html("\n".join(lines))


def history_text(code: str, entries: list[HistoryEntry], lang: str) -> Html:
    lines: list[str] = [h("history.title", lang, code=code)]
    for e in entries:
        detail = ""
        if e.data.get("reason") or e.data.get("note"):
            detail = e.data.get("reason") or e.data["note"]
        elif e.data.get("text"):
            detail = e.data["text"]
        if e.kind.startswith("extension") or (e.kind == "edited" and _deadline_changed(e)):
            before = e.data.get("old_deadline") or (e.data.get("before") or {}).get("deadline")
            after = e.data.get("new_deadline") or (e.data.get("after") or {}).get("deadline")
            none = t("value.none", lang)
            change = t("history.deadline_change", lang, before=fmt_value(before) if before else none,
                       after=fmt_value(after) if after else none)
            detail = t("history.change_and_detail", lang, change=change, detail=detail) if detail else change
        said = {"at": fmt_value(e.at), "event": t(f"event.{e.kind}", lang), "actor": e.actor or t("value.none", lang)}
        line: str = h("history.line_unit", lang, unit=short_name(e.unit), **said) if e.unit else h("history.line", lang, **said)
        if detail:
            line += "\n" + h("history.detail", lang, text=str(detail))
        for name in e.files:
            line += "\n" + h("history.file", lang, name=name)
        lines.append(line)
    return Html("\n".join(lines))


def _deadline_changed(entry: HistoryEntry) -> bool:
    return (entry.data.get("before") or {}).get("deadline") != (entry.data.get("after") or {}).get("deadline")


def greeting(actor: Actor, key: str) -> Html:
    """The greeting after /start (`key`: start.registered, start.welcome_back, start.moved): a person the
    office's invite gave a title is greeted by it and their name («Chào Phó Chủ tịch UBND tỉnh Lê Quang
    Minh.»), with their unit when they have one; anyone else by name, role and unit."""
    lang = actor.language
    if actor.title:
        name: str = person_name(actor.full_name, actor.title)
        if actor.unit_name:
            name = h("start.titled_in_unit", lang, name=name, unit=actor.unit_name)
        return h(f"{key}_titled", lang, name=name)
    return h(key, lang, name=actor.full_name, role=t(f"role.{actor.role}", lang), unit=actor.unit_name or t("value.none", lang))
