"""An import's preview in words: counts and the first items, or every problem by row or item number."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from bot.imports.sheet import MAX_ERRORS, Problem
from bot.texts import fmt_date, t

if TYPE_CHECKING:
    from bot.services.imports import Preview

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
        lines = [t("import.problems_head", lang, file=name)]
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
    for item in preview.items[:MAX_ITEMS_SHOWN]:
        content = item.content if len(item.content) <= 80 else item.content[:79] + "…"
        lines.append(t("import.item_line", lang, row=item.row, lead=", ".join(item.lead),
                       deadline=fmt_date(date.fromisoformat(item.deadline) if item.deadline else None), content=escape(content)))
    if len(preview.items) > MAX_ITEMS_SHOWN:
        lines.append(t("import.more_items", lang, count=len(preview.items) - MAX_ITEMS_SHOWN))
    return "\n".join(lines)


