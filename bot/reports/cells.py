"""Text in a workbook stays text. openpyxl stores any string that begins with "=" as a formula, so a directive
whose content is `=HYPERLINK("http://evil.example/x","bấm")` would become a live link in the office's report
(OWASP: CSV/formula injection). Every text cell the bot writes is typed as a string, so the file holds exactly
what was typed; one that begins as a formula would (=, +, -, @, a tab or a carriage return, or their full-width
forms) also carries Excel's quote prefix, the mark Excel itself sets for text typed after an apostrophe, so
that editing the cell later does not turn it into a formula either. Characters XML cannot hold (control
characters) are dropped: a workbook with them cannot be opened at all."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def put(cell: Any, value: object) -> Any:
    """`value` into the cell, a string typed as text (numbers, dates and None are left to openpyxl)."""
    if not isinstance(value, str):
        cell.value = value
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = text  # openpyxl types a leading "=" as a formula here: typed again below
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def text_rows(ws: Any) -> None:
    """Every string cell of a worksheet built in memory (not write-only) typed as text."""
    for row in ws.iter_rows():
        for cell in row:
            put(cell, cell.value)
