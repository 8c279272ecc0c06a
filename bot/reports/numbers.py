"""The numbers people are judged by: one definition for the chat, Excel, chart, Word report, digests and CLI.

THE WRITTEN RULE (DESIGN §7, issue 9)

1. A report has a period [start, end] (month, quarter, half-year, year or a custom range) and an as-of
   date A: the period's end, or today while the period runs. A may be later than the period's end (a
   closed month judged today); it may be neither before the period's start nor after today.
2. It covers, drafts never included:
   - "giao trong kỳ" (new): directives assigned (assigned_on) from start to min(end, A);
   - "kỳ trước chuyển sang" (carried over): assigned before start and still open when the period began,
     i.e. neither done (completed_on) nor cancelled (cancelled_on) before start.
3. Status is judged as of A from the directive's dates, never from today's state:
   - cancelled on or before A → "đã huỷ": left out of every figure below and counted apart;
   - no deadline (due_on empty) → "thường xuyên" (standing), apart from the four classes and the rate;
   - done on or before A (completed_on = the day of the lead units' accepted report, so a report made by
     A and accepted later counts as done) → "hoàn thành đúng hạn" when completed_on ≤ due_on, else
     "hoàn thành quá hạn";
   - reported done by every lead unit on or before A but not accepted (reported_on ≤ A) → "chờ xác nhận":
     the clock stopped on the report day, so it is "đang thực hiện trong hạn" when reported_on ≤ due_on,
     else "đang thực hiện quá hạn", and is shown again apart as "trong đó chờ xác nhận";
   - otherwise open at A → "đang thực hiện trong hạn" when A ≤ due_on, else "đang thực hiện quá hạn".
   due_on is the deadline in force (extensions included) moved to the next working day when it falls on
   a day off (Bộ luật Dân sự 2015, Điều 148); an extension granted after A counts too.
4. Accountability is the lead unit's (chủ trì): a unit's row counts the directives it leads; a directive
   with several lead units counts once in each of their rows and once in the province total. What a
   unit supports (phối hợp) is counted apart and never enters its lead figures.
5. Tỷ lệ hoàn thành đúng hạn = done on time ÷ (done on time + done late + open overdue): the directives
   that are done or whose deadline had passed by A. None when nothing was due.
6. Days late: for done late, completed_on − due_on; for open overdue, A − due_on (reported_on − due_on
   when awaiting confirmation), in calendar days.
7. The breakdown by assigning leader groups by the leader named on the directive (leader_name), or the
   leader who assigned it in the bot.
8. Digests and lists count open work as of today by the same dates: a directive is open when assigned and
   neither done, cancelled nor reported done by every lead unit (states assigned and in progress);
   overdue when open and due_on < today; due soon when open and today ≤ due_on ≤ the soon limit; a
   unit's tasks are its open work plus what awaits confirmation. Lead work only, support counted apart.

Every figure is aggregated in the database (GROUP BY over CASE expressions, served by the indexes of
migration 0004); no query here returns a row per directive except the bounded overdue list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import tally
from bot.errors import DomainError
from bot.reports import tallied
from storage.models import WORKING_STATES, Assignment, Directive, Person, Unit
from storage.read_model import OPEN_STATES

D, A_ = Directive, Assignment

# Class codes, as computed by `_class`.
CANCELLED, STANDING = "x", "s"
DONE_ON_TIME, DONE_LATE = "dt", "dl"
AWAITING_ON_TIME, AWAITING_LATE = "wt", "wl"
ON_TIME, OVERDUE = "ot", "ol"
MAX_OVERDUE_LIST = 20


@dataclass(frozen=True)
class Counts:
    carried: int = 0
    new: int = 0
    done_on_time: int = 0
    done_late: int = 0
    on_time: int = 0  # open in time at A (awaiting confirmation included)
    overdue: int = 0  # open past due at A (awaiting confirmation reported late included)
    standing: int = 0
    awaiting: int = 0  # of which awaiting confirmation (in on_time/overdue, or standing)
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.carried + self.new

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def due(self) -> int:
        return self.done_on_time + self.done_late + self.overdue

    @property
    def rate(self) -> float | None:
        return self.done_on_time / self.due if self.due else None

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))


def _values(counts: Counts) -> tuple[int, ...]:
    return (counts.carried, counts.new, counts.done_on_time, counts.done_late, counts.on_time, counts.overdue,
            counts.standing, counts.awaiting, counts.cancelled)


def _count(cls: str, is_new: bool, n: int) -> Counts:
    """n directives of one class, either new in the period or carried over."""
    if cls == CANCELLED:
        return Counts(cancelled=n)
    fields: dict[str, int] = {"new" if is_new else "carried": n}
    if cls == STANDING:
        fields["standing"] = n
    elif cls == DONE_ON_TIME:
        fields["done_on_time"] = n
    elif cls == DONE_LATE:
        fields["done_late"] = n
    elif cls in (ON_TIME, AWAITING_ON_TIME):
        fields["on_time"] = n
    else:
        fields["overdue"] = n
    if cls in (AWAITING_ON_TIME, AWAITING_LATE):
        fields["awaiting"] = n
    return Counts(**fields)


@dataclass(frozen=True)
class Scope:
    """What a report is about: a period, the day status is judged on, and optionally one lead unit."""

    start: date
    end: date
    as_of: date
    unit_code: str | None = None
    period: str | None = None  # as asked (2026-11, 2026-Q4 …), for labels and buttons

    @property
    def seen_until(self) -> date:
        """The last assignment day the report can know of."""
        return min(self.end, self.as_of)


def make_scope(start: date, end: date, today: date, as_of: date | None = None, unit_code: str | None = None,
               period: str | None = None) -> Scope:
    """The as-of date defaults to the period's end, or today while the period runs."""
    as_of = as_of or min(end, today)
    if as_of < start:
        raise DomainError("report.as_of_before_start", as_of=as_of, start=start)
    if as_of > today:
        raise DomainError("report.as_of_future", as_of=as_of)
    return Scope(start, end, as_of, unit_code.strip().upper() if unit_code else None, period)


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    lead: Counts = field(default_factory=Counts)
    support: Counts = field(default_factory=Counts)


