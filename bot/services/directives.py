"""The use cases that change a directive, one function each, for every caller (chat, web, CLI, imports,
tests): plain arguments in, the directive's card out. Each is one `lifecycle.act` (or `create`): the rule
is checked and the dates set by the aggregate (bot.domain.directive), what follows by `lifecycle.publish`."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from bot.domain import directive as dom
from bot.domain.deadlines import check_new_deadline, local_date
from bot.domain.directive import LEAD_QUESTIONS, RECURRENCES, UNSET, question_kind
from bot.domain.leaders import Leader, as_recorded
from bot.domain.lifecycle import Move, State
from bot.domain.policy import check_can_assign
from bot.domain.text import check_text
from bot.errors import DomainError
from bot.parsing import DraftDirective, UnitIndex
from bot.runtime import Runtime
from bot.services import lifecycle
from bot.services.cards import card_of
from bot.services.common import check_code
from bot.services.lifecycle import act
from bot.services.ports import FileRef
from bot.services.views import Card

MAX_BATCH = 30
MAX_FILE_NAME = 255
UNIT_MOVES = dom.UNIT_MOVES

__all__ = [
    "MAX_BATCH", "RECURRENCES", "UNSET", "FileRef", "NewDirective", "acknowledge", "add_files", "cancel",
    "check_action", "check_content", "check_deadline", "check_extension_date", "confirm_done", "confirm_draft",
    "create_directives", "decide_extension", "discard_draft", "draft_spec", "edit_draft", "keep_units_read", "reopen", "report_done",
    "report_progress", "request_extension", "send_back", "unit_questions",
]


@dataclass(frozen=True)
class NewDirective:
    """What a directive is made of, as a caller gives it. A draft may lack its lead unit (the parser could
    not resolve it); it cannot be assigned until one is chosen."""

    content: str
    lead: list[str]
    support: list[str] = field(default_factory=list)
    deadline: date | None = None
    recurrence: str | None = None
    source_number: str | None = None
    source_date: date | None = None
    leader_name: str | None = None
    questions: tuple[str, ...] = ()  # what the parser asks (DraftDirective.questions): a draft only


def _codes(codes: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.strip().upper() for c in codes if c and c.strip()))


def spec_of(spec: NewDirective) -> dom.Spec:
    """The caller's fields as the aggregate takes them (it checks the texts)."""
    return dom.Spec(content=spec.content, lead=_codes(spec.lead), support=_codes(spec.support),
                    deadline=spec.deadline, recurrence=spec.recurrence, source_number=spec.source_number,
                    source_date=spec.source_date, leader_name=spec.leader_name, questions=tuple(spec.questions))


def draft_spec(index: UnitIndex, draft: DraftDirective) -> NewDirective:
    """A directive as the parser read it (typed, pasted, guided, on any channel); a past deadline is left
    empty for the person to choose."""
    deadline = draft.deadline if "deadline_in_past" not in draft.problems else None
    return NewDirective(content=draft.content, lead=list(index.expand(draft.lead)),
                        support=list(index.expand(draft.support)), deadline=deadline,
                        recurrence=draft.recurrence if deadline else None, source_number=draft.source,
                        source_date=draft.source_date, leader_name=draft.leader, questions=draft.questions)


def with_leader(spec: dom.Spec, leaders: list[Leader]) -> dom.Spec:
    """The leader a text names ("PHÓ CHỦ TỊCH / Nguyễn Văn An" at its foot, «PCT Minh») recorded as the
    registered leader («Phó Chủ tịch UBND tỉnh Nguyễn Văn An») when one matches (bot/domain/leaders.py)."""
    if not spec.leader_name:
        return spec
    return replace(spec, leader_name=as_recorded(spec.leader_name, leaders))


def check_content(rt: Runtime, text: str) -> str:
    """A directive's content as it will be accepted (checked before the guided flow's last step)."""
    return check_text(text, rt.settings.max_text_chars, key="content")


