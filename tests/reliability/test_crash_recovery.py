"""Issue 4, test 1: kill -9 during a burst of reminders, then a restart: nothing lost, and the only
duplicates are rows the outbox flagged as uncertain (sent, then killed before it could record so)."""

from __future__ import annotations

import pytest

from tests.databases import fresh_database
from tests.reliability.fleet import deliveries, outbox_rows, seed_burst, statuses, wait_until

pytestmark = pytest.mark.e2e

CHATS = [10_000 + n for n in range(400)]
PER_CHAT = 5  # 2,000 reminders
# The pace does not change what a kill -9 can lose or duplicate (one claimed batch is in flight either way):
# 400 messages at the default 25/s would take 16 s per database for nothing (as in test_stop_and_restart).
FAST = {"send_rate_per_second": 150}


async def test_a_bot_killed_mid_burst_loses_no_reminder_after_restart_and_duplicates_only_uncertain_rows(
    bots, emulator, database_url
):
    rt = await fresh_database(database_url)
    try:
        burst = await seed_burst(rt, CHATS, PER_CHAT)
        assert len(burst.pairs) >= 2000
        bot = bots(database_url, **FAST)

        await emulator.wait_for(lambda: len(emulator.sent(token=bot.token)) >= 120, timeout=60,
                                message="the burst did not start")
        bot.kill()
        interrupted = await statuses(rt)
        assert interrupted["pending"] > 0, f"the burst was over before the kill: {interrupted}"

        bot.start()

        async def all_sent() -> bool:
            return (await statuses(rt)).keys() == {"sent"}

        await wait_until(all_sent, timeout=90, message="not every reminder was sent after the restart")
        rows = await outbox_rows(rt)
        got = deliveries(emulator, bot.token)

        lost = burst.pairs - set(got)
        assert not lost, f"{len(lost)} reminders never reached their chat, e.g. {sorted(lost)[:5]}"
        assert set(got) <= burst.pairs, "a chat got a reminder meant for another"
        uncertain = {(r.chat_id, r.payload["code"]) for r in rows if r.uncertain}
        duplicated = {pair for pair, count in got.items() if count > 1}
        assert duplicated <= uncertain, f"duplicates not flagged uncertain: {sorted(duplicated - uncertain)[:5]}"
        assert len(uncertain) <= 100, "only a batch in flight can be uncertain"
        assert not bot.errors_logged()
    finally:
        await rt.close()
