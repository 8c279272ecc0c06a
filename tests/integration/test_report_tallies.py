"""The tallies count what the rows count: a province of random directives, changed again and again (reports,
confirmations, send-backs, extensions, cancellations, reopenings, units and leaders replaced, drafts
deleted), asked for random periods and as-of days, after merging and after a rebuild."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.domain.tally import Dates, class_on
from bot.reports import counts, numbers
from bot.reports.rows import counted_from_rows
from storage import tallies
from storage.models import Assignment, Directive, Unit, UnitTally
from storage.repository import forget_row, refresh_row

TODAY = date(2026, 11, 20)
FIRST = date(2025, 5, 1)
AT = datetime(2026, 11, 20, tzinfo=UTC)
LEADERS = ["Nguyễn Văn An", "Trần Thị Bình", None]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _settle(rng: random.Random, d: Directive) -> None:
    """Random dates that keep the lifecycle's order, and the state they mean."""
    if rng.random() < 0.08:
        d.state, d.assigned_on, d.due_on = "draft", None, None
        d.reported_on = d.completed_on = d.cancelled_on = None
        return
    d.assigned_on = _day(rng, FIRST, TODAY)
    d.due_on = None if rng.random() < 0.1 else _day(rng, d.assigned_on - timedelta(days=5), d.assigned_on + timedelta(days=90))
    d.reported_on = d.completed_on = d.cancelled_on = None
    fate = rng.random()
    if fate < 0.1:
        d.cancelled_on, d.state = _day(rng, d.assigned_on, TODAY), "cancelled"
    elif fate < 0.5:
        d.reported_on = _day(rng, d.assigned_on, TODAY)
        if rng.random() < 0.7:
            d.completed_on, d.state = d.reported_on, "done"
        else:
            d.state = "awaiting_confirmation"
    else:
        d.state = rng.choice(["assigned", "in_progress"])


async def _province(rt, rng: random.Random, count: int) -> None:
    async with rt.transaction() as session:
        units = list(await session.scalars(select(Unit.id).order_by(Unit.id)))
        for n in range(count):
            d = Directive(code=f"T{n:03d}", content="Rà soát", search_text="ra soat", state="assigned",
                          leader_name=rng.choice(LEADERS), created_at=AT, updated_at=AT)
            _settle(rng, d)
            picked = rng.sample(units, rng.randint(1, 4))
            d.assignments = [Assignment(unit_id=u, role="lead" if i == 0 or rng.random() < 0.2 else "support")
                             for i, u in enumerate(picked)]
            session.add(d)
            await refresh_row(session, d)


async def _change(rt, rng: random.Random, rounds: int) -> None:
    for _ in range(rounds):
        async with rt.transaction() as session:
            units = list(await session.scalars(select(Unit.id).order_by(Unit.id)))
            directives = list(await session.scalars(select(Directive).order_by(Directive.id)))
            for d in rng.sample(directives, 8):
                move = rng.random()
                if move < 0.5:
                    _settle(rng, d)
                elif move < 0.65 and d.due_on is not None:
                    d.due_on += timedelta(days=rng.randint(-20, 40))
                elif move < 0.75:
                    d.leader_name = rng.choice(LEADERS)
                elif move < 0.85:
                    spare = [u for u in units if u not in {a.unit_id for a in d.assignments}]
                    d.assignments.append(Assignment(unit_id=rng.choice(spare), role=rng.choice(["lead", "support"])))
                elif move < 0.93 and len(d.assignments) > 1:
                    d.assignments.remove(d.assignments[-1])
                elif d.state == "draft":
                    await forget_row(session, d)
                    await session.delete(d)
                    continue
                await refresh_row(session, d)  # what derives from the row, written explicitly as the services do
            await session.flush()


def _scopes(rng: random.Random, count: int) -> list[counts.Scope]:
    scopes = [counts.make_scope(date(2026, 1, 1), date(2026, 12, 31), TODAY),
              counts.make_scope(date(2025, 1, 1), date(2025, 12, 31), TODAY),
              counts.make_scope(date(2025, 1, 1), date(2025, 12, 31), TODAY, as_of=TODAY),
              counts.make_scope(date(2026, 10, 1), date(2026, 10, 31), TODAY, as_of=date(2026, 11, 3))]
    while len(scopes) < count:
        start = _day(rng, date(2025, 3, 1), TODAY)
        end = _day(rng, start, TODAY + timedelta(days=60))
        as_of = _day(rng, start, TODAY) if rng.random() < 0.5 else None
        scopes.append(counts.make_scope(start, end, TODAY, as_of=as_of))
    return scopes


