"""Doubt: a small learned check of whether a drafted directive's lead (or the task itself) is likely wrong.

The rules of bot.parsing.directives read who leads a task; on text written in a way they were not built on they
may read the wrong unit, glue two tasks or open one in a sentence that gives none, and the draft would not say so.
This check asks instead: from what the parser already computed for each draft (how its lead was found — an
assignment verb before it or the unit first, how far from the verb, in reported speech, where in the message,
after a time phrase, a quote or a colon; how many units and tasks the message has; whether the lead is a group or
many units; the sentence model's probability that the sentence instructs; the content's length; whether the text
is a press article or an official letter) a logistic regression gives the probability that the draft is wrong.
A pasted text's draft that asks nothing yet and scores at or above the threshold gets PROBLEM_UNSURE_LEAD: the
draft asks «is the lead right?» and «Giao việc» waits. Nothing read changes.

The model is trained in the build, not here: `benchmarks/bench_doubt.py --write` fits it with scikit-learn on the
labelled corpora of the repository and writes plain data (the features' means and scales, the weights, the
intercept, the threshold) to `data/doubt_model.json`; this module computes the same probability in plain Python.
Without the file the check is skipped (no question added).
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.parsing.background import instruction_probability, sentence_spans
from bot.parsing.normalise import Analysed
from bot.parsing.result import PROBLEM_UNSURE_LEAD, DraftDirective

MODEL = Path(__file__).resolve().parent / "data" / "doubt_model.json"
# Shorter than this, a message is typed in the chat (bot.parsing.directives.PASTED_CHARS): an instruction by intent,
# whose lead the person just typed; the check is for pasted articles and letters.
PASTED_CHARS = 300
# The question names the lead as the text wrote it, cut to this many characters.
DETAIL_CHARS = 80

FEATURES = (
    "assigned", "spoken", "listed", "unit_first", "lead_offset", "verb_gap", "lead_mentions", "lead_refs",
    "lead_group", "lead_generic", "lead_many", "support_before", "support_after", "sentence_pos", "first_sentence",
    "time_opens", "quoted", "colon_before", "reported", "issuer_before", "drafts", "draft_pos", "same_lead_before",
    "lead_seen_before", "distinct_leads", "instruction_p", "instruction_near", "content_words", "deadline",
    "span_sentences", "dear", "document_number", "headline", "message_chars", "lines",
)

_TIME_OPENS = re.compile(r"[\s\W]*(?:ngay|sang|chieu|toi|dem|thoi\s+gian|trong|tu|den|nam|thang|quy|hien\s+nay|truoc"
                         r"|sau|dip|nhan\s+dip|vua\s+qua|tuan|hom|cuoi|dau|gan\s+day)\b")
_QUOTES = re.compile(r"[«»“”\"]")
_REPORTED = re.compile(r"\b(?:ong|ba)\s+[A-ZĐÀ-Ỹ]|\b(?:cho\s+biet|nhan\s+manh|phat\s+bieu|keu\s+goi|luu\s+y|de\s+xuat"
                       r"|kien\s+nghi|tra\s+loi|giai\s+trinh)\b")
_ISSUER = re.compile(r"\b(?:ubnd|uy\s+ban\s+nhan\s+dan|chu\s+tich|pho\s+chu\s+tich|lanh\s+dao)\b")
_DEAR = re.compile(r"\bkinh\s+gui\b")
_NUMBER = re.compile(r"(?<![\w/])\d{1,5}/(?:\d{4}/)?[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)+")
_STOPS = re.compile(r"[.!?](?=\s|$)|\n")


def _log(n: float) -> float:
    return math.log1p(max(n, 0.0))


P, NEAR = FEATURES.index("instruction_p"), FEATURES.index("instruction_near")
NEAR_HALF = 0.2  # "instruction_near": the sentence model's probability within this of ½


def features(msg: Analysed, opened: Sequence[Any], drafts: Sequence[DraftDirective],
             wanted: Sequence[bool] | None = None, sentences: bool = True) -> list[list[float]]:
    """One row of FEATURES per draft (an empty row for a draft not `wanted`); `opened[n]` is what the rules read for
    `drafts[n]` (its roles and span). Without `sentences`, the sentence model is not asked (its two features are left
    at ½ and 1, for `with_sentences` to fill in where they matter)."""
    text, folded = msg.text, msg.folded
    spans = sentence_spans(text)

    def sentence_of(at: int) -> tuple[int, tuple[int, int]]:
        for k, (a, b) in enumerate(spans):
            if a <= at < b:
                return k, (a, b)
        return max(len(spans) - 1, 0), (at, len(text))

    wanted = [True] * len(drafts) if wanted is None else wanted
    placed = [sentence_of(o.start) for o in opened]
    if sentences:
        probs = _instruction(msg, [placed[n][1] for n in range(len(opened)) if wanted[n]], [span for _, span in placed])
    else:
        probs = [0.5] * len(opened)
    line_end = text.find("\n")
    headline = 0 < line_end <= 160 and text[:line_end].rstrip()[-1:] not in tuple(".:;!?")
    dear = float(_DEAR.search(folded) is not None)
    number = float(_NUMBER.search(text) is not None)
    all_leads = [tuple(d.lead) for d in drafts]
    rows: list[list[float]] = []
    for n, (o, d) in enumerate(zip(opened, drafts, strict=True)):
        if not wanted[n]:
            rows.append([])
            continue
        roles = o.roles
        k, (s_start, _) = placed[n]
        first = msg.token_at_or_after(o.start)
        lead = roles.lead
        lead_first = lead[0].first if lead else roles.content_from
        lead_last = lead[-1].last if lead else roles.content_from
        before = folded[o.start : msg.tokens[lead_first].start] if lead_first < len(msg.tokens) else folded[o.start :]
        sentence_head = folded[s_start : o.start]
        content_end = max(o.end, o.content_start)
        rows.append([
            float(roles.assigned), float(roles.spoken), float(msg.listed(o.start)),
            float(bool(lead) and lead_first <= first + 1), _log(lead_first - first), _log(roles.content_from - lead_last),
            float(len(lead)), float(len(d.lead)), float(any(m.kind == "group" for m in lead)),
            float(any(m.kind == "generic" for m in lead)), float(len(d.lead) >= 3), float(bool(roles.support)),
            float(bool(getattr(o, "extra_support", ()))), k / max(len(spans) - 1, 1), float(k == 0),
            float(_TIME_OPENS.match(folded, s_start) is not None),
            float(_QUOTES.search(text, s_start, o.content_start) is not None),
            float(":" in sentence_head + before), float(_REPORTED.search(text[s_start:o.start] + before) is not None
                                                       or _REPORTED.search(folded, s_start, o.content_start) is not None),
            float(_ISSUER.search(before) is not None), _log(len(drafts)), n / max(len(drafts) - 1, 1),
            float(n > 0 and all_leads[n] == all_leads[n - 1]), float(all_leads[n] in all_leads[:n]),
            len(set(all_leads)) / len(all_leads), probs[n], float(abs(probs[n] - 0.5) < NEAR_HALF),
            _log(len(d.content.split())), float(d.deadline is not None or d.recurrence is not None),
            float(len(_STOPS.findall(text, o.content_start, content_end))), dear, number, float(headline),
            _log(len(text)), _log(text.count("\n") + 1),
        ])
    return rows


def _instruction(msg: Analysed, wanted: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]) -> list[float]:
    """The sentence model's probability for each of `spans` (sentences of the message), computed for those `wanted`
    (each once), ½ for the others."""
    unique = list(dict.fromkeys(wanted))
    score = _sentences[0] if _sentences else instruction_probability
    scored = dict(zip(unique, score([msg.text[a:b] for a, b in unique]) or [0.5] * len(unique), strict=True))
    return [scored.get(span, 0.5) for span in spans]


def sentence_of(msg: Analysed, at: int) -> tuple[int, int]:
    for a, b in sentence_spans(msg.text):
        if a <= at < b:
            return a, b
    return at, len(msg.text)


def lead_as_written(msg: Analysed, o: Any) -> str:
    """The lead's words as the text wrote them, for the question («Đơn vị chủ trì đọc được là …»)."""
    names = [" ".join(msg.original(m.first, m.last).split()) for m in o.roles.lead]
    written = ", ".join(dict.fromkeys(n for n in names if n))
    return written if len(written) <= DETAIL_CHARS else written[: DETAIL_CHARS - 1].rstrip(" ,") + "…"


