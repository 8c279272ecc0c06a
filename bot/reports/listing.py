"""The directive list of a report (Excel sheet 2): one row per directive in scope, bounded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.leaders import Identity, identify
from bot.reports import counts as n
from bot.reports.rows import scope_rows
from storage.leaders import leader_directory
from storage.models import Assignment, Directive, Unit

MAX_LIST_ROWS = 20_000
_CHUNK = 2_000

STATUS_KEYS = {
    n.DONE_ON_TIME: "status.done_on_time", n.DONE_LATE: "status.done_late",
    n.ON_TIME: "status.in_progress_on_time", n.OVERDUE: "status.in_progress_overdue",
    n.AWAITING_ON_TIME: "status.awaiting_confirmation", n.AWAITING_LATE: "status.awaiting_late",
    n.STANDING: "status.standing", n.CANCELLED: "status.cancelled",
}


@dataclass(frozen=True)
class ListRow:
    code: str
    source_number: str | None
    source_date: date | None
    content: str
    lead: str
    support: str
    leader: str | None
    assigned_on: date
    deadline: date | None
    status: str  # catalogue key
    completed_on: date | None
    days_late: int | None


@dataclass(frozen=True)
class Listing:
    rows: tuple[ListRow, ...]
    total: int  # rows in scope; more than len(rows) when the list was cut at MAX_LIST_ROWS


_COLUMNS = (Directive.id, Directive.code, Directive.source_number, Directive.source_date, Directive.content,
            Directive.leader_name, Directive.assigned_by_id, Directive.assigned_on, Directive.deadline,
            Directive.due_on, Directive.completed_on, Directive.reported_on)


def days_late(cls: str, d: Row, as_of: date) -> int | None:
    """Rule 6: how many days late a directive of class `cls` is as of `as_of` (None when it is not)."""
    if cls == n.DONE_LATE and d.completed_on and d.due_on:
        return (d.completed_on - d.due_on).days
    if cls == n.OVERDUE and d.due_on:
        return (as_of - d.due_on).days
    if cls == n.AWAITING_LATE and d.reported_on and d.due_on:
        return (d.reported_on - d.due_on).days
    return None


def _shown(leader: Identity | None) -> str | None:
    return leader.shown if leader is not None else None


async def listing(session: AsyncSession, scope: n.Scope, limit: int = MAX_LIST_ROWS) -> Listing:
    unit_id = None
    if scope.unit_code:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == scope.unit_code))
    rows = scope_rows(scope, unit_id).subquery()
    found = (await session.execute(
        select(rows.c.id, rows.c.cls).order_by(rows.c.id).limit(limit + 1))).all()
    total = len(found)
    if total > limit:
        total = await session.scalar(select(func.count()).select_from(rows)) or 0
        found = found[:limit]
    classes = dict(found)
    units = {u.id: u.name for u in await session.scalars(select(Unit))}
    leaders = await leader_directory(session) if found else []
    result: list[ListRow] = []
    ids = list(classes)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        parts: dict[int, dict[str, list[str]]] = {}
        for did, uid, role in await session.execute(
            select(Assignment.directive_id, Assignment.unit_id, Assignment.role)
            .where(Assignment.directive_id.in_(chunk)).order_by(Assignment.id)
        ):
            parts.setdefault(did, {"lead": [], "support": []})[role].append(units.get(uid, "?"))
        directives = (await session.execute(
            select(*_COLUMNS).where(Directive.id.in_(chunk)).order_by(Directive.id))).all()
        for d in directives:
            cls = classes[d.id]
            role_names = parts.get(d.id, {"lead": [], "support": []})
            result.append(ListRow(
                d.code, d.source_number, d.source_date, d.content, "; ".join(role_names["lead"]),
                "; ".join(role_names["support"]), _shown(identify(d.leader_name, d.assigned_by_id, leaders)),
                d.assigned_on or scope.start, d.deadline, STATUS_KEYS[cls],
                d.completed_on if cls in (n.DONE_ON_TIME, n.DONE_LATE) else None,
                days_late(cls, d, scope.as_of),
            ))
    return Listing(tuple(result), total)
