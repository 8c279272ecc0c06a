"""Typed messages: an answer to a question we asked, a menu button, or free text to understand."""

from __future__ import annotations

from telegram import Update

from bot.errors import DomainError
from bot.services.views import Actor
from bot.texts import t
from handlers import actions, assign, imports, lists, reports
from handlers.common import Context, clear_pending, pending, registered, send
from handlers.render import menu_action
from handlers.understand import understand

# Errors after which the same question still stands (the person can simply type again).
_RETRYABLE = ("deadline.", "text.", "extension.not_later")


async def _answer(update: Update, context: Context, actor: Actor, waiting: dict, text: str, file_id: str | None) -> None:
    kind = waiting["kind"]
    try:
        if kind.startswith("asg_"):
            await assign.answer_assign(update, context, actor, waiting, text)
        elif kind == "search":
            clear_pending(context)
            await lists.show_list(update, context, actor, "find", text[:40])
        else:
            await actions.answer_pending(update, context, actor, waiting, text, file_id)
    except DomainError as error:
        if not error.key.startswith(_RETRYABLE):
            clear_pending(context)
        raise


MENU = {
    "my_tasks": lambda u, c, a: lists.show_list(u, c, a, "my"),
    "due_soon": lambda u, c, a: lists.show_list(u, c, a, "soon"),
    "overdue": lambda u, c, a: lists.show_list(u, c, a, "over"),
    "inbox": lambda u, c, a: lists.show_list(u, c, a, "inbox"),
    "stats": lambda u, c, a: reports.show_report(u, c, a, None, None),
}


@registered
async def msg_text(update: Update, context: Context, actor: Actor) -> None:
    text = (update.effective_message.text or "").strip()
    waiting = pending(context)
    if waiting is not None:
        await _answer(update, context, actor, waiting, text, None)
        return
    if update.effective_chat is None or update.effective_chat.type != "private":
        return  # in a unit's group, only commands and answers to our own questions are for the bot
    action = menu_action(text)
    if action in MENU:
        await MENU[action](update, context, actor)
    elif action == "assign":
        await assign.cmd_assign.__wrapped__(update, context, actor)  # already identified
    elif action == "search":
        await lists.cmd_search.__wrapped__(update, context, actor)
    elif action == "help":
        await send(update, t(f"help.{actor.role}", actor.language))
    else:
        await understand(update, context, actor, text)


@registered
async def msg_file(update: Update, context: Context, actor: Actor) -> None:
    """A document or photo answers a progress or completion report; its caption is the text. Otherwise an
    Excel sheet or a notice (DOCX, PDF) is an import."""
    message = update.effective_message
    waiting = pending(context)
    if waiting is None or waiting["kind"] not in ("prog", "done"):
        if imports.is_import(update):
            await imports.receive(update, context, actor)
            return
        await send(update, t("file.unexpected", actor.language))
        return
    file = message.document or (message.photo[-1] if message.photo else None)
    text = (message.caption or "").strip() or t("file.attached", actor.language)
    await _answer(update, context, actor, waiting, text, file.file_id if file else None)
