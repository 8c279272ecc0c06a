"""The report tallies (models UnitTally, LeaderTally, UnitLeaderTally), written in the transaction of every
change.

Three sums of the same marks: per unit and role, per leader (each directive once: the province), and per
lead unit and leader (one unit's breakdown by leader).
A directive remembers what it last added (`directives.tally`: its marks, its units and roles, its leader);
when a change moves its dates, assignments or leader, the difference is added as new rows
(storage/repository.py calls `differences` and `write_async` after each change), so writers never update
a shared row and never wait for each other. `compact` merges the rows of each key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.tally import Dates, Mark, marks
from storage.models import UNMERGED, Assignment, Directive, LeaderTally, UnitLeaderTally, UnitTally

DAY, MONTH, ALL_TIME, YEAR = 0, 1, 2, 3
EVER = date(1, 1, 1)  # the day of the all-time rows
UNIT_KEYS, LEADER_KEYS = ("unit_id", "role"), ("leader_name", "assigned_by_id")
UNIT_LEADER_KEYS = ("unit_id", "leader_name", "assigned_by_id")
Key = tuple[Any, ...]
Model = type[UnitTally] | type[LeaderTally] | type[UnitLeaderTally]
MODELS: tuple[tuple[Model, tuple[str, ...]], ...] = (
    (UnitTally, UNIT_KEYS), (LeaderTally, LEADER_KEYS), (UnitLeaderTally, UNIT_LEADER_KEYS))
# SQLite: a view that takes the three tables' rows in one INSERT (migration 0022_speed: its INSTEAD OF trigger
# puts each row into the table `tbl` names), so a change writes its tally rows in one statement there too.
TALLY_ROWS = Table("tally_rows", MetaData(), Column("tbl", Integer), Column("grain", Integer), Column("day", Date),
                   Column("unit_id", Integer), Column("role", String), Column("leader_name", String),
                   Column("assigned_by_id", Integer), Column("cls", String), Column("n", Integer),
                   Column("merged", Boolean))
TABLES = {"unit_tallies": 0, "leader_tallies": 1, "unit_leader_tallies": 2}
_NO_KEYS = {"unit_id": None, "role": None, "leader_name": None, "assigned_by_id": None}
BATCH = 10_000
ONE_STATEMENT = 2_000  # tally rows written in one multi-row statement at most (8 parameters each)


def signature(dates: Dates, units: Iterable[tuple[int, str]], leader: tuple[str | None, int | None]) \
        -> dict[str, Any] | None:
    found = marks(dates)
    if not found:
        return None
    return {"m": [[m.cls, m.day.isoformat(), m.delta] for m in found], "u": sorted([list(u) for u in units]),
            "l": list(leader)}


def _marks(sig: dict[str, Any] | None) -> list[Mark]:
    return [Mark(cls, date.fromisoformat(day), delta) for cls, day, delta in (sig or {}).get("m", ())]


Found = tuple[dict[Key, int], dict[Key, int], dict[Key, int]]


def differences(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Found:
    """What turns the sums of `old` into those of `new`: {(unit_id, role, cls, day): n}, per leader
    {(leader_name, assigned_by_id, cls, day): n} and per lead unit and leader
    {(unit_id, leader_name, assigned_by_id, cls, day): n}, in the order of MODELS."""
    units: dict[Key, int] = defaultdict(int)
    leaders: dict[Key, int] = defaultdict(int)
    unit_leaders: dict[Key, int] = defaultdict(int)
    for sig, sign in ((old, -1), (new, 1)):
        if not sig:
            continue
        for mark in _marks(sig):
            for unit_id, role in sig["u"]:
                units[(unit_id, role, mark.cls, mark.day)] += sign * mark.delta
                if role == "lead":
                    unit_leaders[(unit_id, *sig["l"], mark.cls, mark.day)] += sign * mark.delta
            leaders[(*sig["l"], mark.cls, mark.day)] += sign * mark.delta
    return tuple({k: n for k, n in found.items() if n}  # type: ignore[return-value]
                 for found in (units, leaders, unit_leaders))


def rows(found: dict[Key, int], names: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Each day's sum as rows of the three grains, merged per key."""
    grains: dict[Key, int] = defaultdict(int)
    for (*key, cls, day), n in found.items():
        for grain, start in ((DAY, day), (MONTH, day.replace(day=1)), (YEAR, day.replace(month=1, day=1)),
                             (ALL_TIME, EVER)):
            grains[(grain, start, *key, cls)] += n
    for (grain, start, *key, cls), n in grains.items():
        if n:
            yield {"grain": grain, "day": start, **dict(zip(names, key, strict=True)), "cls": cls, "n": n}


