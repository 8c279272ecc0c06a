"""Loading and checking helpers shared by the use cases."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.text import clean_for_message
from bot.errors import DomainError
from storage.models import Event, Person, Sequence, Unit

_DIRECTIVE_CODE = re.compile(r"CD-\d{4}-\d{1,8}")
_DRAFT_CODE = re.compile(r"(?:NHAP|NHÁP)[\s_-]*(\d{1,8})")
_UNIT_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")


def check_id(column: Any, value: int, key: str = "action.stale") -> int:
    """An id that came from outside (a button, a link) and must fit its column before any query uses it:
    PostgreSQL refuses a parameter out of an INTEGER's or BIGINT's range outright, which is an error, not
    "no such row". Out of range is refused as `key`, as a row that does not exist would be."""
    bits = 63 if isinstance(column.type, BigInteger) else 31
    if not 0 < value < 2**bits:
        raise DomainError(key)
    return value


async def load_actor(session: AsyncSession, actor_id: int) -> Person:
    person = await session.get(Person, actor_id)
    if person is None or not person.active:
        raise DomainError("auth.not_registered")
    return person


def check_code(code: str) -> str:
    """A directive code as people type it ('cd-2026-0012'), or not_found for anything else."""
    code = (code or "").strip().upper()
    draft = _DRAFT_CODE.fullmatch(code)
    if draft:
        return f"NHAP-{int(draft[1])}"
    if not _DIRECTIVE_CODE.fullmatch(code):
        raise DomainError("directive.not_found", code=clean_for_message(code, 20))
    return code


async def load_unit(session: AsyncSession, code: str) -> Unit:
    code = (code or "").strip().upper()
    if not _UNIT_CODE.fullmatch(code):
        raise DomainError("unit.unknown", code=clean_for_message(code, 32))
    unit = await session.scalar(select(Unit).where(Unit.code == code, Unit.active.is_(True)))
    if unit is None:
        raise DomainError("unit.unknown", code=code)
    return unit


def record(
    session: AsyncSession,
    directive: Any,
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