class DoubtModel:
    """The logistic regression of `benchmarks/bench_doubt.py`, read from the model file: standardised features
    ((x − mean) / scale), their weights, the intercept; a draft at or above `threshold` asks."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if spec.get("format") != 1 or list(spec["features"]) != list(FEATURES):
            raise ValueError("a doubt model of other features or format")
        self.mean = [float(v) for v in spec["mean"]]
        self.scale = [float(v) or 1.0 for v in spec["scale"]]
        self.coef = [float(v) for v in spec["coef"]]
        self.intercept = float(spec["intercept"])
        self.threshold = float(spec["threshold"])

    @classmethod
    def load(cls, path: Path | None = None) -> DoubtModel:
        return cls(json.loads((path or MODEL).read_text(encoding="utf-8")))

    def decision(self, row: Sequence[float]) -> float:
        return self.intercept + sum(w * (x - m) / s for x, m, s, w in zip(row, self.mean, self.scale, self.coef,
                                                                           strict=True))

    def probability(self, row: Sequence[float]) -> float:
        z = self.decision(row)
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def asks(self, row: Sequence[float]) -> bool:
        return self.probability(row) >= self.threshold

    def settled(self, row: Sequence[float]) -> bool:
        """Whether the row's answer (`asks`) is the same whatever the sentence model's probability: then it need
        not be computed (the parse stays fast). The probability p in [0, 1] moves the decision linearly, and by a
        step where "instruction_near" turns on; its extremes are at p = 0, 1 and at the step's edges."""
        row = list(row)
        answers = set()
        for p in (0.0, 1.0, 0.5 - NEAR_HALF, 0.5 + NEAR_HALF):
            for near in ((0.0, 1.0) if abs(abs(p - 0.5) - NEAR_HALF) < 1e-12 else (float(abs(p - 0.5) < NEAR_HALF),)):
                row[P], row[NEAR] = p, near
                answers.add(self.asks(row))
        return len(answers) == 1


