"""Report benchmark (issue 9; prints figures, not part of the test suite).

Loads `benchmarks/dataset.py`'s province at N directives (default 1,000,000) into SQLite and, when
TEST_DATABASE_URL is set, PostgreSQL (or reuses a database given with --sqlite/--postgres), then times the
whole-province report of the last full year (numbers.compute: totals, unit rows, leaders, overdue list) and
of one month and one unit (and the province's without the breakdown by leader, as the chat summary
asks), median of a few runs, with the extra memory the Python process used (peak of
tracemalloc during one run: what the report itself allocates).

    python benchmarks/bench_report.py [--directives 1000000] [--runs 5] [--sqlite FILE] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dataset import TODAY, load  # noqa: E402
from bot.reports import counts, numbers  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402


async def measure(url: str, runs: int) -> None:
    rt = Runtime.build(Settings(_env_file=None, telegram_bot_token="1:bench"), url)  # type: ignore[call-arg]
    year = TODAY.year - 1
    whole_year = counts.make_scope(date(year, 1, 1), date(year, 12, 31), TODAY)
    cases = [
        (f"year {year}, whole province", whole_year, True),
        (f"year {year}, province, no leaders", whole_year, False),
        (f"month {TODAY:%m/%Y} so far, whole province",
         counts.make_scope(TODAY.replace(day=1), date(TODAY.year, TODAY.month, 30), TODAY), True),
        (f"year {year}, one unit (S01)", counts.make_scope(date(year, 1, 1), date(year, 12, 31), TODAY,
                                                           unit_code="S01"), True),
    ]
    try:
        for label, scope, leaders in cases:
            times = []
            for _ in range(runs + 1):  # the first run warms the caches and is not counted
                async with rt.sessions() as session:
                    started = time.perf_counter()
                    report = await numbers.compute(session, scope, leaders=leaders)
                    times.append(time.perf_counter() - started)
            tracemalloc.start()
            async with rt.sessions() as session:
                await numbers.compute(session, scope, leaders=leaders)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"  {label:38} median {statistics.median(times[1:]) * 1000:7.1f} ms  "
                  f"(min {min(times[1:]) * 1000:.1f})  peak extra memory {peak / 2**20:5.1f} MB  "
                  f"[{report.total.total:,} directives, {len(report.units)} units]")
    finally:
        await rt.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--directives", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite", help="an SQLite file loaded already (else a fresh one is made)")
    parser.add_argument("--postgres", help="a PostgreSQL URL loaded already (else one is made on TEST_DATABASE_URL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite+aiosqlite:///{args.sqlite}" if args.sqlite else f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        if not args.sqlite:
            await load(sqlite_url, directives=args.directives)
        print(f"SQLite, {args.directives:,} directives:")
        await measure(sqlite_url, args.runs)
    admin = os.environ.get("TEST_DATABASE_URL")
    if args.postgres:
        print(f"PostgreSQL, {args.directives:,} directives:")
        await measure(args.postgres, args.runs)
    elif admin:
        from tests.databases import create_database, drop_database

        url = await create_database(admin, "dondoc_bench")
        try:
            await load(url, directives=args.directives)
            print(f"PostgreSQL, {args.directives:,} directives:")
            await measure(url, args.runs)
        finally:
            await drop_database(admin, url)
    else:
        print("PostgreSQL skipped: set TEST_DATABASE_URL")


if __name__ == "__main__":
    asyncio.run(main())
