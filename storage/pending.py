"""The outbox's queue: `outbox_pending` holds the id and due time of every outbox row that is due to be
sent (status pending or sending) and nothing else, so the dispatcher's claim reads and locks only a small
table. Every write of an outbox row's status calls one of these in the same transaction (explicitly, never
through ORM listeners): `enqueue` for new rows, `requeue` for rows made pending again, `dequeue` for rows
that leave (sent, void, dead, held, uncertain)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.models import UNSENT, Outbox, OutboxPending

QUEUE = cast(Table, OutboxPending.__table__)
# The queue's kind of a notice that may wait (the outbox row stays a "notify"): the dispatcher sends it along
# with the next message to its address, or at its due time (bot.outbox: Dispatcher.claim_later).
LATER = "later"
_OUTBOX = cast(Table, Outbox.__table__)
CHUNK = 500

Executor = AsyncSession | AsyncConnection


def _dialect(db: Executor) -> str:
    bind = db.get_bind() if isinstance(db, AsyncSession) else db
    return bind.dialect.name


async def enqueue(db: Executor, rows: Iterable[tuple[int, datetime, str]]) -> None:
    """New outbox rows (id, due time, kind), written pending."""
    values = [{"id": i, "due_at": due, "kind": kind} for i, due, kind in rows]
    if values:
        await db.execute(QUEUE.insert(), values)


async def requeue(db: Executor, ids: Sequence[int]) -> None:
    """Outbox rows just made pending again (a retry, a resend, a revived reminder, a moved chat): in the
    queue with their row's due time, unclaimed."""
    insert: Any = pg_insert if _dialect(db) == "postgresql" else sqlite_insert
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start:start + CHUNK])
        rows = select(_OUTBOX.c.id, _OUTBOX.c.kind, _OUTBOX.c.due_at).where(_OUTBOX.c.id.in_(chunk),
                                                                            text("outbox.status = 'pending'"))
        statement = insert(QUEUE).from_select(["id", "kind", "due_at"], rows)
        await db.execute(statement.on_conflict_do_update(
            index_elements=["id"], set_={"due_at": statement.excluded.due_at, "lease_until": None,
                                         "claimed_by": None}))


async def dequeue(db: Executor, ids: Iterable[int]) -> None:
    """Outbox rows that are no longer to be sent."""
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        await db.execute(delete(QUEUE).where(QUEUE.c.id.in_(ids[start:start + CHUNK])))


async def differences(db: Executor) -> tuple[int, int]:
    """(unsent outbox rows missing from the queue, queue rows whose outbox row is not unsent): both 0 when
    the queue is right."""
    missing = await db.scalar(text(f"SELECT count(*) FROM outbox WHERE {UNSENT} "
                                   "AND id NOT IN (SELECT id FROM outbox_pending)"))
    extra = await db.scalar(text(f"SELECT count(*) FROM outbox_pending WHERE id NOT IN "
                                 f"(SELECT id FROM outbox WHERE {UNSENT})"))
    return int(missing or 0), int(extra or 0)
