"""Retention of the outbox's history: the sent rows of directives closed long ago go, in batches, each read
from an index. What the reminders' de-duplication relies on stays: a reminder row's key
(`kind:directive:@address:v<version>:step`, unique across the outbox and its history) is what keeps a
reminder from being written, hence sent, twice (a reopened or sent-back directive plans its reminders again
and skips the keys written before; `escalation_sent` reads the sent escalation rows). So reminder rows are
kept; only the other sent rows go (notices, keyed by the event they tell of, which is never told again).
Sent rows still in the outbox are moved to the history first (storage.history.move_sent); rows not sent
(pending, sending, held, voided, dead, uncertain) are never touched."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lifecycle import State
from bot.domain.reminders import REMINDER_KINDS
from storage.db import changed
from storage.models import Directive, OutboxHistory


@dataclass(frozen=True)
class Batch:
    last_id: int | None  # the last directive read (the next batch starts after it); None: none left
    directives: int  # closed long enough ago, in this batch
    rows: int  # sent rows deleted (or, dry, that would be)
    kept: int  # sent reminder rows of those directives kept for their keys


def _closed_before(cutoff: date, since: date | None) -> ColumnElement[bool]:
    """Closed before `cutoff` (and, with `since`, on or after it: the daily job's window)."""
    d = Directive
    done, cancelled = [d.state == State.DONE, d.completed_on < cutoff], [d.state == State.CANCELLED,
                                                                         d.cancelled_on < cutoff]
    if since is not None:
        done.append(d.completed_on >= since)
        cancelled.append(d.cancelled_on >= since)
    return or_(and_(*done), and_(*cancelled))


async def prune_batch(session: AsyncSession, cutoff: date, after: int, size: int, *, dry_run: bool,
                      since: date | None = None) -> Batch:
    """One batch: the next `size` directives (by id, after `after`) closed before `cutoff`, and their sent
    rows in the history that are not reminders (the history's index on the directive)."""
    ids = list(await session.scalars(select(Directive.id).where(Directive.id > after, _closed_before(cutoff, since))
                                     .order_by(Directive.id).limit(size)))
    if not ids:
        return Batch(None, 0, 0, 0)
    h = OutboxHistory
    of = h.directive_id.in_(ids)
    kept = await session.scalar(select(func.count()).select_from(h).where(of, h.kind.in_(REMINDER_KINDS))) or 0
    gone = (of, h.kind.not_in(REMINDER_KINDS))
    if dry_run:
        rows = await session.scalar(select(func.count()).select_from(h).where(*gone)) or 0
    else:
        rows = changed(await session.execute(delete(h).where(*gone)))
    return Batch(ids[-1], len(ids), int(rows), int(kept))