@dataclass(frozen=True)
class LeaderRow:
    name: str | None  # None: no leader recorded
    counts: Counts


@dataclass(frozen=True)
class OverdueItem:
    code: str
    content: str
    lead: tuple[str, ...]  # lead unit names
    deadline: date
    due_on: date
    days_late: int
    awaiting: bool


@dataclass(frozen=True)
class Report:
    scope: Scope
    unit_name: str | None
    total: Counts
    units: tuple[UnitRow, ...]  # lead rows first by code; units that only support come last
    leaders: tuple[LeaderRow, ...]
    overdue: tuple[OverdueItem, ...]  # the most overdue first, at most MAX_OVERDUE_LIST


def _class(t: Any, as_of: date, *, done: bool = True, cancelled: bool = True) -> ColumnElement[str]:
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


def _class_conditions(t: Any, as_of: date, *, done: bool = True, cancelled: bool = True) \
        -> list[ColumnElement[bool] | None]:
    """The same classes as `_class`, as one condition each, in the order of _CLASSES (None for a class the
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


def _unindexed(column: Any) -> ColumnElement[Any]:
    """The column's value as an expression no index serves: a planner then reads "done (or cancelled)
    since the start" from the index that begins with that date, never every old row by assignment day."""
    return func.coalesce(column, column)


def _part_flags() -> list[tuple[bool, bool]]:
    """Which classes each part of `_parts` can hold: (done, cancelled)."""
    return [(True, True), (False, False), (True, False), (False, True)]


