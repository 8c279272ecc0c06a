"""Fixtures for end-to-end tests against the Bot API emulator (see tests/e2e/harness.py).

``emulator`` (session): one running emulator for the whole run. Without Node the
e2e tests are skipped with a visible reason, except in CI (CI=true) where that is
a failure. ``clean_emulator`` (function): the same emulator, state reset first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.e2e.harness import Emulator, EmulatorUnavailable, node_executable

IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"e2e emulator unavailable in CI: {reason}", pytrace=False)
    pytest.skip(f"e2e emulator unavailable: {reason}")


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    if node_executable() is None:
        _unavailable("node is not installed (install Node >= 18 to run the e2e tests)")
    emu = Emulator()
    try:
        emu.start()
    except EmulatorUnavailable as exc:
        _unavailable(str(exc))
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture
def clean_emulator(emulator: Emulator) -> Emulator:
    emulator.reset()
    return emulator


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """On a failed e2e test, show the tail of the emulator's stderr log."""
    report = yield
    if report.failed:
        emu = getattr(item, "funcargs", {}).get("emulator")
        if isinstance(emu, Emulator):
            tail = emu.log_text()[-4000:]
            if tail:
                report.sections.append(("emulator log (tail)", tail))
    return report
