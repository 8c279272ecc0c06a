"""The unit of work on SQLAlchemy (SQLite and PostgreSQL): the repositories `bot.services.ports` names.

A directive is loaded as its ORM row and handed out as the aggregate (`bot.domain.directive.Directive`);
`save` writes the aggregate back to the row it came from. The derived rows — the assignment rows' copies
of the directive's state and dates, and the report tallies — are written by `refresh`, which the use
cases call explicitly after every change (bot.services.lifecycle); nothing writes them behind the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Table,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, attributes, joinedload, selectinload

from bot.domain import directive as dom
from bot.domain import events as ev
from bot.domain.leaders import Leader
from bot.domain.lifecycle import State, phase_of
from bot.domain.people import person_name
from bot.domain.reminders import ESCALATION, REMINDER_KINDS, Policy
from bot.domain.tally import Dates
from bot.errors import DomainError
from bot.services import ports
from storage import history, pending, read_model, tallies
from storage.addressing import Directory
from storage.leaders import leader_directory
from storage.models import (
    WAITING,
    WORKING_STATES,
    Assignment,
    Attachment,
    Directive,
    Event,
    ExtensionRequest,
    MessageOrigin,
    Outbox,
    OutboxHistory,
    Person,
    Sequence,
    Unit,
)

_FIELDS = ("content", "deadline", "due_on", "original_deadline", "deadline_version", "recurrence", "source_number",
           "source_date", "leader_name", "assigned_by_id", "previous_id", "assigned_on", "reported_on",
           "completed_on", "cancelled_on", "cancel_reason")
_PART_FIELDS = ("role", "acknowledged_at", "reported_done_at", "last_report", "last_report_at")
KEY_CHUNK = 500
WAITING_STATUSES = ("pending", "unreachable")
OUTBOX_CHUNK = 1000  # rows per INSERT (PostgreSQL: 11 parameters each, under its 32,767)  # storage.models.WAITING


def marks_of(d: dom.Directive) -> dict[str, Any] | None:
    """A directive's report marks, with the units and the leader they count for (storage/tallies.py)."""
    return tallies.signature(Dates(d.assigned_on, d.due_on, d.reported_on, d.completed_on, d.cancelled_on),
                             [(p.unit_id, p.role) for p in d.parts if p.unit_id is not None],
                             (d.leader_name, d.assigned_by_id))


def to_domain(row: Directive, pending: ExtensionRequest | None = None) -> dom.Directive:
    """The aggregate of a stored directive (its assignments loaded with their units)."""
    parts = [dom.Part(a.unit.code, a.role, a.unit_id, a.acknowledged_at, a.reported_done_at, a.last_report,
                      a.last_report_at) for a in row.assignments]
    extension = None
    if pending is not None:
        code = next((p.unit for p in parts if p.unit_id == pending.unit_id), str(pending.unit_id))
        extension = dom.Extension(code, pending.new_deadline, pending.old_deadline, pending.reason,
                                  pending.requested_by, pending.requested_at, pending.id, pending.status,
                                  pending.decided_by, pending.decided_at, pending.decision_note)
    d = dom.Directive(code=row.code, content=row.content, state=State(row.state), parts=parts, extension=extension,
                      import_key=row.import_key, questions=tuple(row.questions or ()), id=row.id,
                      version=row.version)
    for name in _FIELDS:
        setattr(d, name, getattr(row, name))
    return d


