"""A directive's life as one aggregate (DESIGN §3).

`create` makes a directive (a draft, an assignment, the next occurrence of a recurring one, a row of the
office's spreadsheet); `apply(directive, command, actor, at, rules)` checks the who-may-do-what rule
(`bot.domain.policy`), then changes the state and every date, and returns the events that happened.
`evolve` is the only code that changes a directive: `create`, `apply` and the log's replay
(`bot.domain.replay`) all go through it, so a live change and a rebuilt one cannot disagree.

Pure: plain values in and out; the clock (`at`) and the calendar (`Rules`) are passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from bot.domain import events as ev
from bot.domain.calendar import WorkingCalendar
from bot.domain.deadlines import check_new_deadline, due_day, local_date, next_occurrence
from bot.domain.lifecycle import Move, State, transition
from bot.domain.policy import Role, Standing, check, check_can_assign
from bot.domain.text import MAX_NAME_CHARS, MAX_REASON_CHARS, MAX_SOURCE_CHARS, check_text
from bot.domain.units import fold
from bot.errors import DomainError

RECURRENCES = ("weekly", "monthly", "quarterly", "yearly")
LEAD, SUPPORT = "lead", "support"
UNIT_MOVES = frozenset({Move.ACKNOWLEDGE, Move.PROGRESS, Move.REQUEST_EXTENSION, Move.REPORT_DONE})


@dataclass(frozen=True)
class Rules:
    """What dates are judged by (the working calendar, the province's time zone) and how long a text may be."""

    calendar: WorkingCalendar
    tz: ZoneInfo
    max_text_chars: int = 4000

    def today(self, at: datetime) -> date:
        return local_date(at, self.tz)

    def due(self, deadline: date | None) -> date | None:
        return due_day(deadline, self.calendar)


@dataclass(frozen=True)
class Actor:
    """Who makes a move: a person's id, role and (for a focal point) unit code. `role` None is the bot
    itself (a recurring directive's next occurrence, an import from the CLI, the log's replay)."""

    person_id: int | None
    role: str | None
    unit: str | None = None


SYSTEM = Actor(None, None)


@dataclass
class Part:
    """One unit's part in a directive: lead (chủ trì) or support (phối hợp)."""

    unit: str
    role: str
    unit_id: int | None = None
    acknowledged_at: datetime | None = None
    reported_done_at: datetime | None = None
    last_report: str | None = None
    last_report_at: datetime | None = None


@dataclass
class Extension:
    """A unit's request for a later deadline, pending until a leader or the office decides it."""

    unit: str
    new_deadline: date
    old_deadline: date | None
    reason: str
    requested_by: int | None
    requested_at: datetime
    id: int | None = None
    status: str = "pending"  # pending | approved | refused | void
    decided_by: int | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None


@dataclass
class Directive:
    code: str
    content: str
    state: State
    parts: list[Part] = field(default_factory=list)
    deadline: date | None = None  # as the leader wrote it
    due_on: date | None = None  # the day it really ends (the next working day after a day off)
    original_deadline: date | None = None
    deadline_version: int = 1
    recurrence: str | None = None
    source_number: str | None = None
    source_date: date | None = None
    leader_name: str | None = None
    assigned_by_id: int | None = None
    previous_id: int | None = None
    assigned_on: date | None = None
    reported_on: date | None = None
    completed_on: date | None = None
    cancelled_on: date | None = None
    cancel_reason: str | None = None
    extension: Extension | None = None  # the pending request (or one decided in this transaction)
    import_key: str | None = None  # an imported row's fingerprint (bot.imports.sheet.import_key)
    questions: tuple[str, ...] = ()  # a draft's open questions ("kind" or "kind:detail"): see QUESTION_KINDS
    id: int | None = None
    version: int = 0  # storage's optimistic lock

    @property
    def leads(self) -> list[Part]:
        return [p for p in self.parts if p.role == LEAD]

    def part(self, unit: str) -> Part | None:
        return next((p for p in self.parts if p.unit == unit), None)

    @property
    def pending(self) -> Extension | None:
        return self.extension if self.extension is not None and self.extension.status == "pending" else None

    @property
    def standing(self) -> Standing:
        """The directive as the who-may-do-what rule sees it."""
        return Standing(
            code=self.code, state=self.state,
            leads=frozenset(p.unit for p in self.parts if p.role == LEAD),
            supports=frozenset(p.unit for p in self.parts if p.role == SUPPORT),
            acknowledged=frozenset(p.unit for p in self.parts if p.acknowledged_at is not None),
            reported=frozenset(p.unit for p in self.parts if p.reported_done_at is not None),
            extension_pending=self.pending is not None, dated=self.deadline is not None,
            questions=len(self.questions))


def acting_unit(actor: Actor, standing: Standing, named: str | None = None) -> str | None:
    """The unit a person acts for on a unit's move: a focal point for their own unit; the office for the
    unit it names, recording a report it received by phone (by default the first lead unit)."""
    if actor.role == Role.FOCAL:
        return actor.unit
    if actor.role == Role.ADMIN:
        return named.strip().upper() if named else min(standing.leads, default=None)
    return None


def code_for(year: int, number: int) -> str:
    return f"CD-{year}-{number:04d}"


DRAFT_PREFIX = "NHAP-"


def draft_code(number: int) -> str:
    """A draft's own short number («Nháp 12», stored as NHAP-12): only an assigned directive takes a CD code,
    so abandoned drafts leave no gaps in the year's codes."""
    return f"{DRAFT_PREFIX}{number}"


def is_draft_code(code: str) -> bool:
    return code.startswith(DRAFT_PREFIX)


def search_text(directive: Directive) -> str:
    """What search reads: code, content and source document, accent-folded."""
    return fold(" ".join(filter(None, [directive.code, directive.content, directive.source_number])))


def snapshot(d: Directive) -> ev.Snapshot:
    return ev.Snapshot(
        state=d.state, content=d.content, lead=tuple(p.unit for p in d.parts if p.role == LEAD),
        support=tuple(p.unit for p in d.parts if p.role == SUPPORT), deadline=d.deadline, due_on=d.due_on,
        recurrence=d.recurrence, source_number=d.source_number, source_date=d.source_date,
        leader_name=d.leader_name, assigned_on=d.assigned_on, reported_on=d.reported_on,
        completed_on=d.completed_on, cancelled_on=d.cancelled_on, cancel_reason=d.cancel_reason,
        questions=d.questions)


# ---------------------------------------------------------------------------------------------------------
# Creation


@dataclass(frozen=True)
class Spec:
    """What a directive is made of. A draft may lack its lead unit (the parser could not resolve it); it
    cannot be assigned until one is chosen."""

    content: str
    lead: tuple[str, ...]
    support: tuple[str, ...] = ()
    deadline: date | None = None
    recurrence: str | None = None
    source_number: str | None = None
    source_date: date | None = None
    leader_name: str | None = None
    questions: tuple[str, ...] = ()  # what the reader of the text was unsure of: a draft only


# What a draft may ask before it is assigned ("kind" or "kind:detail", the detail as the text wrote it):
# a date that does not exist, a date already past, two dates that could each be the deadline, a deadline only an
# article's headline gives, a sentence
# that may only be background, a unit the list lacks, a phrase that may mean more than one group of units, a lead
# the parser's doubt check finds likely wrong (bot.parsing.doubt).
# Choosing a deadline answers the first four, choosing the lead units the last two; any may be answered as it
# stands (`EditDraft.answered`).
QUESTION_KINDS = ("impossible_date", "past_date", "two_deadlines", "headline_deadline", "background", "unit",
                  "vague_unit", "lead")
LEAD_QUESTIONS = frozenset({"vague_unit", "lead"})
DATE_QUESTIONS = frozenset({"impossible_date", "past_date", "two_deadlines", "headline_deadline"})
MAX_QUESTIONS = 10
MAX_QUESTION_CHARS = 120


def question_kind(question: str) -> str:
    return question.split(":", 1)[0]


def check_questions(questions: tuple[str, ...]) -> tuple[str, ...]:
    """Questions as they are kept: known kinds, bounded, each once."""
    kept = []
    for q in questions:
        if question_kind(q) not in QUESTION_KINDS:
            raise DomainError("draft.bad_question")
        kept.append(" ".join(q.split())[:MAX_QUESTION_CHARS])
    return tuple(dict.fromkeys(kept))[:MAX_QUESTIONS]


@dataclass(frozen=True)
class History:
    """What the office's spreadsheet says already happened to an imported directive."""

    assigned_on: date
    completed_on: date | None = None
    cancelled_on: date | None = None
    note: str | None = None


def _parts(lead: tuple[str, ...], support: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each unit once, a lead never also a support."""
    leads = tuple(dict.fromkeys(lead))
    return leads, tuple(u for u in dict.fromkeys(support) if u not in leads)


def checked_spec(spec: Spec, rules: Rules) -> Spec:
    """The texts of a new directive as they are kept: trimmed, bounded, no control characters."""
    return replace(spec, content=check_text(spec.content, rules.max_text_chars, key="content"),
                   source_number=check_text(spec.source_number, MAX_SOURCE_CHARS, required=False, key="source") or None,
                   leader_name=check_text(spec.leader_name, MAX_NAME_CHARS, required=False, key="leader") or None)


def check_recurrence(recurrence: str | None, deadline: date | None) -> None:
    if recurrence is not None and recurrence not in RECURRENCES:
        raise DomainError("directive.bad_recurrence", value=str(recurrence)[:20])
    if recurrence and deadline is None:
        raise DomainError("directive.recurrence_needs_deadline")


def create(code: str, spec: Spec, actor: Actor, at: datetime, rules: Rules, *, draft: bool = False,
           previous: Directive | None = None, history: History | None = None, source: str = "",
           file: str = "", row: int | None = None) -> tuple[Directive, ev.Created]:
    """A new directive and the event that made it: a draft, an assignment, the next occurrence after
    `previous`, or an imported row with its `history`."""
    today = rules.today(at)
    if actor.role is not None:
        check_can_assign(actor.role)
    spec = checked_spec(spec, rules)
    lead, support = _parts(spec.lead, spec.support)
    if not lead and not draft:
        raise DomainError("directive.no_lead")
    check_recurrence(spec.recurrence, spec.deadline)
    questions = check_questions(spec.questions)
    if questions and not draft:
        raise DomainError("draft.open_questions", code=code, count=len(questions))
    if history is None and previous is None:
        check_new_deadline(spec.deadline, today)
    state = State.DRAFT if draft else State.ASSIGNED
    assigned_on: date | None = None if draft else today
    completed = cancelled = reason = None
    if history is not None:
        completed, cancelled = history.completed_on, history.cancelled_on
        state = State.CANCELLED if cancelled else State.DONE if completed else State.ASSIGNED
        assigned_on, reason = history.assigned_on, history.note if cancelled else None
    shot = ev.Snapshot(state=state, content=spec.content, lead=lead, support=support, deadline=spec.deadline,
                       due_on=rules.due(spec.deadline), recurrence=spec.recurrence,
                       source_number=spec.source_number, source_date=spec.source_date,
                       leader_name=spec.leader_name, assigned_on=assigned_on, reported_on=completed,
                       completed_on=completed, cancelled_on=cancelled, cancel_reason=reason,
                       questions=questions)
    event: ev.Created
    if history is not None:
        event = ev.Imported(code, at, actor.person_id, shot, source=source, file=file, row=row)
    elif previous is not None:
        event = ev.Recurred(code, at, actor.person_id, shot, previous=previous.code)
    elif draft:
        event = ev.Drafted(code, at, actor.person_id, shot)
    else:
        event = ev.Assigned(code, at, actor.person_id, shot)
    directive = born(event)
    if previous is not None:
        directive.assigned_by_id, directive.previous_id = previous.assigned_by_id, previous.id
    else:
        directive.assigned_by_id = actor.person_id
    return directive, event


def next_deadline(d: Directive, before: date | None, today: date) -> date:
    """The deadline of a recurring directive's next occurrence: from this occurrence's own deadline (not an
    extension of it), the day a short month cut given back from the occurrence `before` it (30/01 → 28/02 →
    30/03), never in the past."""
    assert d.recurrence is not None
    current = d.original_deadline or d.deadline
    assert current is not None
    day = max(before.day, current.day) if before is not None and d.recurrence != "weekly" else None
    deadline = next_occurrence(current, d.recurrence, day)
    while deadline < today:
        deadline = next_occurrence(deadline, d.recurrence, day)
    return deadline


def successor_spec(d: Directive, deadline: date) -> Spec:
    return Spec(d.content, tuple(p.unit for p in d.leads), tuple(p.unit for p in d.parts if p.role == SUPPORT),
                deadline, d.recurrence, d.source_number, d.source_date, d.leader_name)


# ---------------------------------------------------------------------------------------------------------
# Commands: what a person asks to do to a directive


@dataclass(frozen=True)
class Command:
    move: ClassVar[Move]


@dataclass(frozen=True)
class ConfirmDraft(Command):
    move = Move.CONFIRM_DRAFT
    code: str = ""  # the directive code it takes (the service draws it from the year's counter)


@dataclass(frozen=True)
class Discard(Command):
    move = Move.DISCARD


UNSET: Any = object()  # EditDraft: "leave this field as it is"


@dataclass(frozen=True)
class EditDraft(Command):
    """Corrections to a draft; a field left UNSET stays. `deadline=None` makes it a standing task,
    `recurrence=None` a one-off one."""

    move = Move.EDIT_DRAFT
    content: Any = UNSET
    lead: tuple[str, ...] | None = None
    support: tuple[str, ...] | None = None
    deadline: Any = UNSET
    source_number: Any = UNSET
    source_date: Any = UNSET
    recurrence: Any = UNSET
    leader_name: Any = UNSET
    lead_required: bool = True  # False: read again from its (edited) message, it may lack a lead unit as before
    answered: tuple[str, ...] = ()  # questions answered as they stand: a kind ("background") or a whole question
    questions: Any = UNSET  # read again from its (edited) message: the questions it asks now


@dataclass(frozen=True)
class Acknowledge(Command):
    move = Move.ACKNOWLEDGE
    unit: str | None = None  # the unit the office acts for


@dataclass(frozen=True)
class ReportProgress(Command):
    move = Move.PROGRESS
    text: str = ""
    files: tuple[str, ...] = ()  # names, for the log
    unit: str | None = None


@dataclass(frozen=True)
class ReportDone(ReportProgress):
    move = Move.REPORT_DONE


@dataclass(frozen=True)
class RequestExtension(Command):
    move = Move.REQUEST_EXTENSION
    new_deadline: date = date.min
    reason: str | None = ""
    unit: str | None = None


@dataclass(frozen=True)
class DecideExtension(Command):
    move = Move.DECIDE_EXTENSION
    approve: bool = True
    note: str | None = None
    request_id: int | None = None  # the request the decider saw: a decision never lands on a later one


@dataclass(frozen=True)
class Confirm(Command):
    move = Move.CONFIRM


@dataclass(frozen=True)
class SendBack(Command):
    move = Move.SEND_BACK
    reason: str | None = ""


@dataclass(frozen=True)
class Reopen(Command):
    move = Move.REOPEN
    reason: str | None = ""


@dataclass(frozen=True)
class Cancel(Command):
    move = Move.CANCEL
    reason: str | None = ""


@dataclass(frozen=True)
class AddFiles(Command):
    """More files for the report a unit has just made (an album arrives as several messages)."""

    move = Move.PROGRESS
    files: tuple[str, ...] = ()


def authorise(d: Directive, command: Command, actor: Actor) -> str | None:
    """Raise the DomainError that says why `actor` may not make this move now; the unit they act for."""
    standing = d.standing
    acting = acting_unit(actor, standing, getattr(command, "unit", None)) if command.move in UNIT_MOVES else None
    if isinstance(command, AddFiles):
        if actor.role != Role.FOCAL or actor.unit is None or d.part(actor.unit) is None:
            raise DomainError("auth.not_your_unit")
        if d.state not in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING):
            raise DomainError("lifecycle.illegal", move="files", state=d.state.value)
        return actor.unit
    if actor.role is None:
        transition(d.state, command.move)
    else:
        check(actor.role, command.move, standing, acting)
    return acting


def apply(d: Directive, command: Command, actor: Actor, at: datetime, rules: Rules) -> list[ev.Event]:
    """Check, decide, change: the events that happened (already applied to `d`)."""
    acting = authorise(d, command, actor)
    happened = DECIDE[type(command)](d, command, actor, acting, at, rules)
    for event in happened:
        evolve(d, event)
    return happened


Decide = Callable[[Directive, Any, Actor, str | None, datetime, Rules], list[ev.Event]]


def _confirm_draft(d: Directive, c: ConfirmDraft, actor: Actor, _u: str | None, at: datetime,
                   rules: Rules) -> list[ev.Event]:
    if d.questions:
        raise DomainError("draft.open_questions", code=d.code, count=len(d.questions))
    check_new_deadline(d.deadline, rules.today(at))
    shot = replace(snapshot(d), state=State.ASSIGNED, assigned_on=rules.today(at))
    return [ev.Assigned(d.code, at, actor.person_id, shot, from_draft=True, new_code=c.code or None)]


def _discard(d: Directive, c: Discard, actor: Actor, _u: str | None, at: datetime, rules: Rules) -> list[ev.Event]:
    return [ev.Discarded(d.code, at, actor.person_id)]


def _edit(d: Directive, c: EditDraft, actor: Actor, _u: str | None, at: datetime, rules: Rules) -> list[ev.Event]:
    before = snapshot(d)
    after = before
    if c.content is not UNSET:
        after = replace(after, content=check_text(c.content, rules.max_text_chars, key="content"))
    questions = list(check_questions(c.questions)) if c.questions is not UNSET else list(before.questions)
    if c.deadline is not UNSET:
        check_new_deadline(c.deadline, rules.today(at))
        after = replace(after, deadline=c.deadline, due_on=rules.due(c.deadline))
        if c.questions is UNSET:  # a deadline chosen answers what the text's dates left open
            questions = [q for q in questions if question_kind(q) not in DATE_QUESTIONS]
    if c.source_number is not UNSET:
        number = check_text(c.source_number, MAX_SOURCE_CHARS, required=False, key="source") or None
        after = replace(after, source_number=number)
    if c.source_date is not UNSET:
        after = replace(after, source_date=c.source_date)
    if c.recurrence is not UNSET:
        after = replace(after, recurrence=c.recurrence)
    if c.leader_name is not UNSET:
        after = replace(after, leader_name=check_text(c.leader_name, MAX_NAME_CHARS, required=False,
                                                      key="leader") or None)
    check_recurrence(after.recurrence, after.deadline)
    if c.lead is not None or c.support is not None:
        lead, support = _parts(c.lead if c.lead is not None else before.lead,
                               c.support if c.support is not None else before.support)
        if not lead and c.lead_required:
            raise DomainError("directive.no_lead")
        after = replace(after, lead=lead, support=support)
        if c.lead is not None and c.questions is UNSET:  # the lead chosen: what the text's words meant is settled
            questions = [q for q in questions if question_kind(q) not in LEAD_QUESTIONS]
    for answer in c.answered:  # a kind answers its first open question, a whole question itself
        found = next((q for q in questions if q == answer or question_kind(q) == answer), None)
        if found is not None:
            questions.remove(found)
    after = replace(after, questions=tuple(questions))
    return [ev.Edited(d.code, at, actor.person_id, before, after)]


def _acknowledge(d: Directive, c: Acknowledge, actor: Actor, unit: str | None, at: datetime,
                 rules: Rules) -> list[ev.Event]:
    part = d.part(unit or "")
    assert part is not None  # the rule checked the unit takes part
    after = transition(d.state, Move.ACKNOWLEDGE) if part.role == LEAD else d.state
    return [ev.Acknowledged(d.code, at, actor.person_id, d.state, after, unit=part.unit)]


def _report(d: Directive, c: ReportProgress, actor: Actor, unit: str | None, at: datetime,
            rules: Rules) -> list[ev.Event]:
    part = d.part(unit or "")
    assert part is not None
    text = check_text(c.text, rules.max_text_chars, key="report")
    if isinstance(c, ReportDone):
        others = all(p.reported_done_at is not None for p in d.leads if p is not part)
        after = transition(d.state, Move.REPORT_DONE if others else Move.PROGRESS)
        return [ev.DoneReported(d.code, at, actor.person_id, d.state, after, unit=part.unit, text=text,
                                files=c.files, reported_on=rules.today(at) if others else None)]
    after = transition(d.state, Move.PROGRESS) if part.role == LEAD else d.state
    return [ev.ProgressReported(d.code, at, actor.person_id, d.state, after, unit=part.unit, text=text,
                                files=c.files)]


def check_extension_date(d: Directive, new_deadline: date, today: date) -> None:
    """The date a unit asks for: a valid new deadline, later than the one in force."""
    check_new_deadline(new_deadline, today)
    if d.deadline is not None and new_deadline <= d.deadline:
        raise DomainError("extension.not_later", date=d.deadline)


def _request_extension(d: Directive, c: RequestExtension, actor: Actor, unit: str | None, at: datetime,
                       rules: Rules) -> list[ev.Event]:
    reason = check_text(c.reason, MAX_REASON_CHARS, key="reason")
    check_extension_date(d, c.new_deadline, rules.today(at))
    return [ev.ExtensionRequested(d.code, at, actor.person_id, unit or "", d.deadline, c.new_deadline, reason)]


def _decide_extension(d: Directive, c: DecideExtension, actor: Actor, _u: str | None, at: datetime,
                      rules: Rules) -> list[ev.Event]:
    request = d.pending
    assert request is not None  # the rule checked one is pending
    if c.request_id is not None and request.id != c.request_id:
        raise DomainError("action.stale")
    note = check_text(c.note, MAX_REASON_CHARS, required=not c.approve, key="reason") or None
    if not c.approve:
        assert note is not None
        return [ev.ExtensionRefused(d.code, at, actor.person_id, d.deadline, request.new_deadline, note,
                                    unit=request.unit)]
    if request.new_deadline < rules.today(at):
        raise DomainError("extension.date_passed", date=request.new_deadline)
    return [ev.ExtensionApproved(d.code, at, actor.person_id, d.deadline, request.new_deadline,
                                 rules.due(request.new_deadline), d.deadline_version + 1, note, unit=request.unit)]


def _decision(d: Directive, c: Command, actor: Actor, _u: str | None, at: datetime, rules: Rules) -> list[ev.Event]:
    after = transition(d.state, c.move)
    reason = check_text(getattr(c, "reason", None), MAX_REASON_CHARS, required=c.move != Move.CONFIRM,
                        key="reason") or None
    if isinstance(c, Confirm):
        reported = [p.reported_done_at for p in d.leads if p.reported_done_at is not None]
        completed = local_date(max(reported), rules.tz) if reported else rules.today(at)
        return [ev.Confirmed(d.code, at, actor.person_id, d.state, after, None, completed, d.deadline_version)]
    if isinstance(c, Cancel):
        return [ev.Cancelled(d.code, at, actor.person_id, d.state, after, reason, None, d.deadline_version,
                             cancelled_on=rules.today(at))]
    # A new round: the reminders voided when the work was reported done keep their keys, so the new plan
    # needs a new deadline version.
    kind = ev.SentBack if isinstance(c, SendBack) else ev.Reopened
    return [kind(d.code, at, actor.person_id, d.state, after, reason, None, d.deadline_version + 1)]


def _add_files(d: Directive, c: AddFiles, actor: Actor, unit: str | None, at: datetime,
               rules: Rules) -> list[ev.Event]:
    return [ev.FilesAdded(d.code, at, actor.person_id, unit or "", c.files)]


DECIDE: dict[type[Command], Decide] = {
    ConfirmDraft: _confirm_draft, Discard: _discard, EditDraft: _edit, Acknowledge: _acknowledge,
    ReportProgress: _report, ReportDone: _report, RequestExtension: _request_extension,
    DecideExtension: _decide_extension, Confirm: _decision, SendBack: _decision, Reopen: _decision,
    Cancel: _decision, AddFiles: _add_files,
}


# ---------------------------------------------------------------------------------------------------------
# Evolve: the one place an event changes a directive


def merge_units(d: Directive, retired: tuple[str, ...], successor: str, at: datetime) -> list[ev.Event]:
    """The successor takes over the part of units retired into it (a system move: the office's CLI)."""
    if not any(p.unit in retired for p in d.parts) or successor in retired:
        return []
    event = ev.UnitsMerged(d.code, at, None, retired, successor)
    evolve(d, event)
    return [event]


def _merged(d: Directive, e: ev.UnitsMerged) -> None:
    """A retired unit's part becomes the successor's (a lead part wins over a support one; the successor's own
    part, when it had one, keeps its progress)."""
    moved = [p for p in d.parts if p.unit in e.retired]
    if not moved:
        return
    own = d.part(e.successor)
    role = LEAD if any(p.role == LEAD for p in [*moved, *([own] if own else [])]) else SUPPORT
    taker = own or replace(sorted(moved, key=lambda p: p.role != LEAD)[0], unit=e.successor, unit_id=None)
    taker.role = role
    place = d.parts.index(own) if own else d.parts.index(moved[0])
    parts = [p for p in d.parts if p.unit not in e.retired and p is not own]
    parts.insert(min(place, len(parts)), taker)
    d.parts = sorted(parts, key=lambda p: p.role != LEAD)
    if d.extension is not None and d.extension.unit in e.retired:
        d.extension.unit = e.successor


def born(event: ev.Created) -> Directive:
    d = Directive(code=event.code, content="", state=State.DRAFT)
    _take(d, event.snapshot)
    d.original_deadline = event.snapshot.deadline
    return d


def _take(d: Directive, shot: ev.Snapshot) -> None:
    """A creation's or a correction's snapshot: every field, and the parts (a unit that keeps its role keeps
    its part; a draft's parts were never acknowledged)."""
    d.state, d.content, d.deadline, d.due_on = shot.state, shot.content, shot.deadline, shot.due_on
    d.recurrence, d.source_number, d.source_date = shot.recurrence, shot.source_number, shot.source_date
    d.leader_name, d.assigned_on = shot.leader_name, shot.assigned_on
    d.reported_on, d.completed_on, d.cancelled_on = shot.reported_on, shot.completed_on, shot.cancelled_on
    d.cancel_reason, d.questions = shot.cancel_reason, shot.questions
    kept = {p.unit: p for p in d.parts}
    roles = {u: LEAD for u in shot.lead} | {u: SUPPORT for u in shot.support if u not in shot.lead}
    d.parts = [kept[u] if u in kept and kept[u].role == role else
               Part(u, role, kept[u].unit_id if u in kept else None) for u, role in roles.items()]


def evolve(d: Directive, e: ev.Event) -> None:
    """Apply one event to the directive: the same for a live change and for the log's replay."""
    if isinstance(e, ev.Assigned) and e.from_draft:
        d.state, d.assigned_on = State.ASSIGNED, e.snapshot.assigned_on
        d.code = e.new_code or d.code
    elif isinstance(e, ev.Created):
        _take(d, e.snapshot)
        d.original_deadline = e.snapshot.deadline
    elif isinstance(e, ev.Edited):
        _take(d, e.after)
        d.original_deadline = e.after.deadline
    elif isinstance(e, ev.UnitsMerged):
        _merged(d, e)
    elif isinstance(e, ev.Discarded):
        d.state = State.CANCELLED
    elif isinstance(e, ev.Acknowledged):
        part = _part_of(d, e.unit)
        part.acknowledged_at = part.acknowledged_at or e.at
        d.state = e.after
    elif isinstance(e, ev.ProgressReported):
        part = _part_of(d, e.unit)
        part.acknowledged_at = part.acknowledged_at or e.at
        part.last_report, part.last_report_at = e.text, e.at
        if isinstance(e, ev.DoneReported):
            part.reported_done_at = e.at
            d.reported_on = e.reported_on or d.reported_on
        d.state = e.after
    elif isinstance(e, ev.ExtensionRequested):
        d.extension = Extension(e.unit, e.new_deadline, e.old_deadline, e.reason, e.actor_id, e.at)
    elif isinstance(e, ev.ExtensionApproved | ev.ExtensionRefused):
        approved = isinstance(e, ev.ExtensionApproved)
        if d.extension is not None:
            d.extension.status = "approved" if approved else "refused"
            d.extension.decided_by, d.extension.decided_at, d.extension.decision_note = e.actor_id, e.at, e.note
        if isinstance(e, ev.ExtensionApproved):
            d.deadline, d.due_on, d.deadline_version = e.new_deadline, e.due_on, e.deadline_version
    elif isinstance(e, ev.Decided):
        d.state = e.after
        d.completed_on = e.completed_on
        d.deadline_version = e.deadline_version
        if isinstance(e, ev.SentBack | ev.Reopened):
            for part in d.parts:
                part.reported_done_at = None
            d.reported_on = None
        if isinstance(e, ev.Cancelled):
            d.cancel_reason, d.cancelled_on = e.reason, e.cancelled_on
            if d.pending is not None:
                d.pending.status = "void"
    elif isinstance(e, ev.FilesAdded):
        pass  # recorded for the history; the directive does not change
    else:  # pragma: no cover - every kind above has its rule
        raise TypeError(f"no rule for {type(e).__name__}")


def _part_of(d: Directive, unit: str) -> Part:
    part = d.part(unit)
    if part is None:
        raise DomainError("auth.not_your_unit")
    return part
