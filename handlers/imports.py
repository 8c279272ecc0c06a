"""Imports in chat: the office or a leader sends the Excel template or a conclusion notice (DOCX, PDF);
the bot answers with a preview (counts, and every problem by row or item number) and, when the file is
clean, a confirm button. The pending import is kept in the database; the button names it."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import TelegramError

from bot.errors import DomainError
from bot.imports.files import MAX_FILE_BYTES
from bot.imports.preview import preview_text
from bot.imports.sheet import template
from bot.services import imports
from bot.services.views import Actor
from bot.texts import t
from handlers.callbacks import Callback, unpack
from handlers.common import Context, now, registered, runtime, send

# .xls and .doc are taken too, to be answered "save it again as .xlsx / .docx" rather than as a unit's report.
IMPORT_SUFFIXES = (".xlsx", ".docx", ".pdf", ".xls", ".doc")
TEMPLATE_NAME = "mau-nhap-nhiem-vu.xlsx"


def is_import(update: Update) -> bool:
    document = update.effective_message.document if update.effective_message else None
    return document is not None and (document.file_name or "").lower().endswith(IMPORT_SUFFIXES)


async def receive(update: Update, context: Context, actor: Actor) -> None:
    """A file that looks like an import: download, check, preview."""
    document = update.effective_message.document
    name = document.file_name or "file"
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        raise DomainError("import.too_big", file=name[:60], limit=MAX_FILE_BYTES // 2**20)
    try:
        file = await document.get_file()
        data = bytes(await file.download_as_bytearray())
    except TelegramError:
        raise DomainError("import.download_failed", file=name[:60]) from None
    preview = await imports.stage(runtime(context), actor.id, name, data, now=now(context))
    markup = None
    if preview.ok and preview.batch_id is not None:
        markup = InlineKeyboardMarkup([[
            InlineKeyboardButton(t("btn.import_confirm", actor.language, count=preview.counts["total"]),
                                 callback_data=Callback("impok", str(preview.batch_id), None, preview.nonce or "").pack()),
            InlineKeyboardButton(t("btn.import_drop", actor.language),
                                 callback_data=Callback("impno", str(preview.batch_id), None, preview.nonce or "").pack()),
        ]])
    await send(update, preview_text(preview, actor.language), reply_markup=markup)


def _claim(update: Update) -> tuple[int, str]:
    claim = unpack(update.callback_query.data)
    if claim is None or not claim.code.isdigit() or not claim.arg:
        raise DomainError("import.stale")
    return int(claim.code), claim.arg


@registered
async def cb_confirm(update: Update, context: Context, actor: Actor) -> None:
    batch_id, nonce = _claim(update)
    query = update.callback_query
    if query.data.startswith("impno|"):
        await imports.drop(runtime(context), actor.id, batch_id, nonce, now=now(context))
        await query.answer()
        await query.edit_message_text(t("import.dropped", actor.language))
        return
    applied = await imports.confirm(runtime(context), actor.id, batch_id, nonce, now=now(context))
    await query.answer()
    first, last = (applied.codes[0], applied.codes[-1]) if applied.codes else ("", "")
    await query.edit_message_text(t("import.done", actor.language, count=applied.count, first=first, last=last))


@registered
async def cmd_template(update: Update, context: Context, actor: Actor) -> None:
    """The Excel template, to fill in and send back."""
    await update.effective_chat.send_document(InputFile(template(), filename=TEMPLATE_NAME),
                                              caption=t("import.template_caption", actor.language))
