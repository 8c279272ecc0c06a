"""Issue 4, test 3: several bot processes on one database. On PostgreSQL they share the work
(FOR UPDATE SKIP LOCKED and a lease) and no reminder goes out twice; on SQLite only one dispatches,
and the other says so in its log."""

from __future__ import annotations

import pytest

from tests.databases import fresh_database
from tests.reliability.fleet import deliveries, outbox_rows, seed_burst, statuses, wait_until

pytestmark = pytest.mark.e2e

NOT_DISPATCHING = "does not send reminders"


async def _all_sent(rt) -> bool:
    return (await statuses(rt)).keys() == {"sent"}


@pytest.mark.postgres
async def test_two_bot_processes_on_one_postgresql_share_2000_reminders_without_a_single_duplicate(
    bots, emulator, postgres_url
):
    rt = await fresh_database(postgres_url)
    try:
        # Each replica polls with its own token (one getUpdates per token); deliveries are summed.
        first = bots(postgres_url, "first", outbox_lease_seconds=10)
        second = bots(postgres_url, "second", outbox_lease_seconds=10)
        burst = await seed_burst(rt, [20_000 + n for n in range(400)], 5)
        assert len(burst.pairs) >= 2000

        await wait_until(lambda: _all_sent(rt), timeout=90, message="the replicas did not send every reminder")
        got = deliveries(emulator, first.token, second.token)
        assert set(got) == burst.pairs, "every reminder reaches its chat"
        twice = {pair: n for pair, n in got.items() if n > 1}
        assert not twice, f"{len(twice)} reminders went out more than once, e.g. {list(twice.items())[:5]}"
        rows = await outbox_rows(rt)
        assert not any(r.uncertain for r in rows)
        workers = {r.claimed_by.rsplit(":", 1)[1] for r in rows}
        assert workers == {str(first.proc.pid), str(second.proc.pid)}, "both processes did a share of the work"
        assert not first.errors_logged() and not second.errors_logged()
    finally:
        await rt.close()


async def test_a_second_bot_process_on_one_sqlite_file_does_not_dispatch_and_says_so(bots, emulator, tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'shared.sqlite3'}"
    rt = await fresh_database(url)
    try:
        first = bots(url, "first", outbox_lease_seconds=10)
        second = bots(url, "second", outbox_lease_seconds=10)
        burst = await seed_burst(rt, [30_000 + n for n in range(100)], 5)

        await wait_until(lambda: _all_sent(rt), timeout=60, message="the dispatcher did not send every reminder")
        got = deliveries(emulator, first.token, second.token)
        assert set(got) == burst.pairs and set(got.values()) == {1}
        workers = {r.claimed_by.rsplit(":", 1)[1] for r in await outbox_rows(rt)}
        assert workers == {str(first.proc.pid)}, "only the first process dispatched"
        assert NOT_DISPATCHING in second.log_text(), "the second process says it does not dispatch"
        assert second.log_text().count(NOT_DISPATCHING) == 1, "…once, not on every tick"
        assert NOT_DISPATCHING not in first.log_text()
        assert not first.errors_logged() and not second.errors_logged()
    finally:
        await rt.close()
