"""Issue 24, part 4: the real bot process stopped as systemd stops it (SIGTERM, then SIGKILL after
TimeoutStopSec=30) in the middle of 10,000 due reminders exits before that, and the next process sends the
rest: 0 lost, 0 duplicated (counted in the emulator). A database it cannot reach is one clear line and a
non-zero exit; Telegram refusing the token mid-run exits 2 with no asyncio debris in the log."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.databases import fresh_database
from tests.e2e.bot_process import BotProcess
from tests.reliability.fleet import deliveries, seed_burst, statuses, wait_until

pytestmark = pytest.mark.e2e

SYSTEMD_STOP_TIMEOUT = 30  # deploy/…service TimeoutStopSec: after it systemd sends SIGKILL
CHATS = [60_000 + n for n in range(500)]
PER_CHAT = 20  # 10,000 reminders, 500 messages (a chat's due reminders go out merged)
FAST = {"send_rate_per_second": 150, "dispatch_interval_seconds": 1}


async def test_sigterm_with_10000_due_reminders_exits_before_systemd_kills_it_and_the_next_process_sends_the_rest_once(
    bots, emulator, database_url
):
    rt = await fresh_database(database_url)
    try:
        burst = await seed_burst(rt, CHATS, PER_CHAT)
        assert len(burst.pairs) == 10_000
        first = bots(database_url, "first", **FAST)
        await emulator.wait_for(lambda: len(emulator.sent(token=first.token)) >= 20, timeout=60,
                                message="the burst did not start")
        assert first.proc is not None
        asked = time.monotonic()
        first.proc.send_signal(signal.SIGTERM)
        try:
            code = first.proc.wait(SYSTEMD_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {SYSTEMD_STOP_TIMEOUT}s after SIGTERM: systemd would kill it")
        print(f"exit after SIGTERM with {len(burst.pairs)} due: {time.monotonic() - asked:.2f} s")
        first.stop()
        assert code == 0, f"a graceful stop exits 0, not {code}:\n{first.log_tail()}"

        left = await statuses(rt)
        assert set(left) <= {"sent", "pending"}, f"rows still claimed after a graceful stop: {left}"
        assert left["pending"] > 0, "the stop came before the burst was over"

        second = bots(database_url, "second", token=first.token, **FAST)

        async def all_sent() -> bool:
            return (await statuses(rt)).keys() == {"sent"}

        await wait_until(all_sent, timeout=240, message="the next process did not send the rest")
        got = deliveries(emulator, first.token)
        assert not burst.pairs - set(got), f"{len(burst.pairs - set(got))} reminders lost"
        twice = {pair: n for pair, n in got.items() if n > 1}
        assert not twice, f"{len(twice)} sent twice, e.g. {list(twice.items())[:5]}"
        assert "another process holds the dispatcher lease" not in second.log_text()
        assert not first.errors_logged() and not second.errors_logged()
    finally:
        await rt.close()


def test_an_unreachable_database_is_one_clear_line_and_a_non_zero_exit(emulator, tmp_path):
    bot = BotProcess(emulator, tmp_path, token="7600000001:dondoc-unreachable-db")
    env = {**bot.env(), "DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"}
    done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode not in (0, None), output
    assert "Traceback" not in output, output[-3000:]
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("Không kết nối được cơ sở dữ liệu") or "cơ sở dữ liệu" in last, last


def test_a_token_refused_mid_run_exits_2_without_asyncio_debris(emulator, tmp_path):
    bot = BotProcess(emulator, tmp_path, token="7600000002:dondoc-revoked-mid-run")
    bot.start()
    rule = emulator.inject_fault("getUpdates", 401, count=None, description="Unauthorized")
    try:
        assert bot.proc is not None
        code = bot.proc.wait(60)
    finally:
        emulator.clear_fault(rule)
        bot.stop()
    log = bot.log_text()
    assert code == 2, log[-3000:]
    assert "Task was destroyed but it is pending" not in log, log[-3000:]
    assert "Event loop is closed" not in log, log[-3000:]
    assert log.strip().splitlines()[-1].startswith("Telegram từ chối TELEGRAM_BOT_TOKEN"), log[-2000:]
