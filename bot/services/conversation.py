"""What the bot is waiting for from a person in a chat, kept in the database (DESIGN §4): a typed reason,
a date, a guided assignment, a draft being corrected. One open question per person and chat; asking a
new one replaces it. It survives a restart, and any replica can take the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.runtime import Runtime
from bot.services.common import check_code, jsonable
from storage.models import Conversation, Directive

TTL = timedelta(hours=24)
MAX_DATA_CHARS = 8000


@dataclass(frozen=True)
class Pending:
    kind: str
    code: str | None = None  # the directive the question is about
    version: int | None = None  # its version when the question was asked
    data: dict[str, Any] = field(default_factory=dict)


async def ask(rt: Runtime, person_id: int, chat_id: int, kind: str, *, now: datetime, code: str | None = None,
              version: int | None = None, data: dict[str, Any] | None = None, ttl: timedelta = TTL) -> None:
    """Remember that this person's next message in this chat answers `kind` (replacing any open one)."""
    payload = jsonable(data or {})
    if len(repr(payload)) > MAX_DATA_CHARS:
        raise ValueError("conversation data too large")
    for attempt in range(2):
        try:
            async with rt.transaction() as session:
                directive_id = None
                if code is not None:
                    directive_id = await session.scalar(select(Directive.id).where(Directive.code == check_code(code)))
                row = await session.scalar(select(Conversation).where(
                    Conversation.person_id == person_id, Conversation.chat_id == chat_id))
                if row is None:
                    row = Conversation(person_id=person_id, chat_id=chat_id)
                    session.add(row)
                row.kind, row.directive_id, row.directive_version, row.data = kind, directive_id, version, payload
                row.created_at, row.expires_at = now, now + ttl
            return
        except IntegrityError:  # two updates of one person raced to create the row: the later one wins
            if attempt:
                raise


async def pending(rt: Runtime, person_id: int, chat_id: int, *, now: datetime) -> Pending | None:
    """The open question, if any and not expired."""
    async with rt.sessions() as session:
        row = await session.execute(
            select(Conversation.kind, Conversation.directive_version, Conversation.data, Conversation.expires_at,
                   Directive.code)
            .outerjoin(Directive, Directive.id == Conversation.directive_id)
            .where(Conversation.person_id == person_id, Conversation.chat_id == chat_id)
        )
        found = row.first()
    if found is None or found.expires_at <= now:
        return None
    return Pending(found.kind, found.code, found.directive_version, dict(found.data or {}))


async def clear(rt: Runtime, person_id: int, chat_id: int, *, now: datetime) -> bool:
    """Forget the open question; True if there was one still open."""
    async with rt.transaction() as session:
        where = (Conversation.person_id == person_id, Conversation.chat_id == chat_id)
        expires = await session.scalar(select(Conversation.expires_at).where(*where))
        if expires is None:
            return False
        await session.execute(delete(Conversation).where(*where))
        return expires > now
