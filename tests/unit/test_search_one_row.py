"""The web lists' test of one directive's words (storage/search.has_words) answers as the full-text index
does, on every text and query tried: the filter reads slices by the one and ranges by the other."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bot.domain.units import fold
from bot.services.queries import search_words
from storage import search

_EDGES = [
    "CD-2026-0001 Rà soát, báo cáo trước 15/12/2026", "Đẩy nhanh giải ngân vốn đầu tư công (đợt 2)",
    "x² và 1,5 km²; đường ĐT.741", "snake_case và ra_soat", "UBND TP. Đà Nẵng giao Sở TN&MT…",
    "日本語 abc 123abc abc123", "«Nhận tất cả» — xong!", "rà-soát/rà soát", "", "   ", "ra", "soat ra",
]
_QUERIES = ["ra", "ra soat", "rà soát", "soat ra", "bao c", "15 12", "2026", "dt", "x", "km", "snake", "ra soat_",
            "tn mt", "abc", "123", "ab", "nhan tat ca", "xong", "nga", "da nang giao so", "dau tu cong dot 2"]


def _texts() -> list[str]:
    corpus = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "directives-dev.jsonl"
    found = list(_EDGES)
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines()[:80]:
            found.append(json.loads(line).get("text", ""))
    return [fold(t) for t in found]


def test_one_directive_matches_exactly_when_the_full_text_index_finds_it() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(search_text)")
    texts = _texts()
    db.executemany("INSERT INTO t(rowid, search_text) VALUES (?, ?)", list(enumerate(texts, 1)))
    checked = 0
    for query in _QUERIES + [" ".join(search_words(t)[:2]) for t in texts[:40]]:
        words = search_words(query)
        if not words:
            continue
        fts = " AND ".join([f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*'])
        indexed = {row for (row,) in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts,))}
        tested = {n for n, text in enumerate(texts, 1) if search.has_words(text, " ".join(words))}
        assert tested == indexed, query
        checked += len(indexed)
    assert checked > 50  # the queries find something
