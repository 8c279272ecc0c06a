"""What happened to a directive: the domain events `bot.domain.directive.apply` returns.

Each event is also the record kept in the append-only log (`events` table): `data()` is what is stored
(the same shape the log has always had — `before`/`after` with the state and dates — plus every date the
event set), and `from_log` reads a stored record back, older records included, so the log can be replayed
through the same `evolve` a live change goes through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from bot.domain.lifecycle import State


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_iso(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Snapshot:
    """A directive as a creation or a correction left it: enough to rebuild its row."""

    state: State
    content: str
    lead: tuple[str, ...]
    support: tuple[str, ...] = ()
    deadline: date | None = None
    due_on: date | None = None
    recurrence: str | None = None
    source_number: str | None = None
    source_date: date | None = None
    leader_name: str | None = None
    assigned_on: date | None = None
    reported_on: date | None = None
    completed_on: date | None = None
    cancelled_on: date | None = None
    cancel_reason: str | None = None
    questions: tuple[str, ...] = ()  # a draft's open questions: it cannot be assigned before they are answered

    def data(self) -> dict[str, Any]:
        found = {"state": self.state.value, "deadline": self.deadline, "due_on": self.due_on,
                 "lead": list(self.lead), "support": list(self.support), "content": self.content,
                 "recurrence": self.recurrence, "source_number": self.source_number,
                 "source_date": self.source_date, "leader_name": self.leader_name, "assigned_on": self.assigned_on}
        for name in ("reported_on", "completed_on", "cancelled_on", "cancel_reason"):
            if getattr(self, name) is not None:
                found[name] = getattr(self, name)
        if self.questions:
            found["questions"] = list(self.questions)
        return _iso(found)

    @classmethod
    def read(cls, data: dict[str, Any], *, state: State | None = None) -> Snapshot:
        return cls(
            state=State(data["state"]) if data.get("state") else state or State.ASSIGNED,
            content=data.get("content") or "",
            lead=tuple(data.get("lead") or ()),
            support=tuple(data.get("support") or ()),
            deadline=_day(data.get("deadline")),
            due_on=_day(data.get("due_on")),
            recurrence=data.get("recurrence"),
            source_number=data.get("source_number"),
            source_date=_day(data.get("source_date")),
            leader_name=data.get("leader_name"),
            assigned_on=_day(data.get("assigned_on")),
            reported_on=_day(data.get("reported_on")),
            completed_on=_day(data.get("completed_on")),
            cancelled_on=_day(data.get("cancelled_on")),
            cancel_reason=data.get("cancel_reason"),
            questions=tuple(data.get("questions") or ()),
        )


@dataclass(frozen=True)
class Event:
    """Something that happened to directive `code` at `at`, caused by person `actor_id` (None: the bot
    itself, an import or the CLI)."""

    kind: ClassVar[str]
    code: str
    at: datetime
    actor_id: int | None

    def data(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class Created(Event):
    """A directive came into being: as a draft, assigned at once, as the next occurrence of a recurring
    one, or from the office's spreadsheet (history included)."""

    snapshot: Snapshot

    def data(self) -> dict[str, Any]:
        return {"after": self.snapshot.data()}


@dataclass(frozen=True)
class Drafted(Created):
    kind = "drafted"


@dataclass(frozen=True)
class Assigned(Created):
    kind = "assigned"
    from_draft: bool = False
    new_code: str | None = None  # a draft («Nháp 12») takes its directive code when it is assigned

    def data(self) -> dict[str, Any]:
        found = super().data()
        if self.from_draft:
            found["before"] = {"state": State.DRAFT.value}
        if self.new_code:
            found["code"] = self.new_code
        return found


@dataclass(frozen=True)
class Recurred(Created):
    kind = "recurred"
    previous: str = ""

    def data(self) -> dict[str, Any]:
        return {**super().data(), "previous": self.previous}


@dataclass(frozen=True)
class Imported(Created):
    kind = "imported"
    source: str = ""
    file: str = ""
    row: int | None = None

    def data(self) -> dict[str, Any]:
        return {**super().data(), "source": self.source, "file": self.file, "row": self.row}


@dataclass(frozen=True)
class Edited(Event):
    kind = "edited"
    before: Snapshot
    after: Snapshot
    original_deadline: date | None = None

    def data(self) -> dict[str, Any]:
        return {"before": self.before.data(), "after": self.after.data()}


@dataclass(frozen=True)
class Discarded(Event):
    kind = "discarded"

    def data(self) -> dict[str, Any]:
        return {"before": {"state": State.DRAFT.value}, "after": {"state": State.CANCELLED.value}}


