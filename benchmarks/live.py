"""The figures of the running bot: `python -m bot run` on a loaded database, polling the Bot API emulator
(tests/e2e/harness.py), as an operator starts it (production settings: dispatch every 5 s, INFO logs).

- start-up: from launching the process to its first poll (tests/e2e/bot_process.py's readiness test),
  over a few starts;
- memory: VmRSS once the process is idle after start (no CPU used for 1.5 s), then VmHWM (its peak) after
  the office's admin asked `/thongke <last full year>` through the emulator and got the answer (checked to
  be that year's statistics: the run stops on any other answer);
- reply throughput: M registered focal points send N messages (`/trogiup`) at once; the bot's replies per
  second (from the first message sent to the N-th reply) ÷ those of a bare python-telegram-bot echo bot
  (benchmarks/echo_bot.py) fed the same burst on the same emulator in the same run.

While the bot runs, the dataset is kept quiet and given back as it was: the reminders due in the next
hours are parked (status `parked`, so the dispatcher does not send the dataset's backlog), the day's
time-driven jobs are marked as run (so no digest runs at start), and whatever the bot wrote (outbox
rows, events, job runs, heartbeats, leases, conversations) is deleted when it has stopped.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, tuple_, update

from benchmarks.dataset import ADMIN_TELEGRAM_ID, FOCAL_TELEGRAM_BASE, UNIT_COUNT
from benchmarks.figures import Timing, bench_settings
from bot.runtime import Runtime
from bot.services.jobs import JOBS
from storage.models import Conversation, Event, Heartbeat, JobRun, Lease, Outbox
from tests.e2e.bot_process import BotProcess
from tests.e2e.harness import Emulator

PARKED = "parked"
ECHO_TOKEN = "7100000000:echo-benchmark"
# Each start polls with a token of its own: the emulator's record of one start's calls (its readiness,
# its replies) is then never taken for another's.
_TOKENS = itertools.count(7100000001)
BURST_TEXT = "/trogiup"
ECHO_BOT = Path(__file__).with_name("echo_bot.py")


class DatasetBot(BotProcess):
    """`python -m bot run` on a given database, with the production dispatch interval."""

    def __init__(self, emulator: Emulator, workdir: Path, database_url: str):
        super().__init__(emulator, workdir, token=f"{next(_TOKENS)}:dondoc-benchmark")
        self.database_url = database_url

    def env(self) -> dict[str, str]:
        env = super().env()
        env.update(DATABASE_URL=self.database_url, DISPATCH_INTERVAL_SECONDS="5")
        return env


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak resident) of a process, in kB, from /proc."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])
    return found


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


async def wait_idle(pid: int, quiet: float = 1.5, timeout: float = 120.0) -> bool:  # noqa: ASYNC109
    """Until the process has used (almost) no CPU for `quiet` seconds; False if it never did."""
    deadline = time.monotonic() + timeout
    ticks, since = _cpu_ticks(pid), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        now_ticks = _cpu_ticks(pid)
        if now_ticks - ticks > 1:
            ticks, since = now_ticks, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return True
    return False


async def tidy(url: str) -> None:
    """Reminders parked by a run that was interrupted are pending again."""
    rt = Runtime.build(bench_settings(), url)
    try:
        async with rt.transaction() as session:
            await session.execute(update(Outbox).where(Outbox.status == PARKED).values(status="pending"))
    finally:
        await rt.close()


@dataclass
class _Before:
    outbox: int
    event: int
    conversation: int
    runs: set[tuple[str, str]]
    beats: set[str]
    leases: set[str]


@asynccontextmanager
async def quiet_dataset(url: str) -> AsyncIterator[None]:
    rt = Runtime.build(bench_settings(), url)
    try:
        before = await _set_aside(rt, datetime.now(UTC))
        await rt.engine.dispose()  # no connection of ours stays open while the bot runs
        try:
            yield
        finally:
            await _give_back(rt, before)
    finally:
        await rt.close()


async def _set_aside(rt: Runtime, now: datetime) -> _Before:
    async with rt.transaction() as session:
        before = _Before(await session.scalar(select(func.max(Outbox.id))) or 0,
                         await session.scalar(select(func.max(Event.id))) or 0,
                         await session.scalar(select(func.max(Conversation.id))) or 0,
                         set((await session.execute(select(JobRun.name, JobRun.period))).tuples()),
                         set(await session.scalars(select(Heartbeat.name))),
                         set(await session.scalars(select(Lease.name))))
        await session.execute(update(Outbox).where(Outbox.status == "pending",
                                                   Outbox.due_at <= now + timedelta(hours=3))
                              .values(status=PARKED))
        local = now.astimezone(rt.settings.tz)
        marked = [(job.name, period) for job in JOBS
                  if (period := job.period(rt, local)) is not None and (job.name, period) not in before.runs]
        if marked:
            await session.execute(insert(JobRun), [
                {"name": name, "period": period, "holder": "benchmark", "started_at": now, "finished_at": now}
                for name, period in marked])
    return before


async def _give_back(rt: Runtime, before: _Before) -> None:
    async with rt.transaction() as session:
        await session.execute(delete(Outbox).where(Outbox.id > before.outbox))
        await session.execute(delete(Event).where(Event.id > before.event))
        await session.execute(delete(Conversation).where(Conversation.id > before.conversation))
        runs = delete(JobRun)
        if before.runs:
            runs = runs.where(tuple_(JobRun.name, JobRun.period).not_in(list(before.runs)))
        await session.execute(runs)
        await session.execute(delete(Heartbeat).where(Heartbeat.name.not_in(list(before.beats) or [""])))
        await session.execute(delete(Lease).where(Lease.name.not_in(list(before.leases) or [""])))
        await session.execute(update(Outbox).where(Outbox.status == PARKED).values(status="pending"))


async def measure_bot(emulator: Emulator, url: str, workdir: Path, *, starts: int, stats_year: int,
                      burst: tuple[int, int] | None) -> dict[str, Any]:
    """Start-up (over `starts` starts), idle and peak memory; the reply burst when `burst` = (N, M)
    (M at most the dataset's focal points)."""
    found: dict[str, Any] = {}
    startup = Timing()
    async with quiet_dataset(url):
        for n in range(starts):
            bot = DatasetBot(emulator, workdir / f"bot-{n}", url)
            try:
                await asyncio.to_thread(bot.start, 120.0)
                startup.seconds.append(bot.startup_seconds)
                print(f"    start-up {n + 1}/{starts}: {bot.startup_seconds:.2f} s", flush=True)
                if n < starts - 1:
                    continue
                assert bot.proc is not None
                pid = bot.proc.pid
                found["idle_before"] = await wait_idle(pid)
                found["rss_mb"] = memory_kb(pid)["VmRSS"] / 1024
                admin = bot.user(ADMIN_TELEGRAM_ID, "Văn phòng")
                asked = time.monotonic()
                admin.send_text(f"/thongke {stats_year}")
                reply = await admin.wait_for_message(timeout=600)
                found["stats_reply_s"] = time.monotonic() - asked
                found["stats_reply"] = (reply.text or "")[:160]
                if "Thống kê" not in (reply.text or "") or f"năm {stats_year}" not in (reply.text or ""):
                    # The peak memory of an error message measures nothing: the figure needs the statistics.
                    raise RuntimeError(f"/thongke {stats_year} was not answered with the year's statistics: "
                                       f"{found['stats_reply']!r}")
                found["idle_after"] = await wait_idle(pid)
                found["peak_rss_mb"] = memory_kb(pid)["VmHWM"] / 1024
                print(f"    memory: idle {found['rss_mb']:.0f} MB, peak {found['peak_rss_mb']:.0f} MB after "
                      f"/thongke {stats_year} (answered in {found['stats_reply_s']:.2f} s)", flush=True)
                if burst:
                    found["throughput"] = await throughput(emulator, workdir, bot.token, *burst)
            finally:
                code = bot.stop()
                if code not in (0, -15, None):
                    print(f"    the bot exited with {code}:\n{bot.log_tail()}", flush=True)
    found["startup"] = startup
    return found


async def throughput(emulator: Emulator, workdir: Path, token: str, messages: int, users: int) -> dict[str, Any]:
    bot_rate = await burst(emulator, token, messages, users)
    echo = start_echo_bot(emulator, workdir)
    try:
        await emulator.wait_for(lambda: _polling(emulator, ECHO_TOKEN), timeout=60,
                                message="the echo bot did not poll")
        echo_rate = await burst(emulator, ECHO_TOKEN, messages, users)
    finally:
        echo.terminate()
        try:
            echo.wait(10)
        except subprocess.TimeoutExpired:
            echo.kill()
            echo.wait(5)
    ratio = bot_rate / echo_rate if echo_rate else float("nan")
    print(f"    replies: bot {bot_rate:.1f}/s, bare echo bot {echo_rate:.1f}/s, ratio {ratio:.2f} "
          f"({messages} messages from {users} users)", flush=True)
    return {"bot_replies_per_s": bot_rate, "echo_replies_per_s": echo_rate, "ratio": ratio,
            "messages": messages, "users": users}


def _polling(emulator: Emulator, token: str) -> bool:
    pending = emulator.pending_updates(token=token)
    return bool(pending["polling"] or pending["last_polled_at"])


def start_echo_bot(emulator: Emulator, workdir: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(Path(__file__).parents[1]),
                                                                     os.environ.get("PYTHONPATH")])))
    for key in ("NO_PROXY", "no_proxy"):
        env[key] = ",".join(filter(None, [env.get(key, ""), "127.0.0.1", "localhost"]))
    with open(workdir / "echo.log", "ab") as log:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, str(ECHO_BOT), emulator.url, ECHO_TOKEN],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)


async def burst(emulator: Emulator, token: str, messages: int, users: int) -> float:
    """Replies per second to `messages` messages sent at once by `users` registered focal points."""
    people = [emulator.user(FOCAL_TELEGRAM_BASE + 2 + n % (UNIT_COUNT - 1), f"Đầu mối {n}", token=token)
              for n in range(users)]
    chats = {person.id for person in people}
    started = time.time() * 1000
    for n in range(messages):
        people[n % users].send_text(BURST_TEXT)

    def replies() -> list[int]:
        return sorted(m.sent_at for m in emulator.sent(token=token) if m.chat_id in chats and m.sent_at >= started)

    stamps = await emulator.wait_for(lambda: (found := replies()) and len(found) >= messages and found,
                                     timeout=60 + messages, interval=0.2,
                                     message=f"{messages} replies did not come ({token.split(':')[1]})")
    return messages / ((stamps[messages - 1] - started) / 1000)
