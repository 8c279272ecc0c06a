"""A unit of work in memory: the repositories of bot.services.ports over plain dicts, so the use cases that
change a directive run without a database (tests/unit). A transaction works on a copy of the province and
replaces it only on success, as a database transaction would."""

from __future__ import annotations

import copy
import itertools
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from bot.domain import directive as dom
from bot.domain import events as ev
from bot.domain.calendar import WorkingCalendar
from bot.domain.leaders import Leader
from bot.domain.lifecycle import State, phase_of
from bot.domain.people import person_name
from bot.domain.reminders import ESCALATION, REMINDER_KINDS, Policy
from bot.errors import DomainError
from bot.services import ports
from bot.settings import Settings
from storage.addressing import unit_copies

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # Friday 20/11/2026 09:00 in Hà Nội / Huế


@dataclass
class Address:
    id: int
    channel: str
    external_id: str
    kind: str
    person_id: int | None = None
    unit_id: int | None = None
    reachable: bool = True


@dataclass
class OutboxRow:
    key: str
    to: int
    kind: str
    payload: dict[str, Any]
    due_at: datetime
    deadline_version: int
    directive: str | None
    status: str = "pending"
    later: bool = False  # ports.Row.later: waits for the reader's next message


@dataclass
class Logged:
    id: int
    code: str
    event: ev.Event


@dataclass
class Province:
    """Everything a transaction may change."""

    people: dict[int, ports.Person] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)  # a person's title from their invite
    units: dict[str, ports.UnitRef] = field(default_factory=dict)
    addresses: dict[int, Address] = field(default_factory=dict)
    directives: dict[str, dom.Directive] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)
    outbox: dict[str, OutboxRow] = field(default_factory=dict)
    files: list[tuple[int, str, int, ports.FileRef]] = field(default_factory=list)  # id, code, event id, file
    sequences: dict[int, int] = field(default_factory=dict)
    requests: int = 0
    refreshed: list[str] = field(default_factory=list)  # codes whose projections were refreshed
    origins: dict[tuple[int, int, int], str] = field(default_factory=dict)  # (chat, message, place) -> code
    previews: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (chat, message, place) -> preview


class MemoryPeople:
    def __init__(self, p: Province) -> None:
        self.p = p

    async def actor(self, person_id: int, /, *, units: Iterable[str] = ()) -> ports.Person:
        person = self.p.people.get(person_id)
        if person is None or not person.active:
            raise DomainError("auth.not_registered")
        return person

    async def name(self, person_id: int | None, /) -> str | None:
        person = self.p.people.get(person_id) if person_id is not None else None
        return person_name(person.full_name, self.p.titles.get(person.id)) if person else None

    async def directing(self, person_id: int | None, /) -> str | None:
        person = self.p.people.get(person_id) if person_id is not None else None
        return await self.name(person_id) if person is not None and person.role == "leader" else None

    async def leaders(self) -> list[Leader]:
        return [Leader(p.id, p.full_name, self.p.titles.get(p.id), p.active) for p in self.p.people.values()
                if p.role == "leader"]


class MemoryUnits:
    def __init__(self, p: Province) -> None:
        self.p = p

    async def active(self, codes: Iterable[str], /) -> list[ports.UnitRef]:
        return [self.p.units[c] for c in dict.fromkeys(codes) if c in self.p.units]

    async def names(self, codes: Iterable[str], /) -> dict[str, str]:
        return {c: self.p.units[c].name for c in codes if c in self.p.units}


