"""Issue 24, part 5: one send budget per channel shared through the database, so replicas together stay
under the limits. Two "replicas" (their own engines, their own limiters) book at once on one database: the
booked moments of both together never put more than the budget in any one-second window, a private chat
never gets two within a second, and another channel has its own budget. Then two dispatchers on one
database send N reminders, and the moments the sender was called obey the same budget."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from bot.outbox import Delivery, Dispatcher, Recipient
from bot.ratelimit import SharedSendLimiter
from bot.runtime import Runtime
from tests.conftest import NOW, make_settings
from tests.e2e.harness import max_in_window
from tests.reliability.fleet import seed_burst

RATE = 10.0


def _most_in_a_second(moments: list[float]) -> int:
    """Moments spaced exactly 1/n s apart put the (n+1)th on the window's edge: rounding must not decide."""
    return max_in_window([m * 1000 for m in moments], 1000.0 - 1e-3)


async def _replica(url: str) -> Runtime:
    return Runtime.build(make_settings(), url)


async def test_two_replicas_booking_at_once_share_one_budget_per_channel(rt, database_url):
    other = await _replica(database_url)
    try:
        mine = SharedSendLimiter(rt.engine, "telegram", RATE)
        theirs = SharedSendLimiter(other.engine, "telegram", RATE)
        zalo = SharedSendLimiter(other.engine, "zalo", RATE)
        start = 1_000.0  # seconds: a fixed moment, so nothing here waits

        async def book(limiter: SharedSendLimiter, addresses: range) -> list[tuple[int, float]]:
            return [(a, await limiter.book(a, start)) for a in addresses]

        a, b, z = await asyncio.gather(book(mine, range(1, 31)), book(theirs, range(101, 131)),
                                       book(zalo, range(1, 31)))
        telegram = sorted(moment for _, moment in a + b)
        assert len(telegram) == 60
        assert _most_in_a_second(telegram) <= RATE - 1, "the booked rate leaves one a second"
        assert telegram[-1] - start >= 60 / (RATE - 1) - 1 / (RATE - 1) - 1e-6, "the second replica waited its turn"
        # Zalo's budget is its own: its bookings began at `start` like Telegram's first one.
        assert min(m for _, m in z) == start
        assert _most_in_a_second([m for _, m in z]) <= RATE - 1

        # One private chat booked from both replicas: a second apart at least.
        again = sorted([await mine.book(7, start), await theirs.book(7, start), await mine.book(7, start)])
        assert all(later - earlier >= 1.0 for earlier, later in zip(again, again[1:], strict=False))
    finally:
        await other.close()


async def test_two_dispatchers_on_one_database_never_exceed_the_budget_in_any_second(rt, database_url):
    other = await _replica(database_url)
    try:
        rate = 40.0
        burst = await seed_burst(rt, [70_000 + n for n in range(240)], 1, now=NOW)  # 3 claimed batches
        sent: list[tuple[str, float]] = []

        def sender(name: str):  # noqa: ANN202
            async def send(recipient: Recipient, items: list[Delivery]) -> None:
                sent.append((name, time.time()))
            return send

        booked: list[float] = []

        class Recorded(SharedSendLimiter):
            """The moments the shared budget gives out (what the test judges: a send's own wall-clock time
            also carries the event loop's wake-up jitter on a busy machine)."""

            async def book(self, address: int, now: float, group: bool = False) -> float:
                moment = await super().book(address, now, group)
                booked.append(moment)
                return moment

        one = Dispatcher(rt, sender("one"), "elsewhere:1", Recorded(rt.engine, "telegram", rate))
        two = Dispatcher(other, sender("two"), "elsewhere:2", Recorded(other.engine, "telegram", rate))

        async def drain(dispatcher: Dispatcher) -> None:
            while await dispatcher.run_once(NOW + timedelta(seconds=1)):
                pass

        await asyncio.gather(drain(one), drain(two))

        assert len(sent) == len(burst.pairs)
        if rt.engine.dialect.name == "postgresql":
            assert {name for name, _ in sent} == {"one", "two"}, "both replicas sent (on SQLite one holds the lease)"
        assert len(booked) == len(sent)
        assert max_in_window([at * 1000 for at in booked]) <= rate, "never more than the budget in one second"
    finally:
        await other.close()
