"""Back up a PostgreSQL database with `python -m bot backup` (pg_dump's custom format) and restore it with
pg_restore as the README says: the copy is at head, its log rebuilds every directive, nothing is missing."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.runtime import Runtime
from bot.services import access, units
from bot.services import directives as svc
from bot.services.verification import verify_log
from storage.models import Directive, Event, Outbox
from tests.conftest import IN_CI, NOW, make_settings, postgres_admin_url
from tests.databases import create_database, drop_database, fresh_database
from tests.integration.conftest import UNITS_CSV

pytestmark = pytest.mark.postgres


def libpq(url: str) -> str:
    """The URL as pg_restore/psql take it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def test_a_pg_dump_backup_restores_into_an_empty_database_whole(postgres_url, tmp_path, monkeypatch):
    if shutil.which("pg_restore") is None:
        if IN_CI:
            pytest.fail("pg_restore is required in CI")
        pytest.skip("pg_restore is not installed")
    admin = postgres_admin_url()
    assert admin is not None
    source, target = await create_database(admin, "dondoc_backup"), await create_database(admin, "dondoc_restore")
    try:
        rt = await fresh_database(source)
        await units.import_units(rt, UNITS_CSV, None, now=NOW)
        invite = await access.create_invite(rt, role="leader", unit_code=None, now=NOW)
        leader = await access.register(rt, 1002, invite.token, full_name="Phó Chủ tịch", username=None,
                                       language="vi", now=NOW)
        await svc.create_directives(rt, leader.id, [svc.NewDirective("Rà soát", lead=["SXD"], support=["STC"],
                                                                     deadline=date(2026, 12, 15))], now=NOW)
        before = await _tally(rt)
        await rt.close()

        monkeypatch.setenv("DATABASE_URL", source)
        dump = tmp_path / "dondoc.dump"
        assert await asyncio.to_thread(main, ["backup", str(dump)]) == 0
        restored = await asyncio.to_thread(
            subprocess.run, ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={libpq(target)}",
                             str(dump)], capture_output=True, text=True, timeout=120)
        assert restored.returncode == 0, restored.stderr

        copy = Runtime.build(make_settings(), target)
        try:
            assert await _tally(copy) == before
            result = await verify_log(copy)
            assert (result.directives, result.different) == (1, 0)
        finally:
            await copy.close()
    finally:
        await drop_database(admin, source)
        await drop_database(admin, target)


async def _tally(rt) -> tuple[int, int, int]:  # noqa: ANN001
    async with rt.sessions() as session:
        return (await session.scalar(select(func.count()).select_from(Directive)),
                await session.scalar(select(func.count()).select_from(Event)),
                await session.scalar(select(func.count()).select_from(Outbox)))
