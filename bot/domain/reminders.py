"""The reminder policy (DESIGN §6) as pure functions: when pings fall due, and the send window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar

BEFORE, OVERDUE, ESCALATION = "remind_before", "remind_overdue", "escalation"
REMINDER_KINDS = (BEFORE, OVERDUE, ESCALATION)


@dataclass(frozen=True)
class Policy:
    before: tuple[int, ...] = (5, 2, 0)
    overdue_every: int = 2
    escalate_after: int = 5
    window_start: time = time(7, 30)
    window_end: time = time(17, 0)
    window: bool = True  # False in demo mode: send at any hour, any day
    # A unit is told once, in its registered group when it has one (False), or in the group and by each of
    # its focal points (True): storage/addressing.py: unit_copies.
    every_member: bool = False


@dataclass(frozen=True)
class Planned:
    kind: str
    step: int  # the working-day offset (before) or the overdue ping's number
    due: datetime  # UTC


def window_open_at(day: date, policy: Policy, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, policy.window_start, tz).astimezone(ZoneInfo("UTC"))


def in_window(now: datetime, policy: Policy, calendar: WorkingCalendar, tz: ZoneInfo) -> bool:
    if not policy.window:
        return True
    local = now.astimezone(tz)
    return calendar.is_working_day(local.date()) and policy.window_start <= local.time() < policy.window_end


def plan(due: date | None, now: datetime, policy: Policy, calendar: WorkingCalendar, tz: ZoneInfo, *,
         imported: bool = False) -> list[Planned]:
    """The pings a newly set deadline calls for, counted from the day it really ends (`due`, the directive's
    due_on): before it, the first overdue one, and the escalation. Moments already past are dropped, except
    the last before-deadline one of today (sent at once).
    `imported`: history entered late (an import) is not news to the leaders: an escalation already due is
    moved to `escalate_after` working days after the import (it goes only if the work is still open then)
    and says how late the work is by that day."""
    if due is None:
        return []
    today = now.astimezone(tz).date()
    planned: list[Planned] = []
    for offset in sorted(set(policy.before), reverse=True):
        day = calendar.add_working_days(due, -offset)
        if day > today:
            planned.append(Planned(BEFORE, offset, window_open_at(day, policy, tz)))
        elif day == today and due >= today:
            planned.append(Planned(BEFORE, offset, max(now, window_open_at(day, policy, tz))))
    # Several moments already reached collapse to the latest (the dispatcher coalesces the same way).
    due_now = [p for p in planned if p.due <= now]
    planned = [p for p in planned if p.due > now] + due_now[-1:]
    first_overdue = calendar.add_working_days(due, 1)
    planned.append(Planned(OVERDUE, 1, max(now, window_open_at(first_overdue, policy, tz))))
    escalate = calendar.add_working_days(due, policy.escalate_after)
    step, moment = policy.escalate_after, window_open_at(escalate, policy, tz)
    if imported and moment <= now:
        later = calendar.add_working_days(today, policy.escalate_after)
        step, moment = calendar.working_days_between(due, later), window_open_at(later, policy, tz)
    planned.append(Planned(ESCALATION, step, max(now, moment)))
    return sorted(planned, key=lambda p: p.due)


def next_overdue(now: datetime, policy: Policy, calendar: WorkingCalendar, tz: ZoneInfo) -> datetime:
    """After an overdue ping, the next one: `overdue_every` working days later, from today (so a long
    downtime never produces a burst)."""
    today = now.astimezone(tz).date()
    return window_open_at(calendar.add_working_days(today, policy.overdue_every), policy, tz)


LATER_MARGIN = timedelta(hours=1)


def later_until(now: datetime, policy: Policy, calendar: WorkingCalendar, tz: ZoneInfo) -> datetime:
    """When a notice nobody needs at once (the office's confirmation to a unit) goes out if no other message
    to its reader has taken it along before: an hour before the send window closes, the same working day;
    at once when that hour has come; at the window's next opening outside it (with the morning's reminders)."""
    opening = next_window_open(now, policy, calendar, tz)
    if opening != now or not policy.window:
        return opening
    local = now.astimezone(tz)
    until = datetime.combine(local.date(), policy.window_end, tz) - LATER_MARGIN
    return max(now, until.astimezone(ZoneInfo("UTC")))


def next_window_open(now: datetime, policy: Policy, calendar: WorkingCalendar, tz: ZoneInfo) -> datetime:
    """`now` if messages may go now, else the next opening of the send window (a working day's start):
    what is written at night or on a holiday is read in office hours."""
    if in_window(now, policy, calendar, tz):
        return now
    local = now.astimezone(tz)
    day = local.date()
    if not calendar.is_working_day(day) or local.time() >= policy.window_start:
        day = calendar.add_working_days(day, 1) if calendar.is_working_day(day) else calendar.next_working_day(day)
    return window_open_at(day, policy, tz)
