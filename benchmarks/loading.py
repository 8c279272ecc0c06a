"""Bulk loading of benchmarks/dataset.py's rows: sqlite3 `executemany` in a worker thread, asyncpg COPY on
PostgreSQL. The models' secondary indexes are dropped for the load; afterwards every index of every model
is created if missing (`ensure_indexes`, also run on a kept database, whose schema may have moved on), and
the planner's statistics are refreshed."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

from pydantic import SecretStr
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateIndex, Index

from benchmarks.dataset import (
    ASSIGNMENT_COLUMNS,
    COLUMNS,
    REFERENCE_COLUMNS,
    TABLES,
    generate,
    reference_rows,
)
from bot.runtime import Runtime
from bot.settings import Settings
from storage import history, pending, read_model, tallies
from storage.db import make_engine
from storage.models import Assignment, Base

Progress = Callable[[int], None]


class Stopped(Exception):
    """The load was asked to stop (Ctrl-C) between two batches."""


def _loaded_indexes() -> list[Index]:
    return [index for table in TABLES for index in Base.metadata.tables[table].indexes]


def _sqlite_stamp(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_value(value: object) -> object:
    if isinstance(value, datetime):
        return _sqlite_stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _load_sqlite(path: str, directives: int, today: date, progress: Progress, stop: threading.Event) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("PRAGMA cache_size=-400000")
        for index in _loaded_indexes():
            db.execute(f'DROP INDEX IF EXISTS "{index.name}"')
        for table, rows in reference_rows(today).items():
            db.executemany(_insert(table, REFERENCE_COLUMNS[table]), [tuple(map(_sqlite_value, r)) for r in rows])
        statements = {table: _insert(table, COLUMNS[table]) for table in TABLES}
        for batch in generate(directives, today, day=date.isoformat, stamp=_sqlite_stamp):
            if stop.is_set():
                raise Stopped
            for table in TABLES:
                db.executemany(statements[table], getattr(batch, table))
            db.commit()
            progress(len(batch.directives))
        db.commit()
    finally:
        db.close()


async def _load_postgres(url: str, directives: int, today: date, progress: Progress) -> None:
    import asyncpg

    parsed = make_url(url)
    conn = await asyncpg.connect(user=parsed.username, password=parsed.password, host=parsed.host,
                                 port=parsed.port or 5432, database=parsed.database)
    try:
        for index in _loaded_indexes():
            await conn.execute(f'DROP INDEX IF EXISTS "{index.name}"')
        for table, rows in reference_rows(today).items():
            await conn.copy_records_to_table(table, records=rows, columns=list(REFERENCE_COLUMNS[table]))
        for batch in generate(directives, today):
            async with conn.transaction():
                for table in TABLES:
                    await conn.copy_records_to_table(table, records=getattr(batch, table), columns=list(COLUMNS[table]))
            progress(len(batch.directives))
        for table in ("units", "people", "addresses", *TABLES):
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT coalesce(max(id), 1) FROM {table}))")
    finally:
        await conn.close()


async def ensure_indexes(url: str, analyze: bool | None = None) -> list[str]:
    """Create every index the models define that the database lacks (the names created); fails if one is
    still missing. Then refresh the planner's statistics (`analyze` None: when an index was created)."""
    engine = make_engine(url)
    created: list[str] = []
    try:
        async with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                await conn.execute(text("SET maintenance_work_mem = '512MB'"))
            existing = await conn.run_sync(_index_names)
            for table in Base.metadata.sorted_tables:
                for index in table.indexes:
                    if index.name not in existing:
                        await conn.execute(CreateIndex(index, if_not_exists=True))
                        created.append(str(index.name))
            missing = {str(i.name) for t in Base.metadata.sorted_tables for i in t.indexes} - \
                await conn.run_sync(_index_names)
            if missing:
                raise RuntimeError(f"indexes still missing after the load: {sorted(missing)}")
        if analyze is False or (analyze is None and not created):
            return created
        if engine.dialect.name == "postgresql":
            async with engine.connect() as conn:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text("VACUUM ANALYZE"))
        else:
            async with engine.begin() as conn:
                await conn.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
    return created


def _index_names(sync_conn) -> set[str]:  # type: ignore[no-untyped-def]
    inspector = inspect(sync_conn)
    return {str(i["name"]) for t in inspector.get_table_names() for i in inspector.get_indexes(t)}


def _copies_missing() -> bool:
    """The models copy a column onto assignments that the generator does not write."""
    written = set(ASSIGNMENT_COLUMNS)
    copied = {*read_model.COPIED, "is_open", "due_sort"}
    return bool(copied - written) or not copied <= {c.name for c in Assignment.__table__.columns}


async def load_database(url: str, *, directives: int, today: date, quiet: bool = False,
                        stop: threading.Event | None = None) -> float:
    """Migrate the empty database at `url` to head, fill it, build every index; the seconds it took."""
    settings = Settings(_env_file=None, telegram_bot_token=SecretStr("1:dataset"))  # type: ignore[call-arg]
    rt = Runtime.build(settings, url)
    try:
        await rt.upgrade()
        async with rt.engine.connect() as conn:
            if await conn.scalar(text("SELECT count(*) FROM directives")):
                raise SystemExit(f"{url}: the database already holds directives; give an empty one")
    finally:
        await rt.close()
    started, done = time.monotonic(), [0]

    def progress(n: int) -> None:
        done[0] += n
        if not quiet:
            print(f"\r  {done[0]:>10,} directives  {time.monotonic() - started:6.0f} s", end="", flush=True)

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        stop = stop or threading.Event()
        try:
            await asyncio.to_thread(_load_sqlite, parsed.database or "", directives, today, progress, stop)
        except asyncio.CancelledError:
            stop.set()  # the thread ends after its batch
            raise
    else:
        await _load_postgres(url, directives, today, progress)
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            if _copies_missing():
                await conn.run_sync(read_model.refresh_all)
            await conn.run_sync(tallies.rebuild)
            # The queue of rows to send (storage.pending), as the services keep it.
            await pending.fill(conn)
            # The sent rows in the outbox's history, as the daily job keeps them (storage.history).
            await history.move_all_sent(conn)
    finally:
        await engine.dispose()
    if not quiet:
        print(f"\n  rows loaded and tallied in {time.monotonic() - started:.0f} s; building indexes", flush=True)
    await ensure_indexes(url, analyze=True)
    elapsed = time.monotonic() - started
    if not quiet:
        print(f"  loaded {directives:,} directives in {elapsed:.0f} s", flush=True)
    return elapsed
