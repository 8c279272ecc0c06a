"""Files as an attacker or a broken exporter makes them: damaged spreadsheets, Word files and PDFs, and files
far larger than any real conclusion notice. Built byte by byte where a library would be slow, so tests,
the fuzz and the benchmarks share them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable


def _rezip(data: bytes, edit: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """The same zip with each member passed through `edit` (None drops it) and `extra` members added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = edit(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def sheet(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_sheet(*rows: list[object]) -> bytes:
    from bot.imports.sheet import HEADERS

    return sheet([list(HEADERS), *rows])


GOOD_ROW = [1, "45/TB-UBND", "02/11/2026", "Nguyễn Văn An", "Rà soát hồ sơ đất đai", "SXD", "", "15/12/2026",
            "03/11/2026", None, "Đang thực hiện", ""]

_SHARED_STRINGS = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                   b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>')


def xlsx_bad_shared_string() -> bytes:
    """A sheet whose «Nội dung» cell names shared string 999 of a table holding one."""

    def edit(name: str, content: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return re.sub(rb'<c r="E2" t="inlineStr"><is><t>[^<]*</t></is></c>', b'<c r="E2" t="s"><v>999</v></c>',
                          content)
        if name == "[Content_Types].xml":
            return content.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                   b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return content.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats'
                                   b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                   b"</Relationships>")
        return content

    return _rezip(template_sheet(GOOD_ROW), edit, {"xl/sharedStrings.xml": _SHARED_STRINGS})


def xlsx_truncated_sheet() -> bytes:
    """The worksheet's XML cut in the middle of the rows."""
    return _rezip(template_sheet(GOOD_ROW, GOOD_ROW), lambda n, c: c[: len(c) * 2 // 3]
                  if n == "xl/worksheets/sheet1.xml" else c)


def xlsx_without_its_sheet() -> bytes:
    return _rezip(template_sheet(GOOD_ROW), lambda n, c: None if n == "xl/worksheets/sheet1.xml" else c)


def docx(paragraphs: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


NOTICE_LINES = [
    "Số: 123/TB-UBND", "Huế, ngày 19 tháng 11 năm 2026", "THÔNG BÁO",
    "Phó Chủ tịch UBND tỉnh kết luận như sau:",
    "1. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án chậm tiến độ, báo cáo UBND tỉnh "
    "trước ngày 15/12/2026.",
    "2. Giao Sở Y tế kiểm tra an toàn thực phẩm tại các trường học, hoàn thành trước ngày 30/12/2026.",
]


def docx_truncated_body() -> bytes:
    return _rezip(docx(NOTICE_LINES), lambda n, c: c[: len(c) // 2] if n == "word/document.xml" else c)


def docx_without_styles() -> bytes:
    return _rezip(docx(NOTICE_LINES), lambda n, c: None if n == "word/styles.xml" else c)


def docx_with_paragraphs(count: int, text: str = "") -> bytes:
    """A Word file of `count` paragraphs (written as XML: python-docx takes minutes for 50,000)."""
    body = b"".join(b"<w:p><w:r><w:t>" + (text.format(n=n).encode() if text else b"") + b"</w:t></w:r></w:p>"
                    for n in range(1, count + 1))

    def edit(name: str, content: bytes) -> bytes:
        if name == "word/document.xml":
            return re.sub(rb"<w:body>.*<w:sectPr", lambda _: b"<w:body>" + body + b"<w:sectPr", content, flags=re.S)
        return content

    return _rezip(docx([]), edit)


DIRECTIVE_LINE = ("{n}. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát dự án số {n}, báo cáo UBND tỉnh "
                  "trước ngày 15/12/2026.")


def notice_with_items(count: int) -> bytes:
    """A notice listing `count` directives, one a paragraph."""
    head = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in NOTICE_LINES[:4]).encode()
    body = head + b"".join(f"<w:p><w:r><w:t>{DIRECTIVE_LINE.format(n=n)}</w:t></w:r></w:p>".encode()
                           for n in range(1, count + 1))

    def edit(name: str, content: bytes) -> bytes:
        if name == "word/document.xml":
            return re.sub(rb"<w:body>.*<w:sectPr", lambda _: b"<w:body>" + body + b"<w:sectPr", content, flags=re.S)
        return content

    return _rezip(docx([]), edit)


def pdf(lines: list[str]) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"pdf.fonttype": 42}):
        figure = Figure(figsize=(8.27, 11.69))
        FigureCanvasPdf(figure)
        for i, line in enumerate(lines):
            figure.text(0.04, 0.96 - i * 0.025, line, fontsize=7)
        out = io.BytesIO()
        figure.savefig(out, format="pdf")
        return out.getvalue()


def pdf_with_pages(count: int, lines: list[str] | None = None) -> bytes:
    """One page of text repeated `count` times (the pages share their content, so the file stays small)."""
    from pypdf import PdfReader, PdfWriter

    page = PdfReader(io.BytesIO(pdf(lines or NOTICE_LINES))).pages[0]
    writer = PdfWriter()
    for _ in range(count):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_truncated() -> bytes:
    data = pdf(NOTICE_LINES)
    return data[: len(data) // 2]


def pdf_broken_streams() -> bytes:
    """Every content stream's first bytes zeroed: the pages are there, their text cannot be inflated."""
    return re.sub(rb"(stream\r?\n)(.{20})", lambda m: m.group(1) + b"\0" * 20, pdf(NOTICE_LINES), flags=re.S)


def xlsx_number_rows(count: int, width: int = 1, tail: bytes = b"") -> bytes:
    """The template's header, then `count` rows holding only numbers (`width` of them: a template numbered
    ahead has one), then `tail` (raw row XML), written as XML without cell references so that a million rows
    stay under the 5 MB a file may weigh."""
    from bot.imports.sheet import HEADERS

    header = b"<row>" + b"".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>'.encode() for h in HEADERS) + b"</row>"
    rows = b"".join(b"<row>" + b"<c><v>%d</v></c>" % n * width + b"</row>" for n in range(1, count + 1)) + tail

    def edit(name: str, content: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            content = re.sub(rb"<dimension [^>]*/>", b"", content)
            return re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", lambda _: b"<sheetData>" + header + rows
                          + b"</sheetData>", content, flags=re.S)
        return content

    return _rezip(sheet([["x"]]), edit)


def docx_with_big_styles(megabytes: int) -> bytes:
    """A notice whose styles part is inflated to `megabytes` (it compresses a thousandfold: the file stays small)."""
    filler = b"<w:name w:val='a'/>" * (megabytes * 2**20 // 19)

    def edit(name: str, content: bytes) -> bytes:
        if name == "word/styles.xml":
            return content.replace(b"</w:styles>", b"<w:style w:type='paragraph' w:styleId='x'>" + filler
                                   + b"</w:style></w:styles>")
        return content

    return _rezip(docx(NOTICE_LINES), edit)


def xlsx_with_big_shared_strings(megabytes: int) -> bytes:
    """A sheet with a shared-strings table of `megabytes`, which openpyxl reads whole."""
    strings = b"<si><t>x</t></si>" * (megabytes * 2**20 // 17)

    def edit(name: str, content: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return content.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                   b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return content.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats'
                                   b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                   b"</Relationships>")
        return content

    table = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
             b'main">' + strings + b"</sst>")
    return _rezip(template_sheet(GOOD_ROW), edit, {"xl/sharedStrings.xml": table})


DAMAGED = {
    "hong-chuoi.xlsx": xlsx_bad_shared_string,
    "cat-ngang.xlsx": xlsx_truncated_sheet,
    "mat-trang.xlsx": xlsx_without_its_sheet,
    "cat-ngang.docx": docx_truncated_body,
    "mat-kieu.docx": docx_without_styles,
    "cat-ngang.pdf": pdf_truncated,
    "hong-luong.pdf": pdf_broken_streams,
}
