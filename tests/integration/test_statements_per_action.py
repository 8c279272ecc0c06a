"""How many SQL statements a user action sends (issue 23: "thin actions", aim ≤ 10). Counted as the driver
receives them, for the whole action as a button press runs it (its transaction's BEGIN and COMMIT left
out). The bounds are today's counts: an action that grows fails here, and the bound is lowered as actions
are thinned."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from sqlalchemy import event

from bot.services import directives as svc
from tests.conftest import NOW

# action -> the most statements it may send (what it sends today; the goal is 10)
BOUNDS = {"assign_3_units": 26, "report_done": 15, "confirm": 15}


@asynccontextmanager
async def counted(rt) -> AsyncIterator[list[str]]:  # noqa: ANN001
    seen: list[str] = []

    def catch(_conn, _cursor, statement, _parameters, _context, _many) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split())[:120])

    event.listen(rt.engine.sync_engine, "before_cursor_execute", catch)
    try:
        yield seen
    finally:
        event.remove(rt.engine.sync_engine, "before_cursor_execute", catch)


async def test_an_action_sends_a_bounded_number_of_statements(rt, people, capsys):
    spec = svc.NewDirective("Rà soát hồ sơ đất đai, báo cáo kết quả", ["SXD"], ["STC", "SYT"], date(2026, 12, 15))
    await svc.create_directives(rt, people.admin, [spec], now=NOW)  # warm: the unit catalogue is read once
    found: dict[str, list[str]] = {}
    async with counted(rt) as seen:
        [card] = await svc.create_directives(rt, people.admin, [spec], now=NOW)
    found["assign_3_units"] = list(seen)
    async with counted(rt) as seen:
        await svc.report_done(rt, people.sxd, card.code, "Đã xong", now=NOW, unit_code="SXD")
    found["report_done"] = list(seen)
    async with counted(rt) as seen:
        await svc.confirm_done(rt, people.admin, card.code, now=NOW)
    found["confirm"] = list(seen)
    with capsys.disabled():
        print("\n" + "\n".join(f"    {name}: {len(statements)} statements" for name, statements in found.items()))
    for name, statements in found.items():
        assert len(statements) <= BOUNDS[name], (name, len(statements), statements)
