"""The long chat fuzz (issue 24; a script, not part of the test suite): thousands of fuzzed updates through the
real handlers on a real database, SQLite and PostgreSQL, with the material and checks of the CI fuzz
(tests/integration/fuzzing.py): typed text, commands, answers, edits, files (valid, damaged, random bytes),
updates the bot has no handler for, and presses of our own, altered and forged buttons, from every role and a
stranger. The state carries over from update to update, so later updates meet drafts, imports, questions and
flows left open by earlier ones.

Prints, per database: updates sent per category, then the goals: unhandled errors (0; each kind with where it
was raised), presses answered twice or never (0), messages in a private chat left unanswered, invalid HTML,
formula cells in the exported workbooks (0; the province's and three units', checked every 500 updates and at
the end) and writes a role does not allow (0).

    python -m tests.reliability.fuzz_chat [--updates 6000] [--database sqlite|postgres|both] [--seed 24]

PostgreSQL needs TEST_DATABASE_URL (a throw-away database is created on that server and dropped after).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import string
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select  # noqa: E402

from bot.services import units  # noqa: E402
from handlers import scans  # noqa: E402
from storage.models import Event  # noqa: E402
from tests.databases import create_database, drop_database, fresh_database  # noqa: E402
from tests.integration import fuzzing as f  # noqa: E402
from tests.integration.chatbot import APOLOGY, ChatBot  # noqa: E402
from tests.integration.conftest import UNITS_CSV, People, _person  # noqa: E402

CHECK_EVERY = 500
DECIDERS = [who for who, role in f.PEOPLE.items() if role in ("admin", "leader")]
WEIGHTS = {"say": 30, "press": 20, "own": 20, "file": 8, "edit": 12, "other": 10}


class Errors(logging.Handler):
    """Every ERROR logged while the updates are handled (the error handler logs each unhandled one with its
    exception), kept by kind and the line of ours it was raised from."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.kinds: Counter[str] = Counter()
        self.examples: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        where, kind = record.getMessage()[:80], "logged error"
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = [fr for fr in traceback.extract_tb(error.__traceback__) if "/site-packages/" not in fr.filename]
            at = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "library"
            kind = f"{type(error).__name__} at {at}"
            where = f"{type(error).__name__}: {str(error)[:160]}"
        self.kinds[kind] += 1
        self.examples.setdefault(kind, where)


def _text(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.45:
        return rng.choice(f.PHRASES)
    if pick < 0.75:
        return rng.choice(f.COMMANDS)
    alphabet = string.printable + "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ<>&\"'=+-@\t\u200b🎲"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
    return text if text.strip() else "x"


def _callback(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 70)))
    if rng.random() < 0.3:
        return rng.choice(f.FORGED)
    return "|".join([rng.choice(f.ACTIONS), rng.choice(f.CODES), rng.choice(f.VERSIONS), rng.choice(f.ARGS)])


def step(rng: random.Random) -> tuple[str, int, object]:
    kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    who = rng.choice(list(f.PEOPLE))
    if kind == "file" and rng.random() < 0.6:
        who = rng.choice(DECIDERS)  # most files are imports, which only the office and leaders may make
    if kind == "say":
        return kind, who, (_text(rng), rng.random() < 0.2)
    if kind == "press":
        return kind, who, _callback(rng)
    if kind == "own":
        return kind, who, rng.randint(0, 30)
    if kind == "file":
        if rng.random() < 0.6:
            return kind, who, ("", rng.choice(sorted(f.FILES)))
        return kind, who, (rng.choice(f.FILE_NAMES), rng.randbytes(rng.randint(0, 300)))
    if kind == "edit":
        if rng.random() < 0.5:  # a leader rewording the directive they just sent: the edits that change drafts
            return kind, rng.choice(DECIDERS), (-1, rng.choice(f.PHRASES[:2] + f.PHRASES[-len(f.FORMULAS) - 1:]))
        return kind, who, (rng.randint(0, 10), _text(rng))
    return kind, who, rng.choice(f.OTHER)


