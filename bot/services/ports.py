"""What the use cases that change a directive need of storage: one unit of work per use case, with the
repositories below. `storage/repository.py` implements them on SQLAlchemy (SQLite, PostgreSQL);
`tests/unit/memory.py` in memory, so the whole lifecycle is tested without a database.

Only plain values cross: the aggregate (`bot.domain.directive.Directive`), ids, codes and the small
records below."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from bot.domain import events as ev
from bot.domain.directive import Directive, Rules
from bot.domain.leaders import Leader
from bot.domain.reminders import Policy


@dataclass(frozen=True)
class Person:
    id: int
    role: str
    full_name: str
    unit_id: int | None
    unit_code: str | None
    unit_name: str | None
    active: bool = True


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class FileRef:
    """A file as its channel described it when someone sent it (Telegram: its file id)."""

    kind: str  # document | photo
    file_id: str
    file_unique_id: str
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class FileView:
    """A file kept with a directive; `file_id` is its channel's (Telegram's), valid for this bot."""

    id: int
    kind: str  # document | photo
    file_id: str
    name: str | None
    size: int | None
    unit_name: str | None
    at: datetime


@dataclass(frozen=True)
class Kept:
    """A file kept with a directive, as a notice forwards it."""

    id: int
    kind: str
    name: str | None

    def payload(self) -> dict[str, Any]:
        return {"attachment": self.id, "kind": self.kind, "name": self.name}


@dataclass(frozen=True)
class Audience:
    """Whom a notice is for: units (their focal points and groups), the office, people."""

    units: frozenset[int] = frozenset()
    office: bool = False
    people: frozenset[int] = frozenset()

    def __or__(self, other: Audience) -> Audience:
        return Audience(self.units | other.units, self.office or other.office, self.people | other.people)


@dataclass(frozen=True)
class Row:
    """An outbox row to write (`to`: the address; `key` de-duplicates)."""

    key: str
    to: int
    kind: str
    payload: dict[str, Any]
    due_at: datetime
    deadline_version: int = 0
    # A notice nobody needs at once: it waits (queued as storage.pending.LATER) until another message goes to
    # the same address and goes along in it, or until its due time.
    later: bool = False


@dataclass(frozen=True)
class CardFacts:
    """What a card shows beyond the directive: names, files, who hears, the round it is in."""

    unit_names: dict[str, str]
    assigned_by: str | None
    files: tuple[FileView, ...]
    heard: frozenset[int]
    round: str
    assigned_by_leader: str | None = None  # who assigned it, when a leader: the directing leader by default


class People(Protocol):
    # `units`: codes of units read in the same statement, for `Units.active` next
    async def actor(self, person_id: int, /, *, units: Iterable[str] = ()) -> Person: ...
    async def name(self, person_id: int | None, /) -> str | None: ...  # «title name»
    async def directing(self, person_id: int | None, /) -> str | None: ...  # the same, of a leader only
    async def leaders(self) -> list[Leader]: ...  # every leader, with their title (bot/domain/leaders.py)


class Units(Protocol):
    async def active(self, codes: Iterable[str], /) -> list[UnitRef]: ...
    async def names(self, codes: Iterable[str], /) -> dict[str, str]: ...


class Directives(Protocol):
    async def get(self, code: str, /, *, version: int | None = None, round: str | None = None) -> Directive: ...
    # the person who acts (refused unless registered and active) with the directive
    async def get_as(self, actor_id: int, code: str, /, *, version: int | None = None,
                     round: str | None = None) -> tuple[Person, Directive]: ...
    async def round_of(self, directive: Directive, /) -> str: ...
    async def next_code(self, year: int, /) -> str: ...
    async def next_draft_code(self) -> str: ...
    async def add(self, directive: Directive, at: datetime, /) -> None: ...
    async def save(self, directive: Directive, at: datetime, /) -> None: ...
    async def has_successor(self, directive: Directive, /) -> bool: ...
    async def original_deadline(self, directive_id: int | None, /) -> date | None: ...
    async def recurring_due(self, today: date, /) -> list[str]: ...
    async def by_id(self, directive_id: int, /) -> Directive | None: ...
    async def working_for_unit(self, unit_id: int, /) -> list[Directive]: ...


class Log(Protocol):
    async def append(self, directive: Directive, event: ev.Event, /) -> int: ...


class Files(Protocol):
    async def keep(self, directive: Directive, event_id: int, unit: str, person_id: int | None, /,
                   files: list[FileRef], at: datetime) -> list[Kept]: ...


class Projections(Protocol):
    """The derived rows kept with a directive, written explicitly after each change: the assignment rows'
    copies of its state and dates (a unit's lists), and the report tallies."""

    async def refresh(self, directive: Directive, /) -> None: ...


class Outbox(Protocol):
    async def addresses(self, audience: Audience, /, *, exclude_person: int | None = None,
                        reachable_only: bool = True) -> set[int]: ...
    async def add(self, rows: list[Row], directive: Directive | None, at: datetime, /, *,
                  revive: bool = False) -> int: ...
    async def void_reminders(self, directive: Directive, /, *, all_versions: bool,
                             addresses: set[int] | None = None) -> None: ...
    async def escalation_sent(self, directive: Directive, /) -> bool: ...
    # rows added between the two are written together at `release` (nested holds: at the outermost)
    def hold(self) -> None: ...
    async def release(self, *, write: bool = True) -> None: ...


class Origins(Protocol):
    """Which chat message each draft was read from (an edit of the message updates those drafts)."""

    async def remember(self, directive: Directive, chat_id: int, message_id: int, position: int, at: datetime,
                       /) -> None: ...
    async def of_message(self, chat_id: int, message_id: int, /) -> list[tuple[int, str]]: ...
    async def previewed(self, chat_id: int, message_id: int, previews: dict[int, int], /) -> None: ...
    async def previews(self, chat_id: int, message_id: int, /) -> dict[int, int]: ...
    async def forget(self, chat_id: int, message_id: int, position: int, /) -> None: ...


class UnitOfWork(Protocol):
    """One use case's transaction and its repositories (read-only attributes, so any implementation fits)."""

    @property
    def rules(self) -> Rules: ...
    @property
    def policy(self) -> Policy: ...
    @property
    def people(self) -> People: ...
    @property
    def units(self) -> Units: ...
    @property
    def directives(self) -> Directives: ...
    @property
    def log(self) -> Log: ...
    @property
    def files(self) -> Files: ...
    @property
    def projections(self) -> Projections: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def origins(self) -> Origins: ...

    async def card_facts(self, directive: Directive, /, *, round: bool = False) -> CardFacts: ...
