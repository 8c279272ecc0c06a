"""An import's preview in words: counts and the first items, or every problem by row or item number."""

from __future__ import annotations

from datetime import date
from html import escape, unescape
from typing import TYPE_CHECKING, Any

from bot.imports.sheet import MAX_ERRORS, Item, Problem
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
    for item in preview.items[:MAX_ITEMS_SHOWN]:
        content = item.content if len(item.content) <= 80 else item.content[:79] + "…"
        lines.append(t("import.item_line", lang, row=item.row, lead=", ".join(item.lead),
                       deadline=fmt_date(date.fromisoformat(item.deadline) if item.deadline else None), content=escape(content)))
    if len(preview.items) > MAX_ITEMS_SHOWN:
        lines.append(t("import.more_items", lang, count=len(preview.items) - MAX_ITEMS_SHOWN))
    return "\n".join(lines)


def _scanned(preview: Preview, lang: str) -> list[str]:
    """Drafts read by OCR say so, with the page count and Tesseract's confidence, so they are checked."""
    document = preview.document
    if document is None or not document.ocr:
        return []
    return [t("ocr.read_from_image", lang, pages=document.pages, confidence=fmt_percent(document.confidence, lang))]


def preview_json(preview: Preview, lang: str, applied: Applied | None = None) -> dict[str, Any]:
    """The drafts an import would create (or created), in the shape `python -m bot parse` prints, under
    the document they come from: `{"document": {"pages", "ocr", "confidence"}, "directives": [...]}`, with
    `"problems"` and `"skipped"` when there are any. A DOCX or a sheet has no pages (null)."""
    document = preview.document.as_json() if preview.document else {"pages": None, "ocr": False, "confidence": 1.0}
    out: dict[str, Any] = {"document": document, "directives": [_draft(item) for item in preview.items]}
    if preview.problems:
        out["problems"] = [{"item": p.row, "message": unescape(problem_text(p, preview.kind, lang))}
                           for p in preview.problems]
    if preview.skipped:
        out["skipped"] = preview.skipped
    if applied is not None:
        out["imported"] = list(applied.codes)
    return out


def _draft(item: Item) -> dict[str, Any]:
    draft: dict[str, Any] = {"lead": item.lead, "support": item.support, "deadline": item.deadline,
                             "content": item.content, "unresolved": [], "recurrence": None}
    for key, value in (("source", item.source_number), ("source_date", item.source_date),
                       ("leader", item.leader_name), ("completed_on", item.completed_on),
                       ("cancelled_on", item.cancelled_on)):
        if value:
            draft[key] = value
    return draft
