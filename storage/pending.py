"""The outbox's queue: `outbox_pending` holds the id, due time and routing (`ROUTING`: address, directive,
deadline version) of every outbox row that is due to be sent (status pending or sending) and nothing else, so
the dispatcher's claim reads and locks only a small table. Every write of an outbox row's status calls one of these in the same transaction (explicitly, never
through ORM listeners): `enqueue` for new rows, `requeue` for rows made pending again, `dequeue` for rows
that leave (sent, void, dead, held, uncertain). A queued row also says whether it is an alert to the
operations chat (`is_alert`): outside the send window only those are claimed, one range of a small index."""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    text,
    update,
)
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


# A row that may be sent outside the send window (quiet hours, for everyone): a notice to the operations chat,
# the one address that is neither a person's nor a unit's. The rule, once: the outbox row's kind and its
# address's columns as they are for an alert. `is_alert` reads it in Python, `alert_of` in SQL.
ALERT = {"kind": "notify", "person_id": None, "unit_id": None}


def is_alert(kind: str, person_id: int | None, unit_id: int | None) -> bool:
    """Whether a row of this kind to an address with these columns is an alert (`ALERT`)."""
    return {"kind": kind, "person_id": person_id, "unit_id": unit_id} == ALERT


def alert_of(outbox: Any = _OUTBOX, addresses: Any = _ADDRESSES) -> ColumnElement[bool]:
    """`ALERT` in SQL, over an outbox row and its address (the tables, or aliases of them)."""
    columns = {"kind": outbox.c.kind, "person_id": addresses.c.person_id, "unit_id": addresses.c.unit_id}
    return and_(*(columns[name].is_(None) if value is None else columns[name] == value
                  for name, value in ALERT.items()))


def _rows_with_alert() -> tuple[Any, Any, ColumnElement[bool]]:
    """The outbox (aliased o), the address of its row (a, joined on `o.address_id`), and `alert_of` the row."""
    o, a = _OUTBOX.alias("o"), _ADDRESSES.alias("a")
    return o, a, alert_of(o, a)


# What a queue row copies of its outbox row (migration 0024): the claim reads them from the queue alone.
ROUTING = ("address_id", "directive_id", "deadline_version")
# What `enqueue` reads of a new outbox row: an INSERT into the outbox returns these for it.
WRITTEN = tuple(_OUTBOX.c[name] for name in ("id", "due_at", "kind", "key", *ROUTING))


async def enqueue(db: Executor, rows: Iterable[Any], *, later: Container[str] = (),
                  alerts: Container[int] = ()) -> None:
    """New outbox rows, written pending: anything with the outbox's `id`, `due_at`, `kind`, `key` and
    `ROUTING` (an ORM row, a RETURNING row). A row whose key is in `later` is queued as LATER; one whose
    address is in `alerts` is an alert (`is_alert`: only the operations chat's notices)."""
    values = [{"id": r.id, "due_at": r.due_at, "kind": LATER if r.key in later else r.kind,
               "alert": r.address_id in alerts, **{name: getattr(r, name) for name in ROUTING}} for r in rows]
    if values:
        await db.execute(QUEUE.insert(), values)


def written_and_queued(insert_rows: Any, later: Iterable[str] = ()) -> Any:
    """PostgreSQL: new outbox rows (an INSERT of them, possibly skipping keys written before) and their
    queue rows in one statement: `WITH written AS (INSERT … RETURNING …) INSERT INTO outbox_pending …`."""
    written = insert_rows.returning(*WRITTEN).cte("written")
    waits = list(later)  # notices that may wait: queued as LATER (their outbox row stays a "notify")
    kind = case((written.c.key.in_(waits), LATER), else_=written.c.kind) if waits else written.c.kind
    # A directive's audience is units' and people's addresses: never the operations chat's alerts.
    return QUEUE.insert().from_select(["id", "kind", "due_at", "alert", *ROUTING],
                                      select(written.c.id, kind, written.c.due_at, false(),
                                             *(written.c[name] for name in ROUTING)))


