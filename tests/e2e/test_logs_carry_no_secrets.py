"""The real bot process at LOG_LEVEL=DEBUG: a token Telegram rejects (401), a webhook secret the bot
derives itself and the database password never appear in its output, the exit traceback included; a
webhook call without the secret is refused and /healthz answers."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from sqlalchemy.engine import make_url

from bot.app import webhook_secret
from tests.conftest import make_settings
from tests.e2e.bot_process import BotProcess
from tests.e2e.replicas import SECRET_HEADER, WebhookBot

pytestmark = pytest.mark.e2e

REJECTED = "7500000001:dondoc-rejected-token-e2e"
WEBHOOK = "7500000002:dondoc-webhook-secret-e2e"


def test_a_rejected_token_at_debug_is_masked_everywhere_and_the_bot_exits_2_with_a_clear_line(
        emulator, tmp_path):
    bot = BotProcess(emulator, tmp_path, token=REJECTED)
    env = {**bot.env(), "LOG_LEVEL": "DEBUG"}
    rule = emulator.inject_fault("getMe", 401, count=None, description="Unauthorized")
    try:
        done = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)
    finally:
        emulator.clear_fault(rule)
    output = done.stdout + done.stderr
    assert [c["status"] for c in emulator.calls("getMe", token=REJECTED)][:1] == [401], "Telegram said 401"
    assert REJECTED not in output and REJECTED.split(":")[1] not in output
    assert "***" in output, "the lines that carried it are there, masked"
    assert " DEBUG " in output, "DEBUG lines were written"
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("Telegram từ chối TELEGRAM_BOT_TOKEN")


@pytest.mark.postgres
def test_a_derived_webhook_secret_and_the_database_password_never_reach_the_debug_log(
        emulator, tmp_path, postgres_url):
    password = "pw-e2e-Secret-42"  # the test server trusts loopback, so any password connects
    database_url = make_url(postgres_url).set(password=password).render_as_string(hide_password=False)
    hook = f"http://127.0.0.1:{1}/telegram"  # nothing listens there: only setWebhook matters here
    bot = WebhookBot(emulator, tmp_path, database_url, WEBHOOK, hook, log_level="DEBUG")
    secret = webhook_secret(make_settings(telegram_bot_token=WEBHOOK))
    try:
        bot.start()
        assert httpx.post(f"{bot.url}/telegram", json={"update_id": 1}, trust_env=False).status_code == 403
        wrong = httpx.post(f"{bot.url}/telegram", json={"update_id": 1}, headers={SECRET_HEADER: "guess"},
                           trust_env=False)
        assert wrong.status_code == 403
        status, report = bot.healthz()
        assert status in (200, 503) and report["database"] is True and report["revision"] == report["head"]
        assert password not in str(report)
    finally:
        bot.stop()
    log = bot.log_text()
    assert "setWebhook" in log, "PTB's DEBUG line for setWebhook was written"
    assert secret not in log and WEBHOOK not in log and password not in log
    assert "refused a webhook call without the right secret token" in log