class SqlPeople:
    def __init__(self, session: AsyncSession, units: SqlUnits | None = None) -> None:
        self.session = session
        self.units = units
        self._names: dict[int, str] = {}  # names this transaction has read already (the actor, an assigner)
        self._leads: dict[int, bool] = {}  # and whether each is a leader
        self._actors: dict[int, ports.Person] = {}  # the active people this transaction has read already

    async def actor(self, person_id: int, *, units: Iterable[str] = ()) -> ports.Person:
        wanted = [c for c in dict.fromkeys(units) if self.units is None or not self.units.knows(c)]
        if person_id in self._actors and not wanted:
            return self._actors[person_id]
        if wanted and self.units is not None:
            # The person and the units they name in one statement (a row per unit found, or one without).
            named = aliased(Unit)
            rows = (await self.session.execute(
                select(Person.id, Person.role, Person.full_name, Person.title, Person.unit_id, Person.active,
                       Unit.code, Unit.name, named.id, named.code, named.name)
                .outerjoin(Unit, Unit.id == Person.unit_id)
                .outerjoin(named, named.code.in_(wanted) & named.active.is_(True))
                .where(Person.id == person_id))).all()
            self.units.found(wanted, [ports.UnitRef(r[8], r[9], r[10]) for r in rows if r[8] is not None])
            if not rows or not rows[0].active:
                raise DomainError("auth.not_registered")
            r = rows[0]
            found = ports.Person(r[0], r[1], r[2], r[4], r[6], r[7], r[5])
            self.keep(found, person_name(r[2], r[3]))
            return found
        if person_id in self._actors:
            return self._actors[person_id]
        person = await self.session.get(Person, person_id)
        if person is None or not person.active:
            raise DomainError("auth.not_registered")
        unit = person.unit
        found = ports.Person(person.id, person.role, person.full_name, person.unit_id, unit.code if unit else None,
                             unit.name if unit else None, person.active)
        self.keep(found, person_name(person.full_name, person.title))
        return found

    def keep(self, person: ports.Person, name: str) -> None:
        """An active person read in this transaction (with a directive: `SqlDirectives.get_as`)."""
        self._actors[person.id] = person
        self._names[person.id] = name
        self._leads[person.id] = person.role == "leader"

    def remember(self, person_id: int, name: str, role: str) -> None:
        self._names[person_id], self._leads[person_id] = name, role == "leader"

    async def name(self, person_id: int | None) -> str | None:
        if person_id is None:
            return None
        if person_id not in self._names:
            found = (await self.session.execute(
                select(Person.full_name, Person.title, Person.role).where(Person.id == person_id))).first()
            if found is None:
                return None
            self.remember(person_id, person_name(found.full_name, found.title), found.role)
        return self._names[person_id]

    async def directing(self, person_id: int | None) -> str | None:
        name = await self.name(person_id)
        return name if person_id is not None and self._leads.get(person_id) else None

    async def leaders(self) -> list[Leader]:
        return await leader_directory(self.session)



class SqlUnits:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._names: dict[str, str] = {}
        self._active: dict[str, ports.UnitRef | None] = {}  # read in this transaction: active, or not (None)

    def knows(self, code: str) -> bool:
        return code in self._active

    def found(self, codes: Iterable[str], units: Iterable[ports.UnitRef]) -> None:
        """What a read of these codes found (the active units among them)."""
        self._active.update(dict.fromkeys(codes))
        for unit in units:
            self._active[unit.code] = unit
            self._names[unit.code] = unit.name

    async def active(self, codes: Iterable[str]) -> list[ports.UnitRef]:
        wanted = list(dict.fromkeys(codes))
        missing = [c for c in wanted if c not in self._active]
        if missing:
            self.found(missing, [ports.UnitRef(*row) for row in await self.session.execute(
                select(Unit.id, Unit.code, Unit.name).where(Unit.code.in_(missing), Unit.active.is_(True)))])
        return [unit for c in wanted if (unit := self._active[c]) is not None]

    def remember(self, names: Iterable[tuple[str, str]]) -> None:
        self._names.update(names)

    async def names(self, codes: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(codes))
        missing = [c for c in wanted if c not in self._names]
        if missing:
            self._names.update((await self.session.execute(select(Unit.code, Unit.name)
                                                           .where(Unit.code.in_(missing)))).all())
        return {c: self._names[c] for c in wanted if c in self._names}


# A directive, its units, a pending extension request, and for its card the name of who assigned it and
# whether it has files, in one statement (built once: it is the load of every move and card).
_ASSIGNER = aliased(Person)
# Whether reminders wait to be sent (or held) for it: a move that voids them skips the UPDATE when none do.
_REMINDERS_WAIT = exists().where(Outbox.directive_id == Directive.id, Outbox.status.in_(WAITING_STATUSES),
                                 Outbox.kind.in_(REMINDER_KINDS)).correlate(Directive)
_LOAD = (select(Directive, ExtensionRequest, _ASSIGNER.full_name, _ASSIGNER.title, _ASSIGNER.role,
                exists().where(Attachment.directive_id == Directive.id).correlate(Directive), _REMINDERS_WAIT)
         .where(Directive.code == bindparam("code"))
         .outerjoin(ExtensionRequest, (ExtensionRequest.directive_id == Directive.id)
                    & (ExtensionRequest.status == "pending"))
         .outerjoin(_ASSIGNER, _ASSIGNER.id == Directive.assigned_by_id)
         .options(joinedload(Directive.assignments).joinedload(Assignment.unit)))
