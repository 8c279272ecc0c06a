"""Who is reached where: a person's chosen address, a unit's people and groups, the office. SQL only;
what to send and why is the services' business."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
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

    async def members(self, unit_ids: Iterable[int]) -> tuple[set[int], set[int]]:
        """The units' active focal points and their reachable registered groups."""
        ids = set(unit_ids)
        missing = [u for u in ids if u not in self._members]
        if missing:
            for unit in missing:
                self._members[unit] = (set(), set())
            for person, person_unit in await self.session.execute(
                    select(Person.id, Person.unit_id).where(Person.unit_id.in_(missing), Person.role == FOCAL,
                                                            Person.active.is_(True))):
                self._members[person_unit or 0][0].add(person)
            for address, group_unit, channel in await self.session.execute(
                    select(Address.id, Address.unit_id, Address.channel).where(
                        Address.unit_id.in_(missing), Address.kind == "group", Address.reachable.is_(True))):
                self._members[group_unit or 0][1].add(address)
                self._group_channel[address] = channel
        people: set[int] = set()
        groups: set[int] = set()
        for unit in ids:
            people |= self._members[unit][0]
            groups |= self._members[unit][1]
        return people, groups

    async def office(self) -> set[int]:
        if self._office is None:
            self._office = await office_people(self.session)
        return self._office

    async def unit_addresses(self, unit_ids: Iterable[int], *, exclude_person: int | None = None,
                             reachable_only: bool = True) -> set[int]:
        """Where each of these units is told (`unit_copies`), without `exclude_person`'s own address."""
        found: set[int] = set()
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
            best: dict[int, tuple[tuple[bool, bool, int], int, bool, str]] = {}
            for address_id, person_id, channel, reachable, preferred in rows:
                assert person_id is not None
                rank = (not reachable, channel != (preferred or channel), address_id)
                if person_id not in best or rank < best[person_id][0]:
                    best[person_id] = (rank, address_id, reachable, channel)
            for person in missing:
                found = best.get(person)
                self._chosen[person] = (found[1], found[2], found[3]) if found else None
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
