"""The use cases that change a directive, and what follows each change.

A use case is: open a unit of work, load the directive, `apply` the command (the aggregate checks the rule
and returns the events), `publish` the events, return the card — one transaction. `publish` saves the
directive and hands each event to its named handlers, in this order, all inside the same transaction:

    log          the event, appended to the directive's history (its id keys the notices)
    files        the files sent with a report, kept with the directive
    projections  the assignment rows' copies and the report tallies (storage/repository.py)
    reminders    planned for a new deadline, voided when they no longer apply (bot.services.reminders)
    notices      who is told of it: the table in bot.services.notices
    recurrence   a recurring directive confirmed done gets its next occurrence

The outbox rows the handlers add (notices, reminders) are held and written together when the last handler
is done: one INSERT for the move, not one per audience.

Nothing is written behind the code's back: no ORM flush hook, no trigger.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.domain import directive as dom
from bot.domain import events as ev
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import notices, reminders
from bot.services.cards import card_of
from bot.services.ports import FileRef, Kept, Person, UnitOfWork
from bot.services.views import Card

MAX_REASON_CHARS = 1000


@dataclass
class Change:
    """One directive's events in one use case, as its handlers see them."""

    uow: UnitOfWork
    directive: dom.Directive
    actor: Person | None
    files: list[FileRef] = field(default_factory=list)
    logged: dict[int, int] = field(default_factory=dict)  # id(event) -> its id in the log
    kept: list[Kept] = field(default_factory=list)
    due_at: datetime | None = None  # notices held until then (a night-time recurrence: office hours)

    def event_id(self, event: ev.Event) -> int:
        return self.logged[id(event)]


Handler = Callable[[Change, ev.Event], Awaitable[None]]


async def _log(change: Change, event: ev.Event) -> None:
    change.logged[id(event)] = await change.uow.log.append(change.directive, event)


async def _files(change: Change, event: ev.Event) -> None:
    if change.files and isinstance(event, ev.ProgressReported | ev.FilesAdded):
        change.kept += await change.uow.files.keep(change.directive, change.event_id(event), event.unit,
                                                   event.actor_id, change.files, event.at)


async def _projections(change: Change, event: ev.Event) -> None:
    await change.uow.projections.refresh(change.directive)


async def _reminders(change: Change, event: ev.Event) -> None:
    await reminders.on_event(change.uow, change.directive, event)


async def _notices(change: Change, event: ev.Event) -> None:
    await notices.on_event(change.uow, change.directive, event, change.event_id(event), change.actor,
                           files=[k.payload() for k in change.kept], due_at=change.due_at)


async def _recurrence(change: Change, event: ev.Event) -> None:
    if isinstance(event, ev.Confirmed):
        await spawn_next(change.uow, change.directive, event.at)


HANDLERS: tuple[Handler, ...] = (_log, _files, _projections, _reminders, _notices, _recurrence)


async def publish(change: Change, happened: list[ev.Event]) -> None:
    """Save the directive, then hand each event to every handler, in order."""
    uow, directive = change.uow, change.directive
    at = happened[-1].at
    if directive.id is None:
        await uow.directives.add(directive, at)
    else:
        await uow.directives.save(directive, at)
    uow.outbox.hold()  # the move's notices and reminders: written together after the last handler
    try:
        for event in happened:
            for handler in HANDLERS:
                await handler(change, event)
    except BaseException:
        await uow.outbox.release(write=False)
        raise
    await uow.outbox.release()


async def with_code(uow: UnitOfWork, directive: dom.Directive, command: dom.Command, now: datetime) -> dom.Command:
    """A draft being assigned takes the year's next directive code (drawn in the same transaction: a refusal
    rolls the counter back with it, so codes have no gaps)."""
    if isinstance(command, dom.ConfirmDraft) and not command.code and dom.is_draft_code(directive.code):
        return replace(command, code=await uow.directives.next_code(uow.rules.today(now).year))
    return command


def actor_of(person: Person) -> dom.Actor:
    return dom.Actor(person.id, person.role, person.unit_code)


async def act(rt: Runtime, actor_id: int, code: str, command: dom.Command, *, now: datetime,
              expected_version: int | None = None, expected_round: str | None = None,
              files: list[FileRef] | None = None) -> Card:
    """One move on one directive by one person, in one transaction; the directive's card after it."""
    async with rt.uow() as uow:
        person, directive = await uow.directives.get_as(actor_id, code, version=expected_version,
                                                        round=expected_round)
        command = await with_code(uow, directive, command, now)
        happened = dom.apply(directive, command, actor_of(person), now, uow.rules)
        await publish(Change(uow, directive, person, files=list(files or [])), happened)
        return await card_of(rt, uow, directive, now)


@dataclass(frozen=True)
class AckAll:
    """What «Nhận tất cả» did: the directives acknowledged, and those left as they were (already
    acknowledged, finished, no longer the unit's), each with the reason's catalogue key."""

    acknowledged: list[str]
    skipped: list[tuple[str, str]]


