"""Our own send limiter: an overall rate, at most one message a second per private chat and twenty a
minute per group. Each limit is a leaky bucket of size one, so no sliding window ever exceeds it."""

from __future__ import annotations

from collections import OrderedDict

from aiolimiter import AsyncLimiter

MAX_TRACKED_CHATS = 10_000


class SendLimiter:
    def __init__(self, per_second: float, private_per_second: float = 1.0, group_per_minute: float = 20.0) -> None:
        self._overall = AsyncLimiter(1, 1.0 / per_second)
        self._private_period = 1.0 / private_per_second
        self._group_period = 60.0 / group_per_minute
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()

    def _chat(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.pop(chat_id, None)
        if limiter is None:
            limiter = AsyncLimiter(1, self._group_period if chat_id < 0 else self._private_period)
        self._chats[chat_id] = limiter
        if len(self._chats) > MAX_TRACKED_CHATS:
            self._chats.popitem(last=False)
        return limiter

    async def acquire(self, chat_id: int) -> None:
        await self._chat(chat_id).acquire()
        await self._overall.acquire()
