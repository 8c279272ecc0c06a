"""The unit list: imported from the office's CSV files (data, never code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from bot.domain import directive as dom
from bot.domain.lifecycle import OPEN_STATES, State
from bot.domain.units import Unit as UnitSpec
from bot.domain.units import UnitGroup as GroupSpec
from bot.domain.units import groups_from_units, parse_groups_csv, parse_units_csv
from bot.errors import DomainError
from bot.parsing import UnitIndex
from bot.runtime import Runtime
from bot.services.common import next_number, record
from storage.models import Assignment, Directive, Sequence, Unit, UnitGroup

CATALOG_VERSION = "unit-catalog"
IDENTITIES = "identities"  # bot/services/access.py: the counter its identity cache checks


@dataclass(frozen=True)
class Catalog:
    """The active units and groups, and the parser's index of their names, as of one import."""

    version: int
    units: list[UnitSpec]
    groups: list[GroupSpec]
    index: UnitIndex


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    groups: int
    missing: tuple[str, ...] = ()  # active units the file did not list (kept: a file may be partial)


async def import_units(rt: Runtime, units_csv: str, groups_csv: str | None, *, now: datetime) -> ImportResult:
    """Create or update units and groups by code; the whole file or nothing. Without a groups file, the
    groups already known keep their names and phrases (the parser reads "các sở, ban, ngành" by them);
    only their members follow the units file."""
    units = parse_units_csv(units_csv)
    groups = parse_groups_csv(groups_csv, units) if groups_csv is not None else groups_from_units(units)
    async with rt.transaction() as session:
        existing = {u.code: u for u in await session.scalars(select(Unit))}
        created = updated = 0
        for spec in units:
            row = existing.get(spec.code)
            if row is None:
                row = Unit(code=spec.code)
                session.add(row)
                existing[spec.code] = row
                created += 1
            elif (row.name, row.kind, list(row.aliases), row.active) != (spec.name, spec.kind, list(spec.aliases), True):
                updated += 1
            row.name, row.kind, row.aliases, row.active = spec.name, spec.kind, list(spec.aliases), True
        await session.flush()
        known_groups = {g.code: g for g in await session.scalars(select(UnitGroup))}
        for group in groups:
            group_row = known_groups.get(group.code) or UnitGroup(code=group.code)
            if group_row.id is None:
                session.add(group_row)
            if groups_csv is not None or group_row.id is None:
                group_row.name, group_row.phrases = group.name, list(group.phrases)
            group_row.members = [existing[c] for c in group.members]
        await next_number(session, CATALOG_VERSION)  # every process reads the catalogue afresh
        await next_number(session, IDENTITIES)  # and who people are: their unit's name may have changed
        listed = {spec.code for spec in units}
        missing = tuple(sorted(code for code, row in existing.items() if row.active and code not in listed))
        record(session, None, None, "units_imported", now, created=created, updated=updated, groups=len(groups))
        return ImportResult(created, updated, len(groups), missing)


async def unit_catalog(rt: Runtime) -> tuple[list[UnitSpec], list[GroupSpec]]:
    """Active units and groups as domain objects, for the parser and pickers."""
    async with rt.sessions() as session:
        groups = [
            GroupSpec(g.code, g.name, tuple(g.phrases), tuple(m.code for m in g.members if m.active))
            for g in await session.scalars(select(UnitGroup).order_by(UnitGroup.id))
        ]
        units = [
            UnitSpec(u.code, u.name, u.kind, tuple(g.code for g in groups if u.code in g.members), tuple(u.aliases))
            for u in await session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.id))
        ]
        return units, groups


async def catalog(rt: Runtime) -> Catalog:
    """The unit catalogue, built once per import of the unit list (a one-row look-up tells whether any
    process has imported since), not once per message."""
    async with rt.sessions() as session:
        version = await session.scalar(select(Sequence.value).where(Sequence.name == CATALOG_VERSION)) or 0
    cached: Catalog | None = rt.cache.get(CATALOG_VERSION)
    if cached is not None and cached.version == version:
        return cached
    units, groups = await unit_catalog(rt)
    built = Catalog(version, units, groups, UnitIndex(units, groups))
    rt.cache[CATALOG_VERSION] = built
    return built


async def code_named(rt: Runtime, words: str) -> str:
    """The unit a command's words name, by code or by name as people type it ("SYT", "Sở Y tế", "so y te")."""
    index = (await catalog(rt)).index
    words = " ".join(words.split())
    code = words.upper() if words.upper() in index.units else index.resolve(words)
    if code is None or code.startswith("#"):
        raise DomainError("unit.unknown", code=words[:40])
    return code


@dataclass(frozen=True)
class MergeResult:
    retired: tuple[str, ...]
    successor: str
    moved: tuple[str, ...]  # the open directives and drafts the successor took over


MAX_RETIRED = 50


async def merge_units(rt: Runtime, retired: list[str], successor: str, *, now: datetime) -> MergeResult:
    """Retire units into their successor (communes merged, a department absorbed), in one transaction: each
    open directive or draft they take part in passes to the successor (an event in its history, its progress
    kept, its reminders going to the successor's people); closed work keeps naming the retired units, which
    stay in the list as inactive so that history and reports still read their names; their names become
    aliases of the successor, so a text that still uses them is understood."""
    from bot.services import lifecycle  # the use cases import this module for the catalogue

    codes = tuple(dict.fromkeys(c.strip().upper() for c in retired if c.strip()))
    target = successor.strip().upper()
    if not codes or len(codes) > MAX_RETIRED:
        raise DomainError("unit.merge_none")
    if target in codes:
        raise DomainError("unit.merge_into_itself", code=target[:32])
    async with rt.transaction() as session:
        rows = {u.code: u for u in await session.scalars(select(Unit).where(Unit.code.in_([*codes, target])))}
        for code in (*codes, target):
            if code not in rows or not rows[code].active:
                raise DomainError("unit.unknown", code=code[:32])
        open_states = [s.value for s in (*OPEN_STATES, State.DRAFT)]
        found = await session.scalars(
            select(Directive.code).join(Assignment, Assignment.directive_id == Directive.id)
            .where(Assignment.unit_id.in_([rows[c].id for c in codes]), Directive.state.in_(open_states))
            .distinct().order_by(Directive.code))
        uow = rt.uow_on(session)
        moved = []
        for code in list(found):
            directive = await uow.directives.get(code)
            happened = dom.merge_units(directive, codes, target, now)
            if not happened:
                continue
            for part in directive.parts:
                if part.unit == target:
                    part.unit_id = rows[target].id
            await lifecycle.publish(lifecycle.Change(uow, directive, None), happened)
            moved.append(code)
        heir = rows[target]
        names = [n for c in codes for n in (rows[c].name, *rows[c].aliases)]
        heir.aliases = list(dict.fromkeys([*heir.aliases, *(n for n in names if n != heir.name)]))
        for code in codes:
            rows[code].active = False
        await next_number(session, CATALOG_VERSION)  # every process reads the catalogue afresh
        record(session, None, None, "units_merged", now, retired=list(codes), successor=target, moved=len(moved))
        return MergeResult(codes, target, tuple(moved))
