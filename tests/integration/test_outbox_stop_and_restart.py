"""Issue 24, part 4: stopping and restarting. A dispatcher told to stop (SIGTERM) claims nothing more, gives
back what it holds and the SQLite lease, and the next process sends the rest at once, nothing twice; a
dispatcher that dies (stops heartbeating) loses its claims after the short lease, and one whose process is
gone on this host loses them at once. Time is passed in: every step is synchronised explicitly."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.outbox import Delivery, Dispatcher, Recipient, process_gone
from storage.models import Lease, OutboxPending
from tests.conftest import NOW
from tests.integration.test_reminders import NoLimit
from tests.outbox_all import every_row
from tests.reliability.fleet import seed_burst

CHATS = [50_000 + n for n in range(30)]
PER_CHAT = 5  # 150 rows: a claimed batch of 100 (20 chats) and the rest


class Sends:
    """A sender that counts (chat, code) deliveries and can run a hook after its n-th send."""

    def __init__(self) -> None:
        self.got: Counter[tuple[int, str]] = Counter()
        self.calls = 0
        self.after: dict[int, object] = {}

    async def __call__(self, recipient: Recipient, items: list[Delivery]) -> None:
        self.calls += 1
        for item in items:
            self.got[(int(recipient.external_id), item.payload["code"])] += 1
        hook = self.after.get(self.calls)
        if callable(hook):
            hook()


async def _statuses(rt) -> Counter[str]:  # noqa: ANN001
    async with rt.sessions() as session:
        r = every_row()
        return Counter(dict((await session.execute(select(r.c.status, func.count()).group_by(r.c.status))).all()))


async def _lease_holder(rt) -> str | None:  # noqa: ANN001
    async with rt.sessions() as session:
        return await session.scalar(select(Lease.holder).where(Lease.name == "dispatcher"))


def _a_pid_that_has_exited() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


async def _drain(dispatcher: Dispatcher, now) -> None:  # noqa: ANN001
    while await dispatcher.run_once(now):
        pass


async def test_a_stopped_dispatcher_gives_back_its_rows_and_lease_and_the_next_one_sends_the_rest_once(rt):
    burst = await seed_burst(rt, CHATS, PER_CHAT, now=NOW)
    sends = Sends()
    first = Dispatcher(rt, sends, "host-a:1", NoLimit())  # type: ignore[arg-type]
    sends.after[3] = first.stop  # SIGTERM arrives while the third message is in flight

    handled = await first.run_once(NOW)

    assert handled == 100, "the pass had claimed a full batch"
    assert sends.calls == 3, "the message in flight was finished, nothing sent after the stop"
    assert await first.run_once(NOW) == 0, "a stopped dispatcher claims nothing more"
    statuses = await _statuses(rt)
    assert statuses == {"sent": 3 * PER_CHAT, "pending": len(burst.pairs) - 3 * PER_CHAT}, statuses
    async with rt.sessions() as session:
        held = await session.scalar(select(func.count()).select_from(OutboxPending)
                                    .where(OutboxPending.lease_until.is_not(None)))
        queued = await session.scalar(select(func.count()).select_from(OutboxPending))
    assert held == 0, "no row keeps a lease"
    assert queued == statuses["pending"], "the rows given back wait in the queue"

    await first.release()
    assert await _lease_holder(rt) is None, "the SQLite lease was given back"

    second = Dispatcher(rt, sends, "host-b:2", NoLimit())  # type: ignore[arg-type]
    assert await second.run_once(NOW + timedelta(milliseconds=1)) > 0, "the next process sends at once"
    await _drain(second, NOW + timedelta(milliseconds=2))

    assert set(sends.got) == burst.pairs, "nothing lost"
    assert max(sends.got.values()) == 1, "nothing sent twice"
    assert (await _statuses(rt)) == {"sent": len(burst.pairs)}


async def test_a_stop_between_passes_leaves_no_row_claimed_and_release_gives_back_rows_still_held(rt):
    await seed_burst(rt, CHATS, PER_CHAT, now=NOW)
    first = Dispatcher(rt, Sends(), "host-a:1", NoLimit())  # type: ignore[arg-type]
    assert await first.holds_lease(NOW)
    claimed = await first.claim(NOW, True)  # a pass cut off after its claim (its task cancelled)
    assert len(claimed) == 100

    await first.release()

    statuses = await _statuses(rt)
    assert statuses == {"pending": len(CHATS) * PER_CHAT}, statuses
    assert await _lease_holder(rt) is None


async def test_a_dispatcher_that_dies_loses_its_claims_and_lease_after_the_short_lease_not_before(rt):
    burst = await seed_burst(rt, CHATS, PER_CHAT, now=NOW)
    lease = timedelta(seconds=rt.settings.outbox_lease_seconds)
    dead = Dispatcher(rt, Sends(), "elsewhere:1", NoLimit())  # type: ignore[arg-type]
    assert await dead.holds_lease(NOW)
    assert len(await dead.claim(NOW, True)) == 100
    sends = Sends()
    other = Dispatcher(rt, sends, "elsewhere:2", NoLimit())  # type: ignore[arg-type]

    # Alive: its heartbeat renews the lease and its rows; the other takes only what nobody holds.
    await dead.heartbeat(NOW + lease * 0.8)
    await _drain(other, NOW + lease * 1.5)
    taken_while_alive = set(sends.got)
    if rt.engine.dialect.name == "sqlite":
        assert not taken_while_alive, "one dispatcher per SQLite file while the holder beats"
    else:
        assert len(taken_while_alive) == len(burst.pairs) - 100, "the unheld rows are shared at once"

    # It dies: no more heartbeats. One lease after its last beat, the other takes everything over.
    await _drain(other, NOW + lease * 1.8 + timedelta(seconds=1))
    assert set(sends.got) == burst.pairs, "nothing lost"
    assert max(sends.got.values()) == 1, "nothing twice"
    if rt.engine.dialect.name == "sqlite":
        assert await _lease_holder(rt) == "elsewhere:2"


async def test_claims_and_the_lease_of_a_process_gone_from_this_host_are_taken_over_at_once(rt):
    burst = await seed_burst(rt, CHATS, PER_CHAT, now=NOW)
    pid = _a_pid_that_has_exited()
    killed = f"{socket.gethostname()}:{pid}"
    assert process_gone(killed) and not process_gone("another-host:1")
    dead = Dispatcher(rt, Sends(), killed, NoLimit())  # type: ignore[arg-type]
    assert await dead.holds_lease(NOW)
    assert len(await dead.claim(NOW, True)) == 100

    sends = Sends()
    restarted = Dispatcher(rt, sends, f"{socket.gethostname()}:{pid + 1_000_000}", NoLimit())  # type: ignore[arg-type]
    await _drain(restarted, NOW + timedelta(seconds=1))  # well inside the lease

    assert set(sends.got) == burst.pairs, "the dead process's rows went out without waiting for its lease"
    assert max(sends.got.values()) == 1


async def test_the_heartbeat_renews_only_what_this_process_holds(rt):
    await seed_burst(rt, CHATS, PER_CHAT, now=NOW)
    one = Dispatcher(rt, Sends(), "elsewhere:1", NoLimit())  # type: ignore[arg-type]
    assert await one.holds_lease(NOW)
    mine = {d.id for d in await one.claim(NOW, True)}
    later = NOW + timedelta(seconds=5)
    await one.heartbeat(later)
    async with rt.sessions() as session:
        leases = dict((await session.execute(select(OutboxPending.id, OutboxPending.lease_until))).all())
        until = await session.scalar(select(Lease.until).where(Lease.name == "dispatcher"))
    expected = later + one.lease
    assert {leases[i] for i in mine} == {expected}
    assert all(leases[i] is None for i in leases if i not in mine)
    if rt.engine.dialect.name == "sqlite":
        assert until == expected


@pytest.mark.parametrize("lease, beat, expected", [(10.0, 2.0, 2.0), (3.0, 2.0, 1.0)])
def test_the_heartbeat_comes_at_least_three_times_a_lease(rt, lease, beat, expected):  # noqa: ANN001
    rt.settings = rt.settings.model_copy(update={"outbox_lease_seconds": lease, "outbox_heartbeat_seconds": beat})
    assert Dispatcher(rt, Sends(), "x", NoLimit()).heartbeat_every == expected  # type: ignore[arg-type]