# The same with the person who acts and their unit (one statement for who acts and on what: every move).
_ACTOR, _ACTOR_UNIT = aliased(Person), aliased(Unit)
_LOAD_AS = (_LOAD.add_columns(_ACTOR.id, _ACTOR.role, _ACTOR.full_name, _ACTOR.title, _ACTOR.unit_id, _ACTOR.active,
                              _ACTOR_UNIT.code, _ACTOR_UNIT.name)
            .outerjoin(_ACTOR, _ACTOR.id == bindparam("actor"))
            .outerjoin(_ACTOR_UNIT, _ACTOR_UNIT.id == _ACTOR.unit_id))


class SqlDirectives:
    def __init__(self, session: AsyncSession, units: SqlUnits | None = None, people: SqlPeople | None = None) -> None:
        self.session = session
        self.units = units
        self.people = people
        self._files: dict[str, bool] = {}  # whether a directive `get` loaded had files then
        self.rows: dict[str, Directive] = {}  # what `get` loaded: `save` writes back to it
        self.tallied: dict[str, dict[str, Any] | None] = {}  # the marks a saved row had added before
        self.requests: dict[int, ExtensionRequest] = {}
        self.outbox: SqlOutbox | None = None  # told which directives have no reminders waiting

    async def get(self, code: str, *, version: int | None = None, round: str | None = None) -> dom.Directive:
        found = (await self.session.execute(_LOAD, {"code": code})).unique().first()
        if found is None:
            raise DomainError("directive.not_found", code=code)
        return await self._loaded(found[:7], version, round)

    async def get_as(self, actor_id: int, code: str, *, version: int | None = None,
                     round: str | None = None) -> tuple[ports.Person, dom.Directive]:
        """The person who acts (active, or refused as unregistered) and the directive, in one statement."""
        found = (await self.session.execute(_LOAD_AS, {"code": code, "actor": actor_id})).unique().first()
        if found is None:
            assert self.people is not None
            await self.people.actor(actor_id)  # an unknown person is refused as such before a missing directive
            raise DomainError("directive.not_found", code=code)
        person_id, role, full_name, title, unit_id, active, unit_code, unit_name = found[7:]
        if person_id is None or not active:
            raise DomainError("auth.not_registered")
        person = ports.Person(person_id, role, full_name, unit_id, unit_code, unit_name, active)
        if self.people is not None:
            self.people.keep(person, person_name(full_name, title))
        directive = await self._loaded(found[:7], version, round)
        if self.outbox is not None:  # whom a move tells: read together at its first look-up of an address
            self.outbox.directory.expect((p.unit_id for p in directive.parts), (directive.assigned_by_id,),
                                         office=True)
        return person, directive

    async def _loaded(self, found: Any, version: int | None, round: str | None) -> dom.Directive:
        row, pending, assigned_by, title, role, files, waiting = found
        self._files[row.code] = bool(files)
        if not waiting and self.outbox is not None:
            self.outbox.quiet.add(row.id)
        if self.people is not None and row.assigned_by_id is not None and assigned_by is not None:
            self.people.remember(row.assigned_by_id, person_name(assigned_by, title), role)
        if version is not None and row.version != version:
            raise DomainError("action.stale")
        self.rows[row.code] = row
        if self.units is not None:
            self.units.remember((a.unit.code, a.unit.name) for a in row.assignments)
        if pending is not None:
            self.requests[pending.id] = pending
        directive = to_domain(row, pending)
        if round is not None and await self.round_of(directive) != round:
            raise DomainError("action.superseded", code=row.code)
        return directive

    def without_files(self, code: str) -> bool:
        """True when the directive had no files as this transaction loaded it (so its card need not look)."""
        return self._files.get(code) is False

    async def by_id(self, directive_id: int) -> dom.Directive | None:
        code = await self.session.scalar(select(Directive.code).where(Directive.id == directive_id))
        return await self.get(code) if code is not None else None

    async def round_of(self, directive: dom.Directive) -> str:
        """Where the directive's life stands, as a typed answer must find it: the last event that began a
        round and the phase (being worked on, awaiting confirmation, done …)."""
        last = await self.session.scalar(select(func.coalesce(func.max(Event.id), 0)).where(
            Event.directive_id == directive.id, Event.kind.in_(ev.ROUND_KINDS)))
        return f"{last or 0}:{phase_of(directive.state)}"

    async def next_code(self, year: int) -> str:
        """The next code of the year's counter; row-locked by the UPDATE so concurrent writers never share one."""
        return dom.code_for(year, await self._next(f"directive-{year}"))

    async def next_draft_code(self) -> str:
        """A draft's own short number, from a counter of its own («Nháp 12»)."""
        return dom.draft_code(await self._next("draft"))

    async def _next(self, name: str) -> int:
        """One statement, the year's first code included: the counter's row is made or bumped (and row-locked
        until the transaction ends, on both databases)."""
        dialect = self.session.get_bind().dialect.name
        table = _table(Sequence)
        upsert = (sqlite_insert if dialect == "sqlite" else pg_insert)(table).values(name=name, value=1)
        bump = upsert.on_conflict_do_update(index_elements=["name"], set_={"value": table.c.value + 1})
        value = await self.session.scalar(bump.returning(table.c.value))
        assert value is not None
        return value

    async def add(self, d: dom.Directive, at: datetime) -> None:
        row = Directive(code=d.code, content=d.content, search_text=dom.search_text(d), state=d.state.value,
                        import_key=d.import_key, created_at=at, updated_at=at, tally=marks_of(d),
                        questions=list(d.questions) or None)
        self.tallied[d.code] = None  # what it added to the tallies before: nothing
        for name in _FIELDS:
            setattr(row, name, getattr(d, name))
        self.session.add(row)
        await self.session.flush()
        # Its units in one INSERT (several rows, whatever the database), each with its copies of the
        # directive's state and dates at once.
        copies = read_model.copies(row)
        made = {a.unit_id: a for a in await self.session.scalars(
            insert(Assignment).returning(Assignment, sort_by_parameter_order=False),
            [{"directive_id": row.id, "unit_id": p.unit_id, "role": p.role, **copies} for p in d.parts])} \
            if d.parts else {}
        attributes.set_committed_value(row, "assignments", [made[p.unit_id] for p in d.parts if p.unit_id is not None])
        self.rows[d.code] = row
        self._files[d.code] = False  # a new directive has no files yet
        if self.outbox is not None:
            self.outbox.quiet.add(row.id)  # nor reminders
            self.outbox.directory.expect((p.unit_id for p in d.parts), (d.assigned_by_id,), office=True)
        d.id, d.version = row.id, row.version

    async def save(self, d: dom.Directive, at: datetime) -> None:
        """Write the aggregate back to its row: changed fields, assignments, the extension request (and its
        code, when a draft took its directive code)."""
        row = self.rows.get(d.code) or next(r for r in self.rows.values() if r.id == d.id)
        if row.code != d.code:
            self.rows.pop(row.code, None)
            self.tallied.setdefault(d.code, self.tallied.pop(row.code, None))
            row.code = d.code
            row.search_text = dom.search_text(d)
            self.rows[d.code] = row
        search = row.search_text if (row.content, row.source_number) == (d.content, d.source_number) \
            else dom.search_text(d)
        # The report marks go in the same UPDATE (one version bump); `refresh` adds their difference to the
        # tallies.
        self.tallied[d.code] = row.tally
        for name, value in (("state", d.state.value), ("search_text", search), ("updated_at", at),
                            ("tally", marks_of(d)), ("questions", list(d.questions) or None),
                            *((name, getattr(d, name)) for name in _FIELDS)):
            if getattr(row, name) != value:
                setattr(row, name, value)
        current = {a.unit_id: a for a in row.assignments}
        wanted = {p.unit_id: p for p in d.parts}
        for unit_id, assignment in current.items():
            if unit_id not in wanted:
                row.assignments.remove(assignment)
            else:
                for name in _PART_FIELDS:
                    if getattr(assignment, name) != getattr(wanted[unit_id], name):
                        setattr(assignment, name, getattr(wanted[unit_id], name))
        if any(unit_id not in current for unit_id in wanted):
            await self.session.flush()  # a unit that leaves frees its row before another takes its place
            row.assignments += [Assignment(unit_id=unit_id, **{name: getattr(p, name) for name in _PART_FIELDS})
                                for unit_id, p in wanted.items() if unit_id not in current]
        for assignment in row.assignments:  # their copies of its state and dates, in the same UPDATE
            read_model.copy_to(assignment, row)
        _same_columns(row.assignments)
        self._save_extension(d, row)
        await self.session.flush()
        d.version = row.version
        if d.extension is not None and d.extension.id is None:
            d.extension.id = self._new_request.id if self._new_request is not None else None

    _new_request: ExtensionRequest | None = None

    def _save_extension(self, d: dom.Directive, row: Directive) -> None:
        request = d.extension
        self._new_request = None
        if request is None:
            return
        if request.id is None:
            unit_id = next(p.unit_id for p in d.parts if p.unit == request.unit)
            self._new_request = ExtensionRequest(
                directive_id=row.id, unit_id=unit_id, requested_by=request.requested_by,
                requested_at=request.requested_at, old_deadline=request.old_deadline,
                new_deadline=request.new_deadline, reason=request.reason, status=request.status)
            self.session.add(self._new_request)
            return
        stored = self.requests[request.id]
        stored.status, stored.decided_by = request.status, request.decided_by
        stored.decided_at, stored.decision_note = request.decided_at, request.decision_note

    async def has_successor(self, d: dom.Directive) -> bool:
        return await self.session.scalar(select(Directive.id).where(Directive.previous_id == d.id)) is not None

    async def original_deadline(self, directive_id: int | None) -> date | None:
        if directive_id is None:
            return None
        return await self.session.scalar(select(Directive.original_deadline).where(Directive.id == directive_id))

    async def recurring_due(self, today: date) -> list[str]:
        following = aliased(Directive)
        found = await self.session.scalars(select(Directive.code).where(
            Directive.recurrence.is_not(None),
            Directive.state.in_([s.value for s in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING)]),
            Directive.due_on < today, ~select(following.id).where(following.previous_id == Directive.id).exists()))
        return list(found)

    async def working_for_unit(self, unit_id: int) -> list[dom.Directive]:
        """The unit's directives being worked on whose part is not reported done (a few queries, whatever
        their number)."""
        rows = await self.session.scalars(
            select(Directive).join(Assignment, Assignment.directive_id == Directive.id)
            .where(Assignment.unit_id == unit_id, Assignment.is_open.is_(True),
                   Assignment.reported_done_at.is_(None), text(f"assignments.{WORKING_STATES}"))
            .options(selectinload(Directive.assignments)))
        return [to_domain(row) for row in rows]


