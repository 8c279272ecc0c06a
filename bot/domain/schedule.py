"""When time-driven jobs are due, as pure functions of the office's local time: each gives the period a
run belongs to (a day, an ISO week), or None while the job is not due. A job missed while the bot was
down is still due later in its period, so it runs once when the bot is back."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.domain.calendar import WorkingCalendar


def every_day(now: datetime) -> str:
    """Due at any hour: the day's period (recurring directives roll over once a day)."""
    return now.date().isoformat()


def working_day_at(now: datetime, calendar: WorkingCalendar, at: time, until: time | None) -> str | None:
    """Due on a working day from `at` until `until` (a digest is news only that day, within office hours)."""
    if not calendar.is_working_day(now.date()) or now.time() < at or (until is not None and now.time() >= until):
        return None
    return now.date().isoformat()


def weekly_at(now: datetime, calendar: WorkingCalendar, weekday: int, at: time, until: time | None) -> str | None:
    """Due from the first working day on or after `weekday` (0 = Monday) of this ISO week, at `at`, and on
    any later working day of the week until it has run."""
    today = now.date()
    next_monday = today + timedelta(days=7 - today.weekday())
    start = next_monday - timedelta(days=7 - weekday)
    while start < next_monday and not calendar.is_working_day(start):
        start += timedelta(days=1)
    if start >= next_monday or today < start:
        return None
    if not calendar.is_working_day(today) or (today == start and now.time() < at):
        return None
    if until is not None and now.time() >= until:
        return None
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"
