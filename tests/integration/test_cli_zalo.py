"""The admin CLI for the Zalo channel: an invite prints the message to send the Zalo bot; a person on Zalo only
(no Telegram id) is named by the id `users` prints; `status` reports both channels."""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from bot.cli import main
from bot.runtime import Runtime
from bot.services import access
from bot.settings import Settings
from tests.conftest import NOW, shared_path


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE", "ZALO_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _join_on_zalo(token: str, chat_id: str) -> int:
    async def work() -> int:
        rt = Runtime.build(Settings(_env_file=None))  # type: ignore[call-arg]
        try:
            actor = await access.register_on(rt, "zalo", chat_id, token, full_name="Chị Lan", language="vi", now=NOW)
            return actor.id
        finally:
            await rt.close()
    return asyncio.run(work())


def test_a_zalo_invite_a_zalo_only_person_named_by_id_and_status_of_both_channels(workdir, capsys, monkeypatch):
    assert main(["import-units", str(shared_path("data", "units.csv"))]) == 0
    capsys.readouterr()
    assert main(["invite", "--role", "focal", "--unit", "SXD", "--channel", "zalo"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"^/start (\S+)$", out, re.MULTILINE)
    assert found and "t.me" not in out, out
    person = _join_on_zalo(found.group(1), "zalo-42")

    assert main(["users"]) == 0
    line = [x for x in capsys.readouterr().out.splitlines() if "Chị Lan" in x][0]
    assert line.startswith("-\tfocal\tSXD") and line.endswith(f"id={person}")

    monkeypatch.setenv("ZALO_BOT_TOKEN", "1459232241454765289:dondoc-zalo-test-token")
    assert main(["status", "--json"]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    assert report["channels"]["zalo"] == {"enabled": True, "people": 1, "pending": 0, "dead": 0, "uncertain": 0,
                                          "unreachable": 0}
    assert report["channels"]["telegram"]["enabled"] is False
    main(["status"])
    assert "Kênh Zalo: đang chạy; 1 người nhận được tin" in capsys.readouterr().out

    assert main(["web-link", "--person", str(person)]) == 0
    assert "/auth/link?token=" in capsys.readouterr().out
    assert main(["deactivate", f"id={person}"]) == 0
    assert "Chị Lan" in capsys.readouterr().out
    assert main(["deactivate", f"id={person}"]) == 1
    assert main(["users"]) == 0
    assert "Chị Lan" not in capsys.readouterr().out
