"""Notifications: rows in the outbox, written in the same transaction as the change they announce.

The dispatcher renders and sends them later, in each recipient's language, so a crash after the commit
loses nothing and a rolled-back change announces nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import occurrence_period
from bot.domain.policy import Role
from bot.domain.reminders import REMINDER_KINDS
from bot.services.common import jsonable
from storage.models import Chat, Directive, Event, Outbox, Person


async def unit_chats(session: AsyncSession, unit_ids: Iterable[int]) -> set[int]:
    """Where a unit is told: its focal points' private chats and its registered groups."""
    ids = list(set(unit_ids))
    if not ids:
        return set()
    people = await session.scalars(
        select(Person.telegram_id).where(
            Person.unit_id.in_(ids), Person.role == Role.FOCAL, Person.active.is_(True)
        )
    )
    groups = await session.scalars(
        select(Chat.telegram_chat_id).where(
            Chat.unit_id.in_(ids), Chat.kind == "group", Chat.reachable.is_(True)
        )
    )
    return set(people) | set(groups)


async def office_chats(session: AsyncSession) -> set[int]:
    rows = await session.scalars(
        select(Person.telegram_id).where(Person.role == Role.ADMIN, Person.active.is_(True))
    )
    return set(rows)


async def person_chat(session: AsyncSession, person_id: int | None) -> set[int]:
    if person_id is None:
        return set()
    person = await session.get(Person, person_id)
    return {person.telegram_id} if person is not None and person.active else set()


async def deciders_of(session: AsyncSession, directive: Directive) -> set[int]:
    """Whom a unit's request or report concerns: the office and the leader who assigned it."""
    return await office_chats(session) | await person_chat(session, directive.assigned_by_id)


def directive_lines(directive: Directive, leader: str | None) -> list[dict[str, Any]]:
    """The lines a notice about a directive adds below its text: who directed it and the source
    document with its date (each only when known)."""
    lines: list[dict[str, Any]] = []
    if directive.recurrence and directive.deadline:
        key, params = occurrence_period(directive.deadline, directive.recurrence)
        lines.append({"key": "line.period", "params": {"recurrence": {"key": f"recurrence.{directive.recurrence}"},
                                                       "period": {"key": key, "params": jsonable(params)}}})
    if leader:
        lines.append({"key": "line.leader", "params": {"leader": leader}})
    if directive.source_number:
        key = "line.source_dated" if directive.source_date else "line.source"
        lines.append({"key": key, "params": jsonable({"source": directive.source_number, "date": directive.source_date})})
    return lines


async def enqueue(
    session: AsyncSession,
    event: Event,
    directive: Directive | None,
    chats: set[int],
    text_key: str,
    now: datetime,
    *,
    exclude: int | None = None,
    lines: list[dict[str, Any]] | None = None,
    files: list[dict[str, Any]] | None = None,
    due_at: datetime | None = None,
    payload_extra: dict[str, Any] | None = None,
    **params: Any,
) -> int:
    """One outbox row per chat for this event; returns how many. The text is rendered when it is sent,
    in each reader's language: a parameter {"key": …} is a catalogue text, `lines` are more catalogue
    lines, `files` are sent after the text; `payload_extra` rides along for the sender (e.g. the event a
    resend button acts on)."""
    unreachable = (
        set(
            await session.scalars(
                select(Chat.telegram_chat_id).where(
                    Chat.reachable.is_(False), Chat.telegram_chat_id.in_(chats)
                )
            )
        )
        if chats
        else set()
    )
    targets = sorted(chats - unreachable - ({exclude} if exclude is not None else set()))
    if not targets:
        return 0
    await session.flush()
    payload: dict[str, Any] = {"text": text_key, "params": jsonable(params),
                               "code": directive.code if directive else None}
    if lines:
        payload["lines"] = lines
    if files:
        payload["files"] = files
    payload.update(jsonable(payload_extra or {}))
    for chat_id in targets:
        session.add(
            Outbox(
                key=f"event:{event.id}:{chat_id}",
                directive_id=directive.id if directive is not None else None,
                chat_id=chat_id,
                kind="notify",
                deadline_version=directive.deadline_version if directive is not None else 0,
                payload=payload,
                due_at=due_at or now,
                created_at=now,
            )
        )
    return len(targets)


async def void_reminders(session: AsyncSession, directive: Directive, *, all_versions: bool = False,
                         chats: set[int] | None = None) -> None:
    """Pending reminders of an old deadline (or of a finished directive, or to a lead unit that has
    reported its part done: `chats`) must never go out."""
    # Rows held for a blocked chat are voided too: unblocking must not bring back what no longer applies.
    condition = [
        Outbox.directive_id == directive.id,
        Outbox.status.in_(["pending", "unreachable"]),
        Outbox.kind.in_(REMINDER_KINDS),
    ]
    if not all_versions:
        condition.append(Outbox.deadline_version < directive.deadline_version)
    if chats is not None:
        condition.append(Outbox.chat_id.in_(chats))
    await session.execute(update(Outbox).where(*condition).values(status="void"))