def _same_columns(assignments: list[Assignment]) -> None:
    """The assignment rows that changed, all written with the same columns, so that the flush sends one
    UPDATE for all of them (executemany) rather than one per set of columns."""
    changed: dict[int, set[str]] = {}
    for index, assignment in enumerate(assignments):
        state = inspect(assignment)
        if state.persistent:
            names = {attr.key for attr in state.attrs if attr.key in _ASSIGNMENT_COLUMNS
                     and attr.history.has_changes()}
            if names:
                changed[index] = names
    if len(changed) < 2:
        return
    every = set().union(*changed.values())
    for index, names in changed.items():
        for name in every - names:
            attributes.flag_modified(assignments[index], name)


_ASSIGNMENT_COLUMNS = frozenset((*_PART_FIELDS, *read_model.COPIED, "is_open", "due_sort"))


class SqlLog:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def append(self, d: dom.Directive, event: ev.Event) -> int:
        row = Event(directive_id=d.id, actor_id=event.actor_id, at=event.at, kind=event.kind, data=event.data())
        self.session.add(row)
        await self.session.flush()
        return row.id


class SqlFiles:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.added = False  # files kept in this transaction

    async def keep(self, d: dom.Directive, event_id: int, unit: str, person_id: int | None,
                   files: list[ports.FileRef], at: datetime) -> list[ports.Kept]:
        unit_id = next((p.unit_id for p in d.parts if p.unit == unit), None)
        kept = [Attachment(directive_id=d.id, event_id=event_id, unit_id=unit_id, person_id=person_id, kind=f.kind,
                           file_id=f.file_id, file_unique_id=f.file_unique_id[:128], file_name=f.name,
                           mime_type=(f.mime_type or "")[:128] or None, file_size=f.size, created_at=at)
                for f in files]
        self.session.add_all(kept)
        self.added = self.added or bool(kept)
        await self.session.flush()
        return [ports.Kept(a.id, a.kind, a.file_name) for a in kept]


