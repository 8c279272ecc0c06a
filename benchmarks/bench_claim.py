"""The dispatcher's claim of 100 due reminders, before and after issue 23's one-statement claim, in one run.

    python benchmarks/bench_claim.py URL [--today YYYY-MM-DD] [--pairs 40]

On a kept dataset of benchmarks/run.py (`--keep DIR --dataset-name NAME`; URL is its SQLite file or its
PostgreSQL database): `before` is the claim as it was (an UPDATE … RETURNING id of the queue in one
transaction, then the claimed rows' columns read by id on a second connection), `after` is
`Dispatcher.claim`. Interleaved pairs (before, after, before, after …, the first of each pair alternating) on
the same rows at the dataset's claim moment, each claim followed by the rows given back and the SQLite
checkpoint, untimed. Printed: the median of each one's process CPU time (this process, the SQLite thread
included) and wall time, and the ratios after ÷ before of the medians: on a shared machine the ratios are the
figure, not the absolute times.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select, text, update  # noqa: E402

from benchmarks.dataset import claim_moment  # noqa: E402
from benchmarks.figures import CLAIMER, bench_settings, give_back_claims  # noqa: E402
from bot.outbox import _OUTBOX, _QUEUE, BATCH, Delivery, Dispatcher  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from storage.models import QUEUE_CLAIMED, QUEUE_WAITING  # noqa: E402

# What the claim read of the outbox rows before the queue carried their routing (migration 0024).
_LOADED = [_OUTBOX.c[name] for name in ("id", "address_id", "kind", "attempts", "directive_id", "uncertain",
                                        "deadline_version", "due_at")]


async def before(d: Dispatcher, now: datetime) -> list[Delivery]:
    """The claim before: the ids leased in one transaction, the rows read on another connection."""
    lease = {"lease_until": now + d.lease, "claimed_by": d.worker}
    due = select(_QUEUE.c.id).where(text(QUEUE_WAITING), _QUEUE.c.due_at <= now).order_by(_QUEUE.c.due_at).limit(BATCH)
    async with d.rt.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SET LOCAL synchronous_commit = off"))
        ids = list(await conn.scalars(
            update(_QUEUE).where(_QUEUE.c.id.in_(d._locked(due))).values(**lease).returning(_QUEUE.c.id)))
        if len(ids) < BATCH:
            lapsed = (select(_QUEUE.c.id).where(text(QUEUE_CLAIMED), _QUEUE.c.lease_until < now)
                      .limit(BATCH - len(ids)))
            ids += list(await conn.scalars(
                update(_QUEUE).where(_QUEUE.c.id.in_(d._locked(lapsed))).values(**lease).returning(_QUEUE.c.id)))
    async with d.rt.engine.connect() as conn:
        rows = list(await conn.execute(select(*_LOADED).where(_OUTBOX.c.id.in_(ids))))
    rows.sort(key=lambda r: (r.due_at, r.id))
    return [Delivery(r.id, r.address_id, r.kind, {}, r.attempts, r.directive_id, r.uncertain, r.deadline_version)
            for r in rows]


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 7),
                        help="the day the dataset was built for (datasets.json)")
    parser.add_argument("--pairs", type=int, default=40)
    args = parser.parse_args(argv)
    rt = Runtime.build(bench_settings(), args.url)
    dispatcher = Dispatcher(rt, None, CLAIMER)  # type: ignore[arg-type]
    moment = claim_moment(args.today)
    statements: list[str] = []
    event.listen(rt.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    found: dict[str, dict[str, list[float]]] = {name: {"cpu": [], "wall": [], "statements": []}
                                                for name in ("before", "after")}
    calls: dict[str, Any] = {"before": lambda: before(dispatcher, moment),
                             "after": lambda: dispatcher.claim(moment, True)}
    try:
        await give_back_claims(rt)
        for name in calls:  # warm-up
            await calls[name]()
            await give_back_claims(rt)
        for pair in range(args.pairs):
            for name in (("before", "after") if pair % 2 == 0 else ("after", "before")):
                await dispatcher.checkpoint()
                statements.clear()
                cpu, wall = time.process_time(), time.perf_counter()
                claimed = await calls[name]()
                found[name]["wall"].append(time.perf_counter() - wall)
                found[name]["cpu"].append(time.process_time() - cpu)
                found[name]["statements"].append(len(statements))
                if len(claimed) != BATCH:
                    raise RuntimeError(f"{name} claimed {len(claimed)} rows, not {BATCH}")
                await give_back_claims(rt)
    finally:
        await give_back_claims(rt)
        await rt.close()
    median = {name: {k: statistics.median(v) for k, v in figures.items()} for name, figures in found.items()}
    print(f"{rt.engine.dialect.name}: claim of {BATCH}, {args.pairs} interleaved pairs, medians")
    for name, m in median.items():
        print(f"  {name:7} cpu {m['cpu'] * 1000:6.2f} ms   wall {m['wall'] * 1000:6.2f} ms   "
              f"statements {m['statements']:.0f}")
    print(f"  after ÷ before: cpu {median['after']['cpu'] / median['before']['cpu']:.2f}, "
          f"wall {median['after']['wall'] / median['before']['wall']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
