"""Retention of sent outbox rows (`python -m bot prune-outbox`): the sent notices of directives done or
cancelled more than N days ago (OUTBOX_RETENTION_DAYS, default 90) are deleted, a batch per transaction so
the bot keeps running beside it; the reminder rows, whose keys keep a reminder from going out twice, stay
(storage/retention.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.deadlines import local_date
from bot.errors import DomainError
from bot.runtime import Runtime
from storage import retention

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


async def prune_outbox(rt: Runtime, *, now: datetime, days: int | str | None = None, dry_run: bool = False,
                       batch: int = BATCH) -> Pruned:
    """Delete (or with `dry_run` count) the sent rows of directives closed more than `days` days before
    today (local), but the reminders' rows."""
    days = retention_days(days, rt.settings.outbox_retention_days)
    cutoff = local_date(now, rt.settings.tz) - timedelta(days=days)
    after, directives, rows, kept = 0, 0, 0, 0
    while True:
        async with rt.transaction() as session:
            found = await retention.prune_batch(session, cutoff, after, batch, dry_run=dry_run)
        if found.last_id is None:
            break
        after = found.last_id
        directives, rows, kept = directives + found.directives, rows + found.rows, kept + found.kept
    return Pruned(days, cutoff.isoformat(), directives, rows, kept, dry_run)
