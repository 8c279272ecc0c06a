"""The query plans of one unit's statistics (with the breakdown by leader) and of its overdue list: every
statement the report runs is caught as the driver receives it and explained with the same parameters
(EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL), so what is shown is what ran."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, select

from bot.reports import counts, numbers
from bot.runtime import Runtime
from bot.services import queries
from storage.models import Unit


async def unit_plans(rt: Runtime, scope: counts.Scope, asker_id: int, now: datetime) \
        -> dict[str, list[dict[str, Any]]]:
    """{"unit_statistics": [{"sql", "plan"}], "unit_overdue_list": [...], "unit_overdue_chat": [...]} for
    the scope's unit: its statistics (both tallies, the cancelled counts), the report's overdue list, and
    the overdue list asked in chat (/quahan, `asker_id` asking, at `now`)."""
    caught: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        caught.append((statement, parameters))

    found: dict[str, list[tuple[str, Any]]] = {}
    async with rt.sessions() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == scope.unit_code))
        event.listen(rt.engine.sync_engine, "before_cursor_execute", catch)
        try:
            await numbers.tallied_counts(session, scope, per_unit=True, unit_id=unit_id)
            await numbers.tallied_counts(session, scope, per_unit=False, unit_id=unit_id)
            found["unit_statistics"], caught[:] = list(caught), []
            await numbers.overdue_list(session, scope, unit_id)
            found["unit_overdue_list"], caught[:] = list(caught), []
            await queries.overdue(rt, asker_id, now=now, unit_code=scope.unit_code)
            found["unit_overdue_chat"] = list(caught)
        finally:
            event.remove(rt.engine.sync_engine, "before_cursor_execute", catch)
    sqlite = rt.engine.dialect.name == "sqlite"
    out: dict[str, list[dict[str, Any]]] = {}
    async with rt.engine.connect() as conn:
        for name, statements in found.items():
            out[name] = []
            for statement, parameters in statements:
                rows = await conn.exec_driver_sql(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement,
                                                  parameters)
                plan = [str(row[-1]) for row in rows]
                out[name].append({"sql": " ".join(statement.split()), "plan": plan})
    return out


def shown(plans: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for name, statements in plans.items():
        lines.append(f"  {name}:")
        for n, item in enumerate(statements, 1):
            lines.append(f"    [{n}] {item['sql'][:160]}{'…' if len(item['sql']) > 160 else ''}")
            lines += [f"        {line}" for line in item["plan"]]
    return "\n".join(lines)


async def claim_plan(rt: Runtime, dispatcher: Any, moment: datetime) -> list[dict[str, Any]]:
    """PostgreSQL: the claim's due step run once under EXPLAIN (ANALYZE, BUFFERS, WAL) and rolled back, so what
    it read, dirtied, wrote back and logged at this point of the benchmark is shown beside its timing (the
    claim is one statement: its cost is the server's pages and WAL, not Python). Empty on SQLite."""
    if rt.engine.dialect.name != "postgresql":
        return []
    due, _ = dispatcher._compiled_claims(True)  # noqa: SLF001 - the statement the claim runs, as compiled
    sql, *parameters = due.arguments({"now": moment, "lease_until": moment, "claimed_by": "bench-plan", "n": 100})
    async with rt.engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        transaction = driver.transaction()
        await transaction.start()
        try:
            plan = [row[0] for row in await driver.fetch("EXPLAIN (ANALYZE, BUFFERS, WAL) " + sql, *parameters)]
        finally:
            await transaction.rollback()  # nothing claimed
    return [{"sql": " ".join(sql.split()), "plan": plan}]