async def refresh_row(session: AsyncSession, row: Directive) -> None:
    """What is derived from a directive's row, written after it changed: its assignments' copies of its state
    and dates, and the difference its report marks make to the tallies. The repository calls it after each
    change; code that writes directive rows itself (a bulk load, a test) calls it, or `refresh_all`."""
    if row.id is None or any(a.id is None for a in row.assignments):
        await session.flush()
    for assignment in row.assignments:
        read_model.copy_to(assignment, row)
    dates = Dates(row.assigned_on, row.due_on, row.reported_on, row.completed_on, row.cancelled_on)
    units = [(a.unit_id, a.role) for a in row.assignments]
    new = tallies.signature(dates, units, (row.leader_name, row.assigned_by_id))
    if new == row.tally:
        return
    await tallies.write_async(session, tallies.differences(row.tally, new))
    # Written past the ORM so the directive's version (its buttons' claim) is not bumped by bookkeeping.
    await session.execute(update(Directive).where(Directive.id == row.id).values(tally=new)
                          .execution_options(synchronize_session=False))
    attributes.set_committed_value(row, "tally", new)


async def forget_row(session: AsyncSession, row: Directive) -> None:
    """A directive row about to be deleted takes its marks out of the tallies."""
    await tallies.write_async(session, tallies.differences(row.tally, None))


