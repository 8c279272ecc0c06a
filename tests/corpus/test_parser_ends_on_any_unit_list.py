"""Every message of every corpus, read against every unit list the project has (the shared sample province,
the merged province of 2025, the real-text and the fresh corpora's lists), comes back with an answer.

Each corpus is scored against its own list; a text read against another province's units takes paths its
own list never reaches. One did not end: «yêu cầu, khi … thì …» followed by no unit went back to the same
verb for ever (fresh dev f057 against the shared list), which in the bot would have held its event loop.
The reading runs in a child process, so a parser that never ends fails this test (after a generous
watchdog) instead of hanging the suite; nothing here measures speed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
HERE = Path(__file__).resolve().parent
# Generous: the whole reading takes well under a minute on a loaded two-core machine. Only a parser that
# does not end comes near it.
WATCHDOG_SECONDS = int(os.environ.get("PARSER_WATCHDOG", "900"))

SCRIPT = r"""
import json, sys
from datetime import datetime
from pathlib import Path
from bot.domain.calendar import WorkingCalendar
from bot.parsing import UnitIndex, load_units_from_csv_files, parse_message

lists, corpora = json.loads(sys.argv[1]), json.loads(sys.argv[2])
calendar = WorkingCalendar()
texts = []
for path in corpora:
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            texts.append((case.get("id", "?"), case["text"], case.get("sent_at") or "2026-03-02T09:00:00"))
read = 0
for units, groups in lists:
    index = UnitIndex(*load_units_from_csv_files(units, groups))
    for ident, text, sent in texts:
        print(ident, units, flush=True, file=sys.stderr)
        parse_message(text, at=datetime.fromisoformat(sent), calendar=calendar, index=index)
        read += 1
print(read)
"""


def _lists() -> list[tuple[str, str]]:
    pairs = [(SHARED / "data" / "units.csv", SHARED / "data" / "groups.csv"),
             (SHARED / "data" / "province-2025" / "units.csv", SHARED / "data" / "province-2025" / "groups.csv"),
             (HERE / "real" / "units.csv", HERE / "real" / "groups.csv"),
             (HERE / "fresh" / "units.csv", HERE / "fresh" / "groups.csv")]
    return [(str(u), str(g) if g.is_file() else None) for u, g in pairs if u.is_file()]  # type: ignore[misc]


def _corpora() -> list[str]:
    paths = [SHARED / "corpus" / "directives-dev.jsonl", SHARED / "corpus" / "queries-dev.jsonl",
             HERE / "real" / "directives-real.jsonl",
             *sorted((HERE / "fresh").glob("*.jsonl"))]
    return [str(p) for p in paths if p.is_file()]


def test_every_corpus_message_is_read_to_the_end_against_every_unit_list() -> None:
    if not (SHARED / "data" / "units.csv").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared data is missing at {SHARED}")
        pytest.skip(f"the shared data is not checked out at {SHARED}")
    lists, corpora = _lists(), _corpora()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    try:
        done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(lists), json.dumps(corpora)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=WATCHDOG_SECONDS)
    except subprocess.TimeoutExpired as stuck:
        progress = (stuck.stderr or b"").decode() if isinstance(stuck.stderr, bytes) else stuck.stderr or ""
        pytest.fail(f"the parser did not end on: {progress.strip().splitlines()[-1:]}")
    assert done.returncode == 0, done.stderr[-3000:]
    texts = sum(1 for p in corpora for line in Path(p).read_text(encoding="utf-8").splitlines() if line.strip())
    assert int(done.stdout.strip()) == texts * len(lists) and len(lists) >= 3
