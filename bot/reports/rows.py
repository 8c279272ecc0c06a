"""Counting a report from the rows (rule 3 as SQL): the class of a directive as of a day, the parts of a
report's scope, each served by the index that carries the dates its class reads. The figures themselves
are read from the tallies (bot/reports/numbers.py); these count what the tallies cannot (what was assigned
after a period ended, one unit's breakdown by leader), list rows, and are the reference the tallies are
tested against."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.reports.counts import (
    AWAITING_LATE,
    AWAITING_ON_TIME,
    CANCELLED,
    DONE_LATE,
    DONE_ON_TIME,
    ON_TIME,
    OVERDUE,
    STANDING,
    Counts,
    Scope,
    as_tuple,
    of_class,
)
from storage.models import Assignment, Directive
from storage.read_model import OPEN_STATES

D, A_ = Directive, Assignment


def class_case(t: Any, as_of: date, *, done: bool = True, cancelled: bool = True) -> ColumnElement[str]:
    """The class of a directive as of `as_of` (rule 3), as one CASE over its dates, read from `t`: the
    directives, or the assignments that carry copies of their dates. A part of the scope known to hold no
    done (or no cancelled) directive leaves those branches out, so the columns it reads are exactly those
    its index carries."""
    branches: list[tuple[ColumnElement[bool], ColumnElement[str]]] = []
    if cancelled:
        branches.append((t.cancelled_on <= as_of, literal(CANCELLED)))
    branches.append((t.due_on.is_(None), literal(STANDING)))
    if done:
        branches.append((t.completed_on <= as_of,
                         case((t.completed_on <= t.due_on, literal(DONE_ON_TIME)), else_=literal(DONE_LATE))))
    branches += [
        (t.reported_on <= as_of, case((t.reported_on <= t.due_on, literal(AWAITING_ON_TIME)),
                                      else_=literal(AWAITING_LATE))),
        (t.due_on >= as_of, literal(ON_TIME)),
    ]
    return case(*branches, else_=literal(OVERDUE))


def class_conditions(t: Any, as_of: date, *, done: bool = True, cancelled: bool = True) \
        -> list[ColumnElement[bool] | None]:
    """The same classes as `class_case`, as one condition each, in the order of CLASSES (None for a class the
    part cannot hold): counting `FILTER (WHERE …)` per class reads each row once, with no CASE to build
    and compare. The conditions exclude each other exactly as the CASE's branches do."""
    kept = [t.cancelled_on.is_(None) | (t.cancelled_on > as_of)] if cancelled else []
    dated = and_(*kept, t.due_on.is_not(None))
    open_ = [t.completed_on.is_(None) | (t.completed_on > as_of)] if done else []
    waiting = and_(dated, *open_, t.reported_on <= as_of)
    working = and_(dated, *open_, t.reported_on.is_(None) | (t.reported_on > as_of))
    done_by = and_(dated, t.completed_on <= as_of)
    return [
        t.cancelled_on <= as_of if cancelled else None,
        and_(*kept, t.due_on.is_(None)),
        and_(done_by, t.completed_on <= t.due_on) if done else None,
        and_(done_by, t.completed_on > t.due_on) if done else None,
        and_(waiting, t.reported_on <= t.due_on),
        and_(waiting, t.reported_on > t.due_on),
        and_(working, t.due_on >= as_of),
        and_(working, t.due_on < as_of),
    ]


def unindexed(column: Any) -> ColumnElement[Any]:
    """The column's value as an expression no index serves: a planner then reads "done (or cancelled)
    since the start" from the index that begins with that date, never every old row by assignment day."""
    return func.coalesce(column, column)


def part_flags() -> list[tuple[bool, bool]]:
    """Which classes each part of `scope_parts` can hold: (done, cancelled)."""
    return [(True, True), (False, False), (True, False), (False, True)]


