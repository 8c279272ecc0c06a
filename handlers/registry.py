"""The one place where handlers are registered, with the commands people see in the menu."""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.texts import t
from handlers import actions, assign, imports, lists, messages, reports, start, understand
from handlers.common import Context, clear_pending, registered, send

log = logging.getLogger(__name__)

# (Vietnamese command, English alias, callback, description key). Vietnamese names come first in menus.
COMMANDS = [
    ("viec", "tasks", lists.cmd_my_tasks, "cmd.tasks"),
    ("sapden", "duesoon", lists.cmd_due_soon, "cmd.duesoon"),
    ("quahan", "overdue", lists.cmd_overdue, "cmd.overdue"),
    ("choxuly", "inbox", lists.cmd_inbox, "cmd.inbox"),
    ("giaoviec", "assign", assign.cmd_assign, "cmd.assign"),
    ("xem", "view", lists.cmd_view, "cmd.view"),
    ("timkiem", "search", lists.cmd_search, "cmd.search"),
    ("thongke", "stats", reports.cmd_stats, "cmd.stats"),
    ("mauexcel", "template", imports.cmd_template, "cmd.template"),
    ("dangkynhom", "registergroup", start.cmd_register_group, "cmd.registergroup"),
    ("ngonngu", "language", start.cmd_language, "cmd.language"),
    ("trogiup", "help", start.cmd_help, "cmd.help"),
]


@registered
async def cmd_cancel_input(update: Update, context: Context, actor) -> None:  # type: ignore[no-untyped-def]
    clear_pending(context)
    if context.user_data is not None:
        context.user_data.pop("assign", None)
    await send(update, t("input.cancelled", actor.language))


async def cb_unknown(update: Update, context: Context) -> None:
    """Anything no pattern below claims: a forged or outdated button."""
    await update.callback_query.answer(t("action.stale", "vi"), show_alert=True)


async def on_error(update: object, context: Context) -> None:
    """Log the traceback (never the token: see bot.app's log filter); tell the person briefly."""
    log.error("Unhandled error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await update.effective_chat.send_message(t("error.generic", "vi"))
        except Exception:  # noqa: BLE001 - the apology itself failing must not loop
            log.warning("could not send the apology", exc_info=True)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start.cmd_start))
    for vi, en, callback, _ in COMMANDS:
        app.add_handler(CommandHandler([vi, en], callback))
    app.add_handler(CommandHandler(["huy", "cancel"], cmd_cancel_input))
    # Callback patterns are disjoint prefixes; the catch-all must stay last.
    app.add_handler(CallbackQueryHandler(actions.cb_act, pattern=r"^(ack|conf|exta|extr|dok|ddel)\|"))
    app.add_handler(CallbackQueryHandler(actions.cb_ask, pattern=r"^(prog|done|ext|back|canc|reop)\|"))
    app.add_handler(CallbackQueryHandler(lists.cb_page, pattern=r"^pg\|"))
    app.add_handler(CallbackQueryHandler(lists.cb_open, pattern=r"^open\|"))
    app.add_handler(CallbackQueryHandler(lists.cb_history, pattern=r"^hist\|"))
    app.add_handler(CallbackQueryHandler(assign.cb_assign, pattern=r"^asg\|"))
    app.add_handler(CallbackQueryHandler(assign.cb_deadline, pattern=r"^asd\|"))
    app.add_handler(CallbackQueryHandler(assign.cb_skip_source, pattern=r"^asks\|"))
    app.add_handler(CallbackQueryHandler(assign.cb_edit_draft, pattern=r"^(ded|dedp)\|"))
    app.add_handler(CallbackQueryHandler(understand.cb_resolve, pattern=r"^(res|resl)\|"))
    app.add_handler(CallbackQueryHandler(reports.cb_file, pattern=r"^(rpc|rpx|rpw)\|"))
    app.add_handler(CallbackQueryHandler(imports.cb_confirm, pattern=r"^(impok|impno)\|"))
    app.add_handler(CallbackQueryHandler(cb_unknown))
    # Files answer report questions; other text is a pending answer, a menu button or free text.
    app.add_handler(MessageHandler((filters.Document.ALL | filters.PHOTO) & ~filters.COMMAND, messages.msg_file))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, messages.msg_text))
    app.add_error_handler(on_error)


async def publish_commands(app: Application) -> None:
    """setMyCommands in Vietnamese (the default) and English (for English-language clients)."""
    for lang, language_code in (("vi", None), ("en", "en")):
        commands = [BotCommand(vi if lang == "vi" else en, t(key, lang)) for vi, en, _, key in COMMANDS]
        commands.append(BotCommand("huy" if lang == "vi" else "cancel", t("cmd.cancel", lang)))
        await app.bot.set_my_commands(commands, language_code=language_code)
