"""Issue 23's move of sent rows to outbox_history, before and after, in one run as interleaved pairs.

    python benchmarks/bench_outbox_history.py AFTER_URL [--pairs 100]

AFTER_URL is a province built by benchmarks/dataset.py (its sent rows in outbox_history, as this tree keeps
them). The script makes its "before" twin — every sent row back in the outbox, no history, the outbox's
index of sent rows dropped: main's layout — (SQLite: a copy of the file beside it; PostgreSQL: a database
made from it as a template, `<name>_before`), then measures each operation on both, in alternating order:
- claim_100: the dispatcher's claim of 100 due reminders (the same code on both layouts);
- write_12_rows: a move's new outbox rows and their queue rows, main's INSERT (`ON CONFLICT (key) DO
  NOTHING`) on the before twin against this tree's (`storage.history.unsent_only`: keys in the history
  skipped too) on the after one; rolled back.
Prints, per operation, the median of the pairs' ratios after/before with its interquartile range, by wall
time and by this process's CPU time (PostgreSQL's server time is only in the wall time), and the medians.
On a shared machine the CPU ratios are the ones to read.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import make_url, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dataset import TODAY, claim_moment  # noqa: E402
from bot.outbox import Dispatcher  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage import history, pending  # noqa: E402
from storage.models import Outbox, OutboxPending  # noqa: E402

WORKER = "bench-history"
NONCE = time.time_ns()
BACK = ("INSERT INTO outbox ({c}, status) SELECT {c}, 'sent' FROM outbox_history",
        "DELETE FROM outbox_history", "DROP INDEX ix_outbox_sent_id")


class NoLimit:
    async def acquire(self, address: int, group: bool = False) -> None:
        return None


async def _no_send(*_: Any) -> None:
    return None


async def make_before(after: str) -> str:
    """The before twin of the province at `after` (made once, reused)."""
    url = make_url(after)
    columns = ", ".join(history.COLUMNS)
    if url.get_backend_name() == "sqlite":
        source = Path(url.database or "")
        target = source.with_name(source.stem + "_before" + source.suffix)
        if target.exists():
            return str(url.set(database=str(target)))
        shutil.copyfile(source, target)
        before = str(url.set(database=str(target)))
        engine = create_async_engine(before)
        async with engine.begin() as conn:
            for statement in BACK:
                await conn.execute(text(statement.format(c=columns)))
        async with engine.connect() as conn:
            await conn.exec_driver_sql("VACUUM")
            await conn.exec_driver_sql("ANALYZE")
        await engine.dispose()
        return before
    name = f"{url.database}_before"
    before = url.set(database=name).render_as_string(hide_password=False)
    admin = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        exists = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            await conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"')
    await admin.dispose()
    if not exists:
        engine = create_async_engine(before, isolation_level="AUTOCOMMIT")
        async with engine.connect() as conn:
            for statement in BACK:
                await conn.execute(text(statement.format(c=columns)))
            await conn.exec_driver_sql("VACUUM FULL outbox")
            await conn.exec_driver_sql("VACUUM ANALYZE")
        await engine.dispose()
    return before


def _rows(n: int, address: int, moment: Any) -> list[dict[str, Any]]:
    """A move's new rows: twelve reminders under keys no province has."""
    return [dict(key=f"remind_before:0:@{address}:v1:{NONCE}:{n}:{i}", directive_id=None, address_id=address,
                 kind="remind_before", deadline_version=1, payload={"text": "remind.before", "code": "CD"},
                 due_at=moment, status="pending", attempts=0, uncertain=False, created_at=moment) for i in range(12)]


