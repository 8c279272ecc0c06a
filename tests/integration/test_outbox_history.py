"""Sent outbox rows move to outbox_history (issue 23): the outbox keeps what is still to be sent, held or
failed, and a key sent and moved is never queued again — planned again, written again by hand, or written
while the move is under way."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bot.domain.reminders import OVERDUE, REMINDER_KINDS
from bot.services import directives as svc
from bot.services import reminders, retention
from bot.services.ports import Row
from bot.services.verification import verify_log
from storage import history, pending
from storage.addressing import Directory
from storage.models import Outbox, OutboxHistory
from storage.repository import SqlOutbox
from tests.conftest import NOW
from tests.integration.test_outbox_retention import local
from tests.integration.test_outbox_retention import run as run  # noqa: F401 - the fixture

LATER = history.GRACE + timedelta(seconds=1)


async def _history_keys(rt) -> list[str]:
    async with rt.sessions() as session:
        return list(await session.scalars(select(OutboxHistory.key)))


async def _outbox(rt) -> Counter[str]:
    async with rt.sessions() as session:
        return Counter(dict((await session.execute(select(Outbox.status, func.count()).group_by(Outbox.status))).all()))


async def _move(rt, at: datetime, batch: int = history.BATCH) -> int:
    """Both steps of a move: copied now, gone from the outbox at a run GRACE later."""
    copied = await retention.move_sent(rt, at, batch=batch)
    assert await retention.move_sent(rt, at + LATER, batch=batch) == 0
    assert (await _outbox(rt))["sent"] == 0
    return copied


async def _write_again(rt, rows: list[Row], *, revive: bool = False) -> list[str]:
    """The rows written through the outbox's repository; the keys of theirs the outbox then holds."""
    async with rt.transaction() as session:
        outbox = SqlOutbox(session, Directory(session))
        await outbox.add(rows, None, NOW, revive=revive)
        return list(await session.scalars(select(Outbox.key).where(Outbox.key.in_([r.key for r in rows]),
                                                                   Outbox.status != "sent")))


def _again(row: OutboxHistory) -> Row:
    return Row(row.key, row.address_id, row.kind, row.payload, NOW, row.deadline_version)


async def test_a_reminder_sent_and_moved_is_never_sent_again_when_it_is_planned_again(rt, people, run):
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát hồ sơ đất đai", lead=["SXD"], deadline=date(2026, 11, 27))], now=NOW)
    recorder = await run(NOW)
    for day in (date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 2)):
        await run(local(day))
    sent = (await _outbox(rt))["sent"]
    assert sent > 0
    assert await _move(rt, local(date(2026, 12, 2), 10), batch=2) == sent  # in batches: each its own transaction
    keys = await _history_keys(rt)
    async with rt.sessions() as session:
        second = await session.scalar(select(OutboxHistory).where(OutboxHistory.kind == OVERDUE,
                                                                  OutboxHistory.key.endswith(":2")))
    assert second is not None, keys
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
        assert await pending.differences(session) == (0, 0, 0, 0)
    await run(at + timedelta(minutes=30))
    assert [g for g in recorder.got[before:] if g[1] == "remind.overdue"] == [], "a sent reminder went out again"
    assert (await verify_log(rt)).ok


async def test_a_key_in_the_history_written_again_is_neither_kept_nor_queued(rt, people, run):
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Kiểm tra an toàn thực phẩm", lead=["SYT"], deadline=date(2026, 11, 27))], now=NOW)
    for moment in (NOW, local(date(2026, 11, 27)), local(date(2026, 11, 30))):
        await run(moment)
    await _move(rt, local(date(2026, 11, 30), 10))
    async with rt.sessions() as session:
        rows = list(await session.scalars(select(OutboxHistory).where(OutboxHistory.kind.in_(REMINDER_KINDS))))
    assert rows
    for revive in (False, True):  # one INSERT skipping them; a look-up first (an address coming back)
        assert await _write_again(rt, [_again(r) for r in rows], revive=revive) == []
        async with rt.sessions() as session:
            assert await pending.differences(session) == (0, 0, 0, 0)
    # A new key among them is written, and queued.
    new = Row("remind_before:999:@1:v1:7", rows[0].address_id, "remind_before", {"text": "remind.before"}, NOW, 1)
    assert await _write_again(rt, [*(_again(r) for r in rows), new]) == [new.key]
    async with rt.sessions() as session:
        assert await pending.differences(session) == (0, 0, 0, 0)


async def test_the_move_copies_every_column_then_deletes_from_the_outbox_a_run_later(rt, people, run):
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Báo cáo tiến độ giải ngân", lead=["STC"], deadline=date(2026, 11, 27))], now=NOW)
    await run(NOW)
    async with rt.sessions() as session:
        sent = {r.id: r for r in await session.scalars(select(Outbox).where(Outbox.status == "sent"))}
        unsent = {r.id: r.status for r in await session.scalars(select(Outbox).where(Outbox.status != "sent"))}
    assert sent and unsent
    at = NOW + timedelta(hours=3)
    assert await retention.move_sent(rt, at) == len(sent)
    assert await retention.move_sent(rt, at + timedelta(minutes=5)) == 0  # copied once; kept in the outbox too
    async with rt.sessions() as session:
        moved = {r.id: r for r in await session.scalars(select(OutboxHistory))}
        assert (await _outbox(rt))["sent"] == len(sent)
        assert await history.keys_twice(session) == 0
    assert moved.keys() == sent.keys()
    for i, row in moved.items():
        for column in history.COLUMNS:
            assert getattr(row, column) == getattr(sent[i], column), column
        assert row.moved_at == at
    assert await retention.move_sent(rt, at + LATER) == 0
    async with rt.sessions() as session:
        assert dict((await session.execute(select(Outbox.id, Outbox.status))).all()) == unsent
    assert (await verify_log(rt)).ok


async def test_a_write_during_the_move_finds_the_key_in_the_outbox_or_in_the_history(rt, people, run):
    """The copy under way (not committed): the outbox's row still blocks the key. Copied: both do. Gone from
    the outbox a run later (GRACE after the copy, when no statement that began before it still runs): the
    history does, in the same INSERT."""
    await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát hồ sơ đất đai", lead=["SXD"], deadline=date(2026, 11, 27))], now=NOW)
    await run(NOW)
    async with rt.sessions() as session:
        row = await session.scalar(select(Outbox).where(Outbox.status == "sent").limit(1))
    assert row is not None
    again = [Row(row.key, row.address_id, row.kind, row.payload, NOW, row.deadline_version)]
    at = NOW + timedelta(hours=1)
    mover = await rt.engine.connect()
    try:
        await mover.begin()
        last, copied = await history.copy_sent(mover, at)
        assert last is not None and copied > 0
        if rt.engine.dialect.name == "postgresql":  # SQLite: one writer at a time, the write waits for the copy
            assert await _write_again(rt, again) == []
        await mover.commit()
    finally:
        await mover.close()
    assert await _write_again(rt, again) == []
    async with rt.transaction() as session:
        assert (await history.forget_copied(session, at))[1] == 0  # not GRACE yet
    assert await _write_again(rt, again) == []
    async with rt.transaction() as session:
        assert (await history.forget_copied(session, at + LATER))[1] > 0
    assert await _write_again(rt, again) == []
    async with rt.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.key == row.key)) == 0
        assert await history.keys_twice(session) == 0
        assert await pending.differences(session) == (0, 0, 0, 0)