def _parts(scope: Scope, t: Any = D) -> list[tuple[bool, ColumnElement[bool], ColumnElement[str]]]:
    """Rule 2 as disjoint conditions, each served by one index that carries the dates its class reads:
    new; carried over and still open now (by its state: neither done nor cancelled, and not a draft);
    carried over and done since the start; carried over and cancelled since the start."""
    start, as_of = scope.start, scope.as_of
    still_open = t.is_open.is_(True) if t is A_ else t.state.in_(OPEN_STATES)
    return [
        (True, and_(t.assigned_on >= start, t.assigned_on <= scope.seen_until), _class(t, as_of)),
        (False, and_(still_open, t.assigned_on < start), _class(t, as_of, done=False, cancelled=False)),
        (False, and_(t.completed_on >= start, _unindexed(t.assigned_on) < start), _class(t, as_of, cancelled=False)),
        # A cancelled directive was never done (done ones cannot be cancelled; reopening clears the date).
        (False, and_(t.cancelled_on >= start, _unindexed(t.assigned_on) < start), _class(t, as_of, done=False)),
    ]


def scope_rows(scope: Scope, unit_id: int | None, *columns: ColumnElement) -> Select:
    """One row per directive in scope (id, is_new, class, *columns), as a UNION ALL of the parts."""
    selects = []
    for is_new, condition, cls in _parts(scope):
        query = select(D.id.label("id"), literal(is_new).label("is_new"), cls.label("cls"), *columns).where(condition)
        if unit_id is not None:
            query = query.where(D.id.in_(select(A_.directive_id).where(A_.unit_id == unit_id, A_.role == "lead")))
        selects.append(query)
    return union_all(*selects)  # type: ignore[return-value]


async def compute(session: AsyncSession, scope: Scope, *, leaders: bool = True) -> Report:
    """All figures of a report: province (or unit) totals, unit rows, the overdue list and, unless the
    caller needs no breakdown by leader (the chat summary), the leaders' rows. Counted from the tallies
    (bot/reports/tallied.py); a unit's breakdown by leader, which they do not keep, from the directives."""
    unit = None
    if scope.unit_code:
        unit = await session.scalar(select(Unit).where(Unit.code == scope.unit_code))
        if unit is None:
            raise DomainError("unit.unknown", code=scope.unit_code[:32])
    unit_id = unit.id if unit is not None else None
    per_unit = await tallied_counts(session, scope, per_unit=True, unit_id=unit_id)
    units = await _named_units(session, per_unit)
    by_leader: tuple[LeaderRow, ...] = ()
    if unit_id is None:
        per_leader = await tallied_counts(session, scope, per_unit=False)
        total = sum(per_leader.values(), Counts())
        if leaders:
            by_leader = await _leaders_named(session, per_leader)
    else:
        total = per_unit.get((unit_id, "lead"), Counts())
        if leaders:
            by_leader = await _leader_rows(session, scope, unit_id)
    overdue = await overdue_list(session, scope, unit_id)
    return Report(scope, unit.name if unit else None, total, units, by_leader, overdue)


