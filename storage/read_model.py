"""The assignment rows carry copies of their directive's state and dates (the read model a unit's lists
and report rows are served from). They are kept equal on every flush: whatever a use case changes on a
directive, or any assignment it adds, is copied before the rows are written, in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Table, event, func, literal, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from storage.models import NO_DEADLINE, Assignment, Directive

OPEN_STATES = ("assigned", "in_progress", "awaiting_confirmation")
COPIED = ("state", "due_on", "assigned_on", "reported_on", "completed_on", "cancelled_on")


def copy_to(assignment: Assignment, directive: Directive) -> None:
    for name in COPIED:
        if getattr(assignment, name) != getattr(directive, name):
            setattr(assignment, name, getattr(directive, name))
    is_open = directive.state in OPEN_STATES
    if assignment.is_open != is_open:
        assignment.is_open = is_open
    due_sort = directive.due_on or NO_DEADLINE
    if assignment.due_sort != due_sort:
        assignment.due_sort = due_sort


def install() -> None:
    """Keep the copies on every flush of every session (idempotent)."""
    if not event.contains(Session, "before_flush", _keep_copies):
        event.listen(Session, "before_flush", _keep_copies)


def _keep_copies(session: Session, _context: Any, _instances: Any) -> None:
    for obj in [*session.new, *session.dirty]:
        if isinstance(obj, Directive):
            for assignment in obj.assignments:
                copy_to(assignment, obj)
        elif isinstance(obj, Assignment) and obj.directive is not None:
            copy_to(obj, obj.directive)


def refresh_all(connection: Connection) -> None:
    """Copy every directive's state and dates onto its assignments at once (after a migration, or a bulk
    load that wrote directives without the ORM)."""
    d, a = Directive.__table__, Assignment.__table__
    assert isinstance(d, Table) and isinstance(a, Table)
    copies = {name: select(d.c[name]).where(d.c.id == a.c.directive_id).scalar_subquery() for name in COPIED}
    connection.execute(update(a).values(**copies))
    connection.execute(update(a).values(is_open=a.c.state.in_(OPEN_STATES),
                                        due_sort=func.coalesce(a.c.due_on, literal(NO_DEADLINE, Date()))))
