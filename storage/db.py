"""Engine, sessions and schema upgrades."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, CursorResult, Result
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage import search

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration. A database already at it starts without loading Alembic at all (a test checks
# that this is Alembic's head).
HEAD = "0024_queue_routing"
MIGRATION_LOCK = 0x446F6E446F63  # "DonDoc": the advisory lock migrations take turns on (PostgreSQL)


def changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (SQLAlchemy types its result without the count)."""
    return cast(CursorResult[Any], result).rowcount


def make_engine(url: str, **kwargs: object) -> AsyncEngine:
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite://") and "+aiosqlite" not in url:
        url = url.replace("sqlite://", "sqlite+aiosqlite://", 1)
    if url.startswith("postgresql+asyncpg://"):
        # Short indexed statements only: PostgreSQL's JIT compiles for tens of milliseconds whenever a generic
        # plan's estimate looks large (a claim's LIMIT sent as a parameter), and never repays it here.
        connect_args = dict(kwargs.pop("connect_args", {}) or {})  # type: ignore[call-overload]
        connect_args.setdefault("server_settings", {}).setdefault("jit", "off")
        kwargs["connect_args"] = connect_args
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 16 MB of pages per connection (SQLite's default is 2 MB): the outbox's and reports' index pages stay
    # in memory rather than being read again for every claim.
    cursor.execute("PRAGMA cache_size=-16000")
    cursor.close()
    search.connect(dbapi_connection)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def current_revision(engine: AsyncEngine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    try:
        async with engine.connect() as connection:
            return await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:
        return None


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to the newest migration (idempotent; cheap when it is there already). Processes
    starting together (two webhook replicas, a CLI command) take turns: the first migrates, the others
    then find the schema at its head."""
    if await current_revision(engine) == HEAD:
        return
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            await connection.run_sync(_upgrade)
        return
    async with engine.connect() as connection:
        # A migration that changes a constraint rebuilds the table on SQLite and drops the old one; with
        # foreign keys on, that drop would delete every row referring to it (assignments, events, outbox).
        # The pragma only takes effect outside a transaction; the keys are checked before the commit.
        await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            await connection.exec_driver_sql("BEGIN IMMEDIATE")  # SQLite's write lock, held to the commit
            await connection.run_sync(_upgrade)
            broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
            if broken:
                raise RuntimeError(f"the migrated database has rows whose references are missing: {broken[:5]}")
            await connection.commit()
        finally:
            await connection.rollback()
            await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            await connection.commit()
