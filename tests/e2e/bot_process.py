"""The real bot, as an operator runs it, against the Bot API emulator (see tests/e2e/harness.py).

``BotProcess`` prepares a fresh SQLite database with the admin CLI (``python -m bot import-units``,
``python -m bot invite``), then starts ``python -m bot run`` as a subprocess polling the emulator,
and stops it with SIGTERM (then SIGKILL). Its log (stdout and stderr) goes to a file whose tail
is shown when a test fails::

    with BotProcess(emulator, tmp_path).prepare(INVITES) as bot:
        leader = bot.user("leader", 1002, "Phó Chủ tịch")
        leader.send_text(f"/start {bot.invites['leader']}")

The bot uses its own token (``BOT_TOKEN`` below), so it never sees updates meant for other e2e tests
sharing the session's emulator, and its messages are found with ``emulator.sent(token=bot.token)``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.e2e.harness import EmulatedUser, Emulator
from tests.html_check import html_problems

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
BOT_TOKEN = "7000000001:dondoc-e2e-journeys-token"
BOT_USERNAME = "DonDocE2EBot"
DISPATCH_INTERVAL_SECONDS = "0.3"
_START_LINK = re.compile(r"[?&]start=([A-Za-z0-9_-]+)")


class BotProcessError(RuntimeError):
    """The CLI failed, or the bot did not start polling."""


class BotProcess:
    """One bot process on one fresh database, in ``workdir``."""

    def __init__(self, emulator: Emulator, workdir: Path, token: str = BOT_TOKEN):
        self.emulator = emulator
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.token = token
        self.db_path = self.workdir / "db.sqlite3"
        self.log_path = self.workdir / "bot.log"
        self.invites: dict[str, str] = {}
        self.invite_links: dict[str, str] = {}
        self.proc: subprocess.Popen | None = None
        self._log_file = None

    # -- environment and CLI ---------------------------------------------------------------

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=self.token,
            TELEGRAM_API_BASE_URL=self.emulator.url,  # the app appends "/bot" itself
            DATABASE_URL=f"sqlite+aiosqlite:///{self.db_path}",
            DISPATCH_INTERVAL_SECONDS=DISPATCH_INTERVAL_SECONDS,
            BOT_USERNAME=BOT_USERNAME,
            DEFAULT_LANGUAGE="vi",
            # The bot runs on the wall clock: without this its quiet hours (nothing sent outside the working
            # day's send window) would hold every notice of a run in the evening or at the weekend.
            DEMO_MODE="true",
            PYTHONUNBUFFERED="1",
            PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
        )
        for key in ("NO_PROXY", "no_proxy"):  # loopback never goes through a proxy
            hosts = [h for h in env.get(key, "").split(",") if h.strip()]
            env[key] = ",".join(hosts + [h for h in ("127.0.0.1", "localhost") if h not in hosts])
        return env

    def cli(self, *args: str, timeout: float = 60.0) -> str:
        """Run ``python -m bot <args>`` in the work directory; its stdout, or BotProcessError."""
        proc = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=self.workdir,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0:
            raise BotProcessError(
                f"python -m bot {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr[-3000:]}"
            )
        return proc.stdout

    def invite(self, role: str, unit: str | None = None) -> tuple[str, str]:
        """A one-time invite: (token, link), read from the ``start=`` link the CLI prints."""
        args = ["invite", "--role", role] + (["--unit", unit] if unit else [])
        out = self.cli(*args)
        match = _START_LINK.search(out)
        if match is None:
            raise BotProcessError(f"no start= link in the invite output:\n{out}")
        token = match.group(1)
        if f"Mã: {token}" not in out:
            raise BotProcessError(f"the invite output does not repeat the token as «Mã: …»:\n{out}")
        link = next(word for word in out.split() if "start=" in word)
        return token, link

    def prepare(self, invites: Mapping[str, tuple[str, str | None]]) -> BotProcess:
        """Import the shared units and groups, then create one invite per ``name: (role, unit)``."""
        self.cli("import-units", str(SHARED_DATA / "units.csv"), "--groups", str(SHARED_DATA / "groups.csv"))
        for name, (role, unit) in invites.items():
            self.invites[name], self.invite_links[name] = self.invite(role, unit)
        return self

    # -- the running bot -------------------------------------------------------------------

    def start(self, timeout: float = 30.0) -> BotProcess:
        """Start ``python -m bot run``; return once it has published its commands and polls."""
        started_at = time.monotonic()
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=self.workdir,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )

        def ready() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise BotProcessError(f"the bot exited with {self.proc.returncode}:\n{self.log_tail()}")
            return self.ready()

        try:
            self.emulator.wait_for_sync(ready, timeout=timeout, interval=0.05,
                                        message=f"the bot did not get ready within {timeout}s")
        except AssertionError as exc:
            self.stop()
            raise BotProcessError(f"{exc}\n{self.log_tail()}") from exc
        self.startup_seconds = time.monotonic() - started_at
        return self

    def ready(self) -> bool:
        """Commands published and polling (a subclass in webhook mode says otherwise)."""
        if len(self.emulator.calls("setMyCommands", token=self.token)) < 2:
            return False
        # A long poll is logged as a call only when it returns: look at the waiting pollers too.
        pending = self.emulator.pending_updates(token=self.token)
        return bool(pending["polling"] or pending["last_polled_at"]
                    or self.emulator.calls("getUpdates", token=self.token))

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 10.0) -> int | None:
        """SIGTERM (PTB stops polling and closes the database), then SIGKILL after ``grace``."""
        code = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(grace)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(5)
            code = self.proc.returncode
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return code

    def __enter__(self) -> BotProcess:
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def errors_logged(self) -> list[str]:
        """ERROR lines and tracebacks in the log so far."""
        return [line for line in self.log_text().splitlines() if " ERROR " in line or line.startswith("Traceback")]

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the log, without the outbox job's every-0.3-s scheduler lines."""
        lines = [line for line in self.log_text().splitlines() if "apscheduler.executors" not in line]
        return "\n".join(lines)[-chars:]

    # -- people ----------------------------------------------------------------------------

    def user(self, telegram_id: int, first_name: str, username: str | None = None,
             language_code: str | None = "vi") -> EmulatedUser:
        return self.emulator.user(telegram_id, first_name, username=username, language_code=language_code,
                                  token=self.token)


