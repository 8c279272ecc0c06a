"""Scanned notices and photos in chat: the office or a leader sends a scanned PDF, a photo or an album of
photos of a paper notice; a progress message is edited as pages are read («Đang đọc trang 2/4…») and
becomes the preview with its confirm button. The reading runs as a task of its own, so the handler
returns at once and the bot goes on answering everyone, the sender too."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.errors import DomainError
from bot.imports.files import MAX_SCAN_BYTES
from bot.imports.preview import preview_text
from bot.services import scans
from bot.services.imports import Preview
from bot.services.views import Actor
from bot.texts import error_html, h, t
from handlers.callbacks import ImportAnswer
from handlers.common import Context, now, runtime

log = logging.getLogger(__name__)

ALBUM_WAIT = 1.5  # seconds without a new photo after which an album is taken as complete
_RUNNING: set[asyncio.Task] = set()  # this process's readings, only so that they can be awaited
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


def preview_markup(preview: Preview, lang: str) -> InlineKeyboardMarkup | None:
    """The confirm and drop buttons of a clean import's preview."""
    if not preview.ok or preview.batch_id is None:
        return None
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t("btn.import_confirm", lang, count=preview.counts["total"]),
                             callback_data=ImportAnswer(True, preview.batch_id, preview.nonce or "").pack()),
        InlineKeyboardButton(t("btn.import_drop", lang),
                             callback_data=ImportAnswer(False, preview.batch_id, preview.nonce or "").pack()),
    ]])


def is_image(message: Message) -> bool:
    """A photo, or a picture sent as a file."""
    if message.photo:
        return True
    document = message.document
    return document is not None and ((document.file_name or "").lower().endswith(IMAGE_SUFFIXES)
                                     or (document.mime_type or "") in ("image/jpeg", "image/png"))


async def download(context: Context, file_id: str, name: str) -> bytes:
    try:
        file = await context.bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())
    except TelegramError:
        raise DomainError("import.download_failed", file=name[:60]) from None


async def start(update: Update, context: Context, actor: Actor, *, name: str, file_id: str,
                data: bytes | None = None) -> None:
    """Claim the person's one reading (or add this photo to their album) and read it in the background;
    `data`: the file when it is already downloaded."""
    message = update.effective_message
    album = message.media_group_id
    size = message.photo[-1].file_size if message.photo else message.document.file_size
    if size and size > MAX_SCAN_BYTES:
        raise DomainError("import.too_big", file=name[:60], limit=MAX_SCAN_BYTES // 2**20)
    rt = runtime(context)
    claim = await scans.claim(rt, actor.id, name, now=now(context), album=album, file={"id": file_id, "name": name})
    if not claim.first:
        return  # its album's first photo reads it
    try:
        note = await update.effective_chat.send_message(h("ocr.reading", actor.language, file=name),
                                                        parse_mode=ParseMode.HTML)
    except BaseException:
        await scans.release(rt, claim)
        raise
    # A task of its own (not the application's, which runs only while polling or serving a webhook): it
    # answers every error itself.
    task = asyncio.get_running_loop().create_task(read(context, actor, claim, note, name, album, (file_id, data)))
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)


async def settle() -> None:
    """Wait until every reading this process started has ended (for tests)."""
    while _RUNNING:
        await asyncio.gather(*_RUNNING, return_exceptions=True)


async def stop() -> None:
    """At shutdown, before the database closes: readings still running are cancelled, and each gives its
    claim back (`read`'s finally), so a person's next file is read by the next process at once."""
    for task in list(_RUNNING):
        task.cancel()
    await settle()


async def read(context: Context, actor: Actor, claim: scans.Claim, note: Message, name: str, album: str | None,
               first: tuple[str, bytes | None]) -> None:
    """The reading itself: wait for the rest of an album, download, read page by page, show the preview
    (or why nothing can be imported) in place of the progress message."""
    rt, lang = runtime(context), actor.language
    try:
        ids = [first[0]]
        if album is not None:
            done = False
            while not done:
                await asyncio.sleep(ALBUM_WAIT)
                files, done = await scans.collect(rt, claim, len(ids), now=now(context))
                ids = [f["id"] for f in files]
            if len(ids) > 1:
                name = t("ocr.album_name", lang, count=len(ids))
        contents = [(name, first[1] if i == first[0] and first[1] is not None else await download(context, i, name))
                    for i in ids]

        async def progress(page: int, pages: int) -> None:
            await _edit(note, h("ocr.progress", lang, page=page, pages=pages))

        preview = await scans.read(rt, actor.id, claim, contents, name=name, now=now(context), progress=progress)
        await _edit(note, preview_text(preview, lang), preview_markup(preview, lang), final=True)
    except DomainError as error:
        await _edit(note, error_html(error, lang), final=True)
    except Exception:
        log.exception("reading a scanned file failed")
        await _edit(note, h("ocr.failed", lang, file=name), final=True)
    finally:
        await scans.release(rt, claim)


async def _edit(note: Message, text: str, markup: InlineKeyboardMarkup | None = None, *, final: bool = False) -> None:
    """Show `text` in the progress message; the end of a reading is sent anew if that message is gone."""
    try:
        await note.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except TelegramError:
        if final:
            await note.chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=markup)
