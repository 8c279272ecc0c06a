"""Who is reached where: a person's chosen address, a unit's people and groups, the office. SQL only;
what to send and why is the services' business."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Boolean, Integer, String, case, cast, literal, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Address, Person

FOCAL, ADMIN = "focal", "admin"


async def chosen_addresses(session: AsyncSession, person_ids: Iterable[int | None]) -> set[int]:
    """Each person's one address for a notice: their preferred channel's private chat when it is reachable,
    else another reachable one, else the preferred one (held there until it is reachable again). A person
    on two channels hears each notice once."""
    ids = list({p for p in person_ids if p is not None})
    if not ids:
        return set()
    rows = await session.execute(
        select(Address.id, Address.person_id, Address.channel, Address.reachable, Person.preferred_channel)
        .join(Person, Person.id == Address.person_id)
        .where(Address.person_id.in_(ids), Address.kind == "private", Person.active.is_(True)))
    best: dict[int, tuple[tuple[bool, bool, int], int]] = {}
    for address_id, person_id, channel, reachable, preferred in rows:
        assert person_id is not None  # joined on it
        rank = (not reachable, channel != (preferred or channel), address_id)
        if person_id not in best or rank < best[person_id][0]:
            best[person_id] = (rank, address_id)
    return {address_id for _, address_id in best.values()}


def unit_copies(groups: dict[int, str], people: dict[int, tuple[int, str]], *, every_member: bool) -> set[int]:
    """Where one unit is told (issue 22's message budget): its registered groups (address -> channel) and
    its focal points' chosen addresses (person -> (address, channel)). One copy by default: the group when
    the unit has one, else each focal point; a focal point whose address is on a channel none of the
    unit's groups is on (reachable only on Zalo, the group on Telegram) gets their own. `every_member`
    (UNIT_NOTICES_TO=everyone): the group and every focal point."""
    if every_member or not groups:
        return set(groups) | {address for address, _ in people.values()}
    channels = set(groups.values())
    return set(groups) | {address for address, channel in people.values() if channel not in channels}


async def unit_people_and_groups(session: AsyncSession, unit_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """A unit's active focal points (people) and its reachable registered groups (addresses)."""
    ids = list(set(unit_ids))
    if not ids:
        return set(), set()
    people = await session.scalars(
        select(Person.id).where(Person.unit_id.in_(ids), Person.role == FOCAL, Person.active.is_(True)))
    groups = await session.scalars(
        select(Address.id).where(Address.unit_id.in_(ids), Address.kind == "group", Address.reachable.is_(True)))
    return set(people), set(groups)


async def office_people(session: AsyncSession) -> set[int]:
    return set(await session.scalars(select(Person.id).where(Person.role == ADMIN, Person.active.is_(True))))


async def heard_units(session: AsyncSession, unit_ids: list[int]) -> set[int]:
    """The units among these that someone hears from the bot for: an active focal point reachable somewhere,
    or a registered group."""
    if not unit_ids:
        return set()
    people = await session.scalars(select(Person.unit_id).join(Address, Address.person_id == Person.id)
                                   .where(Person.unit_id.in_(unit_ids), Person.role == FOCAL, Person.active.is_(True),
                                          Address.kind == "private", Address.reachable.is_(True)))
    groups = await session.scalars(select(Address.unit_id).where(
        Address.unit_id.in_(unit_ids), Address.kind == "group", Address.reachable.is_(True)))
    return {u for u in (*people, *groups) if u is not None}


def _best(addresses: list[tuple[int, str, bool, str | None]]) -> tuple[int, bool, str] | None:
    """A person's address for a notice among their private ones (id, channel, reachable, preferred channel):
    a reachable one first, on the preferred channel first, the oldest first; None when they have none."""
    if not addresses:
        return None
    address_id, channel, reachable, _ = min(addresses, key=lambda a: (not a[2], a[1] != (a[3] or a[1]), a[0]))
    return address_id, reachable, channel


class Directory:
    """The same look-ups, read once per transaction: a use case resolves several audiences (each reminder
    kind, each notice) over the same few units and people, and a card asks who hears its units."""

    def __init__(self, session: AsyncSession, *, every_member: bool = False) -> None:
        self.session = session
        self.every_member = every_member
        self._members: dict[int, tuple[set[int], set[int]]] = {}
        self._group_channel: dict[int, str] = {}
        self._office: set[int] | None = None
        self._chosen: dict[int, tuple[int, bool, str] | None] = {}
        self._expected: tuple[set[int], set[int], bool] = (set(), set(), False)

    async def members(self, unit_ids: Iterable[int]) -> tuple[set[int], set[int]]:
        """The units' active focal points and their reachable registered groups. The focal points' own
        addresses come in the same statement (a notice to a unit goes to them next: `chosen`)."""
        ids = set(unit_ids)
        await self.prepare(ids, ())
        people: set[int] = set()
        groups: set[int] = set()
        for unit in ids:
            people |= self._members[unit][0]
            groups |= self._members[unit][1]
        return people, groups

    async def prepare(self, unit_ids: Iterable[int], person_ids: Iterable[int | None], *,
                      office: bool = False) -> None:
        """Read in one statement what an audience needs and this transaction has not read yet: the units'
        focal points with their private addresses and the units' groups (`members`), these people's private
        addresses (`chosen`), and the office's people with theirs (`office`)."""
        units = [u for u in set(unit_ids) if u not in self._members]
        people = [p for p in {p for p in person_ids if p is not None} if p not in self._chosen]
        office = office and self._office is None
        if not (units or people or office):
            return
        # What the directive being changed will likely need next comes in the same statement.
        units += [u for u in self._expected[0] if u not in self._members and u not in units]
        people += [p for p in self._expected[1] if p not in self._chosen and p not in people]
        office = office or (self._expected[2] and self._office is None)
        self._expected = (set(), set(), False)
        private = (Address.person_id == Person.id) & (Address.kind == "private")
        parts: list[Any] = []
        if units:
            for unit in units:
                self._members[unit] = (set(), set())
            parts.append(select(literal("p").label("what"), Person.id.label("id"), Person.unit_id.label("unit_id"),
                                Address.id.label("address_id"), Address.channel.label("channel"),
                                Address.reachable.label("reachable"), Person.preferred_channel.label("preferred"))
                         .outerjoin(Address, private)
                         .where(Person.unit_id.in_(units), Person.role == FOCAL, Person.active.is_(True)))
            parts.append(select(literal("g"), Address.id, Address.unit_id, cast(null(), Integer),
                                Address.channel, cast(null(), Boolean), cast(null(), String))
                         .where(Address.unit_id.in_(units), Address.kind == "group", Address.reachable.is_(True)))
        if people or office:
            for person in people:
                self._chosen[person] = None  # unless an active person with an address is found
            wanted: list[Any] = [Person.id.in_(people)] if people else []
            if office:
                wanted.append(Person.role == ADMIN)
            what: Any = case((Person.role == ADMIN, literal("o")), else_=literal("q")) if office else literal("q")
            parts.append(select(what, Person.id, Person.unit_id, Address.id, Address.channel, Address.reachable,
                                Person.preferred_channel)
                         .outerjoin(Address, private).where(Person.active.is_(True), or_(*wanted)))
        query: Any = union_all(*parts) if len(parts) > 1 else parts[0]
        if office:
            self._office = set()
        addresses: dict[int, list[tuple[int, str, bool, str | None]]] = {}
        rows: list[Any] = list(await self.session.execute(query))
        for what, key, unit_id, address_id, channel, reachable, preferred in rows:
            if what == "g":
                self._members[unit_id or 0][1].add(key)
                self._group_channel[key] = channel
                continue
            if what == "p":
                self._members[unit_id or 0][0].add(key)
            elif what == "o" and self._office is not None:
                self._office.add(key)
            found = addresses.setdefault(key, [])
            if address_id is not None and (address_id, channel, bool(reachable), preferred) not in found:
                found.append((address_id, channel, bool(reachable), preferred))
        for person, found in addresses.items():
            if self._chosen.get(person) is None:
                self._chosen[person] = _best(found)

    def expect(self, unit_ids: Iterable[int | None], person_ids: Iterable[int | None], *, office: bool) -> None:
        """A hint: these are likely asked for in this transaction (a directive's units, who assigned it, the
        office), so the first look-up that reads anything reads them too (one statement, not one each)."""
        self._expected = ({u for u in unit_ids if u is not None}, {p for p in person_ids if p is not None},
                          office)

    async def office(self) -> set[int]:
        if self._office is None:
            self._office = await office_people(self.session)
        return self._office

    async def unit_addresses(self, unit_ids: Iterable[int], *, exclude_person: int | None = None,
                             reachable_only: bool = True) -> set[int]:
        """Where each of these units is told (`unit_copies`), without `exclude_person`'s own address."""
        found: set[int] = set()
        await self.members(set(unit_ids))  # one statement for all of them
        for unit in set(unit_ids):
            people, groups = await self.members({unit})
            chosen = await self._chosen_with_channel(people - {exclude_person} if exclude_person else people)
            reached = {person: (address, channel) for person, (address, reachable, channel) in chosen.items()
                       if reachable or not reachable_only}
            found |= unit_copies({g: self._group_channel[g] for g in groups}, reached, every_member=self.every_member)
        return found

    async def chosen(self, person_ids: Iterable[int | None]) -> dict[int, tuple[int, bool]]:
        """Each person's address for a notice (chosen_addresses' rule) and whether it is reachable."""
        return {p: (address, reachable) for p, (address, reachable, _) in
                (await self._chosen_with_channel(person_ids)).items()}

    async def _chosen_with_channel(self, person_ids: Iterable[int | None]) -> dict[int, tuple[int, bool, str]]:
        ids = {p for p in person_ids if p is not None}
        missing = [p for p in ids if p not in self._chosen]
        if missing:
            rows = await self.session.execute(
                select(Address.id, Address.person_id, Address.channel, Address.reachable, Person.preferred_channel)
                .join(Person, Person.id == Address.person_id)
                .where(Address.person_id.in_(missing), Address.kind == "private", Person.active.is_(True)))
            found: dict[int, list[tuple[int, str, bool, str | None]]] = {}
            for address_id, person_id, channel, reachable, preferred in rows:
                assert person_id is not None
                found.setdefault(person_id, []).append((address_id, channel, reachable, preferred))
            for person in missing:
                self._chosen[person] = _best(found.get(person, []))
        return {p: chosen for p in ids if (chosen := self._chosen[p]) is not None}

    async def heard(self, unit_ids: Iterable[int]) -> set[int]:
        """The units among these someone hears from the bot for: a reachable group, or an active focal
        point with a reachable address."""
        ids = set(unit_ids)
        await self.members(ids)
        found = set()
        for unit in ids:
            people, groups = self._members[unit]
            if groups or any(reachable for _, reachable in (await self.chosen(people)).values()):
                found.add(unit)
        return found
