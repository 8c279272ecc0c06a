"""A directive rebuilt from its event log (DESIGN §3: the stored row is a projection of the log).

`project(events)` folds one directive's events, oldest first, into what its row and assignments should
say; `compare(projected, stored)` lists where they differ. Pure: plain values in, plain values out.

Each kind the services write has a rule below. A kind without one is not guessed at: it is reported
(`Projected.unknown`), as is an event whose recorded "before" state is not the state rebuilt so far.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from bot.domain.lifecycle import State


@dataclass(frozen=True)
class LoggedEvent:
    id: int
    kind: str
    at: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class Part:
    """One unit's assignment as the log tells it."""

    role: str
    acknowledged_at: datetime | None = None
    reported_done_at: datetime | None = None
    last_report: str | None = None
    last_report_at: datetime | None = None


@dataclass
class Projected:
    """A directive's row and assignments, as stored or as rebuilt; `unknown` and `inconsistent` say what
    the rebuild could not account for."""

    state: str | None = None
    deadline: date | None = None
    original_deadline: date | None = None
    deadline_version: int = 1
    content: str | None = None
    completed_on: date | None = None
    cancel_reason: str | None = None
    parts: dict[str, Part] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    inconsistent: list[str] = field(default_factory=list)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _text(value: Any) -> str | None:
    return value if value else None


def _snapshot(p: Projected, e: LoggedEvent, snapshot: dict[str, Any]) -> None:
    """drafted / assigned / edited / recurred: the directive as it then stood. New parts start afresh
    (a draft's parts are replaced, never acknowledged)."""
    if "state" in snapshot:
        p.state = snapshot["state"]
    if "deadline" in snapshot:
        p.deadline = p.original_deadline = _date(snapshot["deadline"])
    if "content" in snapshot:
        p.content = snapshot["content"]
    if "lead" in snapshot or "support" in snapshot:
        roles = {code: "lead" for code in snapshot.get("lead", [])}
        roles.update({code: "support" for code in snapshot.get("support", []) if code not in roles})
        p.parts = {code: p.parts[code] if code in p.parts and p.parts[code].role == role else Part(role)
                   for code, role in roles.items()}


def _after_state(p: Projected, e: LoggedEvent) -> None:
    after = e.data.get("after")
    if isinstance(after, dict) and "state" in after:
        p.state = after["state"]


def _part(p: Projected, e: LoggedEvent) -> Part | None:
    unit = e.data.get("unit")
    if unit not in p.parts:
        p.inconsistent.append(f"event {e.id} ({e.kind}) names unit {unit}, not assigned at that point")
        return None
    return p.parts[unit]


def _creation(p: Projected, e: LoggedEvent) -> None:
    _snapshot(p, e, e.data.get("after") or {})


def _acknowledged(p: Projected, e: LoggedEvent) -> None:
    part = _part(p, e)
    if part is not None:
        p.parts[e.data["unit"]] = replace(part, acknowledged_at=e.at)
    _after_state(p, e)


def _reported(done: bool) -> Callable[[Projected, LoggedEvent], None]:
    def apply(p: Projected, e: LoggedEvent) -> None:
        part = _part(p, e)
        if part is not None:
            p.parts[e.data["unit"]] = replace(
                part, acknowledged_at=part.acknowledged_at or e.at, last_report=e.data.get("text"),
                last_report_at=e.at, reported_done_at=e.at if done else part.reported_done_at)
        _after_state(p, e)

    return apply


def _extension_approved(p: Projected, e: LoggedEvent) -> None:
    p.deadline = _date((e.data.get("after") or {}).get("deadline"))
    p.deadline_version += 1


def _decision(p: Projected, e: LoggedEvent) -> None:
    """confirmed / sent_back / reopened / cancelled."""
    _after_state(p, e)
    after = e.data.get("after") or {}
    p.completed_on = _date(after.get("completed_on"))
    if e.kind in ("sent_back", "reopened"):
        p.parts = {code: replace(part, reported_done_at=None) for code, part in p.parts.items()}
        p.deadline_version = int(after.get("deadline_version", p.deadline_version))  # logged since it was bumped
    if e.kind == "cancelled":
        p.cancel_reason = _text(e.data.get("reason"))


def _recurred(p: Projected, e: LoggedEvent) -> None:
    after = dict(e.data.get("after") or {})
    after.setdefault("state", State.ASSIGNED.value)  # events written before the state was recorded
    _snapshot(p, e, after)


def _imported(p: Projected, e: LoggedEvent) -> None:
    """A directive brought in from the office's spreadsheet, history included: done or cancelled as the
    sheet said."""
    after = e.data.get("after") or {}
    _snapshot(p, e, after)
    p.completed_on = _date(after.get("completed_on"))
    p.cancel_reason = _text(after.get("cancel_reason"))


def _nothing(p: Projected, e: LoggedEvent) -> None:
    """Recorded for the history; the row does not change (a request, a refusal)."""


RULES: dict[str, Callable[[Projected, LoggedEvent], None]] = {
    "drafted": _creation,
    "assigned": _creation,
    "edited": _creation,
    "recurred": _recurred,
    "imported": _imported,
    "discarded": _after_state,
    "acknowledged": _acknowledged,
    "progress": _reported(done=False),
    "done_reported": _reported(done=True),
    "extension_requested": _nothing,
    "extension_refused": _nothing,
    "files_added": _nothing,
    "extension_approved": _extension_approved,
    "confirmed": _decision,
    "sent_back": _decision,
    "reopened": _decision,
    "cancelled": _decision,
}
CREATIONS = frozenset({"drafted", "assigned", "recurred", "imported"})


def project(events: Iterable[LoggedEvent]) -> Projected:
    p = Projected()
    for e in events:
        rule = RULES.get(e.kind)
        if rule is None:
            p.unknown.append(f"event {e.id}: unknown kind {e.kind!r}")
            continue
        if p.state is None and e.kind not in CREATIONS:
            p.inconsistent.append(f"event {e.id} ({e.kind}) comes before the directive was created")
        before = e.data.get("before")
        if isinstance(before, dict) and "state" in before and p.state is not None and before["state"] != p.state:
            p.inconsistent.append(f"event {e.id} ({e.kind}) says the state was {before['state']}, "
                                  f"the log so far says {p.state}")
        rule(p, e)
    return p


FIELDS = ("state", "deadline", "original_deadline", "deadline_version", "content", "completed_on", "cancel_reason")
PART_FIELDS = ("role", "acknowledged_at", "reported_done_at", "last_report", "last_report_at")


def compare(projected: Projected, stored: Projected) -> list[str]:
    """Every difference between the rebuilt and the stored directive, as 'field: log X, row Y'."""
    found = list(projected.unknown) + list(projected.inconsistent)
    if projected.state is None and not projected.unknown:
        return found + ["no event creates this directive"]
    for name in FIELDS:
        rebuilt, row = getattr(projected, name), getattr(stored, name)
        if rebuilt != row:
            found.append(f"{name}: log {rebuilt!r}, row {row!r}")
    for code in sorted(projected.parts.keys() | stored.parts.keys()):
        rebuilt_part, row_part = projected.parts.get(code), stored.parts.get(code)
        if rebuilt_part is None or row_part is None:
            found.append(f"unit {code}: {'only in the row' if rebuilt_part is None else 'only in the log'}")
            continue
        for name in PART_FIELDS:
            if getattr(rebuilt_part, name) != getattr(row_part, name):
                found.append(f"unit {code} {name}: log {getattr(rebuilt_part, name)!r}, "
                             f"row {getattr(row_part, name)!r}")
    return found
