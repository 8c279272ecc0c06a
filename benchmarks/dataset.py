"""A realistic province at scale, bulk-loaded into SQLite or PostgreSQL in minutes.

N directives spread over ten years up to `today`, with the shape a province's tracking really has:
~40 % done (most on time), ~30 % open past their deadline, recent work open in time, some awaiting
confirmation, standing tasks, cancellations, drafts; mostly one lead unit (some two or three) and one or
two support units (~2.25 assignments a directive), the work unevenly shared (the busiest department leads
about one directive in nine, a commune one in a few hundred); ~2.8 events and ~4.7 outbox rows a
directive: the notices and reminders already sent, and the reminders still to come (pending, from the next
working day on: before the deadline, the first overdue ping and the escalation of work in time, the next
overdue ping of work past its deadline); ~120 units (departments and communes), leaders, the office and
one focal point a unit. Contents are folded for search as the services fold them; about one directive in
5,000 names a rare place (RARE_WORD).

The assignment rows carry their directive's state and dates (the read model, storage/read_model.py),
written here directly; if the models copy a column this file does not write, `refresh_all` fills it.

    python benchmarks/dataset.py --directives 1000000 --database sqlite+aiosqlite:///big.sqlite3
    python benchmarks/dataset.py --directives 1000000 --database postgresql+asyncpg://postgres@127.0.0.1:5432/big

The schema is created by the project's migrations; secondary indexes are dropped for the load and every
index of the models is (re)built afterwards (benchmarks/loading.py), then the planner's statistics are
refreshed. As a module: `await load(url, directives=N, today=…)`; `generate(N, today)` yields the rows.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.domain.calendar import WorkingCalendar  # noqa: E402
from bot.domain.reminders import BEFORE, ESCALATION, OVERDUE, Policy, window_open_at  # noqa: E402
from bot.domain.tally import Dates  # noqa: E402
from bot.domain.units import fold  # noqa: E402
from storage.models import NO_DEADLINE  # noqa: E402
from storage.read_model import OPEN_STATES  # noqa: E402
from storage.tallies import signature  # noqa: E402

VERSION = 4  # of the generator: a kept dataset built by another version is built again
TODAY = date(2026, 11, 20)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEARS = 10
DEPARTMENTS = 20
COMMUNES = 100
LEADERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Phương"]
VERBS = ["Rà soát", "Kiểm tra", "Tham mưu", "Báo cáo", "Xây dựng kế hoạch", "Đôn đốc", "Tổng hợp", "Đề xuất"]
OBJECTS = ["các dự án chậm tiến độ", "công tác giải phóng mặt bằng", "tình hình giải ngân vốn đầu tư công",
           "hồ sơ thủ tục hành chính tồn đọng", "công tác phòng chống thiên tai", "chất lượng công trình trường học",
           "việc sắp xếp đơn vị hành chính", "tình hình an toàn thực phẩm"]
PLACES = ["", "", " trên địa bàn tỉnh", " tại các xã vùng cao", " ở khu kinh tế", " dọc tuyến quốc lộ",
          " tại các khu dân cư ven biển", " trong các khu công nghiệp"]
RARE_PLACE, RARE_WORD = " tại hồ chứa nước Ayun Hạ", "ayun"
TEXT = {BEFORE: "remind.before", OVERDUE: "remind.overdue", ESCALATION: "remind.escalation"}
TAIL = ", báo cáo UBND tỉnh kết quả thực hiện"
BATCH = 20_000
TABLES = ("directives", "assignments", "events", "outbox")
UNIT_COUNT = 1 + DEPARTMENTS + COMMUNES
OFFICE_ID, FIRST_LEADER_ID = 1, 2
FIRST_FOCAL_ID = FIRST_LEADER_ID + len(LEADERS)  # the focal point of unit u is person FIRST_FOCAL_ID + u
ADMIN_TELEGRAM_ID, FOCAL_TELEGRAM_BASE = 9000, 100_000  # unit u's focal point: FOCAL_TELEGRAM_BASE + u


@dataclass
class Batch:
    directives: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]
    assignments: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]
    events: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]
    outbox: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]


DIRECTIVE_COLUMNS = ("id", "code", "content", "search_text", "source_number", "source_date", "leader_name",
                     "assigned_by_id", "state", "deadline", "due_on", "original_deadline", "deadline_version",
                     "recurrence", "previous_id", "assigned_on", "reported_on", "completed_on", "cancelled_on",
                     "cancel_reason", "tally", "created_at", "updated_at", "version")
ASSIGNMENT_COLUMNS = ("id", "directive_id", "unit_id", "role", "acknowledged_at", "reported_done_at", "last_report",
                      "last_report_at", "state", "is_open", "due_sort", "due_on", "assigned_on", "reported_on",
                      "completed_on", "cancelled_on")
EVENT_COLUMNS = ("id", "directive_id", "actor_id", "at", "kind", "data")
OUTBOX_COLUMNS = ("id", "key", "directive_id", "address_id", "kind", "deadline_version", "payload", "due_at", "status",
                  "attempts", "lease_until", "claimed_by", "sent_at", "last_error", "uncertain", "created_at")
COLUMNS = dict(zip(TABLES, (DIRECTIVE_COLUMNS, ASSIGNMENT_COLUMNS, EVENT_COLUMNS, OUTBOX_COLUMNS), strict=True))
# Unit weights: department i weighs 20/i (S01 is the busiest), each commune 1.
_UNITS = list(range(2, UNIT_COUNT + 1))
_CUMULATIVE: list[float] = []
for _unit in _UNITS:
    _CUMULATIVE.append((_CUMULATIVE[-1] if _CUMULATIVE else 0.0)
                       + (DEPARTMENTS / (_unit - 1) if _unit <= 1 + DEPARTMENTS else 1.0))


def _at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _pick_units(rng: random.Random, count: int) -> list[int]:
    """`count` distinct units, drawn by weight."""
    chosen: list[int] = []
    total = _CUMULATIVE[-1]
    while len(chosen) < count:
        unit = _UNITS[bisect.bisect(_CUMULATIVE, rng.random() * total)]
        if unit not in chosen:
            chosen.append(unit)
    return chosen


def claim_moment(today: date) -> datetime:
    """When the most reminders are due: the next working day's morning, after the send window opened."""
    day = WorkingCalendar().add_working_days(today, 1)
    return datetime(day.year, day.month, day.day, 9, tzinfo=TZ).astimezone(UTC)


