"""The commands people see in Telegram's menu, in each language (Vietnamese names, English aliases)."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeChat

from bot.texts import t

# (Vietnamese command, English alias, description key), in menu order.
MENU = [
    ("viec", "tasks", "cmd.tasks"),
    ("sapden", "duesoon", "cmd.duesoon"),
    ("quahan", "overdue", "cmd.overdue"),
    ("choxuly", "inbox", "cmd.inbox"),
    ("giaoviec", "assign", "cmd.assign"),
    ("xem", "view", "cmd.view"),
    ("timkiem", "search", "cmd.search"),
    ("thongke", "stats", "cmd.stats"),
    ("mauexcel", "template", "cmd.template"),
    ("dangkynhom", "registergroup", "cmd.registergroup"),
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
