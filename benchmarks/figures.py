"""The in-process figures of benchmarks/run.py: each service call awaited in one event loop, timed with
`time.perf_counter`, as the bot's handlers call it, at the dataset's 09:00 (local) of its `today`.

Who asks: the focal point of the busiest unit (the unit leading the most directives) for its own list,
due-soon list, cards, histories and searches; a leader for that unit's overdue list and the province's;
the office's admin for the statistics of the last full year (as the chat's `/thongke YYYY` asks them,
without the breakdown by leader, and as the CLI's `report --period YYYY`, with it: the worse is shown);
one unit's statistics of that year, the busiest unit's without the breakdown by leader, and with it the
busiest unit's and the smallest commune's (the worse is shown). Two whole actions, as a button press runs
them: the busiest unit's focal point reports a directive done (a different one, in progress, each run)
and the office assigns a directive to 3 units (the busiest leads). The actions' changes stay: a kept
dataset gains `runs + 1` directives and as many reports; their tally rows are merged after the actions (and
any left unmerged before the run), as the daily job merges them, and on PostgreSQL the tables they wrote are
vacuumed, as autovacuum would.
Cards and histories are of a different directive each run, one the busiest unit takes part in (a focal
point opens no other: the reading rule); the sign-in lookup is of a different focal
point each run. The claim is the dispatcher's, at the next working day's morning, when the dataset's
reminders of the day are due; as in the dispatcher's passes, each claim is followed (untimed) by the
SQLite checkpoint that ends a pass; the rows it claimed are given back afterwards, so a kept dataset stays
as it was.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import SecretStr
from sqlalchemy import exists, func, select, text, update
from sqlalchemy.orm import aliased

from benchmarks.dataset import FOCAL_TELEGRAM_BASE, TZ, UNIT_COUNT, claim_moment
from benchmarks.plans import claim_plan, shown, unit_plans
from bot import heap
from bot.outbox import Dispatcher
from bot.runtime import Runtime
from bot.services import access, queries, reports
from bot.services import directives as actions
from bot.settings import Settings
from storage.models import Assignment, Directive, Outbox, OutboxPending, Person, Unit

CLAIMER = "bench-claim"
COMMON_SEARCH, RARE_SEARCH = "rà soát", "Ayun"


async def uncached(rt: Runtime, *args: Any, **kwargs: Any) -> Any:
    """A report computed afresh: the service keeps one until the data changes, and a kept answer would
    measure nothing."""
    rt.cache.pop(reports.REPORT_CACHE, None)
    return await reports.report(rt, *args, **kwargs)



@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        """Nearest rank: of 20 runs, the 19th fastest."""
        ordered = sorted(self.seconds)
        return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]

    def as_json(self, scale: float = 1000.0) -> dict[str, Any]:
        return {"p50": round(self.p50 * scale, 3), "p95": round(self.p95 * scale, 3), "runs": len(self.seconds)}


async def timed(call: Callable[[int], Awaitable[Any]], runs: int, budget: float,
                after: Callable[[], Awaitable[Any]] | None = None) -> Timing:
    """One warm-up call, then `runs` timed ones (fewer, but at least 3, when they pass `budget` seconds);
    `after`, untimed, runs between two calls."""
    await call(0)
    timing = Timing()
    stop_at = time.perf_counter() + budget
    for n in range(1, runs + 1):
        if after is not None:
            await after()
        started = time.perf_counter()
        await call(n)
        timing.seconds.append(time.perf_counter() - started)
        if len(timing.seconds) >= 3 and time.perf_counter() > stop_at:
            break
    return timing


def bench_settings() -> Settings:
    return Settings(_env_file=None, telegram_bot_token=SecretStr("1:bench"),  # type: ignore[call-arg]
                    bot_username="DonDocBenchBot")


async def give_back_claims(rt: Runtime) -> None:
    """Rows this benchmark claimed (now or in a run that was interrupted) are pending again: in the queue
    (the claim), and on the outbox itself (the former claim, measured beside it)."""
    async with rt.transaction() as session:
        await session.execute(update(OutboxPending).where(OutboxPending.claimed_by == CLAIMER)
                              .values(lease_until=None, claimed_by=None))
        await session.execute(update(Outbox).where(Outbox.status == "claimed", Outbox.claimed_by == CLAIMER)
                              .values(status="pending", lease_until=None, claimed_by=None, uncertain=False))


async def former_claim(rt: Runtime, moment: datetime) -> int:
    """The claim as it was before the queue table (issue 23): 100 due rows claimed on the outbox itself
    (an UPDATE of the big table's rows and their index entries) and their full rows, payloads included,
    read back and decoded. Measured beside the claim for a before/after in one run."""
    outbox = Outbox.__table__
    due = (select(outbox.c.id).where(text("status = 'pending'"), outbox.c.due_at <= moment)
           .order_by(outbox.c.due_at).limit(100))
    async with rt.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SET LOCAL synchronous_commit = off"))
            due = due.with_for_update(skip_locked=True)
        rows = list(await conn.execute(
            update(outbox).where(outbox.c.id.in_(due))
            .values(status="claimed", lease_until=moment, claimed_by=CLAIMER)
            .returning(*[outbox.c[name] for name in ("id", "address_id", "kind", "payload", "attempts", "directive_id",
                                                     "uncertain", "deadline_version", "due_at")])))
    if len(rows) != 100:
        raise RuntimeError(f"the former claim took {len(rows)} rows, not 100")
    return len([dict(r.payload) for r in rows])


WRITTEN = ("directives", "assignments", "events", "unit_tallies", "leader_tallies", "unit_leader_tallies")


async def vacuum_written(rt: Runtime, tables: tuple[str, ...] = WRITTEN, *, analyze: bool = True) -> None:
    """On PostgreSQL, the tables the actions and the merge wrote are vacuumed, as autovacuum would in time:
    otherwise a kept dataset carries their dead rows and the search index's pending entries into the next
    run (at 100k after ~25 runs: 67,000 dead tally rows, a rare-word search's statements 0.3 ms slower)."""
    if rt.engine.dialect.name != "postgresql":
        return
    async with rt.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text(f"VACUUM {'(ANALYZE) ' if analyze else ''}{', '.join(tables)}"))


@dataclass(frozen=True)
class Cast:
    unit_code: str
    unit_leads: int
    focal_id: int
    leader_id: int
    admin_id: int
    smallest_commune: str  # the commune leading the fewest directives (at least one)
    departments: tuple[str, ...]


async def cast(rt: Runtime) -> Cast:
    async with rt.sessions() as session:
        unit_id, leads = (await session.execute(
            select(Assignment.unit_id, func.count()).where(Assignment.role == "lead")
            .group_by(Assignment.unit_id).order_by(func.count().desc()).limit(1))).one()
        code = await session.scalar(select(Unit.code).where(Unit.id == unit_id))
        focal = await session.scalar(select(Person.id).where(Person.unit_id == unit_id, Person.role == "focal",
                                                             Person.active.is_(True)).limit(1))
        leader = await session.scalar(select(Person.id).where(Person.role == "leader").limit(1))
        admin = await session.scalar(select(Person.id).where(Person.role == "admin").limit(1))
        smallest = await session.scalar(
            select(Unit.code).join(Assignment, Assignment.unit_id == Unit.id)
            .where(Unit.kind == "commune", Assignment.role == "lead")
            .group_by(Unit.code).order_by(func.count(), Unit.code).limit(1))
        departments = tuple(await session.scalars(select(Unit.code).where(Unit.kind == "department")
                                                  .order_by(Unit.code).limit(3)))
    assert code and focal and leader and admin and smallest, "the dataset lacks the people it should have"
    return Cast(code, leads, focal, leader, admin, smallest, departments)


async def working_codes(rt: Runtime, unit_code: str, count: int) -> list[str]:
    """Codes of directives the unit leads alone and works on now (assigned or in progress), newest first:
    each reported done once by the benchmark."""
    async with rt.sessions() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == unit_code))
        other = aliased(Assignment)
        shared = exists().where(other.directive_id == Assignment.directive_id, other.role == "lead",
                                other.unit_id != unit_id)
        return list(await session.scalars(
            select(Directive.code).join(Assignment, Assignment.directive_id == Directive.id)
            .where(Assignment.unit_id == unit_id, Assignment.role == "lead",
                   Assignment.state.in_(("assigned", "in_progress")), ~shared)
            .order_by(Directive.id.desc()).limit(count)))


