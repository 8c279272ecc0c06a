"""Use cases of a unit on its directive: acknowledge, report progress or completion (with files), ask
for more time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import check_new_deadline, local_date
from bot.domain.lifecycle import OPEN_STATES, Move, transition
from bot.domain.policy import Role, check
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import notify
from bot.services.common import (
    MAX_REASON_CHARS,
    build_card,
    check_text,
    load_actor,
    load_directive,
    record,
    standing_of,
)
from bot.services.drafts import commit_card
from bot.services.views import Card
from storage.models import Assignment, Attachment, Directive, Event, ExtensionRequest, Person

MAX_FILE_NAME = 255
UNIT_MOVES = frozenset({Move.ACKNOWLEDGE, Move.PROGRESS, Move.REQUEST_EXTENSION, Move.REPORT_DONE})


@dataclass(frozen=True)
class FileRef:
    """A file as Telegram described it when someone sent it."""

    kind: str  # document | photo
    file_id: str
    file_unique_id: str
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None


async def _unit_move(
    session: AsyncSession, actor_id: int, code: str, move: Move, unit_code: str | None, expected_version: int | None,
    expected_round: str | None = None,
) -> tuple[Person, Directive, Assignment]:
    """Load and authorise; the assignment the unit acts on. A focal point acts for their own unit; the
    office for the unit it names (by default the first lead unit), recording a report it received."""
    actor = await load_actor(session, actor_id)
    directive = await load_directive(session, code, expected_version, expected_round)
    standing = await standing_of(session, directive)
    if actor.role == Role.FOCAL:
        acting = actor.unit.code if actor.unit else None
    elif actor.role == Role.ADMIN:
        acting = unit_code.strip().upper() if unit_code else min(standing.leads, default=None)
    else:
        acting = None
    check(actor.role, move, standing, acting)
    assignment = next(a for a in directive.assignments if a.unit.code == acting)
    return actor, directive, assignment


async def check_action(
    rt: Runtime, actor_id: int, code: str, move: Move, *, now: datetime, expected_version: int | None,
    unit_code: str | None = None,
) -> Card:
    """The checks `move` would make, without writing: lets the chat refuse before asking for a text. The
    card, so the question can say which directive it is about."""
    async with rt.sessions() as session:
        if move in UNIT_MOVES:
            _, directive, _ = await _unit_move(session, actor_id, code, move, unit_code, expected_version)
        else:
            actor = await load_actor(session, actor_id)
            directive = await load_directive(session, code, expected_version)
            check(actor.role, move, await standing_of(session, directive))
        return await build_card(rt, session, directive, now)


async def add_files(rt: Runtime, actor_id: int, code: str, files: list[FileRef], *, now: datetime) -> Card:
    """More files for the report a unit has just made (an album arrives as several messages): kept with
    the directive and forwarded to the office and the leader like the first one."""
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        directive = await load_directive(session, code)
        acting = actor.unit.code if actor.role == Role.FOCAL and actor.unit else None
        assignment = next((a for a in directive.assignments if a.unit.code == acting), None)
        if assignment is None:
            raise DomainError("auth.not_your_unit")
        if directive.state not in OPEN_STATES:
            raise DomainError("lifecycle.illegal", move="files", state=directive.state)
        names = [_file_name(f) or f.kind for f in files]
        event = record(session, directive, actor, "files_added", now, unit=assignment.unit.code, files=names)
        await session.flush()
        forwarded = _attach(session, directive, assignment, actor, event, files, now)
        chats = await notify.deciders_of(session, directive)
        await notify.enqueue(session, event, directive, chats, "notify.files_added", now, exclude=actor.telegram_id,
                             files=forwarded, code=directive.code, unit=assignment.unit.name,
                             content=directive.content, count=len(files))
        return await commit_card(rt, session, directive, now)


def _file_name(file: FileRef) -> str | None:
    name = check_text(file.name, 10_000, required=False, key="file")
    return name[:MAX_FILE_NAME] or None


def _attach(session: AsyncSession, directive: Directive, assignment: Assignment, actor: Person, event: Event,
            files: list[FileRef], now: datetime) -> list[dict[str, object]]:
    """Keep the files with the directive; what a notice needs to forward them."""
    forwarded: list[dict[str, object]] = []
    for file in files:
        if file.kind not in ("document", "photo") or not file.file_id or len(file.file_id) > 256:
            raise DomainError("file.unreadable")
        name = _file_name(file)
        session.add(Attachment(directive_id=directive.id, event_id=event.id, unit_id=assignment.unit_id,
                               person_id=actor.id, kind=file.kind, file_id=file.file_id,
                               file_unique_id=file.file_unique_id[:128], file_name=name,
                               mime_type=(file.mime_type or "")[:128] or None, file_size=file.size, created_at=now))
        forwarded.append({"kind": file.kind, "file_id": file.file_id, "name": name})
    return forwarded


async def acknowledge(
    rt: Runtime, actor_id: int, code: str, *, now: datetime, unit_code: str | None = None,
    expected_version: int | None = None,
) -> Card:
    async with rt.transaction() as session:
        actor, directive, assignment = await _unit_move(
            session, actor_id, code, Move.ACKNOWLEDGE, unit_code, expected_version
        )
        before = directive.state
        assignment.acknowledged_at = now
        if assignment.role == "lead":
            directive.state = transition(directive.state, Move.ACKNOWLEDGE)
        directive.updated_at = now
        record(session, directive, actor, "acknowledged", now, unit=assignment.unit.code,
               before={"state": before}, after={"state": directive.state})
        return await commit_card(rt, session, directive, now)


async def _report(
    rt: Runtime, actor_id: int, code: str, text: str, move: Move, *, now: datetime, files: list[FileRef],
    unit_code: str | None, expected_version: int | None, expected_round: str | None = None,
) -> Card:
    """A progress or completion report: the text, the files, and a notice to the office and the leader
    who assigned it (with the files), all in one transaction."""
    async with rt.transaction() as session:
        actor, directive, assignment = await _unit_move(session, actor_id, code, move, unit_code, expected_version,
                                                        expected_round)
        text = check_text(text, rt.settings.max_text_chars, key="report")
        before = directive.state
        assignment.acknowledged_at = assignment.acknowledged_at or now
        assignment.last_report, assignment.last_report_at = text, now
        done = move == Move.REPORT_DONE
        if done:
            assignment.reported_done_at = now
            all_reported = all(a.reported_done_at is not None for a in directive.assignments if a.role == "lead")
            directive.state = transition(directive.state, Move.REPORT_DONE if all_reported else Move.PROGRESS)
            if all_reported:
                directive.reported_on = local_date(now, rt.settings.tz)
                await notify.void_reminders(session, directive, all_versions=True)
            else:  # the other lead units are still chased, this one no longer
                await notify.void_reminders(session, directive, all_versions=True,
                                            chats=await notify.unit_chats(session, [assignment.unit_id]))
        elif assignment.role == "lead":
            directive.state = transition(directive.state, Move.PROGRESS)
        directive.updated_at = now
        names = [_file_name(f) or f.kind for f in files]
        event = record(session, directive, actor, "done_reported" if done else "progress", now,
                       unit=assignment.unit.code, text=text, files=names,
                       before={"state": before}, after={"state": directive.state})
        await session.flush()
        forwarded = _attach(session, directive, assignment, actor, event, files, now)
        chats = await notify.deciders_of(session, directive)
        await notify.enqueue(session, event, directive, chats, "notify.done_reported" if done else "notify.progress",
                             now, exclude=actor.telegram_id, files=forwarded, code=directive.code,
                             unit=assignment.unit.name, text=text, content=directive.content)
        return await commit_card(rt, session, directive, now)


async def report_progress(
    rt: Runtime, actor_id: int, code: str, text: str, *, now: datetime, files: list[FileRef] | None = None,
    unit_code: str | None = None, expected_version: int | None = None, expected_round: str | None = None,
) -> Card:
    return await _report(rt, actor_id, code, text, Move.PROGRESS, now=now, files=files or [],
                         unit_code=unit_code, expected_version=expected_version, expected_round=expected_round)


async def report_done(
    rt: Runtime, actor_id: int, code: str, text: str, *, now: datetime, files: list[FileRef] | None = None,
    unit_code: str | None = None, expected_version: int | None = None, expected_round: str | None = None,
) -> Card:
    return await _report(rt, actor_id, code, text, Move.REPORT_DONE, now=now, files=files or [],
                         unit_code=unit_code, expected_version=expected_version, expected_round=expected_round)


def _check_extension_date(directive: Directive, new_deadline: date, today: date) -> None:
    check_new_deadline(new_deadline, today)
    if directive.deadline is not None and new_deadline <= directive.deadline:
        raise DomainError("extension.not_later", date=directive.deadline)


async def check_extension_date(
    rt: Runtime, actor_id: int, code: str, new_deadline: date, *, now: datetime, unit_code: str | None = None,
) -> None:
    """The date a unit asks for, checked as the request will check it, before its reason is asked."""
    async with rt.sessions() as session:
        _, directive, _ = await _unit_move(session, actor_id, code, Move.REQUEST_EXTENSION, unit_code, None)
        _check_extension_date(directive, new_deadline, local_date(now, rt.settings.tz))


async def request_extension(
    rt: Runtime, actor_id: int, code: str, new_deadline: date, reason: str, *, now: datetime,
    unit_code: str | None = None, expected_version: int | None = None, expected_round: str | None = None,
) -> Card:
    async with rt.transaction() as session:
        actor, directive, assignment = await _unit_move(
            session, actor_id, code, Move.REQUEST_EXTENSION, unit_code, expected_version, expected_round
        )
        reason = check_text(reason, MAX_REASON_CHARS, key="reason")
        _check_extension_date(directive, new_deadline, local_date(now, rt.settings.tz))
        session.add(ExtensionRequest(
            directive_id=directive.id, unit_id=assignment.unit_id, requested_by=actor.id, requested_at=now,
            old_deadline=directive.deadline, new_deadline=new_deadline, reason=reason,
        ))
        directive.updated_at = now
        event = record(session, directive, actor, "extension_requested", now, unit=assignment.unit.code,
                       old_deadline=directive.deadline, new_deadline=new_deadline, reason=reason)
        chats = await notify.deciders_of(session, directive)
        await notify.enqueue(session, event, directive, chats, "notify.extension_requested", now,
                             exclude=actor.telegram_id, code=directive.code, unit=assignment.unit.name,
                             new_deadline=new_deadline, reason=reason, content=directive.content)
        return await commit_card(rt, session, directive, now)

