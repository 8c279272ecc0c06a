"""Instruction or background: a small learned check of the sentence a directive was read from.

The rules decide who is addressed and what the task is; on text written in a way they were not built
on, they also open tasks in sentences that only tell what happened («UBND tỉnh đã có nhiều văn bản chỉ
đạo …», a citizen's petition, criticism, a closing formula). A linear model on character and word
n-grams, trained from the labelled corpora of the repository (`data/instruction_sentences.tsv`, built
by `benchmarks/bench_background.py` from the corpora's development parts, never from a held-out part),
scores each such sentence: one the model finds unlike an instruction gets a question in the draft
(`maybe_background`), so «Giao việc» waits for a person's answer instead of assigning a guess.

The model is trained in the build, not here: `benchmarks/bench_background.py --write` fits a scikit-learn
pipeline (`train`) and writes what it computes to `data/instruction_model.json` (per n-gram its document
frequency and weight). At run time `SentenceModel` computes the same probabilities in plain Python (the same
n-grams, sublinear tf-idf, L2 norm per block, logistic function), so neither scikit-learn, SciPy nor NumPy is
loaded by the bot; the file is read once, on first use. Without it, the check is skipped (no question added).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "instruction_sentences.tsv"
MODEL = Path(__file__).resolve().parent / "data" / "instruction_model.json"
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
    """A logistic regression on character (2–5) and word (1–2) n-grams of `rows`, fitted with scikit-learn: for
    the build (`benchmarks/bench_background.py`) and the tests only, never imported by the bot."""
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


def data_digest(path: Path = DATA) -> str:
    """The SHA-256 of the training file, recorded in the model file so a stale model is seen."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Weights are written with this many decimals. A sentence's n-grams have an L2-normalised tf-idf vector x per
# block (x ≥ 0, |x| = 1, so Σx ≤ √k for k distinct n-grams): rounding moves the decision by at most
# 0.5e-8·(√k₁ + √k₂), under 1e-6 for sentences of thousands of distinct n-grams, and the probability (the
# logistic function's slope is at most ¼) by a quarter of that.
DECIMALS = 8
# What `SentenceModel` implements of scikit-learn's TfidfVectorizer; anything else in the pipeline is refused.
_SETTINGS = {"lowercase": True, "preprocessor": None, "tokenizer": None, "stop_words": None, "strip_accents": None,
             "use_idf": True, "smooth_idf": True, "sublinear_tf": True, "norm": "l2", "binary": False}


def model_spec(pipeline: Any, documents: int, digest: str = "") -> dict[str, Any]:
    """What a fitted `train` pipeline computes, as plain data: per vectorizer block its analyzer and n-gram
    range, every n-gram of its vocabulary with its document frequency (the idf is recomputed from it exactly,
    smoothed: ln((1 + n) / (1 + df)) + 1) and the regression's weight, in the order of the features; the
    intercept. `documents` is the number of training sentences (n)."""
    union, regression = pipeline.steps[0][1], pipeline.steps[-1][1]
    if list(regression.classes_) != [0, 1] or regression.coef_.shape[0] != 1 or union.transformer_weights:
        raise ValueError("a binary model of labels 0 and 1 on unweighted blocks is expected")
    coef = [float(c) for c in regression.coef_[0]]
    blocks, offset = [], 0
    for _, vectorizer in union.transformer_list:
        params = vectorizer.get_params()
        if any(params[k] != v for k, v in _SETTINGS.items()) or params["analyzer"] not in ("char_wb", "word"):
            raise ValueError(f"a vectorizer this module does not reimplement: {params}")
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
        idf = [float(v) for v in vectorizer.idf_]
        df = [round((documents + 1) / math.exp(v - 1.0)) - 1 for v in idf]
        if any(abs(_idf(documents, f) - v) > 1e-9 for f, v in zip(df, idf, strict=True)):
            raise ValueError("the idf is not the smoothed idf of `documents` sentences")
        block: dict[str, Any] = {"analyzer": params["analyzer"], "ngram_range": list(params["ngram_range"])}
        if params["analyzer"] == "word":
            block["token_pattern"] = params["token_pattern"]
        block["terms"] = {t: [f, round(c, DECIMALS)]
                          for t, f, c in zip(terms, df, coef[offset : offset + len(terms)], strict=True)}
        blocks.append(block)
        offset += len(terms)
    if offset != len(coef):
        raise ValueError("the regression's features are not the vectorizers' vocabularies")
    return {"format": 1, "trained_on": DATA.name, "sha256": digest, "documents": documents,
            "intercept": float(regression.intercept_[0]), "blocks": blocks}