def check_deadline(rt: Runtime, deadline: date | None, now: datetime) -> None:
    """A draft's deadline as it will be accepted (checked at the guided flow's deadline step, so a past day
    is asked again there rather than refused at the last step)."""
    check_new_deadline(deadline, local_date(now, rt.settings.tz))


# -- before assignment ---------------------------------------------------------------------------------------


async def create_directives(rt: Runtime, actor_id: int, specs: list[NewDirective], *, now: datetime,
                            as_draft: bool = False, origin: tuple[int, int] | None = None) -> list[Card]:
    """Assign one or several directives at once (all or none). As drafts, they wait for confirmation; a
    directive that still asks a question (`NewDirective.questions`) is only ever made as a draft.
    `origin` (chat, message) is the chat message they were read from, remembered so that an edit of that
    message updates them (bot.services.message_edits)."""
    if not specs:
        raise DomainError("directive.none")
    if len(specs) > MAX_BATCH:
        raise DomainError("directive.too_many", limit=MAX_BATCH)
    async with rt.uow() as uow:
        wanted = [spec_of(spec) for spec in specs]
        # who assigns, read with the units they name (one statement; the units are checked by `create`)
        person = await uow.people.actor(actor_id, units=[c for spec in wanted for c in (*spec.lead, *spec.support)])
        check_can_assign(person.role)
        leaders = await uow.people.leaders() if any(spec.leader_name for spec in specs) else []
        made = [await lifecycle.create(uow, person, with_leader(spec, leaders), now, draft=as_draft) for spec in wanted]
        if origin is not None:
            for position, directive in enumerate(made):
                await uow.origins.remember(directive, *origin, position, now)
        return [await card_of(rt, uow, directive, now) for directive in made]


async def confirm_draft(rt: Runtime, actor_id: int, code: str, *, now: datetime,
                        expected_version: int | None = None) -> Card:
    return await act(rt, actor_id, check_code(code), dom.ConfirmDraft(), now=now, expected_version=expected_version)


async def remember_previews(rt: Runtime, actor_id: int, chat_id: int, message_id: int,
                            previews: dict[int, int]) -> None:
    """The bot's preview message of each draft read from the message (its place there → the preview's id),
    kept with the draft's origin, in one statement: «Giao tất cả» turns them into cards, after a restart too.

    Written after the drafts' own transaction (`create_directives`, `message_edits.revise`), never in it: a
    preview names its draft's number and carries its buttons, so it is sent once the drafts are committed, and
    its id exists only once Telegram has answered; no write transaction is held open across those sends (on
    SQLite it would hold the whole database). The drafts and their origins are whole without it: a draft
    whose preview id was never kept (the process stopped between, a send failed) is as one whose preview
    could not be sent: «Giao tất cả» names it in its summary instead of turning the preview into its card.
    The handler keeps the previews sent even when a later send fails."""
    if not previews:
        return
    async with rt.uow() as uow:
        person = await uow.people.actor(actor_id)
        check_can_assign(person.role)
        await uow.origins.previewed(chat_id, message_id, previews)


async def assign_drafts(rt: Runtime, actor_id: int, chat_id: int, message_id: int, *, now: datetime) \
        -> tuple[list[tuple[str, Card, int | None]], list[Card]]:
    """«Giao tất cả» on the preview of a pasted notice: every draft read from that message that has no open
    question (a lead unit chosen) is assigned, in one transaction; the others stay drafts. Each draft
    assigned (its number, its card under its new code, the id of its preview message if one is known) and
    the cards that remain (drafts only: one assigned or discarded since is neither)."""
    assigned: list[tuple[str, Card, int | None]] = []
    remaining: list[Card] = []
    async with rt.uow() as uow:
        person = await uow.people.actor(actor_id)
        check_can_assign(person.role)
        previews = await uow.origins.previews(chat_id, message_id)
        for position, code in await uow.origins.of_message(chat_id, message_id):
            directive = await uow.directives.get(code)
            if directive.state != State.DRAFT:
                continue
            if not directive.leads:
                remaining.append(await card_of(rt, uow, directive, now))
                continue
            try:  # checked on a copy first: a code is drawn only for a draft that is assigned
                dom.apply(copy.deepcopy(directive), dom.ConfirmDraft(), lifecycle.actor_of(person), now, uow.rules)
            except DomainError:  # its deadline passed meanwhile, …: it waits for its own correction
                remaining.append(await card_of(rt, uow, directive, now))
                continue
            command = await lifecycle.with_code(uow, directive, dom.ConfirmDraft(), now)
            happened = dom.apply(directive, command, lifecycle.actor_of(person), now, uow.rules)
            await lifecycle.publish(lifecycle.Change(uow, directive, person), happened)
            assigned.append((code, await card_of(rt, uow, directive, now), previews.get(position)))
    return assigned, remaining