class SqlProjections:
    def __init__(self, session: AsyncSession, directives: SqlDirectives) -> None:
        self.session = session
        self.directives = directives

    async def refresh(self, d: dom.Directive) -> None:
        row = self.directives.rows[d.code]
        if d.code not in self.directives.tallied:
            await refresh_row(self.session, row)
            return
        for assignment in row.assignments:
            read_model.copy_to(assignment, row)
        await tallies.write_async(self.session, tallies.differences(self.directives.tallied.pop(d.code), row.tally))


class SqlOutbox:
    def __init__(self, session: AsyncSession, directory: Directory) -> None:
        self.session = session
        self.directory = directory
        self.quiet: set[int] = set()  # directives known to have no reminders waiting (loaded so, or new)
        self._held: list[tuple[ports.Row, dom.Directive | None, datetime]] | None = None
        self._holds = 0

    async def addresses(self, audience: ports.Audience, *, exclude_person: int | None = None,
                        reachable_only: bool = True) -> set[int]:
        people = set(audience.people)
        # Every address look-up of the audience in one statement (the units' people and groups, the office).
        await self.directory.prepare(audience.units, people, office=audience.office)
        units = await self.directory.unit_addresses(audience.units, exclude_person=exclude_person,
                                                    reachable_only=reachable_only)
        if audience.office:
            people |= await self.directory.office()
        chosen = await self.directory.chosen(people - {exclude_person})
        return units | {address for address, reachable in chosen.values() if reachable or not reachable_only}

    def hold(self) -> None:
        """New rows wait until `release` (the end of a move: `bot.services.lifecycle.publish`), so that a
        move's notices and reminders are written in one INSERT, and queued in one more."""
        self._holds += 1
        if self._held is None:
            self._held = []

    async def release(self, *, write: bool = True) -> None:
        """The end of a hold: the rows held are written when the outermost one ends (`write=False`: a move
        that failed, whose transaction does not commit, writes nothing)."""
        self._holds -= 1
        if not write:
            self._held, self._holds = None, 0
        elif self._holds <= 0:
            await self._write_held()
            self._held, self._holds = None, 0

    async def _write_held(self) -> None:
        """What is held, written now (before a statement that reads or changes the outbox)."""
        held = self._held
        if held:
            self._held = []
            await self._insert([_outbox_row(r, d, at) for r, d, at in held], {r.key for r, _, _ in held if r.later})

    async def _insert(self, values: list[dict[str, Any]], later: set[str]) -> None:
        """A key written before keeps its row: the database skips it, no look-up first; a key twice among
        the rows: the first one. The keys in `later`: notices that may wait (queued as `pending.LATER`)."""
        unique: dict[str, dict[str, Any]] = {}
        for value in values:
            unique.setdefault(value["key"], value)
        values = list(unique.values())
        dialect = self.session.get_bind().dialect.name
        # The rows written go into the queue of rows to send (storage.pending); a key skipped does not.
        # A key sent before and moved to the history is skipped too, in the same INSERT (storage.history).
        if dialect == "postgresql":  # both in one statement: INSERT … RETURNING feeds the queue's INSERT
            for start in range(0, len(values), OUTBOX_CHUNK):
                await self.session.execute(pending.written_and_queued(history.unsent_only(dialect), later),
                                           history.new_rows(dialect, values[start:start + OUTBOX_CHUNK]))
            return
        written = []
        for start in range(0, len(values), OUTBOX_CHUNK):
            written += list(await self.session.execute(
                history.unsent_only(dialect).returning(*pending.WRITTEN),
                history.new_rows(dialect, values[start:start + OUTBOX_CHUNK])))
        # A directive's audience is units' and people's addresses: never the operations chat's alerts.
        await pending.enqueue(self.session, written, later=later)

    async def add(self, rows: list[ports.Row], d: dom.Directive | None, at: datetime, *,
                  revive: bool = False) -> int:
        """The rows whose keys are new (a key written before stays as it is, unless `revive`: held or voided
        for an address that left, it is pending again with this row's time and text)."""
        if not rows:
            return 0
        if d is not None and d.id is not None and any(r.kind in REMINDER_KINDS for r in rows):
            self.quiet.discard(d.id)
        if not revive:
            if self._held is not None:
                self._held += [(r, d, at) for r in rows]
            else:
                await self._insert([_outbox_row(r, d, at) for r in rows], {r.key for r in rows if r.later})
            return len(rows)
        await self._write_held()
        wanted = {row.key: row for row in rows}
        keys = list(wanted)
        existing: dict[str, str] = {}
        for start in range(0, len(keys), KEY_CHUNK):
            chunk = keys[start:start + KEY_CHUNK]
            existing.update((k, s) for k, s in await self.session.execute(
                select(Outbox.key, Outbox.status).where(Outbox.key.in_(chunk))))
        # Sent and moved to the history: as sent (storage.history).
        existing.update((k, "sent") for k in await history.sent_keys(self.session, sorted(set(keys) - set(existing))))
        fresh = [_outbox_row(r, d, at) for r in rows if r.key not in existing]
        if fresh:
            written = await self.session.execute(insert(_table(Outbox)).returning(*pending.WRITTEN), fresh)
            await pending.enqueue(self.session, written, later={r.key for r in rows if r.later})
        revived = [key for key, status in existing.items() if status in ("void", "unreachable")]
        again = []
        for key in revived:
            row = wanted[key]
            again += list(await self.session.scalars(update(Outbox).where(Outbox.key == key).values(
                status="pending", due_at=row.due_at, payload=row.payload, lease_until=None, last_error=None)
                .returning(Outbox.id)))
        await pending.requeue(self.session, again)
        return len(fresh) + len(revived)

    async def void_reminders(self, d: dom.Directive, *, all_versions: bool,
                             addresses: set[int] | None = None) -> None:
        """Pending reminders of an old deadline (or of a finished directive, or to a lead unit that has
        reported its part done) must never go out; rows held for an unreachable address neither. Nothing to
        do (no statement) for a directive this transaction knows has none."""
        await self._write_held()
        if d.id in self.quiet:
            return
        condition: list[Any] = [Outbox.directive_id == d.id, text(WAITING),
                                Outbox.kind.in_(REMINDER_KINDS)]
        if not all_versions:
            condition.append(Outbox.deadline_version < d.deadline_version)
        if addresses is not None:
            condition.append(Outbox.address_id.in_(addresses))
        void = update(Outbox).where(*condition).values(status="void")
        if self.session.get_bind().dialect.name == "postgresql":  # voided and out of the queue in one statement
            await self.session.execute(pending.voided_and_dequeued(void))
        else:
            await pending.dequeue(self.session, list(await self.session.scalars(void.returning(Outbox.id))))
        if all_versions and addresses is None and d.id is not None:
            self.quiet.add(d.id)

    async def escalation_sent(self, d: dom.Directive) -> bool:
        """Whether the directive's escalation went out: a sent row, in the outbox still or in its history (where
        a row with no `sent_at` was never sent: kept for its key by storage.retention)."""
        in_outbox = exists().where(Outbox.directive_id == d.id, Outbox.kind == ESCALATION, Outbox.status == "sent")
        moved = exists().where(OutboxHistory.directive_id == d.id, OutboxHistory.kind == ESCALATION,
                               OutboxHistory.sent_at.is_not(None))
        return bool(await self.session.scalar(select(or_(in_outbox, moved))))


