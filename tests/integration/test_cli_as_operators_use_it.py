"""The admin CLI as an IT officer runs it: unit lists re-imported without their groups file or saved by
Excel with semicolons, bad rows explained in Vietnamese, deactivated people left out, and a database
that cannot be opened told in one line, not a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from bot.cli import main
from tests.conftest import shared_path

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE", "TELEGRAM_API_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _cli(workdir, *args, env=None, timeout=60):
    base = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=timeout,
                          env={**base, **(env or {})}, cwd=workdir)


def test_importing_units_again_without_groups_keeps_the_group_phrases(workdir, capsys):
    units, groups = shared_path("data", "units.csv"), shared_path("data", "groups.csv")
    assert main(["import-units", str(units), "--groups", str(groups)]) == 0
    assert main(["import-units", str(units)]) == 0  # a later update of the unit list only
    with sqlite3.connect(workdir / "dondoc.sqlite3") as db:
        assert db.execute("select name from unit_groups where code='so-nganh'").fetchone() == ("Các sở, ban, ngành",)


def test_a_semicolon_csv_from_excel_imports(workdir, capsys):
    text = shared_path("data", "units.csv").read_text(encoding="utf-8")
    import csv
    import io
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(csv.reader(io.StringIO(text)))
    (workdir / "units.csv").write_text(out.getvalue(), encoding="utf-8-sig", newline="")
    assert main(["import-units", str(workdir / "units.csv")]) == 0, capsys.readouterr().err


def test_a_bad_unit_row_is_explained_in_vietnamese(workdir, capsys):
    bad = workdir / "units.csv"
    bad.write_text("code,name,kind,groups,aliases\nSXD,Sở Xây dựng,weird,,\n", encoding="utf-8")
    assert main(["import-units", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "unknown kind" not in err, err


def test_users_leaves_out_who_was_deactivated(workdir, capsys):
    import asyncio
    from datetime import UTC, datetime

    from bot.runtime import Runtime
    from bot.services import access
    from bot.settings import Settings

    assert main(["import-units", str(shared_path("data", "units.csv"))]) == 0

    async def register():
        rt = Runtime.build(Settings())
        inv = await access.create_invite(rt, role="focal", unit_code="SXD", now=datetime.now(UTC))
        await access.register(rt, 111, inv.token, full_name="Nguyễn Văn A", username=None, language="vi",
                              now=datetime.now(UTC))
        await rt.close()

    asyncio.run(register())
    assert main(["deactivate", "111"]) == 0
    capsys.readouterr()
    assert main(["users"]) == 0
    out = capsys.readouterr().out
    assert "111" not in out or "khoá" in out.lower() or "khóa" in out.lower(), out


def test_backup_into_a_missing_folder_is_a_clear_error(workdir):
    assert _cli(workdir, "init-db").returncode == 0
    done = _cli(workdir, "backup", str(workdir / "no" / "such" / "copy.sqlite3"))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-400:]


def test_commands_on_an_unopenable_database_give_one_clear_line(workdir):
    done = _cli(workdir, "verify-log", env={"DATABASE_URL": "sqlite+aiosqlite:////no/such/dir/x.sqlite3"})
    assert "Traceback" not in done.stderr, done.stderr[-400:]
    done = _cli(workdir, "users", env={"DATABASE_URL": "sqlite+aiosqlite:////no/such/dir/x.sqlite3"})
    assert "Traceback" not in done.stderr, done.stderr[-400:]


def test_two_init_db_at_once_on_a_new_sqlite_database_both_succeed(workdir):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "bot", "init-db"], cwd=workdir, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(p.wait(60), p.stderr.read()) for p in procs]
    assert all(rc == 0 for rc, _ in results), [err[-200:] for rc, err in results if rc]