def render_model(spec: dict[str, Any]) -> str:
    """The model file: JSON, one n-gram a line (so a rebuild's diff is readable), no spaces."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = {k: v for k, v in spec.items() if k != "blocks"}
    blocks = []
    for block in spec["blocks"]:
        settings = dump({k: v for k, v in block.items() if k != "terms"})
        terms = ",\n".join(f"{dump(t)}:{dump(v)}" for t, v in block["terms"].items())
        blocks.append(f'{settings[:-1]},"terms":{{\n{terms}}}}}')
    return f'{dump(head)[:-1]},"blocks":[\n' + ",\n".join(blocks) + "]}\n"


def _idf(documents: int, df: int) -> float:
    return math.log((documents + 1) / (df + 1)) + 1.0


_WHITE_SPACES = re.compile(r"\s\s+")


class _Block:
    """One TfidfVectorizer of the union: its n-grams, each with (idf, weight)."""

    __slots__ = ("analyzer", "low", "high", "token", "terms")

    def __init__(self, spec: dict[str, Any], documents: int) -> None:
        self.analyzer: str = spec["analyzer"]
        if self.analyzer not in ("char_wb", "word"):
            raise ValueError(f"unknown analyzer {self.analyzer!r}")
        self.low, self.high = (int(n) for n in spec["ngram_range"])
        self.token = re.compile(spec.get("token_pattern", r"(?u)\b\w\w+\b"))
        idf: dict[int, float] = {}  # one float per document frequency, shared
        self.terms: dict[str, tuple[float, float]] = {
            t: (idf.setdefault(df, _idf(documents, df)), float(c)) for t, (df, c) in spec["terms"].items()}

    def grams(self, text: str) -> list[str]:
        """scikit-learn's analyzer: lower case, then n-grams of characters within words padded with a space
        ("char_wb"), or of the words its token pattern finds ("word")."""
        text = text.lower()
        grams: list[str] = []
        if self.analyzer == "char_wb":
            for w in _WHITE_SPACES.sub(" ", text).split():
                w = f" {w} "
                for n in range(self.low, self.high + 1):
                    grams.extend(w[i : i + n] for i in range(max(len(w) - n, 0) + 1))
                    if len(w) <= n:  # a short word counts once, whole
                        break
            return grams
        tokens = self.token.findall(text)
        for n in range(self.low, self.high + 1):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def decision(self, text: str) -> float:
        """The block's part of the decision: its sublinear tf-idf vector, L2-normalised, times the weights."""
        squares = dot = 0.0
        for gram, count in Counter(g for g in self.grams(text) if g in self.terms).items():
            idf, weight = self.terms[gram]
            value = (1.0 + math.log(count)) * idf
            squares += value * value
            dot += value * weight
        return dot / math.sqrt(squares) if squares else 0.0


class SentenceModel:
    """The pipeline of `train`, read from the model file: the probability that a sentence gives a task."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if spec.get("format") != 1:
            raise ValueError("unknown model format")
        self.intercept = float(spec["intercept"])
        self.blocks = [_Block(b, int(spec["documents"])) for b in spec["blocks"]]

    @classmethod
    def load(cls, path: Path | None = None) -> SentenceModel:
        return cls(json.loads((path or MODEL).read_text(encoding="utf-8")))

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        """For each of `texts` (as `features_text` gives them), the probability of the label 1 (an instruction)."""
        return [_logistic(self.intercept + sum(b.decision(t) for b in self.blocks)) for t in texts]


def _logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


_loaded: list[SentenceModel | None] = []
_loading = threading.Lock()


def _model() -> SentenceModel | None:
    """The packaged model, read once (a few tens of milliseconds) by whichever thread asks first."""
    if not _loaded:
        with _loading:
            if not _loaded:
                try:
                    model: SentenceModel | None = SentenceModel.load()
                except (OSError, ValueError, KeyError, TypeError):
                    model = None
                _loaded.append(model)
    return _loaded[0]


_override: list[Any] = []


def use_model(model: Any) -> None:
    """Score with `model` instead of the packaged one (cross-validation trains one without the part it scores):
    a `SentenceModel` or a fitted `train` pipeline; None goes back to the packaged one."""
    _override[:] = [] if model is None else [model]


def instruction_probability(sentences: Sequence[str]) -> list[float] | None:
    """For each sentence, the model's probability that it gives a task; None when no model is available."""
    if not sentences:
        return None
    model = _override[0] if _override else _model()
    if model is None:
        return None
    texts = [features_text(s) for s in sentences]
    if isinstance(model, SentenceModel):
        return model.probabilities(texts)
    return [float(p) for p in model.predict_proba(texts)[:, 1]]
