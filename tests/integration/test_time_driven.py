"""Time-driven work with an injected clock: jobs missed while the bot was down run once when it is back
(whichever replica sees them first), a graceful restart hands the dispatcher on at once, a deadline on a
day off runs to the next working day, and recurring occurrences say which period they cover and are
announced in office hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.outbox import Dispatcher
from bot.services import directives as svc
from bot.services import queries
from bot.services.jobs import Scheduler
from bot.services.lifecycle import roll_recurring
from storage.models import Directive, JobRun, Outbox
from tests.conftest import NOW
from tests.integration.test_reminders import NoLimit, Recorder


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


async def _outbox(rt, kind: str) -> int:
    async with rt.sessions() as s:
        return await s.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == kind)) or 0


async def test_a_bot_started_at_0746_sends_that_days_digests_and_rolls_recurring_directives_once(rt, people):
    await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Báo cáo giải ngân", ["STC"], [], date(2026, 11, 20), recurrence="monthly"),
        svc.NewDirective("Rà soát", ["SXD"], [], date(2026, 11, 27)),
    ], now=NOW)
    monday = local(2026, 11, 23, 7, 46)
    first, replica = Scheduler(rt, "a"), Scheduler(rt, "b")
    assert await first.run_due(monday) == ["recurrence", "digest_daily", "tallies", "outbox"]
    digests = await _outbox(rt, "digest")
    assert digests > 0
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive).where(Directive.previous_id.is_not(None))) == 1
    assert await first.run_due(monday + timedelta(minutes=1)) == []
    assert await replica.run_due(monday + timedelta(minutes=1)) == [], "another replica runs nothing twice"
    assert await replica.run_due(local(2026, 11, 23, 8, 1)) == ["digest_weekly"]
    assert await first.run_due(local(2026, 11, 23, 8, 2)) == []
    assert await _outbox(rt, "digest") > digests


async def test_jobs_missed_while_the_bot_was_down_run_when_it_is_back_and_none_on_a_holiday(rt, people):
    scheduler = Scheduler(rt, "a")
    assert await scheduler.run_due(local(2026, 11, 24, 10)) == ["recurrence", "tallies", "outbox"], "24/11 is a day off: no digest"
    # Down from Monday to Wednesday afternoon: the week's leaders' digest and that day's unit digest go once.
    assert await scheduler.run_due(local(2026, 11, 25, 15)) == ["recurrence", "digest_daily", "digest_weekly", "tallies", "outbox"]
    assert await scheduler.run_due(local(2026, 11, 25, 18)) == []
    async with rt.sessions() as s:
        periods = sorted((r.name, r.period) for r in await s.scalars(select(JobRun)))
    assert ("digest_weekly", "2026-W48") in periods and ("digest_daily", "2026-11-23") not in periods


async def test_a_failed_job_is_given_back_and_runs_on_a_later_tick(rt, people):
    calls = []

    async def flaky(rt_, now):  # noqa: ANN001
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return 0

    from bot.services.jobs import Job

    scheduler = Scheduler(rt, "a", (Job("flaky", lambda rt_, local_: local_.date().isoformat(), flaky),))
    try:
        await scheduler.run_due(NOW)
    except RuntimeError:
        pass
    assert await scheduler.run_due(NOW + timedelta(seconds=5)) == ["flaky"]
    assert len(calls) == 2


async def test_after_a_graceful_stop_the_next_process_dispatches_at_once(tmp_path, rt, people):
    if rt.engine.dialect.name != "sqlite":
        return  # the lease exists only on SQLite; PostgreSQL replicas share rows with SKIP LOCKED
    old, new = Recorder(), Recorder()
    first = Dispatcher(rt, old, "old", NoLimit())  # type: ignore[arg-type]
    await first.run_once(NOW)
    await first.release()
    await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát", ["SXD"], [], date(2026, 12, 15))],
                                now=NOW)
    second = Dispatcher(rt, new, "new", NoLimit())  # type: ignore[arg-type]
    assert await second.run_once(NOW + timedelta(seconds=5)) > 0
    assert new.texts(2001) == ["notify.assigned"]


async def test_a_saturday_deadline_is_not_overdue_on_monday_and_is_on_tuesday(rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát", ["SXD"], [],
                                                                              date(2026, 11, 28))], now=NOW)
    monday, tuesday = local(2026, 11, 30), local(2026, 12, 1)
    assert (await queries.overdue(rt, people.admin, now=monday)).total == 0
    assert (await queries.card(rt, people.admin, card.code, now=monday)).status.status == "in_progress_on_time"
    assert (await queries.overdue(rt, people.admin, now=tuesday)).total == 1
    assert (await queries.card(rt, people.admin, card.code, now=tuesday)).status.days_late == 1


async def test_an_occurrence_created_on_a_holiday_is_announced_when_the_office_opens(rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Báo cáo giải ngân", ["STC"], [], date(2026, 12, 25), recurrence="monthly")], now=NOW)
    new_year = local(2027, 1, 1, 0, 5)
    assert await roll_recurring(rt, new_year) == 1
    async with rt.sessions() as s:
        following = await s.scalar(select(Directive).where(Directive.previous_id == card.id))
        notices = (await s.scalars(select(Outbox).where(Outbox.directive_id == following.id,
                                                        Outbox.kind == "notify"))).all()
    assert following.deadline == date(2027, 1, 25)
    assert notices and all(n.due_at == local(2027, 1, 4, 7, 30) for n in notices), "not on New Year's Day"
    line = notices[0].payload["lines"][0]
    assert line["params"]["period"] == {"key": "occurrence.month", "params": {"month": "01", "year": "2027"}}
