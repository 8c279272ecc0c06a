"""A province's November 2026, built row by row, whose report was worked out by hand (see
test_report_numbers.py for the answer and why)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.domain.deadlines import due_day
from bot.runtime import Runtime
from storage.models import Assignment, Directive, Unit
from storage.repository import refresh_row

AT = datetime(2026, 11, 1, tzinfo=UTC)
AN, BINH = "Nguyễn Văn An", "Trần Thị Bình"


def d(day: int, month: int = 11) -> date:
    return date(2026, month, day)


# code: (lead, support, assigned_on, deadline, original deadline, completed, reported, cancelled, state, leader, by)
ROWS = {
    "D01": (["SXD"], ["STC", "VP"], d(3), d(20), None, d(18), d(18), None, "done", AN, None),
    "D02": (["SXD"], [], d(5), d(10), None, d(12), d(12), None, "done", AN, None),
    "D03": (["SXD", "STC"], ["SYT"], d(2), d(25), None, None, None, None, "in_progress", AN, None),
    "D04": (["STC"], [], d(10), d(15, 12), None, None, None, None, "assigned", BINH, None),
    "D05": (["STC"], [], d(15, 10), d(31, 10), None, d(2), d(2), None, "done", AN, None),
    "D06": (["SYT"], [], d(1, 9), d(30, 9), None, None, None, None, "in_progress", BINH, None),
    "D07": (["SYT"], [], d(1, 8), d(31, 8), None, d(20, 10), d(20, 10), None, "done", BINH, None),
    "D08": (["P-THUANHOA"], [], d(4), None, None, None, None, None, "in_progress", None, "leader"),
    "D09": (["SXD"], [], d(6), d(13), None, None, None, d(16), "cancelled", None, "admin"),
    "D10": (["SXD"], [], d(9), d(27), d(16), d(26), d(26), None, "done", BINH, None),
    "D11": (["STC"], [], d(2), d(27), None, d(27), d(27), None, "done", BINH, None),
    "D12": (["SYT"], [], d(9), d(20), None, None, d(24), None, "awaiting_confirmation", BINH, None),
    "D13": (["P-THUANAN"], [], d(16), d(23), None, None, d(23), None, "awaiting_confirmation", None, "leader"),
    "D14": (["SXD"], [], None, d(10, 12), None, None, None, None, "draft", None, "leader"),
    "D15": (["SXD"], [], d(1, 12), d(20, 12), None, None, None, None, "assigned", None, "admin"),
    "D16": (["STC"], [], d(20, 10), d(5), None, d(25), d(25), None, "done", None, "admin"),
    "D17": (["SXD"], [], d(1, 10), d(20, 10), None, None, None, d(5, 10), "cancelled", None, "admin"),
    "D18": (["STC"], [], d(1, 10), d(10, 12), None, None, None, d(10), "cancelled", None, "admin"),
    "D19": (["P-THUANHOA"], [], d(12), d(28), None, None, None, None, "assigned", None, "admin"),
    "D20": (["SXD"], [], d(20), d(10, 12), None, d(2, 12), d(2, 12), None, "done", None, "admin"),
}


async def build(rt: Runtime, people) -> None:  # type: ignore[no-untyped-def]
    async with rt.transaction() as session:
        units = {u.code: u for u in await session.scalars(select(Unit))}
        for n, (code, row) in enumerate(ROWS.items(), 1):
            lead, support, assigned, deadline, original, completed, reported, cancelled, state, leader, by = row
            directive = Directive(
                code=code, content=f"Nhiệm vụ {code}: rà soát hồ sơ", search_text=code.lower(), state=state,
                deadline=deadline, due_on=due_day(deadline, rt.calendar), original_deadline=original or deadline,
                deadline_version=2 if original else 1, assigned_on=assigned, completed_on=completed,
                reported_on=reported, cancelled_on=cancelled, leader_name=leader,
                assigned_by_id=getattr(people, by) if by else people.admin,
                source_number=f"{n}/TB-UBND", source_date=assigned, created_at=AT, updated_at=AT,
            )
            directive.assignments = [Assignment(unit_id=units[c].id, role="lead") for c in lead] + [
                Assignment(unit_id=units[c].id, role="support") for c in support]
            session.add(directive)
            await refresh_row(session, directive)  # rows written by hand: what derives from them, explicitly
