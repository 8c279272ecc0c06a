"""The assignment rows' copies of their directive's state and dates stay equal to it through every use
case (they are what a unit's lists and report rows are read from)."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import NO_DEADLINE, Assignment, Directive
from storage.read_model import OPEN_STATES, refresh_all
from tests.integration.test_operations import _a_busy_province


async def _mismatches(rt) -> list[str]:  # noqa: ANN001
    async with rt.sessions() as s:
        rows = (await s.execute(select(Assignment, Directive).join(Directive, Directive.id == Assignment.directive_id))).all()
    found = []
    for a, d in rows:
        expected = (d.state, d.state in OPEN_STATES, d.due_on or NO_DEADLINE, d.due_on, d.assigned_on, d.reported_on,
                    d.completed_on, d.cancelled_on)
        actual = (a.state, a.is_open, a.due_sort, a.due_on, a.assigned_on, a.reported_on, a.completed_on,
                  a.cancelled_on)
        if expected != actual:
            found.append(f"{d.code}/{a.unit_id}: {actual} != {expected}")
    return found


async def test_every_use_case_keeps_the_assignments_copies_equal_to_their_directive(rt, people):
    await _a_busy_province(rt, people)
    assert await _mismatches(rt) == []


async def test_a_bulk_refresh_rebuilds_copies_written_out_of_step(rt, people):
    await _a_busy_province(rt, people)
    async with rt.engine.begin() as connection:
        await connection.execute(Assignment.__table__.update().values(state="draft", is_open=False, due_on=None))
    assert await _mismatches(rt)
    async with rt.engine.begin() as connection:
        await connection.run_sync(refresh_all)
    assert await _mismatches(rt) == []
