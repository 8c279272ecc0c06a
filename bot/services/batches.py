"""The drafts read from one pasted message (a batch: `message_origins` keyed by chat and message), as the web's
drafts list shows them together with the chat's two batch presses (`directives.keep_units_read`,
`directives.assign_drafts`). Read only; the presses themselves are the chat's use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from bot.domain.deadlines import local_date
from bot.domain.lifecycle import State
from bot.runtime import Runtime
from bot.services.cards import listed
from bot.services.directives import MAX_BATCH, unit_questions
from bot.services.views import Card
from storage.models import Directive, MessageOrigin


@dataclass(frozen=True)
class Batch:
    """The drafts still waiting from one pasted message, by their place in it (a draft assigned or discarded
    since is no longer one of them), and when the message was read."""

    chat_id: int
    message_id: int
    pasted_at: datetime
    places: tuple[int, ...]
    drafts: tuple[Card, ...]

    @property
    def doubted(self) -> dict[int, int]:
        """The drafts «Giữ đơn vị như đã đọc» would answer (place → version now): the press carries these, so a
        draft changed after the page was drawn is left whole (`keep_units_read(versions=…)`)."""
        return {place: card.version for place, card in zip(self.places, self.drafts, strict=True)
                if unit_questions(card.questions)}


async def batches_of(rt: Runtime, directive_ids: list[int], *, now: datetime) -> dict[int, Batch]:
    """The batch each of these directives (a page of the drafts list) was read in, by directive id; a directive
    typed on its own, or read with no origin kept, has none. Two statements whatever the page: the origins of
    the page's directives (their `directive_id` index), then each origin's drafts (the key's chat and message
    prefix); a message holds at most MAX_BATCH directives, so neither reads an unbounded set."""
    if not directive_ids:
        return {}
    async with rt.sessions() as session:
        keys = (await session.execute(
            select(MessageOrigin.chat_id, MessageOrigin.message_id)
            .where(MessageOrigin.directive_id.in_(directive_ids)).distinct())).all()
        if not keys:
            return {}
        # one OR of (chat, message) pairs rather than a row-value IN: the same plan on SQLite and PostgreSQL
        rows = (await session.execute(
            select(MessageOrigin.chat_id, MessageOrigin.message_id, MessageOrigin.position, MessageOrigin.created_at,
                   Directive)
            .join(Directive, Directive.id == MessageOrigin.directive_id)
            .where(or_(*(and_(MessageOrigin.chat_id == chat, MessageOrigin.message_id == message)
                         for chat, message in keys)), Directive.state == State.DRAFT)
            .order_by(MessageOrigin.chat_id, MessageOrigin.message_id, MessageOrigin.position)
            .limit(len(keys) * MAX_BATCH))).all()
        today = local_date(now, rt.settings.tz)
        grouped: dict[tuple[int, int], list[tuple[int, datetime, Card]]] = {}
        for chat, message, position, created_at, row in rows:
            card = listed(row, today, rt.calendar, rt.settings.due_soon_working_days)
            grouped.setdefault((chat, message), []).append((position, created_at, card))
    found: dict[int, Batch] = {}
    for (chat, message), members in grouped.items():
        batch = Batch(chat, message, min(at for _, at, _ in members), tuple(p for p, _, _ in members),
                      tuple(c for _, _, c in members))
        for card in batch.drafts:
            found[card.id] = batch
    return found


async def already_read(rt: Runtime, chat_id: int, message_id: int) -> bool:
    """Whether drafts were read from this message already (its origin's key): a channel that may deliver a message
    twice (Zalo's webhook, retried) reads it once, instead of failing on the origin's key the second time."""
    async with rt.sessions() as session:
        found = await session.scalar(select(MessageOrigin.position).where(
            MessageOrigin.chat_id == chat_id, MessageOrigin.message_id == message_id).limit(1))
        return found is not None
