"""Time-driven jobs with durable runs: recurring directives roll over once a day, each unit's digest goes
once per working day and the leaders' once per week; the report tallies are merged once a day, and the
outbox's sent rows move to its history (the history's old notices go: bot.services.retention). Every
dispatcher tick (and start-up) asks which job is due for which period; a run is claimed in `job_runs` first, so replicas run it once, and a job missed while
the bot was down runs when it is back. The jobs themselves are idempotent too (outbox keys name the day,
an occurrence has one successor), so a run that crashed half-way is simply run again."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.domain.schedule import every_day, weekly_at, working_day_at
from bot.runtime import Runtime
from bot.services.digests import daily_digest, weekly_digest
from bot.services.lifecycle import roll_recurring
from bot.services.reports import merge_tallies
from bot.services.retention import daily as outbox_daily
from storage.db import changed
from storage.models import JobRun

log = logging.getLogger(__name__)
STALE = timedelta(minutes=10)  # a claimed run this old without finishing crashed: run it again


@dataclass(frozen=True)
class Job:
    name: str
    period: Callable[[Runtime, datetime], str | None]  # the period due now (local time), or None
    run: Callable[[Runtime, datetime], Awaitable[int]]


def _until(rt: Runtime):
    return None if rt.settings.demo_mode else rt.settings.send_window_end


JOBS = (
    Job("recurrence", lambda rt, local: every_day(local), roll_recurring),
    Job("digest_daily", lambda rt, local: working_day_at(local, rt.calendar, rt.settings.daily_digest_time,
                                                          _until(rt)), daily_digest),
    Job("digest_weekly", lambda rt, local: weekly_at(local, rt.calendar, rt.settings.weekly_digest_weekday,
                                                     rt.settings.weekly_digest_time, _until(rt)), weekly_digest),
    Job("tallies", lambda rt, local: every_day(local), merge_tallies),
    Job("outbox", lambda rt, local: every_day(local), outbox_daily),
)


class Scheduler:
    """One per process: remembers which runs it saw finished, so a tick costs no query once a period's
    jobs are done."""

    def __init__(self, rt: Runtime, worker: str, jobs: tuple[Job, ...] = JOBS) -> None:
        self.rt = rt
        self.worker = worker
        self.jobs = jobs
        self._finished: set[tuple[str, str]] = set()

    async def run_due(self, now: datetime) -> list[str]:
        """Run every job due now that no process has run for its period; the names run."""
        local = now.astimezone(self.rt.settings.tz)
        ran = []
        for job in self.jobs:
            period = job.period(self.rt, local)
            if period is None or (job.name, period) in self._finished:
                continue
            if not await self._claim(job.name, period, now):
                continue
            try:
                await job.run(self.rt, now)
            except Exception:
                await self._give_back(job.name, period)
                raise
            await self._finish(job.name, period, now)
            ran.append(job.name)
        return ran

    async def _claim(self, name: str, period: str, now: datetime) -> bool:
        async with self.rt.transaction() as session:
            run = await session.get(JobRun, (name, period))
            if run is not None:
                if run.finished_at is not None:
                    self._finished.add((name, period))
                    return False
                taken = await session.execute(
                    update(JobRun).where(JobRun.name == name, JobRun.period == period, JobRun.finished_at.is_(None),
                                         JobRun.started_at < now - STALE)
                    .values(holder=self.worker, started_at=now))
                return bool(changed(taken))
        try:
            async with self.rt.transaction() as session:
                session.add(JobRun(name=name, period=period, holder=self.worker, started_at=now))
            return True
        except IntegrityError:  # another replica claimed it first
            return False

    async def _finish(self, name: str, period: str, now: datetime) -> None:
        async with self.rt.transaction() as session:
            await session.execute(update(JobRun).where(JobRun.name == name, JobRun.period == period)
                                  .values(finished_at=now))
        self._finished.add((name, period))
        log.info("job %s ran for %s", name, period)

    async def _give_back(self, name: str, period: str) -> None:
        async with self.rt.transaction() as session:
            run = await session.scalar(select(JobRun).where(JobRun.name == name, JobRun.period == period,
                                                            JobRun.holder == self.worker))
            if run is not None and run.finished_at is None:
                await session.delete(run)
