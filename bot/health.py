"""The bot's health, as `python -m bot status` and the webhook's GET /healthz tell it: the database,
the schema, the outbox's backlog and failures, the dispatcher's last pass; and the problems they add up to.

Every count is one index-served query on one of the outbox's partial indexes (pending rows by due time,
failed ones by status and due time), never a scan of the table. Failures count over a recent window
(HEALTH_WINDOW_HOURS), so one old failure does not keep the bot unhealthy for ever.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.reminders import in_window
from bot.runtime import Runtime
from bot.services.operations import Problem, last_pass
from bot.texts import t
from storage.db import HEAD, current_revision
from storage.models import FAILED, PENDING, Address, Outbox

TIMEOUT_SECONDS = 10.0
# The statuses counted, each said literally (storage.models) so that the planners see which partial index
# holds its rows.
_COUNTED = {"pending": PENDING, **{status: f"{FAILED} AND status = '{status}'"
                                   for status in ("dead", "uncertain", "unreachable")}}


@dataclass
class ChannelHealth:
    """One messenger: configured in this process or not, the people reachable on it, its backlog and
    failures (over the same window)."""

    enabled: bool = False
    people: int = 0
    pending: int = 0
    dead: int = 0
    uncertain: int = 0
    unreachable: int = 0



@dataclass
class Health:
    checked_at: datetime
    database: bool = False
    database_url: str = ""
    error: str | None = None
    revision: str | None = None
    head: str | None = None
    pending: int = 0
    due: int = 0
    dead: int = 0
    uncertain: int = 0
    unreachable: int = 0
    window_hours: float = 24.0
    oldest_due_seconds: float | None = None
    last_pass_at: datetime | None = None
    last_pass_by: str | None = None
    last_pass_seconds: float | None = None
    problems: list[Problem] = field(default_factory=list)
    channels: dict[str, ChannelHealth] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["checked_at"] = self.checked_at.isoformat()
        data["last_pass_at"] = self.last_pass_at.isoformat() if self.last_pass_at else None
        data["problems"] = [{"kind": p.kind, **p.params} for p in self.problems]
        data["healthy"] = self.healthy
        return data

    def as_text(self, lang: str) -> str:
        verdict = t("health.ok" if self.healthy else "health.bad", lang)
        lines = [t("health.title", lang, at=self.checked_at, verdict=verdict)]
        lines += [t(f"ops.alert.{p.kind}", lang, **p.params) for p in self.problems]
        if self.database:
            lines += [
                t("health.database", lang, url=self.database_url),
                t("health.revision", lang, revision=self.revision or "—", head=self.head or "—"),
                t("health.outbox", lang, pending=self.pending, due=self.due),
                t("health.failures", lang, hours=_number(self.window_hours), dead=self.dead,
                  uncertain=self.uncertain, unreachable=self.unreachable),
                t("health.oldest_due", lang, seconds=round(self.oldest_due_seconds))
                if self.oldest_due_seconds is not None else t("health.none_due", lang),
                t("health.last_pass", lang, at=self.last_pass_at, seconds=round(self.last_pass_seconds or 0),
                  worker=self.last_pass_by or "—") if self.last_pass_at else t("health.no_pass", lang),
            ]
            lines += [t("health.channel", lang, channel=name.capitalize(),
                        state=t("health.channel_on" if c.enabled else "health.channel_off", lang), people=c.people,
                        pending=c.pending, dead=c.dead, uncertain=c.uncertain, unreachable=c.unreachable)
                      for name, c in self.channels.items()]
        return "\n".join(lines)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


async def check(rt: Runtime, now: datetime) -> Health:
    """Everything a monitor needs, read-only; a database that does not answer within a few seconds is
    reported as unreachable."""
    settings = rt.settings
    report = Health(checked_at=now, window_hours=settings.health_window_hours,
                    database_url=rt.engine.url.render_as_string(hide_password=True))
    try:
        await asyncio.wait_for(_measure(rt, now, report), TIMEOUT_SECONDS)
        report.database = True
    except Exception as error:  # noqa: BLE001 - whatever the driver raises, the database is not usable
        report.error = f"{type(error).__name__}: {error}"[:300]
        report.problems.append(Problem("database", {"error": report.error}))
        return report
    report.problems += problems(rt, report)
    return report


async def _measure(rt: Runtime, now: datetime, report: Health) -> None:
    async with rt.sessions() as session:
        await session.execute(text("SELECT 1"))
        report.revision = await current_revision(rt.engine)
        report.head = HEAD
        report.pending = await _count(session, "pending")
        report.due = await _count(session, "pending", until=now)
        since = now - timedelta(hours=rt.settings.health_window_hours)
        report.dead = await _count(session, "dead", since=since)
        report.uncertain = await _count(session, "uncertain", since=since)
        report.unreachable = await _count(session, "unreachable", since=since)
        oldest = await _oldest_sendable(rt, session, now)
        report.oldest_due_seconds = (now - oldest).total_seconds() if oldest is not None else None
        report.channels = await _channels(rt, session, since)
        beat = await last_pass(session)
        if beat is not None:
            report.last_pass_at, report.last_pass_by = beat.at, beat.worker
            report.last_pass_seconds = max((now - beat.at).total_seconds(), 0.0)


async def _channels(rt: Runtime, session: AsyncSession, since: datetime) -> dict[str, ChannelHealth]:
    """Each channel's reachable people, backlog and recent failures: two grouped queries (the outbox's rows
    through the partial indexes of pending and failed ones)."""
    settings = rt.settings
    found = {"telegram": ChannelHealth(enabled=bool(settings.telegram_bot_token.get_secret_value().strip())),
             "zalo": ChannelHealth(enabled=settings.zalo_enabled)}
    for channel, count in await session.execute(
            select(Address.channel, func.count()).where(Address.kind == "private", Address.person_id.is_not(None),
                                                        Address.reachable.is_(True)).group_by(Address.channel)):
        found.setdefault(channel, ChannelHealth()).people = int(count)
    rows = await session.execute(
        select(Address.channel, Outbox.status, func.count()).join(Address, Address.id == Outbox.address_id)
        .where(or_(text(PENDING), and_(text(FAILED), Outbox.due_at >= since)))
        .group_by(Address.channel, Outbox.status))
    for channel, status, count in rows:
        entry = found.setdefault(channel, ChannelHealth())
        if status in ("pending", "dead", "uncertain", "unreachable"):
            setattr(entry, status, int(count))
    return found


async def _count(session: AsyncSession, status: str, *, since: datetime | None = None,
                 until: datetime | None = None) -> int:
    query = select(func.count()).select_from(Outbox).where(text(_COUNTED[status]))
    if since is not None:
        query = query.where(Outbox.due_at >= since)
    if until is not None:
        query = query.where(Outbox.due_at <= until)
    return int(await session.scalar(query) or 0)


async def _oldest_sendable(rt: Runtime, session: AsyncSession, now: datetime) -> datetime | None:
    """The due time of the oldest row the dispatcher would send now: outside the send window reminders
    wait by design, so only notifications count then."""
    settings = rt.settings
    query = select(func.min(Outbox.due_at)).where(text(PENDING), Outbox.due_at <= now)
    if not in_window(now, settings.reminder_policy(), rt.calendar, settings.tz):
        query = query.where(Outbox.kind == "notify")
    return await session.scalar(query)


def problems(rt: Runtime, report: Health) -> list[Problem]:
    settings = rt.settings
    found = []
    if report.revision != report.head:
        found.append(Problem("migrations", {"revision": report.revision or "—", "head": report.head or "—"}))
    if report.oldest_due_seconds is not None and report.oldest_due_seconds > settings.health_max_due_age_seconds:
        found.append(Problem("stuck", {"due": report.due, "minutes": round(report.oldest_due_seconds / 60)}))
    if report.last_pass_seconds is None:
        found.append(Problem("dispatcher_never", {}))
    elif report.last_pass_seconds > settings.health_max_dispatch_silence_seconds:
        found.append(Problem("dispatcher", {"minutes": round(report.last_pass_seconds / 60)}))
    hours = _number(settings.health_window_hours)
    if report.dead > settings.health_max_dead:
        found.append(Problem("dead", {"count": report.dead, "hours": hours}))
    if report.uncertain > settings.health_max_uncertain:
        found.append(Problem("uncertain", {"count": report.uncertain, "hours": hours}))
    return found
