"""The fresh real-text corpus (tests/corpus/fresh): its shape, not its score.

Checks that every record has the fields the corpus test needs (and the provenance fields of this corpus), that
every expected unit resolves in the corpus's own unit table, that the split is the fixed one (a page's
messages all fall on the side its address hashes to, so no page is in both parts), that the held-out parts
(test2.jsonl, collected after the first test part had been scored once; test3.jsonl, collected after test2 had been
scored too; test4.jsonl to test8.jsonl, each collected after the one before it had been scored, test9.jsonl,
collected while test8 still waited, test10.jsonl, collected while test8 and test9 still waited, test11.jsonl,
collected while test10 still waited, test12.jsonl, collected while test10 and test11 still waited, test13.jsonl,
collected while test10 to test12 still waited, test14.jsonl, collected while test10 to test13 still waited,
test15.jsonl, collected while test10 to test14 still waited, test16.jsonl, collected while test10 to test15 still
waited, and test17.jsonl, collected while test10 to test16 still waited; test10 to test17 are to be scored once later)
share no page or text
with the parts before them, and that the corpus and each held-out part are as large and as varied as the issue asks
(the per-part checks of test4 to test17 are one parametrised test over a table of each part's own minimums). Scoring
the parser on it is the corpus test's business.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

FRESH = Path(__file__).resolve().parent / "fresh"
REAL = Path(__file__).resolve().parent / "real"
SALT = "don-doc-fresh-2026:"
TEST_SHARE = 0.40

# The issue asks for at least 300 messages from at least 30 provinces with a test part of at least 100.
MIN_MESSAGES = 300
MIN_TEST2_MESSAGES = 60
MIN_TEST3_MESSAGES = 50
MIN_TEST3_PROVINCES = 30
MIN_PROVINCES = 30
MIN_TEST_MESSAGES = 100

# The parts in the order they were collected: a held-out part may share no page or text with any part before it.
ORDER = ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "test11",
         "test12", "test13", "test14", "test15", "test16", "test17")
# Each later held-out part's own minimums: messages, provinces (an absolute number, or "half": at least half as many
# provinces as messages), and messages written after the reorganisation of 1 July 2025.
HELD_OUT: dict[str, tuple[int, int | str, int]] = {
    "test4": (40, 30, 10),
    "test5": (30, 20, 8),
    "test6": (30, "half", 7),
    "test7": (30, "half", 7),
    "test8": (30, "half", 7),
    "test9": (30, "half", 7),
    "test10": (30, "half", 7),
    "test11": (30, "half", 7),
    "test12": (30, "half", 7),
    "test13": (30, "half", 7),
    "test14": (30, "half", 7),
    "test15": (28, "half", 7),
    "test16": (30, "half", 7),
    "test17": (25, "half", 7),
}

GENRES = {"cong-van", "ket-luan", "chi-thi", "ke-hoach", "quyet-dinh", "tin-bai"}
QUESTIONS = {"lead", "unit", "background", "date", "deadline"}
RECORD_KEYS = {"id", "province", "year", "genre", "url", "source", "sent_at", "text", "directives"}
OPTIONAL_RECORD_KEYS = {"note"}
DIRECTIVE_KEYS = {"lead", "support", "deadline", "content_has"}
OPTIONAL_DIRECTIVE_KEYS = {"unresolved", "recurrence", "questions"}
RECURRENCES = {"daily", "weekly", "monthly", "quarterly", "yearly"}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _load(name: str) -> list[dict[str, Any]]:
    path = FRESH / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def parts() -> dict[str, list[dict[str, Any]]]:
    return {"dev": _load("dev.jsonl"), "test": _load("test.jsonl"), "test2": _load("test2.jsonl"),
            "test3": _load("test3.jsonl"), "test4": _load("test4.jsonl"), "test5": _load("test5.jsonl"),
            "test6": _load("test6.jsonl"), "test7": _load("test7.jsonl"),
            "test8": _load("test8.jsonl"), "test9": _load("test9.jsonl"),
            "test10": _load("test10.jsonl"), "test11": _load("test11.jsonl"),
            "test12": _load("test12.jsonl"), "test13": _load("test13.jsonl"),
            "test14": _load("test14.jsonl"), "test15": _load("test15.jsonl"),
            "test16": _load("test16.jsonl"), "test17": _load("test17.jsonl")}


@pytest.fixture(scope="module")
def unit_codes() -> tuple[set[str], set[str]]:
    with (FRESH / "units.csv").open(encoding="utf-8") as f:
        units = {row["code"] for row in csv.DictReader(f)}
    with (FRESH / "groups.csv").open(encoding="utf-8") as f:
        groups = {row["code"] for row in csv.DictReader(f)}
    return units, groups


def _side(url: str) -> str:
    digest = hashlib.sha256((SALT + url).encode("utf-8")).hexdigest()
    return "test" if int(digest[:8], 16) / 2**32 < TEST_SHARE else "dev"


def test_every_record_has_the_corpus_fields(parts: dict[str, list[dict[str, Any]]],
                                             unit_codes: tuple[set[str], set[str]]) -> None:
    units, groups = unit_codes
    ids: set[str] = set()
    for side, records in parts.items():
        for r in records:
            where = f"{side}:{r.get('id')}"
            assert RECORD_KEYS <= set(r) <= RECORD_KEYS | OPTIONAL_RECORD_KEYS, where
            assert r["id"] not in ids, f"{where}: duplicate id"
            ids.add(r["id"])
            assert r["genre"] in GENRES, where
            assert r["url"].startswith(("http://", "https://")), where
            assert r["source"].startswith(r["url"]), where
            sent = datetime.fromisoformat(r["sent_at"])
            assert sent.utcoffset() is not None, where
            assert r["year"] == sent.year and 2011 <= r["year"] <= 2026, where
            assert isinstance(r["text"], str) and r["text"].strip(), where
            assert isinstance(r["directives"], list), where
            for d in r["directives"]:
                assert DIRECTIVE_KEYS <= set(d) <= DIRECTIVE_KEYS | OPTIONAL_DIRECTIVE_KEYS, where
                for code in d["lead"] + d["support"]:
                    known = code[1:] in groups if code.startswith("#") else code in units
                    assert known, f"{where}: unit {code} is not in fresh/units.csv or groups.csv"
                deadline = d["deadline"]
                assert deadline is None or deadline == "*" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", deadline), where
                if deadline not in (None, "*"):
                    datetime.fromisoformat(deadline)
                assert d["content_has"], f"{where}: a directive needs a phrase of its content"
                for phrase in d["content_has"]:
                    assert _nfc(phrase) in _nfc(r["text"]), f"{where}: {phrase!r} is not in the text"
                assert d.get("recurrence") in RECURRENCES | {None}, where
                assert set(d.get("questions", [])) <= QUESTIONS and d.get("questions", ["x"]), where
                assert all(isinstance(name, str) and name for name in d.get("unresolved", [])), where


def test_the_split_is_the_fixed_one_and_no_page_is_in_both_parts(parts: dict[str, list[dict[str, Any]]]) -> None:
    for side in ("dev", "test"):
        for r in parts[side]:
            assert _side(r["url"]) == side, f"{r['id']} ({r['url']}) belongs to {_side(r['url'])}"
    dev_urls = {r["url"] for r in parts["dev"]}
    test_urls = {r["url"] for r in parts["test"]}
    assert not dev_urls & test_urls
    test2_urls = {r["url"] for r in parts["test2"]}
    assert not test2_urls & (dev_urls | test_urls), "test2 is held out: no page of it may be in dev or test"
    test3_urls = {r["url"] for r in parts["test3"]}
    assert not test3_urls & (dev_urls | test_urls | test2_urls), \
        "test3 is held out: no page of it may be in dev, test or test2"
    for held in HELD_OUT:
        earlier = {r["url"] for side in ORDER[:ORDER.index(held)] for r in parts[side]}
        held_urls = {r["url"] for r in parts[held]}
        assert not held_urls & earlier, f"{held} is held out: no page of it may be in a part collected before it"


def test_no_message_repeats_the_older_real_corpus(parts: dict[str, list[dict[str, Any]]]) -> None:
    older = [json.loads(line) for line in (REAL / "directives-real.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    older_urls = {r["source"].split(" ")[0] for r in older}
    older_texts = {_nfc(r["text"]) for r in older}
    every = [r for records in parts.values() for r in records]
    for r in every:
        assert r["url"] not in older_urls, r["id"]
        assert _nfc(r["text"]) not in older_texts, r["id"]
    texts = Counter(_nfc(r["text"]) for r in every)
    assert max(texts.values()) == 1


def test_the_third_held_out_part_shares_no_passage_with_the_others(parts: dict[str, list[dict[str, Any]]]) -> None:
    """test3 is fresh: none of its texts may contain, or be contained in, a text of dev, test, test2 or ../real
    (a passage re-cut from a page already taken would not be held out), and its pages are not the older corpus's."""
    older = [json.loads(line) for line in (REAL / "directives-real.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    others = [_nfc(r["text"]) for side in ("dev", "test", "test2") for r in parts[side]] + \
        [_nfc(r["text"]) for r in older]
    older_urls = {r["source"].split(" ")[0] for r in older}
    for r in parts["test3"]:
        text = _nfc(r["text"])
        clash = [t for t in others if text in t or t in text]
        assert not clash, f"{r['id']}: its text overlaps a text of another part"
        assert r["url"] not in older_urls, r["id"]


@pytest.mark.parametrize("held", sorted(HELD_OUT))
def test_a_later_held_out_part_shares_no_passage_with_the_others(parts: dict[str, list[dict[str, Any]]],
                                                                  held: str) -> None:
    """test4 to test17 are each fresh: none of their texts may contain, or be contained in, a text of a part collected
    before them or of ../real (a passage re-cut from a page already taken would not be held out), and none of their
    pages may be the older corpus's."""
    older = [json.loads(line) for line in (REAL / "directives-real.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    others = [_nfc(r["text"]) for side in ORDER[:ORDER.index(held)] for r in parts[side]] + \
        [_nfc(r["text"]) for r in older]
    older_urls = {r["source"].split(" ")[0] for r in older}
    for r in parts[held]:
        text = _nfc(r["text"])
        clash = [t for t in others if text in t or t in text]
        assert not clash, f"{r['id']}: its text overlaps a text of another part"
        assert r["url"] not in older_urls, r["id"]


@pytest.mark.parametrize("held", sorted(HELD_OUT))
def test_a_later_held_out_part_is_as_large_and_varied_as_asked(parts: dict[str, list[dict[str, Any]]],
                                                                held: str) -> None:
    min_messages, min_provinces, min_after_2025 = HELD_OUT[held]
    records = parts[held]
    provinces = {r["province"] for r in records}
    assert len(records) >= min_messages, held
    if min_provinces == "half":
        assert 2 * len(provinces) >= len(records), f"{held}: fewer provinces than half its messages"
    else:
        assert len(provinces) >= min_provinces, held
    # the interest in texts written after the reorganisation of 1 July 2025 («UBND các xã, phường, đặc khu»)
    assert sum(r["sent_at"] >= "2025-07-01" for r in records) >= min_after_2025, held


def test_the_corpus_does_not_shrink_below_what_was_labelled(parts: dict[str, list[dict[str, Any]]]) -> None:
    records = [r for records in parts.values() for r in records]
    provinces = {r["province"] for r in records}
    print(f"\nfresh corpus: {len(records)} messages ({len(parts['dev'])} dev, {len(parts['test'])} test, "
          f"{len(parts['test2'])} test2, {len(parts['test3'])} test3, {len(parts['test4'])} test4, "
          f"{len(parts['test5'])} test5, {len(parts['test6'])} test6, {len(parts['test7'])} test7, "
          f"{len(parts['test8'])} test8, {len(parts['test9'])} test9, {len(parts['test10'])} test10, "
          f"{len(parts['test11'])} test11, {len(parts['test12'])} test12, {len(parts['test13'])} test13, "
          f"{len(parts['test14'])} test14, {len(parts['test15'])} test15, {len(parts['test16'])} test16, {len(parts['test17'])} test17), "
          f"{len(provinces)} provinces")
    assert len(records) >= MIN_MESSAGES
    assert len(provinces) >= MIN_PROVINCES
    assert len(parts["test"]) >= MIN_TEST_MESSAGES
    assert len(parts["test2"]) >= MIN_TEST2_MESSAGES
    assert len(parts["test3"]) >= MIN_TEST3_MESSAGES
    assert len({r["province"] for r in parts["test3"]}) >= MIN_TEST3_PROVINCES
    # the interest in texts written after the reorganisation of 1 July 2025 («UBND các xã, phường, đặc khu»)
    assert sum(r["sent_at"] >= "2025-07-01" for r in parts["test3"]) >= 10
