"""Loading helpers shared by the use cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import due_day, local_date
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services.views import Card, card_view, extension_view
from storage.models import Directive, Event, ExtensionRequest, Person, Sequence, Unit

MAX_REASON_CHARS = 1000


async def load_actor(session: AsyncSession, actor_id: int) -> Person:
    person = await session.get(Person, actor_id)
    if person is None or not person.active:
        raise DomainError("auth.not_registered")
    return person


async def load_directive(session: AsyncSession, code: str, expected_version: int | None = None) -> Directive:
    code = code.strip().upper()
    directive = await session.scalar(select(Directive).where(Directive.code == code))
    if directive is None:
        raise DomainError("directive.not_found", code=code[:20])
    if expected_version is not None and directive.version != expected_version:
        raise DomainError("action.stale")
    return directive


async def load_unit(session: AsyncSession, code: str) -> Unit:
    unit = await session.scalar(select(Unit).where(Unit.code == code.strip().upper(), Unit.active.is_(True)))
    if unit is None:
        raise DomainError("unit.unknown", code=code[:32])
    return unit


def set_deadline(rt: Runtime, directive: Directive, deadline: date | None) -> None:
    """The leader's date as written, and the day it really ends (the next working day after a day off)."""
    directive.deadline = deadline
    directive.due_on = due_day(deadline, rt.calendar)


def check_text(text: str | None, limit: int, *, required: bool = True, key: str = "text") -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError("text.empty", field=key)
    if len(text) > limit:
        raise DomainError("text.too_long", field=key, limit=limit)
    return text


def record(
    session: AsyncSession,
    directive: Directive | None,
    actor: Person | None,
    kind: str,
    now: datetime,
    **data: Any,
) -> Event:
    event = Event(
        directive_id=directive.id if directive is not None else None,
        actor_id=actor.id if actor is not None else None,
        at=now,
        kind=kind,
        data=jsonable(data),
    )
    session.add(event)
    return event


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


async def next_number(session: AsyncSession, name: str) -> int:
    """The next value of a named counter; row-locked by the UPDATE so concurrent writers never share one."""
    bump = (
        update(Sequence)
        .where(Sequence.name == name)
        .values(value=Sequence.value + 1)
        .returning(Sequence.value)
    )
    value = await session.scalar(bump)
    if value is not None:
        return value
    try:
        async with session.begin_nested():
            session.add(Sequence(name=name, value=1))
        return 1
    except IntegrityError:
        return await session.scalar(bump)  # type: ignore[return-value]


async def pending_extension(session: AsyncSession, directive_id: int) -> ExtensionRequest | None:
    return await session.scalar(
        select(ExtensionRequest).where(ExtensionRequest.directive_id == directive_id, ExtensionRequest.status == "pending")
    )


async def build_card(rt: Runtime, session: AsyncSession, directive: Directive, now: datetime) -> Card:
    request = await pending_extension(session, directive.id)
    pending = None
    if request is not None:
        unit = await session.get(Unit, request.unit_id)
        pending = extension_view(request, unit.code if unit else "?")
    today = local_date(now, rt.settings.tz)
    return card_view(directive, today, rt.calendar, rt.settings.due_soon_working_days, pending)