async def write_async(session: AsyncSession, found: Found) -> None:
    """`write` in a use case's transaction (`differences`' three sums) in one statement: on PostgreSQL a
    data-modifying WITH, on SQLite an INSERT into the view `TALLY_ROWS` (else, one INSERT per table)."""
    batches = [(_table(model), [{**row, "merged": False} for row in rows(part, names)])
               for (model, names), part in zip(MODELS, found, strict=True)]
    batches = [(table, batch) for table, batch in batches if batch]
    if not batches:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and 1 < len(batches) and sum(len(batch) for _, batch in batches) <= ONE_STATEMENT:
        *first, (table, batch) = batches
        ctes = [insert(t).values(b).cte(f"added_{i}") for i, (t, b) in enumerate(first)]
        await session.execute(insert(table).values(batch).add_cte(*ctes))
        return
    if dialect == "sqlite" and 1 < len(batches):  # the view's trigger puts each row in its table
        await session.execute(insert(TALLY_ROWS), [{**_NO_KEYS, **row, "tbl": TABLES[table.name]}
                                                   for table, batch in batches for row in batch])
        return
    for table, batch in batches:
        await session.execute(insert(table), batch)


def _table(model: Model) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def write(connection: Connection, found: Found) -> None:
    for (model, names), part in zip(MODELS, found, strict=True):
        batch = [{**row, "merged": False} for row in rows(part, names)]
        if batch:
            connection.execute(insert(_table(model)), batch)


def compact(connection: Connection, *, on_read: Callable[[int], None] | None = None) -> int:
    """Merge the rows added since the last merge into one row per key; rows added meanwhile wait for the
    next. What is summed is what the DELETE … RETURNING removed, so two merges at once (a run taken over
    from a replica that seemed gone) each merge what they alone removed, and no mark is counted twice.
    Returns how many rows it removed. `on_read` hears how many unmerged rows each table had (a test uses it
    to make two merges read the same rows before either writes)."""
    removed = 0
    for model, names in MODELS:
        table = _table(model)
        keys = [table.c[name] for name in names]
        columns = (table.c.id, table.c.grain, table.c.day, *keys, table.c.cls, table.c.n)
        # As the partial index is written, so both planners read the unmerged rows from it.
        fresh = connection.execute(select(*columns).where(text(UNMERGED))).all()
        if on_read is not None:
            on_read(len(fresh))
        if not fresh:
            continue
        days: dict[int, set[date]] = defaultdict(set)
        for row in fresh:
            days[row.grain].add(row.day)
        kept: list[Any] = []
        for grain, found in days.items():
            kept += connection.execute(select(*columns).where(
                table.c.merged.is_(True), table.c.grain == grain, table.c.day.in_(found))).all()
        wanted = {(r.grain, r.day, *(getattr(r, n) for n in names), r.cls) for r in fresh}
        ids = [r.id for r in [*fresh, *kept] if (r.grain, r.day, *(getattr(r, n) for n in names), r.cls) in wanted]
        sums: dict[Key, int] = defaultdict(int)
        for start in range(0, len(ids), 500):
            gone = connection.execute(delete(table).where(table.c.id.in_(ids[start:start + 500]))
                                      .returning(*columns[1:]))
            for row in gone:
                sums[(row.grain, row.day, *(getattr(row, n) for n in names), row.cls)] += row.n
                removed += 1
        merged = [{"grain": k[0], "day": k[1], **dict(zip(names, k[2:-1], strict=True)), "cls": k[-1], "n": n,
                   "merged": True} for k, n in sums.items() if n]
        if merged:
            connection.execute(insert(table), merged)
        removed -= len(merged)
    return removed


