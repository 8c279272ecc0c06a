"""The shared development corpus, the project's real-text corpus (tests/corpus/real) and the fresh corpus
(tests/corpus/fresh), run end to end through parse_message and to_corpus_json.

Every expected field is compared; the per-field accuracy is printed (run with -s to see it). The shared
corpus must come out entirely right, the real-text one at least 95 % exactly right. Of the fresh corpus, the
development part is scored here against a floor (a regression fails); the parts collected to be held out (test;
test2, collected after test had been scored once; test3, after test2 had been scored too; test4, when the fifth
round of issue 25 took the other three as development data; test5, when the sixth took test4 too; test6, when the
seventh took test5; test7, when the eighth took test6; test8 and test9, when the ninth took test7; test10, collected
in the ninth round after test9) are scored only when
SCORE_FRESH_TEST=1 is set or in CI (CI=true),
each reported separately, printing its per-field table but never its failures, and held to a floor at its last measured
score, so CI fails when any regresses. Since the fifth round, test, test2 and test3 are development data (their
failures were read and worked on); since the sixth, test4 is too, since the seventh test5, since the eighth test6,
since the ninth test7, since the tenth test8 and test9, since the eleventh test10, since the twelfth test11, since the
thirteenth test12, since the fourteenth test13, since the fifteenth test14, since the sixteenth test15; test16 was scored
once at the sixteenth round's end (its failures not read), and test17 is kept unscored here for the next. Besides exactness, the fresh score prints the share of directives that are wrong
(an invented task, a wrong lead or deadline) without a question in the draft: those the preview does not flag.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.parsing import UnitIndex, load_units_from_csv_files, parse_message, to_corpus_json

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"
REAL = Path(__file__).resolve().parent / "real"
FRESH = Path(__file__).resolve().parent / "fresh"
REQUIRED_EXACT = 0.95
# The fresh development part: floors at what the parser reached on it (issue 25), so a regression fails;
# raise them as the parser improves.
REQUIRED_FRESH_DEV_EXACT = 137 / 151  # twelfth round of issue 25 (136/151 after the tenth and eleventh) (135/151 after the fifth to ninth, 134/151 before the fifth, 133/151 after the fourth, 122/151 after the third)
# At most this share of directives wrong without a question, with the learned doubt check (bot/parsing/doubt.py), which is
# trained on every fresh development part, so this figure is in-sample; its honest figure, the part left out of the
# training, is benchmarks/bench_doubt.py's. Without the check: 2/221 after the fifth and sixth rounds, 3/222 after the
# fourth, 16/224, 27/227 before.
# 1/221 since the twelfth round: f200, whose announcement the rules now drop as the letter's summary, aligns its one draft
# read with the wrong label (0/221 after the eighth to eleventh rounds)
# 0/220 since the fourteenth round (the doubt check retrained with test13; one draft fewer read)
REQUIRED_FRESH_DEV_UNFLAGGED = 0 / 220


def _shared_or_skip() -> None:
    if CORPUS.is_dir():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    pytest.skip(f"the shared corpus is not checked out at {CORPUS}")


def _cases(name: str, folder: Path = CORPUS) -> list[dict[str, Any]]:
    path = folder / name
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    _shared_or_skip()
    units, groups = load_units_from_csv_files(SHARED / "data" / "units.csv", SHARED / "data" / "groups.csv")
    return UnitIndex(units, groups)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _directive_fields(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, bool]:
    fields = {
        "lead": got["lead"] == expected["lead"],
        "support": got["support"] == expected["support"],
        "content_has": all(_nfc(p) in _nfc(got["content"]) for p in expected["content_has"]),
        "unresolved": got["unresolved"] == expected.get("unresolved", []),
        "recurrence": got["recurrence"] == expected.get("recurrence"),
    }
    if expected["deadline"] != "*":
        fields["deadline"] = got["deadline"] == expected["deadline"]
    return fields


def _compare(case: dict[str, Any], got: dict[str, Any]) -> dict[str, bool]:
    if "query" in case:
        want, have = case["query"], got.get("query")
        if have is None:
            return {"kind": False}
        fields = {"kind": True, **{k: have.get(k) == want[k] for k in ("intent", "unit", "period")}}
        if "text" in want:
            fields["text"] = _nfc(have.get("text") or "") == _nfc(want["text"])
        return fields
    have_list = got.get("directives")
    if have_list is None and not case["directives"]:
        return {"kind": True, "count": True}  # a text that assigns nothing, understood as such
    if have_list is None:
        return {"kind": False}
    fields: dict[str, bool] = {"kind": True, "count": len(have_list) == len(case["directives"])}
    for want, have in zip(case["directives"], have_list, strict=False):
        for name, ok in _directive_fields(want, have).items():
            fields[name] = fields.get(name, True) and ok
    return fields


def test_the_development_corpus_is_understood_entirely(index: UnitIndex) -> None:
    exact, failures = _score(_cases("directives-dev.jsonl") + _cases("queries-dev.jsonl"), index, "shared")
    assert exact == 1.0, "\n".join(failures)


def test_real_directives_from_many_provinces_are_understood() -> None:
    units, groups = load_units_from_csv_files(REAL / "units.csv", REAL / "groups.csv")
    cases = _cases("directives-real.jsonl", REAL)
    assert len(cases) >= 80
    exact, failures = _score(cases, UnitIndex(units, groups), "real")
    assert exact >= REQUIRED_EXACT, "\n".join(failures)


def _fresh(part: str) -> tuple[float, float]:
    units, groups = load_units_from_csv_files(FRESH / "units.csv", FRESH / "groups.csv")
    cases = _cases(f"{part}.jsonl", FRESH)
    assert cases, f"the fresh corpus has no {part} part"
    index = UnitIndex(units, groups)
    # the held-out parts print their per-field table only: their failures are not to be read while building
    exact, _ = _score(cases, index, f"fresh {part}", show_failures=part == "dev")
    return exact, _unflagged(cases, index)


def _unflagged(cases: list[dict[str, Any]], index: UnitIndex) -> float:
    """The share of directives read that are wrong (invented, or a lead or deadline not the expected one)
    while the draft asks nothing."""
    calendar, read, unflagged, asked = WorkingCalendar(), 0, 0, 0
    for case in cases:
        got = to_corpus_json(parse_message(case["text"], at=datetime.fromisoformat(case["sent_at"]),
                                           calendar=calendar, index=index))
        for n, have in enumerate(got.get("directives", [])):
            read += 1
            want = case["directives"][n] if n < len(case["directives"]) else None
            wrong = want is None or have["lead"] != want["lead"] or (
                want["deadline"] != "*" and have["deadline"] != want["deadline"])
            unflagged += wrong and not have.get("problems")
            asked += not wrong and bool(have.get("problems"))
    share = unflagged / read if read else 0.0
    print(f"  wrong without a question: {unflagged}/{read} directives ({share:.0%}); right but asked: {asked}")
    return share


def test_the_fresh_development_part_does_not_regress() -> None:
    exact, unflagged = _fresh("dev")
    assert exact >= REQUIRED_FRESH_DEV_EXACT
    assert unflagged <= REQUIRED_FRESH_DEV_UNFLAGGED


# The held-out parts: floors at the scores last measured (README of the corpus), so a regression fails.
# Measured at the end of the third round of issue 25 (after the second: test 44/101 and 32/138, test2 19/61 and 27/90;
# test had been measured once before that at 38 % / 32 %).
# test3 was first scored before the third round's parser changes were merged (17/54, 36/100) and once after
# them (17/54, 31/99).
# After the fourth round ("ask, don't guess", scored once at its end): test 52/101 and 23/143, test2 21/61 and 18/93,
# test3 17/54 and 31/99.
# The fifth round used test, test2 and test3 as development data (their failures were read and worked on; they are no
# longer held out, a fourth held-out part is collected apart): test 66/101 and 4/128, test2 27/61 and 9/87,
# test3 25/54 and 8/91.
# test4 (collected this round without running the parser on it, after test, test2 and test3 had become
# development data for the fifth round) was scored once, at the round's end: 12/42 and 16/86.
# The sixth round used test4 as development data too (its failures were read and worked on, with those of the other
# parts; a fifth held-out part is collected apart): test 68/101 and 4/127, test2 31/61 and 6/86, test3 26/54 and 6/93,
# test4 25/42 and 5/82 (test4's share of directives wrong without a question was 16/86 before it, test's 4/128: the same
# four directives among one fewer read): the parser alone. None of these four parts is held out any more; the floors
# guard regressions.
# With the learned doubt check rebuilt on the sixth round's parser (in-sample; bench_doubt.py prints each part left
# out of the training): test 3/127, test2 4/87, test3 5/93, test4 2/82 (left out: 3, 5, 6 and 4).
# test5 (collected in the sixth round without running the parser on it, by a collector who never saw the parser's work)
# was scored once, after the sixth round and the doubt check were merged: 14/41 messages exactly right, 5/64
# directives wrong without a question (6/64 without the doubt check), 21 right directives asked.
# The seventh round used test5 as development data too (its failures were read and worked on, with those of the other
# parts; a sixth held-out part is collected elsewhere): none of the five parts after dev is held out any more, the floors
# guard regressions. With the doubt check rebuilt on the seventh round's parser (in-sample): test 71/101 and 3/127,
# test2 32/61 and 4/88, test3 26/54 and 4/93, test4 25/42 and 2/82, test5 22/41 and 4/65 (the parser alone: 4/127,
# 6/88, 6/93, 5/82 and 4/65; test5 before the round 14/41 and 6/64).
# test6 (collected in the seventh round without running the parser on it, by a collector who never saw the parser's
# work) was scored once, after the seventh round was merged: 8/30 messages exactly right, 7/52 directives wrong without
# a question (9/52 without the doubt check), 10 right directives asked.
# The doubt check then stopped asking about a numbered entry that names its lead first or right after «Giao» (the
# month's simulated notices were asked about every task) and was rebuilt: in-sample dev 1/222, test 1/127, test2 3/88,
# test3 5/93, test4 1/82, test5 4/65; test6 unchanged at 7/52 (11 right directives asked instead of 10).
# The eighth round used test6 as development data too (its failures were read and worked on; a seventh held-out part,
# test7, was collected apart), and the doubt check is now trained on test5 and test6 as well (bench_doubt.py's PARTS):
# After the round's last parser change, with the doubt check rebuilt and asked to leave at most 2.5 % (not 4 %) of a
# training part's directives wrong without a question (held-out parts had run two to three times the figure the parts
# used in building showed), in-sample: dev 135/151 and 0/221, test 71/101 and 1/127, test2 34/61 and 0/89, test3 27/54
# and 2/94, test4 25/42 and 1/82, test5 23/41 and 0/66, test6 10/30 and 1/50 (the parser alone: 1/221, 4/127, 5/89,
# 5/94, 5/82, 3/66, 3/50; test6 before the round 8/30 and 7/52).
# test7 (collected in the eighth round without running the parser on it, by a collector who never saw the parser's
# work) was scored once, after the round was merged: 10/36 messages exactly right, 4/62 directives wrong without a
# question (11/62 without the doubt check), 21 right directives asked.
# The ninth round used test7 as development data too (its failures were read and worked on with those of every other
# part; test8 was collected apart, and test9 after it, kept unscored for the next round). With the doubt check rebuilt
# on the round's parser (trained on dev to test7, at most 2.5 % of a training part's directives wrong without a
# question), in-sample: dev 135/151 and 0/221, test 72/101 and 1/127, test2 40/61 and 0/90, test3 30/54 and 2/88, test4
# 28/42 and 1/81, test5 26/41 and 0/64, test6 15/30 and 1/50, test7 22/36 and 0/63 (the parser alone: 1/221, 4/127,
# 5/90, 6/88, 4/81, 3/64, 4/50, 3/63; test7 before the round 10/36 and 4/62).
# test8 (collected in the ninth round without running the parser on it, by a collector who never saw the parser's
# work) was scored once, after the round and its doubt check were merged: 8/33 messages exactly right, 5/54 directives
# wrong without a question (16/54 without the doubt check), 13 right directives asked.
# Held-out parts had run three to five times the share of directives wrong without a question that the building parts
# showed (test8 9 % against 1.8 % left one part out), so the doubt check now aims at half its former target (1.25 %, not
# 2.5 %, of a training part's directives): in-sample then test 0/127, test2 0/90, test3 1/88, test4 0/81, test5 0/64,
# test6 0/50, test7 0/63 (dev 0/221). test8's floor stays the figure of its one scoring, before that change.
# test9 (collected in the ninth round after test8, without running the parser on it) was scored once, after the doubt
# check's new target: 14/34 messages exactly right, 2/45 directives wrong without a question (6/45 without the doubt
# check), 20 right directives asked.
# The tenth round used test8 and test9 as development data too (their failures were read and worked on with those of
# every other part; test10, collected in the ninth round, kept unscored for its end), and the doubt check is trained on
# them as well. In-sample after the round: dev 136/151 and 0/221, test 79/101 and 0/125, test2 41/61 and 0/90, test3
# 30/54 and 1/88, test4 30/42 and 0/80, test5 27/41 and 0/64, test6 16/30 and 0/50, test7 22/36 and 0/63, test8 16/33
# and 1/50, test9 16/34 and 0/47 (the parser alone: 1/221, 4/125, 5/90, 6/88, 3/80, 3/64, 4/50, 4/63, 11/50, 4/47; test8
# before the round 8/33 and 5/54, test9 14/34 and 2/45).
# The eleventh round used test10 as development data too (its failures were read and worked on with those of every
# other part; test11, collected in the tenth round, kept unscored for its end; test12 collected apart), the sentence
# model (bot/parsing/background.py) learns from every development part, not dev alone, and the doubt check is trained
# on test10 as well. In-sample after the round: dev 136/151 and 0/221, test 80/101 and 0/126, test2 41/61 and 0/91,
# test3 30/54 and 1/89, test4 30/42 and 0/81, test5 27/41 and 0/64, test6 16/30 and 0/50, test7 22/36 and 0/64, test8
# 16/33 and 1/50, test9 16/34 and 1/47 (a draft the rebuilt check no longer asks about), test10 22/34 and 0/41 (before
# the round 11/34 and 1/47).
# The twelfth round used test11 as development data too (three of its labels, which held the deadline phrase inside
# content_has against every other part's convention, corrected), and the sentence model and the doubt check learn from it
# as well. In-sample after the round: dev 137/151 and 1/221, test 81/101 and 0/125, test2 41/61 and 0/91, test3 32/54 and
# 1/88, test4 30/42 and 0/81, test5 28/41 and 0/63, test6 16/30 and 1/49, test7 22/36 and 0/64, test8 16/33 and 1/50,
# test9 16/34 and 1/48, test10 22/34 and 0/43, test11 25/32 and 0/46 (scored once before the round at 16/32 and 0/47).
# The thirteenth round used test12 as development data too, and the sentence model and the doubt check learn from it as
# well. In-sample after the round: dev 137/151 and 1/221, test 81/101 and 0/125, test2 41/61 and 0/91, test3 32/54 and
# 1/88, test4 30/42 and 0/81, test5 28/41 and 0/63, test6 16/30 and 0/49, test7 23/36 and 0/64, test8 16/33 and 1/50,
# test9 16/34 and 1/48, test10 22/34 and 0/43, test11 25/32 and 0/46, test12 18/30 and 0/54 (scored once before the
# round at 13/30 and 0/54).
# The fourteenth round used test13 as development data too; the sentence model and the doubt check learn from it (the
# doubt check, retrained on fourteen parts at its inner-LOPO choice C 0.2 and threshold 0.23, leaves 8/1,073 wrong
# without a question when each part is left out). In-sample after the round: dev 137/151 and 0/220, test 82/101 and
# 0/126, test2 41/61 and 0/91, test3 32/54 and 1/88, test4 30/42 and 0/82, test5 28/41 and 0/63, test6 16/30 and 0/49,
# test7 23/36 and 0/64, test8 16/33 and 1/50, test9 16/34 and 0/48, test10 22/34 and 0/43, test11 26/32 and 0/46, test12
# 19/30 and 0/53, test13 20/30 and 0/50 (scored once before the round at 10/30 and 0/54).
# The fifteenth round used test14 as development data too; the sentence model and the doubt check learn from it (the
# doubt check, retrained on fifteen parts at its inner-LOPO choice C 0.05 and threshold 0.24, leaves 10/1,117 wrong
# without a question when each part is left out). In-sample after the round: dev 137/151 and 0/220, test 84/101 and
# 0/127, test2 41/61 and 0/92, test3 33/54 and 1/87, test4 30/42 and 0/81, test5 28/41 and 0/63, test6 17/30 and 0/49,
# test7 23/36 and 0/64, test8 17/33 and 1/49, test9 16/34 and 0/49, test10 22/34 and 0/43, test11 26/32 and 0/46, test12
# 20/30 and 0/52, test13 23/30 and 0/53, test14 23/30 and 0/42 (scored once before the round at 15/30 and 2/41).
REQUIRED_FRESH_HELD_OUT = {"test": (84 / 101, 0 / 127), "test2": (41 / 61, 0 / 92), "test3": (33 / 54, 1 / 87),
                          "test4": (30 / 42, 0 / 81), "test5": (28 / 41, 0 / 63), "test6": (17 / 30, 0 / 49),
                          "test7": (23 / 36, 0 / 64), "test8": (17 / 33, 1 / 49), "test9": (16 / 34, 0 / 49),
                          "test10": (22 / 34, 0 / 43), "test11": (26 / 32, 0 / 46), "test12": (20 / 30, 0 / 52),
                          "test13": (23 / 30, 0 / 53), "test14": (23 / 30, 0 / 42), "test15": (13 / 28, 1 / 57),
                          "test16": (12 / 30, 1 / 57)}
# test15 (collected during the fourteenth round, without running the parser on it) was scored once, after the fifteenth:
# 8/28 messages exactly right, 2/58 directives wrong without a question (15/58 without the doubt check), 17 right
# directives asked. The sixteenth round (same session) used it as development data: 13/28 and 1/57 in-sample, its floor.
# test16 (30 messages, collected during the fifteenth round) was scored once after the sixteenth: 12/30 exactly right,
# 1/57 wrong without a question (10/57 without the doubt check), 27 right asked; its floor. test17 (25 messages, collected
# during the fifteenth too) is kept unscored for the next round.
# test14 (collected during the thirteenth round, without running the parser on it) was scored once, after the
# fourteenth: 15/30 messages exactly right, 2/41 directives wrong without a question (11/41 without the doubt check), 18
# right directives asked; after the round's review mended the rules (none from test14) and the doubt check was rebuilt
# for them, 15/30 and 1/41 (19 right asked), its floor. test15 (28 messages, collected during the fourteenth) is kept
# unscored for the next round.
# test12 (collected in the eleventh round, without running the parser on it) was scored once, after the twelfth round:
# 13/30 messages exactly right, 0/54 directives wrong without a question (10/54 without the doubt check), 24 right
# directives asked. test13, collected during the twelfth round, was scored once after the thirteenth: 10/30 messages
# exactly right, 0/54 directives wrong without a question (5/54 without the doubt check), 28 right directives asked.
# test10 (collected in the ninth round after test9, without running the parser on it) was scored once, after the tenth
# round: 11/34 messages exactly right, 1/47 directives wrong without a question (12/47 without the doubt check), 13 right
# directives asked.
# test11 (collected in the tenth round, without running the parser on it) was scored once, after the eleventh round:
# 16/32 messages exactly right, 0/47 directives wrong without a question (10/47 without the doubt check), 24 right
# directives asked. test12, collected during the eleventh round, is kept unscored here for the next one.


@pytest.mark.skipif(os.environ.get("SCORE_FRESH_TEST") != "1" and os.environ.get("CI") != "true",
                    reason="the held-out parts are scored at the end of a piece of work, and in CI")
@pytest.mark.parametrize("part", ["test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9",
                                  "test10", "test11", "test12", "test13", "test14", "test15", "test16"])
def test_the_fresh_held_out_parts_as_they_are(part: str) -> None:
    exact, unflagged = _fresh(part)
    print(f"fresh {part} part: {exact:.0%} exactly right, {unflagged:.0%} of directives wrong without a question")
    least_exact, most_unflagged = REQUIRED_FRESH_HELD_OUT[part]
    assert exact >= least_exact
    assert unflagged <= most_unflagged


def _score(cases: list[dict[str, Any]], index: UnitIndex, corpus: str,
           show_failures: bool = True) -> tuple[float, list[str]]:
    calendar = WorkingCalendar()
    assert cases, "the corpus holds no messages"
    right: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    failures: list[str] = []
    for case in cases:
        result = parse_message(case["text"], at=datetime.fromisoformat(case["sent_at"]), calendar=calendar,
                               index=index)
        got = to_corpus_json(result)
        fields = _compare(case, got)
        for field, ok in fields.items():
            seen[field] += 1
            right[field] += ok
        if not all(fields.values()):
            bad = [field for field, ok in fields.items() if not ok]
            failures.append(f"{case['id']}: wrong {bad}: {json.dumps(got, ensure_ascii=False)}")
    exact = (len(cases) - len(failures)) / len(cases)
    print(f"\n{corpus} corpus: {len(cases) - len(failures)}/{len(cases)} messages exactly right ({exact:.0%})")
    for field in seen:
        print(f"  {field:<12} {right[field]}/{seen[field]} ({right[field] / seen[field]:.0%})")
    for line in failures if show_failures else ():
        print("  " + line)
    return exact, failures
