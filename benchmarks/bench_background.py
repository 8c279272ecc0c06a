"""The instruction-or-background sentence model (bot/parsing/background.py): build it from the development
corpora and print its cross-validated accuracy.

Run: python benchmarks/bench_background.py [--write]. With --write, bot/parsing/data/instruction_sentences.tsv
is written anew from ../shared/corpus/directives-dev.jsonl, tests/corpus/real and tests/corpus/fresh/dev.jsonl
(never the fresh corpus's held-out parts), and the model is trained on it with scikit-learn and written to
bot/parsing/data/instruction_model.json, which the bot scores with in plain Python. Folds are by message, so a
message's sentences are never both trained on and scored. Needs the test extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.parsing import background  # noqa: E402
from bot.parsing.normalise import Analysed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# The fresh corpus's development parts (dev, and test to test15, whose failures have been read and worked on; never a
# part still held out): the same as benchmarks/bench_doubt.py's PARTS.
FRESH_PARTS = ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11",
               "test12", "test13", "test14", "test15")
SOURCES = (ROOT.parent / "shared" / "corpus" / "directives-dev.jsonl",
           ROOT / "tests" / "corpus" / "real" / "directives-real.jsonl",
           *(ROOT / "tests" / "corpus" / "fresh" / f"{part}.jsonl" for part in FRESH_PARTS))


def corpus_rows() -> list[tuple[int, str, str]]:
    rows: list[tuple[int, str, str]] = []
    for path in SOURCES:
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows.extend(background.labelled_sentences(cases, Analysed.of))
    return rows


def render(rows: list[tuple[int, str, str]]) -> str:
    return "".join(f"{label}\t{ident}\t{sentence}\n" for label, ident, sentence in rows)


def model_file(rows: list[tuple[int, str, str]], digest: str) -> str:
    """The model file that `rows` (the training file's, whose SHA-256 is `digest`) give."""
    return background.render_model(background.model_spec(background.train(rows), len(rows), digest))


def cross_validate(rows: list[tuple[int, str, str]], folds: int = 5) -> tuple[float, float, float]:
    """Accuracy, and recall of each class at the threshold, over `folds` folds by message."""
    ids = sorted({ident for _, ident, _ in rows})
    right = seen = tp = pos = tn = neg = 0
    for k in range(folds):
        out = {ident for n, ident in enumerate(ids) if n % folds == k}
        model = background.train([r for r in rows if r[1] not in out])
        test = [r for r in rows if r[1] in out]
        probs = model.predict_proba([background.features_text(s) for _, _, s in test])[:, 1]
        for (label, _, _), p in zip(test, probs, strict=True):
            said = int(p >= background.THRESHOLD)
            seen += 1
            right += said == label
            pos += label
            tp += label and said
            neg += not label
            tn += not label and not said
    return right / seen, tp / max(pos, 1), tn / max(neg, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite the training file from the corpora and the model file from it")
    args = parser.parse_args()
    rows = corpus_rows()
    if args.write:
        background.DATA.parent.mkdir(parents=True, exist_ok=True)
        background.DATA.write_text(render(rows), encoding="utf-8")
    start = time.perf_counter()
    model = model_file(background.read_rows(), background.data_digest())
    trained = (time.perf_counter() - start) * 1000
    if args.write:
        background.MODEL.write_text(model, encoding="utf-8")
        print(f"wrote {background.MODEL.name}: {len(model.encode()) / 1024:.0f} KiB")
    accuracy, instruction, other = cross_validate(rows)
    print(f"{len(rows)} sentences ({sum(r[0] for r in rows)} instructions) from {len({r[1] for r in rows})} messages; "
          f"training {trained:.0f} ms")
    print(f"5-fold by message, threshold {background.THRESHOLD}: accuracy {accuracy:.1%}, "
          f"instructions kept {instruction:.1%}, other sentences caught {other:.1%}")


if __name__ == "__main__":
    main()
