"""A directive rebuilt from its event log (DESIGN §3: the stored row is a projection of the log).

`read` turns a stored record back into its event (records written before an event carried every date it
set get those dates from the record's moment and the calendar, as the code of the time set them);
`replay` folds a directive's events, oldest first, through `bot.domain.directive.evolve` — the same
function a live change goes through. `compare` lists where a rebuilt directive and a stored one differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.domain import events as ev
from bot.domain.directive import Directive, Rules, born, evolve
from bot.domain.lifecycle import State


@dataclass(frozen=True)
class Logged:
    id: int
    kind: str
    at: datetime
    data: dict[str, Any]
    actor_id: int | None = None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _state(value: Any, default: State) -> State:
    return State(value) if value else default


def read(code: str, record: Logged, rules: Rules, current: Directive | None) -> ev.Event:
    """The event a stored record holds (KeyError for a kind the log never held)."""
    d, at, actor = record.data, record.at, record.actor_id
    kind = ev.KINDS.get(record.kind)
    if kind is None:
        raise KeyError(record.kind)
    before = (d.get("before") or {}) if isinstance(d.get("before"), dict) else {}
    after = (d.get("after") or {}) if isinstance(d.get("after"), dict) else {}
    now_state = current.state if current is not None else State.DRAFT
    if issubclass(kind, ev.Created):
        shot = ev.Snapshot.read(after, state=State.DRAFT if kind is ev.Drafted else State.ASSIGNED)
        if shot.due_on is None and shot.deadline is not None:
            shot = _with(shot, due_on=rules.due(shot.deadline))
        if shot.assigned_on is None and shot.state != State.DRAFT:
            shot = _with(shot, assigned_on=rules.today(at))
        if kind is ev.Assigned:
            return ev.Assigned(code, at, actor, shot, from_draft=before.get("state") == State.DRAFT.value,
                               new_code=str(d["code"]) if d.get("code") else None)
        if kind is ev.Recurred:
            return ev.Recurred(code, at, actor, shot, previous=str(d.get("previous") or ""))
        if kind is ev.Imported:
            return ev.Imported(code, at, actor, shot, source=str(d.get("source") or ""), file=str(d.get("file") or ""),
                               row=d.get("row"))
        return ev.Drafted(code, at, actor, shot)
    if kind is ev.Edited:
        shot = ev.Snapshot.read(after, state=now_state)
        if shot.due_on is None and shot.deadline is not None:
            shot = _with(shot, due_on=rules.due(shot.deadline))
        return ev.Edited(code, at, actor, ev.Snapshot.read(before, state=now_state), shot)
    if kind is ev.Discarded:
        return ev.Discarded(code, at, actor)
    if kind is ev.UnitsMerged:
        return ev.UnitsMerged(code, at, actor, tuple(str(u) for u in d.get("from") or ()), str(d.get("to") or ""))
    states = (_state(before.get("state"), now_state), _state(after.get("state"), now_state))
    unit = str(d.get("unit") or "")
    if kind is ev.Acknowledged:
        return ev.Acknowledged(code, at, actor, *states, unit=unit)
    if kind is ev.ProgressReported:
        return ev.ProgressReported(code, at, actor, *states, unit=unit, text=d.get("text") or "",
                                   files=tuple(d.get("files") or ()))
    if kind is ev.DoneReported:
        reported = _day(after.get("reported_on")) if "reported_on" in after else \
            rules.today(at) if states[1] == State.AWAITING else None
        return ev.DoneReported(code, at, actor, *states, unit=unit, text=d.get("text") or "",
                               files=tuple(d.get("files") or ()), reported_on=reported)
    if kind is ev.ExtensionRequested:
        return ev.ExtensionRequested(code, at, actor, unit, _day(d.get("old_deadline")),
                                     _day(d.get("new_deadline")) or date.min, d.get("reason") or "")
    if kind is ev.ExtensionApproved:
        deadline = _day(after.get("deadline"))
        version = after.get("deadline_version")
        return ev.ExtensionApproved(
            code, at, actor, _day(before.get("deadline")), deadline or date.min,
            _day(after["due_on"]) if after.get("due_on") else rules.due(deadline),
            int(version) if version is not None else (current.deadline_version if current else 1) + 1,
            d.get("note"), unit=unit)
    if kind is ev.ExtensionRefused:
        return ev.ExtensionRefused(code, at, actor, current.deadline if current else None,
                                   _day(d.get("new_deadline")) or date.min, d.get("note") or "", unit=unit)
    if issubclass(kind, ev.Decided):
        version = after.get("deadline_version")
        common: dict[str, Any] = {"reason": d.get("reason") or None, "completed_on": _day(after.get("completed_on")),
                                  "deadline_version": int(version) if version is not None
                                  else current.deadline_version if current else 1}
        if kind is ev.Cancelled:
            cancelled = _day(after.get("cancelled_on")) or rules.today(at)
            return ev.Cancelled(code, at, actor, *states, cancelled_on=cancelled, **common)
        assert kind in (ev.Confirmed, ev.SentBack, ev.Reopened)
        return kind(code, at, actor, *states, **common)
    if kind is ev.FilesAdded:
        return ev.FilesAdded(code, at, actor, unit, tuple(d.get("files") or ()))
    raise KeyError(record.kind)  # pragma: no cover


def _with(shot: ev.Snapshot, **changes: Any) -> ev.Snapshot:
    from dataclasses import replace

    return replace(shot, **changes)


@dataclass
class Rebuilt:
    directive: Directive | None = None
    unknown: list[str] = field(default_factory=list)
    inconsistent: list[str] = field(default_factory=list)


def replay(code: str, records: Iterable[Logged], rules: Rules) -> Rebuilt:
    """The directive as its log tells it. A kind without a rule is reported, not guessed at; so is a record
    whose "before" state is not the state rebuilt so far, or one naming a unit not assigned then."""
    found = Rebuilt()
    for record in records:
        try:
            event = read(code, record, rules, found.directive)
        except KeyError:
            found.unknown.append(f"event {record.id}: unknown kind {record.kind!r}")
            continue
        current = found.directive
        if isinstance(event, ev.Created) and not (isinstance(event, ev.Assigned) and event.from_draft):
            if current is None:
                found.directive = born(event)
                continue
        if current is None:
            found.inconsistent.append(f"event {record.id} ({record.kind}) comes before the directive was created")
            continue
        before = (record.data.get("before") or {}) if isinstance(record.data.get("before"), dict) else {}
        if "state" in before and before["state"] != current.state.value:
            found.inconsistent.append(f"event {record.id} ({record.kind}) says the state was {before['state']}, "
                                      f"the log so far says {current.state.value}")
        unit = getattr(event, "unit", None)
        if isinstance(event, ev.Acknowledged | ev.ProgressReported) and current.part(unit or "") is None:
            found.inconsistent.append(f"event {record.id} ({record.kind}) names unit {unit}, not assigned at "
                                      "that point")
            continue
        evolve(current, event)
    return found


FIELDS = ("state", "deadline", "due_on", "original_deadline", "deadline_version", "content", "assigned_on",
          "reported_on", "completed_on", "cancelled_on", "cancel_reason", "questions")
PART_FIELDS = ("role", "acknowledged_at", "reported_done_at", "last_report", "last_report_at")


def _shown(value: Any) -> Any:
    return value.value if isinstance(value, State) else value


def compare(rebuilt: Rebuilt, stored: Directive) -> list[str]:
    """Every difference between the rebuilt and the stored directive, as 'field: log X, row Y'."""
    found = list(rebuilt.unknown) + list(rebuilt.inconsistent)
    directive = rebuilt.directive
    if directive is None:
        return found if rebuilt.unknown else found + ["no event creates this directive"]
    for name in FIELDS:
        log_value, row_value = getattr(directive, name), getattr(stored, name)
        if log_value != row_value:
            found.append(f"{name}: log {_shown(log_value)!r}, row {_shown(row_value)!r}")
    log_parts = {p.unit: p for p in directive.parts}
    row_parts = {p.unit: p for p in stored.parts}
    for unit in sorted(log_parts.keys() | row_parts.keys()):
        log_part, row_part = log_parts.get(unit), row_parts.get(unit)
        if log_part is None or row_part is None:
            found.append(f"unit {unit}: {'only in the row' if log_part is None else 'only in the log'}")
            continue
        for name in PART_FIELDS:
            if getattr(log_part, name) != getattr(row_part, name):
                found.append(f"unit {unit} {name}: log {getattr(log_part, name)!r}, row {getattr(row_part, name)!r}")
    return found
