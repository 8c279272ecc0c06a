"""Operations: the dispatcher's heartbeat, alerts to the operations chat, resending an uncertain delivery.

Heartbeats are named moments in one row each, shared by every replica: the dispatcher's last pass, and
when each kind of alert last went out (so two replicas, or one checking every few minutes, announce a
problem once per `OPS_ALERT_REPEAT_HOURS`, not once per check or per failure).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.policy import Role
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import notify
from bot.services.common import check_id, load_actor, record
from storage import pending
from storage.db import changed
from storage.models import Event, Heartbeat, Outbox

DISPATCHER = "dispatcher"
MAX_DETAIL = 300


async def touch(session: AsyncSession, name: str, worker: str, now: datetime, *,
                not_within: timedelta | None = None) -> bool:
    """Set the moment `name` to `now` (never backwards: replicas' passes interleave). With `not_within`,
    only if the last one is at least that old: True when this caller won (a row lock decides)."""
    limit = now - not_within if not_within is not None else now
    moved = await session.execute(
        update(Heartbeat).where(Heartbeat.name == name, Heartbeat.at <= limit).values(at=now, worker=worker[:64])
    )
    if changed(moved):
        return True
    if await session.scalar(select(Heartbeat.name).where(Heartbeat.name == name)) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(Heartbeat(name=name, worker=worker[:64], at=now))
        return True
    except IntegrityError:
        return False


async def beat(rt: Runtime, worker: str, now: datetime) -> None:
    """The dispatcher made a pass."""
    async with rt.transaction() as session:
        await touch(session, DISPATCHER, worker, now)


async def last_pass(session: AsyncSession) -> Heartbeat | None:
    return await session.get(Heartbeat, DISPATCHER)


@dataclass(frozen=True)
class Problem:
    """Something an operator must look at: `kind` names its text (`ops.alert.<kind>`), `key` its dedup."""

    kind: str
    params: dict[str, object]
    key: str = ""

    @property
    def name(self) -> str:
        return f"alert:{self.key or self.kind}"


def repeated_error(logger: str, template: str, count: int, sample: str) -> Problem:
    digest = hashlib.sha256(f"{logger}\0{template}".encode()).hexdigest()[:16]
    return Problem("errors", {"count": count, "message": sample[:MAX_DETAIL]}, key=f"error:{digest}")


async def alert(rt: Runtime, problems: list[Problem], worker: str, now: datetime) -> list[str]:
    """Tell the operations chat (OPS_CHAT_ID) about each problem not already announced within
    OPS_ALERT_REPEAT_HOURS, through the outbox; returns the kinds announced."""
    chat = rt.settings.ops_chat_id
    if chat is None:
        return []
    every = timedelta(hours=rt.settings.ops_alert_repeat_hours)
    announced = []
    for problem in problems:
        async with rt.transaction() as session:
            if not await touch(session, problem.name, worker, now, not_within=every):
                continue
            event = record(session, None, None, "ops_alert", now, problem=problem.kind, **problem.params)
            address = await notify.address_of(session, "telegram", str(chat), "group" if chat < 0 else "private",
                                              now)
            await notify.enqueue(session, event, None, {address}, f"ops.alert.{problem.kind}", now,
                                 **cast(dict[str, Any], problem.params))
            announced.append(problem.kind)
    return announced


async def resend_uncertain(rt: Runtime, actor_id: int, event_id: int, *, now: datetime) -> int:
    """The office resends the deliveries a timed-out send left uncertain: the same rows back to pending,
    once (a conditional update: a second press, or a second admin, finds nothing left to resend)."""
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        if actor.role != Role.ADMIN:
            raise DomainError("auth.forbidden")
        event = await session.get(Event, check_id(Event.id, event_id))
        if event is None or event.kind != "delivery_uncertain":
            raise DomainError("action.stale")
        ids = [int(i) for i in event.data.get("outbox", [])]
        resent = list(await session.scalars(
            update(Outbox).where(Outbox.id.in_(ids), Outbox.status == "uncertain")
            .values(status="pending", due_at=now, lease_until=None, claimed_by=None).returning(Outbox.id)
        ))
        if not resent:
            raise DomainError("resend.nothing")
        await pending.requeue(session, resent)
        record(session, None, actor, "delivery_resent", now, outbox=ids, uncertain_event=event_id,
               address=event.data.get("address"))
        return len(resent)