async def tallied_counts(session: AsyncSession, scope: Scope, *, per_unit: bool, unit_id: int | None = None) \
        -> dict[tuple[Any, ...], Counts]:
    """Counts per (unit, role), or per (leader name, who assigned), from the marks (bot/domain/tally.py):
    what is open as of A is the sum of the open classes' marks up to A; what ended in a final class, the
    sum of their marks from the start to A; what is new, the births in the period less those cancelled by
    A. When A is after the period's end, what was assigned after the end is taken back, counted from its
    rows; what is carried over is the rest."""
    start, until, as_of = scope.start, scope.seen_until, scope.as_of
    found = await tallied.sums(session, start, until, as_of, per_unit=per_unit, unit_id=unit_id)
    t: Any = A_ if per_unit else D
    keys = (A_.unit_id, A_.role) if per_unit else (D.leader_name, D.assigned_by_id)
    where = (A_.unit_id == unit_id,) if per_unit and unit_id is not None else ()
    later: dict[tuple[Any, ...], dict[str, int]] = {}
    if until < as_of:
        after = Scope(until + timedelta(days=1), as_of, as_of)
        rows: Any = await session.execute(_per_part(after, t, *keys, where=where, parts=1))
        for _, first, second, *values in rows:
            later[(first, second)] = {cls: int(n or 0) for cls, n in zip(_CLASSES, values, strict=True)}
    cancelled: Any = await session.execute(
        select(*keys, func.count()).where(t.cancelled_on >= start, t.cancelled_on <= as_of,
                                          _unindexed(t.assigned_on).between(start, until), *where).group_by(*keys))
    cancelled_new = {(first, second): n for first, second, n in cancelled}
    result = {}
    for key in set(found) | set(later):
        marks, back = found.get(key, {}), later.get(key, {})

        def n(*classes: str, marks: dict[str, int] = marks, back: dict[str, int] = back) -> int:
            return sum(marks.get(c, 0) for c in classes) - sum(back.get(c, 0) for c in classes)

        new = marks.get(tally.BORN, 0) - cancelled_new.get(key, 0)
        counts = Counts(new=new, done_on_time=n(DONE_ON_TIME), done_late=n(DONE_LATE),
                        on_time=n(ON_TIME, AWAITING_ON_TIME), overdue=n(OVERDUE, AWAITING_LATE),
                        standing=n(STANDING, tally.STANDING_DONE), awaiting=n(AWAITING_ON_TIME, AWAITING_LATE),
                        cancelled=n(CANCELLED))
        carried = counts.done + counts.on_time + counts.overdue + counts.standing - new
        counts = Counts(carried, *_values(counts)[1:])
        if any(_values(counts)):
            result[key] = counts
    return result


_CLASSES = (CANCELLED, STANDING, DONE_ON_TIME, DONE_LATE, AWAITING_ON_TIME, AWAITING_LATE, ON_TIME, OVERDUE)
def _per_part(scope: Scope, t: Any, *group: Any, where: tuple[ColumnElement[bool], ...] = (),
              parts: int = 4) -> Select[Any]:
    """The scope's parts (all four, or only the first: what was assigned in the period) counted apart and
    stacked (part number, *group, a count per class): each part is read from the index that begins with
    its own condition, grouped as it is read."""
    selects = []
    for number, ((_, condition, _), (done, cancelled)) in enumerate(
            list(zip(_parts(scope, t), _part_flags(), strict=True))[:parts]):
        counts = [func.count().filter(c) if c is not None else literal(0)
                  for c in _class_conditions(t, scope.as_of, done=done, cancelled=cancelled)]
        # The still-open part is read in its index's (unit, role) order and grouped as it comes; the others
        # are small and grouped after reading: their grouping must not lure a planner into walking a whole
        # index in unit order.
        keys = list(group) if number == 1 else [_unindexed(g).label(g.key) for g in group]
        query = select(literal(number).label("part"), *keys, *counts).where(condition, *where)
        selects.append(query.group_by(*keys) if group else query)
    return union_all(*selects)  # type: ignore[return-value]


def _part_counts(part: int, values: tuple[int | None, ...]) -> Counts:
    """A part's counts per class as Counts (part 0 is what was assigned in the period)."""
    total = Counts()
    for cls, n in zip(_CLASSES, values, strict=True):
        if n:
            total += _count(cls, part == 0, int(n))
    return total