_loaded: list[DoubtModel | None] = []
_loading = threading.Lock()


def _model() -> DoubtModel | None:
    if not _loaded:
        with _loading:
            if not _loaded:
                try:
                    model: DoubtModel | None = DoubtModel.load()
                except (OSError, ValueError, KeyError, TypeError):
                    model = None
                _loaded.append(model)
    return _loaded[0]


# For the build and the tests: a model to score with instead of the packaged one (None: no check), a function that
# receives every draft's features and whether it could be asked (the benchmark records them), and the sentence
# model's probabilities for the features (the benchmark's, trained without the messages it scores).
_override: list[Any] = []
_record: list[Callable[[list[list[float]], list[bool]], None]] = []
_sentences: list[Callable[[Sequence[str]], list[float] | None]] = []


def use_model(model: Any = "packaged") -> None:
    """Score with `model` (a `DoubtModel`, or None for no check); "packaged" goes back to the packaged file."""
    _override[:] = [] if model == "packaged" else [model]


def record(sink: Callable[[list[list[float]], list[bool]], None] | None,
           sentences: Callable[[Sequence[str]], list[float] | None] | None = None) -> None:
    """Send every draft's features to `sink` (None: stop), with the instruction probabilities `sentences` gives."""
    _record[:] = [] if sink is None else [sink]
    _sentences[:] = [] if sink is None or sentences is None else [sentences]


def plain_entry(msg: Analysed, o: Any) -> bool:
    """A numbered or bulleted entry that names its lead first or right after the assignment verb («2. Sở Y tế chủ trì
    …», «- Giao Sở Xây dựng chủ trì …»): a conclusion notice's own form, never doubted (the corpora the model learns from
    are mostly articles; on clean notices it asked about every task)."""
    if not msg.listed(o.start) or not o.roles.lead:
        return False
    first, lead_first = msg.token_at_or_after(o.start), o.roles.lead[0].first
    return lead_first <= first + 1 or (bool(o.roles.assigned) and lead_first <= first + 2)


def doubted(msg: Analysed, opened: Sequence[Any], drafts: list[DraftDirective]) -> list[DraftDirective]:
    """`drafts` with PROBLEM_UNSURE_LEAD added to those the model doubts (a pasted text's drafts that ask
    nothing yet); what they read is unchanged."""
    if not drafts or len(msg.text) < PASTED_CHARS or len(opened) != len(drafts):
        return drafts
    model = _override[0] if _override else _model()
    askable = [not d.problems and bool(d.lead) and not plain_entry(msg, o) for o, d in zip(opened, drafts, strict=True)]
    if model is None and not _record or not any(askable):
        return drafts
    if _record:
        _record[0](features(msg, opened, drafts, askable), askable)
    if model is None:
        return drafts
    rows = features(msg, opened, drafts, askable, sentences=False)
    unsettled = [n for n, (row, can) in enumerate(zip(rows, askable, strict=True)) if can and not model.settled(row)]
    if unsettled:  # the sentence model, only where its probability decides
        spans = [sentence_of(msg, opened[n].start) for n in unsettled]
        for n, p in zip(unsettled, _instruction(msg, spans, spans), strict=True):
            rows[n][P], rows[n][NEAR] = p, float(abs(p - 0.5) < NEAR_HALF)
    out = []
    for o, d, row, can in zip(opened, drafts, rows, askable, strict=True):
        if can and model.asks(row):
            d = replace(d, problems=(*d.problems, PROBLEM_UNSURE_LEAD), doubted_lead=lead_as_written(msg, o))
        out.append(d)
    return out