class ShowBotLog:
    """A pytest plugin: a failed test that uses ``fixture`` gets the bot's log tail in its report."""

    def __init__(self, fixture: str = "bot"):
        self.fixture = fixture

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):  # noqa: ANN201
        report = yield
        bot = getattr(item, "funcargs", {}).get(self.fixture)
        if report.failed and isinstance(bot, BotProcess):
            tail = bot.log_tail()
            if tail:
                report.sections.append(("bot log (tail)", tail))
        return report


def running_bot(
    request: pytest.FixtureRequest,
    emulator: Emulator,
    workdir: Path,
    invites: Mapping[str, tuple[str, str | None]],
    fixture: str = "bot",
) -> Iterator[BotProcess]:
    """Body of a fixture named ``fixture``: a prepared, polling bot, stopped at teardown,
    whose log tail is shown on each failed test using it."""
    plugin = ShowBotLog(fixture)
    request.config.pluginmanager.register(plugin)
    bot = BotProcess(emulator, workdir)
    try:
        try:
            bot.prepare(invites).start()
        except BotProcessError as exc:
            pytest.fail(str(exc), pytrace=False)
        yield bot
    finally:
        code = bot.stop()
        request.config.pluginmanager.unregister(plugin)
    if code not in (0, -signal.SIGTERM, None):
        pytest.fail(f"the bot exited with {code} after SIGTERM:\n{bot.log_tail()}", pytrace=False)
    faults = html_faults(bot)
    if faults:
        pytest.fail("the bot sent text Telegram would refuse:\n" + "\n".join(faults[:20]), pytrace=False)


def html_faults(bot: BotProcess) -> list[str]:
    """Every HTML text the bot sent (and every earlier version of an edited one), strictly checked."""
    faults = []
    for message in bot.emulator.sent(token=bot.token, include_deleted=True):
        versions = [message.raw_text, *(h.get("raw_text") for h in message.history or [] if isinstance(h, dict))]
        if message.parse_mode != "HTML":
            continue
        for text in versions:
            faults += [f"{message.chat_id}/{message.message_id}: {p}" for p in html_problems(text or "")]
    return faults
