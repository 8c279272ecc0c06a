"""Scanned PDFs and photos of paper notices read into text (Tesseract's Vietnamese model, through
pytesseract; PDF pages rendered by pypdfium2), for the same notice reader and parser as typed notices.

`read(sources, progress)` is the one entry point: the text, the page count and Tesseract's confidence,
or a DomainError naming what cannot be read (Tesseract missing, too many pages, a blank page, print too
small or blurred, handwriting). NumPy, OpenCV and Tesseract are loaded on the first scan, not when the
bot starts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_PAGES = 20  # pages read by OCR in one file (or one album of photos)
Progress = Callable[[int, int], Awaitable[None]]  # (page about to be read by OCR, pages in the job)


@dataclass(frozen=True)
class Source:
    """One file of a job: its name as the person sees it, its kind (pdf, png, jpg) and content."""

    name: str
    kind: str
    data: bytes


@dataclass(frozen=True)
class Document:
    """What a job's files hold: their text in page order, how many pages, whether any page was read by
    OCR and Tesseract's confidence over those (0..1; 1.0 when every page had a text layer)."""

    text: str
    pages: int
    ocr: bool
    confidence: float

    def as_json(self) -> dict[str, Any]:
        return {"pages": self.pages, "ocr": self.ocr, "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    confidence: float | None  # None: its text layer, nothing guessed
    blank: bool = False


@dataclass(frozen=True)
class Steps:
    """Which clean-up steps run (bot/imports/ocr/cleanup.py); all of them but for the benchmark, which
    turns each off in turn to show what it brings."""

    drop_colour: bool = True
    perspective: bool = True
    flatten: bool = True
    deskew: bool = True
    rescale: bool = True
    binarise: bool = False  # our own Otsu before Tesseract's: measured, it does not pay (see the benchmark)


async def read(sources: Sequence[Source], progress: Progress | None = None) -> Document:
    from bot.imports.ocr.reader import read_all

    return await read_all(sources, progress)


def needs_ocr(sources: Sequence[Source]) -> bool:
    """Whether reading these files takes OCR: a photo, or a PDF with a page without text (cheap: only
    the PDF's text layer is read)."""
    from bot.imports.ocr.pages import pdf_pages

    return any(source.kind != "pdf" or any(page.text is None for page in pdf_pages(source.data, source.name))
               for source in sources)
