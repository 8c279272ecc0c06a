"""Throw-away databases for tests and benchmarks: created beside the admin database, never on it."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.runtime import Runtime
from storage.db import make_engine
from storage.models import Base
from tests.conftest import make_settings


async def admin_sql(admin_url: str, sql: str) -> None:
    engine = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def create_database(admin_url: str, prefix: str) -> str:
    """A new, empty PostgreSQL database on the admin URL's server; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    await admin_sql(admin_url, f'CREATE DATABASE "{name}"')
    return make_url(make_engine(admin_url).url).set(database=name).render_as_string(hide_password=False)


async def drop_database(admin_url: str, url: str) -> None:
    await admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


async def fresh_database(url: str) -> Runtime:
    """The schema at head and no rows (a PostgreSQL test database is shared by a session's tests)."""
    rt = Runtime.build(make_settings(), url)
    await rt.upgrade()
    if rt.engine.dialect.name == "postgresql":
        async with rt.engine.begin() as conn:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return rt


async def migrate(rt: Runtime, revision: str) -> None:
    """Down (or up) to `revision` as `storage.db.upgrade` migrates: on SQLite with foreign keys off, since a
    migration that changes a column rebuilds its table."""
    from alembic import command

    from storage.db import alembic_config

    def run(connection) -> None:  # noqa: ANN001
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.upgrade if revision == "head" else command.downgrade)(config, revision)

    async with rt.engine.connect() as connection:
        sqlite = rt.engine.dialect.name == "sqlite"
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        await connection.run_sync(run)
        await connection.commit()
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
