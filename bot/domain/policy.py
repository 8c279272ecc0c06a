"""Who may do what, now: the one rule the services enforce and the cards' buttons are drawn from.

The office and leaders decide; a unit's moves belong to its focal points (the office may also act for a
unit it names, recording a report received by phone). What a move needs of the directive (its state, the
unit's part in it, a pending extension) is checked here too, so a button is shown exactly when pressing
it would succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.lifecycle import Move, State, transition
from bot.errors import DomainError


class Role(StrEnum):
    ADMIN = "admin"  # the office (Văn phòng UBND)
    LEADER = "leader"
    FOCAL = "focal"  # a unit's focal point (đầu mối)
    VIEWER = "viewer"


DECIDERS = frozenset({Role.ADMIN, Role.LEADER})

# Unit moves, and whether a support unit may make them too.
_UNIT_MOVES = {
    Move.ACKNOWLEDGE: True,
    Move.PROGRESS: True,
    Move.REQUEST_EXTENSION: False,
    Move.REPORT_DONE: False,
}


@dataclass(frozen=True)
class Standing:
    """A directive as the rule sees it: its state and each unit's part."""

    code: str
    state: State
    leads: frozenset[str]
    supports: frozenset[str] = frozenset()
    acknowledged: frozenset[str] = frozenset()
    reported: frozenset[str] = frozenset()
    extension_pending: bool = False
    dated: bool = True  # has a deadline (a standing task has none to extend)
    questions: int = 0  # a draft's open questions: «Giao việc» waits for their answers


def check(role: Role | str, move: Move, standing: Standing, acting_unit: str | None = None) -> None:
    """Raise the DomainError that says why this person may not make `move` now; return if they may.

    `acting_unit` is the unit the person acts for: a focal point's own unit, or the unit the office
    names when it records a unit's report."""
    role = Role(role)
    if move in _UNIT_MOVES:
        if not (role == Role.FOCAL or (role == Role.ADMIN and acting_unit is not None)):
            raise DomainError("auth.forbidden")
        scope = standing.leads | standing.supports if _UNIT_MOVES[move] else standing.leads
        if acting_unit is None or acting_unit not in scope:
            raise DomainError("auth.not_your_unit")
    elif role not in DECIDERS:
        raise DomainError("auth.forbidden")
    transition(standing.state, move)
    code = standing.code
    if move == Move.ACKNOWLEDGE and acting_unit in standing.acknowledged:
        raise DomainError("ack.already", code=code)
    if move == Move.REPORT_DONE and acting_unit in standing.reported:
        raise DomainError("done.already_reported", code=code)
    if move == Move.REQUEST_EXTENSION and standing.extension_pending:
        raise DomainError("extension.pending_exists", code=code)
    if move == Move.REQUEST_EXTENSION and not standing.dated:
        raise DomainError("extension.no_deadline", code=code)
    if move == Move.DECIDE_EXTENSION and not standing.extension_pending:
        raise DomainError("extension.none_pending", code=code)
    if move == Move.CONFIRM_DRAFT and not standing.leads:
        raise DomainError("directive.no_lead")
    if move == Move.CONFIRM_DRAFT and standing.questions:
        raise DomainError("draft.open_questions", code=code, count=standing.questions)


def allowed(role: Role | str, standing: Standing, acting_unit: str | None = None) -> frozenset[Move]:
    """Every move `check` would let this person make now."""
    moves = set()
    for move in Move:
        try:
            check(role, move, standing, acting_unit)
        except DomainError:
            continue
        moves.add(move)
    return frozenset(moves)


def check_can_assign(role: Role | str) -> None:
    if Role(role) not in DECIDERS:
        raise DomainError("auth.forbidden")


def check_can_administer(role: Role | str) -> None:
    if Role(role) != Role.ADMIN:
        raise DomainError("auth.forbidden")


def check_can_read(role: Role | str, standing: Standing, unit: str | None) -> None:
    """The reading rule (DESIGN §4): a draft is seen by leaders and the office only; a focal point opens the
    card, history and files only of directives their unit takes part in (lead or support); leaders, the
    office and viewers open all. Counts and statistics are not cards: they stay open to everyone."""
    role = Role(role)
    if standing.state == State.DRAFT and role not in DECIDERS:
        raise DomainError("directive.not_found", code=standing.code)
    if role == Role.FOCAL and (unit is None or unit not in standing.leads | standing.supports):
        raise DomainError("read.not_your_unit", code=standing.code)