def _overdue_by_hand(directives: list[Directive], scope: counts.Scope, unit_id: int | None) -> list[tuple]:
    found = []
    for d in directives:
        dates = Dates(d.assigned_on, d.due_on, d.reported_on, d.completed_on, d.cancelled_on)
        if d.assigned_on is None or d.assigned_on > scope.seen_until:
            continue
        if unit_id is not None and not any(a.unit_id == unit_id and a.role == "lead" for a in d.assignments):
            continue
        cls = class_on(dates, scope.as_of)
        if cls in ("ol", "wl"):
            found.append((d.code, ((d.reported_on if cls == "wl" else scope.as_of) - d.due_on).days, cls == "wl"))
    return sorted(found, key=lambda item: (-item[1], item[0]))[:counts.MAX_OVERDUE_LIST]


async def _same(rt, scopes: list[counts.Scope], unit_ids: list[int]) -> None:
    async with rt.sessions() as session:
        directives = list(await session.scalars(select(Directive)))
        for scope in scopes:
            for unit_id in (None, unit_ids[0]):
                listed = await numbers.overdue_list(session, scope, unit_id)
                assert [(i.code, i.days_late, i.awaiting) for i in listed] == \
                    _overdue_by_hand(directives, scope, unit_id), (scope, unit_id)
            for per_unit, unit_id in ((True, None), (False, None), (True, unit_ids[0]), (False, unit_ids[0])):
                tallied = await numbers.tallied_counts(session, scope, per_unit=per_unit, unit_id=unit_id)
                counted = await counted_from_rows(session, scope, per_unit=per_unit, unit_id=unit_id)
                assert tallied == counted, (scope, per_unit, unit_id)


async def test_the_tallies_count_what_the_rows_count_through_changes_merges_and_a_rebuild(rt, people):
    rng = random.Random(20261120)
    await _province(rt, rng, 140)
    await _change(rt, rng, 12)
    scopes = _scopes(rng, 40)
    async with rt.sessions() as session:
        unit_ids = list(await session.scalars(
            select(Assignment.unit_id).group_by(Assignment.unit_id).order_by(func.count().desc()).limit(1)))
    await _same(rt, scopes, unit_ids)

    async with rt.transaction() as session:
        removed = await session.run_sync(lambda s: tallies.compact(s.connection()))
    assert removed > 0
    async with rt.sessions() as session:
        assert await session.scalar(select(func.count()).where(UnitTally.merged.is_(False))) == 0
    await _same(rt, scopes[:12], unit_ids)

    await _change(rt, rng, 3)
    async with rt.transaction() as session:
        await session.run_sync(lambda s: tallies.rebuild(s.connection()))
    await _same(rt, scopes[:12], unit_ids)


async def test_a_report_on_an_empty_province_counts_nothing(rt):
    async with rt.sessions() as session:
        scope = counts.make_scope(date(2026, 1, 1), date(2026, 12, 31), TODAY)
        assert await numbers.tallied_counts(session, scope, per_unit=True) == {}
        assert await numbers.tallied_counts(session, scope, per_unit=False) == {}


async def test_a_province_upgraded_from_before_the_tallies_gets_them_from_its_directives(rt, people):
    from tests.databases import migrate

    rng = random.Random(7)
    await _province(rt, rng, 60)
    scopes = _scopes(rng, 8)
    async with rt.sessions() as session:
        before = [await numbers.tallied_counts(session, s, per_unit=True) for s in scopes]

    await migrate(rt, "0008_import_key")
    await migrate(rt, "head")
    async with rt.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(UnitTally)) > 0
        assert [await numbers.tallied_counts(session, s, per_unit=True) for s in scopes] == before
    await _same(rt, scopes, [(await _busiest(rt))])


async def _busiest(rt) -> int:
    async with rt.sessions() as session:
        return await session.scalar(
            select(Assignment.unit_id).group_by(Assignment.unit_id).order_by(func.count().desc()).limit(1))
