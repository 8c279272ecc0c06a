"""Sums of report marks (bot/domain/tally.py) over days, read from the tallies (storage/tallies.py).

A sum over a range of days is read as whole years and months plus the days of the months it only partly
covers (or a month less the days it leaves out, whichever reads fewer rows); a sum up to a day, from the
side that reads fewer rows: everything since the first mark, or all time less what follows."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.tally import BORN, FINAL, OPEN
from storage.models import LeaderTally, UnitLeaderTally, UnitTally
from storage.tallies import ALL_TIME, DAY, EVER, MONTH, YEAR

Key = tuple[Any, ...]


class Unknown:
    """`sums`' bounds not read yet."""


UNKNOWN = Unknown()


@dataclass(frozen=True)
class Piece:
    sign: int
    grain: int
    first: date
    last: date


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(day: date) -> date:
    return _month_end(day) + timedelta(days=1)


def _months(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def span(first: date, last: date) -> list[Piece]:
    """The days first..last (inclusive) as pieces: whole years, whole months, and days."""
    pieces: list[Piece] = []

    def add(grain: int, start: date, follows: date | None = None) -> None:
        """A whole year or month, joined to the piece before when that one ends where it starts."""
        previous = pieces[-1] if pieces else None
        if previous and previous.grain == grain and previous.sign == 1 and follows == start:
            pieces[-1] = Piece(1, grain, previous.first, start)
        else:
            pieces.append(Piece(1, grain, start, start))

    start = first.replace(day=1)
    while start <= last:
        if start.month == 1 and first <= start and date(start.year, 12, 31) <= last:
            add(YEAR, start, pieces[-1].last.replace(year=pieces[-1].last.year + 1) if pieces else None)
            start = date(start.year + 1, 1, 1)
            continue
        end = _month_end(start)
        lo, hi = max(first, start), min(last, end)
        if lo == start and hi == end:
            add(MONTH, start, _next_month(pieces[-1].last) if pieces else None)
        elif (hi - lo).days + 1 <= (end - start).days // 2 + 1:
            pieces.append(Piece(1, DAY, lo, hi))
        else:
            pieces.append(Piece(1, MONTH, start, start))
            if lo > start:
                pieces.append(Piece(-1, DAY, start, lo - timedelta(days=1)))
            if hi < end:
                pieces.append(Piece(-1, DAY, hi + timedelta(days=1), end))
        start = end + timedelta(days=1)
    return pieces


def _cost(pieces: list[Piece]) -> float:
    """Roughly the rows a list of pieces reads: a key has a row a year, a month, and on some days."""
    total = 0.0
    for p in pieces:
        if p.grain == YEAR:
            total += p.last.year - p.first.year + 1
        elif p.grain == MONTH:
            total += _months(p.first, p.last)
        elif p.grain == DAY:
            total += ((p.last - p.first).days + 1) / 10
        else:
            total += 1
    return total


def upto(last: date, bounds: tuple[date, date] | None) -> list[Piece]:
    """The days up to `last` (inclusive), given the first and last month holding marks: from the start,
    or all time less what follows, whichever reads fewer rows."""
    if bounds is None or last < bounds[0]:
        return []
    first_month, last_month = bounds
    if last >= _month_end(last_month):
        return [Piece(1, ALL_TIME, EVER, EVER)]
    before = span(first_month, last)
    after = [Piece(1, ALL_TIME, EVER, EVER), *(Piece(-p.sign, p.grain, p.first, p.last)
                                                for p in span(last + timedelta(days=1), _month_end(last_month)))]
    return before if _cost(before) <= _cost(after) else after


async def bounds(session: AsyncSession) -> tuple[date, date] | None:
    """The first and last month holding marks: one statement of two look-ups, each at an end of the index
    (a single min and max over the rows would read every row)."""
    t = LeaderTally
    first, last = (await session.execute(select(
        select(func.min(t.day)).where(t.grain == MONTH).scalar_subquery(),
        select(func.max(t.day)).where(t.grain == MONTH).scalar_subquery()))).one()
    if first is None or last is None:
        return None
    return (_as_date(first), _as_date(last))


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def sums(session: AsyncSession, start: date, seen_until: date, as_of: date, *, per_unit: bool,
               unit_id: int | None = None, known: tuple[date, date] | None | Unknown = UNKNOWN,
               also: tuple[str, Select[Any]] | None = None, classes: frozenset[str] | None = None,
               role: str | None = None) -> dict[Key, dict[str, int]]:
    """Marks summed per key and class: open classes up to `as_of`, final classes from `start` to `as_of`,
    births from `start` to `seen_until`. Keys: (unit, role) when `per_unit`, else (leader name, who
    assigned): the province's leaders, or with `unit_id` that unit's (the directives it leads). The pieces
    are added up in the database (one row per key and class comes back); `known`: the `bounds` already
    read by the caller for another sum of the same report; `also`: (a name, a query of (key, key, count))
    counted from the rows in the same statement, returned under that name as if it were a class; `classes`:
    only those classes' marks; `role` (per unit): only that role's rows."""
    if isinstance(known, Unknown):
        known = await bounds(session)
    wanted: list[tuple[Iterable[str], list[Piece]]] = [
        (OPEN, upto(as_of, known)),
        (FINAL, span(start, as_of)),
        ((BORN,), span(start, seen_until)),
    ]
    model: Any = UnitTally if per_unit else LeaderTally if unit_id is None else UnitLeaderTally
    keys = (model.unit_id, model.role) if per_unit else (model.leader_name, model.assigned_by_id)
    where = (model.unit_id == unit_id,) if unit_id is not None else ()
    if role is not None and per_unit:
        where += (model.role == role,)
    selects: list[Select[Any]] = []
    for kinds, pieces in wanted:
        chosen = [c for c in kinds if classes is None or c in classes]
        if not chosen:
            continue
        for piece in pieces:
            day = model.day == piece.first if piece.first == piece.last else model.day.between(piece.first, piece.last)
            n = func.sum(model.n) if piece.sign == 1 else -func.sum(model.n)
            selects.append(
                select(keys[0].label("k1"), keys[1].label("k2"), model.cls.label("cls"), n.label("n"))
                .where(model.grain == piece.grain, day, model.cls.in_(chosen), *where)
                .group_by(*keys, model.cls))
    if also is not None:
        name, query = also
        counted = query.subquery()
        first, second, count = counted.c
        selects.append(select(first.label("k1"), second.label("k2"), literal(name).label("cls"), count.label("n")))
    if not selects:
        return {}
    pieces_ = union_all(*selects).subquery()
    total = (select(pieces_.c.k1, pieces_.c.k2, pieces_.c.cls, func.sum(pieces_.c.n))
             .group_by(pieces_.c.k1, pieces_.c.k2, pieces_.c.cls))
    found: dict[Key, dict[str, int]] = defaultdict(dict)
    connection = await session.connection()  # plain rows: a few thousand, no ORM bookkeeping needed
    for first, second, cls, n in await connection.execute(total):
        found[(first, second)][cls] = int(n or 0)
    return dict(found)
