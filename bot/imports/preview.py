"""An import's preview in words: counts and the first items, or every problem by row or item number."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from bot.imports.columns import FIELDS, header_key
from bot.imports.sheet import HEADERS, MAX_ERRORS, Item, Problem
from bot.reports.labels import plain
from bot.texts import fmt_date, fmt_percent, t

if TYPE_CHECKING:
    from bot.services.imports import Applied, Preview

MAX_ITEMS_SHOWN = 10


def problem_text(problem: Problem, kind: str, lang: str) -> str:
    params = {k: escape(v) if isinstance(v, str) else v for k, v in problem.params.items()}
    text = t(problem.key, lang, **params)
    if problem.row is None:
        return text
    return t("import.row" if kind == "sheet" else "import.item", lang, row=problem.row, problem=text)


def preview_text(preview: Preview, lang: str) -> str:
    name = escape(preview.file_name)
    if not preview.problems and not preview.items and preview.skipped:
        return t("import.nothing_new", lang, file=name, count=preview.skipped)
    if not preview.ok:
        lines = [t("import.problems_head", lang, file=name), *_scanned(preview, lang)]
        lines += [f"• {problem_text(p, preview.kind, lang)}" for p in preview.problems[:MAX_ERRORS]]
        return "\n".join(lines)
    c = preview.counts
    lines = [t("import.preview", lang, file=name, total=c["total"], open=c["open"], done=c["done"],
               cancelled=c["cancelled"])]
    if preview.skipped:
        lines.append(t("import.already", lang, count=preview.skipped))
    if preview.kind == "notice":
        lines.append(t("import.notice_source", lang, number=escape(preview.source_number or "—"),
                       date=fmt_date(preview.source_date), leader=escape(preview.leader or "—")))
    lines += _scanned(preview, lang)
    lines += columns_text(preview, lang)
    names = preview.unit_names
    for item in preview.items[:MAX_ITEMS_SHOWN]:
        content = item.content if len(item.content) <= 80 else item.content[:79] + "…"
        lead = ", ".join(escape(names.get(code, code)) for code in item.lead)
        lines.append(t("import.item_line", lang, row=item.row, lead=lead,
                       deadline=fmt_date(date.fromisoformat(item.deadline) if item.deadline else None), content=escape(content)))
    if len(preview.items) > MAX_ITEMS_SHOWN:
        lines.append(t("import.more_items", lang, count=len(preview.items) - MAX_ITEMS_SHOWN))
    return "\n".join(lines)




def own_titles(preview: Preview) -> bool:
    """Whether a sheet names its columns in its own words (not the template's): then how each was read is
    shown, to be confirmed with the import."""
    return any(header_key(c.header) != header_key(HEADERS[FIELDS.index(c.field)]) for c in preview.columns) \
        or bool(preview.ignored) or any(f != "note" for f in preview.absent)


def columns_text(preview: Preview, lang: str) -> list[str]:
    """How each column of a clerk's own sheet was understood, the columns left out and the fields it has
    no column for; nothing for the template itself."""
    if preview.kind != "sheet" or not preview.columns or not own_titles(preview):
        return []
    lines = [t("import.columns_head", lang)]
    lines += [t("import.column_line", lang, header=escape(c.header), field=t(f"import.field.{c.field}", lang))
              for c in preview.columns]
    if preview.ignored:
        lines.append(t("import.columns_ignored", lang, columns=", ".join(f"«{escape(c)}»" for c in preview.ignored)))
    absent = [f for f in preview.absent if f != "note"]
    if absent:
        lines.append(t("import.columns_absent", lang, fields=", ".join(t(f"import.field.{f}", lang) for f in absent)))
    return lines


def _scanned(preview: Preview, lang: str) -> list[str]:
    """Drafts read by OCR say so, with the page count and Tesseract's confidence, so they are checked."""
    document = preview.document
    if document is None or not document.ocr:
        return []
    return [t("ocr.read_from_image", lang, pages=document.pages, confidence=fmt_percent(document.confidence, lang))]


def preview_json(preview: Preview, lang: str, applied: Applied | None = None) -> dict[str, Any]:
    """The drafts a file gives, in the shape `python -m bot parse` prints them (lead, support, deadline,
    content, unresolved, recurrence, source, source_date, leader) with the import's own fields beside them,
    under the document they come from (`"document": {"pages", "ocr", "confidence"}`: a DOCX or a sheet has no
    pages); beside them (`"rows"`, in the same order) each one's row and history; for a sheet, how its columns
    were read (`"columns": {title: field}`); the problems when it is
    refused. A dict that other readers add keys to."""
    document = preview.document.as_json() if preview.document else {"pages": None, "ocr": False, "confidence": 1.0}
    out: dict[str, Any] = {"file": preview.file_name, "kind": preview.kind, "document": document,
                           "directives": [_draft(item) for item in preview.items],
                           "rows": [_row(item) for item in preview.items], "skipped": preview.skipped,
                           "counts": preview.counts}
    if preview.kind == "sheet":
        out["columns"] = {c.header: c.field for c in preview.columns}
        out["ignored"] = list(preview.ignored)
        out["absent"] = list(preview.absent)
    if preview.problems:
        out["problems"] = [{"row": p.row, "key": p.key, "text": plain(problem_text(p, preview.kind, lang))}
                           for p in preview.problems]
    if applied is not None:
        out["imported"] = {"count": applied.count, "codes": list(applied.codes)}
    return out


def _draft(item: Item) -> dict[str, Any]:
    """A draft exactly as `python -m bot parse` prints one."""
    draft: dict[str, Any] = {"lead": list(item.lead), "support": list(item.support), "deadline": item.deadline,
                             "content": item.content, "unresolved": [], "recurrence": None}
    for key, value in (("source", item.source_number), ("source_date", item.source_date),
                       ("leader", item.leader_name)):
        if value:
            draft[key] = value
    return draft


def _row(item: Item) -> dict[str, Any]:
    """What an import knows of a draft beyond the parse: its row and its history."""
    return {"row": item.row, "assigned_on": item.assigned_on, "completed_on": item.completed_on,
            "cancelled_on": item.cancelled_on, "note": item.note}
