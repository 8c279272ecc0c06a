"""Only the search figures of benchmarks/figures.py (the common two-word query and the rare word, page 1, as
the busiest unit's focal point would ask them), on any database, read-only; beside the wall-clock figures,
the process's CPU time per call (this process and its threads: aiosqlite's, SQLite's work), steadier on a
busy machine: a SQLite file can be opened as
`sqlite+aiosqlite:///file:PATH?mode=ro&uri=true`.

    python -m benchmarks.search_figures URL [URL...] [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime

from sqlalchemy import select

from benchmarks.figures import COMMON_SEARCH, RARE_SEARCH, Timing, bench_settings, timed
from bot.runtime import Runtime
from bot.services import queries
from storage.models import Person


async def measure(url: str, runs: int) -> None:
    rt = Runtime.build(bench_settings(), url)
    now = datetime.now(UTC)
    try:
        async with rt.sessions() as session:
            focal = await session.scalar(select(Person.id).where(Person.role == "focal").order_by(Person.id).limit(1))
        assert focal is not None, "the dataset has no focal point"
        for name, words in (("search.common", COMMON_SEARCH), ("search.rare", RARE_SEARCH)):
            cpu = Timing()

            async def call(_: int, words: str = words, cpu: Timing = cpu) -> None:
                started = time.process_time()
                await queries.search(rt, focal, words, now=now)
                cpu.seconds.append(time.process_time() - started)

            timing = await timed(call, runs, 60.0)
            cpu.seconds.pop(0)  # the warm-up
            print(f"{url.split('/')[-1][:40]:40} {name:14} p50 {timing.p50 * 1000:8.2f} ms   "
                  f"p95 {timing.p95 * 1000:8.2f} ms   CPU p50 {cpu.p50 * 1000:7.2f} ms   ({len(timing.seconds)} runs)",
                  flush=True)
    finally:
        await rt.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    for url in args.urls:
        asyncio.run(measure(url, args.runs))


if __name__ == "__main__":
    main()
