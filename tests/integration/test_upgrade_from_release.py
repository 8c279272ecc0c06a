"""A province made by the previous release (tests/fixtures/README.md) upgrades to this schema with nothing
lost, and `verify-log` — which now also replays the log through the aggregate and checks the list copies,
every date and the tallies — finds it clean, on SQLite and (rows copied over) on PostgreSQL."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
from sqlalchemy import MetaData, func, insert, inspect, select, text

from bot.runtime import Runtime
from bot.services import directives as svc
from bot.services.verification import verify_log
from storage import pending
from storage.addressing import Directory
from storage.models import Address, Directive, Event, Outbox, OutboxHistory
from storage.repository import SqlOutbox
from tests.conftest import make_settings
from tests.databases import fresh_database, migrate
from tests.outbox_all import every_row

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release-b52ab03.sqlite3.gz"
COUNTED = ("directives", "assignments", "events", "outbox", "extension_requests", "attachments", "people")


def _unpacked(tmp_path: Path) -> Path:
    path = tmp_path / "release.sqlite3"
    with gzip.open(FIXTURE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


async def _counts(rt: Runtime) -> dict[str, int]:
    """Rows per table; the outbox's with its history's, where its sent rows move (0021_outbox_history)."""
    async with rt.engine.connect() as connection:
        found = {t: await connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in COUNTED}
        if "outbox_history" in await connection.run_sync(lambda c: inspect(c).get_table_names()):
            found["outbox"] += await connection.scalar(text("SELECT count(*) FROM outbox_history"))
        return found


async def _copy_rows(source: Runtime, target: Runtime) -> None:
    """Every row of the release's database into an empty one at the same schema (0010). The search index
    is each database's own (SQLite's full-text tables are not copied; PostgreSQL's is built by its
    migration)."""
    async with target.engine.connect() as connection:
        wanted = set(await connection.run_sync(lambda c: inspect(c).get_table_names())) - {"alembic_version"}
    async with source.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: (m := MetaData(), m.reflect(c, only=sorted(wanted)), m)[2])
        rows = {t.name: [dict(r._mapping) for r in await connection.execute(select(t))]
                for t in tables.sorted_tables}
    async with target.engine.begin() as connection:
        for table in tables.sorted_tables:
            if rows.get(table.name):
                await connection.execute(insert(table), rows[table.name])
        for name in rows:
            if "id" in tables.tables[name].c:
                await connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                              f"(SELECT coalesce(max(id), 1) FROM {name}))"))


@pytest.fixture
async def release(database_url: str, tmp_path: Path):  # noqa: ANN201
    """The release's province at `database_url`, at its schema (0010), not yet upgraded."""
    packed = Runtime.build(make_settings(), f"sqlite+aiosqlite:///{_unpacked(tmp_path)}")
    if database_url.startswith("sqlite"):
        yield packed
        await packed.close()
        return
    target = await fresh_database(database_url)
    await migrate(target, "0010_outbox_partial_indexes")
    await _copy_rows(packed, target)
    await packed.close()
    yield target
    await target.close()


async def test_the_previous_releases_province_upgrades_with_every_row_and_a_clean_log(release):
    before = await _counts(release)
    await release.upgrade()
    assert await _counts(release) == before
    verification = await verify_log(release)
    assert verification.ok, verification.as_text("en")
    assert verification.directives == before["directives"] and verification.events == 38


async def test_after_the_upgrade_each_outbox_row_names_its_chats_address_and_keeps_its_key_meaning(release):
    async with release.engine.connect() as connection:
        old = {key: chat for key, chat in await connection.execute(text("SELECT key, chat_id FROM outbox"))}
    await release.upgrade()
    async with release.sessions() as session:
        r = every_row()
        rows = (await session.execute(select(r.c.key, Address.external_id, Address.id)
                                      .join(Address, Address.id == r.c.address_id))).all()
    assert len(rows) == len(old)
    for key, external, address in rows:
        parts = key.split(":")
        assert f"@{address}" in parts, key
        before = ":".join(str(old_chat) if p == f"@{address}" else p for p, old_chat in
                          ((p, int(external)) for p in parts))
        assert before in old and old[before] == int(external), (key, before)


async def test_work_goes_on_after_the_upgrade_and_the_log_stays_clean(release):
    await release.upgrade()
    async with release.sessions() as session:
        code = await session.scalar(select(Directive.code).where(Directive.state == "in_progress")
                                    .order_by(Directive.id))
        leader = await session.scalar(text("SELECT id FROM people WHERE role = 'leader'"))
        office = await session.scalar(text("SELECT id FROM people WHERE role = 'admin'"))
        focal = await session.scalar(text("SELECT id FROM people WHERE telegram_id = 2001"))
    from datetime import UTC, datetime

    later = datetime(2027, 1, 6, 2, tzinfo=UTC)
    await svc.report_done(release, focal, code, "Đã hoàn thành sau nâng cấp", now=later)
    await svc.confirm_done(release, office, code, now=later)
    [card] = await svc.create_directives(release, leader, [svc.NewDirective("Sau nâng cấp", ["SXD"])], now=later)
    assert card.code.startswith("CD-2027-")
    async with release.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Event).where(Event.at == later)) == 3
    verification = await verify_log(release)
    assert verification.ok, verification.as_text("en")


async def test_the_upgrade_moves_the_sent_rows_to_the_history_and_their_keys_still_block_a_second_send(release):
    async with release.engine.connect() as connection:
        before = dict((await connection.execute(text("SELECT id, status FROM outbox"))).all())
    await release.upgrade()
    async with release.sessions() as session:
        moved = dict((await session.execute(select(OutboxHistory.id, OutboxHistory.key))).all())
        left = dict((await session.execute(select(Outbox.id, Outbox.status))).all())
        assert set(moved) == {i for i, status in before.items() if status == "sent"} and moved
        assert left == {i: status for i, status in before.items() if status != "sent"}
        # A sent row's key written again (as a reminder planned again would be): skipped by the INSERT
        # itself, never queued.
        reminder = next(iter(moved.values()))  # the release sent notices only: a key is a key
        row = (await session.execute(select(OutboxHistory).where(OutboxHistory.key == reminder))).scalar_one()
        outbox = SqlOutbox(session, Directory(session))
        await outbox._insert([{c: getattr(row, c) for c in ("key", "directive_id", "address_id", "kind",
                                                            "deadline_version", "payload", "due_at", "created_at")}
                              | {"status": "pending", "attempts": 0, "uncertain": False}], set())
        assert await session.scalar(select(func.count()).select_from(Outbox).where(Outbox.key == reminder)) == 0
        assert await pending.differences(session) == (0, 0, 0, 0)
    verification = await verify_log(release)
    assert verification.ok, verification.as_text("en")
