"""One command for the figures of DESIGN §9 and issue 11, on SQLite and PostgreSQL.

    python benchmarks/run.py --directives N [--database sqlite|postgresql|both] [--json FILE] [--runs K]
                             [--keep DIR] [--postgres-admin URL]

Builds benchmarks/dataset.py's province at N directives on each database (or reuses it, `--keep DIR`:
benchmarks/store.py), then measures, per database:
- in process (benchmarks/figures.py), p50 and p95 of K runs (default 20) after a warm-up, each service
  call timed with `time.perf_counter` in one event loop: the busiest unit's own list (page 1), its overdue
  list, the province's overdue list, due soon (own unit), card / history / sign-in lookup (the worst is
  shown), search (common two-word query, rare word: the worse), the province's report of the last full
  year (chat and CLI: the worse), the dispatcher's claim of 100 due reminders;
- the web app (benchmarks/web.py): the dashboard page and the API's report of the last full year, a
  filtered directive list, a card page, in process; the dashboard's first render in headless Chromium and
  the page's weight;
- the running bot (benchmarks/live.py): start-up to first poll, idle resident memory, peak memory after a
  year's statistics asked in chat;
and once a run: reminder sending through the emulator's 30/s limit (benchmarks/bench_reminders.py:
rate ÷ limit, 429 answers), and the bot's replies per second ÷ a bare PTB echo bot's (same burst, same
emulator, same run). Prints a table (✗ marks a missed goal) and writes the figures as JSON (`--json`).
With `--baseline FILE` (the JSON of a run on a smaller province, e.g. 10,000 directives), every figure's
growth from it is printed and written (`growth`): run 10k first, then 1M with `--baseline 10k.json`.

At 100,000 directives the whole run takes a few minutes; at 1,000,000 building takes ~10 minutes per
database, so keep them: `--keep /work/bench-data` keeps the SQLite file there and the PostgreSQL database
`dondoc_bench_1m`, and the next run with `--keep /work/bench-data` reuses both (`--dataset-name NAME` names
them otherwise: give two trees compared side by side their own). Ctrl-C (or SIGTERM) stops
the bots and the emulator, gives a kept dataset back as it was and drops what is not kept.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dataset import TZ  # noqa: E402
from benchmarks.figures import measure  # noqa: E402
from benchmarks.report import growth, growth_table, summarise, table  # noqa: E402
from benchmarks.store import close_dataset, open_dataset  # noqa: E402

ADMIN_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--directives", type=int, required=True)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each figure (after a warm-up)")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="seconds a figure's runs may take before it stops at the runs done (at least 3)")
    parser.add_argument("--starts", type=int, default=3, help="bot starts timed per database")
    parser.add_argument("--keep", type=Path, help="keep the datasets in DIR (and PostgreSQL) and reuse them")
    parser.add_argument("--dataset-name",
                        help="the kept datasets' name (default dondoc_bench_<n>): the SQLite file NAME.sqlite3 "
                             "and the PostgreSQL database NAME; one per tree when two are compared")
    parser.add_argument("--postgres-admin", default=ADMIN_URL, help="PostgreSQL server's admin database URL")
    parser.add_argument("--today", type=datetime.fromisoformat,
                        help="the day a new dataset is built for (default: today in Asia/Ho_Chi_Minh)")
    parser.add_argument("--burst", type=int, default=300, help="messages of the reply-throughput burst")
    parser.add_argument("--burst-users", type=int, default=100, help="users sending them (at most 120)")
    parser.add_argument("--reminders", type=int, default=450, help="reminders of the sending benchmark")
    parser.add_argument("--baseline", type=Path,
                        help="the JSON of a run on a smaller province: every figure's growth from it is reported")
    parser.add_argument("--skip-bot", action="store_true", help="only the in-process figures")
    parser.add_argument("--skip-web", action="store_true", help="without the web app's figures")
    parser.add_argument("--skip-browser", action="store_true", help="the web app's figures without Chromium")
    args = parser.parse_args(argv)
    if args.directives < 1000 or args.runs < 1 or not 1 <= args.burst_users <= 120:
        parser.error("--directives at least 1000, --runs at least 1, --burst-users 1..120")
    if args.dataset_name is not None and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.dataset_name):
        parser.error("--dataset-name: lower-case letters, digits and _ (a PostgreSQL database name)")
    return args


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from tests.e2e.harness import Emulator

    today = args.today.date() if args.today else datetime.now(TZ).date()
    dialects = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "directives": args.directives, "runs": args.runs, "started_at": datetime.now(TZ).isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "node": platform.node()},
        "databases": {},
    }
    emulator: Emulator | None = None
    with tempfile.TemporaryDirectory(prefix="dondoc-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        try:
            for number, dialect in enumerate(dialects):
                print(f"\n{dialect}, {args.directives:,} directives", flush=True)
                dataset = await open_dataset(dialect, args.directives, today, admin=args.postgres_admin,
                                             keep=args.keep, scratch=scratch, name=args.dataset_name)
                try:
                    found = await measure(dataset.url, dataset.today, args.runs, args.budget)
                    if not args.skip_web:
                        from benchmarks.web import measure_web

                        web = await measure_web(dataset.url, dataset.today, args.runs, args.budget,
                                                browser=not args.skip_browser)
                        found["timings"] |= web.pop("web_timings")
                        found |= web
                    if not args.skip_bot:
                        from benchmarks.live import measure_bot

                        if emulator is None:
                            emulator = Emulator().start()
                        found |= await measure_bot(
                            emulator, dataset.url, scratch / dialect, starts=args.starts,
                            stats_year=found["stats_year"],
                            burst=(args.burst, args.burst_users) if number == 0 else None)
                finally:
                    await close_dataset(dataset, args.postgres_admin)
                results["databases"][dialect] = summarise(found, dataset)
                if "throughput" in found:
                    results["reply_throughput_ratio"] = round(found["throughput"]["ratio"], 3)
                    results["reply_throughput"] = found["throughput"]
        finally:
            if emulator is not None:
                emulator.stop()
        if not args.skip_bot:
            from benchmarks.bench_reminders import LIMIT, bench_send

            print(f"\nsending {args.reminders} reminders through the emulator's {LIMIT}/s limit", flush=True)
            (scratch / "send").mkdir()
            sent = await bench_send(args.reminders, args.reminders, scratch / "send")
            results["send_rate_ratio"] = round(sent["ratio"], 3)
            results["http_429"] = sent["http_429"]
            results["send_rate"] = sent
    return results


async def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    started = time.monotonic()
    results = await run(args)
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    print(f"\n{args.directives:,} directives, p50 / p95 over {args.runs} runs ({results['elapsed_s']:.0f} s):\n")
    print(table(results))
    if args.baseline:
        results["growth"] = growth(results, json.loads(args.baseline.read_text()))
        print("\n" + growth_table(results["growth"]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main()))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("\ninterrupted: bots, emulator and unkept datasets cleaned up", file=sys.stderr)
        sys.exit(130)