async def counted_from_rows(session: AsyncSession, scope: Scope, *, per_unit: bool, unit_id: int | None = None) \
        -> dict[tuple[Any, ...], Counts]:
    """The same counts as `tallied_counts`, from the directives' (or assignments') rows: per (unit, role)
    from the assignments' copies of the dates, or per (leader name, who assigned) for the directives a
    unit (if given) leads."""
    if per_unit:
        where: tuple[ColumnElement[bool], ...] = (A_.unit_id == unit_id,) if unit_id is not None else ()
        query = _per_part(scope, A_, A_.unit_id, A_.role, where=where)
    else:
        where = (D.id.in_(select(A_.directive_id).where(A_.unit_id == unit_id, A_.role == "lead")),) \
            if unit_id is not None else ()
        query = _per_part(scope, D, D.leader_name, D.assigned_by_id, where=where)
    found: dict[tuple[Any, ...], Counts] = {}
    rows: Any = await session.execute(query)
    for part, first, second, *values in rows:
        found[(first, second)] = found.get((first, second), Counts()) + _part_counts(part, tuple(values))
    return {key: counts for key, counts in found.items() if any(_values(counts))}


async def _named_units(session: AsyncSession, per_unit: dict[tuple[Any, ...], Counts]) -> tuple[UnitRow, ...]:
    """Unit rows (rule 4): lead and support apart, named, lead rows first by code."""
    figures: dict[int, dict[str, Counts]] = {}
    for (uid, role), counts in per_unit.items():
        figures.setdefault(uid, {"lead": Counts(), "support": Counts()})[role] = counts
    if not figures:
        return ()
    names = {u.id: (u.code, u.name) for u in await session.scalars(select(Unit).where(Unit.id.in_(figures)))}
    result = [UnitRow(names[uid][0], names[uid][1], f["lead"], f["support"]) for uid, f in figures.items()]
    return tuple(sorted(result, key=lambda r: (r.lead.total + r.lead.cancelled == 0, r.code)))


async def _leader_rows(session: AsyncSession, scope: Scope, unit_id: int | None) -> tuple[LeaderRow, ...]:
    return await _leaders_named(session, await counted_from_rows(session, scope, per_unit=False, unit_id=unit_id))


async def _leaders_named(session: AsyncSession, by_leader: dict[tuple[Any, ...], Counts]) -> tuple[LeaderRow, ...]:
    """Rule 7: the leader named on the directive, else the leader who assigned it in the bot."""
    ids = {by for _, by in by_leader if by is not None}
    leaders = dict((await session.execute(
        select(Person.id, Person.full_name).where(Person.id.in_(ids), Person.role == "leader"))).all()) if ids else {}
    merged: dict[str | None, Counts] = {}
    for (name, by), counts in by_leader.items():
        key = name or (leaders.get(by) if by is not None else None)
        merged[key] = merged.get(key, Counts()) + counts
    return tuple(LeaderRow(name, counts) for name, counts in
                 sorted(merged.items(), key=lambda item: (item[0] is None, item[0] or "")))


