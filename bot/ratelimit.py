"""Our own send limiter: an overall rate, at most one message a second per private chat and twenty a
minute per group, as even spacing (so no sliding window ever holds more than the limit).

A caller reserves the first moment all its limits allow, then sleeps until it. Telegram counts messages
when they arrive, not when we book them: a message may arrive late (a busy event loop, the network).
The dispatcher books each message only once the one before it has been answered, so a message arrives
before the next one's slot: at most one booked before a window arrives inside it. The overall and group
rates therefore book one message fewer than their limit per window."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

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


def _booked(limit: float) -> float:
    """The rate booked of a limit: one message fewer per window, when the limit allows more than one."""
    return limit - 1 if limit > 1 else limit
