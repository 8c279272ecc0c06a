"""The JSON shape of shared/corpus/README.md, printed by `python -m bot parse` and checked by the
corpus tests."""

from __future__ import annotations

from typing import Any

from bot.parsing.result import DraftDirective, ParseResult


def to_corpus_json(result: ParseResult) -> dict[str, Any]:
    """`{"directives": [...]}`, `{"query": {...}}`, or `{"unknown": {"reason": key}}`."""
    if result.kind == "query" and result.query:
        q = result.query
        query: dict[str, Any] = {"intent": q.intent, "unit": q.unit, "period": q.period}
        if q.intent == "search":
            query["text"] = q.text
        if q.unresolved:
            query["unresolved"] = list(q.unresolved)
        if q.unread_period:
            query["unread_period"] = q.unread_period
        return {"query": query}
    if result.kind == "directives":
        return {"directives": [_directive(d) for d in result.directives]}
    return {"unknown": {"reason": result.reason}}


def _directive(d: DraftDirective) -> dict[str, Any]:
    out: dict[str, Any] = {
        "lead": list(d.lead),
        "support": list(d.support),
        "deadline": d.deadline.isoformat() if d.deadline else None,
        "content": d.content,
        "unresolved": list(d.unresolved),
        "recurrence": d.recurrence,
    }
    if d.source:
        out["source"] = d.source
    if d.source_date:
        out["source_date"] = d.source_date.isoformat()
    if d.leader:
        out["leader"] = d.leader
    if d.problems:
        out["problems"] = list(d.problems)
    return out
