"""Helpers: the tallies against the rows for many scopes, and the tally tables' contents."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.reports import counts, numbers
from bot.reports.counts import Counts
from bot.reports.rows import counted_from_rows
from storage.models import LeaderTally, Unit, UnitTally


def at(day: date, hour: int = 9) -> datetime:
    """A local (UTC+7) hour of a day, as the services' `now`."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


def scopes_for(today: date, full: bool = True) -> list[counts.Scope]:
    """Periods around `today`: running and closed, as-of in the past, custom ranges, a year, history."""
    found: list[counts.Scope] = []

    def add(start: date, end: date, as_of: date | None = None) -> None:
        if start > today or (as_of is not None and (as_of < start or as_of > today)):
            return
        found.append(counts.make_scope(start, end, today, as_of=as_of))

    month = today.replace(day=1)
    previous = (month - timedelta(days=1)).replace(day=1)
    if not full:  # the few a check after every step can afford: running, closed, judged later, custom
        add(month, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
        add(previous, month - timedelta(days=1), as_of=today)
        add(date(today.year, 1, 1), date(today.year, 12, 31))
        add(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), as_of=today)
        add(today - timedelta(days=40), today - timedelta(days=12), as_of=today - timedelta(days=5))
        return found
    add(month, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
    add(previous, month - timedelta(days=1))
    add(previous, month - timedelta(days=1), as_of=today)
    add(previous, month - timedelta(days=1), as_of=previous + timedelta(days=9))
    add(date(today.year, 1, 1), date(today.year, 12, 31))
    add(date(today.year, 1, 1), date(today.year, 12, 31), as_of=today - timedelta(days=20))
    add(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    add(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), as_of=today)
    add(date(today.year - 1, 7, 1), date(today.year - 1, 9, 30), as_of=today)
    for back in (1, 15, 45, 100, 400):
        first = today - timedelta(days=back)
        add(first, today)
        add(first, first + timedelta(days=back // 2))
        add(first, first + timedelta(days=back // 2), as_of=today)
        add(first, first + timedelta(days=back // 3), as_of=first + timedelta(days=(back * 2) // 3))
        add(first, first + timedelta(days=back + 40))
    add(today, today)
    add(date(2026, 9, 1), date(2026, 12, 31))
    add(date(2026, 7, 1), date(2026, 9, 30), as_of=today)
    add(date(2026, 10, 1), date(2026, 12, 31), as_of=min(today, date(2026, 11, 3)))
    return found


async def mismatches(rt, today: date, *, label: str = "", full: bool = True) -> list[str]:
    """Every (scope, grouping) where the tallies disagree with the rows, as readable lines."""
    problems: list[str] = []
    async with rt.sessions() as session:
        unit_ids = list(await session.scalars(select(Unit.id).where(Unit.code.in_(["SXD", "STC", "SYT"]))
                                              .order_by(Unit.id)))
        codes = dict((await session.execute(select(Unit.id, Unit.code))).all())
        for scope in scopes_for(today, full):
            asks = [(True, None), (False, None)] + [(per_unit, u) for u in (unit_ids if full else unit_ids[:1])
                                                    for per_unit in (True, False)]
            for per_unit, unit_id in asks:
                tallied = await numbers.tallied_counts(session, scope, per_unit=per_unit, unit_id=unit_id)
                counted = await counted_from_rows(session, scope, per_unit=per_unit, unit_id=unit_id)
                if tallied != counted:
                    keys = sorted(set(tallied) | set(counted), key=repr)
                    diff = {k: (counted.get(k), tallied.get(k)) for k in keys if tallied.get(k) != counted.get(k)}
                    where = "per unit" if per_unit else "per leader"  # with a unit: its breakdown by leader
                    if unit_id is not None:
                        where += f" unit={codes[unit_id]}"
                    problems.append(f"{label} {scope.start}..{scope.end} as_of={scope.as_of} {where}: "
                                    f"(rows, tallies) = {diff}")
            # The report's totals: the province total is each directive once, from the rows.
            if not full:
                continue
            report = await numbers.compute(session, scope)
            rows_total = sum((await counted_from_rows(session, scope, per_unit=False)).values(), Counts())
            if report.total != rows_total:
                problems.append(f"{label} compute total {scope.start}..{scope.end} as_of={scope.as_of}: "
                                f"rows {rows_total} tallies {report.total}")
            # The rates read alone (the dashboard's period before) are the report's: the province's and a
            # unit's.
            one_unit = replace(scope, unit_code=codes[unit_ids[0]])
            for asked, full_report in ((scope, report), (one_unit, await numbers.compute(session, one_unit))):
                alone = await numbers.rates(session, asked)
                wanted = (full_report.total.rate,
                          {u.code: u.lead.rate for u in full_report.units if u.lead.rate is not None})
                got = (alone.total, {code: rate for code, rate in alone.units.items() if rate is not None})
                if got != wanted:
                    problems.append(f"{label} rates {asked.start}..{asked.end} as_of={asked.as_of} "
                                    f"unit={asked.unit_code}: report {wanted} alone {got}")
    return problems


async def assert_agree(rt, today: date, label: str = "", full: bool = True) -> None:
    found = await mismatches(rt, today, label=label, full=full)
    assert not found, "\n".join(found[:5]) + (f"\n… {len(found)} in all" if len(found) > 5 else "")


async def tally_rows(rt) -> tuple[list[tuple], list[tuple]]:
    """Both tally tables' rows, exactly (ids included)."""
    async with rt.sessions() as session:
        units = [tuple(r) for r in await session.execute(
            select(UnitTally.id, UnitTally.grain, UnitTally.day, UnitTally.unit_id, UnitTally.role, UnitTally.cls,
                   UnitTally.n, UnitTally.merged).order_by(UnitTally.id))]
        leaders = [tuple(r) for r in await session.execute(
            select(LeaderTally.id, LeaderTally.grain, LeaderTally.day, LeaderTally.leader_name,
                   LeaderTally.assigned_by_id, LeaderTally.cls, LeaderTally.n, LeaderTally.merged)
            .order_by(LeaderTally.id))]
    return units, leaders


async def tally_count(rt) -> int:
    async with rt.sessions() as session:
        return (await session.scalar(select(func.count()).select_from(UnitTally)) or 0) + \
            (await session.scalar(select(func.count()).select_from(LeaderTally)) or 0)


async def merge(rt) -> int:
    from bot.services.reports import merge_tallies

    return await merge_tallies(rt, datetime.now(UTC))
