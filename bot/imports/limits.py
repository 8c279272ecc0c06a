"""How much of a file an import reads: every cap in one place. Each is checked in the loop that reads (as each
row, cell, paragraph, page or directive is read, never once the whole file is in memory), so a hostile file is
refused in well under two seconds and 150 MB, whatever it holds after the cap (benchmarks/bench_import_caps.py).
A reader of another kind (OCR of scanned pages, bot/imports/ocr.py) takes its caps from here too."""

from __future__ import annotations

from bot.errors import DomainError

# Spreadsheets (the Excel template, or an office's own tracking sheet).
MAX_SHEET_ROWS = 10_000  # directive rows in one import
MAX_SHEET_ROWS_READ = 2 * MAX_SHEET_ROWS  # rows read below the header, blank and number-only ones included
MAX_SHEET_CELLS_READ = 30 * MAX_SHEET_ROWS  # cells read below the header (the template has 12 columns)
MAX_SHEETS = 20  # sheets searched for the header row
# openpyxl streams a sheet's rows but reads its shared strings and styles whole, into memory; python-docx reads
# every XML part of a Word file whole. The parts read whole, unzipped: a 150 KB Word file holding a 48 MB
# styles part took 8 s and 1 GB before.
MAX_XLSX_WHOLE_BYTES = 8 * 2**20
MAX_DOCX_XML_BYTES = 10 * 2**20

# Conclusion notices (Word, PDF): a real one is 2–10 pages and holds a few dozen directives at most.
MAX_PARAGRAPHS = 5_000  # a Word file's paragraphs, those in its tables included
MAX_PAGES = 30  # a PDF's pages (read as text, or by OCR)
# A notice's text (about 20 pages), all the directive parser is given. A PDF whose every glyph is placed on its
# own costs pypdf about 30 µs a character, so the cap is reached within about two seconds even then.
MAX_NOTICE_CHARS = 60_000
# A PDF's page contents (the drawing instructions, decompressed), counted before each page's text is read: pypdf
# spends about 2 µs a byte on them, and a page drawing each glyph on its own holds ten times the bytes of one
# saved from Word (a 30-page notice from Word holds about half of this).
MAX_PDF_CONTENT_BYTES = 600_000
MAX_NOTICE_ITEMS = 300  # directives found in one notice


class Budget:
    """A count kept while reading that refuses, as DomainError(`key`, limit=…, **params), the moment it
    passes `limit`."""

    __slots__ = ("key", "limit", "params", "used")

    def __init__(self, limit: int, key: str, **params: object) -> None:
        self.limit, self.key, self.params, self.used = limit, key, params, 0

    def take(self, amount: int = 1) -> None:
        self.used += amount
        if self.used > self.limit:
            raise DomainError(self.key, limit=self.limit, **self.params)
