"""The commands people see in Telegram's menu, in each language (Vietnamese names, English aliases)."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat, MenuButtonWebApp, WebAppInfo

from bot.settings import Settings
from bot.texts import t

# (Vietnamese command, English alias, description key), in menu order.
MENU = [
    ("viec", "tasks", "cmd.tasks"),
    ("sapden", "duesoon", "cmd.duesoon"),
    ("quahan", "overdue", "cmd.overdue"),
    ("choxuly", "inbox", "cmd.inbox"),
    ("giaoviec", "assign", "cmd.assign"),
    ("nhap", "drafts", "cmd.drafts"),
    ("xem", "view", "cmd.view"),
    ("timkiem", "search", "cmd.search"),
    ("thongke", "stats", "cmd.stats"),
    ("mauexcel", "template", "cmd.template"),
    ("dangkynhom", "registergroup", "cmd.registergroup"),
    ("web", "webapp", "cmd.web"),
    ("lich", "calendar", "cmd.calendar"),
    ("ngonngu", "language", "cmd.language"),
    ("trogiup", "help", "cmd.help"),
    ("huy", "cancel", "cmd.cancel"),
]


def bot_commands(lang: str) -> list[BotCommand]:
    return [BotCommand(vi if lang == "vi" else en, t(key, lang)) for vi, en, key in MENU]


async def publish_commands(bot: Bot) -> None:
    """The default menu in Vietnamese, and English for clients whose language is English."""
    await bot.set_my_commands(bot_commands("vi"))
    await bot.set_my_commands(bot_commands("en"), language_code="en")


async def set_chat_commands(bot: Bot, chat_id: int, lang: str) -> None:
    """A person who chose a language sees the menu in it, whatever their Telegram app's language."""
    await bot.set_my_commands(bot_commands(lang), scope=BotCommandScopeChat(chat_id))


def web_app_ready(settings: Settings) -> bool:
    """Telegram opens Mini Apps (menu button, web_app buttons) only over HTTPS."""
    return settings.web_base_url.startswith("https://")


async def publish_menu_button(bot: Bot, settings: Settings) -> None:
    """The menu button opens the web app as a Mini App (WEB_BASE_URL over HTTPS); without it, the commands."""
    if web_app_ready(settings):
        await bot.set_chat_menu_button(menu_button=MenuButtonWebApp(
            t("web.menu_button", settings.default_language), WebAppInfo(settings.web_url + "/")))
