"""Fixtures for the reliability tests: the Bot API emulator (as in tests/e2e), bot processes that are
stopped at teardown (their log tails shown when a test fails), and the integration tests' province."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import emulator  # noqa: F401 - the session's emulator fixture
from tests.e2e.harness import Emulator
from tests.integration.conftest import people  # noqa: F401 - one person per role, on `rt`
from tests.reliability.fleet import ReminderBot

_tokens = itertools.count(1)

BotFactory = Callable[..., ReminderBot]


@pytest.fixture
def bots(request: pytest.FixtureRequest, emulator: Emulator, tmp_path: Path) -> Iterator[BotFactory]:  # noqa: F811
    """``bots(database_url, name="a", token=None, **env)``: a started bot process; all stopped at the end."""
    started: list[ReminderBot] = []

    def start(database_url: str, name: str = "bot", token: str | None = None, **env: object) -> ReminderBot:
        number = next(_tokens)
        bot = ReminderBot(emulator, tmp_path / name, database_url,
                          token or f"{7100000000 + number}:dondoc-reliability-{number}", **env)
        started.append(bot)
        return bot.start()

    request.node.reliability_bots = started
    yield start
    for bot in started:
        bot.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
    report = yield
    if report.failed:
        for bot in getattr(item, "reliability_bots", []):
            tail = bot.log_tail(3000)
            if tail:
                report.sections.append((f"bot log (tail) {bot.workdir.name}", tail))
        emu = getattr(item, "funcargs", {}).get("emulator")
        if isinstance(emu, Emulator):
            tail = emu.log_text()[-2000:]
            if tail:
                report.sections.append(("emulator log (tail)", tail))
    return report
