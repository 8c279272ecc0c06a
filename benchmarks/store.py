"""Where benchmarks/run.py's datasets live: built for one run and removed after it, or kept (`--keep DIR`)
and reused by the next run with the same number of directives.

Kept: the SQLite file `DIR/dondoc_bench_<n>.sqlite3` and the PostgreSQL database `dondoc_bench_<n>` on the
admin URL's server (`<n>`: 1m, 100k, 10k, or the number), described in `DIR/datasets.json` (the day the data
was built for, the generator's version, the build time). `name` (run.py's `--dataset-name`) replaces
`dondoc_bench_<n>`, so two trees measured side by side (old and new release) each keep their own dataset on
the same PostgreSQL server instead of migrating one back and forth. A dataset is written there only once it is
complete, so one interrupted or built by an older generator is built again. A reused one is migrated to
the schema's head, gets any index the models added, and has what an interrupted run left (parked or
claimed reminders) put back.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from benchmarks.dataset import VERSION
from benchmarks.figures import bench_settings, give_back_claims
from benchmarks.live import tidy
from benchmarks.loading import ensure_indexes, load_database
from bot.runtime import Runtime
from storage.db import HEAD, current_revision, make_engine
from tests.databases import admin_sql, create_database, drop_database

META = "datasets.json"


@dataclass
class Dataset:
    dialect: str
    url: str
    today: date
    build_s: float | None  # None: reused
    kept: bool

    def shown_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)


def label(directives: int) -> str:
    for size, suffix in ((1_000_000, "m"), (1_000, "k")):
        if directives >= size and directives % size == 0:
            return f"{directives // size}{suffix}"
    return str(directives)


def _meta(keep: Path) -> dict[str, dict[str, object]]:
    path = keep / META
    return json.loads(path.read_text()) if path.exists() else {}


def _remember(keep: Path, key: str, entry: dict[str, object]) -> None:
    meta = _meta(keep)
    meta[key] = entry
    (keep / META).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")


async def _pg_exists(admin: str, name: str) -> bool:
    engine = make_engine(admin)
    try:
        async with engine.connect() as conn:
            return bool(await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}))
    finally:
        await engine.dispose()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def open_dataset(dialect: str, directives: int, today: date, *, admin: str, keep: Path | None,
                       scratch: Path, name: str | None = None) -> Dataset:
    """The dataset of `directives` directives on `dialect`: reused when kept and complete, else built.
    `name`: the SQLite file's stem and the PostgreSQL database's name (default `dondoc_bench_<n>`)."""
    key = f"{dialect}:{directives}" if name is None else f"{dialect}:{directives}:{name}"
    entry = _meta(keep).get(key) if keep else None
    name = name or f"dondoc_bench_{label(directives)}"
    if dialect == "sqlite":
        path = (keep or scratch) / f"{name}.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        present = path.exists()
    else:
        url = make_url(make_engine(admin).url).set(database=name).render_as_string(hide_password=False)
        present = keep is not None and await _pg_exists(admin, name)
    if keep and entry and present and entry.get("generator") == VERSION:
        built_for = date.fromisoformat(str(entry["today"]))
        print(f"  reusing {key} ({make_url(url).render_as_string()}, built for {built_for})", flush=True)
        await _refresh(url)
        return Dataset(dialect, url, built_for, None, kept=True)
    if dialect == "sqlite":
        _remove_sqlite(path)
    elif keep:
        if present:
            await drop_database(admin, url)
        await admin_sql(admin, f'CREATE DATABASE "{name}"')
    else:
        url = await create_database(admin, "dondoc_bench")
    print(f"  building {key} at {make_url(url).render_as_string()} for {today}", flush=True)
    try:
        seconds = await load_database(url, directives=directives, today=today)
    except BaseException:  # an unfinished dataset is never left behind, kept or not
        if dialect == "postgresql":
            await drop_database(admin, url)
        else:
            _remove_sqlite(path)
        raise
    if keep:
        _remember(keep, key, {"url": make_url(url).render_as_string(), "today": today.isoformat(),
                              "generator": VERSION, "build_s": round(seconds, 1),
                              "built_at": time.strftime("%Y-%m-%d %H:%M:%S")})
    return Dataset(dialect, url, today, seconds, kept=keep is not None)


async def _refresh(url: str) -> None:
    rt = Runtime.build(bench_settings(), url)
    try:
        migrated = await current_revision(rt.engine) != HEAD
        if migrated:
            print("  migrating the kept dataset to the schema's head", flush=True)
            await rt.upgrade()
        await give_back_claims(rt)
    finally:
        await rt.close()
    created = await ensure_indexes(url, analyze=True if migrated else None)
    if created:
        print(f"  created the indexes the models added: {', '.join(created)}", flush=True)
    await tidy(url)


async def close_dataset(dataset: Dataset, admin: str) -> None:
    """Drop what this run built and does not keep (a scratch SQLite file goes with its directory)."""
    if dataset.kept:
        return
    if dataset.dialect == "postgresql":
        await drop_database(admin, dataset.url)
    else:
        _remove_sqlite(Path(make_url(dataset.url).database or ""))
