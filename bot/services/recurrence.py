"""Recurring directives (hằng tuần, hằng tháng…): the next occurrence is created when one is confirmed
or when its period ends unfinished."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.deadlines import local_date, next_occurrence
from bot.domain.lifecycle import OPEN_STATES, State
from bot.domain.reminders import next_window_open
from bot.runtime import Runtime
from bot.services import drafts
from bot.services.common import next_number, record, set_deadline
from storage.models import Assignment, Directive


async def spawn_next(rt: Runtime, session: AsyncSession, directive: Directive, now: datetime) -> Directive | None:
    """The following occurrence, unless it exists already (so a sweep and a confirmation never both make it)."""
    if not directive.recurrence or directive.deadline is None:
        return None
    if await session.scalar(select(Directive.id).where(Directive.previous_id == directive.id)) is not None:
        return None
    today = local_date(now, rt.settings.tz)
    # The series runs on from this occurrence's own deadline, not an extension of it; the occurrence before
    # gives back the day a short month cut (30/01 → 28/02 → 30/03).
    current = directive.original_deadline or directive.deadline
    before = await session.scalar(select(Directive.original_deadline).where(Directive.id == directive.previous_id)) \
        if directive.previous_id else None
    day = max(before.day, current.day) if before is not None and directive.recurrence != "weekly" else None
    deadline = next_occurrence(current, directive.recurrence, day)
    while deadline < today:
        deadline = next_occurrence(deadline, directive.recurrence, day)
    number = await next_number(session, f"directive-{today.year}")
    following = Directive(
        code=f"CD-{today.year}-{number:04d}", content=directive.content, search_text="",
        source_number=directive.source_number, source_date=directive.source_date,
        leader_name=directive.leader_name, assigned_by_id=directive.assigned_by_id, state=State.ASSIGNED,
        original_deadline=deadline, deadline_version=1, recurrence=directive.recurrence,
        previous_id=directive.id, assigned_on=today, created_at=now, updated_at=now,
    )
    set_deadline(rt, following, deadline)
    following.search_text = directive.search_text.replace(directive.code.lower(), following.code.lower())
    following.assignments = [Assignment(unit=a.unit, unit_id=a.unit_id, role=a.role) for a in directive.assignments]
    session.add(following)
    await session.flush()
    event = record(session, following, None, "recurred", now, previous=directive.code,
                   after=drafts.snapshot(following))
    opening = next_window_open(now, rt.settings.reminder_policy(), rt.calendar, rt.settings.tz)
    await drafts.announce_assigned(rt, session, following, event, now, None, due_at=opening)
    return following


async def roll_recurring(rt: Runtime, now: datetime) -> int:
    """Open recurring directives whose deadline has passed get their next occurrence."""
    today = local_date(now, rt.settings.tz)
    successor = aliased(Directive)
    async with rt.transaction() as session:
        due = await session.scalars(
            select(Directive).where(
                Directive.recurrence.is_not(None), Directive.state.in_(OPEN_STATES), Directive.due_on < today,
                ~select(successor.id).where(successor.previous_id == Directive.id).exists(),
            )
        )
        created = 0
        for directive in list(due):
            created += await spawn_next(rt, session, directive, now) is not None
        return created