class MemoryDirectives:
    def __init__(self, p: Province, ids: Iterable[int]) -> None:
        self.p = p
        self.ids = ids

    async def get(self, code: str, /, *, version: int | None = None, round: str | None = None) -> dom.Directive:
        stored = self.p.directives.get(code)
        if stored is None:
            raise DomainError("directive.not_found", code=code)
        if version is not None and stored.version != version:
            raise DomainError("action.stale")
        directive = copy.deepcopy(stored)
        if directive.extension is not None and directive.extension.status != "pending":
            directive.extension = None
        if round is not None and await self.round_of(directive) != round:
            raise DomainError("action.superseded", code=code)
        return directive

    async def get_as(self, actor_id: int, code: str, /, *, version: int | None = None,
                     round: str | None = None) -> tuple[ports.Person, dom.Directive]:
        person = self.p.people.get(actor_id)
        if person is None or not person.active:
            raise DomainError("auth.not_registered")
        return person, await self.get(code, version=version, round=round)

    async def round_of(self, directive: dom.Directive, /) -> str:
        last = max((e.id for e in self.p.log if e.code == directive.code and e.event.kind in ev.ROUND_KINDS),
                   default=0)
        return f"{last}:{phase_of(directive.state)}"

    async def next_code(self, year: int, /) -> str:
        self.p.sequences[year] = self.p.sequences.get(year, 0) + 1
        return dom.code_for(year, self.p.sequences[year])

    async def next_draft_code(self) -> str:
        self.p.sequences[0] = self.p.sequences.get(0, 0) + 1  # year 0: the drafts' counter
        return dom.draft_code(self.p.sequences[0])

    async def add(self, directive: dom.Directive, at: datetime, /) -> None:
        directive.id, directive.version = next(iter(self.ids)), 1
        self._keep(directive)

    async def save(self, directive: dom.Directive, at: datetime, /) -> None:
        stored = self.p.directives.get(directive.code) or next(
            d for d in self.p.directives.values() if d.id == directive.id)
        if stored.code != directive.code:  # a draft took its directive code
            del self.p.directives[stored.code]
            for entry in self.p.log:
                if entry.code == stored.code:
                    entry.code = directive.code
            self.p.origins = {k: directive.code if c == stored.code else c for k, c in self.p.origins.items()}
        if stored.version != directive.version:
            raise DomainError("action.conflict")
        directive.version += 1
        self._keep(directive)

    def _keep(self, directive: dom.Directive) -> None:
        if directive.extension is not None and directive.extension.id is None:
            self.p.requests += 1
            directive.extension.id = self.p.requests
        self.p.directives[directive.code] = copy.deepcopy(directive)

    async def has_successor(self, directive: dom.Directive, /) -> bool:
        return any(d.previous_id == directive.id for d in self.p.directives.values())

    async def original_deadline(self, directive_id: int | None, /) -> date | None:
        return next((d.original_deadline for d in self.p.directives.values() if d.id == directive_id), None)

    async def recurring_due(self, today: date, /) -> list[str]:
        return [d.code for d in self.p.directives.values()
                if d.recurrence and d.state in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING)
                and d.due_on is not None and d.due_on < today and not any(
                    o.previous_id == d.id for o in self.p.directives.values())]

    async def by_id(self, directive_id: int, /) -> dom.Directive | None:
        code = next((d.code for d in self.p.directives.values() if d.id == directive_id), None)
        return await self.get(code) if code else None

    async def working_for_unit(self, unit_id: int, /) -> list[dom.Directive]:
        return [copy.deepcopy(d) for d in self.p.directives.values()
                if d.state in (State.ASSIGNED, State.IN_PROGRESS)
                and any(p.unit_id == unit_id and p.reported_done_at is None for p in d.parts)]


class MemoryLog:
    def __init__(self, p: Province) -> None:
        self.p = p

    async def append(self, directive: dom.Directive, event: ev.Event, /) -> int:
        self.p.log.append(Logged(len(self.p.log) + 1, directive.code, event))
        return len(self.p.log)


class MemoryFiles:
    def __init__(self, p: Province) -> None:
        self.p = p

    async def keep(self, directive: dom.Directive, event_id: int, unit: str, person_id: int | None, /,
                   files: list[ports.FileRef], at: datetime) -> list[ports.Kept]:
        kept = []
        for file in files:
            self.p.files.append((len(self.p.files) + 1, directive.code, event_id, file))
            kept.append(ports.Kept(len(self.p.files), file.kind, file.name))
        return kept


class MemoryProjections:
    def __init__(self, p: Province) -> None:
        self.p = p

    async def refresh(self, directive: dom.Directive, /) -> None:
        self.p.refreshed.append(directive.code)