def generate(directives: int, today: date = TODAY, seed: int = 7, *,  # noqa: C901, PLR0912, PLR0915
             day: Callable[[date], object] = lambda d: d,
             stamp: Callable[[datetime], object] = lambda t: t) -> Iterator[Batch]:
    """The rows, in batches. Ids are assigned here, so every table can be loaded with plain inserts.
    `day` and `stamp` turn dates and UTC datetimes into what the loader binds (identity for asyncpg)."""
    rng = random.Random(seed)
    calendar = WorkingCalendar()
    policy = Policy()
    first_day = today - timedelta(days=365 * YEARS)
    span = (today - first_day).days
    due_of = lru_cache(None)(calendar.next_working_day)
    plus = lru_cache(None)(calendar.add_working_days)
    opens = lru_cache(None)(lambda d: stamp(window_open_at(d, policy, TZ)))
    stamp_at = lru_cache(None)(lambda d, hour=2: stamp(_at(d, hour)))
    day_of = lru_cache(None)(lambda d: None if d is None else day(d))
    next_pings = (plus(today, 1), plus(today, 2))
    folded_verbs, folded_objects = [fold(v) for v in VERBS], [fold(o) for o in OBJECTS]
    folded_places, folded_tail = [f" {fold(p)}" if p else "" for p in PLACES], fold(TAIL)
    events_data = {s: f'{{"after": {{"state": "{s}"}}}}' for s in
                   ("draft", "assigned", "in_progress", "awaiting_confirmation", "done", "cancelled")}
    assignment_id = event_id = outbox_id = 0
    batch = Batch()
    for did in range(1, directives + 1):
        if len(batch.directives) == BATCH:
            yield batch
            batch = Batch()
        # Assignment days grow a little towards today (more work is followed every year).
        assigned = first_day + timedelta(days=int(span * rng.random() ** 0.8))
        roll = rng.random()
        first_deadline = assigned + timedelta(days=rng.choice((7, 10, 15, 20, 30, 45, 60, 90)))
        deadline: date | None = first_deadline
        original = deadline
        state, completed, reported, cancelled = "assigned", None, None, None
        assigned_on: date | None = assigned
        if roll < 0.03:
            state, assigned_on = "draft", None
        elif roll < 0.43:  # done: most on time, some late (still open when that day is after today)
            late = rng.random() < 0.25
            end = first_deadline + timedelta(days=rng.randint(1, 40)) if late else \
                assigned + timedelta(days=rng.randint(1, max((first_deadline - assigned).days, 1)))
            if end < today:
                state, completed, reported = "done", end, end
        elif roll < 0.48:
            deadline = original = None  # standing task
            state = "in_progress"
        elif roll < 0.53:
            cancelled = min(assigned + timedelta(days=rng.randint(1, 60)), today)
            state = "cancelled"
        elif roll < 0.56:
            reported = min(assigned + timedelta(days=rng.randint(1, 30)), today)
            state = "awaiting_confirmation"
        else:
            state = rng.choice(("assigned", "in_progress"))
            if roll >= 0.86 and deadline is not None and deadline < today:  # open in time: extended
                deadline = today + timedelta(days=rng.randint(1, 90))
        due = due_of(deadline) if deadline is not None else None
        version = 1 if original == deadline else 2
        year = assigned.year
        code = f"CD-{year}-{did:07d}"
        verb, obj, place = rng.randrange(len(VERBS)), rng.randrange(len(OBJECTS)), rng.randrange(len(PLACES))
        rare = rng.random() < 1 / 5000
        content = (f"{VERBS[verb]} {OBJECTS[obj]}{PLACES[place]}{RARE_PLACE if rare else ''}{TAIL} "
                   f"(đợt {did})")
        source = f"{rng.randint(1, 999)}/TB-UBND"
        search = (f"{code.lower()} {folded_verbs[verb]} {folded_objects[obj]}{folded_places[place]}"
                  f"{' ' + fold(RARE_PLACE) if rare else ''}{folded_tail} (dot {did}) {source.lower()}")
        created = stamp_at(assigned)
        leader = rng.choice(LEADERS) if rng.random() < 0.8 else None
        dates = (day_of(due), day_of(assigned_on), day_of(reported), day_of(completed), day_of(cancelled))
        by = FIRST_LEADER_ID + rng.randrange(len(LEADERS))
        leads = 1 if rng.random() < 0.9 else rng.choice((2, 2, 2, 3))
        supports = rng.choice((0, 0, 1, 1, 1, 2, 3))
        units = _pick_units(rng, leads + supports)
        marks = signature(Dates(assigned_on, due, reported, completed, cancelled),
                          [(u, "lead" if n < leads else "support") for n, u in enumerate(units)], (leader, by))
        batch.directives.append((
            did, code, content, search, source, day(assigned), leader, by, state, day_of(deadline), dates[0],
            day_of(original), version, None, None, *dates[1:], "Không còn phù hợp" if cancelled else None,
            json.dumps(marks) if marks else None, created, created, 1,
        ))
        is_open, due_sort = state in OPEN_STATES, day_of(due or NO_DEADLINE)
        for n, unit in enumerate(units):
            assignment_id += 1
            done_at = stamp_at(reported, 3) if reported and n < leads else None
            batch.assignments.append((assignment_id, did, unit, "lead" if n < leads else "support",
                                      created if state != "draft" else None, done_at, None, None,
                                      state, is_open, due_sort, *dates))
        kinds = ["drafted"] if state == "draft" else ["assigned", "acknowledged"]
        if reported:
            kinds.append("done_reported")
        if completed:
            kinds.append("confirmed")
        if cancelled:
            kinds.append("cancelled")
        for kind in kinds:
            event_id += 1
            batch.events.append((event_id, did, OFFICE_ID, created, kind, events_data[state]))
        if state == "draft":
            continue
        chat = FIRST_FOCAL_ID + units[0]  # the focal point's address has the person's id
        shown = f'"{deadline.isoformat()}"' if deadline else "null"
        params = f'"params": {{"code": "{code}", "content": "{content}", "deadline": {shown}, "units": "{units[0]}"'

        outbox_id += 1
        batch.outbox.append((outbox_id, f"notify:{did}:@{chat}:assigned", did, chat, "notify", version,
                             f'{{"text": "notify.assigned", {params}}}}}', created, "sent", 1, None, "bench",
                             created, None, False, created))
        for step in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):  # reminders sent in the past
            kind = rng.choice((BEFORE, BEFORE, OVERDUE))
            sent = stamp_at(min(assigned + timedelta(days=3 + 5 * step), today))
            outbox_id += 1
            batch.outbox.append((outbox_id, f"{kind}:{did}:@{chat}:v{version}:{100 + step}", did, chat, kind,
                                 version, f'{{"text": "{TEXT[kind]}", "code": "{code}", {params}, "step": {step}}}}}',
                                 sent, "sent", 1, None, "bench", sent, None, False, sent))
        if state not in ("assigned", "in_progress") or due is None:
            continue
        if due < today:  # overdue: the next ping, on one of the next two working days
            pending = [(OVERDUE, 2, next_pings[did % 2], chat)]
        else:
            pending = [(BEFORE, k, plus(due, -k), chat) for k in policy.before if plus(due, -k) > today]
            pending += [(OVERDUE, 1, plus(due, 1), chat),
                        (ESCALATION, policy.escalate_after, plus(due, policy.escalate_after),
                         FIRST_LEADER_ID + rng.randrange(len(LEADERS)))]
        for kind, step, when, to in pending:
            outbox_id += 1
            batch.outbox.append((outbox_id, f"{kind}:{did}:@{to}:v{version}:{step}", did, to, kind, version,
                                 f'{{"text": "{TEXT[kind]}", "code": "{code}", {params}, "step": {step}}}}}',
                                 opens(when), "pending", 0, None, None, None, None, False, created))
    if batch.directives:
        yield batch