async def province(rt) -> People:  # noqa: ANN001
    await units.import_units(rt, UNITS_CSV, None, now=f.NOW)
    return People(
        admin=await _person(rt, 1001, "admin", "VP", "Chuyên viên VP"),
        leader=await _person(rt, 1002, "leader", None, "=1+1 Phó Chủ tịch"),
        sxd=await _person(rt, 2001, "focal", "SXD", "Đầu mối Sở XD"),
        stc=await _person(rt, 2002, "focal", "STC", "@Đầu mối Sở TC"),
        syt=await _person(rt, 2003, "focal", "SYT", "Đầu mối Sở YT"),
        ward=await _person(rt, 2004, "focal", "P-THUANHOA", "Đầu mối phường"),
        viewer=await _person(rt, 3001, "viewer", None, "Người xem"),
    )


async def run(url: str, updates: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    rt = await fresh_database(url)
    errors = Errors()
    logging.getLogger().addHandler(errors)
    chat = await ChatBot(rt).start()
    sent: Counter[str] = Counter()
    unanswered: list[str] = []
    formulas: list[tuple[str, str, object]] = []
    start = time.perf_counter()
    try:
        await f.seed(rt, await province(rt))
        for number in range(1, updates + 1):
            current = step(rng)
            sent[current[0]] += 1
            try:
                problem = await f.play(chat, current)
            except Exception as error:  # noqa: BLE001 - what escapes the application itself is counted too
                errors.kinds[f"escaped {type(error).__name__}"] += 1
                errors.examples.setdefault(f"escaped {type(error).__name__}", str(error)[:160])
                problem = None
            if problem:
                unanswered.append(problem)
            if number % CHECK_EVERY == 0 or number == updates:
                formulas += await f.formulas_in_reports(rt, (None, "SXD", "STC", "SYT"))
        await scans.settle()  # the readings of scanned files still running (their errors are counted too)
        wrong = await f.writes_out_of_role(rt)
        async with rt.sessions() as session:
            events = Counter({kind: n for kind, n in await session.execute(
                select(Event.kind, func.count()).group_by(Event.kind))})
    finally:
        logging.getLogger().removeHandler(errors)
        await chat.stop()
        await rt.close()
    apologies = sum(1 for n, p in chat.request.calls if n == "sendMessage" and p.get("text") == APOLOGY)
    return {"seconds": time.perf_counter() - start, "sent": sent, "errors": errors, "apologies": apologies,
            "answers": list(chat.request.answer_problems), "html": list(chat.request.html_problems),
            "unanswered": unanswered, "formulas": formulas, "wrong": wrong, "events": events,
            "api_calls": Counter(n for n, _ in chat.request.calls)}


def report(name: str, r: dict) -> None:  # type: ignore[type-arg]
    errors: Errors = r["errors"]
    print(f"\n== {name}: {sum(r['sent'].values())} updates in {r['seconds']:.0f} s")
    print("   sent: " + ", ".join(f"{k} {v}" for k, v in sorted(r["sent"].items())))
    print("   bot's calls: " + ", ".join(f"{k} {v}" for k, v in r["api_calls"].most_common()))
    print("   events written: " + ", ".join(f"{k} {v}" for k, v in r["events"].most_common()))
    print(f"   unhandled errors (goal 0): {sum(errors.kinds.values())}  (apologies sent: {r['apologies']})")
    for kind, count in errors.kinds.most_common():
        print(f"      {count:5}  {kind}: {errors.examples[kind]}")
    print(f"   presses answered twice or never (goal 0): {len(r['answers'])}  {r['answers'][:3]}")
    print(f"   messages in a private chat left unanswered: {len(r['unanswered'])}  {r['unanswered'][:3]}")
    print(f"   invalid HTML sent: {len(r['html'])}  {r['html'][:3]}")
    print(f"   formula cells in exported workbooks (goal 0): {len(r['formulas'])}  {r['formulas'][:3]}")
    print(f"   writes a role does not allow (goal 0): {len(r['wrong'])}  {r['wrong'][:3]}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--updates", type=int, default=6000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    # Errors reach the counting handler (and, as the root has a handler, are not printed between the figures).
    logging.getLogger().setLevel(logging.ERROR)
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            report("SQLite", await run(f"sqlite+aiosqlite:///{folder}/fuzz.sqlite3", args.updates, args.seed))
    if args.database in ("postgres", "both"):
        admin = os.environ.get("TEST_DATABASE_URL")
        if not admin:
            print("\n== PostgreSQL: skipped, TEST_DATABASE_URL is not set")
            return
        url = await create_database(admin, "dondoc_fuzz")
        try:
            report("PostgreSQL", await run(url, args.updates, args.seed))
        finally:
            await drop_database(admin, url)


if __name__ == "__main__":
    asyncio.run(main())