class MemoryOutbox:
    def __init__(self, p: Province, every_member: bool = False) -> None:
        self.p = p
        self.every_member = every_member

    def _chosen_with_channel(self, people: set[int]) -> dict[int, tuple[int, str]]:
        best: dict[int, tuple[tuple[bool, bool, int], int, str]] = {}
        for a in self.p.addresses.values():
            person = self.p.people.get(a.person_id) if a.person_id is not None else None
            if a.kind != "private" or person is None or person.id not in people or not person.active:
                continue
            rank = (not a.reachable, False, a.id)
            if person.id not in best or rank < best[person.id][0]:
                best[person.id] = (rank, a.id, a.channel)
        return {person: (address, channel) for person, (_, address, channel) in best.items()}

    def _chosen(self, people: set[int]) -> set[int]:
        return {address for address, _ in self._chosen_with_channel(people).values()}

    async def addresses(self, audience: ports.Audience, /, *, exclude_person: int | None = None,
                        reachable_only: bool = True) -> set[int]:
        """The same rule as storage: a unit once (storage.addressing.unit_copies), people and the office each
        at their chosen address."""
        found: set[int] = set()
        for unit in audience.units:
            focal = {p.id for p in self.p.people.values() if p.active and p.role == "focal" and p.unit_id == unit}
            groups = {a.id: a.channel for a in self.p.addresses.values()
                      if a.kind == "group" and a.unit_id == unit and a.reachable}
            chosen = self._chosen_with_channel(focal - {exclude_person} if exclude_person else focal)
            if reachable_only:
                chosen = {k: v for k, v in chosen.items() if self.p.addresses[v[0]].reachable}
            found |= unit_copies(groups, chosen, every_member=self.every_member)
        people = set(audience.people)
        if audience.office:
            people |= {p.id for p in self.p.people.values() if p.active and p.role == "admin"}
        found |= self._chosen(people - {exclude_person} if exclude_person else people)
        return {a for a in found if self.p.addresses[a].reachable} if reachable_only else found

    async def add(self, rows: list[ports.Row], directive: dom.Directive | None, at: datetime, /, *,
                  revive: bool = False) -> int:
        written = 0
        for row in rows:
            existing = self.p.outbox.get(row.key)
            if existing is None:
                self.p.outbox[row.key] = OutboxRow(row.key, row.to, row.kind, row.payload, row.due_at,
                                                   row.deadline_version, directive.code if directive else None,
                                                   later=row.later)
                written += 1
            elif revive and existing.status in ("void", "unreachable"):
                existing.status, existing.due_at, existing.payload = "pending", row.due_at, row.payload
                written += 1
        return written

    async def void_reminders(self, directive: dom.Directive, /, *, all_versions: bool,
                             addresses: set[int] | None = None) -> None:
        for row in self.p.outbox.values():
            if (row.directive == directive.code and row.status in ("pending", "unreachable")
                    and row.kind in REMINDER_KINDS and (all_versions or row.deadline_version < directive.deadline_version)
                    and (addresses is None or row.to in addresses)):
                row.status = "void"

    def hold(self) -> None:
        pass  # rows are written at once in memory

    async def release(self, *, write: bool = True) -> None:
        pass

    async def escalation_sent(self, directive: dom.Directive, /) -> bool:
        return any(r.directive == directive.code and r.kind == ESCALATION and r.status == "sent"
                   for r in self.p.outbox.values())


class MemoryOrigins:
    def __init__(self, p: Province) -> None:
        self.p = p

    async def remember(self, directive: dom.Directive, chat_id: int, message_id: int, position: int,
                       at: datetime, /) -> None:
        self.p.origins[(chat_id, message_id, position)] = directive.code

    async def of_message(self, chat_id: int, message_id: int, /) -> list[tuple[int, str]]:
        return sorted((pos, code) for (c, m, pos), code in self.p.origins.items() if (c, m) == (chat_id, message_id))

    async def previewed(self, chat_id: int, message_id: int, previews: dict[int, int], /) -> None:
        for position, preview in previews.items():
            if (chat_id, message_id, position) in self.p.origins:
                self.p.previews[(chat_id, message_id, position)] = preview

    async def previews(self, chat_id: int, message_id: int, /) -> dict[int, int]:
        return {pos: preview for (c, m, pos), preview in self.p.previews.items() if (c, m) == (chat_id, message_id)}

    async def forget(self, chat_id: int, message_id: int, position: int, /) -> None:
        self.p.origins.pop((chat_id, message_id, position), None)
        self.p.previews.pop((chat_id, message_id, position), None)