def _outbox_row(row: ports.Row, d: dom.Directive | None, at: datetime) -> dict[str, Any]:
    return dict(key=row.key, directive_id=d.id if d else None, address_id=row.to, kind=row.kind,
                deadline_version=row.deadline_version, payload=row.payload, due_at=row.due_at, status="pending",
                attempts=0, uncertain=False, created_at=at)


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


class SqlOrigins:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remember(self, d: dom.Directive, chat_id: int, message_id: int, position: int, at: datetime) -> None:
        assert d.id is not None
        self.session.add(MessageOrigin(chat_id=chat_id, message_id=message_id, position=position, directive_id=d.id,
                                       created_at=at))

    async def of_message(self, chat_id: int, message_id: int) -> list[tuple[int, str]]:
        rows = await self.session.execute(
            select(MessageOrigin.position, Directive.code).join(Directive, Directive.id == MessageOrigin.directive_id)
            .where(MessageOrigin.chat_id == chat_id, MessageOrigin.message_id == message_id)
            .order_by(MessageOrigin.position))
        return [(position, code) for position, code in rows]

    async def previewed(self, chat_id: int, message_id: int, previews: dict[int, int]) -> None:
        """Each draft's preview id (its place in the message → the preview's id), one UPDATE for them all."""
        if not previews:
            return
        ids = case({position: literal(preview, BigInteger) for position, preview in previews.items()},
                   value=MessageOrigin.position)
        await self.session.execute(update(MessageOrigin).where(
            MessageOrigin.chat_id == chat_id, MessageOrigin.message_id == message_id,
            MessageOrigin.position.in_(list(previews))).values(preview_message_id=ids))

    async def previews(self, chat_id: int, message_id: int) -> dict[int, int]:
        rows = await self.session.execute(
            select(MessageOrigin.position, MessageOrigin.preview_message_id)
            .where(MessageOrigin.chat_id == chat_id, MessageOrigin.message_id == message_id,
                   MessageOrigin.preview_message_id.is_not(None)))
        return {position: preview for position, preview in rows if preview is not None}

    async def forget(self, chat_id: int, message_id: int, position: int) -> None:
        await self.session.execute(delete(MessageOrigin).where(
            MessageOrigin.chat_id == chat_id, MessageOrigin.message_id == message_id,
            MessageOrigin.position == position))


