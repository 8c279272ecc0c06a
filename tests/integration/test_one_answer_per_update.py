"""One error path for every handler: a refusal is answered once, in the reader's language; a button press is
answered exactly once (Telegram refuses a second answer, «query is too old», and leaves a press never answered
spinning); ids in a button are checked against their column's range before any query; a damaged file is
named in a clear answer, in chat and from the CLI. The `chat` fixture fails on any press answered twice or
never, and on any apology for an unhandled error."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.cli import main
from handlers import scans
from storage.models import Directive, Event, ImportBatch
from tests import hostile_files
from tests.integration.chatbot import plain
from tests.integration.conftest import UNITS_CSV

ADMIN, LEADER, SXD, VIEWER = 1001, 1002, 2001, 3001
MISSING = "CD-2026-99999999"


def answers(chat) -> list[dict]:
    return chat.request.sent("answerCallbackQuery")


def alerted(answer: dict) -> bool:
    return answer.get("show_alert") in (True, "true")


async def _writes(rt) -> tuple[int, ...]:
    async with rt.sessions() as s:
        return tuple([await s.scalar(select(func.count()).select_from(m)) for m in (Directive, Event, ImportBatch)])


async def test_a_button_for_a_directive_that_does_not_exist_is_answered_not_found_once(chat, people):
    await chat.press(LEADER, f"open|{MISSING}||")
    [answer] = answers(chat)
    assert answer["text"] == f"Không tìm thấy nhiệm vụ {MISSING}." and alerted(answer)
    chat.check_clean()


@pytest.mark.parametrize("data", [f"hist|{MISSING}||", f"files|{MISSING}||", f"ack|{MISSING}|1|", f"prog|{MISSING}|1|",
                                  f"ded|{MISSING}|1|", f"dedp|{MISSING}|1|lead", f"res|{MISSING}|1|L:SXD",
                                  f"asd|{MISSING}|1|type", f"dok|{MISSING}|1|", "pg|over|999999999|", "asg|x.l|1|next",
                                  "asks|nothing||", "rpx|2026-11|20261130|NOPE", "rsnd|||1", "zzz|||"])
async def test_every_kind_of_button_aimed_at_nothing_is_answered_exactly_once(chat, people, data):
    for who in (LEADER, ADMIN, SXD, VIEWER, 999):
        await chat.press(who, data)
    assert len(answers(chat)) == 5
    chat.check_clean()


async def test_next_before_choosing_a_lead_unit_says_to_choose_one_and_the_flow_goes_on(chat, people):
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Kiểm tra chất lượng công trình trường học")
    await chat.press(LEADER, chat.button(LEADER, "Sở Xây dựng"))  # the lead: one press, the support step next
    await chat.press(LEADER, chat.button(LEADER, "Sở Tài chính"))
    await chat.press(LEADER, chat.button(LEADER, "Sở Tài chính"))  # chosen, then not
    assert "Bản nháp" not in chat.request.last_text(LEADER)
    assert "Kiểm tra chất lượng" in await chat.press(LEADER, chat.button(LEADER, "Cuối tháng"))
    assert len(answers(chat)) == 4
    chat.check_clean()


@pytest.mark.parametrize("data", ["impno|2147483648||x", "impok|2147483648||x", "impok|99999999999999999999||x",
                                  "impno|0||x", "rsnd|||9223372036854775808", "rsnd|||99999999999999999999999999"])
async def test_ids_out_of_their_columns_range_are_a_stale_button_on_both_databases(chat, rt, people, data):
    before = await _writes(rt)
    await chat.press(ADMIN, data)
    [answer] = answers(chat)
    assert alerted(answer)
    assert answer["text"].startswith(("Lần nhập này không còn hiệu lực", "Thao tác không còn hiệu lực")), answer
    assert await _writes(rt) == before
    chat.check_clean()


async def test_a_refusal_is_answered_in_the_readers_language(chat, people, monkeypatch):
    await chat.say(SXD, "/ngonngu en")
    await chat.press(SXD, f"open|{MISSING}||")
    assert answers(chat)[-1]["text"] == f"Directive {MISSING} was not found."
    assert "Directive CD-2026-99999999 was not found." in await chat.say(SXD, f"/xem {MISSING}")
    # A refusal met after the press was answered (a report file takes a while, so its press is answered first)
    # comes as a message, still in English, and the press is not answered again.
    from bot.errors import DomainError
    from bot.services import reports

    async def refused(*_args, **_kwargs):
        raise DomainError("unit.unknown", code="NOPE")

    monkeypatch.setattr(reports, "report_file", refused)
    await chat.press(SXD, "rpx|2026-10|20261031|")
    assert len(answers(chat)) == 2
    assert chat.request.last_text(SXD) == "There is no unit with code «NOPE»."
    chat.check_clean()


async def test_a_report_button_naming_a_unit_that_does_not_exist_is_a_stale_button(chat, people):
    await chat.press(SXD, "rpx|2026-11|20261130|NOPE")
    [answer] = answers(chat)
    assert alerted(answer) and answer["text"].startswith("Thao tác không còn hiệu lực")
    assert not chat.request.sent("sendDocument")


async def test_pressing_the_same_page_twice_is_answered_each_time_without_an_error(chat, people):
    await chat.say(LEADER, "/quahan")
    for _ in range(2):
        await chat.press(LEADER, "pg|over|1|")
    assert len(answers(chat)) == 2
    chat.check_clean()


@pytest.mark.parametrize("name", sorted(hostile_files.DAMAGED))
async def test_a_damaged_file_sent_in_chat_gets_a_clear_answer_and_nothing_is_kept(chat, rt, people, name):
    data = hostile_files.DAMAGED[name]()
    chat.request.files["damaged"] = data
    before = await _writes(rt)
    await chat.send_file(ADMIN, name, file_id="damaged", size=len(data))
    await scans.settle()  # a PDF without a text layer is read by OCR in a task of its own
    answer = plain(chat.request.last_text(ADMIN))
    assert name in answer or "Không đọc được bảng tính" in answer or "Thiếu cột" in answer, answer
    assert await _writes(rt) == before
    chat.check_clean()


@pytest.fixture
def office(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    assert main(["import-units", str(tmp_path / "units.csv")]) == 0
    return tmp_path


@pytest.mark.parametrize("name", sorted(hostile_files.DAMAGED))
def test_the_cli_refuses_a_damaged_file_in_one_line_on_stderr_with_exit_code_1(office, capsys, name):
    (office / name).write_bytes(hostile_files.DAMAGED[name]())
    capsys.readouterr()
    assert main(["import", name, "--dry-run"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert name in err, err


def test_python_m_bot_import_prints_one_line_for_a_damaged_file_whatever_its_libraries_log(office):
    """As an operator runs it: the libraries' own warnings (pypdf's about a damaged PDF) stay off stderr."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])
    for name in ("hong-chuoi.xlsx", "hong-luong.pdf", "cat-ngang.pdf"):
        (office / name).write_bytes(hostile_files.DAMAGED[name]())
        done = subprocess.run([sys.executable, "-m", "bot", "import", "--dry-run", name], capture_output=True,
                              text=True, cwd=office, env={**os.environ, "PYTHONPATH": root}, timeout=60)
        assert done.returncode == 1 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and name in done.stderr, done.stderr


@pytest.mark.parametrize("content, said", [
    ("code,name,kind,groups,aliases\nSXD,Sở\x00Xây dựng,department,,\n", "dòng 2: có ký tự điều khiển"),
    ("code,name,kind,groups,aliases\nSXD,\"" + "x" * 200_000 + "\",department,,\n", "dòng 2: không đọc được"),
])
def test_a_units_file_the_csv_reader_cannot_read_or_holding_control_characters_is_refused_in_one_line(
        office, capsys, content, said):
    (office / "bad.csv").write_text(content, encoding="utf-8")
    capsys.readouterr()
    assert main(["import-units", "bad.csv"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and said in err, err


async def test_a_suggested_unit_pressed_twice_is_answered_each_time_without_an_error(chat, rt, people):
    """Telegram refuses an edit that changes nothing («message is not modified»); the offline Bot API does too."""
    await chat.say(LEADER, "Giao Sở Abc chủ trì kiểm tra trước ngày 1/12/2026")
    suggestion = chat.button(LEADER, "Sở")
    for _ in range(2):
        await chat.press(LEADER, suggestion)
    assert len(answers(chat)) == 2
    chat.check_clean()
