"""The web app's admin commands: a sign-in link for a person named by `users`' id or a Telegram id, and the
API's client tokens, issued and revoked."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest

from bot.cli import main
from bot.runtime import Runtime
from bot.services import access, web_auth
from bot.settings import Settings
from tests.conftest import shared_path


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE", "WEB_BASE_URL", "WEB_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEB_BASE_URL", "https://dondoc.example.gov.vn")
    return tmp_path


def test_web_link_names_a_person_by_the_id_users_prints_or_by_telegram_id(workdir, capsys):
    assert main(["import-units", str(shared_path("data", "units.csv"))]) == 0

    async def register() -> None:
        rt = Runtime.build(Settings())
        invite = await access.create_invite(rt, role="focal", unit_code="SXD", now=datetime.now(UTC))
        await access.register(rt, 2001, invite.token, full_name="Đầu mối Sở XD", username=None, language="vi",
                              now=datetime.now(UTC))
        await rt.close()

    asyncio.run(register())
    capsys.readouterr()
    assert main(["users"]) == 0
    person = re.search(r"id=(\d+)", capsys.readouterr().out).group(1)
    for args in (["--person", person], ["--person", f"id={person}"], ["--telegram-id", "2001"]):
        assert main(["web-link", *args]) == 0
        out = capsys.readouterr().out
        assert "Đầu mối Sở XD" in out and "https://dondoc.example.gov.vn/auth/link?token=" in out
    assert main(["web-link", "--person", "999"]) == 1
    assert "Không có người dùng đang hoạt động có id 999" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["web-link", "--person", "1", "--telegram-id", "2001"])


def test_api_token_is_issued_once_per_name_and_revoked(workdir, capsys):
    assert main(["init-db"]) == 0
    assert main(["api-token", "--name", "ioc"]) == 0
    token = re.search(r"(dd_\S+)", capsys.readouterr().out).group(1)

    async def client() -> str | None:
        rt = Runtime.build(Settings())
        try:
            return await web_auth.api_client(rt, token)
        finally:
            await rt.close()

    assert asyncio.run(client()) == "ioc"
    assert main(["api-token", "--name", "ioc"]) == 1
    assert "Đã có mã truy cập đang dùng cho «ioc»" in capsys.readouterr().err
    assert main(["api-token", "--revoke", "ioc"]) == 0
    assert asyncio.run(client()) is None
    assert main(["api-token", "--revoke", "ioc"]) == 1
    assert main(["api-token", "--name", "bad name!"]) == 1
