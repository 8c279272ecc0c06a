"""A scanned PDF or photos of a paper notice, read into text: each page's text layer when it has one,
else the page cleaned up and read by Tesseract; or a clear reason why it cannot be read.

Pages are read one at a time in worker processes (started on the first scan, then kept): the bot's event
loop never waits on them, not even for the interpreter lock that NumPy and Pillow hold while they work,
and the bot's own process never loads NumPy or OpenCV. A page is sent to a worker as its file and its
number, so a job holds one page image at a time."""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import multiprocessing
from collections.abc import Sequence

from bot.errors import DomainError
from bot.imports.ocr import MAX_PAGES, Document, PageText, Progress, Source, Steps, engine
from bot.imports.ocr.pages import Page, image_page, pdf_pages

SENTENCE_ENDS = (".", ";", ":", "!", "?", "/.")
WORKERS = 2  # pages read at once by this process's workers (the machine's cores)
_pool: concurrent.futures.ProcessPoolExecutor | None = None


def pool() -> concurrent.futures.ProcessPoolExecutor:
    """The worker processes, started on first use. "spawn": a fork of the bot's process (threads, an
    event loop, open connections) is not safe to run."""
    global _pool
    if _pool is None:
        _pool = concurrent.futures.ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn"))
        atexit.register(_pool.shutdown, cancel_futures=True)  # workers ended in order, not torn down
    return _pool


def pages_of(sources: Sequence[Source]) -> list[Page]:
    """Every page of the job in order (numbered across its files); refused past MAX_PAGES pages to read
    by OCR, or when OCR cannot run here."""
    pages: list[Page] = []
    for n, source in enumerate(sources):
        if source.kind == "pdf":
            pages += pdf_pages(source.data, source.name, first=len(pages) + 1, source=n)
        else:
            pages.append(image_page(source.data, source.name, number=len(pages) + 1, source=n))
    scans = sum(1 for page in pages if page.text is None)
    if scans > MAX_PAGES:
        raise DomainError("ocr.too_many_pages", file=sources[0].name[:60], pages=scans, limit=MAX_PAGES)
    if scans and (what := engine.missing()) is not None:
        raise DomainError("ocr.missing_vie" if what == engine.LANGUAGE else "ocr.missing")
    return pages


def assemble(pages: Sequence[PageText], name: str) -> Document:
    """The pages' text in order; refused when no page holds any print."""
    read = [p for p in pages if not p.blank]
    if not read:
        raise DomainError("ocr.blank", file=name[:60])
    scanned = [p for p in read if p.confidence is not None]
    weight = sum(len(p.text) for p in scanned)
    confidence = sum((p.confidence or 0) * len(p.text) for p in scanned) / weight if weight else 1.0
    text, scanned_before = "", False
    for page in read:
        lines = page.text.split("\n")
        scanned_now = page.confidence is not None
        if scanned_now and len(lines) > 1 and lines[0].strip().isdigit():
            lines = lines[1:]  # the page number at the head of a scanned page
        # A paragraph the page break cut (no full stop at the foot, a small letter at the head) is one; a
        # text layer is kept as it is.
        joined = scanned_before and scanned_now and not text.rstrip().endswith(SENTENCE_ENDS) \
            and lines[0][:1].islower()
        text += (" " if joined else "\n" if text else "") + "\n".join(lines)
        scanned_before = scanned_now
    return Document(text, len(pages), bool(scanned), confidence)


def _read_page(source: Source, page: Page, steps: Steps | None) -> PageText:
    """In a worker: the page's text (the worker module, with NumPy and OpenCV, is loaded there only)."""
    from bot.imports.ocr.worker import ALL_STEPS, read_page

    return read_page(source, page, steps or ALL_STEPS)


async def read_all(sources: Sequence[Source], progress: Progress | None = None,
                   steps: Steps | None = None) -> Document:
    """The text of a job's files, read page by page in the workers, telling `progress` before each page
    read by OCR."""
    loop = asyncio.get_running_loop()
    # Listing the pages reads only text layers and image headers: here, so that a refusal (Tesseract
    # missing, too many pages) costs no worker.
    pages = await asyncio.to_thread(pages_of, sources)
    results = []
    for page in pages:
        if page.text is None:
            if progress is not None:
                await progress(page.number, len(pages))
            results.append(await loop.run_in_executor(pool(), _read_page, sources[page.source], page, steps))
        else:
            results.append(PageText(page.number, page.text, None))
    return assemble(results, sources[0].name)
