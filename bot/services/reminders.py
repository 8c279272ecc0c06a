"""Reminder rows: planned in the transaction that set a deadline, voided in the one that made them moot,
so none is lost or orphaned. The plan itself is pure (bot.domain.reminders); this writes it per address."""

from __future__ import annotations

from datetime import datetime

from bot.domain import events as ev
from bot.domain.directive import LEAD, SUPPORT, Directive
from bot.domain.lifecycle import State
from bot.domain.reminders import BEFORE, ESCALATION, OVERDUE, Planned, next_overdue, next_window_open, plan
from bot.domain.units import short_name
from bot.services.notices import deciders
from bot.services.ports import Audience, Row, UnitOfWork

MAX_CONTENT = 300
TEXT_KEYS = {BEFORE: "remind.before", OVERDUE: "remind.overdue", ESCALATION: "remind.escalation"}


def reminder_key(kind: str, directive: Directive, address_id: int, step: int) -> str:
    return f"{kind}:{directive.id}:@{address_id}:v{directive.deadline_version}:{step}"


def audience_for(d: Directive, kind: str, units: set[int] | None = None) -> Audience:
    """Who a reminder chases: the deciders for an escalation, the lead units once overdue, every unit
    before the deadline; a lead unit that has reported its part done waits for the others unchased."""
    if kind == ESCALATION:
        return deciders(d)
    roles = (LEAD,) if kind == OVERDUE else (LEAD, SUPPORT)
    chased = {p.unit_id for p in d.parts if p.role in roles and p.reported_done_at is None and p.unit_id}
    return Audience(units=frozenset(chased if units is None else chased & units))


def _payload(d: Directive, planned: Planned, leads: str) -> dict[str, object]:
    content = d.content if len(d.content) <= MAX_CONTENT else d.content[:MAX_CONTENT] + "…"
    return {"text": TEXT_KEYS[planned.kind], "code": d.code,
            "params": {"code": d.code, "content": content, "deadline": d.due_on.isoformat() if d.due_on else None,
                       "units": leads, "step": planned.step}}


async def write(uow: UnitOfWork, d: Directive, planned: list[Planned], now: datetime, *, only: set[int] | None = None,
                units: set[int] | None = None, revive: bool = False) -> int:
    """A row per planned ping and address (those already written before are kept as they are, unless
    `revive`: an address coming back gets the rows it was cut from)."""
    if not planned:
        return 0
    names = await uow.units.names([p.unit for p in d.leads])
    leads = ", ".join(short_name(names.get(p.unit, p.unit)) for p in d.leads)
    rows: list[Row] = []
    for item in planned:
        addresses = await uow.outbox.addresses(audience_for(d, item.kind, units), reachable_only=False)
        for address in sorted(addresses if only is None else addresses & only):
            rows.append(Row(reminder_key(item.kind, d, address, item.step), address, item.kind,
                            _payload(d, item, leads), item.due, d.deadline_version))
    return await uow.outbox.add(rows, d, now, revive=revive)


async def schedule(uow: UnitOfWork, d: Directive, now: datetime, *, again: bool = False,
                   imported: bool = False) -> int:
    """All pings for the directive's current deadline (after assignment, an extension or a send-back).
    `again`: the work was reopened or sent back; when the leader and the office were already told it was
    long overdue, that escalation is not due again at once. `imported`: history entered late does not
    escalate at once (bot.domain.reminders.plan)."""
    await uow.outbox.void_reminders(d, all_versions=True)
    planned = plan(d.due_on, now, uow.policy, uow.rules.calendar, uow.rules.tz, imported=imported)
    if again and await uow.outbox.escalation_sent(d):
        planned = [p for p in planned if not (p.kind == ESCALATION and p.due <= now)]
    return await write(uow, d, planned, now)


async def on_event(uow: UnitOfWork, d: Directive, event: ev.Event) -> None:
    """Plan for a new deadline or round; void what a report, a confirmation or a cancellation made moot."""
    if isinstance(event, ev.Created | ev.ExtensionApproved):
        if d.state in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING) and not isinstance(event, ev.Drafted):
            await schedule(uow, d, event.at, imported=isinstance(event, ev.Imported))
    elif isinstance(event, ev.SentBack | ev.Reopened):
        await schedule(uow, d, event.at, again=True)
    elif isinstance(event, ev.DoneReported):
        if event.reported_on is not None:  # every lead unit has reported: nobody is chased any more
            await uow.outbox.void_reminders(d, all_versions=True)
        else:  # the other lead units are still chased, this one no longer
            part = d.part(event.unit)
            unit = frozenset({part.unit_id}) if part is not None and part.unit_id is not None else frozenset()
            await uow.outbox.void_reminders(d, all_versions=True,
                                            addresses=await uow.outbox.addresses(Audience(units=unit),
                                                                                 reachable_only=False))
    elif isinstance(event, ev.Confirmed | ev.Cancelled):
        await uow.outbox.void_reminders(d, all_versions=True)
    elif isinstance(event, ev.UnitsMerged) and d.state in (State.ASSIGNED, State.IN_PROGRESS, State.AWAITING):
        # the retired units' people are no longer chased; the successor's are, from now on
        retired = frozenset(u.id for u in await uow.units.active(event.retired))
        await uow.outbox.void_reminders(d, all_versions=True, addresses=await uow.outbox.addresses(
            Audience(units=retired), reachable_only=False))
        await schedule(uow, d, event.at)


async def chain_overdue(uow: UnitOfWork, d: Directive, address_id: int, step: int, now: datetime) -> None:
    """After an overdue ping went out, the next one, `overdue_every` working days on."""
    planned = Planned(OVERDUE, step + 1, next_overdue(now, uow.policy, uow.rules.calendar, uow.rules.tz))
    await write(uow, d, [planned], now, only={address_id})


async def join_unit(uow: UnitOfWork, directives: list[Directive], unit_id: int, address_id: int,
                    now: datetime) -> int:
    """A focal point or group joined a unit: the pings of the unit's working directives reach it too (before
    the deadline for its lead and support work, overdue for its lead work)."""
    written = 0
    for d in directives:
        planned = [p for p in plan(d.due_on, now, uow.policy, uow.rules.calendar, uow.rules.tz)
                   if p.kind != ESCALATION]
        written += await write(uow, d, planned, now, only={address_id}, units={unit_id}, revive=True)
    return written


def next_window(uow: UnitOfWork, now: datetime) -> datetime:
    return next_window_open(now, uow.policy, uow.rules.calendar, uow.rules.tz)
