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
   leader who assigned it in the bot (never an office clerk), as one identity: the registered leader
   however the text names them, else the text, its spellings together (bot/domain/leaders.py: identify).
8. Digests and lists count open work as of today by the same dates: a directive is open when assigned and
   neither done, cancelled nor reported done by every lead unit (states assigned and in progress);
   overdue when open and due_on < today; due soon when open and today ≤ due_on ≤ the soon limit; a
   unit's tasks are its open work plus what awaits confirmation. Lead work only, support counted apart.

Every figure is read from the report tallies (storage/tallies.py, bot/reports/tallied.py): each
directive's class as a timeline of marks (bot/domain/tally.py), summed per unit, leader, day, month and year
in the transaction that changes the directive, so a year's report reads a few thousand sums. What the
tallies cannot say (what was assigned after a period ended, what was assigned in it and cancelled by the
as-of day) is counted from the rows (bot/reports/rows.py, the reference the tallies are tested against),
each from an index that begins with its conditions. One unit's figures and its breakdown by leader are
tallied like the province's (per unit and role, per lead unit and leader). No query returns a row per
directive except the bounded overdue list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, literal, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import tally
from bot.errors import DomainError
from bot.reports import tallied
from bot.reports.counts import (
    AWAITING_LATE,
    AWAITING_ON_TIME,
    CANCELLED,
    DONE_LATE,
    DONE_ON_TIME,
    MAX_OVERDUE_LIST,
    ON_TIME,
    OVERDUE,
    STANDING,
    Counts,
    LeaderRow,
    OverdueItem,
    Rates,
    Report,
    Scope,
    UnitRow,
    as_tuple,
)
from bot.reports.rows import A_, CLASSES, D, class_case, per_part, unindexed
from storage.leaders import grouped, leader_directory
from storage.models import AWAITING, WORKING_STATES, Unit
from storage.read_model import OPEN_STATES


async def compute(session: AsyncSession, scope: Scope, *, leaders: bool = True, overdue: bool = True) -> Report:
    """All figures of a report: province (or unit) totals, unit rows, the overdue list (unless the caller
    shows none: the API's table) and, unless the caller needs no breakdown by leader (the chat summary),
    the leaders' rows. Counted from the tallies (bot/reports/tallied.py), a unit's breakdown by leader too."""
    unit = None
    if scope.unit_code:
        unit = await session.scalar(select(Unit).where(Unit.code == scope.unit_code))
        if unit is None:
            raise DomainError("unit.unknown", code=scope.unit_code[:32])
    unit_id = unit.id if unit is not None else None
    known = await tallied.bounds(session)  # read once for every sum below
    per_unit = await tallied_counts(session, scope, per_unit=True, unit_id=unit_id, known=known)
    units = await _named_units(session, per_unit)
    by_leader: tuple[LeaderRow, ...] = ()
    if unit_id is None:
        per_leader = await tallied_counts(session, scope, per_unit=False, known=known)
        total = sum(per_leader.values(), Counts())
        if leaders:
            by_leader = await _leaders_named(session, per_leader)
    else:
        total = per_unit.get((unit_id, "lead"), Counts())
        if leaders:
            by_leader = await _leaders_named(session, await tallied_counts(session, scope, per_unit=False,
                                                                          unit_id=unit_id, known=known))
    late = await overdue_list(session, scope, unit_id) if overdue else ()
    return Report(scope, unit.name if unit else None, total, units, by_leader, late)


# The classes a rate reads (rule 5): done on time, done late, open overdue (awaiting confirmation included).
RATE_CLASSES = frozenset({DONE_ON_TIME, DONE_LATE, OVERDUE, AWAITING_LATE})


async def rates(session: AsyncSession, scope: Scope) -> Rates:
    """The on-time rates of `compute`'s report (its total's and each lead unit's), read from the marks a rate
    counts (done on time, done late, overdue) of the lead units' rows only: what the dashboard shows of the
    period before, for about a third of the report's reading."""
    unit_id = None
    if scope.unit_code:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == scope.unit_code))
        if unit_id is None:
            raise DomainError("unit.unknown", code=scope.unit_code[:32])
    known = await tallied.bounds(session)
    per_unit = await tallied_counts(session, scope, per_unit=True, unit_id=unit_id, known=known, rates_only=True)
    if unit_id is None:
        total = sum((await tallied_counts(session, scope, per_unit=False, known=known, rates_only=True)).values(),
                    Counts())
    else:
        total = per_unit.get((unit_id, "lead"), Counts())
    lead = {uid: counts for (uid, role), counts in per_unit.items() if role == "lead"}
    codes = dict((await session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(lead)))).all()) if lead else {}
    return Rates(scope, total.rate, {codes[uid]: counts.rate for uid, counts in lead.items()})


