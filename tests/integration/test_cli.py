"""The admin CLI as an office would run it, on a SQLite file in a fresh directory."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from bot.cli import main
from tests.conftest import shared_path


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_units_import_twice_and_an_invite_for_a_focal_point_prints_a_link_and_token(workdir, capsys):
    units, groups = shared_path("data", "units.csv"), shared_path("data", "groups.csv")
    assert main(["import-units", str(units), "--groups", str(groups)]) == 0
    assert main(["import-units", str(units), "--groups", str(groups)]) == 0
    out = capsys.readouterr().out
    assert "31 mới" in out and "0 mới, 0 cập nhật, 3 nhóm" in out
    assert main(["invite", "--role", "focal", "--unit", "SXD", "--expires", "3d"]) == 0
    out = capsys.readouterr().out
    assert "https://t.me/DonDocBot?start=" in out and "Mã: " in out
    assert (workdir / "dondoc.sqlite3").exists()


def test_an_invite_for_an_unknown_unit_is_a_clear_error_with_exit_code_1(workdir, capsys):
    assert main(["init-db"]) == 0
    assert main(["invite", "--role", "focal", "--unit", "XYZ"]) == 1
    assert "Không có đơn vị mã «XYZ»" in capsys.readouterr().err


def test_a_malformed_units_file_names_its_line_and_imports_nothing(workdir, capsys):
    bad = workdir / "units.csv"
    bad.write_text("code,name,kind,groups,aliases\nSXD,Sở Xây dựng,department,,\nsxd lower,X,department,,\n",
                   encoding="utf-8")
    assert main(["import-units", str(bad)]) == 1
    assert "dòng 3" in capsys.readouterr().err
    assert main(["users"]) == 0


def test_a_report_period_may_be_typed_in_lower_case_or_as_month_and_year(workdir, capsys):
    assert main(["init-db"]) == 0
    assert main(["report", "--period", "2025-q4", "--out", "ra"]) == 0
    assert "quý IV/2025, tính đến ngày 31/12/2025" in capsys.readouterr().out
    assert main(["report", "--period", "3/2025", "--out", "ra"]) == 0
    assert "tháng 3/2025, tính đến ngày 31/03/2025" in capsys.readouterr().out


def test_backup_makes_a_consistent_sqlite_copy(workdir, capsys):
    assert main(["import-units", str(shared_path("data", "units.csv"))]) == 0
    assert main(["backup", str(workdir / "copy.sqlite3")]) == 0
    with sqlite3.connect(workdir / "copy.sqlite3") as copy:
        assert copy.execute("select count(*) from units").fetchone() == (31,)


def test_parse_prints_the_corpus_shape(workdir, capsys):
    units = shared_path("data", "units.csv")
    text = "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát dự án, báo cáo trước ngày 15/12/2026."
    assert main(["parse", "--at", "2026-11-20T09:00:00+07:00", "--units", str(units), text]) == 0
    result = json.loads(capsys.readouterr().out)
    [directive] = result["directives"]
    assert (directive["lead"], directive["support"], directive["deadline"]) == (["SXD"], ["STC"], "2026-12-15")


def test_run_without_a_token_says_which_variable_in_one_line_and_exits_2(workdir):
    done = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(workdir)}, cwd=workdir)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and ".env.example" in done.stderr


def test_merge_units_retires_communes_into_their_successor_and_refuses_nonsense(workdir, capsys):
    units, groups = shared_path("data", "province-2025", "units.csv"), shared_path("data", "province-2025", "groups.csv")
    assert main(["import-units", str(units), "--groups", str(groups)]) == 0
    capsys.readouterr()
    assert main(["merge-units", "X-CONCO", "--into", "X-CONCO"]) == 1
    assert "vào chính nó" in capsys.readouterr().err
    codes = [line.split(",")[0] for line in units.read_text(encoding="utf-8").splitlines()[1:]
             if line.startswith("X-")][:3]
    assert main(["merge-units", codes[0], codes[1], "--into", codes[2]]) == 0
    out = capsys.readouterr().out
    assert f"Đã sáp nhập {codes[0]}, {codes[1]} vào {codes[2]}: 0 nhiệm vụ" in out
    with sqlite3.connect(workdir / "dondoc.sqlite3") as db:
        active = dict(db.execute("SELECT code, active FROM units WHERE code IN (?, ?, ?)", codes).fetchall())
    assert active == {codes[0]: 0, codes[1]: 0, codes[2]: 1}
    assert main(["merge-units", codes[0], "--into", codes[2]]) == 1, "a retired unit cannot be retired again"


def test_a_leader_s_invite_carries_the_title_and_name_the_readme_gives(workdir, capsys):
    assert main(["init-db"]) == 0
    assert main(["invite", "--role", "leader", "--title", "Phó Chủ tịch UBND tỉnh", "--name", "Lê Quang Minh"]) == 0
    assert "Mã: " in capsys.readouterr().out
    with sqlite3.connect(workdir / "dondoc.sqlite3") as db:
        rows = db.execute("SELECT role, title, full_name, unit_id FROM invites").fetchall()
    assert rows == [("leader", "Phó Chủ tịch UBND tỉnh", "Lê Quang Minh", None)]
