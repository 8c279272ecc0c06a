"""Sent outbox rows move to outbox_history (issue 23): the outbox keeps what is still to be sent, held or
failed, and a key sent and moved is never queued again — planned again by a send-back, written again by
hand, or racing the move on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select, text

from bot.domain.reminders import OVERDUE, REMINDER_KINDS
from bot.services import directives as svc
from bot.services import reminders, retention
from bot.services.ports import Row
from bot.services.verification import verify_log
from storage import history, pending
from storage.addressing import Directory
from storage.models import Outbox, OutboxHistory, OutboxPending
from storage.repository import SqlOutbox
from tests.conftest import NOW
from tests.integration.test_outbox_retention import local
from tests.integration.test_outbox_retention import run as run  # noqa: F401 - the fixture


async def _sent_keys(rt) -> list[str]:
    async with rt.sessions() as session:
        return list(await session.scalars(select(OutboxHistory.key)))


async def _outbox(rt) -> Counter[str]:
    async with rt.sessions() as session:
        return Counter(dict((await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))).all()))


async def test_a_reminder_sent_and_moved_is_never_sent_again_when_it_is_planned_again(rt, people, run):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát hồ sơ đất đai", lead=["SXD"], deadline=date(2026, 11, 27))], now=NOW)
    recorder = await run(NOW)
    for day in (date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 2)):
        await run(local(day))
    assert (await _outbox(rt))["sent"] > 0
    moved = await retention.move_sent(rt, batch=2)  # in batches: each its own transaction
    assert moved > 0 and (await _outbox(rt))["sent"] == 0
    sent = await _sent_keys(rt)
    assert len(sent) == moved
    async with rt.sessions() as session:
        second = await session.scalar(select(OutboxHistory).where(OutboxHistory.kind == OVERDUE,
                                                                  OutboxHistory.key.endswith(":2")))
    assert second is not None, sent
    before = len(recorder.got)

    # The first overdue ping sent once more (the office resends it after an uncertain delivery) plans the
    # next one again: the second, sent on 2/12 and moved to the history since. Its key must block it.
    at = local(date(2026, 12, 3), 9)
    async with rt.transaction() as session:
        uow = rt.uow_on(session)
        directive = await uow.directives.by_id(second.directive_id)
        await reminders.chain_overdue(uow, directive, second.address_id, 1, at)
    async with rt.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.key == second.key)) == 0
        assert await history.keys_twice(session) == 0
        assert await pending.differences(session) == (0, 0, 0)
    await run(at + timedelta(minutes=30))
    assert [g for g in recorder.got[before:] if g[1] == "remind.overdue"] == [], "a sent reminder went out again"
    await retention.move_sent(rt)
    keys = await _sent_keys(rt)
    assert len(keys) == len(set(keys)) and set(sent) <= set(keys)
    assert (await verify_log(rt)).ok


async def test_a_key_in_the_history_written_again_is_neither_kept_nor_queued(rt, people, run):
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Kiểm tra an toàn thực phẩm", lead=["SYT"], deadline=date(2026, 11, 27))], now=NOW)
    for moment in (NOW, local(date(2026, 11, 27)), local(date(2026, 11, 30))):
        await run(moment)
    await retention.move_sent(rt)
    async with rt.sessions() as session:
        rows = list(await session.scalars(select(OutboxHistory).where(OutboxHistory.kind.in_(REMINDER_KINDS))))
    assert rows
    for revive in (False, True):
        async with rt.transaction() as session:
            outbox = SqlOutbox(session, Directory(session))
            await outbox.add([Row(r.key, r.address_id, r.kind, r.payload, NOW, r.deadline_version) for r in rows],
                             None, NOW, revive=revive)
        async with rt.sessions() as session:
            keys = [r.key for r in rows]
            assert await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.key.in_(keys))) == 0
            assert await pending.differences(session) == (0, 0, 0)


async def test_the_move_carries_every_column_and_leaves_the_unsent_rows(rt, people, run):
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Báo cáo tiến độ giải ngân", lead=["STC"], deadline=date(2026, 11, 27))], now=NOW)
    await run(NOW)
    async with rt.sessions() as session:
        sent = {r.id: r for r in await session.scalars(select(Outbox).where(Outbox.status == "sent"))}
        unsent = {r.id: r.status for r in await session.scalars(select(Outbox).where(Outbox.status != "sent"))}
    assert sent and unsent
    await retention.move_sent(rt)
    async with rt.sessions() as session:
        moved = {r.id: r for r in await session.scalars(select(OutboxHistory))}
        assert dict((await session.execute(select(Outbox.id, Outbox.status))).all()) == unsent
    assert moved.keys() == sent.keys()
    for i, row in moved.items():
        for column in history.COLUMNS:
            assert getattr(row, column) == getattr(sent[i], column), column


async def test_an_insert_racing_the_move_on_postgresql_drops_its_row(rt, people, run, database_url):
    """PostgreSQL: a write of a key whose row another transaction is moving waits on the outbox's unique key,
    then finds that row gone; its next statement sees the key in the history and drops the new row."""
    if not database_url.startswith("postgresql"):
        return  # SQLite: writers take turns, there is no race
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát hồ sơ đất đai", lead=["SXD"], deadline=date(2026, 11, 27))], now=NOW)
    await run(NOW)
    async with rt.sessions() as session:
        row = await session.scalar(select(Outbox).where(Outbox.status == "sent").limit(1))
    assert row is not None
    mover = await rt.engine.connect()
    await mover.begin()
    try:
        assert await history.move_sent(mover) > 0  # not committed yet
        mover_pid = await mover.scalar(text("SELECT pg_backend_pid()"))

        async def write_again() -> list[str]:
            async with rt.transaction() as session:
                outbox = SqlOutbox(session, Directory(session))
                await outbox.add([Row(row.key, row.address_id, row.kind, row.payload, NOW, row.deadline_version)],
                                 None, NOW)
                return list(await session.scalars(select(Outbox.key).where(Outbox.key == row.key)))

        writer = asyncio.create_task(write_again())
        async with rt.engine.connect() as watch:  # wait until the writer waits for the mover's lock
            for _ in range(2000):
                blocked = await watch.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                    {"pid": mover_pid})
                if blocked or writer.done():
                    break
                await asyncio.sleep(0.01)
            assert blocked, "the write did not wait for the move"
        await mover.commit()
    finally:
        await mover.close()
    assert await writer == [], "the key was written to the outbox again"
    async with rt.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.key == row.key)) == 0
        assert await session.scalar(select(func.count()).select_from(OutboxPending)) == \
            await session.scalar(select(func.count()).select_from(Outbox).where(text(
                "status IN ('pending', 'claimed', 'sending')")))
        assert await history.keys_twice(session) == 0
