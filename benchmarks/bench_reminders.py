"""Reminder benchmark (issue 4; prints figures, not part of the test suite).

1. Sending: N reminders (default 10,000) to C chats (default 1,000) through the Bot API emulator limited
   to 30 messages/s (its own 429s), by a real `python -m bot run` with SEND_RATE_PER_SECOND at the limit (its limiter books one a second fewer).
   Prints messages sent, achieved rate (messages/s between the first and last server timestamp) ÷ limit
   (goal ≥ 0.95) and the number of 429 answers (goal 0). A chat's reminders are due together, so the
   dispatcher merges them (one message per chat per pass). benchmarks/run.py measures `send_rate_ratio` and
   `http_429` with this part (`bench_send`, which returns its figures).
2. Claiming: the dispatcher's claim (one batch of 100) at 1M pending rows, median of a few runs, on SQLite
   and, if TEST_DATABASE_URL is set and reachable, PostgreSQL, beside the former claim on the outbox rows.
3. Stopping: SIGTERM, then kill -9, with the reminders due (`bench_stop`): seconds to exit, the next
   process's first message, lost and duplicated reminders.

    python benchmarks/bench_reminders.py [--reminders 10000] [--chats 1000] [--rows 1000000] [--runs 5]
                                         [--skip-send] [--skip-claim] [--skip-stop]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.figures import former_claim  # noqa: E402
from bot.outbox import Dispatcher  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.databases import create_database, drop_database, fresh_database  # noqa: E402
from tests.e2e.harness import Emulator  # noqa: E402
from tests.reliability.fleet import ReminderBot, seed_burst, statuses, wait_until  # noqa: E402

LIMIT = 30


async def bench_send(reminders: int, chats: int, workdir: Path) -> dict[str, float]:
    """Sends the burst; returns messages, seconds, rate (messages/s), ratio (rate ÷ limit) and http_429."""
    per_chat = max(reminders // chats, 1)
    url = f"sqlite+aiosqlite:///{workdir / 'send.sqlite3'}"
    with Emulator() as emulator:
        emulator.set_rate_limit(per_second=LIMIT)
        rt = await fresh_database(url)
        await seed_burst(rt, [100_000 + n for n in range(chats)], per_chat)
        bot = ReminderBot(emulator, workdir / "bot", url, "7500000001:dondoc-bench", send_rate_per_second=LIMIT,
                          outbox_lease_seconds=120)
        bot.start(timeout=60)
        try:
            async def done() -> bool:
                return (await statuses(rt)).keys() == {"sent"}

            await wait_until(done, timeout=3600, message="the burst was not sent")
        finally:
            bot.stop()
            await rt.close()
        sent = emulator.sent(token=bot.token, include_deleted=True)
        calls = emulator.calls("sendMessage", token=bot.token)
        stamps = sorted(m.sent_at for m in sent)
        span = (stamps[-1] - stamps[0]) / 1000
        rate = (len(stamps) - 1) / span if span > 0 else float("nan")
        print(f"send: {per_chat * chats} reminders to {chats} chats -> {len(sent)} messages in {span:.1f} s")
        print(f"send: achieved {rate:.2f} msg/s, limit {LIMIT}/s, ratio {rate / LIMIT:.3f} (goal >= 0.95)")
        http_429 = sum(1 for c in calls if c["status"] == 429)
        print(f"send: 429 answers: {http_429} (goal 0)")
        return {"messages": len(sent), "seconds": span, "rate": rate, "ratio": rate / LIMIT, "http_429": http_429}


# The queue of rows to send (storage.pending), as the services keep it.
QUEUE_FILL = "INSERT INTO outbox_pending (id, kind, due_at) SELECT id, kind, due_at FROM outbox WHERE status = 'pending'"


async def bulk_pending(url: str, rows: int) -> None:
    rt = await fresh_database(url)
    await rt.close()
    now = datetime.now(UTC) - timedelta(days=1)
    addresses = 5000  # the rows are spread over this many chats
    if url.startswith("sqlite"):
        import sqlite3

        db = sqlite3.connect(url.split("///", 1)[1])
        stamp = now.replace(tzinfo=None).isoformat(sep=" ")
        db.executemany(
            "INSERT INTO addresses (id, channel, external_id, kind, reachable, created_at)"
            " VALUES (?, 'telegram', ?, 'private', 1, ?)",
            ((n + 1, str(1_000_000 + n), stamp) for n in range(addresses)))
        db.executemany(
            "INSERT INTO outbox (key, address_id, kind, deadline_version, payload, due_at, status, attempts, uncertain,"
            " created_at) VALUES (?, ?, 'notify', 0, '{\"text\": \"notify.confirmed\", \"params\": {}}', ?,"
            " 'pending', 0, 0, ?)",
            ((f"bench:{n}", n % addresses + 1, stamp, stamp) for n in range(rows)))
        db.execute(QUEUE_FILL)
        db.commit()
        db.execute("ANALYZE")
        db.close()
        return
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.copy_records_to_table(
            "addresses", columns=["id", "channel", "external_id", "kind", "reachable", "created_at"],
            records=((n + 1, "telegram", str(1_000_000 + n), "private", True, now) for n in range(addresses)))
        await conn.copy_records_to_table(
            "outbox", columns=["key", "address_id", "kind", "deadline_version", "payload", "due_at", "status",
                               "attempts", "uncertain", "created_at"],
            records=((f"bench:{n}", n % addresses + 1, "notify", 0, '{"text": "notify.confirmed"}', now,
                      "pending", 0, False, now) for n in range(rows)))
        await conn.execute(QUEUE_FILL)
        await conn.execute("ANALYZE outbox")
        await conn.execute("ANALYZE outbox_pending")
    finally:
        await conn.close()


async def bench_claim(url: str, rows: int, runs: int) -> None:
    started = time.perf_counter()
    await bulk_pending(url, rows)
    loaded = time.perf_counter() - started
    rt = Runtime.build(make_settings(), url)
    dispatcher = Dispatcher(rt, None, "bench")  # type: ignore[arg-type]
    times, before = [], []
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            claimed = await dispatcher.claim(datetime.now(UTC), True)
            times.append(time.perf_counter() - t0)
            assert len(claimed) == 100
        for _ in range(runs):  # the former claim, on the outbox itself, for a before/after in one run
            t0 = time.perf_counter()
            await former_claim(rt, datetime.now(UTC))
            before.append(time.perf_counter() - t0)
    finally:
        await rt.close()
    name = rt.engine.dialect.name
    for label, found in (("claim of 100 (queue table, ids)", times), ("former claim of 100 (outbox rows)", before)):
        print(f"claim: {name}, {rows:,} pending rows (loaded in {loaded:.0f} s): median {label} "
              f"{statistics.median(found) * 1000:.1f} ms over {runs} runs ({', '.join(f'{t * 1000:.1f}' for t in found)})")


async def bench_stop(reminders: int, chats: int, workdir: Path, url: str | None = None, kill: bool = False) -> None:
    """Stopping and restarting (issue 24): `python -m bot run` with `reminders` due is stopped as systemd
    stops it (SIGTERM; with `kill`, kill -9) once it has sent a hundred messages; prints the seconds to exit,
    the seconds from the next process's start to its first message, and lost / duplicated reminders."""
    import signal

    from tests.reliability.fleet import deliveries

    url = url or f"sqlite+aiosqlite:///{workdir / ('stop-kill.sqlite3' if kill else 'stop-term.sqlite3')}"
    per_chat = max(reminders // chats, 1)
    how = "kill -9" if kill else "SIGTERM"
    with Emulator() as emulator:
        rt = await fresh_database(url)
        try:
            burst = await seed_burst(rt, [200_000 + n for n in range(chats)], per_chat)
            token = f"7500000002:dondoc-bench-stop-{'kill' if kill else 'term'}"
            first = ReminderBot(emulator, workdir / f"first-{how[:4]}", url, token, dispatch_interval_seconds=5,
                                send_rate_per_second=LIMIT)
            first.start(timeout=60)
            emulator.wait_for_sync(lambda: len(emulator.sent(token=token)) >= 100, timeout=120,
                                   message="the burst did not start")
            assert first.proc is not None
            asked = time.perf_counter()
            first.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            first.proc.wait(60)
            exit_s = time.perf_counter() - asked
            first.stop()
            before = len(emulator.sent(token=token))
            second = ReminderBot(emulator, workdir / f"second-{how[:4]}", url, token, dispatch_interval_seconds=5,
                                 send_rate_per_second=LIMIT)
            started = time.time()
            second.start(timeout=60)
            ready_s = time.time() - started
            emulator.wait_for_sync(lambda: len(emulator.sent(token=token)) > before, timeout=120,
                                   message="the next process sent nothing")
            # By the emulator's clock: when the first message of the next process arrived.
            first_s = sorted(m.sent_at for m in emulator.sent(token=token))[before] / 1000 - started
            if os.environ.get("BENCH_STOP_LOG"):
                print("\n".join(line for line in second.log_text().splitlines() if "apscheduler" not in line)[-3000:])
            try:
                async def done() -> bool:
                    return (await statuses(rt)).keys() == {"sent"}

                await wait_until(done, timeout=3600, message="the rest was not sent")
            finally:
                second.stop()
            got = deliveries(emulator, token)
            lost = len(burst.pairs - set(got))
            twice = sum(1 for n in got.values() if n > 1)
        finally:
            await rt.close()
    name = url.split(":", 1)[0].split("+")[0]
    print(f"stop: {name}, {how} with {reminders:,} due: exited in {exit_s:.2f} s (systemd's limit 30 s); "
          f"next process ready (polling) {ready_s:.2f} s after its start, its first message at {first_s:.2f} s "
          f"(dispatch interval 5 s); lost {lost}, sent twice {twice}")


async def bench_claim_postgres(admin: str, rows: int, runs: int) -> None:
    """On a throw-away database beside the admin one (never on the admin database itself)."""
    url = await create_database(admin, "dondoc_bench")
    try:
        await bench_claim(url, rows, runs)
    finally:
        await drop_database(admin, url)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=1_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-send", action="store_true")
    parser.add_argument("--skip-claim", action="store_true")
    parser.add_argument("--skip-stop", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        workdir = Path(tmp)
        if not args.skip_send:
            await bench_send(args.reminders, args.chats, workdir)
        if not args.skip_stop:
            await bench_stop(args.reminders, args.chats // 2, workdir)
            await bench_stop(args.reminders, args.chats // 2, workdir, kill=True)
        if not args.skip_claim:
            await bench_claim(f"sqlite+aiosqlite:///{workdir / 'claim.sqlite3'}", args.rows, args.runs)
            admin = os.environ.get("TEST_DATABASE_URL")
            if admin:
                try:
                    await bench_claim_postgres(admin, args.rows, args.runs)
                except OSError as exc:
                    print(f"claim: PostgreSQL unreachable ({exc})")
            else:
                print("claim: PostgreSQL skipped (set TEST_DATABASE_URL)")


if __name__ == "__main__":
    asyncio.run(main())