async def overdue_list(session: AsyncSession, scope: Scope, unit_id: int | None,
                       limit: int = MAX_OVERDUE_LIST) -> tuple[OverdueItem, ...]:
    """The open overdue directives (awaiting ones reported late included), most days late first. Read from
    three small sets rather than the whole scope: what is still being worked on, by the day its deadline
    ended (an index's order, so the most overdue come first); what awaits confirmation now; what was done
    or cancelled after the as-of day."""
    as_of, k = scope.as_of, limit * 4
    known = (_unindexed(D.assigned_on) <= scope.seen_until, D.due_on < as_of)
    lead: tuple[ColumnElement[bool], ...] = ()
    if unit_id is None:
        working = (select(D.id, D.due_on, D.reported_on, _class(D, as_of).label("cls"))
                   .where(text(WORKING_STATES), D.due_on < as_of, D.assigned_on <= scope.seen_until)
                   .order_by(D.due_on, D.id))
    else:
        working = (select(A_.directive_id, A_.due_on, A_.reported_on, _class(A_, as_of).label("cls"))
                   .where(A_.unit_id == unit_id, A_.role == "lead", A_.is_open.is_(True), A_.due_sort < as_of,
                          A_.state.in_(["assigned", "in_progress"]), A_.assigned_on <= scope.seen_until)
                   .order_by(A_.due_sort, A_.directive_id))
        lead = (D.id.in_(select(A_.directive_id).where(A_.unit_id == unit_id, A_.role == "lead")),)
    # Each from the index that begins with its own condition and carries the dates the class reads; the
    # directives' texts are read after, for the few chosen.
    others = (select(D.id, D.due_on, D.reported_on, _class(D, as_of, done=False, cancelled=False).label("cls"))
              .where(D.state == "awaiting_confirmation", *known, *lead),
              select(D.id, D.due_on, D.reported_on, _class(D, as_of, cancelled=False).label("cls"))
              .where(D.completed_on > as_of, *known, *lead),
              select(D.id, D.due_on, D.reported_on, _class(D, as_of, done=False).label("cls"))
              .where(D.cancelled_on > as_of, *known, *lead))
    found: dict[int, Any] = {r[0]: r for r in (await session.execute(working.limit(k))).all()}
    for query in others:
        rows = await session.execute(query.order_by(D.due_on, D.id).limit(k))
        found.update((r[0], r) for r in rows if r.cls in (OVERDUE, AWAITING_LATE))
    if not found:
        return ()
    texts = {r.id: r for r in await session.execute(
        select(D.id, D.code, D.content, D.deadline).where(D.id.in_(list(found))))}
    leads: dict[int, list[str]] = {}
    for did, name in await session.execute(
        select(A_.directive_id, Unit.name).join(Unit, Unit.id == A_.unit_id)
        .where(A_.directive_id.in_(list(found)), A_.role == "lead").order_by(A_.id)
    ):
        leads.setdefault(did, []).append(name)
    items = [
        OverdueItem(texts[did].code, texts[did].content, tuple(leads.get(did, ())), texts[did].deadline, r.due_on,
                    ((_as_date(r.reported_on) if r.cls == AWAITING_LATE else as_of) - _as_date(r.due_on)).days,
                    r.cls == AWAITING_LATE)
        for did, r in found.items()
    ]
    items.sort(key=lambda i: (-i.days_late, i.code))
    return tuple(items[:limit])


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def totals(session: AsyncSession, scope: Scope) -> Counts:
    """The province (or one unit's lead) totals alone: what a digest compares month to month."""
    if not scope.unit_code:
        return sum((await tallied_counts(session, scope, per_unit=False)).values(), Counts())
    unit_id = await session.scalar(select(Unit.id).where(Unit.code == scope.unit_code))
    if unit_id is None:
        return Counts()
    return (await tallied_counts(session, scope, per_unit=True, unit_id=unit_id)).get((unit_id, "lead"), Counts())


@dataclass(frozen=True)
class OpenWork:
    """Rule 8: one unit's (or the province's) open work today."""

    working: int = 0  # assigned or in progress
    overdue: int = 0
    due_soon: int = 0
    awaiting: int = 0

    @property
    def tasks(self) -> int:
        return self.working + self.awaiting


async def open_work(session: AsyncSession, today: date, soon_until: date, *, by_unit: bool, role: str = "lead") \
        -> dict[int | None, OpenWork]:
    """Open work today, for the province (key None, each directive once) or per unit in `role` (from the
    assignments' own copies of the dates)."""
    t: Any = A_ if by_unit else D
    working = t.reported_on.is_(None)
    columns = (
        func.sum(case((working, 1), else_=0)),
        func.sum(case((working & (t.due_on < today), 1), else_=0)),
        func.sum(case((working & (t.due_on >= today) & (t.due_on <= soon_until), 1), else_=0)),
        func.sum(case((working, 0), else_=1)),
    )
    still_open = (A_.is_open.is_(True),) if by_unit else (D.state.in_(OPEN_STATES),)
    query = (select(A_.unit_id, *columns).where(*still_open, A_.role == role).group_by(A_.unit_id)
                          if by_unit else select(literal(None), *columns).where(*still_open))
    return {key: OpenWork(*(int(v or 0) for v in values)) for key, *values in await session.execute(query)}
