"""Retention of the outbox and its history, for directives closed long ago, in batches, each read from an
index. What the reminders' de-duplication relies on stays: a reminder row's key
(`kind:directive:@address:v<version>:step`, unique across the outbox and its history) is what keeps a
reminder from being written, hence sent, twice (a reopened or sent-back directive plans its reminders again
and skips the keys written before; `escalation_sent` reads the sent escalation rows). So, of those directives:

- the history's sent notices go (keyed by the event they tell of, which is never told again);
- the outbox's rows that will never be sent (voided, dead, maybe sent — 'uncertain' — or held for an
  unreachable address: `UNSENT_FOR_GOOD`) leave it: a notice is deleted, a reminder moves to the history with
  its key and an empty payload, so that its key still blocks a re-plan (storage.history.unsent_only) and a
  revival (`sent_keys`), as its outbox row did. Unlike a sent row (storage.history, copied then deleted at a
  later run), it moves in one transaction: a directive closed plans no reminder, and reopened it plans those
  of a new deadline version (bot.domain.directive), so no INSERT can be writing one of these keys meanwhile;
  the rows are locked first on PostgreSQL (a «Gửi lại» of an uncertain row waits, then finds none). A row
  moved so has no `sent_at`: `escalation_sent` does not take it for a sent escalation; for the same reason
  the outbox's sent rows of those directives leave it as soon as their copy is in the history;
- the reminder rows kept in the history keep only their keys: their payload (text, buttons) is emptied.

Rows pending, claimed or being sent, and every row of an open or recently closed directive, are never
touched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lifecycle import State
from bot.domain.reminders import REMINDER_KINDS
from storage.db import changed
from storage.history import COLUMNS
from storage.models import SENT, Directive, Outbox, OutboxHistory
from storage.types import UTCDateTime

# The outbox rows that will never be sent: voided, given up ('dead'), maybe sent after a crash ('uncertain'),
# held for an address that was unreachable when its directive closed.
UNSENT_FOR_GOOD = "status IN ('void', 'dead', 'uncertain', 'unreachable')"
EMPTY = "{}"  # the payload of a row kept for its key only (the column is NOT NULL)

_REMINDERS = ", ".join(f"'{k}'" for k in REMINDER_KINDS)


@dataclass(frozen=True)
class Batch:
    last_id: int | None  # the last directive read (the next batch starts after it); None: none left
    directives: int  # closed long enough ago, in this batch
    rows: int  # sent notices deleted from the history (or, dry, that would be)
    kept: int  # reminder rows of those directives kept in the history for their keys (the moved ones too)
    dropped: int = 0  # notices never sent deleted from the outbox
    retired: int = 0  # reminders never sent moved from the outbox to the history, their key only
    cleared: int = 0  # reminder rows in the history whose payload was emptied


def _closed_before(cutoff: date, since: date | None) -> ColumnElement[bool]:
    """Closed before `cutoff` (and, with `since`, on or after it: the daily job's window)."""
    d = Directive
    done, cancelled = [d.state == State.DONE, d.completed_on < cutoff], [d.state == State.CANCELLED,
                                                                         d.cancelled_on < cutoff]
    if since is not None:
        done.append(d.completed_on >= since)
        cancelled.append(d.cancelled_on >= since)
    return or_(and_(*done), and_(*cancelled))


def _count(*where: ColumnElement[bool], model: type = OutboxHistory) -> Select[Any]:
    return select(func.count()).select_from(model).where(*where)


async def prune_batch(session: AsyncSession, cutoff: date, after: int, size: int, *, dry_run: bool,
                      since: date | None = None, now: datetime | None = None) -> Batch:
    """One batch: the next `size` directives (by id, after `after`) closed before `cutoff`; of them, the
    outbox's rows never to be sent leave it, the history's sent notices go and its reminder rows keep only
    their keys (every statement reads the outbox's or the history's index on the directive; `now`: the
    moved rows' moved_at)."""
    ids = list(await session.scalars(select(Directive.id).where(Directive.id > after, _closed_before(cutoff, since))
                                     .order_by(Directive.id).limit(size)))
    if not ids:
        return Batch(None, 0, 0, 0)
    h, o = OutboxHistory, Outbox
    of, in_outbox = h.directive_id.in_(ids), o.directive_id.in_(ids)
    reminder, notice = h.kind.in_(REMINDER_KINDS), h.kind.not_in(REMINDER_KINDS)
    unsent = (in_outbox, text(UNSENT_FOR_GOOD))
    full = cast(h.payload, Text) != EMPTY  # not emptied yet (JSON has no = on PostgreSQL: its text)
    if dry_run:
        # The sent rows still in the outbox, not copied yet, are counted as the history's: a real run copies
        # them first.
        fresh = (in_outbox, text(SENT), ~exists().where(h.key == o.key))
        reminders, notices = o.kind.in_(REMINDER_KINDS), o.kind.not_in(REMINDER_KINDS)
        dropped, retired, sent_notices, sent_reminders = [
            await session.scalar(_count(*where, model=o)) or 0
            for where in ((*unsent, notices), (*unsent, reminders), (*fresh, notices), (*fresh, reminders))]
        rows = (await session.scalar(_count(of, notice)) or 0) + sent_notices
        cleared = (await session.scalar(_count(of, reminder, full)) or 0) + sent_reminders
        kept = (await session.scalar(_count(of, reminder)) or 0) + sent_reminders + retired
        return Batch(ids[-1], len(ids), int(rows), int(kept), int(dropped), int(retired), int(cleared))
    moving = (*unsent, o.kind.in_(REMINDER_KINDS))
    if session.get_bind().dialect.name == "postgresql":  # a concurrent change of one of them waits for this
        await session.execute(select(o.id).where(*moving).with_for_update())
    columns = ", ".join("'" + EMPTY + "'" if c == "payload" else c for c in COLUMNS)
    retired = changed(await session.execute(text(
        f"INSERT INTO outbox_history ({', '.join(COLUMNS)}, moved_at) SELECT {columns}, :now FROM outbox "
        f"WHERE directive_id IN :ids AND {UNSENT_FOR_GOOD} AND kind IN ({_REMINDERS}) "
        "ON CONFLICT (key) DO NOTHING").bindparams(bindparam("now", type_=UTCDateTime()),
                                                   bindparam("ids", expanding=True)),
        {"now": now or datetime.now(UTC), "ids": ids}))
    kept_key = exists().where(h.key == o.key)
    dropped = changed(await session.execute(delete(o).where(*unsent, o.kind.not_in(REMINDER_KINDS))))
    changed(await session.execute(delete(o).where(*moving, kept_key)))
    # Sent rows copied to the history by this run's move (bot.services.retention.move_sent) would leave the
    # outbox only at the next run, by when their notice's copy below is gone: the copy would be made again
    # and, outside the daily job's window, never pruned. No INSERT can write these keys (see above): they go
    # now, the history's copy counting for them.
    changed(await session.execute(delete(o).where(in_outbox, text(SENT), kept_key)))
    rows = changed(await session.execute(delete(h).where(of, notice)))
    cleared = changed(await session.execute(update(h).where(of, reminder, full).values(payload={})))
    kept = await session.scalar(_count(of, reminder)) or 0
    return Batch(ids[-1], len(ids), int(rows), int(kept), int(dropped), int(retired), int(cleared))
