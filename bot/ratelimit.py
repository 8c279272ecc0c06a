"""Our own send limiter: an overall rate, at most one message a second per private chat and twenty a
minute per group, as even spacing (so no sliding window ever holds more than the limit).

A caller reserves the first moment all its limits allow, then sleeps until it. Telegram counts messages
when they arrive, not when we book them: a message may arrive late (a busy event loop, the network).
The dispatcher books each message only once the one before it has been answered, so a message arrives
before the next one's slot: at most one booked before a window arrives inside it. The overall and group
rates therefore book one message fewer than their limit per window.

`SharedSendLimiter` books the same slots in the database (the `send_budget` table: a channel's next free
moment, and each address's), so every replica of the bot draws on one budget per channel: N replicas
together stay under Telegram's limits (or Zalo's), not N times them."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any, cast

from sqlalchemy import Table, func, literal, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import SendBudget

MAX_TRACKED_CHATS = 10_000
PRIVATE_MARGIN = 1.02  # one a second leaves nothing to keep back: a little slower instead


class SendLimiter:
    def __init__(self, per_second: float, private_per_second: float = 1.0, group_per_minute: float = 20.0,
                 margin: float | None = None) -> None:
        # `margin`: book the overall rate that much slower (0.03: 3 %) instead of one message fewer a window —
        # for a low configured rate (Zalo's), where one fewer a second would waste a large share of it.
        self._overall_gap = (1.0 + margin) / per_second if margin is not None else 1.0 / _booked(per_second)
        self._private_gap = PRIVATE_MARGIN / private_per_second
        self._group_gap = 60.0 / _booked(group_per_minute)
        self._overall_next = 0.0
        self._chat_next: OrderedDict[int, float] = OrderedDict()

    def reserve(self, address: int, now: float, group: bool = False) -> float:
        """The moment this address's next message may go, booked for it."""
        start = max(now, self._overall_next, self._chat_next.pop(address, 0.0))
        self._overall_next = start + self._overall_gap
        self._chat_next[address] = start + (self._group_gap if group else self._private_gap)
        while len(self._chat_next) > MAX_TRACKED_CHATS:
            self._chat_next.popitem(last=False)
        return start

    async def acquire(self, address: int, group: bool = False) -> None:
        now = time.monotonic()
        delay = self.reserve(address, now, group) - now
        if delay > 0:
            await asyncio.sleep(delay)


_BUDGET = cast(Table, SendBudget.__table__)


class SharedSendLimiter(SendLimiter):
    """The limits of `SendLimiter`, booked in the database for one channel (its name, e.g. "telegram" or
    "zalo") so that every process sending on it shares them. Moments are wall-clock seconds (time.time()),
    the one clock replicas share. A booking is one short transaction that takes the address's row, then
    the channel's, always in that order (no deadlock between replicas)."""

    def __init__(self, engine: AsyncEngine, channel: str, per_second: float, private_per_second: float = 1.0,
                 group_per_minute: float = 20.0) -> None:
        super().__init__(per_second, private_per_second, group_per_minute)
        self.engine = engine
        self.channel = channel

    async def book(self, address: int, now: float, group: bool = False) -> float:
        """The moment this address's next message may go on this channel, booked for it in the database."""
        chat_key = f"{self.channel}:@{address}"
        chat_gap = self._group_gap if group else self._private_gap
        async with self.engine.begin() as conn:
            postgres = conn.dialect.name == "postgresql"
            insert = pg_insert if postgres else sqlite_insert
            greatest = func.greatest if postgres else func.max  # SQLite's max() of two values
            if postgres:  # a booking lost to a crash books nothing anyone waits for: no need to wait for the disk
                await conn.execute(text("SET LOCAL synchronous_commit = off"))
            # The address's next moment, its row taken (inserted at `now` the first time).
            chat = insert(_BUDGET).values(key=chat_key, next_at=now)
            chat_next = float(await conn.scalar(
                chat.on_conflict_do_update(index_elements=["key"], set_={"next_at": _BUDGET.c.next_at})
                .returning(_BUDGET.c.next_at)) or now)
            floor = max(now, chat_next)
            # The channel's next moment, moved one overall gap past this booking.
            channel = insert(_BUDGET).values(key=self.channel, next_at=floor + self._overall_gap)
            after: Any = greatest(_BUDGET.c.next_at, literal(floor)) + self._overall_gap
            overall_next = float(await conn.scalar(
                channel.on_conflict_do_update(index_elements=["key"], set_={"next_at": after})
                .returning(_BUDGET.c.next_at)) or floor + self._overall_gap)
            start = overall_next - self._overall_gap
            await conn.execute(update(_BUDGET).where(_BUDGET.c.key == chat_key).values(next_at=start + chat_gap))
        return start

    async def acquire(self, address: int, group: bool = False) -> None:
        now = time.time()
        delay = await self.book(address, now, group) - now
        if delay > 0:
            await asyncio.sleep(delay)


def _booked(limit: float) -> float:
    """The rate booked of a limit: one message fewer per window, when the limit allows more than one."""
    return limit - 1 if limit > 1 else limit