async def tallied_counts(session: AsyncSession, scope: Scope, *, per_unit: bool, unit_id: int | None = None,
                         known: tuple[date, date] | None | tallied.Unknown = tallied.UNKNOWN,
                         rates_only: bool = False) -> dict[tuple[Any, ...], Counts]:
    """Counts per (unit, role), or per (leader name, who assigned), from the marks (bot/domain/tally.py):
    what is open as of A is the sum of the open classes' marks up to A; what ended in a final class, the
    sum of their marks from the start to A; what is new, the births in the period less those cancelled by
    A. When A is after the period's end, what was assigned after the end is taken back, counted from its
    rows; what is carried over is the rest. Per leader with `unit_id`: that unit's breakdown by leader (the
    directives it leads), from its own tallies. `rates_only`: only the figures a rate reads are right (done
    on time, done late, overdue), of the lead units only when per unit (`rates`)."""
    start, until, as_of = scope.start, scope.seen_until, scope.as_of
    # What was assigned in the period and cancelled by A is counted from its rows in the same statement.
    also = None if rates_only else (CANCELLED_NEW, _cancelled_new(scope, per_unit=per_unit, unit_id=unit_id))
    found = await tallied.sums(session, start, until, as_of, per_unit=per_unit, unit_id=unit_id, known=known,
                               also=also, classes=RATE_CLASSES if rates_only else None,
                               role="lead" if rates_only else None)
    cancelled_new = {key: classes.pop(CANCELLED_NEW) for key, classes in found.items() if CANCELLED_NEW in classes}
    found = {key: classes for key, classes in found.items() if classes}
    later = await _assigned_after(session, scope, per_unit=per_unit, unit_id=unit_id)
    result = {}
    for key in set(found) | set(later):
        marks, back = found.get(key, {}), later.get(key, {})
        c = dict(marks)
        for cls, taken in back.items():
            c[cls] = c.get(cls, 0) - taken
        g = c.get
        new = g(tally.BORN, 0) - cancelled_new.get(key, 0)
        counts = Counts(new=new, done_on_time=g(DONE_ON_TIME, 0), done_late=g(DONE_LATE, 0),
                        on_time=g(ON_TIME, 0) + g(AWAITING_ON_TIME, 0), overdue=g(OVERDUE, 0) + g(AWAITING_LATE, 0),
                        standing=g(STANDING, 0) + g(tally.STANDING_DONE, 0),
                        awaiting=g(AWAITING_ON_TIME, 0) + g(AWAITING_LATE, 0), cancelled=g(CANCELLED, 0))
        carried = counts.done + counts.on_time + counts.overdue + counts.standing - new
        counts = Counts(carried, *as_tuple(counts)[1:])
        if any(as_tuple(counts)):
            result[key] = counts
    return result


def _lead_of(unit_id: int) -> ColumnElement[bool]:
    """The directive (D) is led by the unit: one probe of the assignments' (directive, role, unit) index."""
    return exists().where(A_.directive_id == D.id, A_.role == "lead", A_.unit_id == unit_id)


async def _assigned_after(session: AsyncSession, scope: Scope, *, per_unit: bool, unit_id: int | None) \
        -> dict[tuple[Any, ...], dict[str, int]]:
    """What was assigned after the period's end, by the as-of day, counted from its rows per key."""
    until, as_of = scope.seen_until, scope.as_of
    if until >= as_of:
        return {}
    after = Scope(until + timedelta(days=1), as_of, as_of)
    if per_unit:
        where: tuple[ColumnElement[bool], ...] = (A_.unit_id == unit_id,) if unit_id is not None else ()
        query = per_part(after, A_, A_.unit_id, A_.role, where=where, parts=1)
    else:
        where = (_lead_of(unit_id),) if unit_id is not None else ()
        query = per_part(after, D, D.leader_name, D.assigned_by_id, where=where, parts=1)
    rows: Any = await session.execute(query)
    return {(first, second): {cls: int(n or 0) for cls, n in zip(CLASSES, values, strict=True)}
            for _, first, second, *values in rows}


CANCELLED_NEW = "cancelled_new"  # not a class: `tallied_counts`' name for what `_cancelled_new` counts


def _cancelled_new(scope: Scope, *, per_unit: bool, unit_id: int | None) -> Any:
    """What was assigned in the period and cancelled by the as-of day, per key: the province's from the
    directives' cancellations, one unit's from the index that begins with the unit, its role and the day."""
    start, until, as_of = scope.start, scope.seen_until, scope.as_of
    query: Any
    if unit_id is None:
        t: Any = A_ if per_unit else D
        keys = (A_.unit_id, A_.role) if per_unit else (D.leader_name, D.assigned_by_id)
        query = (select(*keys, func.count()).where(t.cancelled_on >= start, t.cancelled_on <= as_of,
                                                   unindexed(t.assigned_on).between(start, until)).group_by(*keys))
    else:
        roles = ("lead", "support") if per_unit else ("lead",)
        mine = select(A_.directive_id, A_.unit_id, A_.role).where(
            A_.unit_id == unit_id, A_.role.in_(roles), A_.cancelled_on >= start, A_.cancelled_on <= as_of,
            unindexed(A_.assigned_on).between(start, until)).subquery()
        if per_unit:
            query = select(mine.c.unit_id, mine.c.role, func.count()).group_by(mine.c.unit_id, mine.c.role)
        else:
            query = (select(D.leader_name, D.assigned_by_id, func.count()).join(mine, mine.c.directive_id == D.id)
                     .group_by(D.leader_name, D.assigned_by_id))
    return query


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