async def write(rt: Runtime, new: bool, n: int, moment: Any) -> tuple[float, float]:
    async with rt.engine.connect() as conn:
        await conn.begin()
        session = AsyncSession(bind=conn)
        address = await conn.scalar(text("SELECT min(id) FROM addresses"))
        values = _rows(n, address, moment)
        dialect = rt.engine.dialect.name
        table = Outbox
        started, cpu = time.perf_counter(), time.process_time()
        if dialect == "postgresql":
            if new:
                await session.execute(pending.written_and_queued(history.unsent_only(dialect), []),
                                      history.new_rows(dialect, values))
            else:
                await session.execute(pending.written_and_queued(
                    pg_insert(table).values(values).on_conflict_do_nothing(index_elements=["key"]), []))
        else:
            returned = pending.WRITTEN
            if new:
                written = list(await session.execute(history.unsent_only(dialect).returning(*returned),
                                                     history.new_rows(dialect, values)))
            else:
                written = list(await session.execute(sqlite_insert(table).on_conflict_do_nothing(
                    index_elements=["key"]).returning(*returned), values))
            await pending.enqueue(session, written)
        took = (time.perf_counter() - started, time.process_time() - cpu)
        count = await conn.scalar(text("SELECT count(*) FROM outbox WHERE key LIKE :k"),
                                  {"k": f"remind_before:0:@%:v1:{NONCE}:{n}:%"})
        await conn.rollback()
    if count != 12:
        raise RuntimeError(f"wrote {count} rows, not 12")
    return took


async def claim(rt: Runtime, dispatcher: Dispatcher, moment: Any) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    got = await dispatcher.claim(moment, True)
    took = (time.perf_counter() - started, time.process_time() - cpu)
    async with rt.engine.begin() as conn:
        await conn.execute(update(OutboxPending).where(OutboxPending.claimed_by == WORKER)
                           .values(lease_until=None, claimed_by=None))
    if len(got) != 100:
        raise RuntimeError(f"claimed {len(got)} rows, not 100")
    return took


async def main(after_url: str, pairs: int) -> None:
    settings = Settings(_env_file=None, telegram_bot_token=SecretStr("1:bench"))  # type: ignore[call-arg]
    before = Runtime.build(settings, await make_before(after_url))
    after = Runtime.build(settings, after_url)
    moment = claim_moment(TODAY)
    dispatchers = {id(rt): Dispatcher(rt, _no_send, WORKER, NoLimit()) for rt in (before, after)}  # type: ignore[arg-type]
    try:
        for label, rt in (("before", before), ("after", after)):
            async with rt.engine.connect() as conn:
                counts = {t: await conn.scalar(text(f"SELECT count(*) FROM {t}"))
                          for t in ("outbox", "outbox_history", "outbox_pending")}
            print(f"{label:6s} {rt.engine.dialect.name}: {counts}")
        ops = {"claim_100": lambda rt, n: claim(rt, dispatchers[id(rt)], moment),
               "write_12_rows": lambda rt, n: write(rt, rt is after, n, moment)}
        for name, op in ops.items():
            for rt in (before, after):  # warm-up
                for n in range(3):
                    await op(rt, -n - 1)
            timed: list[tuple[tuple[float, float], tuple[float, float]]] = []
            for n in range(pairs):
                took = {}
                for rt in (before, after) if n % 2 == 0 else (after, before):
                    took[id(rt)] = await op(rt, n)
                timed.append((took[id(before)], took[id(after)]))
            for k, what in ((0, "wall"), (1, "CPU")):
                ratios = [a[k] / b[k] for b, a in timed if b[k] > 0 and a[k] > 0]
                q = statistics.quantiles(ratios, n=4)
                print(f"{name:14s} {what:4s} after/before {statistics.median(ratios):.2f} "
                      f"(IQR {q[0]:.2f}–{q[2]:.2f}); medians: before "
                      f"{statistics.median(b[k] for b, _ in timed) * 1000:.2f} ms, after "
                      f"{statistics.median(a[k] for _, a in timed) * 1000:.2f} ms ({len(ratios)} pairs)")
    finally:
        await before.close()
        await after.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("after", help="SQLAlchemy URL of a province built by benchmarks/dataset.py")
    parser.add_argument("--pairs", type=int, default=100)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.after, arguments.pairs))
