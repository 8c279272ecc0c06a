"""The outbox's history: sent rows leave the outbox for `outbox_history` in batches (`move_sent`, by the daily
"outbox" job and `python -m bot prune-outbox`), so the outbox and its indexes hold what is still to be sent,
held or failed, and the history grows instead.

A key stays unique across both tables, which is what keeps a reminder from being sent twice: a row is
written to the outbox with ON CONFLICT (key) DO NOTHING, which sees the outbox only, so every write of new
outbox rows then drops those whose key is in the history (`drop_sent`), in the same transaction, before it
commits. That check is a statement of its own after the INSERT on purpose: on PostgreSQL (READ COMMITTED) an
INSERT racing a move waits for the moving transaction on the outbox's unique key, then finds the old row
gone and writes the key again; the next statement's snapshot sees the moved row in the history and drops
the new one. On SQLite writers take turns, so there is no race at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import Table, delete, func, select, text

from storage import pending
from storage.db import changed
from storage.models import SENT, Outbox, OutboxHistory

_OUTBOX = cast(Table, Outbox.__table__)
HISTORY = cast(Table, OutboxHistory.__table__)
CHUNK = 500
MOVE_BATCH = 500
# The history's columns, the same names in the outbox.
COLUMNS = [c.name for c in HISTORY.columns]


async def sent_keys(db: pending.Executor, keys: Iterable[str]) -> set[str]:
    """The keys among `keys` of rows sent and moved to the history (its unique key's index)."""
    keys, found = list(keys), set()
    for start in range(0, len(keys), CHUNK):
        found.update(await db.scalars(select(HISTORY.c.key).where(HISTORY.c.key.in_(keys[start:start + CHUNK]))))
    return found


async def drop_sent(db: pending.Executor, ids: Sequence[int]) -> list[int]:
    """Of the outbox rows just written (`ids`), those whose key is in the history (sent before): out of the
    queue and the outbox again. Returns their ids (none, but after a move raced the write, or a reminder
    planned again for a directive reopened at the same deadline)."""
    dropped: list[int] = []
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start:start + CHUNK])
        dropped += list(await db.scalars(select(_OUTBOX.c.id).join(HISTORY, HISTORY.c.key == _OUTBOX.c.key)
                                         .where(_OUTBOX.c.id.in_(chunk))))
    if dropped:
        await pending.dequeue(db, dropped)
        for start in range(0, len(dropped), CHUNK):
            await db.execute(delete(_OUTBOX).where(_OUTBOX.c.id.in_(dropped[start:start + CHUNK])))
    return dropped


async def move_sent(db: pending.Executor, size: int = MOVE_BATCH) -> int:
    """Move up to `size` sent rows (the lowest ids: the outbox's small partial index of sent rows) to the
    history; returns how many left the outbox. A key already in the history (a row sent twice, which the
    checks above prevent) keeps its first row there."""
    ids = list(await db.scalars(select(_OUTBOX.c.id).where(text(SENT)).order_by(_OUTBOX.c.id).limit(size)))
    if not ids:
        return 0
    columns = ", ".join(COLUMNS)
    bind = {f"i{n}": i for n, i in enumerate(ids)}
    listed = ", ".join(f":i{n}" for n in range(len(ids)))
    if pending.dialect(db) == "postgresql":  # one statement: DELETE … RETURNING feeds the history's INSERT
        return int(await db.scalar(text(
            f"WITH moved AS (DELETE FROM outbox WHERE id IN ({listed}) AND {SENT} RETURNING {columns}), "
            f"kept AS (INSERT INTO outbox_history ({columns}) SELECT {columns} FROM moved "
            "ON CONFLICT (key) DO NOTHING) SELECT count(*) FROM moved"), bind) or 0)
    await db.execute(text(f"INSERT INTO outbox_history ({columns}) SELECT {columns} FROM outbox "
                          f"WHERE id IN ({listed}) AND {SENT} ON CONFLICT (key) DO NOTHING"), bind)
    return changed(await db.execute(text(f"DELETE FROM outbox WHERE id IN ({listed}) AND {SENT}"), bind))


async def keys_twice(db: pending.Executor) -> int:
    """Keys both in the outbox and in its history (0 when no sent key was written again; verify-log)."""
    return int(await db.scalar(select(func.count()).select_from(_OUTBOX)
                               .join(HISTORY, HISTORY.c.key == _OUTBOX.c.key)) or 0)
