"""Issue 23, the claim: rows due to be sent live in a small queue table (outbox_pending: ids and due times).
The claim takes ids there only (the outbox rows are not written), payloads are loaded as each message is
sent, sent rows leave the queue while their keys stay on the outbox (a reminder written again is still
skipped), and `verify-log` checks that the queue holds exactly the unsent rows."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import Integer, String, delete, func, insert, literal, select, text, update
from sqlalchemy.pool import NullPool

from bot.outbox import Delivery, Dispatcher, Recipient
from bot.services import access, notify, operations, verification
from bot.services.common import record
from storage import pending
from storage.db import make_engine
from storage.models import Outbox, OutboxPending
from tests.conftest import NOW, make_settings
from tests.integration.test_reminders import NoLimit, assign
from tests.integration.test_statement_counts import counting, driver_counting
from tests.reliability.fleet import seed_burst

OPS = -4343  # the operations chat


class Payloads:
    def __init__(self) -> None:
        self.got: list[dict] = []

    async def __call__(self, recipient: Recipient, items: list[Delivery]) -> None:
        self.got += [i.payload for i in items]


async def _count(rt, model) -> int:  # noqa: ANN001
    async with rt.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_the_claim_leases_queue_rows_only_and_payloads_come_with_the_send(rt):
    await seed_burst(rt, [80_000 + n for n in range(30)], 5, now=NOW)
    sender = Payloads()
    dispatcher = Dispatcher(rt, sender, "a:1", NoLimit())  # type: ignore[arg-type]

    claimed = await dispatcher.claim(NOW, True)

    assert len(claimed) == 100 and all(d.payload == {} for d in claimed), "ids and what sorts them, no payload"
    async with rt.sessions() as session:
        statuses = set(await session.scalars(select(Outbox.status)))
        leased = await session.scalar(select(func.count()).select_from(OutboxPending)
                                      .where(OutboxPending.claimed_by == "a:1"))
    assert statuses == {"pending"}, "the claim wrote nothing on the outbox"
    assert leased == 100
    await dispatcher.release()  # a graceful stop: the claims go back

    dispatcher = Dispatcher(rt, sender, "b:2", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(NOW):
        pass
    assert len(sender.got) == 150 and all(p["text"] == "remind.before" and p["code"] for p in sender.got)
    assert await _count(rt, OutboxPending) == 0, "sent rows left the queue"
    assert await _count(rt, Outbox) == 150, "their rows (and keys) stay"


async def test_a_claim_is_one_statement_on_the_queue_alone_that_reads_what_the_pass_needs_in_due_order(rt):
    await seed_burst(rt, [80_000 + n for n in range(30)], 5, now=NOW)
    async with rt.transaction() as session:  # some rows tried before, a later one due earlier
        await session.execute(update(Outbox).where(Outbox.id % 7 == 0).values(attempts=2, uncertain=True))
        await session.execute(update(Outbox).where(Outbox.id == 140).values(due_at=NOW - timedelta(days=1)))
        await session.execute(update(OutboxPending).where(OutboxPending.id == 140)
                              .values(due_at=NOW - timedelta(days=1)))
    dispatcher = Dispatcher(rt, Payloads(), "a:1", NoLimit())  # type: ignore[arg-type]
    with counting(rt) as through_sqlalchemy, driver_counting(rt) as on_the_driver:
        claimed = await dispatcher.claim(NOW, True)

    # The lease and the read in one statement, the only one sent: on PostgreSQL its own transaction (no BEGIN,
    # SET or COMMIT around it), whose commit it makes asynchronous itself, sent on the driver's connection.
    postgresql = rt.engine.dialect.name == "postgresql"
    seen = through_sqlalchemy + on_the_driver
    assert [s.split()[0] for s in seen] == (["WITH"] if postgresql else ["UPDATE"])
    assert (on_the_driver == seen) == postgresql
    assert ("set_config" in seen[0]) == postgresql
    # The queue alone: not one page of the outbox (millions of rows) is read to claim.
    assert " outbox " not in f" {' '.join(seen[0].replace(',', ' ').replace('(', ' ').split())} "
    async with rt.sessions() as session:
        rows = {r.id: r for r in await session.scalars(select(Outbox))}
    assert len(claimed) == 100 and claimed[0].id == 140
    assert [(rows[d.id].due_at, d.id) for d in claimed] == sorted((rows[d.id].due_at, d.id) for d in claimed)
    for d in claimed:
        row = rows[d.id]
        assert (d.address_id, d.kind, d.directive_id, d.deadline_version, d.payload) == \
            (row.address_id, row.kind, row.directive_id, row.deadline_version, {})

    # What the outbox row says of earlier tries comes with its payload, as it is sent.
    tried = [d for d in claimed if d.id % 7 == 0]
    sending = await dispatcher._start_sending(tried)  # noqa: SLF001 - the send's own read of the outbox
    assert tried and [(d.id, d.attempts, d.uncertain, bool(d.payload)) for d in sending] == \
        [(d.id, 2, True, True) for d in tried]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # the driver's own connection: PostgreSQL's claim
async def test_a_claim_on_a_connection_the_server_dropped_fails_once_and_the_next_claim_gets_a_new_one(rt):
    await seed_burst(rt, [80_000 + n for n in range(30)], 5, now=NOW)
    dispatcher = Dispatcher(rt, Payloads(), "a:1", NoLimit())  # type: ignore[arg-type]
    assert len(await dispatcher.claim_ids(NOW - timedelta(days=30), True)) == 0  # the pool holds its connection
    # The server ends every connection of the pool (a restart, a fail-over, an administrator).
    killer = make_engine(rt.engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    try:
        async with killer.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    finally:
        await killer.dispose()

    with pytest.raises(Exception):  # noqa: B017,PT011 - the driver's own error, whichever the server sent
        await dispatcher.claim(NOW, True)
    claimed = await dispatcher.claim(NOW, True)

    assert len(claimed) == 100, "the dead connection was dropped, not given back to the pool"
    async with rt.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxPending)
                                    .where(OutboxPending.claimed_by == "a:1")) == 100


async def test_a_reminder_written_again_after_it_was_sent_is_still_skipped_by_its_key(rt, people):
    await assign(rt, people, date(2026, 12, 4))
    dispatcher = Dispatcher(rt, Payloads(), "a:1", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(NOW):
        pass
    async with rt.sessions() as session:
        keys_before = set(await session.scalars(select(Outbox.key)))
        sent = set(await session.scalars(select(Outbox.id).where(Outbox.status == "sent")))
    waiting = await _count(rt, OutboxPending)  # the reminders before the deadline
    assert sent, "the notices went out"
    # The same rows written again (a restart replanning, a second tick): nothing new is queued.
    rows = await _rows_again(rt)
    assert rows
    async with rt.uow() as uow:
        await uow.outbox.add(rows, None, NOW)
    async with rt.sessions() as session:
        assert set(await session.scalars(select(Outbox.key))) == keys_before
        assert await pending.differences(session) == (0, 0, 0, 0)
        queued = set(await session.scalars(select(OutboxPending.id)))
    assert not queued & sent and len(queued) == waiting, "a key written before is not queued again"


async def _rows_again(rt):  # noqa: ANN001, ANN202
    from bot.services import ports

    async with rt.sessions() as session:
        rows = (await session.execute(select(Outbox.key, Outbox.address_id, Outbox.kind, Outbox.payload,
                                             Outbox.due_at, Outbox.deadline_version))).all()
    return [ports.Row(key=r.key, to=r.address_id, kind=r.kind, payload=r.payload, due_at=r.due_at + timedelta(days=1),
                      deadline_version=r.deadline_version) for r in rows]


async def test_verify_log_reports_a_queue_that_is_not_the_unsent_rows(rt, people):
    await assign(rt, people, date(2026, 12, 4))
    assert (await verification.verify_log(rt)).ok

    async with rt.transaction() as session:
        first = await session.scalar(select(OutboxPending.id).order_by(OutboxPending.id).limit(1))
        await session.execute(delete(OutboxPending).where(OutboxPending.id == first))
    found = await verification.verify_log(rt)
    assert not found.ok
    assert found.differences["outbox queue"] == ["1 unsent outbox rows missing from outbox_pending"]

    async with rt.transaction() as session:
        row = await session.get_one(Outbox, first)
        await session.execute(insert(OutboxPending).values(
            id=first, kind=row.kind, due_at=row.due_at, address_id=row.address_id, directive_id=row.directive_id,
            deadline_version=row.deadline_version))
        sent = await session.scalar(select(OutboxPending.id).order_by(OutboxPending.id.desc()).limit(1))
        await session.execute(Outbox.__table__.update().where(Outbox.id == sent).values(status="sent"))
    found = await verification.verify_log(rt)
    assert found.differences["outbox queue"] == ["1 rows in outbox_pending whose outbox row is not unsent"]

    # The queue's copy of a row's routing (what the claim reads instead of the outbox) must be the row's.
    async with rt.transaction() as session:
        await session.execute(Outbox.__table__.update().where(Outbox.id == sent).values(status="pending"))
        await session.execute(update(OutboxPending).where(OutboxPending.id == first)
                              .values(deadline_version=OutboxPending.deadline_version + 1))
    found = await verification.verify_log(rt)
    assert found.differences["outbox queue"] == [
        "1 rows in outbox_pending whose address, directive or deadline version is not their outbox row's"]


async def test_outside_the_send_window_only_the_operations_chats_alerts_are_claimed(rt, people):
    """Quiet hours for everyone: at night the claim takes the operations chat's alerts and nothing else, not
    the office's notices nor anyone's reminders. The queue marks the alerts when they are queued (one range of
    a small index at night) and again when one is queued again (a retry); verify-log checks the mark."""
    await seed_burst(rt, [81_000 + n for n in range(10)], 2, now=NOW)  # reminders, due
    ops_rt = dataclasses.replace(rt, settings=make_settings(ops_chat_id=OPS))
    assert await operations.alert(ops_rt, [operations.Problem("dead", {"count": 3, "hours": 24})], "a:1",
                                  NOW - timedelta(minutes=1)) == ["dead"]
    async with rt.transaction() as session:  # a notice to the office, written at the same moment
        event = record(session, None, None, "chat_unreachable", NOW - timedelta(minutes=1), address=0)
        await session.flush()
        office = await notify.office_addresses(session)
        assert await notify.enqueue(session, event, None, office, "notify.chat_unreachable",
                                    NOW - timedelta(minutes=1), chat="x") == 1
    async with rt.sessions() as session:
        alert = await session.scalar(select(Outbox.id).where(Outbox.payload["text"].as_string() == "ops.alert.dead"))
        notice = await session.scalar(select(Outbox.id).where(Outbox.address_id.in_(office)))
        assert await pending.differences(session) == (0, 0, 0, 0)
    dispatcher = Dispatcher(rt, Payloads(), "a:1", NoLimit())  # type: ignore[arg-type]

    assert await dispatcher.claim_ids(NOW, False) == [alert]
    async with rt.transaction() as session:  # not sent (a retry): queued again, an alert still
        await session.execute(update(Outbox).where(Outbox.id == alert).values(status="pending"))
        await pending.requeue(session, [alert])
    assert await dispatcher.claim_ids(NOW, False) == [alert]
    in_the_day = await dispatcher.claim_ids(NOW, True)
    assert len(in_the_day) == 21 and notice in in_the_day and alert not in in_the_day

    async with rt.transaction() as session:  # a notice wrongly marked: verify-log says so
        await session.execute(update(OutboxPending).where(OutboxPending.id == notice).values(alert=True))
    found = await verification.verify_log(rt)
    assert found.differences["outbox queue"] == [
        "1 rows in outbox_pending marked an operations alert or not against their address"]


async def test_an_alert_queued_for_a_chat_that_becomes_a_units_group_waits_for_the_morning(rt, people):
    """The mark follows the address: the operations chat registered as a unit's group (its queued alert is a
    notice to a unit now), and released again (a new alert is an alert)."""
    ops_rt = dataclasses.replace(rt, settings=make_settings(ops_chat_id=OPS))
    assert await operations.alert(ops_rt, [operations.Problem("dead", {"count": 3, "hours": 24})], "a:1",
                                  NOW - timedelta(minutes=1)) == ["dead"]
    dispatcher = Dispatcher(rt, Payloads(), "a:1", NoLimit())  # type: ignore[arg-type]

    await access.register_group(rt, people.sxd, OPS, "Nhóm Sở XD", now=NOW)
    assert await dispatcher.claim_ids(NOW, False) == []
    async with rt.sessions() as session:
        assert await pending.differences(session) == (0, 0, 0, 0)
    await access.release_group(rt, people.sxd, OPS, now=NOW)  # what waited for the group is void
    assert await operations.alert(ops_rt, [operations.Problem("stuck", {"due": 4, "minutes": 20})], "a:1",
                                  NOW) == ["stuck"]
    async with rt.sessions() as session:
        assert await pending.differences(session) == (0, 0, 0, 0)
    assert len(await dispatcher.claim_ids(NOW, False)) == 1


async def test_the_migration_marks_the_alerts_queued_before_it(rt, people):
    """0019_pending_office: rows queued by the previous schema (no mark) are marked from their address."""
    from alembic import command

    from storage.db import alembic_config, upgrade

    ops_rt = dataclasses.replace(rt, settings=make_settings(ops_chat_id=OPS))
    assert await operations.alert(ops_rt, [operations.Problem("dead", {"count": 3, "hours": 24})], "a:1",
                                  NOW - timedelta(minutes=1)) == ["dead"]
    await seed_burst(rt, [82_000], 2, now=NOW)  # reminders: not alerts

    def down(connection) -> None:  # noqa: ANN001
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0018_draft_questions")

    async with rt.engine.connect() as connection:
        await connection.run_sync(down)
        await connection.commit()
    await upgrade(rt.engine)
    async with rt.sessions() as session:
        marked = dict((await session.execute(select(OutboxPending.id, OutboxPending.alert))).all())
        alert = await session.scalar(select(Outbox.id).where(Outbox.payload["text"].as_string() == "ops.alert.dead"))
        assert await pending.differences(session) == (0, 0, 0, 0)
    assert len(marked) == 3 and {i for i, is_alert in marked.items() if is_alert} == {alert}


@pytest.mark.parametrize("kind", ["notify", "remind_due", "digest", pending.LATER])
@pytest.mark.parametrize(("person_id", "unit_id"), [(None, None), (7, None), (None, 3), (7, 3)])
async def test_the_alert_rule_reads_the_same_in_python_and_in_sql(rt, kind, person_id, unit_id):
    """storage.pending.ALERT, the one rule: `is_alert` (rows queued from Python) and `alert_of` (the queue
    refilled, re-marked and checked by verify-log in SQL) agree on every kind of row and address."""
    row = select(literal(kind, String).label("kind"), literal(person_id, Integer).label("person_id"),
                 literal(unit_id, Integer).label("unit_id")).subquery()
    async with rt.sessions() as session:
        in_sql = await session.scalar(select(pending.alert_of(row, row)))
    assert bool(in_sql) is pending.is_alert(kind, person_id, unit_id)
    assert pending.is_alert(kind, person_id, unit_id) is (kind == "notify" and person_id is None and unit_id is None)


async def test_the_queue_of_an_outbox_written_in_bulk_is_filled_with_its_alerts_marked(rt, people):
    """pending.fill (the benchmarks' bulk load): every unsent row queued, the operations chat's alert marked
    by the same rule as a row queued one at a time."""
    await seed_burst(rt, [83_000 + n for n in range(4)], 2, now=NOW)
    ops_rt = dataclasses.replace(rt, settings=make_settings(ops_chat_id=OPS))
    assert await operations.alert(ops_rt, [operations.Problem("dead", {"count": 3, "hours": 24})], "a:1",
                                  NOW - timedelta(minutes=1)) == ["dead"]
    async with rt.transaction() as session:
        before = dict((await session.execute(select(OutboxPending.id, OutboxPending.alert))).all())
        await session.execute(delete(OutboxPending))
        await pending.fill(session)
    async with rt.sessions() as session:
        after = dict((await session.execute(select(OutboxPending.id, OutboxPending.alert))).all())
        assert await pending.differences(session) == (0, 0, 0, 0)
    assert after == before and sum(map(bool, after.values())) == 1 and len(after) == 9
