"""The doubt check (bot/parsing/doubt.py): build it from the labelled corpora and print what it does, honestly.

Run: python benchmarks/bench_doubt.py [--write]. Every message of the fresh corpus's development parts (PARTS: dev
and test to test15; never the held-out test16 and test17), of tests/corpus/real and of ../shared/corpus/directives-dev.jsonl is parsed with the check off; each
directive read gets its features (bot.parsing.doubt.features; the sentence model's probability from a sentence model
trained without that corpus's messages, as on any new text) and its label: wrong when it is invented or its lead or
deadline differs from the label (tests/corpus/test_corpus.py `_unflagged`). A logistic regression on the drafts the
check may ask about (a pasted text's drafts that ask nothing yet) learns which are wrong.

Leave one part out: for each fresh part, the model is trained on the others (with real and shared) and scored on
it; the table gives, per held-out part, the directives wrong without a question and the right directives that ask,
before → after. The threshold is one for all folds, chosen on training data only: in each fold the training parts are
scored by an inner leave-one-part-out, and the threshold is the highest at which those inner predictions leave, on
average over the parts they score (all folds' together), at most TARGET of the directives wrong without a question;
the regularisation is chosen the same way (of CS, the most regularised whose inner predictions ask at most C_SLACK (a
share, 2 %) more right directives than the fewest). With --write, the model trained on
everything is written to bot/parsing/data/doubt_model.json with that threshold. Needs the test extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.calendar import WorkingCalendar  # noqa: E402
from bot.parsing import UnitIndex, background, doubt, load_units_from_csv_files, parse_message, to_corpus_json  # noqa: E402  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FRESH = ROOT / "tests" / "corpus" / "fresh"
REAL = ROOT / "tests" / "corpus" / "real"
PARTS = ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11",
         "test12", "test13", "test14", "test15")  # never held-out test16 or test17
TARGET = 0.0125  # the goal is 5 % on text never seen; held-out parts ran three to five times the figure the parts used in
# building show (test5 8 %, test6 13 % against about 3 % left one part out; test7 6 % and test8 9 % against 2.5 % and
# 1.8 % with the target at 2.5 %), so the margin is wide: half that target since the ninth round, test8 scored (before
# the change) and test9 left to judge it (4.4 %); test8 and test9 are development data since the tenth round
# The regression's inverse regularisation: of these (ascending), the most regularised whose inner predictions (as for the
# threshold) ask at most C_SLACK (a share: 2 %) more right directives at their own threshold than the fewest.
CS = (0.02, 0.05, 0.2, 1.0)
C_SLACK = 0.02
CURVE = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass
class Row:
    part: str
    case: str
    wrong: bool
    asked: bool  # the draft asks already (the rules' own problems)
    askable: bool  # the check may ask about it
    x: list[float]


def _cases(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _index(folder: Path) -> UnitIndex:
    return UnitIndex(*load_units_from_csv_files(folder / "units.csv", folder / "groups.csv"))


def _sentence_model(cases: list[dict[str, Any]]) -> Any:
    """The sentence model (bot/parsing/background.py) trained without `cases`, or None when the packaged one never saw
    them: the packaged one learned from the development corpora, so their sentences' probabilities would be in-sample,
    surer than on any text the bot meets. It scores both the doubt check's feature and the parser's own question
    (`maybe_background`) while `cases` are read."""
    ids = {str(case["id"]) for case in cases}
    if not ids & {ident for _, ident, _ in background.read_rows()}:
        return None
    return background.train([r for r in background.read_rows() if r[1] not in ids])


def _scores(pipeline: Any) -> Any:
    if pipeline is None:
        return None

    def scores(sentences: Any) -> list[float]:
        texts = [background.features_text(s) for s in sentences]
        return [float(p) for p in pipeline.predict_proba(texts)[:, 1]] if texts else []

    return scores


def corpus_rows() -> list[Row]:
    sources = [(part, FRESH / f"{part}.jsonl", FRESH) for part in PARTS]
    sources += [("real", REAL / "directives-real.jsonl", REAL), ("shared", SHARED / "corpus" / "directives-dev.jsonl",
                                                                   SHARED / "data")]
    calendar, rows = WorkingCalendar(), []
    seen: list[tuple[list[list[float]], list[bool]]] = []
    doubt.use_model(None)
    try:
        for part, path, units in sources:
            index = _index(units)
            cases = _cases(path)
            pipeline = _sentence_model(cases)
            background.use_model(pipeline)
            doubt.record(lambda x, askable: seen.append((x, askable)), _scores(pipeline))
            for case in cases:
                if "directives" not in case:
                    continue
                seen.clear()
                got = to_corpus_json(parse_message(case["text"], at=datetime.fromisoformat(case["sent_at"]),
                                                   calendar=calendar, index=index))
                have_list = got.get("directives", [])
                x, askable = seen[-1] if seen and len(seen[-1][0]) == len(have_list) else ([], [])
                for n, have in enumerate(have_list):
                    want = case["directives"][n] if n < len(case["directives"]) else None
                    wrong = want is None or have["lead"] != want["lead"] or (
                        want["deadline"] != "*" and have["deadline"] != want["deadline"])
                    rows.append(Row(part, str(case["id"]), wrong, bool(have.get("problems")),
                                    bool(askable and askable[n]), x[n] if x else []))
    finally:
        doubt.record(None)
        doubt.use_model()
        background.use_model(None)
    return rows


def train(rows: list[Row], c: float = CS[1]) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    used = [r for r in rows if r.askable]
    model = make_pipeline(StandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=5000))
    model.fit([r.x for r in used], [int(r.wrong) for r in used])
    return model


def probabilities(model: Any, rows: list[Row]) -> list[float]:
    """The probability of being wrong of each askable row, 0 for the others (never asked)."""
    askable = [r.x for r in rows if r.askable]
    probs = iter(model.predict_proba(askable)[:, 1] if askable else [])
    return [float(next(probs)) if r.askable else 0.0 for r in rows]


def figures(rows: list[Row], probs: list[float], threshold: float) -> tuple[int, int, int, int, int]:
    """Directives read; wrong without a question before, after; right ones asked before, after."""
    asks = [r.askable and p >= threshold for r, p in zip(rows, probs, strict=True)]
    return (len(rows), sum(r.wrong and not r.asked for r in rows),
            sum(r.wrong and not r.asked and not a for r, a in zip(rows, asks, strict=True)),
            sum(not r.wrong and r.asked for r in rows),
            sum(not r.wrong and (r.asked or a) for r, a in zip(rows, asks, strict=True)))


def _inner(rows: list[Row], parts: list[str], c: float) -> tuple[list[Row], list[float]]:
    """Out-of-part predictions for the fresh `parts`, each scored by a model trained without it."""
    scored, probs = [], []
    for part in parts:
        model = train([r for r in rows if r.part != part], c)
        held = [r for r in rows if r.part == part]
        scored += held
        probs += probabilities(model, held)
    return scored, probs


def choose_threshold(pooled: list[tuple[list[Row], list[float]]]) -> float:
    """The highest threshold at which the inner predictions leave, on average over the parts they score (each part
    a different set of provinces' writing, weighed alike), at most TARGET of the directives wrong without a question."""
    shares = []
    for rows, probs in pooled:
        for part in sorted({r.part for r in rows}):
            mine = [(r, p) for r, p in zip(rows, probs, strict=True) if r.part == part]
            shares.append(([r for r, _ in mine], [p for _, p in mine]))
    for step in range(99, 0, -1):
        t = step / 100
        if sum(figures(r, p, t)[2] / len(r) for r, p in shares) <= TARGET * len(shares):
            return t
    return 0.01


# The features the sentence model gives (bot/parsing/background.py): each comes from a model scikit-learn trains while
# the rows are built, whose weights another scikit-learn or BLAS moves in the sixth decimal; the digest leaves them out
# (the weights compared to a retraining, with a tolerance, still cover them).
_LEARNED = frozenset(k for k, name in enumerate(doubt.FEATURES) if name.startswith("instruction_"))


def digest(rows: list[Row]) -> str:
    """The SHA-256 of what the model is trained on (each askable draft's part, label and features but the sentence
    model's), recorded in the model file: a parser or corpus change that moves them makes the packaged model stale,
    which the tests see."""
    data = [[r.part, int(r.wrong), [round(v, 9) for k, v in enumerate(r.x) if k not in _LEARNED]]
            for r in rows if r.askable]
    return hashlib.sha256(json.dumps(data, separators=(",", ":")).encode()).hexdigest()


def spec(model: Any, threshold: float, sha256: str = "", c: float | None = None) -> dict[str, Any]:
    scaler, regression = model.steps[0][1], model.steps[-1][1]
    return {"format": 1, "sha256": sha256, "C": c if c is not None else regression.C, "features": list(doubt.FEATURES),
            "mean": [round(float(v), 10) for v in scaler.mean_],
            "scale": [round(float(v), 10) for v in scaler.scale_],
            "coef": [round(float(v), 10) for v in regression.coef_[0]],
            "intercept": round(float(regression.intercept_[0]), 10), "threshold": threshold}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write bot/parsing/data/doubt_model.json")
    args = parser.parse_args()
    start = time.perf_counter()
    rows = corpus_rows()
    parsed = time.perf_counter() - start
    askable = [r for r in rows if r.askable]
    print(f"{len(rows)} directives read ({sum(r.wrong for r in rows)} wrong) from "
          f"{len({(r.part, r.case) for r in rows})} messages in {parsed:.1f} s; the check may ask about {len(askable)} "
          f"({sum(r.wrong for r in askable)} wrong)")
    tried: list[tuple[int, float, float]] = []
    for c in CS:
        inner = [_inner([r for r in rows if r.part != part], [p for p in PARTS if p != part], c) for part in PARTS]
        t = choose_threshold(inner)
        asked = sum(figures(r, p, t)[4] for r, p in inner)
        print(f"C {c}: threshold {t:.2f}, right directives asked in the inner predictions {asked}")
        tried.append((asked, c, t))
    fewest = min(asked for asked, _, _ in tried)
    # the most regularised C (CS ascends) within C_SLACK of the fewest asked: within that the figures are noise, and the
    # simpler model's threshold does not jump between builds when a few drafts change
    _, c, threshold = next(row for row in tried if row[0] <= fewest * (1 + C_SLACK))
    held: dict[str, tuple[list[Row], list[float]]] = {}
    for part in PARTS:
        test = [r for r in rows if r.part == part]
        held[part] = (test, probabilities(train([r for r in rows if r.part != part], c), test))
    print(f"\nC {c}, threshold {threshold:.2f}: the highest at which the folds' inner leave-one-part-out predictions on "
          f"their training parts leave on average ≤ {TARGET:.0%} of a part's directives wrong without a question")
    print("\nleave one part out (trained on the other fresh parts + real + shared):")
    print(f"{'held out':<8} {'read':>5}  {'wrong, no question':>22}  {'right, asked':>22}")
    total = [0, 0, 0, 0, 0]
    for part in PARTS:
        f = figures(*held[part], threshold)
        total = [a + b for a, b in zip(total, f, strict=True)]
        print(f"{part:<8} {f[0]:>5}  {f[1]:>3} ({f[1] / f[0]:4.0%}) → {f[2]:>3} ({f[2] / f[0]:4.0%})"
              f"  {f[3]:>3} ({f[3] / f[0]:4.0%}) → {f[4]:>3} ({f[4] / f[0]:4.0%})")
    a = total
    print(f"{'all':<8} {a[0]:>5}  {a[1]:>3} ({a[1] / a[0]:4.0%}) → {a[2]:>3} ({a[2] / a[0]:4.0%})"
          f"  {a[3]:>3} ({a[3] / a[0]:4.0%}) → {a[4]:>3} ({a[4] / a[0]:4.0%})")
    print(f"\nthe trade-off, held-out predictions of the {len(PARTS)} folds pooled (wrong without a question, right asked):")
    all_rows = [r for part in PARTS for r in held[part][0]]
    all_probs = [p for part in PARTS for p in held[part][1]]
    for t in sorted({*CURVE, threshold}):
        f = figures(all_rows, all_probs, t)
        worst = max(figures(*held[part], t)[2] / figures(*held[part], t)[0] for part in PARTS)
        print(f"  {t:.2f}: {f[2]:>3}/{f[0]} ({f[2] / f[0]:4.1%}; worst part {worst:4.1%}), "
              f"right asked {f[4]}/{f[0]} ({f[4] / f[0]:4.1%})")
    if args.write:
        model = train(rows, c)
        doubt.MODEL.write_text(json.dumps(spec(model, threshold, digest(rows), c), indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {doubt.MODEL.name}: trained on all {len(askable)} askable drafts, threshold {threshold:.2f}")
        regression = model.steps[-1][1]
        weights = sorted(zip(doubt.FEATURES, regression.coef_[0], strict=True), key=lambda fw: -abs(fw[1]))
        print("largest weights: " + ", ".join(f"{name} {w:+.2f}" for name, w in weights[:10]))


if __name__ == "__main__":
    main()