def unit_questions(questions: tuple[str, ...]) -> tuple[str, ...]:
    """A draft's open questions that «keep the units as read» answers: a doubted lead, «các địa phương»
    (LEAD_QUESTIONS). A date, a sentence that may be background, a unit the list lacks each need their own
    answer, so they stay."""
    return tuple(q for q in questions if question_kind(q) in LEAD_QUESTIONS)


@dataclass(frozen=True)
class KeptUnits:
    """What «Giữ đơn vị như đã đọc» did to a pasted notice's drafts: each draft whose unit questions it answered
    (its card, the id of its preview message if one is known), and the drafts it left as they were because
    they changed since the press was offered or the aggregate refused them (their cards as they stand, to be asked
    again); of those, the ones that changed since by their place in the message (a new press may cover them)."""

    answered: list[tuple[Card, int | None]]
    left: list[Card]
    changed: dict[int, Card] = field(default_factory=dict)


async def keep_units_read(rt: Runtime, actor_id: int, chat_id: int, message_id: int, *, now: datetime,
                          versions: Mapping[int, int] | None = None) -> KeptUnits:
    """The units of every draft read from that message kept as the parser read them, in one transaction: the
    open questions of `unit_questions` are answered (the same `EditDraft(answered=…)` as the draft's own
    «Giữ đơn vị như trên»), its other questions left open. `versions` (a draft's place in the message → its
    version when the person was offered the press) limits it to the drafts offered, as they were then: a
    draft changed since (read again from an edited message, corrected, answered) is left as it is and named,
    never half-written. A draft assigned or discarded since, or with no such question now, is passed over."""
    answered: list[tuple[Card, int | None]] = []
    left: list[Card] = []
    changed: dict[int, Card] = {}
    async with rt.uow() as uow:
        person = await uow.people.actor(actor_id)
        check_can_assign(person.role)
        previews = await uow.origins.previews(chat_id, message_id)
        for position, code in await uow.origins.of_message(chat_id, message_id):
            if versions is not None and position not in versions:
                continue  # not offered (added by an edit of the message since)
            directive = await uow.directives.get(code)
            kept = unit_questions(directive.questions)
            if directive.state != State.DRAFT or not kept:
                continue
            if versions is not None and directive.version != versions[position]:
                changed[position] = await card_of(rt, uow, directive, now)
                left.append(changed[position])
                continue
            command = dom.EditDraft(answered=kept)
            try:  # checked on a copy first: a refused draft is left whole, the others still answered
                dom.apply(copy.deepcopy(directive), command, lifecycle.actor_of(person), now, uow.rules)
            except DomainError as refused:
                if refused.key.startswith("auth."):
                    raise
                left.append(await card_of(rt, uow, directive, now))
                continue
            await lifecycle.correct(uow, person, directive, command, now)
            answered.append((await card_of(rt, uow, directive, now), previews.get(position)))
    return KeptUnits(answered, left, changed)


async def discard_draft(rt: Runtime, actor_id: int, code: str, *, now: datetime,
                        expected_version: int | None = None) -> Card:
    return await act(rt, actor_id, check_code(code), dom.Discard(), now=now, expected_version=expected_version)


