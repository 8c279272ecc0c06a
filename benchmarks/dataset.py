"""A realistic province at scale, bulk-loaded into SQLite or PostgreSQL in minutes.

N directives spread over ten years up to `today`, with the shape a province's tracking really has:
~40 % done (most on time), ~30 % open past their deadline, recent work open in time, some awaiting
confirmation, standing tasks, cancellations, drafts; mostly one lead unit (some two or three) and one or
two support units (~2.25 assignments a directive); ~2.6 events and ~4.4 outbox rows a directive;
~120 units (departments and communes), leaders, the office and focal points.

    python benchmarks/dataset.py --directives 1000000 --database sqlite+aiosqlite:///big.sqlite3
    python benchmarks/dataset.py --directives 1000000 --database postgresql+asyncpg://postgres@127.0.0.1:5432/big

The schema is created by the project's migrations; secondary indexes are dropped for the load and built
again afterwards (as the models define them), then the planner's statistics are refreshed.
As a module: `await load(url, directives=N)`; `generate(N, today)` yields the rows without a database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.schema import CreateIndex  # noqa: E402

from bot.domain.calendar import WorkingCalendar  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage.models import Base  # noqa: E402

TODAY = date(2026, 11, 20)
YEARS = 10
DEPARTMENTS = 20
COMMUNES = 100
LEADERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Phương"]
VERBS = ["Rà soát", "Kiểm tra", "Tham mưu", "Báo cáo", "Xây dựng kế hoạch", "Đôn đốc", "Tổng hợp", "Đề xuất"]
OBJECTS = ["các dự án chậm tiến độ", "công tác giải phóng mặt bằng", "tình hình giải ngân vốn đầu tư công",
           "hồ sơ thủ tục hành chính tồn đọng", "công tác phòng chống thiên tai", "chất lượng công trình trường học",
           "việc sắp xếp đơn vị hành chính", "tình hình an toàn thực phẩm"]
BATCH = 20_000
TABLES = ("directives", "assignments", "events", "outbox")


@dataclass
class Batch:
    directives: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]
    assignments: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]
    events: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]
    outbox: list[tuple] = field(default_factory=list)  # type: ignore[type-arg]


DIRECTIVE_COLUMNS = ("id", "code", "content", "search_text", "source_number", "source_date", "leader_name",
                     "assigned_by_id", "state", "deadline", "due_on", "original_deadline", "deadline_version",
                     "recurrence", "previous_id", "assigned_on", "reported_on", "completed_on", "cancelled_on",
                     "cancel_reason", "created_at", "updated_at", "version")
ASSIGNMENT_COLUMNS = ("id", "directive_id", "unit_id", "role", "acknowledged_at", "reported_done_at", "last_report",
                      "last_report_at")
EVENT_COLUMNS = ("id", "directive_id", "actor_id", "at", "kind", "data")
OUTBOX_COLUMNS = ("id", "key", "directive_id", "chat_id", "kind", "deadline_version", "payload", "due_at", "status",
                  "attempts", "lease_until", "claimed_by", "sent_at", "last_error", "uncertain", "created_at")
UNIT_COUNT = 1 + DEPARTMENTS + COMMUNES
OFFICE_ID, FIRST_LEADER_ID = 1, 2


def _at(day: date, hour: int = 2) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def generate(directives: int, today: date = TODAY, seed: int = 7) -> Iterator[Batch]:
    """The rows, in batches. Ids are assigned here, so every table can be loaded with plain inserts."""
    rng = random.Random(seed)
    calendar = WorkingCalendar()
    due_cache: dict[date, date] = {}
    first_day = today - timedelta(days=365 * YEARS)
    span = (today - first_day).days
    assignment_id = event_id = outbox_id = 0
    batch = Batch()
    for did in range(1, directives + 1):
        # Assignment days grow a little towards today (more work is followed every year).
        assigned = first_day + timedelta(days=int(span * rng.random() ** 0.8))
        roll = rng.random()
        deadline: date | None = assigned + timedelta(days=rng.choice((7, 10, 15, 20, 30, 45, 60, 90)))
        original = deadline
        state, completed, reported, cancelled = "assigned", None, None, None
        if roll < 0.03:
            state, assigned_on = "draft", None
        else:
            assigned_on = assigned
        if state != "draft":
            if roll < 0.43:  # done: most on time, some late
                late = rng.random() < 0.25
                end = deadline + timedelta(days=rng.randint(1, 40)) if late else \
                    assigned + timedelta(days=rng.randint(1, max((deadline - assigned).days, 1)))
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
        due = None
        if deadline is not None:
            due = due_cache.get(deadline)
            if due is None:
                due = due_cache[deadline] = calendar.next_working_day(deadline)
        year = (assigned_on or assigned).year
        content = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (đợt {did})"
        created = _at(assigned)
        leader = rng.choice(LEADERS) if rng.random() < 0.8 else None
        batch.directives.append((
            did, f"CD-{year}-{did:07d}", content, content.lower(), f"{rng.randint(1, 999)}/TB-UBND", assigned,
            leader, FIRST_LEADER_ID + rng.randrange(len(LEADERS)), state, deadline, due, original,
            1 if original == deadline else 2, None, None,
            assigned_on, reported, completed, cancelled, "Không còn phù hợp" if cancelled else None, created,
            created, 1,
        ))
        leads = 1 if rng.random() < 0.9 else rng.choice((2, 2, 2, 3))
        supports = rng.choice((0, 0, 1, 1, 1, 2, 3))
        units = rng.sample(range(2, UNIT_COUNT + 1), leads + supports)
        for n, unit in enumerate(units):
            assignment_id += 1
            done_at = _at(reported) if reported and n < leads else None
            batch.assignments.append((assignment_id, did, unit, "lead" if n < leads else "support",
                                      created if state != "draft" else None, done_at, None, None))
        kinds = ["drafted"] if state == "draft" else ["assigned", "acknowledged"]
        if reported:
            kinds.append("done_reported")
        if completed:
            kinds.append("confirmed")
        if cancelled:
            kinds.append("cancelled")
        for kind in kinds:
            event_id += 1
            batch.events.append((event_id, did, OFFICE_ID, created, kind, json.dumps({"after": {"state": state}})))
        if state != "draft":
            for step in range(rng.choice((2, 3, 4, 5, 6, 6, 7))):
                outbox_id += 1
                kind = "notify" if step == 0 else rng.choice(("before", "before", "overdue"))
                chat = 100_000 + units[0]
                payload = json.dumps({"text": "remind.before", "code": f"CD-{year}-{did:07d}", "params": {}})
                batch.outbox.append((outbox_id, f"{kind}:{did}:{chat}:v1:{step}", did, chat, kind, 1, payload,
                                     created, "sent", 1, None, "bench", created, None, False, created))
        if did % BATCH == 0:
            yield batch
            batch = Batch()
    if batch.directives:
        yield batch


def _reference_rows(today: date) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    created = _at(today - timedelta(days=365 * YEARS))
    units = [(1, "VP", "Văn phòng UBND tỉnh", "office", "[]", True)]
    units += [(1 + i, f"S{i:02d}", f"Sở số {i}", "department", "[]", True) for i in range(1, DEPARTMENTS + 1)]
    units += [(1 + DEPARTMENTS + i, f"X{i:03d}", f"UBND xã số {i}", "commune", "[]", True)
              for i in range(1, COMMUNES + 1)]
    people = [(OFFICE_ID, 9000, "Chuyên viên Văn phòng", None, "admin", 1, "vi", True, created)]
    people += [(FIRST_LEADER_ID + i, 9001 + i, name, None, "leader", None, "vi", True, created)
               for i, name in enumerate(LEADERS)]
    first_focal = FIRST_LEADER_ID + len(LEADERS)
    people += [(first_focal + u, 100_000 + u, f"Đầu mối đơn vị {u}", None, "focal", u, "vi", True, created)
               for u in range(2, UNIT_COUNT + 1)]
    return {
        "units": units,
        "people": people,
        "chats": [(p[0], p[1], "private", None, p[5] if p[4] == "focal" else None, p[0], True, created)
                  for p in people],
    }


REFERENCE_COLUMNS = {
    "units": ("id", "code", "name", "kind", "aliases", "active"),
    "people": ("id", "telegram_id", "full_name", "username", "role", "unit_id", "language", "active", "created_at"),
    "chats": ("id", "telegram_chat_id", "kind", "title", "unit_id", "person_id", "reachable", "created_at"),
}


def _secondary_indexes(tables: tuple[str, ...]):  # type: ignore[no-untyped-def]
    return [index for table in tables for index in Base.metadata.tables[table].indexes]


def _sqlite_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _load_sqlite(path: str, directives: int, today: date, progress) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.dialects import sqlite

    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-200000")
    indexes = _secondary_indexes(TABLES)
    for index in indexes:
        db.execute(f'DROP INDEX IF EXISTS "{index.name}"')
    for table, rows in _reference_rows(today).items():
        columns = REFERENCE_COLUMNS[table]
        db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                       [tuple(_sqlite_value(v) for v in row) for row in rows])
    statements = {table: f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                  for table, cols in zip(TABLES, (DIRECTIVE_COLUMNS, ASSIGNMENT_COLUMNS, EVENT_COLUMNS,
                                                  OUTBOX_COLUMNS), strict=True)}
    for batch in generate(directives, today):
        for table in TABLES:
            db.executemany(statements[table], [tuple(_sqlite_value(v) for v in row) for row in getattr(batch, table)])
        db.commit()
        progress(len(batch.directives))
    for index in indexes:
        db.execute(str(CreateIndex(index).compile(dialect=sqlite.dialect())))
    db.execute("ANALYZE")
    db.commit()
    db.close()


async def _load_postgres(url: str, directives: int, today: date, progress) -> None:  # type: ignore[no-untyped-def]
    import asyncpg
    from sqlalchemy.dialects import postgresql

    parsed = make_url(url)
    conn = await asyncpg.connect(user=parsed.username, password=parsed.password, host=parsed.host,
                                 port=parsed.port or 5432, database=parsed.database)
    try:
        indexes = _secondary_indexes(TABLES)
        for index in indexes:
            await conn.execute(f'DROP INDEX IF EXISTS "{index.name}"')
        for table, rows in _reference_rows(today).items():
            await conn.copy_records_to_table(table, records=rows, columns=list(REFERENCE_COLUMNS[table]))
        columns = dict(zip(TABLES, (DIRECTIVE_COLUMNS, ASSIGNMENT_COLUMNS, EVENT_COLUMNS, OUTBOX_COLUMNS),
                           strict=True))
        for batch in generate(directives, today):
            async with conn.transaction():
                for table in TABLES:
                    await conn.copy_records_to_table(table, records=getattr(batch, table), columns=list(columns[table]))
            progress(len(batch.directives))
        for table in ("units", "people", "chats", *TABLES):
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT coalesce(max(id), 1) FROM {table}))")
        for index in indexes:
            await conn.execute(str(CreateIndex(index).compile(dialect=postgresql.dialect())))
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def load(url: str, *, directives: int, today: date = TODAY, quiet: bool = False) -> None:
    """Create the schema at `url` (an empty database) and fill it."""
    settings = Settings(_env_file=None, telegram_bot_token="1:dataset")  # type: ignore[call-arg]
    rt = Runtime.build(settings, url)
    try:
        await rt.upgrade()
        async with rt.engine.connect() as conn:
            if await conn.scalar(text("SELECT count(*) FROM directives")):
                raise SystemExit(f"{url}: the database already holds directives; give an empty one")
    finally:
        await rt.close()
    started, done = time.monotonic(), [0]

    def progress(n: int) -> None:
        done[0] += n
        if not quiet:
            print(f"\r{done[0]:>10,} directives  {time.monotonic() - started:6.0f} s", end="", flush=True)

    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        await asyncio.to_thread(_load_sqlite, parsed.database or "", directives, today, progress)
    else:
        await _load_postgres(url, directives, today, progress)
    if not quiet:
        print(f"\nloaded {directives:,} directives in {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--directives", type=int, default=1_000_000)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of an empty database")
    parser.add_argument("--today", type=date.fromisoformat, default=TODAY)
    args = parser.parse_args()
    asyncio.run(load(args.database, directives=args.directives, today=args.today))


if __name__ == "__main__":
    main()