class SqlUnitOfWork:
    """One use case's transaction: the repositories share its session."""

    def __init__(self, session: AsyncSession, rules: dom.Rules, policy: Policy) -> None:
        self.session = session
        self.rules = rules
        self.policy = policy
        self.units = SqlUnits(session)
        self.people = SqlPeople(session, self.units)
        self.directives = SqlDirectives(session, self.units, self.people)
        self.log = SqlLog(session)
        self.files = SqlFiles(session)
        self.projections = SqlProjections(session, self.directives)
        self.directory = Directory(session, every_member=policy.every_member)
        self.outbox = SqlOutbox(session, self.directory)
        self.directives.outbox = self.outbox
        self.origins = SqlOrigins(session)

    async def card_facts(self, d: dom.Directive, *, round: bool = False) -> ports.CardFacts:
        """What a card shows beyond the directive; `round` (a query) only for a card a question is asked
        from."""
        names = await self.units.names([p.unit for p in d.parts])
        files: tuple[ports.FileView, ...] = ()
        if self.files.added or not self.directives.without_files(d.code):
            rows = await self.session.execute(
                select(Attachment, Unit.name).outerjoin(Unit, Unit.id == Attachment.unit_id)
                .where(Attachment.directive_id == d.id).order_by(Attachment.id))
            files = tuple(ports.FileView(a.id, a.kind, a.file_id, a.file_name, a.file_size, name, a.created_at)
                          for a, name in rows)
        heard = await self.directory.heard(p.unit_id for p in d.parts if p.unit_id is not None) \
            if d.state in (State.DRAFT, State.ASSIGNED, State.IN_PROGRESS) else frozenset()
        return ports.CardFacts(names, await self.people.name(d.assigned_by_id), files, frozenset(heard),
                               await self.directives.round_of(d) if round else "",
                               await self.people.directing(d.assigned_by_id))
