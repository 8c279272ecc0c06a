"""What a worker process does with one page: clean its picture up, read it with Tesseract, and say why
when it cannot be read. Only the workers load NumPy and OpenCV."""

from __future__ import annotations

import numpy as np

from bot.errors import DomainError
from bot.imports.ocr import PageText, Source, Steps, cleanup, engine
from bot.imports.ocr.pages import Page, picture

# Refusals, calibrated on the test pages blurred and shrunk step by step (benchmarks/bench_ocr.py):
# Tesseract reads letters down to ~8 px high once enlarged; below 75 % confidence most words are wrong.
TINY = 6.0  # px: letters this small in the picture as sent are not even tried
SMALL = 10.0  # px: a page read badly whose letters are smaller than this was photographed from too far
MIN_CONFIDENCE = 0.75
MIN_WORDS = 3
BLURRED = 2.2  # px: edges wider than this (at the height Tesseract reads) are out of focus
ALL_STEPS = Steps()


def clean(rgb: np.ndarray, steps: Steps = ALL_STEPS) -> tuple[np.ndarray, float | None]:
    """The page ready for Tesseract, and its letter height as sent (None: no print on it)."""
    rgb, _ = cleanup.shrink(rgb, cleanup.MAX_SIDE)
    page = cleanup.grey(rgb, steps.drop_colour)
    if steps.perspective and (corners := cleanup.find_page(cleanup.grey(rgb, drop_colour=False))) is not None:
        page = cleanup.straighten(page, corners)
    if steps.flatten:
        page = cleanup.flatten(page)
    height = cleanup.letter_height(page)
    if height is None:
        return page, None
    if steps.deskew and abs(angle := cleanup.skew(page)) > 0.15:
        page = cleanup.rotate(page, angle)
    if steps.rescale:
        page = cleanup.rescale(page, height)
    if steps.binarise:
        page = cleanup.binarise(page)
    return page, height


def read_page(source: Source, page: Page, steps: Steps = ALL_STEPS) -> PageText:
    """One page's text (blocking: a worker process runs it)."""
    if page.text is not None:
        return PageText(page.number, page.text, None)
    prepared, height = clean(picture(source, page), steps)
    if height is None:
        return PageText(page.number, "", 0.0, blank=True)
    name = source.name[:60]
    if height < TINY:
        raise DomainError("ocr.too_small", file=name, page=page.number, height=round(height))
    try:
        reading = engine.recognise(prepared)
    except TimeoutError:
        raise DomainError("ocr.unreadable", file=name, page=page.number) from None
    if reading.confidence < MIN_CONFIDENCE or len(reading.words) < MIN_WORDS:
        # Why: too far away, out of focus, or no print at all (handwriting, a picture).
        if height < SMALL:
            raise DomainError("ocr.too_small", file=name, page=page.number, height=round(height))
        if cleanup.edge_width(prepared) > BLURRED:
            raise DomainError("ocr.blurred", file=name, page=page.number)
        raise DomainError("ocr.unreadable", file=name, page=page.number)
    return PageText(page.number, reading.text, reading.confidence)