async def edit_draft(rt: Runtime, actor_id: int, code: str, *, now: datetime, expected_version: int | None = None,
                     lead: list[str] | None = None, support: list[str] | None = None, deadline: object = UNSET,
                     content: str | None = None, source_number: object = UNSET, source_date: object = UNSET,
                     recurrence: object = UNSET, answered: tuple[str, ...] = ()) -> Card:
    """Correct any field of a draft before it is assigned; `deadline=None` makes it a standing task,
    `recurrence=None` a one-off one. Choosing a deadline answers the questions about the text's dates;
    `answered` answers others as the draft stands (a kind answers its first open question of that kind)."""
    command = dom.EditDraft(
        content=content if content is not None else UNSET,
        lead=_codes(lead) if lead is not None else None, support=_codes(support) if support is not None else None,
        deadline=deadline, source_number=source_number, source_date=source_date, recurrence=recurrence,
        answered=tuple(answered))
    async with rt.uow() as uow:
        person, directive = await uow.directives.get_as(actor_id, check_code(code), version=expected_version)
        await lifecycle.correct(uow, person, directive, command, now)
        return await card_of(rt, uow, directive, now)


# -- a unit's work -------------------------------------------------------------------------------------------


def _file_name(file: FileRef) -> str | None:
    name = check_text(file.name, 10_000, required=False, key="file")
    return name[:MAX_FILE_NAME] or None


def _files(files: list[FileRef] | None) -> list[FileRef]:
    """The files as they will be kept: a kind we keep, a channel id, a bounded name."""
    checked = []
    for file in files or []:
        if file.kind not in ("document", "photo") or not file.file_id or len(file.file_id) > 256:
            raise DomainError("file.unreadable")
        checked.append(FileRef(file.kind, file.file_id, file.file_unique_id, _file_name(file), file.mime_type,
                               file.size))
    return checked


async def check_action(rt: Runtime, actor_id: int, code: str, move: Move, *, now: datetime,
                       expected_version: int | None, unit_code: str | None = None) -> Card:
    """The checks `move` would make, without writing: lets the chat refuse before asking for a text."""
    return await lifecycle.check(rt, actor_id, check_code(code), PROBES[move](unit_code), now=now,
                                 expected_version=expected_version)


# A command standing for each move, to check it before its text is asked for.
PROBES = {
    Move.ACKNOWLEDGE: lambda unit: dom.Acknowledge(unit=unit),
    Move.PROGRESS: lambda unit: dom.ReportProgress(unit=unit),
    Move.REPORT_DONE: lambda unit: dom.ReportDone(unit=unit),
    Move.REQUEST_EXTENSION: lambda unit: dom.RequestExtension(unit=unit),
    Move.DECIDE_EXTENSION: lambda unit: dom.DecideExtension(),
    Move.CONFIRM: lambda unit: dom.Confirm(),
    Move.SEND_BACK: lambda unit: dom.SendBack(),
    Move.REOPEN: lambda unit: dom.Reopen(),
    Move.CANCEL: lambda unit: dom.Cancel(),
    Move.CONFIRM_DRAFT: lambda unit: dom.ConfirmDraft(),
    Move.DISCARD: lambda unit: dom.Discard(),
    Move.EDIT_DRAFT: lambda unit: dom.EditDraft(),
}


async def acknowledge(rt: Runtime, actor_id: int, code: str, *, now: datetime, unit_code: str | None = None,
                      expected_version: int | None = None) -> Card:
    return await act(rt, actor_id, check_code(code), dom.Acknowledge(unit=unit_code), now=now,
                     expected_version=expected_version)


async def report_progress(rt: Runtime, actor_id: int, code: str, text: str, *, now: datetime,
                          files: list[FileRef] | None = None, unit_code: str | None = None,
                          expected_version: int | None = None, expected_round: str | None = None) -> Card:
    return await _report(rt, actor_id, code, text, False, now, files, unit_code, expected_version, expected_round)


