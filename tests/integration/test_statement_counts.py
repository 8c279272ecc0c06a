"""How many SQL statements each move of a directive's life sends to the database (one transaction each).
A bound per move: a change that adds a round trip to every button press shows up here, on both databases.
The counts themselves are printed (`-s`) for the benchmarks' notes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from bot.services import directives as svc
from tests.conftest import NOW

DAY = timedelta(days=1)
# The most statements each move may send (the engine's own BEGIN/COMMIT are not statements), per database: the
# counts of issue 23's thin actions, so that a change adding a round trip to a button press fails here.
# What each move sends, at most:
#   one read of who acts and the directive (with its assigner, a pending request, whether files or reminders
#   wait); one read of every address the move's notices and reminders go to (and its card's «heard» units);
#   the directive's UPDATE (its version), its assignment rows in one statement, the event;
#   the tallies' rows (in one statement: PostgreSQL a data-modifying WITH, SQLite an INSERT into a view whose trigger
#   writes each table);
#   the reminders voided (only when some wait; PostgreSQL: the queue's rows leave in the same statement);
#   the move's notices and reminders in one INSERT and their queue rows in one more (PostgreSQL: one statement).
# SQLite cannot write the outbox and its queue in one statement, so a report of done stays at 10 there (8 writes).
BOUNDS = {
    "sqlite": {"assign": 9, "acknowledge": 5, "progress": 7, "report_done": 10, "confirm": 8},
    "postgresql": {"assign": 8, "acknowledge": 5, "progress": 6, "report_done": 8, "confirm": 7},
}


@contextmanager
def counting(rt) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(rt.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(rt.engine.sync_engine, "before_cursor_execute", record)


@contextmanager
def driver_counting(rt) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """On PostgreSQL, the statements sent on the driver's own connection, around SQLAlchemy (the claim's path):
    asyncpg logs its connection's queries, not the prepared statements SQLAlchemy runs, so nothing is counted
    twice beside `counting`. Empty on SQLite."""
    seen: list[str] = []
    loggers: list[tuple[object, object]] = []

    def log(query) -> None:  # type: ignore[no-untyped-def]
        seen.append(query.query)

    def checkout(dbapi_connection, record, proxy) -> None:  # type: ignore[no-untyped-def]
        driver = dbapi_connection.driver_connection
        if hasattr(driver, "add_query_logger"):
            driver.add_query_logger(log)
            loggers.append((driver, log))

    event.listen(rt.engine.sync_engine.pool, "checkout", checkout)
    try:
        yield seen
    finally:
        event.remove(rt.engine.sync_engine.pool, "checkout", checkout)
        for driver, callback in loggers:
            driver.remove_query_logger(callback)  # type: ignore[attr-defined]


def _statements(seen: list[str]) -> list[str]:
    """What the move itself sent: SQLite's BEGIN IMMEDIATE and savepoint bookkeeping aside."""
    return [s for s in seen if not s.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA"))]


async def test_each_move_sends_a_bounded_number_of_statements(rt, people):
    counts: dict[str, int] = {}
    with counting(rt) as seen:
        [card] = await svc.create_directives(
            rt, people.leader, [svc.NewDirective("Rà soát các dự án chậm tiến độ", lead=["SXD"], support=["STC"],
                                                 deadline=date(2026, 12, 15))], now=NOW)
    counts["assign"] = len(_statements(seen))
    code = card.code
    with counting(rt) as seen:
        await svc.acknowledge(rt, people.sxd, code, now=NOW + DAY)
    counts["acknowledge"] = len(_statements(seen))
    with counting(rt) as seen:
        await svc.report_progress(rt, people.sxd, code, "Đã rà soát 12/20 dự án", now=NOW + 2 * DAY)
    counts["progress"] = len(_statements(seen))
    with counting(rt) as seen:
        await svc.report_done(rt, people.sxd, code, "Đã rà soát xong", now=NOW + 3 * DAY)
    counts["report_done"] = len(_statements(seen))
    with counting(rt) as seen:
        await svc.confirm_done(rt, people.leader, code, now=NOW + 4 * DAY)
    counts["confirm"] = len(_statements(seen))
    print("statements per move:", rt.engine.dialect.name, counts)
    for move, bound in BOUNDS[rt.engine.dialect.name].items():
        assert counts[move] <= bound, (move, counts[move], bound)


async def test_the_previews_of_a_messages_drafts_are_kept_in_one_statement(rt, people):
    """`remember_previews`: every draft's preview id in one UPDATE, whatever the number of drafts (it was one
    a draft); a place the message has no draft for is not written."""
    origin = (1001, 555)
    specs = [svc.NewDirective(f"Việc số {n} của thông báo", lead=["SXD"], deadline=date(2026, 12, 15))
             for n in range(5)]
    await svc.create_directives(rt, people.leader, specs, now=NOW, as_draft=True, origin=origin)
    previews = {0: 9001, 2: 9003, 3: 2**40, 7: 9008}  # a Telegram id past 32 bits; no draft at place 7
    with counting(rt) as seen:
        await svc.remember_previews(rt, people.leader, *origin, previews)
    writes = [s for s in _statements(seen) if "message_origins" in s]
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE"), writes
    async with rt.uow() as uow:
        assert await uow.origins.previews(*origin) == {0: 9001, 2: 9003, 3: 2**40}
