"""Plain results the use cases return: cards, history, pages. No ORM objects leave the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.domain.lifecycle import State, StatusView
from bot.domain.policy import Standing
from bot.domain.units import short_name
from bot.services.ports import FileView
from storage.models import Person


@dataclass(frozen=True)
class UnitPart:
    code: str
    name: str
    role: str  # lead | support
    acknowledged: bool
    reported_done: bool
    last_report: str | None
    last_report_at: datetime | None

    @property
    def short_name(self) -> str:
        return short_name(self.name)


@dataclass(frozen=True)
class ExtensionView:
    id: int
    unit_code: str
    unit_name: str
    old_deadline: date | None
    new_deadline: date
    reason: str
    status: str


@dataclass(frozen=True)
class Card:
    id: int
    code: str
    content: str
    state: State
    status: StatusView
    deadline: date | None
    original_deadline: date | None
    recurrence: str | None
    source_number: str | None
    source_date: date | None
    leader_name: str | None
    parts: tuple[UnitPart, ...]
    version: int
    cancel_reason: str | None = None
    completed_on: date | None = None
    pending_extension: ExtensionView | None = None
    due_on: date | None = None
    assigned_by: str | None = None
    files: tuple[FileView, ...] = ()
    unheard: tuple[str, ...] = ()  # units it is assigned to that nobody receives the bot's messages for
    round: str = ""  # see SqlDirectives.round_of: a typed answer belongs to the round it was asked in
    questions: tuple[str, ...] = ()  # a draft's open questions: «Giao việc» waits for their answers
    assigned_by_leader: str | None = None  # `assigned_by` when a leader (a clerk directs nothing)

    @property
    def leader(self) -> str | None:
        """The leader who directed it, «title name» (bot/domain/leaders.py): the one the directive names, else
        the leader who assigned it; never the office's clerk who typed or imported it."""
        return self.leader_name or self.assigned_by_leader

    @property
    def lead_codes(self) -> list[str]:
        return [p.code for p in self.parts if p.role == "lead"]

    @property
    def support_codes(self) -> list[str]:
        return [p.code for p in self.parts if p.role == "support"]

    @property
    def leads(self) -> list[UnitPart]:
        return [p for p in self.parts if p.role == "lead"]

    @property
    def supports(self) -> list[UnitPart]:
        return [p for p in self.parts if p.role == "support"]

    @property
    def standing(self) -> Standing:
        """The directive as the who-may-do-what rule sees it."""
        return Standing(
            code=self.code,
            state=self.state,
            leads=frozenset(self.lead_codes),
            supports=frozenset(self.support_codes),
            acknowledged=frozenset(p.code for p in self.parts if p.acknowledged),
            reported=frozenset(p.code for p in self.parts if p.reported_done),
            extension_pending=self.pending_extension is not None,
            dated=self.deadline is not None,
            questions=len(self.questions),
        )


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str
    actor: str | None
    data: dict[str, Any]
    files: tuple[str, ...] = ()  # names of the files sent with this entry
    unit: str | None = None  # the name of the unit that acted


@dataclass(frozen=True)
class Page:
    items: tuple[Card, ...]
    page: int
    pages: int
    total: int
    more: bool = False  # more than `total` (lists count exactly only up to a bound)


@dataclass(frozen=True)
class Actor:
    id: int
    telegram_id: int | None
    full_name: str
    role: str
    unit_code: str | None
    unit_name: str | None
    language: str
    title: str | None = None  # the title the office's invite gave them («Phó Chủ tịch UBND tỉnh»)


def actor_view(person: Person) -> Actor:
    unit = person.unit
    return Actor(
        person.id,
        person.telegram_id,
        person.full_name,
        person.role,
        unit.code if unit else None,
        unit.name if unit else None,
        person.language,
        person.title,
    )