def voided_and_dequeued(change: Any) -> Any:
    """PostgreSQL: an UPDATE of outbox rows' status (out of the queue: void, held …) and their removal from
    the queue in one statement: `WITH left AS (UPDATE … RETURNING id) DELETE FROM outbox_pending …`."""
    gone = change.returning(_OUTBOX.c.id).cte("gone")
    return delete(QUEUE).where(QUEUE.c.id.in_(select(gone.c.id)))


async def requeue(db: Executor, ids: Sequence[int]) -> None:
    """Outbox rows just made pending again (a retry, a resend, a revived reminder, a moved chat): in the
    queue with their row's due time, unclaimed, an alert or not as its address is now, routed as the row is
    now (an address moved)."""
    insert: Any = pg_insert if _dialect(db) == "postgresql" else sqlite_insert
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start:start + CHUNK])
        o, a, alert = _rows_with_alert()
        rows = (select(o.c.id, o.c.kind, o.c.due_at, alert, *(o.c[name] for name in ROUTING))
                .join(a, a.c.id == o.c.address_id).where(o.c.id.in_(chunk), o.c.status == "pending"))
        statement = insert(QUEUE).from_select(["id", "kind", "due_at", "alert", *ROUTING], rows)
        await db.execute(statement.on_conflict_do_update(
            index_elements=["id"], set_={"due_at": statement.excluded.due_at, "lease_until": None,
                                         "claimed_by": None, "alert": statement.excluded.alert,
                                         **{name: statement.excluded[name] for name in ROUTING}}))


async def fill(db: Executor) -> None:
    """The queue of an outbox written in bulk (a benchmark's load): every unsent row."""
    o, a, alert = _rows_with_alert()
    rows = (select(o.c.id, o.c.kind, o.c.due_at, alert, *(o.c[name] for name in ROUTING))
            .join(a, a.c.id == o.c.address_id).where(text(f"o.{UNSENT}")))
    await db.execute(QUEUE.insert().from_select(["id", "kind", "due_at", "alert", *ROUTING], rows))


async def readdress(db: Executor, address_id: int) -> None:
    """An address became, or stopped being, a person's or a unit's: its queued rows are alerts or not as it
    is now."""
    # Over the queue (small: the unsent rows), whatever their status, rather than the whole outbox.
    o, a, alert = _rows_with_alert()
    now_alert = select(alert).select_from(o).join(a, a.c.id == o.c.address_id).where(o.c.id == QUEUE.c.id) \
        .scalar_subquery()
    there = exists().where(_OUTBOX.c.id == QUEUE.c.id, _OUTBOX.c.address_id == address_id)
    await db.execute(update(QUEUE).where(there).values(alert=now_alert))


async def dequeue(db: Executor, ids: Iterable[int]) -> None:
    """Outbox rows that are no longer to be sent."""
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        await db.execute(delete(QUEUE).where(QUEUE.c.id.in_(ids[start:start + CHUNK])))


async def differences(db: Executor) -> tuple[int, int, int, int]:
    """(unsent outbox rows missing from the queue, queue rows whose outbox row is not unsent, queue rows
    marked an alert or not against `is_alert` of their outbox row and address, queue rows whose `ROUTING`
    differs from their outbox row's): all 0 when the queue is right."""
    missing = await db.scalar(text(f"SELECT count(*) FROM outbox WHERE {UNSENT} "
                                   "AND id NOT IN (SELECT id FROM outbox_pending)"))
    extra = await db.scalar(text(f"SELECT count(*) FROM outbox_pending WHERE id NOT IN "
                                 f"(SELECT id FROM outbox WHERE {UNSENT})"))
    o, a, alert = _rows_with_alert()
    mismarked = await db.scalar(select(func.count()).select_from(QUEUE).join(o, o.c.id == QUEUE.c.id)
                                .join(a, a.c.id == o.c.address_id).where(QUEUE.c.alert != alert))
    misrouted = await db.scalar(select(func.count()).select_from(QUEUE).join(o, o.c.id == QUEUE.c.id).where(
        or_(*(QUEUE.c[name].is_distinct_from(o.c[name]) for name in ROUTING))))
    return int(missing or 0), int(extra or 0), int(mismarked or 0), int(misrouted or 0)
