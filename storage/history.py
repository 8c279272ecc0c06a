"""The outbox's history: sent rows leave the outbox for `outbox_history` (by the daily "outbox" job and
`python -m bot prune-outbox`), so the outbox and its indexes hold what is still to be sent, held or failed,
and the history grows instead.

A key stays unique across both tables, which is what keeps a reminder from being sent twice. A write of new
outbox rows skips, in its one INSERT, every key that is in the outbox (ON CONFLICT (key) DO NOTHING) or in
the history (`NOT EXISTS`, the history's unique key): `unsent_only`. That statement reads the history as of
its start, so a row leaves the outbox in two steps, never in one: it is first copied to the history
(`copy_sent`), and deleted from the outbox only once the copy is older than `GRACE` (`forget_copied`, at a
later run). Until then the outbox's own unique key still blocks its key; after, no statement that could have
missed the copy is still running. (Moved in one transaction instead, a write racing it on PostgreSQL would wait
on the outbox's key for the move to commit, find the row gone and write the key again, the history unseen.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    JSON,
    DateTime,
    Integer,
    Table,
    Text,
    bindparam,
    column,
    exists,
    false,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage import pending
from storage.db import changed
from storage.models import SENT, Outbox, OutboxHistory
from storage.types import UTCDateTime

_OUTBOX = cast(Table, Outbox.__table__)
HISTORY = cast(Table, OutboxHistory.__table__)
BATCH = 500
# How long a sent row copied to the history stays in the outbox too: far longer than any statement runs.
GRACE = timedelta(hours=1)
# The columns copied, the same names in both tables (the history's own: moved_at).
COLUMNS = [c.name for c in HISTORY.columns if c.name != "moved_at"]
# The columns of a new row given to unsent_only, with their types as PostgreSQL reads them from the JSON.
_WRITTEN: dict[str, Any] = {
    "key": Text(), "directive_id": Integer(), "address_id": Integer(), "kind": Text(), "deadline_version": Integer(),
    "payload": JSON(), "due_at": DateTime(timezone=True), "created_at": DateTime(timezone=True)}
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy writes a datetime on SQLite (storage.types.UTCDateTime)


@lru_cache(maxsize=2)
def unsent_only(dialect: str) -> Any:
    """The INSERT INTO outbox of new rows (pending, no attempt yet), given as one JSON parameter (`new_rows`),
    but those whose key is in the outbox (ON CONFLICT (key) DO NOTHING) or in the history (NOT EXISTS): one
    statement, built and compiled once: `INSERT … SELECT … FROM json_to_recordset(:new_rows) (json_each on
    SQLite) WHERE NOT EXISTS (SELECT 1 FROM outbox_history WHERE key = …) ON CONFLICT (key) DO NOTHING`."""
    names = list(_WRITTEN)
    parameter = bindparam("new_rows", type_=JSON())
    if dialect == "postgresql":
        source = func.json_to_recordset(parameter).table_valued(
            *(column(n, _WRITTEN[n]) for n in names)).render_derived(name="new_rows", with_types=True)
        chosen = [source.c[n] for n in names]
        insert: Any = pg_insert(_OUTBOX)
    else:
        each = func.json_each(parameter).table_valued("value").alias("new_rows")
        chosen = [func.json_extract(each.c.value, f"$.{n}").label(n) for n in names]
        insert = sqlite_insert(_OUTBOX)
    fresh = select(*chosen, literal("pending"), literal(0), false()).where(
        ~exists().where(HISTORY.c.key == chosen[0]))
    return insert.from_select([*names, "status", "attempts", "uncertain"], fresh).on_conflict_do_nothing(
        index_elements=["key"])


def new_rows(dialect: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The parameter of `unsent_only`: the rows' columns, times as the database reads them from JSON."""
    names = list(_WRITTEN)
    given: list[dict[str, Any]] = []
    for row in rows:
        value = {n: row[n] for n in names}
        for n in ("due_at", "created_at"):
            at = value[n].astimezone(UTC)
            value[n] = at.replace(tzinfo=None).strftime(_SQLITE_TIME) if dialect == "sqlite" else at.isoformat()
        given.append(value)
    return {"new_rows": given}


async def sent_keys(db: pending.Executor, keys: list[str]) -> set[str]:
    """The keys among `keys` of rows sent and copied to the history, or kept there for their key only
    (storage.retention: a reminder never sent of a directive closed long ago), by its unique key's index."""
    found: set[str] = set()
    for start in range(0, len(keys), BATCH):
        found.update(await db.scalars(select(HISTORY.c.key).where(HISTORY.c.key.in_(keys[start:start + BATCH]))))
    return found


_NOW = bindparam("now", type_=UTCDateTime())


async def copy_sent(db: pending.Executor, now: datetime, after: int = 0,
                    size: int = BATCH) -> tuple[int | None, int]:
    """Copy to the history the sent rows of the outbox not there yet among the next `size` (by id, after
    `after`: the outbox's small partial index of sent rows); returns the last id read (None: none left) and
    the rows copied. A key the history has already keeps its first row there."""
    columns = ", ".join(COLUMNS)
    ids = list(await db.scalars(
        select(_OUTBOX.c.id).where(text(SENT), _OUTBOX.c.id > after).order_by(_OUTBOX.c.id).limit(size)))
    if not ids:
        return None, 0
    copied = changed(await db.execute(text(
        f"INSERT INTO outbox_history ({columns}, moved_at) SELECT {columns}, :now FROM outbox o "
        f"WHERE o.id >= :first AND o.id <= :last AND o.{SENT} "
        "AND NOT EXISTS (SELECT 1 FROM outbox_history h WHERE h.key = o.key) ON CONFLICT (key) DO NOTHING")
        .bindparams(_NOW), {"now": now, "first": ids[0], "last": ids[-1]}))
    return ids[-1], copied


async def forget_copied(db: pending.Executor, before: datetime, after: int = 0,
                        size: int = BATCH) -> tuple[int | None, int]:
    """Delete from the outbox the sent rows copied to the history before `before` (GRACE ago) among the
    next `size` sent rows (by id, after `after`); returns the last id read (None: none left) and how many
    went."""
    ids = list(await db.scalars(
        select(_OUTBOX.c.id).where(text(SENT), _OUTBOX.c.id > after).order_by(_OUTBOX.c.id).limit(size)))
    if not ids:
        return None, 0
    copied = (select(HISTORY.c.key).where(HISTORY.c.key == _OUTBOX.c.key, HISTORY.c.moved_at < before)
              .correlate(_OUTBOX).exists())
    gone = changed(await db.execute(_OUTBOX.delete().where(_OUTBOX.c.id.in_(ids), text(SENT), copied)))
    return ids[-1], gone


async def keys_twice(db: pending.Executor) -> int:
    """Keys of rows still to be sent (or held, failed) in the outbox that are in the history too: a key sent
    and written again (0 when none; verify-log). A sent row copied there and not yet deleted is not one."""
    return int(await db.scalar(select(func.count()).select_from(_OUTBOX).join(HISTORY, HISTORY.c.key == _OUTBOX.c.key)
                               .where(_OUTBOX.c.status != "sent")) or 0)


async def move_all_sent(db: pending.Executor) -> None:
    """Every sent row to the history in two statements (a benchmark's bulk load, as the migration does)."""
    columns = ", ".join(COLUMNS)
    await db.execute(text(f"INSERT INTO outbox_history ({columns}, moved_at) SELECT {columns}, "
                          f"coalesce(sent_at, created_at) FROM outbox WHERE {SENT}"))
    await db.execute(text(f"DELETE FROM outbox WHERE {SENT}"))