def rebuild(connection: Connection) -> None:
    """Every directive's marks summed again from its dates (after a migration or a bulk load): the marks
    are computed here, summed per unit and leader by the database."""
    d, a = Directive.__table__, Assignment.__table__
    assert isinstance(d, Table) and isinstance(a, Table)
    # An older migration rebuilds before the later tables exist.
    models = [model for model, _ in MODELS if inspect(connection).has_table(_table(model).name)]
    for model in models:
        connection.execute(delete(_table(model)))
    marks_table = Table("tally_marks", MetaData(), Column("directive_id", Integer), Column("cls", String(2)),
                        Column("day", Date), Column("month", Date), Column("year", Date), Column("delta", Integer),
                        prefixes=["TEMPORARY"])
    marks_table.create(connection)
    units_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for directive_id, unit_id, role in connection.execute(select(a.c.directive_id, a.c.unit_id, a.c.role)):
        units_of[directive_id].append((unit_id, role))
    query = select(d.c.id, d.c.assigned_on, d.c.due_on, d.c.reported_on, d.c.completed_on, d.c.cancelled_on,
                   d.c.leader_name, d.c.assigned_by_id, d.c.tally)
    found: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in connection.execute(query).all():
        sig = signature(Dates(*row[1:6]), units_of.get(row.id, ()), (row.leader_name, row.assigned_by_id))
        if sig != row.tally:
            changed.append({"b_id": row.id, "b_tally": sig})
        found += [{"directive_id": row.id, "cls": m.cls, "day": m.day, "month": m.day.replace(day=1),
                   "year": m.day.replace(month=1, day=1), "delta": m.delta} for m in _marks(sig)]
        if len(found) >= BATCH:
            connection.execute(insert(marks_table), found)
            found = []
    if found:
        connection.execute(insert(marks_table), found)
    update = d.update().where(d.c.id == bindparam("b_id")).values(tally=bindparam("b_tally"))
    for start in range(0, len(changed), BATCH):
        connection.execute(update, changed[start:start + BATCH])
    m = marks_table.c
    by_unit = marks_table.join(a, a.c.directive_id == m.directive_id)
    sources: tuple[tuple[Model, tuple[Any, ...], Any, tuple[Any, ...]], ...] = (
        (UnitTally, (a.c.unit_id, a.c.role), by_unit, ()),
        (LeaderTally, (d.c.leader_name, d.c.assigned_by_id), marks_table.join(d, d.c.id == m.directive_id), ()),
        (UnitLeaderTally, (a.c.unit_id, d.c.leader_name, d.c.assigned_by_id),
         by_unit.join(d, d.c.id == m.directive_id), (a.c.role == "lead",)))
    for model, keys, source, where in sources:
        if model not in models:
            continue
        table = _table(model)
        names = [k.key for k in keys]
        for grain, day in ((DAY, m.day), (MONTH, m.month), (YEAR, m.year), (ALL_TIME, None)):
            first: Any = literal(EVER, Date()) if day is None else day
            group = [*keys, m.cls] + ([day] if day is not None else [])
            n = func.sum(m.delta)
            summed = (select(literal(grain), first, *keys, m.cls, n, literal(True))
                      .select_from(source).where(*where)
                      .group_by(*group).having(n != 0))
            connection.execute(insert(table).from_select(["grain", "day", *names, "cls", "n", "merged"], summed))
    marks_table.drop(connection)
