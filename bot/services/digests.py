"""Digests: a weekly one for leaders and the office, a daily one for each unit with open items.
Their outbox keys name the day, so several replicas running the same job write each digest once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import local_date
from bot.domain.lifecycle import State
from bot.domain.policy import DECIDERS
from bot.runtime import Runtime
from bot.services import notify
from storage.models import Assignment, Directive, Outbox, Person, Unit

_WORKING = (State.ASSIGNED, State.IN_PROGRESS)


async def _add(session: AsyncSession, key: str, chat_id: int, text: str, params: dict[str, object], now: datetime) -> int:
    if await session.scalar(select(Outbox.id).where(Outbox.key == key)) is not None:
        return 0
    session.add(Outbox(key=key, chat_id=chat_id, kind="digest", payload={"text": text, "params": params},
                       due_at=now, created_at=now))
    return 1


def _counts(today, soon_until):  # type: ignore[no-untyped-def]
    working = Directive.state.in_(_WORKING)
    return (
        func.sum(case((working, 1), else_=0)),
        func.sum(case((working & (Directive.due_on < today), 1), else_=0)),
        func.sum(case((Directive.state == State.AWAITING, 1), else_=0)),
        func.sum(case((working & (Directive.due_on >= today) & (Directive.due_on <= soon_until), 1), else_=0)),
    )


async def weekly_digest(rt: Runtime, now: datetime) -> int:
    today = local_date(now, rt.settings.tz)
    soon = rt.calendar.add_working_days(today, rt.settings.due_soon_working_days)
    year, week, _ = today.isocalendar()
    async with rt.transaction() as session:
        open_, overdue, awaiting, due_soon = (await session.execute(select(*_counts(today, soon)))).one()
        params = {"open": open_ or 0, "overdue": overdue or 0, "awaiting": awaiting or 0, "due_soon": due_soon or 0}
        readers = await session.scalars(select(Person.telegram_id).where(Person.role.in_(list(DECIDERS)),
                                                                         Person.active.is_(True)))
        return sum([await _add(session, f"digest:weekly:{year}-W{week:02d}:{chat}", chat, "digest.weekly", params, now)
                    for chat in readers])


async def daily_digest(rt: Runtime, now: datetime) -> int:
    today = local_date(now, rt.settings.tz)
    soon = rt.calendar.add_working_days(today, rt.settings.due_soon_working_days)
    async with rt.transaction() as session:
        rows = await session.execute(
            select(Unit.id, Unit.name, *_counts(today, soon))
            .join(Assignment, Assignment.unit_id == Unit.id)
            .join(Directive, Directive.id == Assignment.directive_id)
            .where(Directive.state.in_(_WORKING))
            .group_by(Unit.id, Unit.name)
        )
        written = 0
        for unit_id, name, open_, overdue, _awaiting, due_soon in rows:
            params = {"unit": name, "open": open_ or 0, "overdue": overdue or 0, "due_soon": due_soon or 0}
            for chat in await notify.unit_chats(session, [unit_id]):
                written += await _add(session, f"digest:daily:{today.isoformat()}:{unit_id}:{chat}", chat,
                                      "digest.daily", params, now)
        return written
