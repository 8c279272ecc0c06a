"""The assignment rows carry copies of their directive's state and dates (the read model a unit's lists
and report rows are served from). `copy_to` is called explicitly after every change of a directive, in its
transaction (storage/repository.py); `refresh_all` after a migration or a bulk load. verify-log checks them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Table, func, literal, select, update
from sqlalchemy.engine import Connection

from bot.domain import lifecycle
from storage.models import NO_DEADLINE, Assignment, Directive

OPEN_STATES = tuple(sorted(s.value for s in lifecycle.OPEN_STATES))
COPIED = ("state", "due_on", "assigned_on", "reported_on", "completed_on", "cancelled_on")


def copies(directive: Directive) -> dict[str, Any]:
    """What an assignment row copies of its directive (a new row is written with them)."""
    return {**{name: getattr(directive, name) for name in COPIED}, "is_open": directive.state in OPEN_STATES,
            "due_sort": directive.due_on or NO_DEADLINE}


def copy_to(assignment: Assignment, directive: Directive) -> None:
    for name, value in copies(directive).items():
        if getattr(assignment, name) != value:
            setattr(assignment, name, value)


def refresh_all(connection: Connection) -> None:
    """Copy every directive's state and dates onto its assignments at once (after a migration, or a bulk
    load that wrote directives without the ORM)."""
    d, a = Directive.__table__, Assignment.__table__
    assert isinstance(d, Table) and isinstance(a, Table)
    copies = {name: select(d.c[name]).where(d.c.id == a.c.directive_id).scalar_subquery() for name in COPIED}
    connection.execute(update(a).values(**copies))
    connection.execute(update(a).values(is_open=a.c.state.in_(OPEN_STATES),
                                        due_sort=func.coalesce(a.c.due_on, literal(NO_DEADLINE, Date()))))
