"""The migrations at head build exactly the schema the models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from storage.db import HEAD, alembic_config
from storage.models import Base
from storage.search import STRUCTURES


def _modelled(name: str | None, _kind: str, _parent: object) -> bool:
    """The search structures are each database's own (storage/search.py), tested by the searches."""
    return not (name or "").startswith(STRUCTURES)


async def test_the_schema_at_head_matches_the_models_with_types_and_server_defaults(rt):
    def differences(connection):  # noqa: ANN001, ANN202
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True, "include_name": _modelled}
        )
        return compare_metadata(context, Base.metadata)

    async with rt.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_the_migrations_have_one_head_and_the_database_is_at_it(rt):
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1
    assert heads[0] == HEAD, "storage.db.HEAD names the newest migration (start-up skips Alembic at it)"

    def current(connection):  # noqa: ANN001, ANN202
        return MigrationContext.configure(connection).get_current_heads()

    async with rt.engine.connect() as connection:
        assert await connection.run_sync(current) == tuple(heads)


async def test_a_table_missing_from_the_migrations_would_be_reported(rt):
    from sqlalchemy import Column, Integer, MetaData, Table

    extra = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(extra)
    Table("not_migrated", extra, Column("id", Integer, primary_key=True))

    def differences(connection):  # noqa: ANN001, ANN202
        return compare_metadata(MigrationContext.configure(connection, opts={"include_name": _modelled}), extra)

    async with rt.engine.connect() as connection:
        diff = await connection.run_sync(differences)
    assert [(d[0], d[1].name) for d in diff] == [("add_table", "not_migrated")]


def test_processes_starting_together_on_a_new_database_migrate_it_once_and_all_start(tmp_path):
    """Two webhook replicas (and a CLI command) starting at once on a new or older database: they take
    turns, and none fails on a table the other just created."""
    import os
    import subprocess
    import sys

    from tests.conftest import postgres_admin_url
    from tests.databases import create_database, drop_database

    urls = [f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}"]
    admin = postgres_admin_url()
    if admin is not None:
        urls.append(asyncio.run(create_database(admin, "dondoc_race")))
    try:
        for url in urls:
            env = {**os.environ, "DATABASE_URL": url}
            runs = [subprocess.Popen([sys.executable, "-m", "bot", "init-db"], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True) for _ in range(4)]
            outputs = [(run.wait(timeout=120), run.stdout.read() if run.stdout else "") for run in runs]
            assert [code for code, _ in outputs] == [0, 0, 0, 0], outputs
            assert not any("Traceback" in out for _, out in outputs)
    finally:
        if admin is not None:
            asyncio.run(drop_database(admin, urls[1]))


async def test_a_province_migrated_down_to_the_first_schema_and_up_again_keeps_every_row(rt, people):
    """SQLite rebuilds a table to change a constraint; the old table's drop must not cascade to the rows
    that refer to it."""
    from datetime import date

    from alembic import command
    from sqlalchemy import text

    from bot.services import directives as svc
    from storage.db import upgrade
    from tests.conftest import NOW

    await svc.create_directives(rt, people.leader, [svc.NewDirective("Rà soát", lead=["SXD"], support=["STC"],
                                                                     deadline=date(2026, 12, 15))], now=NOW)
    tables = ("directives", "assignments", "events", "outbox")

    async def counts() -> list[int]:
        async with rt.engine.connect() as connection:
            return [await connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables]

    before = await counts()
    assert all(before)

    def down(connection) -> None:  # noqa: ANN001
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")

    async with rt.engine.connect() as connection:
        sqlite = rt.engine.dialect.name == "sqlite"
        for step in ("PRAGMA foreign_keys=OFF", down, "PRAGMA foreign_keys=ON"):
            if callable(step):
                await connection.run_sync(step)
            elif sqlite:
                await connection.exec_driver_sql(step)
            await connection.commit()
    assert await counts() == before
    await upgrade(rt.engine)
    assert await counts() == before
    # The queue rebuilt on the way up (0015) and given its rows' routing (0024) is the outbox's unsent rows.
    from storage import pending

    async with rt.sessions() as session:
        assert await pending.differences(session) == (0, 0, 0, 0)
