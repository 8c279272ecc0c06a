"""Instruction or background: a small learned check of the sentence a directive was read from.

The rules decide who is addressed and what the task is; on text written in a way they were not built
on, they also open tasks in sentences that only tell what happened («UBND tỉnh đã có nhiều văn bản chỉ
đạo …», a citizen's petition, criticism, a closing formula). A linear model on character and word
n-grams, trained from the labelled corpora of the repository (`data/instruction_sentences.tsv`, built
by `benchmarks/bench_background.py` from the corpora's development parts, never from a held-out part),
scores each such sentence: one the model finds unlike an instruction gets a question in the draft
(`maybe_background`), so «Giao việc» waits for a person's answer instead of assigning a guess.

The model is trained in-process on first use or when the bot starts (`warm_up`, about a second, from the packaged
file); nothing is downloaded. Without scikit-learn or without the data file, the check is skipped (no question
added).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "instruction_sentences.tsv"
# Below this probability of being an instruction, a drafted task the rules read without an assignment verb asks
# whether it is one. Chosen by cross-validating the whole parser on the fresh corpus's development part (folds by
# message, the model trained without the fold): at 0.5 fewer tasks go wrong unasked than at 0.35, for as many
# questions on right ones as 0.35 without the assignment-verb exemption.
THRESHOLD = 0.5

# A stop that ends a sentence: not the dot of an abbreviation ("TP. Đà Nẵng", "Q. Hải Châu", "TS. …").
_STOP = re.compile(r"\n|[.!?;](?=\s)")
_ABBREVIATED = re.compile(r"(?:^|[\s(,])(?:tp|tx|tt|q|h|p|ts|ths|bs|ks|gs|pgs|ong|ba|tw|st|k)$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a cleaned text, as (start, end) character spans."""
    spans, start = [], 0
    for m in _STOP.finditer(text):
        if m.group() == "." and _ABBREVIATED.search(text[max(0, m.start() - 5) : m.start()]):
            continue
        if text[start : m.end()].strip():
            spans.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def sentence_at(text: str, pos: int, spans: Sequence[tuple[int, int]] | None = None) -> str:
    """The sentence of `text` that holds character `pos`."""
    for a, b in spans if spans is not None else sentence_spans(text):
        if a <= pos < b:
            return text[a:b]
    return text[pos:]


def features_text(sentence: str) -> str:
    """What the model reads: lower case, NFC, single spaces, every number written 0."""
    text = unicodedata.normalize("NFC", sentence).lower()
    return " ".join(_DIGITS.sub("0", text).split())


def labelled_sentences(cases: Iterable[dict[str, Any]], analyse: Any) -> list[tuple[int, str, str]]:
    """(label, message id, sentence) for every sentence of the corpus messages `cases`: 1 when a phrase a
    directive's content must hold is in it (the sentence a task was given in, or goes on in), else 0 (what
    happened, who asked, the formula, the heading). `analyse` is `Analysed.of`: the text the parser reads."""
    rows = []
    for case in cases:
        if "query" in case or "directives" not in case:
            continue
        text = analyse(case["text"]).text
        phrases = [unicodedata.normalize("NFC", p) for d in case["directives"] for p in d.get("content_has", [])]
        for a, b in sentence_spans(text):
            sentence = " ".join(text[a:b].split())
            if len(sentence) < 12:
                continue
            nfc = unicodedata.normalize("NFC", sentence)
            rows.append((int(any(p and p in nfc for p in phrases)), str(case["id"]), sentence))
    return rows


def read_rows(path: Path = DATA) -> list[tuple[int, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            label, ident, sentence = line.split("\t", 2)
            rows.append((int(label), ident, sentence))
    return rows


def train(rows: Sequence[tuple[int, str, str]]) -> Any:
    """A logistic regression on character (2–5) and word (1–2) n-grams of `rows`."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    model = make_pipeline(
        make_union(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
                   TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000, solver="liblinear", random_state=0),
    )
    model.fit([features_text(s) for _, _, s in rows], [label for label, _, _ in rows])
    return model


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        return train(read_rows())
    except (ImportError, OSError, ValueError):
        return None


def warm_up() -> None:
    """Train the model now (the bot calls this in a thread at start), so no chat message waits for it."""
    _model()


_override: list[Any] = []


def use_model(model: Any) -> None:
    """Score with `model` instead of the packaged one (cross-validation trains one without the part it scores)."""
    _override[:] = [model]


def instruction_probability(sentences: Sequence[str]) -> list[float] | None:
    """For each sentence, the model's probability that it gives a task; None when no model is available."""
    model = _override[0] if _override else _model()
    if model is None or not sentences:
        return None
    return [float(p) for p in model.predict_proba([features_text(s) for s in sentences])[:, 1]]
