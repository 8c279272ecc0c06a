"""Digests: a weekly one for leaders and the office, a daily one for each unit with open work and news
since the last one (something assigned to it, or fallen overdue).

Both count by the report's written rule (bot/reports/numbers.py, rules 3 and 8: lead work, support
apart) and carry buttons to the lists they summarise, whose counts they match: «Quá hạn» and «Sắp đến
hạn» of the unit and «Việc của đơn vị» (as data: {"list": "over"|"soon"|"my", "unit": CODE}). A unit's
daily digest also lists the tasks the unit has not acknowledged yet, with one button that acknowledges those
it lists (as data: {"ack": [codes]}; each channel draws it its own way). Each is a
message of its own (kind "digest"): the sender never merges it into a reminder batch. Their outbox keys
name the day or the week, so several replicas running the same job write each digest once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.calendar import end_of_month
from bot.domain.deadlines import local_date
from bot.domain.lifecycle import due_soon_until
from bot.domain.policy import DECIDERS
from bot.reports import counts, numbers
from bot.runtime import Runtime
from bot.services import notify
from storage import history, pending
from storage.addressing import chosen_addresses
from storage.models import Assignment, Directive, JobRun, Outbox, Person, Unit

MAX_UNITS_IN_DIGEST = 10
# The unit's tasks not acknowledged yet that a daily digest lists (newest first) and its button acknowledges:
# few enough for the confirmation that names them to fit a button's answer (200 characters).
MAX_UNACKED_IN_DIGEST = 8
UNACKED_CONTENT_CHARS = 70

Line = tuple[str, dict[str, Any]]


def _button(key: str, count: int, kind: str, unit: str = "") -> list[Any]:
    """A way to the list a digest line counts, as data: each channel draws it its own way."""
    return [key, {"count": count}, {"list": kind, "unit": unit}]


async def _add(session: AsyncSession, key: str, address_id: int, kind: str, lines: list[Line],
               buttons: list[list[Any]], now: datetime) -> int:
    if await session.scalar(select(Outbox.id).where(Outbox.key == key)) is not None \
            or await history.sent_keys(session, [key]):
        return 0
    payload = {"text": kind, "lines": [list(line) for line in lines], "buttons": buttons}
    row = Outbox(key=key, address_id=address_id, kind="digest", payload=payload, due_at=now, created_at=now)
    session.add(row)
    await session.flush()
    await pending.enqueue(session, [row])  # a digest: never an alert
    return 1


def _month_scope(day: date, today: date) -> counts.Scope:
    start = day.replace(day=1)
    return counts.make_scope(start, end_of_month(start.year, start.month), today)


async def weekly_digest(rt: Runtime, now: datetime) -> int:
    """Overdue by lead unit, what falls due this week, this month's on-time rate against last month's; nothing
    when the province has no work open and none counted this month or last (a new installation)."""
    today = local_date(now, rt.settings.tz)
    week_end = today + timedelta(days=6 - today.weekday())
    year, week, _ = today.isocalendar()
    async with rt.transaction() as session:
        readers = await chosen_addresses(session, await session.scalars(
            select(Person.id).where(Person.role.in_(list(DECIDERS)), Person.active.is_(True))))
        if not readers:
            return 0
        province = (await numbers.open_work(session, today, week_end, by_unit=False)).get(None, numbers.OpenWork())
        per_unit = await numbers.open_work(session, today, week_end, by_unit=True)
        this_month = await numbers.totals(session, _month_scope(today, today))
        last_month = await numbers.totals(session, _month_scope(today.replace(day=1) - timedelta(days=1), today))
        if not province.tasks and this_month == counts.Counts() and last_month == counts.Counts():
            return 0  # nothing open, nothing this month or last: a digest of zeros costs attention and says nothing
        names = dict((await session.execute(select(Unit.id, Unit.name))).all())
        lines: list[Line] = [
            ("digest.weekly_title", {"as_of": today.isoformat()}),
            ("digest.weekly_counts", {"open": province.working, "overdue": province.overdue,
                                      "awaiting": province.awaiting, "due_week": province.due_soon}),
            ("digest.weekly_rate", {"rate": this_month.rate, "previous": last_month.rate}),
        ]
        late = sorted(((names[u], w.overdue) for u, w in per_unit.items() if w.overdue and u in names),
                      key=lambda x: (-x[1], x[0]))
        if late:
            lines.append(("digest.weekly_units", {}))
            lines += [("digest.unit_line", {"unit": name, "overdue": n}) for name, n in late[:MAX_UNITS_IN_DIGEST]]
        buttons = [_button("btn.digest_overdue", province.overdue, "over"),
                   _button("btn.digest_soon", province.due_soon, "soon")]
        written = 0
        for address in sorted(readers):
            written += await _add(session, f"digest:weekly:{year}-W{week:02d}:@{address}", address, "digest.weekly",
                                  lines, buttons, now)
        return written


async def news_since_last_digest(session: AsyncSession, today: date) -> set[int]:
    """The units with something new since the last daily digest ran (a directive assigned to them, as lead
    or support, on or after that day) or something that fell overdue since (lead work not reported whose
    day ended between that digest and today); every unit with open work when no digest ran before."""
    previous = await session.scalar(select(func.max(JobRun.period)).where(
        JobRun.name == "digest_daily", JobRun.period < today.isoformat(), JobRun.finished_at.is_not(None)))
    news = select(Assignment.unit_id).where(Assignment.is_open.is_(True)).distinct()
    if previous is None:
        return set(await session.scalars(news))
    since = date.fromisoformat(previous)
    fresh = Assignment.assigned_on >= since
    late = (Assignment.role == "lead") & Assignment.reported_on.is_(None) & (Assignment.due_on < today) & \
        (Assignment.due_on >= since)
    return set(await session.scalars(news.where(or_(fresh, late))))


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def unacknowledged(session: AsyncSession, unit_id: int) -> tuple[int, list[tuple[str, str]]]:
    """How many open tasks (lead or support) the unit has not acknowledged, and the newest of them (code,
    content), at most MAX_UNACKED_IN_DIGEST."""
    waiting = (Assignment.unit_id == unit_id) & Assignment.is_open.is_(True) & Assignment.acknowledged_at.is_(None)
    rows = (await session.execute(
        select(Directive.code, Directive.content).select_from(Assignment)
        .join(Directive, Directive.id == Assignment.directive_id)
        .where(waiting).order_by(Assignment.assigned_on.desc(), Assignment.directive_id.desc())
        .limit(MAX_UNACKED_IN_DIGEST + 1))).all()
    count = len(rows)
    if count > MAX_UNACKED_IN_DIGEST:
        count = int(await session.scalar(select(func.count()).select_from(Assignment).where(waiting)) or 0)
    return count, [(code, content) for code, content in rows[:MAX_UNACKED_IN_DIGEST]]


def unacknowledged_part(count: int, listed: list[tuple[str, str]]) -> tuple[list[Line], list[list[Any]]]:
    """The digest's lines listing the unit's tasks not acknowledged yet, and the button that acknowledges
    the listed ones (none when there are none)."""
    if not listed:
        return [], []
    lines: list[Line] = [("digest.unacked", {"count": count})]
    lines += [("digest.unacked_line", {"code": code, "content": _clip(content, UNACKED_CONTENT_CHARS)})
              for code, content in listed]
    if count > len(listed):
        lines.append(("digest.unacked_more", {"count": count - len(listed)}))
    codes = [code for code, _ in listed]
    button = ["btn.ack_code", {"code": codes[0]}, {"ack": codes}] if len(codes) == 1 else \
        ["btn.ack_all", {"count": len(codes)}, {"ack": codes}]
    return lines, [button]


async def daily_digest(rt: Runtime, now: datetime) -> int:
    """Each unit with open lead work (or support work) and something new or newly overdue since the last
    digest gets its counts and the buttons to its lists, once (the unit's group when it has one); and the
    tasks it has not acknowledged yet, with one button to acknowledge them (no digest only for that)."""
    today = local_date(now, rt.settings.tz)
    soon = due_soon_until(today, rt.calendar, rt.settings.due_soon_working_days)
    every_member = rt.settings.unit_notices_to == "everyone"
    async with rt.transaction() as session:
        lead = await numbers.open_work(session, today, soon, by_unit=True)
        support = await numbers.open_work(session, today, soon, by_unit=True, role="support")
        wanted = (set(lead) | set(support)) & await news_since_last_digest(session, today)
        units = {u.id: u for u in await session.scalars(select(Unit).where(Unit.id.in_(wanted)))}
        written = 0
        for unit_id, unit in sorted(units.items()):
            work = lead.get(unit_id, numbers.OpenWork())
            helping = support.get(unit_id, numbers.OpenWork()).tasks
            lines: list[Line] = [("digest.daily_title", {"unit": unit.name}),
                                 ("digest.daily_counts", {"open": work.tasks, "overdue": work.overdue,
                                                          "due_soon": work.due_soon})]
            if helping:
                lines.append(("digest.daily_support", {"support": helping}))
            waiting, ack_button = unacknowledged_part(*await unacknowledged(session, unit_id))
            lines += waiting
            buttons = [*ack_button, _button("btn.digest_overdue", work.overdue, "over", unit.code),
                       _button("btn.digest_soon", work.due_soon, "soon", unit.code),
                       _button("btn.digest_mine", work.tasks, "my", unit.code)]
            for address in sorted(await notify.unit_addresses(session, [unit_id], every_member=every_member)):
                written += await _add(session, f"digest:daily:{today.isoformat()}:{unit_id}:@{address}", address,
                                      "digest.daily", lines, buttons, now)
        return written
