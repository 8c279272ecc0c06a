"""Who may do what: roles and the unit rule (a focal point acts only on their own unit's work)."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.lifecycle import Move
from bot.errors import DomainError


class Role(StrEnum):
    ADMIN = "admin"  # the office (Văn phòng UBND)
    LEADER = "leader"
    FOCAL = "focal"  # a unit's focal point (đầu mối)
    VIEWER = "viewer"


DECIDERS = frozenset({Role.ADMIN, Role.LEADER})

_UNIT_MOVES = {
    Move.ACKNOWLEDGE: "any",
    Move.PROGRESS: "any",
    Move.REQUEST_EXTENSION: "lead",
    Move.REPORT_DONE: "lead",
}
_DECIDER_MOVES = frozenset(
    {
        Move.CONFIRM_DRAFT,
        Move.DISCARD,
        Move.CONFIRM,
        Move.SEND_BACK,
        Move.REOPEN,
        Move.CANCEL,
        Move.DECIDE_EXTENSION,
    }
)


def check_move(
    role: Role | str, move: Move, *, actor_unit: str | None, lead_units: set[str], support_units: set[str]
) -> None:
    """Raise DomainError('auth.forbidden') unless this role and unit may make this move.

    The office and leaders decide; unit moves belong to the assigned units' focal points (the office may
    also act for a unit, as it does on the phone today)."""
    role = Role(role)
    if move in _DECIDER_MOVES:
        if role in DECIDERS:
            return
        raise DomainError("auth.forbidden")
    scope = _UNIT_MOVES[move]
    if role == Role.ADMIN:
        return
    if role != Role.FOCAL or actor_unit is None:
        raise DomainError("auth.forbidden")
    allowed = lead_units if scope == "lead" else lead_units | support_units
    if actor_unit not in allowed:
        raise DomainError("auth.not_your_unit")


def check_can_assign(role: Role | str) -> None:
    if Role(role) not in DECIDERS:
        raise DomainError("auth.forbidden")


def check_can_administer(role: Role | str) -> None:
    if Role(role) != Role.ADMIN:
        raise DomainError("auth.forbidden")
