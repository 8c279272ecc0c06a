"""Loading and checking helpers shared by the use cases."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import due_day, local_date
from bot.domain.lifecycle import State
from bot.domain.policy import Standing
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services.views import Card, card_view, extension_view, file_view
from storage.models import Attachment, Chat, Directive, Event, ExtensionRequest, Person, Sequence, Unit

MAX_REASON_CHARS = 1000
_DIRECTIVE_CODE = re.compile(r"CD-\d{4}-\d{1,8}")
_UNIT_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")
# Text people type may hold line breaks and tabs; no other control character (NUL among them) is stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


async def load_actor(session: AsyncSession, actor_id: int) -> Person:
    person = await session.get(Person, actor_id)
    if person is None or not person.active:
        raise DomainError("auth.not_registered")
    return person


def check_code(code: str) -> str:
    """A directive code as people type it ('cd-2026-0012'), or not_found for anything else."""
    code = (code or "").strip().upper()
    if not _DIRECTIVE_CODE.fullmatch(code):
        raise DomainError("directive.not_found", code=clean_for_message(code, 20))
    return code


# What makes a typed answer about another situation than the one its question was asked in: a report
# round closed or reopened, an extension granted, or the work reported done by every lead unit. An
# acknowledgement, a progress report or one of several lead units reporting its part does not.
ROUND_KINDS = ("sent_back", "reopened", "confirmed", "cancelled", "extension_approved")
_PHASES = {State.ASSIGNED: "working", State.IN_PROGRESS: "working"}


async def load_directive(session: AsyncSession, code: str, expected_version: int | None = None,
                         expected_round: str | None = None) -> Directive:
    """The directive by code; `expected_version` refuses any change since a button was shown, and
    `expected_round` a change of round (ROUND_KINDS) since a question was asked."""
    code = check_code(code)
    directive = await session.scalar(select(Directive).where(Directive.code == code))
    if directive is None:
        raise DomainError("directive.not_found", code=code)
    if expected_version is not None and directive.version != expected_version:
        raise DomainError("action.stale")
    if expected_round is not None and await round_of(session, directive) != expected_round:
        raise DomainError("action.superseded", code=directive.code)
    return directive


async def round_of(session: AsyncSession, directive: Directive) -> str:
    """Where the directive's life stands, as a typed answer must find it: the last event that began a
    round (ROUND_KINDS) and the phase (being worked on, awaiting confirmation, done …)."""
    last = await session.scalar(select(func.coalesce(func.max(Event.id), 0)).where(
        Event.directive_id == directive.id, Event.kind.in_(ROUND_KINDS)))
    state = State(directive.state)
    return f"{last or 0}:{_PHASES.get(state, state.value)}"


async def load_unit(session: AsyncSession, code: str) -> Unit:
    code = (code or "").strip().upper()
    if not _UNIT_CODE.fullmatch(code):
        raise DomainError("unit.unknown", code=clean_for_message(code, 32))
    unit = await session.scalar(select(Unit).where(Unit.code == code, Unit.active.is_(True)))
    if unit is None:
        raise DomainError("unit.unknown", code=code)
    return unit


def clean_for_message(text: str, limit: int) -> str:
    """A piece of bad input fit to quote back in an error: no control characters, bounded."""
    return _CONTROL.sub("", text)[:limit]


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def check_text(text: str | None, limit: int, *, required: bool = True, key: str = "text") -> str:
    text = (text or "").strip()
    if has_control_characters(text):
        raise DomainError("text.control_characters")
    if required and not text:
        raise DomainError("text.empty", field=key)
    if len(text) > limit:
        raise DomainError("text.too_long", field=key, limit=limit)
    return text


def set_deadline(rt: Runtime, directive: Directive, deadline: date | None) -> None:
    """The leader's date as written, and the day it really ends (the next working day after a day off)."""
    directive.deadline = deadline
    directive.due_on = due_day(deadline, rt.calendar)


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


async def standing_of(session: AsyncSession, directive: Directive) -> Standing:
    """The directive as the who-may-do-what rule sees it."""
    units = [(a.unit.code, a) for a in directive.assignments]
    return Standing(
        code=directive.code,
        state=State(directive.state),
        leads=frozenset(c for c, a in units if a.role == "lead"),
        supports=frozenset(c for c, a in units if a.role == "support"),
        acknowledged=frozenset(c for c, a in units if a.acknowledged_at is not None),
        reported=frozenset(c for c, a in units if a.reported_done_at is not None),
        extension_pending=await pending_extension(session, directive.id) is not None,
        dated=directive.deadline is not None,
    )


async def build_card(rt: Runtime, session: AsyncSession, directive: Directive, now: datetime) -> Card:
    request = await pending_extension(session, directive.id)
    pending = None
    if request is not None:
        unit = await session.get(Unit, request.unit_id)
        pending = extension_view(request, unit.code if unit else "?", unit.name if unit else "?")
    assigner = await session.get(Person, directive.assigned_by_id) if directive.assigned_by_id else None
    rows = await session.execute(
        select(Attachment, Unit.name).outerjoin(Unit, Unit.id == Attachment.unit_id)
        .where(Attachment.directive_id == directive.id).order_by(Attachment.id)
    )
    files = tuple(file_view(a, name) for a, name in rows)
    unheard: tuple[str, ...] = ()
    if State(directive.state) in (State.DRAFT, State.ASSIGNED, State.IN_PROGRESS):
        heard = await units_with_recipients(session, [a.unit_id for a in directive.assignments])
        unheard = tuple(a.unit.name for a in sorted(directive.assignments, key=lambda a: (a.role != "lead", a.id))
                        if a.unit_id not in heard)
    today = local_date(now, rt.settings.tz)
    return card_view(directive, today, rt.calendar, rt.settings.due_soon_working_days, pending,
                     assigned_by=assigner.full_name if assigner else None, files=files, unheard=unheard,
                     round=await round_of(session, directive))


async def units_with_recipients(session: AsyncSession, unit_ids: list[int]) -> set[int]:
    """The units among these that someone hears from the bot for: an active focal point or a group."""
    if not unit_ids:
        return set()
    people = await session.scalars(select(Person.unit_id).outerjoin(Chat, Chat.telegram_chat_id == Person.telegram_id)
                                   .where(Person.unit_id.in_(unit_ids), Person.role == "focal", Person.active.is_(True),
                                          Chat.reachable.is_not(False)))
    groups = await session.scalars(select(Chat.unit_id).where(
        Chat.unit_id.in_(unit_ids), Chat.kind == "group", Chat.reachable.is_(True)))
    return {u for u in (*people, *groups) if u is not None}
