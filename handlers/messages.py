"""Typed messages and files: an answer to a question we asked (kept in the database), a menu button, or
free text to understand."""

from __future__ import annotations

from telegram import Message, Update

from bot.domain.policy import DECIDERS
from bot.errors import DomainError
from bot.services import directives as svc
from bot.services.conversation import Pending
from bot.services.views import Actor
from bot.texts import h, t
from handlers import actions, assign, imports, lists, reports
from handlers.common import Context, forget, registered, send, waiting
from handlers.render import menu_action
from handlers.understand import MEANT, understand

# Errors after which the same question still stands (the person can simply type again).
_RETRYABLE = ("deadline.", "text.", "extension.not_later", "file.")
FLOW_KINDS = frozenset({"pick", "deadline", "content", "source"})
FILE_KINDS = frozenset({"act:prog", "act:done", "act:more_files"})


async def _answer(update: Update, context: Context, actor: Actor, flow: Pending, text: str,
                  files: list[svc.FileRef]) -> None:
    try:
        if flow.kind in actions.ACTION_KINDS:
            await actions.answer_action(update, context, actor, flow, text, files)
        elif flow.kind in FLOW_KINDS:
            await assign.answer_flow(update, context, actor, flow, text)
        elif flow.kind == "search":
            await forget(update, context, actor)
            await lists.show_list(update, context, actor, "find", text)
        else:
            raise DomainError("action.stale")
    except DomainError as error:
        if not error.key.startswith(_RETRYABLE):
            await forget(update, context, actor)
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
    action = menu_action(text)
    flow = await waiting(update, context, actor)
    if flow is not None and (action is not None or flow.kind in ("act:more_files", MEANT)):
        # a menu button, text after a report, or a new message instead of «question or directive?»'s button:
        # never an answer
        await forget(update, context, actor)
        flow = None
    if flow is not None:
        await _answer(update, context, actor, flow, text, [])
        return
    if action is None and await actions.report_by_reply(update, context, actor, text, []):
        return  # typed as a reply to a notice or card with report buttons: the report itself
    if action is None and await actions.decide_by_reply(update, context, actor, text):
        return  # typed as a reply to a done report's notice or card: the office's decision on it
    if update.effective_chat is None or update.effective_chat.type != "private":
        return  # in a unit's group, only commands and answers to our own questions are for the bot
    if action in MENU:
        await MENU[action](update, context, actor)
    elif action == "assign":
        await assign.begin(update, context, actor)
    elif action == "search":
        await lists.ask_search(update, context, actor)
    elif action == "help":
        await send(update, h(f"help.{actor.role}", actor.language))
    else:
        await understand(update, context, actor, text)


def file_of(message: Message) -> svc.FileRef | None:
    """The file a message carries, as Telegram describes it (the largest size of a photo)."""
    if message.document is not None:
        doc = message.document
        return svc.FileRef("document", doc.file_id, doc.file_unique_id, doc.file_name, doc.mime_type, doc.file_size)
    if message.photo:
        photo = message.photo[-1]
        return svc.FileRef("photo", photo.file_id, photo.file_unique_id, None, "image/jpeg", photo.file_size)
    return None


@registered
async def msg_file(update: Update, context: Context, actor: Actor) -> None:
    """A document or photo answers a progress or completion report (its caption is the text), or joins
    the report just made. Otherwise an Excel sheet or a notice (DOCX, PDF) is an import."""
    message = update.effective_message
    assert message is not None  # the filter admits only messages with a document or photo
    file = file_of(message)
    flow = await waiting(update, context, actor)
    private = update.effective_chat is not None and update.effective_chat.type == "private"
    if flow is not None and flow.kind not in FILE_KINDS:
        # A reason, a date or a step of the guided flow is a text: the file is neither that answer nor an
        # import the person meant to start while the question stands.
        await send(update, h("file.text_expected", actor.language))
        return
    if flow is None and file is not None and await actions.report_by_reply(
            update, context, actor, (message.caption or "").strip() or t("file.attached", actor.language), [file]):
        return
    if file is None or flow is None:
        if actor.role in DECIDERS and imports.is_import(update):
            await imports.receive(update, context, actor)
            return
        if private:
            await send(update, h("file.unexpected_decider" if actor.role in DECIDERS else "file.unexpected",
                                 actor.language))
        return
    text = (message.caption or "").strip() or t("file.attached", actor.language)
    await _answer(update, context, actor, flow, text, [file])
