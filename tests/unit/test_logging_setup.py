"""Logs carry no secret (message, arguments, traceback, a secret learnt later), at the level and in the
format the settings ask for; the rate limiter's 429 noise is gone."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logging_setup import MASK, ErrorCounter, Redactor, configure_logging
from tests.conftest import make_settings

TOKEN = "7012345678:AAH-secret-token-value_XYZ"
PASSWORD = "pg-pass-w0rd"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def logs():
    """configure_logging on a string stream; the root logger is restored afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, sys.excepthook)
    stream = io.StringIO()

    def start(**settings: object) -> tuple[io.StringIO, Redactor]:
        values = {"telegram_bot_token": TOKEN,
                  "database_url": f"postgresql+asyncpg://dondoc:{PASSWORD}@db.internal:5432/dondoc", **settings}
        return stream, configure_logging(make_settings(**values), stream=stream)

    yield start
    root.handlers[:], sys.excepthook = saved[0], saved[2]
    root.setLevel(saved[1])


def test_the_token_and_the_database_password_are_masked_in_messages_arguments_and_tracebacks(logs):
    stream, _ = logs(log_level="DEBUG")
    log = logging.getLogger("telegram.ext.Updater")
    log.debug("calling %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server (password {PASSWORD}).")
    except RuntimeError:
        log.exception("Exception happened while polling for updates.")
    text = stream.getvalue()
    assert TOKEN not in text and PASSWORD not in text
    assert f"bot{MASK}/getMe" in text and "Traceback" in text and f"The token `{MASK}` was rejected" in text


def test_a_secret_learnt_after_start_is_masked_from_then_on_also_url_encoded(logs):
    stream, redact = logs()
    generated = "generated-webhook-secret-123"
    redact.add(generated)
    logging.getLogger("telegram.Bot").warning("setWebhook secret_token=%s url=%s", generated,
                                              "x?secret=generated-webhook-secret-123&token=" + TOKEN.replace(":", "%3A"))
    text = stream.getvalue()
    assert generated not in text and TOKEN.replace(":", "%3A") not in text and text.count(MASK) == 3


def test_log_level_warning_hides_info_and_json_lines_carry_fields_and_a_masked_traceback(logs):
    stream, _ = logs(log_level="WARNING", log_format="json")
    log = logging.getLogger("bot.outbox")
    log.info("not shown")
    try:
        raise ValueError(TOKEN)
    except ValueError:
        log.warning("delivery %s", "dead", exc_info=True, extra={"outcome": "dead", "chat_id": 5})
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert (record["level"], record["logger"], record["message"]) == ("WARNING", "bot.outbox", "delivery dead")
    assert (record["outcome"], record["chat_id"]) == ("dead", 5)
    assert "ValueError" in record["exception"] and TOKEN not in line


def test_the_rate_limiters_error_for_a_429_the_outbox_handles_is_not_logged(logs):
    stream, _ = logs()
    limiter = logging.getLogger("telegram.ext.AIORateLimiter")
    limiter.error("Rate limit hit after maximum of %d retries", 0)
    limiter.error("something else")
    assert "Rate limit hit" not in stream.getvalue() and "something else" in stream.getvalue()


def test_an_unknown_log_level_is_refused():
    with pytest.raises(ValueError):
        make_settings(log_level="LOUD")


def test_an_uncaught_exception_at_exit_is_printed_without_the_token(tmp_path):
    script = (
        "from bot.logging_setup import configure_logging\n"
        "from tests.conftest import make_settings\n"
        f"configure_logging(make_settings(telegram_bot_token={TOKEN!r}))\n"
        f"raise RuntimeError('The token `{TOKEN}` was rejected by the server.')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1
    assert "RuntimeError: The token `***` was rejected" in done.stderr and TOKEN not in done.stderr


def test_errors_that_repeat_are_counted_by_what_they_say_and_counting_starts_again():
    counter = ErrorCounter(Redactor(TOKEN))
    log = logging.getLogger("tests.counter")
    log.addHandler(counter)
    try:
        for n in range(5):
            log.error("send failed for chat %s with %s", n, TOKEN)
        log.error("once")
        log.warning("not an error")
    finally:
        log.removeHandler(counter)
    [(name, template, count, sample)] = counter.take(5)
    assert (name, template, count) == ("tests.counter", "send failed for chat %s with %s", 5)
    assert TOKEN not in sample and sample.startswith("send failed for chat 0")
    assert counter.take(1) == []
