"""Cards, lists and keyboards. Every word comes from the catalogue; every button carries a checked claim."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.domain.lifecycle import State, Status
from bot.domain.policy import DECIDERS, Role
from bot.services.views import Actor, Card, HistoryEntry, Page
from bot.texts import fmt_date, fmt_value, t
from handlers.callbacks import Callback

MAX_CONTENT_IN_LIST = 90


def status_line(card: Card, lang: str) -> str:
    line = t(f"status.{card.status.status.value}", lang)
    if card.status.status == Status.OVERDUE:
        line += f" ({t('status.days_late', lang, days=card.status.days_late)})"
    elif card.status.due_soon:
        line += f" ({t('status.due_soon', lang)})"
    return line


def card_text(card: Card, lang: str) -> str:
    leads = [p for p in card.parts if p.role == "lead"]
    supports = [p for p in card.parts if p.role == "support"]

    def unit(p) -> str:  # type: ignore[no-untyped-def]
        mark = " ✅" if p.reported_done else " 👁" if p.acknowledged else ""
        return escape(p.name) + mark

    lines = [
        f"<b>{card.code}</b> · {escape(status_line(card, lang))}",
        escape(card.content),
        "",
        t("card.lead", lang, units=", ".join(unit(p) for p in leads)),
    ]
    if supports:
        lines.append(t("card.support", lang, units=", ".join(unit(p) for p in supports)))
    if card.deadline is None:
        lines.append(t("card.no_deadline", lang))
    elif card.original_deadline and card.original_deadline != card.deadline:
        lines.append(t("card.deadline_extended", lang, deadline=card.deadline, original=card.original_deadline))
    else:
        lines.append(t("card.deadline", lang, deadline=card.deadline))
    if card.recurrence:
        lines.append(t("card.recurrence", lang, recurrence=t(f"recurrence.{card.recurrence}", lang)))
    if card.source_number:
        lines.append(t("card.source", lang, source=escape(card.source_number),
                       date=fmt_date(card.source_date) if card.source_date else ""))
    if card.leader_name:
        lines.append(t("card.leader", lang, leader=escape(card.leader_name)))
    reports = sorted((p for p in card.parts if p.last_report and p.last_report_at),
                     key=lambda p: p.last_report_at)  # type: ignore[arg-type, return-value]
    if reports:
        last = reports[-1]
        lines.append(t("card.last_report", lang, unit=escape(last.name), at=last.last_report_at,
                       text=escape(last.last_report or "")))
    if card.pending_extension:
        ext = card.pending_extension
        lines.append(t("card.extension_pending", lang, date=ext.new_deadline, reason=escape(ext.reason)))
    if card.state == State.CANCELLED and card.cancel_reason:
        lines.append(t("card.cancel_reason", lang, reason=escape(card.cancel_reason)))
    if card.completed_on:
        lines.append(t("card.completed_on", lang, date=card.completed_on))
    return "\n".join(lines)


def _button(lang: str, key: str, action: str, card: Card, arg: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(t(key, lang), callback_data=Callback(action, card.code, card.version, arg).pack())


def card_keyboard(card: Card, actor: Actor) -> InlineKeyboardMarkup:
    """The buttons this person's role allows on this card now (the service checks again on press)."""
    lang, rows = actor.language, []
    working = card.state in (State.ASSIGNED, State.IN_PROGRESS)
    part = next((p for p in card.parts if p.code == actor.unit_code), None)
    if actor.role == Role.FOCAL and part is not None:
        row = []
        if not part.acknowledged and card.state in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING):
            row.append(_button(lang, "btn.ack", "ack", card))
        if working:
            row.append(_button(lang, "btn.progress", "prog", card))
        rows.append(row)
        if part.role == "lead" and working:
            lead_row = []
            if card.pending_extension is None:
                lead_row.append(_button(lang, "btn.extension", "ext", card))
            if not part.reported_done:
                lead_row.append(_button(lang, "btn.done", "done", card))
            rows.append(lead_row)
    if actor.role in DECIDERS:
        if card.state == State.DRAFT:
            rows.append([_button(lang, "btn.assign", "dok", card), _button(lang, "btn.edit", "ded", card),
                         _button(lang, "btn.discard", "ddel", card)])
        if card.state == State.AWAITING:
            rows.append([_button(lang, "btn.confirm", "conf", card), _button(lang, "btn.send_back", "back", card)])
        if card.pending_extension is not None and card.state in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING):
            rows.append([_button(lang, "btn.approve_ext", "exta", card), _button(lang, "btn.refuse_ext", "extr", card)])
        if card.state in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING):
            rows.append([_button(lang, "btn.cancel", "canc", card)])
        if card.state == State.DONE:
            rows.append([_button(lang, "btn.reopen", "reop", card)])
    if card.state != State.DRAFT:
        rows.append([_button(lang, "btn.history", "hist", card)])
    return InlineKeyboardMarkup([r for r in rows if r])


