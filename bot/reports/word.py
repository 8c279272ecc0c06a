"""The Word report, laid out as Vietnamese administrative documents are (Nghị định 30/2020/NĐ-CP, Phụ lục I):
A4, Times New Roman, margins 20/20/30/15 mm; the issuing body and the national motto side by side, the
number and the place-and-date line; the title; the body with the figures, the per-unit table and the
overdue list; the recipients block ("Nơi nhận:") beside the signature. An ordinary editable .docx the
office completes and signs. CPU-bound: call it through `asyncio.to_thread`."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from bot.reports.counts import Report
from bot.reports.labels import CLASS_KEYS, period_name, rate_line, subject
from bot.texts import fmt_date, fmt_percent, t

FONT = "Times New Roman"
MAX_OVERDUE_ROWS = 50


def _run(paragraph, text: str, *, size: float = 14, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text: str = "", *, size: float = 14, bold: bool = False, italic: bool = False,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False, after: float = 6):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _sentence(text: str) -> str:
    """A task's content as a sentence starts: with a capital letter (as its card shows it)."""
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def _no_borders(table: Table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _header(document, report: Report, lang: str, settings_names: dict[str, str], today) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    center = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].alignment = center
    _run(left.paragraphs[0], settings_names["parent"].upper(), size=13)
    _para(left, settings_names.get("heading", settings_names["office"]).upper(), size=13, bold=True, align=center,
          after=0)
    _para(left, "_______", size=13, align=center, after=6)
    _para(left, t("docx.number", lang), size=13, align=center, after=0)
    right.paragraphs[0].alignment = center
    _run(right.paragraphs[0], t("docx.motto_state", lang), size=13, bold=True)
    _para(right, t("docx.motto", lang), size=14, bold=True, align=center, after=0)
    _para(right, "________________________", size=13, align=center, after=6)
    _para(right, t("docx.place_date", lang, place=settings_names["place"], day=f"{today.day:02d}",
                   month=f"{today.month:02d}", year=today.year), size=14, italic=True, align=center, after=0)


def _grid(document, headers: list[str], rows: list[list[object]], widths: list[float], size: float = 11) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, size=size, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = Cm(width)
            numeric = isinstance(value, int | float) or str(value).replace(",", "").replace(" %", "").isdigit()
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _run(cell.paragraphs[0], str(value), size=size)


def report_docx(report: Report, lang: str, names: dict[str, str], today) -> bytes:
    """`names` (Settings.document_names): parent (the issuing body's superior), office (the issuing body),
    heading (its name under its superior), place (for the date line), signer_title and signer_name."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    _header(document, report, lang, names, today)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "", after=6)
    _para(document, t("docx.kind", lang), bold=True, align=center, after=0)
    _para(document, t("docx.title", lang), bold=True, align=center, after=0)
    _para(document, t("docx.subtitle", lang, unit=subject(report, lang), period=period_name(report.scope, lang),
                      as_of=report.scope.as_of), bold=True, align=center, after=12)

    c = report.total
    _para(document, t("docx.intro", lang, office=names["office"], period=period_name(report.scope, lang),
                      as_of=report.scope.as_of), indent=True)
    _para(document, t("docx.section_overall", lang), bold=True)
    _para(document, t("docx.total", lang, total=c.total, carried=c.carried, new=c.new), indent=True)
    for attr, key in CLASS_KEYS:
        _para(document, f"- {t(key, lang)}: {getattr(c, attr)};", indent=True, after=0)
    _para(document, f"- {t('status.standing', lang)}: {c.standing}.", indent=True)
    if c.awaiting:
        _para(document, t("docx.awaiting", lang, count=c.awaiting), indent=True)
    if c.cancelled:
        _para(document, t("docx.cancelled", lang, count=c.cancelled), indent=True)
    _para(document, rate_line(c, lang, html=False) + ".", indent=True)

    _para(document, t("docx.section_units", lang), bold=True)
    lead_units = [u for u in report.units if u.lead.total]
    rows: list[list[object]] = [
        [i, u.name, u.lead.total, u.lead.done_on_time, u.lead.done_late, u.lead.on_time, u.lead.overdue,
         u.lead.standing, fmt_percent(u.lead.rate, lang)] for i, u in enumerate(lead_units, 1)]
    rows.append(["", t("xlsx.total_row", lang), c.total, c.done_on_time, c.done_late, c.on_time, c.overdue,
                 c.standing, fmt_percent(c.rate, lang)])
    _grid(document, [t(k, lang) for k in ("xlsx.no", "xlsx.unit", "xlsx.total", "docx.col_done_on_time",
                                          "docx.col_done_late", "docx.col_on_time", "docx.col_overdue",
                                          "docx.col_standing", "docx.col_rate")],
          rows, [0.9, 4.4, 1.3, 1.5, 1.5, 1.5, 1.5, 1.4, 1.6], size=10)
    _para(document, t("xlsx.note_leads", lang), size=12, italic=True, indent=True)
    support = next((u.support for u in report.units if u.code == report.scope.unit_code), None)
    if support is not None and support.total:
        _para(document, t("docx.support", lang, total=support.total, done=support.done, on_time=support.on_time,
                          overdue=support.overdue, standing=support.standing), indent=True)

    _para(document, t("docx.section_overdue", lang), bold=True)
    if report.overdue:
        overdue_rows: list[list[object]] = [
            [i, o.code, _sentence(o.content if len(o.content) <= 160 else o.content[:159] + "…"), ", ".join(o.lead),
             fmt_date(o.deadline), o.days_late] for i, o in enumerate(report.overdue[:MAX_OVERDUE_ROWS], 1)]
        _grid(document, [t(k, lang) for k in ("xlsx.no", "xlsx.code", "xlsx.content", "xlsx.lead",
                                              "xlsx.deadline", "docx.col_days_late")],
              overdue_rows, [0.9, 2.6, 6.4, 3.2, 2.2, 1.5], size=10)
        if c.overdue > len(report.overdue):
            _para(document, t("docx.overdue_more", lang, shown=len(report.overdue), total=c.overdue),
                  size=12, italic=True, indent=True)
    else:
        _para(document, t("docx.no_overdue", lang), indent=True)

    _para(document, t("docx.section_proposals", lang), bold=True)
    _para(document, t("docx.proposals_placeholder", lang), indent=True)

    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    left, right = closing.rows[0].cells
    left.width, right.width = Cm(8), Cm(8)
    _run(left.paragraphs[0], t("docx.recipients", lang), size=12, bold=True, italic=True)
    for line in t("docx.recipients_list", lang).split("\n"):
        _para(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, after=0)
    right.paragraphs[0].alignment = center
    _run(right.paragraphs[0], (names.get("signer_title") or t("docx.signer", lang)).upper(), size=13, bold=True)
    _para(right, t("docx.sign_hint", lang), size=13, italic=True, align=center, after=60)
    if names.get("signer_name"):
        _para(right, names["signer_name"], size=14, bold=True, align=center, after=0)
    out = BytesIO()
    document.save(out)
    return out.getvalue()
