"""Lists, history, statistics and the menu keyboard. Every word comes from the catalogue, every piece of
user or database text is escaped, every button carries a checked claim."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.domain.lifecycle import State
from bot.domain.people import person_name
from bot.domain.policy import DECIDERS, Role
from bot.domain.units import fold, short_name
from bot.services.views import Actor, Card, HistoryEntry, Page
from bot.texts import CATALOGUES, Html, fmt_date, fmt_value, h, html_escape, t
from handlers.callbacks import ListPage, OpenCard
from handlers.cards import code_label, period_text, sentence, status_line

MAX_CONTENT_IN_LIST = 90
MAX_CONTENT_ON_BUTTON = 34


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
        return Html(f"<b>{html_escape(title)}</b>\n{h('list.empty', lang)}")
    count = h("list.count_more" if page.more else "list.count", lang, total=page.total, page=page.page,
              pages=page.pages)
    lines = [f"<b>{html_escape(title)}</b> — {count}"]
    for number, card in enumerate(page.items, 1):
        leads = ", ".join(short_name(p.name) for p in card.leads) or "—"
        deadline = fmt_date(card.deadline) if card.deadline else t("list.standing", lang)
        if card.recurrence:
            deadline += f" ({period_text(card, lang)})"
        lines.append(f"\n<b>{number}.</b> {html_escape(snippet(card.content, MAX_CONTENT_IN_LIST))}"
                     f"\n{html_escape(leads)} · {html_escape(deadline)} · {html_escape(status_line(card, lang))}"
                     f" · <code>{html_escape(code_label(card.code, lang))}</code>")
        if waiting:
            lines.append(html_escape(waiting_line(card, lang)))
    return Html("\n".join(lines))


def list_keyboard(page: Page, kind: str, arg: str, lang: str, extra: list[list[InlineKeyboardButton]] | None = None
                  ) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(f"{number}. {_item_label(c)}", callback_data=OpenCard(c.code).pack())]
            for number, c in enumerate(page.items, 1)]
    nav = []
    if page.page > 1:
        nav.append(InlineKeyboardButton("◀", callback_data=_page(kind, page.page - 1, arg)))
    if page.page < page.pages:
        nav.append(InlineKeyboardButton("▶", callback_data=_page(kind, page.page + 1, arg)))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows + (extra or []))


def _page(kind: str, page: int, arg: str) -> str:
    """A list's other page: `arg` is the words searched (find) or the unit."""
    return (ListPage(kind, page, words=arg) if kind == "find" else ListPage(kind, page, unit=arg)).pack()


def _item_label(card: Card) -> str:
    when = f" · {card.deadline:%d/%m}" if card.deadline else ""
    return snippet(card.content, MAX_CONTENT_ON_BUTTON) + when


def callback_text(text: str, limit: int = 40) -> str:
    """Search words as a button can carry them: accent-free ASCII, bounded (the search folds anyway)."""
    words = "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else " " for ch in fold(text)).split()
    return " ".join(words)[:limit].strip()


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
            change = t("history.deadline_change", lang, before=fmt_value(before) if before else "—",
                       after=fmt_value(after) if after else "—")
            detail = f"{change}. {detail}" if detail else change
        unit = f" [{short_name(e.unit)}]" if e.unit else ""
        line = f"• {fmt_value(e.at)} — {html_escape(t(f'event.{e.kind}', lang))}{html_escape(unit)} — {html_escape(e.actor or '—')}"
        if detail:
            line += f"\n   {html_escape(str(detail))}"
        for name in e.files:
            line += f"\n   📎 {html_escape(name)}"
        lines.append(line)
    return Html("\n".join(lines))


def _deadline_changed(entry: HistoryEntry) -> bool:
    return (entry.data.get("before") or {}).get("deadline") != (entry.data.get("after") or {}).get("deadline")


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
    for key in MENU_KEYS:
        if any(catalogue.get(key) == text for catalogue in CATALOGUES.values()):
            return key.removeprefix("menu.")
    return None


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
    return h(key, lang, name=actor.full_name, role=t(f"role.{actor.role}", lang), unit=actor.unit_name or "—")