def list_text(title: str, page: Page, lang: str) -> str:
    if not page.total:
        return f"<b>{escape(title)}</b>\n{t('list.empty', lang)}"
    lines = [f"<b>{escape(title)}</b> — {t('list.count', lang, total=page.total, page=page.page, pages=page.pages)}"]
    for card in page.items:
        content = card.content if len(card.content) <= MAX_CONTENT_IN_LIST else card.content[:MAX_CONTENT_IN_LIST] + "…"
        units = ", ".join(card.lead_codes)
        lines.append(f"\n<b>{card.code}</b> · {units} · {fmt_date(card.deadline)}\n{escape(status_line(card, lang))}"
                     f"\n{escape(content)}")
    return "\n".join(lines)


def list_keyboard(page: Page, kind: str, unit: str, lang: str) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(f"{c.code} · {fmt_date(c.deadline)}", callback_data=Callback("open", c.code).pack())]
            for c in page.items]
    nav = []
    if page.page > 1:
        nav.append(InlineKeyboardButton("◀", callback_data=Callback("pg", kind, page.page - 1, unit).pack()))
    if page.page < page.pages:
        nav.append(InlineKeyboardButton("▶", callback_data=Callback("pg", kind, page.page + 1, unit).pack()))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def history_text(code: str, entries: list[HistoryEntry], lang: str) -> str:
    lines = [t("history.title", lang, code=code)]
    for e in entries:
        detail = ""
        if "reason" in e.data and e.data["reason"]:
            detail = e.data["reason"]
        elif "text" in e.data:
            detail = e.data["text"]
        elif e.kind.startswith("extension"):
            detail = t("history.deadline_change", lang,
                       before=fmt_value(e.data.get("old_deadline") or (e.data.get("before") or {}).get("deadline")),
                       after=fmt_value(e.data.get("new_deadline") or (e.data.get("after") or {}).get("deadline")))
        unit = f" [{e.data['unit']}]" if e.data.get("unit") else ""
        line = f"• {fmt_value(e.at)} — {t(f'event.{e.kind}', lang)}{unit} — {escape(e.actor or '—')}"
        if detail:
            line += f"\n   {escape(str(detail))}"
        lines.append(line)
    return "\n".join(lines)


MENU_KEYS = ("menu.my_tasks", "menu.due_soon", "menu.overdue", "menu.stats", "menu.assign", "menu.inbox",
             "menu.search", "menu.help")


def menu_keys(actor: Actor) -> list[str]:
    if actor.role in DECIDERS:
        keys = ["inbox", "assign", "due_soon", "overdue", "stats", "search", "help"]
    elif actor.role == Role.FOCAL:
        keys = ["my_tasks", "due_soon", "overdue", "stats", "search", "help"]
    else:
        keys = ["due_soon", "overdue", "stats", "search", "help"]
    return [f"menu.{k}" for k in keys]


def main_menu(actor: Actor) -> ReplyKeyboardMarkup:
    labels = [KeyboardButton(t(key, actor.language)) for key in menu_keys(actor)]
    rows = [labels[i : i + 2] for i in range(0, len(labels), 2)]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)


def menu_action(text: str) -> str | None:
    """Which menu button a typed text is, in any language."""
    from bot.texts import CATALOGUES

    for key in MENU_KEYS:
        if any(cat.get(key) == text for cat in CATALOGUES.values()):
            return key.removeprefix("menu.")
    return None
