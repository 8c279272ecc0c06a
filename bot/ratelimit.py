"""Our own send limiter: an overall rate, at most one message a second per private chat and twenty a
minute per group, as even spacing (so no sliding window ever holds more than the limit).

A caller reserves the first moment all its limits allow, then sleeps until it. Telegram counts messages
when they arrive, not when we send them, so two things are kept for the way there:
- a caller woken late (a busy event loop) moves the next slots on from the moment it really woke, so a
  late message is never followed at once by one that was on time;
- the overall and group rates leave one message of their window unbooked: the dispatcher sends one message
  after another, so at most one sent before a window can arrive inside it."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

MAX_TRACKED_CHATS = 10_000
PRIVATE_MARGIN = 1.02  # one a second leaves nothing unbooked: a little slower instead


class SendLimiter:
    def __init__(self, per_second: float, private_per_second: float = 1.0, group_per_minute: float = 20.0) -> None:
        self._overall_gap = 1.0 / _unbooked(per_second)
        self._private_gap = PRIVATE_MARGIN / private_per_second
        self._group_gap = 60.0 / _unbooked(group_per_minute)
        self._overall_next = 0.0
        self._chat_next: OrderedDict[int, float] = OrderedDict()

    def reserve(self, chat_id: int, now: float) -> float:
        """The moment this chat's next message may go, booked for it."""
        start = max(now, self._overall_next, self._chat_next.pop(chat_id, 0.0))
        self._overall_next = start + self._overall_gap
        self._chat_next[chat_id] = start + self._chat_gap(chat_id)
        while len(self._chat_next) > MAX_TRACKED_CHATS:
            self._chat_next.popitem(last=False)
        return start

    def woke(self, chat_id: int, slot: float, now: float) -> None:
        """The caller booked `slot` but woke at `now`: the next slots count from `now`."""
        if now > slot:
            self._overall_next = max(self._overall_next, now + self._overall_gap)
            if chat_id in self._chat_next:
                self._chat_next[chat_id] = max(self._chat_next[chat_id], now + self._chat_gap(chat_id))

    async def acquire(self, chat_id: int) -> None:
        now = time.monotonic()
        slot = self.reserve(chat_id, now)
        if slot > now:
            await asyncio.sleep(slot - now)
        self.woke(chat_id, slot, time.monotonic())

    def _chat_gap(self, chat_id: int) -> float:
        return self._group_gap if chat_id < 0 else self._private_gap


def _unbooked(limit: float) -> float:
    """The rate booked of a limit: one message fewer per window, when the limit allows more than one."""
    return limit - 1 if limit > 1 else limit
