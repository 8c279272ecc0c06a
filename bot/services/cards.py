"""A directive as people see it: the card every channel draws (chat, web), built in one place."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain import directive as dom
from bot.domain.calendar import WorkingCalendar
from bot.domain.deadlines import local_date
from bot.domain.lifecycle import State, status_of
from bot.runtime import Runtime
from bot.services.ports import UnitOfWork
from bot.services.views import Card, ExtensionView, FileView, UnitPart
from storage.models import Directive
from storage.repository import to_domain

_LISTENING = (State.DRAFT, State.ASSIGNED, State.IN_PROGRESS)


def pending_view(d: dom.Directive, unit_names: dict[str, str]) -> ExtensionView | None:
    request = d.pending
    if request is None or request.id is None:
        return None
    return ExtensionView(request.id, request.unit, unit_names.get(request.unit, request.unit), request.old_deadline,
                         request.new_deadline, request.reason, request.status)


def card_from(d: dom.Directive, unit_names: dict[str, str], today: date, calendar: WorkingCalendar,
              due_soon_days: int, *, assigned_by: str | None = None, files: tuple[FileView, ...] = (),
              heard: frozenset[int] | None = None, round: str = "", assigned_by_leader: str | None = None) -> Card:
    parts = tuple(UnitPart(p.unit, unit_names.get(p.unit, p.unit), p.role, p.acknowledged_at is not None,
                           p.reported_done_at is not None, p.last_report, p.last_report_at)
                  for p in sorted(d.parts, key=lambda p: p.role != dom.LEAD))
    unheard: tuple[str, ...] = ()
    if heard is not None and d.state in _LISTENING:
        unheard = tuple(unit_names.get(p.unit, p.unit) for p in sorted(d.parts, key=lambda p: p.role != dom.LEAD)
                        if p.unit_id not in heard)
    assert d.id is not None, "a card is drawn of a stored directive"
    return Card(
        id=d.id, code=d.code, content=d.content, state=d.state,
        status=status_of(d.state, d.due_on, d.completed_on, today, calendar, due_soon_days),
        deadline=d.deadline, original_deadline=d.original_deadline, recurrence=d.recurrence,
        source_number=d.source_number, source_date=d.source_date, leader_name=d.leader_name, parts=parts,
        version=d.version, cancel_reason=d.cancel_reason, completed_on=d.completed_on,
        pending_extension=pending_view(d, unit_names), due_on=d.due_on, assigned_by=assigned_by, files=files,
        unheard=unheard, round=round, questions=d.questions, assigned_by_leader=assigned_by_leader)


def listed(row: Directive, today: date, calendar: WorkingCalendar, due_soon_days: int) -> Card:
    """A stored directive in a list (its assignments loaded with their units)."""
    return card_from(to_domain(row), {a.unit.code: a.unit.name for a in row.assignments}, today, calendar,
                     due_soon_days)


async def card_of(rt: Runtime, uow: UnitOfWork, d: dom.Directive, now: datetime, *, round: bool = False) -> Card:
    """The card; with `round`, the round it is in (for a question asked from it: bot.services.lifecycle.check)."""
    facts = await uow.card_facts(d, round=round)
    return card_from(d, facts.unit_names, local_date(now, rt.settings.tz), rt.calendar,
                     rt.settings.due_soon_working_days, assigned_by=facts.assigned_by, files=facts.files,
                     heard=facts.heard, round=facts.round, assigned_by_leader=facts.assigned_by_leader)
