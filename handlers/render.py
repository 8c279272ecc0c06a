"""Telegram's keyboards for lists and the menu: every label comes from the catalogue, every button carries a
checked claim. The texts they go with (lists, history, the greeting) are channel-neutral: bot/render.py."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot.domain.policy import DECIDERS, Role
from bot.domain.units import fold
from bot.render import snippet
from bot.services.views import Actor, Card, Page
from bot.texts import CATALOGUES, t
from handlers.callbacks import ListPage, OpenCard

MAX_CONTENT_ON_BUTTON = 34


def list_keyboard(page: Page, kind: str, arg: str, lang: str, extra: list[list[InlineKeyboardButton]] | None = None
                  ) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(_item_label(number, c, lang), callback_data=OpenCard(c.code).pack())]
            for number, c in enumerate(page.items, 1)]
    nav = []
    if page.page > 1:
        nav.append(InlineKeyboardButton(t("btn.page_prev", lang), callback_data=_page(kind, page.page - 1, arg)))
    if page.page < page.pages:
        nav.append(InlineKeyboardButton(t("btn.page_next", lang), callback_data=_page(kind, page.page + 1, arg)))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows + (extra or []))


def _page(kind: str, page: int, arg: str) -> str:
    """A list's other page: `arg` is the words searched (find) or the unit."""
    return (ListPage(kind, page, words=arg) if kind == "find" else ListPage(kind, page, unit=arg)).pack()


def _item_label(number: int, card: Card, lang: str) -> str:
    content = snippet(card.content, MAX_CONTENT_ON_BUTTON)
    if card.deadline:
        return t("btn.list_item_due", lang, number=number, content=content, day=f"{card.deadline:%d/%m}")
    return t("btn.list_item", lang, number=number, content=content)


def callback_text(text: str, limit: int = 40) -> str:
    """Search words as a button can carry them: accent-free ASCII, bounded (the search folds anyway)."""
    words = "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else " " for ch in fold(text)).split()
    return " ".join(words)[:limit].strip()


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
