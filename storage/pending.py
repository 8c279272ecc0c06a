"""The outbox's queue: `outbox_pending` holds the id and due time of every outbox row that is due to be
sent (status pending or sending) and nothing else, so the dispatcher's claim reads and locks only a small
table. Every write of an outbox row's status calls one of these in the same transaction (explicitly, never
through ORM listeners): `enqueue` for new rows, `requeue` for rows made pending again, `dequeue` for rows
that leave (sent, void, dead, held, uncertain). A queued row also says whether it is an alert to the
operations chat (`is_alert`): outside the send window only those are claimed, one range of a small index."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, case, delete, false, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.models import UNSENT, Address, Outbox, OutboxPending

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


_ADDRESSES = cast(Table, Address.__table__)


def is_alert(kind: str, person_id: int | None, unit_id: int | None) -> bool:
    """A row that may be sent outside the send window: a notice to the operations chat, the one address that
    is neither a person's nor a unit's (quiet hours, for everyone)."""
    return kind == "notify" and person_id is None and unit_id is None


# The same rule in SQL, over an outbox row joined to its address (as text: over `outbox o JOIN addresses a`).
_ALERT_SQL = and_(_OUTBOX.c.kind == "notify", _ADDRESSES.c.person_id.is_(None), _ADDRESSES.c.unit_id.is_(None))
ALERT_OF_ROW = "(o.kind = 'notify' AND a.person_id IS NULL AND a.unit_id IS NULL)"


async def enqueue(db: Executor, rows: Iterable[tuple[int, datetime, str, bool]]) -> None:
    """New outbox rows (id, due time, kind, `is_alert` of the row), written pending."""
    values = [{"id": i, "due_at": due, "kind": kind, "alert": alert} for i, due, kind, alert in rows]
    if values:
        await db.execute(QUEUE.insert(), values)


def written_and_queued(insert_rows: Any, later: Iterable[str] = ()) -> Any:
    """PostgreSQL: new outbox rows (an INSERT of them, possibly skipping keys written before) and their
    queue rows in one statement: `WITH written AS (INSERT … RETURNING …) INSERT INTO outbox_pending …`."""
    written = insert_rows.returning(_OUTBOX.c.id, _OUTBOX.c.kind, _OUTBOX.c.due_at, _OUTBOX.c.key).cte("written")
    waits = list(later)  # notices that may wait: queued as LATER (their outbox row stays a "notify")
    kind = case((written.c.key.in_(waits), LATER), else_=written.c.kind) if waits else written.c.kind
    # A directive's audience is units' and people's addresses: never the operations chat's alerts.
    return QUEUE.insert().from_select(["id", "kind", "due_at", "alert"],
                                      select(written.c.id, kind, written.c.due_at, false()))


def voided_and_dequeued(change: Any) -> Any:
    """PostgreSQL: an UPDATE of outbox rows' status (out of the queue: void, held …) and their removal from
    the queue in one statement: `WITH left AS (UPDATE … RETURNING id) DELETE FROM outbox_pending …`."""
    gone = change.returning(_OUTBOX.c.id).cte("gone")
    return delete(QUEUE).where(QUEUE.c.id.in_(select(gone.c.id)))


async def requeue(db: Executor, ids: Sequence[int]) -> None:
    """Outbox rows just made pending again (a retry, a resend, a revived reminder, a moved chat): in the
    queue with their row's due time, unclaimed, an alert or not as its address is now."""
    insert: Any = pg_insert if _dialect(db) == "postgresql" else sqlite_insert
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start:start + CHUNK])
        rows = (select(_OUTBOX.c.id, _OUTBOX.c.kind, _OUTBOX.c.due_at, _ALERT_SQL)
                .join(_ADDRESSES, _ADDRESSES.c.id == _OUTBOX.c.address_id)
                .where(_OUTBOX.c.id.in_(chunk), text("outbox.status = 'pending'")))
        statement = insert(QUEUE).from_select(["id", "kind", "due_at", "alert"], rows)
        await db.execute(statement.on_conflict_do_update(
            index_elements=["id"], set_={"due_at": statement.excluded.due_at, "lease_until": None,
                                         "claimed_by": None, "alert": statement.excluded.alert}))


async def fill(db: Executor) -> None:
    """The queue of an outbox written in bulk (a benchmark's load): every unsent row."""
    await db.execute(text(f"INSERT INTO outbox_pending (id, kind, due_at, alert) SELECT o.id, o.kind, o.due_at, "
                          f"{ALERT_OF_ROW} FROM outbox o JOIN addresses a ON a.id = o.address_id WHERE o.{UNSENT}"))


async def readdress(db: Executor, address_id: int) -> None:
    """An address became, or stopped being, a person's or a unit's: its queued rows are alerts or not as it
    is now."""
    # Over the queue (small: the unsent rows), whatever their status, rather than the whole outbox.
    await db.execute(text(f"UPDATE outbox_pending SET alert = (SELECT {ALERT_OF_ROW} FROM outbox o JOIN addresses a "
                          "ON a.id = o.address_id WHERE o.id = outbox_pending.id) WHERE EXISTS "
                          "(SELECT 1 FROM outbox o WHERE o.id = outbox_pending.id AND o.address_id = :address)"),
                     {"address": address_id})


async def dequeue(db: Executor, ids: Iterable[int]) -> None:
    """Outbox rows that are no longer to be sent."""
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        await db.execute(delete(QUEUE).where(QUEUE.c.id.in_(ids[start:start + CHUNK])))


async def differences(db: Executor) -> tuple[int, int, int]:
    """(unsent outbox rows missing from the queue, queue rows whose outbox row is not unsent, queue rows
    marked an alert or not against `is_alert` of their outbox row and address): all 0 when the queue is
    right."""
    missing = await db.scalar(text(f"SELECT count(*) FROM outbox WHERE {UNSENT} "
                                   "AND id NOT IN (SELECT id FROM outbox_pending)"))
    extra = await db.scalar(text(f"SELECT count(*) FROM outbox_pending WHERE id NOT IN "
                                 f"(SELECT id FROM outbox WHERE {UNSENT})"))
    mismatched = await db.scalar(text(
        "SELECT count(*) FROM outbox_pending q JOIN outbox o ON o.id = q.id JOIN addresses a ON a.id = o.address_id "
        f"WHERE q.alert <> {ALERT_OF_ROW}"))
    return int(missing or 0), int(extra or 0), int(mismatched or 0)
