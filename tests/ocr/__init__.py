"""The scanned-looking pages of real notices (made by `make_pages.py`, committed in `pages/`) and what the
OCR tests and benchmark measure on them: character accuracy against the text drawn on each page, and the
drafts an import finds in the image against those it finds in the text the page was made from."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
REAL = HERE.parent / "corpus" / "real"
TODAY = date(2026, 11, 20)  # every notice of the set is older: their deadlines are read from their own date


@dataclass(frozen=True)
class Scan:
    id: str
    case: str  # the message of tests/corpus/real/directives-real.jsonl it was made from
    text: str  # the notice as typed
    files: tuple[Path, ...]  # its pages
    page_texts: tuple[str, ...]  # the text drawn on each page, line by line as the eye reads it
    photo: bool
    dpi: int


@lru_cache(maxsize=1)
def scans() -> tuple[Scan, ...]:
    out = []
    for line in (PAGES / "pages.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append(Scan(d["id"], d["case"], d["text"], tuple(PAGES / p["file"] for p in d["pages"]),
                        tuple(p["text"] for p in d["pages"]), d["pages"][0]["photo"], d["pages"][0]["dpi"]))
    return tuple(out)


def need_tesseract() -> None:
    """Skip (with the reason) where Tesseract or its Vietnamese model is not installed; fail in CI, whose
    .ci/run installs them."""
    from bot.imports.ocr.engine import missing

    what = missing()
    if what is None:
        return
    reason = ("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)" if what == "tesseract"
              else "Tesseract's Vietnamese model is not installed (apt-get install tesseract-ocr-vie)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}: .ci/run must install it")
    pytest.skip(reason)


def accuracy(expected: str, got: str) -> float:
    """1 − (edit distance ÷ length of the expected text), spaces and line breaks counted as one space."""
    from rapidfuzz.distance import Levenshtein

    want, have = " ".join(expected.split()), " ".join(got.split())
    return max(0.0, 1 - Levenshtein.distance(want, have) / max(1, len(want)))


@lru_cache(maxsize=1)
def real_index():  # type: ignore[no-untyped-def]
    from bot.parsing import UnitIndex, load_units_from_csv_files

    units, groups = load_units_from_csv_files(REAL / "units.csv", REAL / "groups.csv")
    return UnitIndex(units, groups)


def drafts(text: str) -> list[tuple]:
    """What the import makes of a notice's text with the real corpus's units: each directive as (content,
    lead, support, deadline, number, date, leader), each problem as ("problem", item, key)."""
    from bot.domain.calendar import WorkingCalendar
    from bot.imports.notice import notice_items, read_notice

    items, problems = notice_items(read_notice(text), real_index(), WorkingCalendar(), TODAY,
                                   ZoneInfo("Asia/Ho_Chi_Minh"))
    return [(i.content, i.lead, i.support, i.deadline, i.source_number, i.source_date, i.leader_name) for i in items] \
        + [("problem", p.row, p.key) for p in problems]


def same_drafts(expected: list[tuple], got: list[tuple]) -> int:
    """How many of the expected drafts the other list has, in the same place."""
    return sum(1 for a, b in zip(expected, got, strict=False) if a == b)
