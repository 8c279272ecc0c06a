"""What an operator runs: `python -m bot status` (and its counts' query plans), `python -m bot verify-log`,
the dispatcher's heartbeat shared by replicas, and alerts to the operations chat, deduplicated."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from datetime import date, timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text, update

from bot import health
from bot.cli import main
from bot.outbox import Dispatcher
from bot.services import directives as svc
from bot.services import operations, verification
from storage.db import alembic_config
from storage.models import FAILED, IN_FLIGHT, PENDING, Address, Directive, Event, Heartbeat, Outbox
from tests.addressing import to_chat
from tests.conftest import AFTERNOON, NOW, make_settings
from tests.integration.test_reminders import NoLimit, Recorder

OPS = -4242
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def with_settings(rt, **values):  # noqa: ANN001, ANN201
    return dataclasses.replace(rt, settings=make_settings(**values))


async def _assign(rt, people, deadline=date(2026, 12, 4), **extra) -> str:  # noqa: ANN001
    [card] = await svc.create_directives(
        rt, people.leader, [svc.NewDirective("Rà soát dự án", lead=["SXD"], support=["STC"], deadline=deadline,
                                             **extra)], now=NOW)
    return card.code


async def _drain(rt, moment, worker="test") -> None:  # noqa: ANN001
    dispatcher = Dispatcher(rt, Recorder(), worker, NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(moment):
        pass


@pytest.fixture
def cli(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)

    async def run(*args: str) -> tuple[int, str]:
        code = await asyncio.to_thread(main, list(args))  # the CLI runs its own event loop
        return code, capsys.readouterr().out

    return run


# -- status --------------------------------------------------------------------------------------------


async def test_a_database_whose_dispatcher_never_ran_is_unhealthy_and_says_why(rt, people):
    report = await health.check(rt, NOW)
    assert report.database and report.head and report.revision == report.head
    assert [p.kind for p in report.problems] == ["dispatcher_never"]


async def test_after_a_dispatcher_pass_status_is_healthy_with_counts_and_the_last_pass(rt, people, cli, monkeypatch):
    # The CLI reads the real clock (bot.cli._now): pinned here to the next afternoon, long after the last pass
    # but before any reminder of the directive is due, so the outcome no longer depends on the day this runs
    # (with the real clock, its overdue reminders of 4/12/2026 were due from 7 December 2026 on; with a
    # deadline of 2036, the largest the ten-years rule allows, its reminders would be due from late November 2036).
    monkeypatch.setattr("bot.cli._now", lambda: AFTERNOON + timedelta(days=1))
    await _assign(rt, people)
    await _drain(rt, NOW, "host:42")
    report = await health.check(rt, NOW + timedelta(seconds=30))
    assert report.healthy, report.problems
    assert (report.pending, report.due, report.dead, report.uncertain) == (report.pending, 0, 0, 0)
    assert report.pending > 0, "the reminders planned for later"
    assert (report.last_pass_by, report.last_pass_seconds, report.oldest_due_seconds) == ("host:42", 30.0, None)

    await _drain(rt, AFTERNOON, "host:42")  # the support unit's notice, gone with the day's last pass
    code, out = await cli("status", "--json")
    data = json.loads(out)
    assert (code, data["database"], data["last_pass_by"], data["last_pass_seconds"]) == (1, True, "host:42", 86400.0), \
        "a day later: the pass is long ago by now"
    assert {p["kind"] for p in data["problems"]} == {"dispatcher"}
    code, out = await cli("status")
    assert code == 1 and "CÓ VẤN ĐỀ" in out and "bộ gửi tin nhắc đã ngừng chạy" in out and "Hàng đợi tin" in out


async def test_a_due_message_waiting_too_long_dead_and_uncertain_rows_each_make_it_unhealthy(rt, people):
    await _assign(rt, people)
    await _drain(rt, NOW - timedelta(hours=1))
    async with rt.transaction() as s:  # nothing sent since: the notifications are an hour overdue
        await s.execute(update(Outbox).where(Outbox.kind == "notify").values(status="pending", due_at=NOW - timedelta(hours=1)))
    await _drain(rt, NOW - timedelta(minutes=1))  # a fresh heartbeat, without sending
    async with rt.transaction() as s:
        await s.execute(update(Outbox).where(Outbox.kind == "notify").values(status="pending"))
    report = await health.check(rt, NOW)
    assert [p.kind for p in report.problems] == ["stuck"]
    assert report.problems[0].params == {"due": report.due, "minutes": 60}

    async with rt.transaction() as s:
        await s.execute(update(Outbox).where(Outbox.kind == "notify", to_chat(2001)).values(status="dead"))
        await s.execute(update(Outbox).where(Outbox.kind == "notify", to_chat(2002)).values(status="uncertain"))
    report = await health.check(rt, NOW)
    assert {p.kind for p in report.problems} >= {"dead", "uncertain"} and (report.dead, report.uncertain) == (1, 1)
    assert health.problems(with_settings(rt, health_max_dead=5, health_max_uncertain=5, health_max_due_age_seconds=7200), report) == []
    later = await health.check(rt, NOW + timedelta(hours=25))
    assert (later.dead, later.uncertain) == (0, 0), "failures count over the recent window only"


async def test_at_night_held_reminders_are_not_stuck_but_a_held_notification_is(rt, people):
    await _assign(rt, people, date(2026, 11, 23))
    await _drain(rt, NOW)
    night = NOW.replace(hour=16)  # 23:00 in Hà Nội
    async with rt.transaction() as s:
        await s.execute(update(Outbox).where(Outbox.kind != "notify").values(due_at=night - timedelta(hours=5)))
    await _drain(rt, night)
    report = await health.check(rt, night)
    assert report.due > 0 and report.oldest_due_seconds is None and report.healthy


async def test_a_schema_behind_the_migrations_is_reported_and_status_does_not_upgrade_it(rt, people, cli):
    await _drain(rt, NOW)
    async with rt.transaction() as s:
        await s.execute(text("UPDATE alembic_version SET version_num = '0002'"))
    try:
        report = await health.check(rt, NOW)
        assert [p.kind for p in report.problems] == ["migrations"] and report.revision == "0002"
        code, out = await cli("status", "--json")
        assert code == 1 and json.loads(out)["revision"] == "0002"
    finally:  # the PostgreSQL test database is shared by the session's tests
        async with rt.transaction() as s:
            await s.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": HEAD})


def test_an_unreachable_database_is_reported_not_raised(monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody:pw-secret-123@127.0.0.1:1/none")
    assert main(["status", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["database"] is False and data["problems"][0]["kind"] == "database"
    assert "pw-secret-123" not in json.dumps(data)


def _plan(rt, sql: str):  # noqa: ANN001, ANN202
    async def run() -> str:
        async with rt.engine.connect() as conn:
            if rt.engine.dialect.name == "postgresql":
                await conn.execute(text("SET enable_seqscan = off"))
                rows = await conn.execute(text(f"EXPLAIN {sql}"))
            else:
                rows = await conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            return "\n".join(str(r[-1]) for r in rows)

    return run()


@pytest.mark.parametrize("where", [
    PENDING,
    f"{PENDING} AND due_at <= '2026-11-20 02:00:00+00'",
    f"{PENDING} AND kind = 'notify' AND due_at <= '2026-11-20 02:00:00+00'",
    f"{FAILED} AND status = 'dead' AND due_at >= '2026-11-19 02:00:00+00'",
    f"{IN_FLIGHT} AND lease_until < '2026-11-20 02:00:00+00'",
])
async def test_the_dispatcher_and_health_queries_are_served_by_a_partial_index_never_a_table_scan(rt, where):
    from sqlalchemy import insert

    statuses = ["sent"] * 90 + ["pending"] * 7 + ["dead", "uncertain", "unreachable"]
    async with rt.transaction() as s:  # an outbox that has seen some use, so the planner has figures
        await s.execute(insert(Address), [{"id": n + 1, "channel": "telegram", "external_id": str(n), "kind": "private",
                                           "reachable": True, "created_at": NOW} for n in range(500)])
        await s.execute(insert(Outbox), [
            {"key": f"k{n}", "address_id": n % 500 + 1, "kind": "notify", "payload": {}, "status": statuses[n % 100],
             "due_at": NOW + timedelta(minutes=n - 10_000), "created_at": NOW, "attempts": 0, "uncertain": False,
             "deadline_version": 0} for n in range(20_000)])
    async with rt.engine.begin() as conn:
        await conn.execute(text("ANALYZE"))
    for select_ in ("count(*)", "min(due_at)"):
        plan = await _plan(rt, f"SELECT {select_} FROM outbox WHERE {where}")
        # A whole partial index may be read ("SCAN outbox USING INDEX …"), never the table.
        assert "ix_outbox_" in plan and "Seq Scan" not in plan and not re.search(r"SCAN outbox$", plan, re.M), plan


# -- the dispatcher's heartbeat and alerts ---------------------------------------------------------------


async def test_two_dispatchers_share_one_heartbeat_that_never_moves_backwards(rt):
    await operations.beat(rt, "a:1", NOW)
    await operations.beat(rt, "b:2", NOW - timedelta(seconds=3))  # a replica with a slightly slow clock
    async with rt.sessions() as s:
        beat = await s.get(Heartbeat, operations.DISPATCHER)
    assert (beat.at, beat.worker) == (NOW, "a:1")
    await operations.beat(rt, "b:2", NOW + timedelta(seconds=5))
    async with rt.sessions() as s:
        beat = await s.get(Heartbeat, operations.DISPATCHER)
    assert (beat.at, beat.worker) == (NOW + timedelta(seconds=5), "b:2")


async def test_a_problem_is_announced_to_the_ops_chat_once_per_repeat_period_whichever_replica_checks(rt, people):
    ops_rt = with_settings(rt, ops_chat_id=OPS, ops_alert_repeat_hours=6)
    dead = operations.Problem("dead", {"count": 3, "hours": 24})
    assert await operations.alert(ops_rt, [dead], "a:1", NOW) == ["dead"]
    assert await operations.alert(ops_rt, [dead], "b:2", NOW + timedelta(minutes=5)) == []
    assert await operations.alert(ops_rt, [dead, operations.Problem("stuck", {"due": 4, "minutes": 20})], "a:1",
                                  NOW + timedelta(hours=1)) == ["stuck"]
    assert await operations.alert(ops_rt, [dead], "b:2", NOW + timedelta(hours=6)) == ["dead"]
    recorder = Recorder()
    dispatcher = Dispatcher(rt, recorder, "x", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(NOW.replace(hour=17) + timedelta(hours=1)):  # at night: alerts still go
        pass
    assert recorder.texts(OPS) == ["ops.alert.dead", "ops.alert.stuck", "ops.alert.dead"]
    assert await operations.alert(rt, [dead], "a:1", NOW + timedelta(days=1)) == [], "no OPS_CHAT_ID, no alert"


async def test_an_error_that_repeats_is_one_alert_with_its_redacted_message(rt, people):
    import logging

    from bot.app import job_ops_check
    from bot.logging_setup import ErrorCounter, Redactor

    ops_rt = with_settings(rt, ops_chat_id=OPS, ops_error_repeats=3)
    counter = ErrorCounter(Redactor("123:TEST-secret-token"))
    log = logging.getLogger("tests.repeats")
    log.addHandler(counter)
    try:
        for _ in range(4):
            log.error("Unhandled error while handling an update with 123:TEST-secret-token")
    finally:
        log.removeHandler(counter)

    from handlers.context import BotData

    class Context:
        bot_data = BotData()

    Context.bot_data.rt, Context.bot_data.clock, Context.bot_data.errors = ops_rt, lambda: NOW, counter
    Context.bot_data.worker = "a:1"

    await _drain(rt, NOW)
    await job_ops_check(Context())  # type: ignore[arg-type]
    await job_ops_check(Context())  # type: ignore[arg-type]
    async with rt.sessions() as s:
        from sqlalchemy import select

        rows = list(await s.scalars(select(Outbox).where(to_chat(OPS))))
    assert [r.payload["text"] for r in rows] == ["ops.alert.errors"]
    assert rows[0].payload["params"]["count"] == 4 and "secret-token" not in rows[0].payload["params"]["message"]


# -- verify-log ------------------------------------------------------------------------------------------


async def _a_busy_province(rt, people) -> None:  # noqa: ANN001
    code = await _assign(rt, people)
    await svc.acknowledge(rt, people.sxd, code, now=NOW)
    await svc.report_progress(rt, people.stc, code, "Đã phối hợp", now=NOW + timedelta(minutes=1))
    await svc.request_extension(rt, people.sxd, code, date(2026, 12, 18), "Chờ số liệu", now=NOW)
    await svc.decide_extension(rt, people.leader, code, True, now=NOW + timedelta(minutes=2))
    await svc.report_done(rt, people.sxd, code, "Xong", now=NOW + timedelta(minutes=3))
    await svc.send_back(rt, people.admin, code, "Thiếu số liệu", now=NOW + timedelta(minutes=4))
    await svc.report_done(rt, people.sxd, code, "Đã bổ sung", now=NOW + timedelta(minutes=5))
    await svc.confirm_done(rt, people.admin, code, now=NOW + timedelta(minutes=6))
    await svc.reopen(rt, people.admin, code, "Cần làm thêm", now=NOW + timedelta(minutes=7))
    other = await _assign(rt, people, date(2026, 12, 10))
    await svc.request_extension(rt, people.sxd, other, date(2026, 12, 20), "Chờ", now=NOW)
    await svc.decide_extension(rt, people.leader, other, False, note="Không đủ căn cứ", now=NOW)
    await svc.cancel(rt, people.admin, other, "Không còn phù hợp", now=NOW)
    [draft] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Nháp", lead=["SXD"])], now=NOW,
                                          as_draft=True)
    await svc.edit_draft(rt, people.leader, draft.code, lead=["STC"], support=["SYT"], deadline=date(2026, 12, 30),
                         now=NOW)
    await svc.confirm_draft(rt, people.leader, draft.code, now=NOW)
    monthly = await _assign(rt, people, date(2026, 11, 30), recurrence="monthly")
    await svc.report_done(rt, people.sxd, monthly, "Tháng 11", now=NOW)
    await svc.confirm_done(rt, people.admin, monthly, now=NOW)  # the next occurrence is made
    [discarded] = await svc.create_directives(rt, people.leader, [svc.NewDirective("Bỏ", lead=["SYT"])], now=NOW,
                                              as_draft=True)
    await svc.discard_draft(rt, people.leader, discarded.code, now=NOW)


async def test_every_directive_the_services_wrote_is_rebuilt_exactly_from_its_log_in_small_batches(
        rt, people, monkeypatch, cli):
    await _a_busy_province(rt, people)
    monkeypatch.setattr(verification, "BATCH", 2)
    result = await verification.verify_log(rt)
    assert (result.directives, result.different, result.differences) == (6, 0, {})
    assert result.events >= 20
    code, out = await cli("verify-log")
    assert code == 0 and "6 nhiệm vụ" in out and "0 nhiệm vụ khác" in out


async def test_a_row_that_drifted_from_its_log_and_an_unknown_event_kind_are_reported_with_exit_1(rt, people, cli):
    await _a_busy_province(rt, people)
    async with rt.transaction() as s:
        await s.execute(update(Directive).where(Directive.code == "CD-2026-0001").values(
            state="done", deadline=date(2027, 1, 1)))
        directive_id = await s.scalar(text("SELECT id FROM directives WHERE code = 'CD-2026-0002'"))
        s.add(Event(directive_id=directive_id, actor_id=None, at=NOW, kind="imported_from_excel", data={}))
    code, out = await cli("verify-log", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and lines[0]["different"] == 2
    found = {line["code"]: line["differences"] for line in lines[1:]}
    assert found["CD-2026-0001"][:2] == ["state: log 'in_progress', row 'done'",
                                         "deadline: log datetime.date(2026, 12, 18), row datetime.date(2027, 1, 1)"]
    assert "unit SXD copy of state: 'in_progress', directive 'done'" in found["CD-2026-0001"], \
        "an UPDATE past the services leaves the unit's list copy behind, and verify-log says so"
    [unknown] = found["CD-2026-0002"]
    assert unknown.startswith("event ") and unknown.endswith(": unknown kind 'imported_from_excel'")
    code, out = await cli("verify-log")
    assert code == 1 and "CD-2026-0001:" in out and "unknown kind 'imported_from_excel'" in out