@dataclass(frozen=True)
class Moved(Event):
    """A step in the directive's life that may change its state (`before` → `after`)."""

    before: State
    after: State

    def states(self) -> dict[str, Any]:
        return {"before": {"state": self.before.value}, "after": {"state": self.after.value}}


@dataclass(frozen=True)
class Acknowledged(Moved):
    kind = "acknowledged"
    unit: str = ""

    def data(self) -> dict[str, Any]:
        return {"unit": self.unit, **self.states()}


@dataclass(frozen=True)
class ProgressReported(Moved):
    kind = "progress"
    unit: str = ""
    text: str = ""
    files: tuple[str, ...] = ()

    def data(self) -> dict[str, Any]:
        return {"unit": self.unit, "text": self.text, "files": list(self.files), **self.states()}


@dataclass(frozen=True)
class DoneReported(ProgressReported):
    """A unit reported its part done; when every lead unit has, the directive awaits confirmation from
    `reported_on` (None while others still work)."""

    kind = "done_reported"
    reported_on: date | None = None

    def data(self) -> dict[str, Any]:
        found = super().data()
        found["after"]["reported_on"] = _iso(self.reported_on)
        return found


@dataclass(frozen=True)
class ExtensionRequested(Event):
    kind = "extension_requested"
    unit: str
    old_deadline: date | None
    new_deadline: date
    reason: str

    def data(self) -> dict[str, Any]:
        return _iso({"unit": self.unit, "old_deadline": self.old_deadline, "new_deadline": self.new_deadline,
                     "reason": self.reason})


@dataclass(frozen=True)
class ExtensionApproved(Event):
    kind = "extension_approved"
    old_deadline: date | None
    new_deadline: date
    due_on: date | None
    deadline_version: int
    note: str | None = None
    unit: str = ""

    def data(self) -> dict[str, Any]:
        return _iso({"before": {"deadline": self.old_deadline},
                     "after": {"deadline": self.new_deadline, "due_on": self.due_on,
                               "deadline_version": self.deadline_version},
                     "new_deadline": self.new_deadline, "note": self.note, "unit": self.unit})


@dataclass(frozen=True)
class ExtensionRefused(Event):
    kind = "extension_refused"
    deadline: date | None
    new_deadline: date
    note: str
    unit: str = ""

    def data(self) -> dict[str, Any]:
        return _iso({"before": {"deadline": self.deadline}, "after": {"deadline": self.deadline},
                     "new_deadline": self.new_deadline, "note": self.note, "unit": self.unit})


@dataclass(frozen=True)
class Decided(Moved):
    """The office or a leader closed a round: confirmed, sent back, reopened or cancelled."""

    reason: str | None = None
    completed_on: date | None = None
    deadline_version: int = 1

    def data(self) -> dict[str, Any]:
        states = self.states()
        states["after"].update(_iso({"completed_on": self.completed_on, "deadline_version": self.deadline_version}))
        return {"reason": self.reason, **states}


@dataclass(frozen=True)
class Confirmed(Decided):
    kind = "confirmed"


@dataclass(frozen=True)
class SentBack(Decided):
    kind = "sent_back"


@dataclass(frozen=True)
class Reopened(Decided):
    kind = "reopened"


@dataclass(frozen=True)
class Cancelled(Decided):
    kind = "cancelled"
    cancelled_on: date | None = None

    def data(self) -> dict[str, Any]:
        found = super().data()
        found["after"]["cancelled_on"] = _iso(self.cancelled_on)
        return found


@dataclass(frozen=True)
class FilesAdded(Event):
    kind = "files_added"
    unit: str
    files: tuple[str, ...] = field(default_factory=tuple)

    def data(self) -> dict[str, Any]:
        return {"unit": self.unit, "files": list(self.files)}


@dataclass(frozen=True)
class UnitsMerged(Event):
    """Units retired into a successor (communes merged, a department absorbed): the successor takes over the
    retired units' part in this open directive, their progress with it."""

    kind = "units_merged"
    retired: tuple[str, ...] = ()
    successor: str = ""

    def data(self) -> dict[str, Any]:
        return {"from": list(self.retired), "to": self.successor}


KINDS: dict[str, type[Event]] = {cls.kind: cls for cls in (
    Drafted, Assigned, Recurred, Imported, Edited, Discarded, Acknowledged, ProgressReported, DoneReported,
    ExtensionRequested, ExtensionApproved, ExtensionRefused, Confirmed, SentBack, Reopened, Cancelled,
    FilesAdded, UnitsMerged)}
ROUND_KINDS = ("sent_back", "reopened", "confirmed", "cancelled", "extension_approved")
