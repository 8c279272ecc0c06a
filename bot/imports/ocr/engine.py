"""Tesseract with its Vietnamese model, through pytesseract (which runs the `tesseract` program of the
Debian packages tesseract-ocr and tesseract-ocr-vie): a page's words with their confidence, put back
into the text a person would have typed from the page."""

from __future__ import annotations

import os
import re
import shutil
import statistics
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.imports.ocr.formulae import mend

LANGUAGE = "vie"
CONFIG = "--oem 1 --psm 3"
PAGE_TIMEOUT = 60  # seconds: a page that takes longer is not a page of text
SPECK_CONFIDENCE = 50
# In letter heights: a gap between words wider than this separates two texts side by side; a space
# between words is at most this wide; a line starting this far right of the left margin starts a
# paragraph (a first-line indent), as does a numbered or bulleted item.
COLUMN_GAP = 1.8
REGION_GAP = 1.2  # white space above a line that ends texts side by side (the body below the header)
SPACE = 1.0
INDENT = 1.0
LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[a-zđ][.)]|[IVX]{1,4}\.|[-–•+*])\s")
# Tesseract's OpenMP threads busy-wait: on a small shared machine they cost more than they bring, and
# the bot's own event loop needs a core (measured in benchmarks/bench_ocr.py).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..100
    left: int
    right: int
    top: int
    height: int

    @property
    def middle(self) -> float:
        return self.top + self.height / 2


@dataclass(frozen=True)
class Reading:
    text: str
    words: tuple[Word, ...]

    @property
    def confidence(self) -> float:
        """Tesseract's confidence in the page, 0..1: its words' confidences weighted by their length."""
        weight = sum(len(w.text) for w in self.words)
        if not weight:
            return 0.0
        return sum(w.confidence * len(w.text) for w in self.words) / weight / 100


@lru_cache(maxsize=1)
def missing() -> str | None:
    """What is missing for OCR on this machine: "tesseract", "vie", or None when it can run."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return "tesseract"
    try:
        if LANGUAGE not in pytesseract.get_languages(config=""):
            return LANGUAGE
    except (OSError, pytesseract.TesseractError):
        return "tesseract"
    return None


def recognise(page: Any) -> Reading:
    """Tesseract's reading of one cleaned page (2-D uint8). Raises TimeoutError past PAGE_TIMEOUT."""
    import pytesseract
    from PIL import Image

    image = Image.fromarray(page)
    image.format = "BMP"  # uncompressed: encoding a PNG costs more than writing the bytes
    try:
        data = pytesseract.image_to_data(image, lang=LANGUAGE, config=CONFIG, timeout=PAGE_TIMEOUT,
                                         output_type=pytesseract.Output.DICT)
    except RuntimeError as error:  # pytesseract's way of saying the timeout expired
        raise TimeoutError(str(error)) from None
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for text, conf, left, top, width, height, *key in zip(
            data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"],
            data["block_num"], data["par_num"], data["line_num"], strict=True):
        if text.strip() and float(conf) >= 0:
            lines.setdefault(tuple(key), []).append(Word(text.strip(), float(conf), left, left + width, top, height))
    found = list(lines.values())
    kept = [[w for w in line if not _mark(w)] for line in found if not all(map(_speck, line))]
    return Reading(mend(layout(rows([line for line in kept if line]))), tuple(w for line in found for w in line))


def rows(lines: list[list[Word]]) -> list[list[Word]]:
    """Tesseract's lines from top to bottom, those at the same height made one row, words left to right:
    Tesseract may read two texts side by side as two blocks, one after the other."""
    out: list[list[Word]] = []
    for line in sorted(lines, key=lambda line: statistics.median(w.middle for w in line)):
        middle = statistics.median(w.middle for w in line)
        if out and abs(statistics.median(w.middle for w in out[-1]) - middle) < \
                statistics.median(w.height for w in out[-1]) / 2:
            out[-1] = sorted(out[-1] + line, key=lambda w: w.left)
        else:
            out.append(sorted(line, key=lambda w: w.left))
    return out


def _speck(word: Word) -> bool:
    """A mark Tesseract took for a word: the rest of a stamp or a signature, a dash of a rule. A line of
    nothing else is dropped; a doubtful short word among words read well is kept."""
    return _mark(word) or (word.confidence < SPECK_CONFIDENCE and sum(ch.isalnum() for ch in word.text) <= 3)


def _mark(word: Word) -> bool:
    """A guess without a letter or a digit in it: dropped wherever it is."""
    return word.confidence < 60 and not any(ch.isalnum() for ch in word.text)


def layout(lines: list[list[Word]]) -> str:
    """The page's text as a person reads it: text side by side (the issuer beside the motto, «Nơi nhận:»
    beside the signature) one column after the other, and each paragraph of the body on one line, as it
    was typed. Tesseract gives lines; the gaps between words and the line ends tell the rest."""
    if not lines:
        return ""
    height = float(statistics.median(w.height for line in lines for w in line))
    gap = COLUMN_GAP * height

    def continues(i: int) -> bool:
        """Whether line i+1 goes on with line i's paragraph: line i ends where the first word of line i+1
        would not have fitted, line i+1 starts at the left margin (margins judged on the lines around, as
        a photo's are not quite straight), and it is not a numbered or bulleted item."""
        near = [line for line in lines[max(0, i - 3):i + 5] if _split_at(line, gap) is None]
        widest = max(line[-1].right - line[0].left for line in near)
        body = [line for line in near if line[-1].right - line[0].left >= widest / 2]  # not a short title
        room = max(line[-1].right for line in body) - lines[i][-1].right
        first = lines[i + 1][0]
        return _split_at(lines[i + 1], gap) is None \
            and room < first.right - first.left + SPACE * height \
            and first.left <= min(line[0].left for line in body) + INDENT * height \
            and not LIST_ITEM.match(_words(lines[i + 1]))

    out: list[str] = []
    i = 0
    while i < len(lines):
        first = _split_at(lines[i], gap)
        if first is None:  # the body: lines joined into paragraphs
            paragraph = _words(lines[i])
            while i + 1 < len(lines) and continues(i):
                i += 1
                paragraph += " " + _words(lines[i])
            out.append(paragraph)
            i += 1
            continue
        left_end, right_start = lines[i][first - 1].right, lines[i][first].left
        columns: tuple[list[str], list[str]] = ([], [])
        while i < len(lines):  # side by side: the left column's lines, then the right one's
            line = lines[i]
            cut = _split_at(line, gap)
            if cut is not None:
                columns[0].append(_words(line[:cut]))
                columns[1].append(_words(line[cut:]))
                left_end, right_start = max(left_end, line[cut - 1].right), min(right_start, line[cut].left)
            elif _gap_above(lines, i) > REGION_GAP * height:  # the body begins below the header
                break
            elif line[-1].right < right_start:
                columns[0].append(_words(line))
            elif line[0].left > left_end:
                columns[1].append(_words(line))
            else:
                break
            i += 1
        out += columns[0] + columns[1]
    return "\n".join(out)


def _gap_above(lines: list[list[Word]], i: int) -> float:
    """The white space between row i and the row above it."""
    above = max(w.top + w.height for w in lines[i - 1]) if i else 0
    return statistics.median(w.top for w in lines[i]) - above


def _split_at(line: list[Word], gap: float) -> int | None:
    """Where a line holds two texts side by side: the index of the first word of the right one."""
    for k in range(1, len(line)):
        if line[k].left - line[k - 1].right > gap:
            return k
    return None


def _words(words: list[Word]) -> str:
    return " ".join(w.text for w in words)
