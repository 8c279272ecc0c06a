"""Shared fixtures: databases (SQLite always; PostgreSQL when TEST_DATABASE_URL is set, required in CI)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.runtime import Runtime
from bot.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"  # CI checks out ../shared beside the repo
IN_CI = os.environ.get("CI", "").lower() == "true"
CI_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return CI_POSTGRES if IN_CI else None


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{path} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"{path} is missing")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away database on the PostgreSQL server, created for this test session."""
    admin = postgres_admin_url()
    if admin is None:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (they always run in CI)")
    from tests.databases import create_database, drop_database

    try:
        url = asyncio.run(create_database(admin, "dondoc_test"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means the same thing here
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    yield url
    asyncio.run(drop_database(admin, url))


def make_settings(**overrides: object) -> Settings:
    base: dict[str, object] = {"telegram_bot_token": "123:TEST", "bot_username": "DonDocTestBot"}
    base.update(overrides)
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
async def rt(database_url: str) -> AsyncIterator[Runtime]:
    from tests.databases import fresh_database

    runtime = await fresh_database(database_url)
    yield runtime
    await runtime.close()


NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # Friday 20/11/2026 09:00 in Hà Nội / Huế
AFTERNOON = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # 16:00 the same day: what may wait has gone by then
