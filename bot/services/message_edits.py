"""An edited chat message maps to what its original produced. Telegram sends an edit as an update of its own;
handled as a new message it made a second set of drafts. Instead: the drafts read from the message (kept in
`message_origins`, by their place among the directives it held) are read again from the new text, in one
transaction: a draft still wanted is rewritten, one the text no longer holds is discarded, a directive the text
now adds becomes a new draft; a directive assigned since is never changed by an edit (the person is told). A
message that produced nothing (a command, a question, an answer) maps to nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import directive as dom
from bot.domain.leaders import as_recorded
from bot.domain.lifecycle import State
from bot.domain.policy import check_can_assign
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import lifecycle
from bot.services.cards import card_of
from bot.services.directives import MAX_BATCH, NewDirective, spec_of, with_leader
from bot.services.views import Card


@dataclass(frozen=True)
class Revision:
    known: bool = False  # the message had produced directives: the edit is about them
    updated: tuple[tuple[int, Card], ...] = ()  # (place in the new text, the draft rewritten)
    added: tuple[tuple[int, Card], ...] = ()  # (place in the new text, a new draft)
    dropped: tuple[str, ...] = ()  # drafts discarded: the new text no longer holds them
    kept: tuple[str, ...] = ()  # drafts left as they were: the new text holds no directive at all
    assigned: tuple[str, ...] = ()  # assigned since: never changed by an edit


async def revise(rt: Runtime, actor_id: int, chat_id: int, message_id: int, specs: list[NewDirective] | None, *,
                 now: datetime) -> Revision:
    """Bring the drafts read from a message in line with its edited text (`specs`: the directives the new text
    holds, in order; None when it holds none)."""
    async with rt.uow() as uow:
        person = await uow.people.actor(actor_id)
        found = [(place, await uow.directives.get(code)) for place, code in
                 await uow.origins.of_message(chat_id, message_id)]
        # Only the message's author can edit it, and only their drafts came of it.
        rows = [(place, d) for place, d in found if d.assigned_by_id == person.id]
        if not rows:
            return Revision()
        check_can_assign(person.role)
        if specs is not None and len(specs) > MAX_BATCH:
            raise DomainError("directive.too_many", limit=MAX_BATCH)
        # A draft its author discarded is gone: an edit does not bring it back, nor tell of it.
        live = [(place, d) for place, d in rows if not (d.state == State.CANCELLED and d.assigned_on is None)]
        drafts = [(place, d) for place, d in live if d.state == State.DRAFT]
        assigned = tuple(d.code for _, d in live if d.state != State.DRAFT)
        if specs is None:
            return Revision(True, kept=tuple(d.code for _, d in drafts), assigned=assigned)
        actor = lifecycle.actor_of(person)
        leaders = await uow.people.leaders() if any(spec.leader_name for spec in specs) else []
        updated, dropped = [], []
        for place, directive in drafts:
            if place < len(specs):
                spec = specs[place]
                command = dom.EditDraft(content=spec.content, lead=tuple(spec.lead), support=tuple(spec.support),
                                        deadline=spec.deadline, source_number=spec.source_number,
                                        source_date=spec.source_date, recurrence=spec.recurrence,
                                        leader_name=spec.leader_name and as_recorded(spec.leader_name, leaders),
                                        lead_required=False,
                                        questions=tuple(spec.questions))
                await lifecycle.correct(uow, person, directive, command, now)
                updated.append((place, await card_of(rt, uow, directive, now)))
            else:
                await lifecycle.publish(lifecycle.Change(uow, directive, person),
                                        dom.apply(directive, dom.Discard(), actor, now, uow.rules))
                await uow.origins.forget(chat_id, message_id, place)
                dropped.append(directive.code)
        taken = {place for place, _ in rows}
        added = []
        for place, spec in enumerate(specs):
            if place not in taken:
                new = await lifecycle.create(uow, person, with_leader(spec_of(spec), leaders), now, draft=True)
                await uow.origins.remember(new, chat_id, message_id, place, now)
                added.append((place, await card_of(rt, uow, new, now)))
        return Revision(True, tuple(updated), tuple(added), tuple(dropped), (), assigned)