async def sample_codes(rt: Runtime, count: int, seed: int = 11, unit_code: str | None = None) -> list[str]:
    """Codes of `count` assigned (not draft) directives spread over the whole table; with `unit_code`, of
    directives that unit takes part in (the only cards its focal point may open)."""
    async with rt.sessions() as session:
        top = await session.scalar(select(func.max(Directive.id))) or 0
        rng = random.Random(seed)
        ids = [rng.randint(1, top) for _ in range(count * (200 if unit_code else 2))]
        query = select(Directive.code).where(Directive.id.in_(ids), Directive.state != "draft")
        if unit_code:
            query = query.where(Directive.id.in_(select(Assignment.directive_id).join(Unit, Unit.id == Assignment.unit_id)
                                                 .where(Unit.code == unit_code)))
        codes = list(await session.scalars(query))
    rng.shuffle(codes)
    return (codes * (count // max(len(codes), 1) + 1))[:count]


async def measure(url: str, today: date, runs: int, budget: float) -> dict[str, Any]:
    """Every in-process figure on the database at `url`: {name: Timing} plus the cast and row counts."""
    rt = Runtime.build(bench_settings(), url)
    now = datetime(today.year, today.month, today.day, 9, tzinfo=TZ).astimezone(UTC)
    try:
        # What earlier runs' actions (or one interrupted) left unmerged: the statistics read a merged dataset.
        await reports.merge_tallies(rt, now)
        who = await cast(rt)
        codes = await sample_codes(rt, runs + 1, unit_code=who.unit_code)  # cards the focal point may open
        heap.settle()  # as the bot does once started (bot/heap.py)
        year = today.year - 1
        found: dict[str, Timing] = {}

        async def run(name: str, call: Callable[[int], Awaitable[Any]],
                      after: Callable[[], Awaitable[Any]] | None = None, times: int = runs) -> None:
            found[name] = await timed(call, times, budget, after)
            print(f"    {name:28} p50 {found[name].p50 * 1000:9.2f} ms   p95 {found[name].p95 * 1000:9.2f} ms"
                  f"   ({len(found[name].seconds)} runs)", flush=True)

        await run("unit_list", lambda _: queries.unit_tasks(rt, who.focal_id, now=now))
        await run("overdue_list", lambda _: queries.overdue(rt, who.leader_id, now=now, unit_code=who.unit_code))
        await run("all_overdue", lambda _: queries.overdue(rt, who.leader_id, now=now))
        await run("due_soon", lambda _: queries.due_soon(rt, who.focal_id, now=now))
        await run("card.card", lambda n: queries.card(rt, who.focal_id, codes[n], now=now))
        await run("card.history", lambda n: queries.history(rt, who.focal_id, codes[n]))
        await run("card.identify", lambda n: access.identify(rt, FOCAL_TELEGRAM_BASE + 2 + n % (UNIT_COUNT - 1)))
        await run("search.common", lambda _: queries.search(rt, who.focal_id, COMMON_SEARCH, now=now))
        await run("search.rare", lambda _: queries.search(rt, who.focal_id, RARE_SEARCH, now=now))
        chat_scope = reports.scope_for(rt, now=now, period=str(year))
        await run("stats_year.chat", lambda _: uncached(rt, who.admin_id, chat_scope, leaders=False))
        await run("stats_year.cli", lambda _: uncached(rt, None, chat_scope))
        unit_scope = reports.scope_for(rt, now=now, period=str(year), unit_code=who.unit_code)
        await run("unit_stats_year", lambda _: uncached(rt, who.admin_id, unit_scope, leaders=False))
        await run("unit_stats_leaders.busiest", lambda _: uncached(rt, who.admin_id, unit_scope))
        small_scope = reports.scope_for(rt, now=now, period=str(year), unit_code=who.smallest_commune)
        await run("unit_stats_leaders.smallest", lambda _: uncached(rt, who.admin_id, small_scope))
        working = await working_codes(rt, who.unit_code, runs + 1)
        if len(working) < runs + 1:
            print(f"    action_report_done           not measured: {len(working)} directives in progress", flush=True)
        else:
            await run("action_report_done", lambda n: actions.report_done(
                rt, who.focal_id, working[n], "Đã hoàn thành, báo cáo kèm theo.", now=now, unit_code=who.unit_code))
        others = [code for code in who.departments if code != who.unit_code][:2]
        deadline = today.replace(day=1) + timedelta(days=45)
        await run("action_assign", lambda n: actions.create_directives(rt, who.admin_id, [actions.NewDirective(
            f"Rà soát, báo cáo tình hình thực hiện (đo {n})", [who.unit_code], others, deadline)], now=now))
        # The actions' tally rows merged as the daily job merges them, so a kept dataset stays comparable
        # from run to run (unmerged rows slow the next run's statistics).
        await reports.merge_tallies(rt, now)
        await vacuum_written(rt)
        await give_back_claims(rt)
        # The rows earlier runs claimed and gave back are dead versions at the front of the queue's index,
        # which autovacuum clears after 2,000 (migration 0023): as it would have by now.
        await vacuum_written(rt, ("outbox_pending", "outbox"), analyze=False)
        dispatcher = Dispatcher(rt, None, CLAIMER)  # type: ignore[arg-type]
        moment = claim_moment(today)
        claim_plans: list[dict[str, Any]] = []
        try:
            due = await _count_due(rt, moment)
            # A warm-up and `runs` claims of 100, each of rows not claimed before: a small province has fewer
            # reminders due at once, so fewer claims (at least 3).
            claims = min(runs, due // 100 - 1)
            if claims < 3:
                print(f"    claim_100                    not measured: {due} reminders due at the claim moment, "
                      f"{100 * 4} needed", flush=True)
            else:
                await run("claim_100", lambda _: _claim(dispatcher, moment, True), dispatcher.checkpoint, claims)
                claim_plans = await claim_plan(rt, dispatcher, moment)
                await run("claim_100.outside_window", lambda _: dispatcher.claim(moment, False),
                          dispatcher.checkpoint, claims)
                await give_back_claims(rt)
                # Before/after in one run: the former claim on the outbox itself, on the same rows.
                await run("claim_100.before", lambda _: former_claim(rt, moment), dispatcher.checkpoint, claims)
        finally:
            await give_back_claims(rt)
        rows = {t: await _count(rt, t) for t in ("directives", "assignments", "events", "outbox")}
        plans = await unit_plans(rt, unit_scope, who.leader_id, now) | ({"claim": claim_plans} if claim_plans else {})
        print("    query plans, the busiest unit's statistics and overdue list, the claim:\n" + shown(plans), flush=True)
        return {"timings": found, "cast": who.__dict__, "rows": rows, "due_at_claim": due, "plans": plans,
                "stats_year": year, "now": now.isoformat(), "claim_at": moment.isoformat()}
    finally:
        await rt.close()


async def _claim(dispatcher: Dispatcher, moment: datetime, window: bool) -> None:
    claimed = await dispatcher.claim(moment, window)
    if len(claimed) != 100:
        raise RuntimeError(f"the claim took {len(claimed)} rows, not 100: too few due reminders in the dataset")


async def _count_due(rt: Runtime, moment: datetime) -> int:
    async with rt.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Outbox).where(
            Outbox.status == "pending", Outbox.due_at <= moment)) or 0


async def _count(rt: Runtime, table: str) -> int:
    async with rt.sessions() as session:
        return await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0
