"""Issue 20: kill -9 during a burst of notices on Zalo, then a restart: nothing lost, and the only duplicates
are rows the outbox flagged as uncertain (marked "sending", sent, then killed before it could record so).

The Zalo emulator runs in a process of its own (``python -m tests.zalo_emulator``) and so does the bot
(``python -m bot run`` with ``ZALO_BOT_TOKEN`` and ``ZALO_API_BASE_URL`` pointing at it, Telegram on the Bot API
emulator as in the other reliability tests). The kill is synchronised on the Zalo emulator's count of sends."""

from __future__ import annotations

import pytest

from tests.databases import fresh_database
from tests.reliability.fleet import seed_zalo_burst, wait_until, zalo_deliveries, zalo_outbox_rows
from tests.zalo_emulator.process import ZaloEmulatorProcess

pytestmark = pytest.mark.e2e

TOKEN = "1459232241454765289:dondoc-zalo-crash-token"
USERS = [f"zalo-burst-{n}" for n in range(150)]
PER_USER = 2  # 300 reminders, one message per person
KILL_AFTER = 40  # messages the emulator has accepted when the process is killed


async def test_a_bot_killed_mid_zalo_burst_loses_nothing_after_restart_and_duplicates_only_uncertain_rows(
        bots, database_url):
    rt = await fresh_database(database_url)
    try:
        burst = await seed_zalo_burst(rt, USERS, PER_USER)
        assert len(burst) == len(USERS) * PER_USER
        async with ZaloEmulatorProcess(token=TOKEN) as zalo:
            bot = bots(database_url, ZALO_BOT_TOKEN=TOKEN, ZALO_API_BASE_URL=zalo.base_url,
                       ZALO_POLL_TIMEOUT_SECONDS=1, ZALO_SEND_RATE_PER_SECOND=200, ZALO_PRIVATE_PER_SECOND=200)

            await zalo.wait_sent(None, KILL_AFTER, timeout=60)
            bot.kill()
            interrupted = [row.status for row in await zalo_outbox_rows(rt)]
            assert interrupted.count("pending") > 0, f"the burst was over before the kill: {set(interrupted)}"
            before_restart = len(await zalo.sent())
            assert before_restart < len(USERS), "the burst was over before the kill"

            bot.start()

            async def all_sent() -> bool:
                return {row.status for row in await zalo_outbox_rows(rt)} == {"sent"}

            await wait_until(all_sent, timeout=90, message="not every Zalo notice was sent after the restart")
            rows = await zalo_outbox_rows(rt)
            got = zalo_deliveries(await zalo.sent())

        lost = burst - set(got)
        assert not lost, f"{len(lost)} notices never reached their person, e.g. {sorted(lost)[:5]}"
        assert set(got) <= burst, "a person got a notice meant for another"
        uncertain = {row.pair for row in rows if row.uncertain}
        duplicated = {pair for pair, count in got.items() if count > 1}
        assert duplicated <= uncertain, f"duplicates not flagged uncertain: {sorted(duplicated - uncertain)[:5]}"
        # One address's batch is in flight at a time: only its rows can have been caught "sending".
        assert len({user for user, _ in uncertain}) <= 1 and len(uncertain) <= PER_USER, sorted(uncertain)
        assert not bot.errors_logged()
    finally:
        await rt.close()
