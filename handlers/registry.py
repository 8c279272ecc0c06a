"""The one place where handlers are registered, with the commands people see in the menu."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.services import access
from bot.services.views import Actor
from bot.texts import Html, h, t
from handlers import actions, assign, imports, lists, messages, operations, reports, start, understand, web
from handlers import callbacks as cb
from handlers.common import Context, answer, forget, registered, runtime, send, stranger_lang
from handlers.menu_commands import MENU
from handlers.unsupported import UNREADABLE, msg_unsupported

log = logging.getLogger(__name__)

@registered
async def cmd_cancel_input(update: Update, context: Context, actor: Actor) -> None:
    """`/huy`: stop answering the question the bot asked (nothing about any directive changes)."""
    stopped = await forget(update, context, actor)
    await send(update, h("input.cancelled" if stopped else "input.nothing", actor.language))


@registered
async def cmd_unknown(update: Update, context: Context, actor: Actor) -> None:
    """A command we do not have: say so, with the commands this person can use."""
    if update.effective_chat is None or update.effective_chat.type != "private":
        return  # in a group it may be meant for another bot
    command = (update.effective_message.text or "").split()[0][:32] if update.effective_message else ""
    await send(update, Html(h("command.unknown", actor.language, command=command) + "\n\n"
                            + h(f"help.{actor.role}", actor.language)))


# The callback of each menu command (handlers.menu_commands.MENU gives names and descriptions).
CALLBACKS = {
    "viec": lists.cmd_my_tasks,
    "sapden": lists.cmd_due_soon,
    "quahan": lists.cmd_overdue,
    "choxuly": lists.cmd_inbox,
    "giaoviec": assign.cmd_assign,
    "nhap": lists.cmd_drafts,
    "xem": lists.cmd_view,
    "timkiem": lists.cmd_search,
    "thongke": reports.cmd_stats,
    "mauexcel": imports.cmd_template,
    "dangkynhom": start.cmd_register_group,
    "web": web.cmd_web,
    "lich": web.cmd_calendar,
    "ngonngu": start.cmd_language,
    "trogiup": start.cmd_help,
    "huy": cmd_cancel_input,
}


async def _language(update: object, context: Context) -> str:
    """The reader's language when they are registered (for answers outside a service call)."""
    user = update.effective_user if isinstance(update, Update) else None
    actor = await access.identify(runtime(context), user.id) if user is not None else None
    if actor is not None:
        return actor.language
    return stranger_lang(update) if isinstance(update, Update) else "vi"


async def cb_unknown(update: Update, context: Context) -> None:
    """Anything no pattern below claims: a forged or outdated button."""
    await answer(update, t("action.stale", await _language(update, context)), alert=True)


async def on_error(update: object, context: Context) -> None:
    """Log the traceback (never the token: see bot.app's log filter); tell the person briefly."""
    log.error("Unhandled error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await update.effective_chat.send_message(t("error.generic", await _language(update, context)))
        except Exception:  # noqa: BLE001 - the apology itself failing must not loop
            log.warning("could not send the apology", exc_info=True)


def register(app: Application) -> None:
    # First: an edited message is never handled as a new one (a command answered again, a second set of
    # drafts); it maps to what the original produced.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, understand.on_edit))
    app.add_handler(CommandHandler("start", start.cmd_start))
    for vi, en, _ in MENU:
        app.add_handler(CommandHandler([vi, en], CALLBACKS[vi]))
    # One handler per kind of press (handlers/callbacks.py); the draft's «Sửa» is a card button that the
    # correction flow takes, so it comes before the card's. The catch-all must stay last.
    for handler, pattern in ((assign.cb_edit_draft, cb.pattern(cb.EditPart, tags=("ded",))),
                             (actions.cb_card, cb.pattern(actions.CardPress)), (actions.cb_files, cb.pattern(cb.CardFiles)),
                             (actions.cb_ack_all, cb.pattern(cb.AckAll)), (actions.cb_confirm_all, cb.pattern(cb.ConfirmAll)),
                             (actions.cb_ack_listed, cb.pattern(cb.AckListed)),
                             (lists.cb_page, cb.pattern(cb.ListPage)), (lists.cb_open, cb.pattern(cb.OpenCard)),
                             (lists.cb_history, cb.pattern(cb.CardHistory)), (assign.cb_assign, cb.pattern(cb.UnitPick)),
                             (assign.cb_deadline, cb.pattern(cb.DeadlinePick)), (assign.cb_redo, cb.pattern(cb.AssignRedo)),
                             (assign.cb_skip_source, cb.pattern(cb.SkipSource)),
                             (understand.cb_resolve, cb.pattern(cb.ResolveUnit)),
                             (understand.cb_answer, cb.pattern(cb.QuestionAnswer)),
                             (understand.cb_assign_all, cb.pattern(cb.AssignAll)),
                             (understand.cb_keep_units_all, cb.pattern(cb.KeepUnitsAll)),
                             (understand.cb_meant, cb.pattern(cb.Meant)),
                             (operations.cb_resend, cb.pattern(cb.Resend)), (reports.cb_file, cb.pattern(cb.ReportFile)),
                             (imports.cb_confirm, cb.pattern(cb.ImportAnswer))):
        app.add_handler(CallbackQueryHandler(handler, pattern=pattern))
    app.add_handler(CallbackQueryHandler(cb_unknown))
    # Files answer report questions; other text is a pending answer, a menu button or free text.
    app.add_handler(MessageHandler((filters.Document.ALL | filters.PHOTO) & ~filters.COMMAND, messages.msg_file))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, messages.msg_text))
    # Voice, stickers, locations…: a private chat is told what to send instead, never met with silence.
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & UNREADABLE, msg_unsupported))
    # Last: any other command (the ones above are matched first).
    app.add_handler(MessageHandler(filters.COMMAND, cmd_unknown))
    app.add_error_handler(on_error)