async def acknowledge_all(rt: Runtime, actor_id: int, codes: list[str], *, now: datetime) -> AckAll:
    """A focal point acknowledges, in one press, every directive of a notice their unit may acknowledge now:
    one Acknowledge move per directive, each checked by the same rule as its own button and its events
    published (history, notices) as if pressed one by one; one transaction. Only a unit's focal point: the
    office acknowledges for a unit one directive at a time, naming the unit."""
    async with rt.uow() as uow:
        person = await uow.people.actor(actor_id)
        actor = actor_of(person)
        if actor.role != dom.Role.FOCAL or actor.unit is None:
            raise DomainError("auth.forbidden")
        done: list[str] = []
        skipped: list[tuple[str, str]] = []
        for code in dict.fromkeys(codes):
            try:
                directive = await uow.directives.get(code)
                happened = dom.apply(directive, dom.Acknowledge(), actor, now, uow.rules)
            except DomainError as refused:
                skipped.append((code, refused.key))
                continue
            await publish(Change(uow, directive, person), happened)
            done.append(code)
        return AckAll(done, skipped)


@dataclass(frozen=True)
class ConfirmAll:
    """What «Xác nhận tất cả» did: the reports confirmed, and those left as they were, with the reason's key."""

    confirmed: list[str]
    skipped: list[tuple[str, str]]


async def confirm_all(rt: Runtime, actor_id: int, shown: list[tuple[str, int]], *, now: datetime) -> ConfirmAll:
    """The office (or a leader) confirms, in one press, the done reports a notice listed: one Confirm move per
    directive at the version the notice showed (a report sent again or changed since is left for its own
    press), each checked by the rule of its own button and published as if pressed one by one; one
    transaction."""
    async with rt.uow() as uow:
        done: list[str] = []
        skipped: list[tuple[str, str]] = []
        for code, version in dict.fromkeys(shown):
            try:
                person, directive = await uow.directives.get_as(actor_id, code, version=version)
                happened = dom.apply(directive, dom.Confirm(), actor_of(person), now, uow.rules)
            except DomainError as refused:
                if refused.key.startswith("auth."):
                    raise
                skipped.append((code, refused.key))
                continue
            await publish(Change(uow, directive, person), happened)
            done.append(code)
        return ConfirmAll(done, skipped)


async def check(rt: Runtime, actor_id: int, code: str, command: dom.Command, *, now: datetime,
                expected_version: int | None = None) -> Card:
    """The checks a move would make, without writing: lets the chat refuse before asking for a text. The
    card, so the question can say which directive it is about."""
    async with rt.uow(read_only=True) as uow:
        person, directive = await uow.directives.get_as(actor_id, code, version=expected_version)
        dom.authorise(directive, command, actor_of(person))
        return await card_of(rt, uow, directive, now, round=True)


async def create(uow: UnitOfWork, actor: Person | None, spec: dom.Spec, now: datetime, *, draft: bool = False,
                 history: dom.History | None = None, previous: dom.Directive | None = None,
                 import_key: str | None = None, source: str = "", file: str = "", row: int | None = None,
                 due_at: datetime | None = None) -> dom.Directive:
    """A new directive, its units checked and resolved, its code taken, its events published."""
    units = {u.code: u for u in await uow.units.active([*spec.lead, *spec.support])}
    for code in (*spec.lead, *spec.support):
        if code not in units:
            raise DomainError("unit.unknown", code=code[:32])
    year = (history.assigned_on if history is not None else uow.rules.today(now)).year
    code = await uow.directives.next_draft_code() if draft else await uow.directives.next_code(year)
    who = actor_of(actor) if actor is not None else dom.SYSTEM
    directive, event = dom.create(code, spec, who, now, uow.rules, draft=draft, previous=previous, history=history,
                                  source=source, file=file, row=row)
    for part in directive.parts:
        part.unit_id = units[part.unit].id
    directive.import_key = import_key
    await publish(Change(uow, directive, actor, due_at=due_at), [event])
    return directive


async def correct(uow: UnitOfWork, person: Person, directive: dom.Directive, command: dom.EditDraft,
                  now: datetime) -> None:
    """A correction of a draft through the aggregate, the units it names checked and resolved first."""
    wanted = (*(command.lead or ()), *(command.support or ()))
    units = {u.code: u.id for u in await uow.units.active(wanted)}
    for unit in wanted:
        if unit not in units:
            raise DomainError("unit.unknown", code=unit[:32])
    happened = dom.apply(directive, command, actor_of(person), now, uow.rules)
    for part in directive.parts:
        part.unit_id = part.unit_id or units.get(part.unit)
    await publish(Change(uow, directive, person), happened)


async def spawn_next(uow: UnitOfWork, directive: dom.Directive, now: datetime) -> dom.Directive | None:
    """A recurring directive's following occurrence, unless it exists already (so a sweep and a
    confirmation never both make it). Announced in office hours."""
    if not directive.recurrence or directive.deadline is None or await uow.directives.has_successor(directive):
        return None
    before = await uow.directives.original_deadline(directive.previous_id)
    deadline = dom.next_deadline(directive, before, uow.rules.today(now))
    opening = reminders.next_window(uow, now)
    return await create(uow, None, dom.successor_spec(directive, deadline), now, previous=directive, due_at=opening)


async def roll_recurring(rt: Runtime, now: datetime) -> int:
    """Open recurring directives whose deadline has passed get their next occurrence."""
    async with rt.uow() as uow:
        created = 0
        for code in await uow.directives.recurring_due(uow.rules.today(now)):
            created += await spawn_next(uow, await uow.directives.get(code), now) is not None
        return created
