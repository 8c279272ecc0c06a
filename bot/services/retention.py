"""The outbox's sent rows: moved to its history, then kept there as long as OUTBOX_RETENTION_DAYS says.

`python -m bot prune-outbox` and the daily "outbox" job (bot.services.jobs) move the outbox's sent rows to
`outbox_history` (storage.history), then, for the directives done or cancelled more than N days ago
(OUTBOX_RETENTION_DAYS, default 90), a batch of directives per transaction so the bot keeps running beside
it: delete the history's sent notices; take out of the outbox the rows that will never be sent (voided,
dead, uncertain, unreachable: a notice is deleted, a reminder moves to the history with its key only); and
empty the payload of the reminder rows the history keeps, whose keys keep a reminder from going out twice
(storage/retention.py). The job looks at the directives closed in the week before the cutoff (a run missed
for a few days is caught up); the command at every directive closed before it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.deadlines import local_date
from bot.errors import DomainError
from bot.runtime import Runtime
from storage import history, retention

BATCH = 500
MAX_DAYS = 36_500


@dataclass(frozen=True)
class Pruned:
    days: int
    cutoff: str  # the first day kept, ISO
    directives: int
    rows: int
    kept: int
    dry_run: bool
    moved: int = 0  # sent rows copied from the outbox to its history (they leave the outbox at the next run)
    dropped: int = 0  # notices never sent, deleted from the outbox
    retired: int = 0  # reminders never sent, moved from the outbox to the history with their key only
    cleared: int = 0  # reminder rows in the history whose payload was emptied


JOB_WINDOW = timedelta(days=7)  # the daily job: directives closed this long before the cutoff, and since


def retention_days(text: str | int | None, default: int) -> int:
    """The days given on the command line («90», «90d»), else the setting; anything else is refused."""
    if text is None:
        value = default
    else:
        match = re.fullmatch(r"\s*(\d{1,6})\s*(?:d|ngày)?\s*", str(text), flags=re.IGNORECASE)
        if not match:
            raise DomainError("retention.bad_days", value=str(text)[:20])
        value = int(match.group(1))
    if not 1 <= value <= MAX_DAYS:
        raise DomainError("retention.bad_days", value=str(value)[:20])
    return value


async def move_sent(rt: Runtime, now: datetime, batch: int = history.BATCH) -> int:
    """The outbox's sent rows to its history, a batch per transaction: those copied there GRACE ago or more
    leave the outbox, then those not there yet are copied (they leave at the next run); returns how many
    were copied."""
    last: int | None = 0
    while last is not None:
        async with rt.transaction() as session:
            last, _ = await history.forget_copied(session, now - history.GRACE, last, batch)
    copied, last = 0, 0
    while last is not None:
        async with rt.transaction() as session:
            last, found = await history.copy_sent(session, now, last, batch)
        copied += found
    return copied


async def prune_outbox(rt: Runtime, *, now: datetime, days: int | str | None = None, dry_run: bool = False,
                       batch: int = BATCH, window: timedelta | None = None) -> Pruned:
    """Move the outbox's sent rows to its history (not on a dry run), then, for the directives closed more
    than `days` days before today (local), delete the sent notices there, take out of the outbox the rows
    never to be sent (a reminder's key kept in the history) and empty the payloads of the reminder rows kept
    (with `dry_run`: count them, change nothing); `window`: only those closed within it before the cutoff
    (the daily job)."""
    days = retention_days(days, rt.settings.outbox_retention_days)
    cutoff = local_date(now, rt.settings.tz) - timedelta(days=days)
    since = cutoff - window if window is not None else None
    moved = 0 if dry_run else await move_sent(rt, now)
    after = 0
    total = dict.fromkeys(("directives", "rows", "kept", "dropped", "retired", "cleared"), 0)
    while True:
        async with rt.transaction() as session:
            found = await retention.prune_batch(session, cutoff, after, batch, dry_run=dry_run, since=since,
                                                now=now)
        if found.last_id is None:
            break
        after = found.last_id
        for name in total:
            total[name] += getattr(found, name)
    return Pruned(days, cutoff.isoformat(), dry_run=dry_run, moved=moved, **total)


async def daily(rt: Runtime, now: datetime) -> int:
    """The daily "outbox" job: the sent rows moved, the old directives' rows pruned; returns the rows moved
    and deleted from either table."""
    done = await prune_outbox(rt, now=now, window=JOB_WINDOW)
    return done.moved + done.rows + done.dropped + done.retired