def scope_parts(scope: Scope, t: Any = D) -> list[tuple[bool, ColumnElement[bool], ColumnElement[str]]]:
    """Rule 2 as disjoint conditions, each served by one index that carries the dates its class reads:
    new; carried over and still open now (by its state: neither done nor cancelled, and not a draft);
    carried over and done since the start; carried over and cancelled since the start."""
    start, as_of = scope.start, scope.as_of
    still_open = t.is_open.is_(True) if t is A_ else t.state.in_(OPEN_STATES)
    return [
        (True, and_(t.assigned_on >= start, t.assigned_on <= scope.seen_until), class_case(t, as_of)),
        (False, and_(still_open, t.assigned_on < start), class_case(t, as_of, done=False, cancelled=False)),
        (False, and_(t.completed_on >= start, unindexed(t.assigned_on) < start), class_case(t, as_of, cancelled=False)),
        # A cancelled directive was never done (done ones cannot be cancelled; reopening clears the date).
        (False, and_(t.cancelled_on >= start, unindexed(t.assigned_on) < start), class_case(t, as_of, done=False)),
    ]


def scope_rows(scope: Scope, unit_id: int | None, *columns: ColumnElement) -> Select:
    """One row per directive in scope (id, is_new, class, *columns), as a UNION ALL of the parts."""
    selects = []
    for is_new, condition, cls in scope_parts(scope):
        query = select(D.id.label("id"), literal(is_new).label("is_new"), cls.label("cls"), *columns).where(condition)
        if unit_id is not None:
            query = query.where(D.id.in_(select(A_.directive_id).where(A_.unit_id == unit_id, A_.role == "lead")))
        selects.append(query)
    return union_all(*selects)  # type: ignore[return-value]


# The order of class_conditions' counts, and of per_part's columns.
CLASSES = (CANCELLED, STANDING, DONE_ON_TIME, DONE_LATE, AWAITING_ON_TIME, AWAITING_LATE, ON_TIME, OVERDUE)


def per_part(scope: Scope, t: Any, *group: Any, where: tuple[ColumnElement[bool], ...] = (),
              parts: int = 4) -> Select[Any]:
    """The scope's parts (all four, or only the first: what was assigned in the period) counted apart and
    stacked (part number, *group, a count per class): each part is read from the index that begins with
    its own condition, grouped as it is read."""
    selects = []
    for number, ((_, condition, _), (done, cancelled)) in enumerate(
            list(zip(scope_parts(scope, t), part_flags(), strict=True))[:parts]):
        counts = [func.count().filter(c) if c is not None else literal(0)
                  for c in class_conditions(t, scope.as_of, done=done, cancelled=cancelled)]
        # The still-open part is read in its index's (unit, role) order and grouped as it comes; the others
        # are small and grouped after reading: their grouping must not lure a planner into walking a whole
        # index in unit order.
        keys = list(group) if number == 1 else [unindexed(g).label(g.key) for g in group]
        query = select(literal(number).label("part"), *keys, *counts).where(condition, *where)
        selects.append(query.group_by(*keys) if group else query)
    return union_all(*selects)  # type: ignore[return-value]


def part_counts(part: int, values: tuple[int | None, ...]) -> Counts:
    """A part's counts per class as Counts (part 0 is what was assigned in the period)."""
    total = Counts()
    for cls, n in zip(CLASSES, values, strict=True):
        if n:
            total += of_class(cls, part == 0, int(n))
    return total


async def counted_from_rows(session: AsyncSession, scope: Scope, *, per_unit: bool, unit_id: int | None = None) \
        -> dict[tuple[Any, ...], Counts]:
    """The same counts as `tallied_counts`, from the directives' (or assignments') rows: per (unit, role)
    from the assignments' copies of the dates, or per (leader name, who assigned) for the directives a
    unit (if given) leads."""
    if per_unit:
        where: tuple[ColumnElement[bool], ...] = (A_.unit_id == unit_id,) if unit_id is not None else ()
        query = per_part(scope, A_, A_.unit_id, A_.role, where=where)
    else:
        where = (D.id.in_(select(A_.directive_id).where(A_.unit_id == unit_id, A_.role == "lead")),) \
            if unit_id is not None else ()
        query = per_part(scope, D, D.leader_name, D.assigned_by_id, where=where)
    found: dict[tuple[Any, ...], Counts] = {}
    rows: Any = await session.execute(query)
    for part, first, second, *values in rows:
        found[(first, second)] = found.get((first, second), Counts()) + part_counts(part, tuple(values))
    return {key: counts for key, counts in found.items() if any(as_tuple(counts))}