class MemoryUnitOfWork:
    def __init__(self, p: Province, rules: dom.Rules, policy: Policy, ids: Iterable[int]) -> None:
        self.rules, self.policy = rules, policy
        self.people = MemoryPeople(p)
        self.units = MemoryUnits(p)
        self.directives = MemoryDirectives(p, ids)
        self.log = MemoryLog(p)
        self.files = MemoryFiles(p)
        self.projections = MemoryProjections(p)
        self.outbox = MemoryOutbox(p, policy.every_member)
        self.origins = MemoryOrigins(p)
        self.p = p

    async def card_facts(self, directive: dom.Directive, /, *, round: bool = False) -> ports.CardFacts:
        names = await self.units.names([p.unit for p in directive.parts])
        files = tuple(ports.FileView(i, f.kind, f.file_id, f.name, f.size, None, NOW)
                      for i, code, _, f in self.p.files if code == directive.code)
        heard = set()
        for unit in self.p.units.values():
            if await self.outbox.addresses(ports.Audience(units=frozenset({unit.id}))):
                heard.add(unit.id)
        return ports.CardFacts(names, await self.people.name(directive.assigned_by_id), files, frozenset(heard),
                               await self.directives.round_of(directive) if round else "",
                               await self.people.directing(directive.assigned_by_id))


class MemoryRuntime:
    """What the use cases read of a Runtime, with the province in memory."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.calendar = WorkingCalendar(settings.extra_days_off, settings.extra_working_days)
        self.province = Province()
        self._ids = itertools.count(1)

    @property
    def rules(self) -> dom.Rules:
        return dom.Rules(self.calendar, self.settings.tz, self.settings.max_text_chars)

    @asynccontextmanager
    async def uow(self, *, read_only: bool = False) -> AsyncIterator[MemoryUnitOfWork]:
        working = copy.deepcopy(self.province)
        yield MemoryUnitOfWork(working, self.rules, self.settings.reminder_policy(), self._ids)
        if not read_only:
            self.province = working

    # -- a province to work in ----------------------------------------------------------------------------

    def unit(self, code: str, name: str) -> int:
        unit_id = len(self.province.units) + 1
        self.province.units[code] = ports.UnitRef(unit_id, code, name)
        return unit_id

    def person(self, role: str, name: str, unit: str | None = None, *, channels: int = 1,
               title: str | None = None) -> int:
        person_id = len(self.province.people) + 1
        if title:
            self.province.titles[person_id] = title
        ref = self.province.units.get(unit) if unit else None
        self.province.people[person_id] = ports.Person(person_id, role, name, ref.id if ref else None,
                                                      ref.code if ref else None, ref.name if ref else None)
        for n in range(channels):
            address_id = len(self.province.addresses) + 1
            self.province.addresses[address_id] = Address(address_id, ("telegram", "zalo")[n],
                                                          f"{person_id}", "private", person_id)
        return person_id

    def group(self, unit: str) -> int:
        address_id = len(self.province.addresses) + 1
        self.province.addresses[address_id] = Address(address_id, "telegram", f"-{address_id}", "group",
                                                      unit_id=self.province.units[unit].id)
        return address_id

    def address_of(self, person_id: int) -> int:
        return next(a.id for a in self.province.addresses.values() if a.person_id == person_id)

    def told(self, person_id: int | None = None, *, address: int | None = None) -> list[str]:
        """The notice texts written to a person's address (or an address), oldest first."""
        to = address if address is not None else self.address_of(person_id or 0)
        return [r.payload["text"] for r in self.province.outbox.values() if r.to == to and r.kind == "notify"]

    def events(self, code: str) -> list[str]:
        return [e.event.kind for e in self.province.log if e.code == code]