def reference_rows(today: date) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """Units, people (the office's admin, leaders, one focal point a unit) and their private chats' addresses
    (each with its person's id)."""
    created = _at(today - timedelta(days=365 * YEARS))
    units = [(1, "VP", "Văn phòng UBND tỉnh", "office", "[]", True)]
    units += [(1 + i, f"S{i:02d}", f"Sở số {i}", "department", "[]", True) for i in range(1, DEPARTMENTS + 1)]
    units += [(1 + DEPARTMENTS + i, f"X{i:03d}", f"UBND xã số {i}", "commune", "[]", True)
              for i in range(1, COMMUNES + 1)]
    people: list[tuple[Any, ...]] = [
        (OFFICE_ID, ADMIN_TELEGRAM_ID, "Chuyên viên Văn phòng", None, "admin", 1, "vi", True, created)]
    people += [(FIRST_LEADER_ID + i, ADMIN_TELEGRAM_ID + 1 + i, name, None, "leader", None, "vi", True, created)
               for i, name in enumerate(LEADERS)]
    people += [(FIRST_FOCAL_ID + u, FOCAL_TELEGRAM_BASE + u, f"Đầu mối đơn vị {u}", None, "focal", u, "vi", True,
                created) for u in range(2, UNIT_COUNT + 1)]
    return {
        "units": units,
        "people": people,
        "addresses": [(p[0], "telegram", str(p[1]), "private", None, None, p[0], True, created) for p in people],
    }


REFERENCE_COLUMNS = {
    "units": ("id", "code", "name", "kind", "aliases", "active"),
    "people": ("id", "telegram_id", "full_name", "username", "role", "unit_id", "language", "active", "created_at"),
    "addresses": ("id", "channel", "external_id", "kind", "title", "unit_id", "person_id", "reachable", "created_at"),
}


async def load(url: str, *, directives: int, today: date = TODAY, quiet: bool = False) -> float:
    """Create the schema at `url` (an empty database) and fill it; the seconds it took."""
    from benchmarks.loading import load_database

    return await load_database(url, directives=directives, today=today, quiet=quiet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--directives", type=int, default=1_000_000)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--today", type=date.fromisoformat, default=TODAY)
    args = parser.parse_args()
    asyncio.run(load(args.database, directives=args.directives, today=args.today))


if __name__ == "__main__":
    main()