async def _leaders_named(session: AsyncSession, by_leader: dict[tuple[Any, ...], Counts]) -> tuple[LeaderRow, ...]:
    """Rule 7: the leader named on the directive, else the leader who assigned it in the bot, as one identity
    (bot/domain/leaders.py: a registered leader however the text names them, «title name»; texts the same
    once normalised together)."""
    identities = grouped(by_leader, await leader_directory(session) if by_leader else [])
    merged: dict[str | None, tuple[str | None, Counts]] = {}
    for pair, counts in by_leader.items():
        ident = identities[pair]
        key, shown = (ident.key, ident.shown) if ident is not None else (None, None)
        merged[key] = (shown, merged.get(key, (shown, Counts()))[1] + counts)
    return tuple(LeaderRow(name, counts) for name, counts in
                 sorted(merged.values(), key=lambda item: (item[0] is None, item[0] or "")))


async def overdue_list(session: AsyncSession, scope: Scope, unit_id: int | None,
                       limit: int = MAX_OVERDUE_LIST) -> tuple[OverdueItem, ...]:
    """The open overdue directives (awaiting ones reported late included), most days late first. Read from
    three small sets rather than the whole scope: what is still being worked on, by the day its deadline
    ended (an index's order, so the most overdue come first); what awaits confirmation now; what was done
    or cancelled after the as-of day."""
    as_of, k = scope.as_of, limit * 4
    found: dict[int, Any] = {}
    if unit_id is None:
        known = (unindexed(D.assigned_on) <= scope.seen_until, D.due_on < as_of)
        working = (select(D.id, D.due_on, D.reported_on, class_case(D, as_of).label("cls"))
                   .where(text(WORKING_STATES), D.due_on < as_of, D.assigned_on <= scope.seen_until)
                   .order_by(D.due_on, D.id))
        # Each from the index that begins with its own condition and carries the dates the class reads; the
        # directives' texts are read after, for the few chosen.
        others = (select(D.id, D.due_on, D.reported_on, class_case(D, as_of, done=False, cancelled=False)
                         .label("cls")).where(text(AWAITING), *known),
                  select(D.id, D.due_on, D.reported_on, class_case(D, as_of, cancelled=False).label("cls"))
                  .where(D.completed_on > as_of, *known),
                  select(D.id, D.due_on, D.reported_on, class_case(D, as_of, done=False).label("cls"))
                  .where(D.cancelled_on > as_of, *known))
        found.update((r[0], r) for r in (await session.execute(working.limit(k))).all())
        for query in others:
            rows = await session.execute(query.order_by(D.due_on, D.id).limit(k))
            found.update((r[0], r) for r in rows if r.cls in (OVERDUE, AWAITING_LATE))
    else:
        # The unit's lead rows, from the assignments' copies of the dates: what is open now (worked on or
        # awaiting confirmation), in its list's index order so the most overdue come first, and kept only
        # when overdue or reported late; what was done or cancelled after the as-of day, each from the
        # index that begins with the unit, the role and that day.
        mine = (A_.unit_id == unit_id, A_.role == "lead")
        known_a = (unindexed(A_.assigned_on) <= scope.seen_until, A_.due_on < as_of)
        late = or_(A_.reported_on.is_(None), A_.reported_on > A_.due_on)
        columns = (A_.directive_id, A_.due_on, A_.reported_on)
        open_now = (select(*columns, class_case(A_, as_of, done=False, cancelled=False).label("cls"))
                    .where(*mine, A_.is_open.is_(True), A_.due_sort < as_of, late,
                           unindexed(A_.assigned_on) <= scope.seen_until)
                    .order_by(A_.due_sort, A_.directive_id).limit(k))
        found.update((r[0], r) for r in (await session.execute(open_now)).all())
        for query in (select(*columns, class_case(A_, as_of, cancelled=False).label("cls"))
                      .where(*mine, A_.completed_on > as_of, *known_a),
                      select(*columns, class_case(A_, as_of, done=False).label("cls"))
                      .where(*mine, A_.cancelled_on > as_of, *known_a)):
            rows = await session.execute(query.order_by(A_.due_on, A_.directive_id).limit(k))
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
