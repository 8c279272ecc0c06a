"""The outbox as tests look at it: its rows and those moved to its history (sent), one selectable with the
outbox's column names (storage.history moves sent rows out of the outbox: copied, then deleted)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, exists, select, union_all

from storage.models import Outbox, OutboxHistory

_COLUMNS = ("id", "key", "directive_id", "address_id", "kind", "deadline_version", "payload", "due_at", "attempts",
            "sent_at", "uncertain", "created_at")


def every_row() -> Any:
    """outbox ∪ outbox_history (status 'sent'; 'kept' for a row never sent that retention moved there for its
    key only, which has no sent_at), as a subquery: `r = every_row(); select(r.c.status, …)`; a
    sent row copied to the history and not yet deleted from the outbox counts once."""
    copied = exists().where(OutboxHistory.key == Outbox.key)
    return union_all(
        select(*(Outbox.__table__.c[n] for n in _COLUMNS), Outbox.status).where(~copied),
        select(*(OutboxHistory.__table__.c[n] for n in _COLUMNS),
               case((OutboxHistory.sent_at.is_(None), "kept"), else_="sent").label("status")),
    ).subquery("every_row")