async def report_done(rt: Runtime, actor_id: int, code: str, text: str, *, now: datetime,
                      files: list[FileRef] | None = None, unit_code: str | None = None,
                      expected_version: int | None = None, expected_round: str | None = None) -> Card:
    return await _report(rt, actor_id, code, text, True, now, files, unit_code, expected_version, expected_round)


async def _report(rt: Runtime, actor_id: int, code: str, text: str, done: bool, now: datetime,
                  files: list[FileRef] | None, unit_code: str | None, expected_version: int | None,
                  expected_round: str | None) -> Card:
    """A progress or completion report: the text, the files, a notice to the office and the leader who
    assigned it (with the files), all in one transaction."""
    code = check_code(code)
    kept = _files(files)
    kind = dom.ReportDone if done else dom.ReportProgress
    names = tuple(f.name or f.kind for f in kept)
    return await act(rt, actor_id, code, kind(text=text, files=names, unit=unit_code), now=now,
                     expected_version=expected_version, expected_round=expected_round, files=kept)


async def add_files(rt: Runtime, actor_id: int, code: str, files: list[FileRef], *, now: datetime) -> Card:
    """More files for the report a unit has just made (an album arrives as several messages): kept with
    the directive and forwarded to the office and the leader like the first one."""
    kept = _files(files)
    return await act(rt, actor_id, check_code(code), dom.AddFiles(files=tuple(f.name or f.kind for f in kept)),
                     now=now, files=kept)


async def check_extension_date(rt: Runtime, actor_id: int, code: str, new_deadline: date, *, now: datetime,
                               unit_code: str | None = None) -> None:
    """The date a unit asks for, checked as the request will check it, before its reason is asked."""
    async with rt.uow(read_only=True) as uow:
        person, directive = await uow.directives.get_as(actor_id, check_code(code))
        dom.authorise(directive, dom.RequestExtension(unit=unit_code), lifecycle.actor_of(person))
        dom.check_extension_date(directive, new_deadline, uow.rules.today(now))


async def request_extension(rt: Runtime, actor_id: int, code: str, new_deadline: date, reason: str, *,
                            now: datetime, unit_code: str | None = None, expected_version: int | None = None,
                            expected_round: str | None = None) -> Card:
    return await act(rt, actor_id, check_code(code), dom.RequestExtension(new_deadline, reason, unit_code), now=now,
                     expected_version=expected_version, expected_round=expected_round)


# -- the office's and leaders' decisions --------------------------------------------------------------------


async def decide_extension(rt: Runtime, actor_id: int, code: str, approve: bool, *, now: datetime,
                           note: str | None = None, expected_version: int | None = None,
                           request_id: int | None = None) -> Card:
    """Approve (the deadline moves, the old one stays in history) or refuse, which needs a reason. A
    decision made on a request the decider saw (`request_id`) never lands on a later one."""
    return await act(rt, actor_id, check_code(code), dom.DecideExtension(approve, note, request_id), now=now,
                     expected_version=expected_version)


async def confirm_done(rt: Runtime, actor_id: int, code: str, *, now: datetime,
                       expected_version: int | None = None) -> Card:
    return await act(rt, actor_id, check_code(code), dom.Confirm(), now=now, expected_version=expected_version)


async def send_back(rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime,
                    expected_version: int | None = None, expected_round: str | None = None) -> Card:
    return await act(rt, actor_id, check_code(code), dom.SendBack(reason), now=now,
                     expected_version=expected_version, expected_round=expected_round)


async def reopen(rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime,
                 expected_version: int | None = None, expected_round: str | None = None) -> Card:
    return await act(rt, actor_id, check_code(code), dom.Reopen(reason), now=now,
                     expected_version=expected_version, expected_round=expected_round)


async def cancel(rt: Runtime, actor_id: int, code: str, reason: str, *, now: datetime,
                 expected_version: int | None = None, expected_round: str | None = None) -> Card:
    return await act(rt, actor_id, check_code(code), dom.Cancel(reason), now=now,
                     expected_version=expected_version, expected_round=expected_round)
