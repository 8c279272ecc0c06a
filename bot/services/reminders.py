"""Writing reminder rows: in the transaction that set a deadline, so none can be lost or orphaned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.reminders import BEFORE, ESCALATION, OVERDUE, Planned, next_overdue, plan
from bot.domain.units import short_name
from bot.runtime import Runtime
from bot.services import notify
from storage.models import Assignment, Directive, Outbox

MAX_CONTENT = 300
KEY_CHUNK = 500
TEXT_KEYS = {BEFORE: "remind.before", OVERDUE: "remind.overdue", ESCALATION: "remind.escalation"}


def reminder_key(kind: str, directive: Directive, chat_id: int, step: int) -> str:
    return f"{kind}:{directive.id}:{chat_id}:v{directive.deadline_version}:{step}"


async def _chats_for(session: AsyncSession, directive: Directive, kind: str) -> set[int]:
    if kind == ESCALATION:
        return await notify.deciders_of(session, directive)
    roles = ("lead",) if kind == OVERDUE else ("lead", "support")
    # A lead unit that has reported its part done waits for the others without being chased.
    return await notify.unit_chats(session, [a.unit_id for a in directive.assignments
                                             if a.role in roles and a.reported_done_at is None])


def _payload(directive: Directive, planned: Planned) -> dict[str, object]:
    content = directive.content if len(directive.content) <= MAX_CONTENT else directive.content[:MAX_CONTENT] + "…"
    leads = ", ".join(short_name(a.unit.name) for a in directive.assignments if a.role == "lead")
    return {
        "text": TEXT_KEYS[planned.kind],
        "code": directive.code,
        "params": {"code": directive.code, "content": content, "deadline": directive.due_on.isoformat()
                   if directive.due_on else None, "units": leads, "step": planned.step},
    }


async def _write(session: AsyncSession, directive: Directive, planned: list[Planned], now: datetime,
                 only_chats: set[int] | None = None) -> int:
    rows: dict[str, Outbox] = {}
    for item in planned:
        chats = await _chats_for(session, directive, item.kind)
        for chat_id in chats if only_chats is None else chats & only_chats:
            key = reminder_key(item.kind, directive, chat_id, item.step)
            rows[key] = Outbox(key=key, directive_id=directive.id, chat_id=chat_id, kind=item.kind,
                               deadline_version=directive.deadline_version, payload=_payload(directive, item),
                               due_at=item.due, created_at=now)
    if not rows:
        return 0
    existing = set(await session.scalars(select(Outbox.key).where(Outbox.key.in_(list(rows)))))
    session.add_all(row for key, row in rows.items() if key not in existing)
    return len(rows) - len(existing)


async def schedule(rt: Runtime, session: AsyncSession, directive: Directive, now: datetime, *,
                   again: bool = False, imported: bool = False) -> int:
    """All pings for the directive's current deadline (after assignment, an extension or a send-back).
    `again`: the work was reopened or sent back; when the leader and the office were already told it was
    long overdue, that escalation is not due again at once. `imported`: history entered late does not
    escalate at once (bot.domain.reminders.plan)."""
    await notify.void_reminders(session, directive, all_versions=True)
    planned = plan(directive.deadline, now, rt.settings.reminder_policy(), rt.calendar, rt.settings.tz,
                   imported=imported)
    if again and await session.scalar(select(Outbox.id).where(
            Outbox.directive_id == directive.id, Outbox.kind == ESCALATION, Outbox.status == "sent").limit(1)):
        planned = [p for p in planned if not (p.kind == ESCALATION and p.due <= now)]
    return await _write(session, directive, planned, now)


async def schedule_for_new_chat(rt: Runtime, session: AsyncSession, unit_id: int, chat_id: int, now: datetime) -> int:
    """A focal point or group joined a unit: the pings of the unit's working directives reach them too
    (before the deadline for its lead and support work, overdue for its lead work). A few queries in all,
    whatever the number of directives."""
    policy = rt.settings.reminder_policy()
    rows: dict[str, Outbox] = {}
    found = await session.execute(
        select(Directive, Assignment.role).join(Assignment, Assignment.directive_id == Directive.id)
        .where(Assignment.unit_id == unit_id, Assignment.is_open.is_(True), Assignment.reported_done_at.is_(None),
               Assignment.state.in_(["assigned", "in_progress"])))
    for directive, role in found:
        for item in plan(directive.deadline, now, policy, rt.calendar, rt.settings.tz):
            if item.kind == ESCALATION or (item.kind == OVERDUE and role != "lead"):
                continue
            key = reminder_key(item.kind, directive, chat_id, item.step)
            rows[key] = Outbox(key=key, directive_id=directive.id, chat_id=chat_id, kind=item.kind,
                               deadline_version=directive.deadline_version, payload=_payload(directive, item),
                               due_at=item.due, created_at=now)
    keys = list(rows)
    existing: dict[str, str] = {}
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start:start + KEY_CHUNK]
        existing.update((key, status) for key, status in await session.execute(
            select(Outbox.key, Outbox.status).where(Outbox.key.in_(chunk))))
    session.add_all(row for key, row in rows.items() if key not in existing)
    # A chat that comes back (invited again, its group registered again) gets the rows it was cut from.
    held = [key for key, status in existing.items() if status in ("void", "unreachable")]
    for key in held:
        row = rows[key]
        await session.execute(update(Outbox).where(Outbox.key == key).values(
            status="pending", due_at=row.due_at, payload=row.payload, lease_until=None, last_error=None))
    return len(rows) - len(existing) + len(held)


async def chain_overdue(rt: Runtime, session: AsyncSession, directive: Directive, chat_id: int, step: int,
                        now: datetime) -> None:
    """After an overdue ping went out, the next one, `overdue_every` working days on."""
    policy = rt.settings.reminder_policy()
    planned = Planned(OVERDUE, step + 1, next_overdue(now, policy, rt.calendar, rt.settings.tz))
    await _write(session, directive, [planned], now, only_chats={chat_id})

