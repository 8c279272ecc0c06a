"""Sending what the outbox holds: claim due rows, hand each to a sender, record the outcome.

The sender is given by the app (it knows Telegram); it reports how a send went by raising one of the
outcomes below, so these rules stay free of any Bot API detail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from bot.runtime import Runtime
from bot.services import notify
from bot.services.common import record
from storage.models import Chat, Outbox

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5
BATCH = 50


class RetryLater(Exception):
    """Rate-limited: try again after `seconds`; not counted as an attempt."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class Unreachable(Exception):
    """The bot was blocked or the chat is gone."""


class Transient(Exception):
    """A server or connection error: retry with backoff, a bounded number of times."""


class Uncertain(Exception):
    """No answer in time: Telegram may have delivered it, so it is not resent automatically."""


class Migrated(Exception):
    """A group became a supergroup with a new id."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(new_chat_id)
        self.new_chat_id = new_chat_id


@dataclass(frozen=True)
class Delivery:
    id: int
    chat_id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


Sender = Callable[[Delivery], Awaitable[None]]


async def claim(rt: Runtime, now: datetime, worker: str, limit: int = BATCH) -> list[Delivery]:
    """Take due rows (and rows whose claim lapsed) under a lease; SKIP LOCKED lets replicas share."""
    async with rt.transaction() as session:
        query = (
            select(Outbox)
            .where(
                Outbox.due_at <= now,
                or_(Outbox.status == "pending", (Outbox.status == "claimed") & (Outbox.lease_until < now)),
            )
            .order_by(Outbox.due_at, Outbox.id)
            .limit(limit)
        )
        if rt.engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(await session.scalars(query))
        for row in rows:
            row.status, row.lease_until, row.claimed_by = "claimed", now + LEASE, worker
        return [Delivery(r.id, r.chat_id, r.kind, dict(r.payload), r.attempts) for r in rows]


async def _finish(rt: Runtime, item: Delivery, **values: Any) -> None:
    async with rt.transaction() as session:
        await session.execute(update(Outbox).where(Outbox.id == item.id).values(**values))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


async def dispatch_once(rt: Runtime, send: Sender, now: datetime, worker: str) -> int:
    """Send one batch; returns how many rows were handled."""
    items = await claim(rt, now, worker)
    for item in items:
        try:
            await send(item)
        except RetryLater as wait:
            await _finish(rt, item, status="pending", due_at=now + timedelta(seconds=wait.seconds), lease_until=None)
        except Unreachable as error:
            await _finish(rt, item, status="dead", last_error=str(error)[:500])
            await _tell_office_unreachable(rt, item.chat_id, now)
        except Uncertain as error:
            await _finish(rt, item, status="uncertain", last_error=str(error)[:500])
        except Migrated as moved:
            await _migrate(rt, item, moved.new_chat_id)
        except Transient as error:
            attempts = item.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                await _finish(rt, item, status="dead", attempts=attempts, last_error=str(error)[:500])
            else:
                await _finish(rt, item, status="pending", attempts=attempts, due_at=now + backoff(attempts),
                              lease_until=None, last_error=str(error)[:500])
        else:
            await _finish(rt, item, status="sent", sent_at=now, attempts=item.attempts + 1)
    return len(items)


async def _migrate(rt: Runtime, item: Delivery, new_chat_id: int) -> None:
    async with rt.transaction() as session:
        await session.execute(update(Chat).where(Chat.telegram_chat_id == item.chat_id).values(telegram_chat_id=new_chat_id))
        await session.execute(
            update(Outbox).where(Outbox.chat_id == item.chat_id, Outbox.status.in_(["pending", "claimed"]))
            .values(chat_id=new_chat_id, status="pending", lease_until=None)
        )


async def _tell_office_unreachable(rt: Runtime, chat_id: int, now: datetime) -> None:
    """Mark the chat unreachable and, the first time only, tell the office."""
    async with rt.transaction() as session:
        chat = await session.scalar(select(Chat).where(Chat.telegram_chat_id == chat_id))
        if chat is None:
            chat = Chat(telegram_chat_id=chat_id, kind="private", created_at=now)
            session.add(chat)
        elif not chat.reachable:
            return
        chat.reachable = False
        event = record(session, None, None, "chat_unreachable", now, chat_id=chat_id)
        office = await notify.office_chats(session)
        await notify.enqueue(session, event, None, office - {chat_id}, "notify.chat_unreachable", now,
                             chat=chat.title or str(chat_id))
