"""The JSON shape of shared/corpus/README.md, printed by `python -m bot parse` and checked by the
corpus tests."""

from __future__ import annotations

from typing import Any

from bot.parsing.result import DraftDirective, ParseResult, Query


def to_corpus_json(result: ParseResult) -> dict[str, Any]:
    """`{"directives": [...]}`, `{"query": {...}}`, or `{"unknown": {"reason": key}}`; a message that may be either
    (`ParseResult.ambiguous`) gives its directives and, as `"or_query"`, the question it may be instead."""
    if result.kind == "query" and result.query:
        return {"query": _query(result.query)}
    if result.kind == "directives":
        out: dict[str, Any] = {"directives": [_directive(d) for d in result.directives]}
        if result.query:
            out["or_query"] = _query(result.query)
        return out
    return {"unknown": {"reason": result.reason}}


def _query(q: Query) -> dict[str, Any]:
    query: dict[str, Any] = {"intent": q.intent, "unit": q.unit, "period": q.period}
    if q.intent == "search":
        query["text"] = q.text
    if q.unresolved:
        query["unresolved"] = list(q.unresolved)
    if q.unread_period:
        query["unread_period"] = q.unread_period
    return query


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
