"""Imports in chat: the office or a leader sends the Excel template or a conclusion notice (DOCX, PDF, or
in a private chat a photo of the paper); the bot answers with a preview (counts, and every problem by row
or item number) and, when the file is clean, a confirm button. The pending import is kept in the
database; the button names it. Scans and photos are read by OCR in the background (handlers/scans.py)."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.errors import DomainError
from bot.imports.files import MAX_SCAN_BYTES
from bot.imports.preview import preview_text
from bot.imports.sheet import template
from bot.services import imports, scans
from bot.services.views import Actor
from bot.texts import h, t
from handlers.callbacks import ImportAnswer, unpack
from handlers.common import Context, answer, now, registered, runtime, send, show
from handlers.scans import download, is_image, preview_markup, start

# .xls and .doc are taken too, to be answered "save it again as .xlsx / .docx" rather than as a unit's report.
IMPORT_SUFFIXES = (".xlsx", ".docx", ".pdf", ".xls", ".doc")


def is_import(update: Update) -> bool:
    message = update.effective_message
    if message is None:
        return False
    if is_image(message):  # a photo is an import only when sent to the bot itself, not in a unit's group
        return update.effective_chat is not None and update.effective_chat.type == "private"
    document = message.document
    return document is not None and (document.file_name or "").lower().endswith(IMPORT_SUFFIXES)


async def receive(update: Update, context: Context, actor: Actor) -> None:
    """A file that looks like an import: download, check, preview; a photo or a scan is read by OCR."""
    message = update.effective_message
    assert message is not None  # is_import admitted it
    if message.photo:
        await start(update, context, actor, name=t("ocr.photo_name", actor.language), file_id=message.photo[-1].file_id)
        return
    document = message.document
    name = document.file_name or "file"
    if is_image(message):
        await start(update, context, actor, name=name, file_id=document.file_id)
        return
    if document.file_size and document.file_size > MAX_SCAN_BYTES:
        raise DomainError("import.too_big", file=name[:60], limit=MAX_SCAN_BYTES // 2**20)
    data = await download(context, document.file_id, name)
    if await asyncio.to_thread(scans.needs_ocr, name, data):
        await start(update, context, actor, name=name, file_id=document.file_id, data=data)
        return
    preview = await imports.stage(runtime(context), actor.id, name, data, now=now(context))
    await send(update, preview_text(preview, actor.language), reply_markup=preview_markup(preview, actor.language))


@registered
async def cb_confirm(update: Update, context: Context, actor: Actor) -> None:
    press = unpack(update.callback_query.data)
    if not isinstance(press, ImportAnswer):
        raise DomainError("import.stale")
    batch_id, nonce = press.batch_id, press.nonce
    if not press.confirm:
        await imports.drop(runtime(context), actor.id, batch_id, nonce, now=now(context))
        await answer(update)
        await show(update, h("import.dropped", actor.language))
        return
    applied = await imports.confirm(runtime(context), actor.id, batch_id, nonce, now=now(context))
    await answer(update)
    first, last = (applied.codes[0], applied.codes[-1]) if applied.codes else ("", "")
    await show(update, h("import.done", actor.language, count=applied.count, first=first, last=last))


@registered
async def cmd_template(update: Update, context: Context, actor: Actor) -> None:
    """The Excel template, to fill in and send back."""
    await update.effective_chat.send_document(InputFile(template(), filename=t("import.template_name", actor.language)),
                                              caption=t("import.template_caption", actor.language))
