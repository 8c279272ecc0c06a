"""End-to-end harness: a Telegram Bot API emulator over real HTTP.

The emulator is the npm package ``telegram-test-api`` (pinned in
``tests/e2e/emulator/package.json``) started by ``tests/e2e/emulator/launcher.js``,
which makes it speak the Bot API the way python-telegram-bot 22 expects.

Pointing PTB at it::

    emu = Emulator().start()
    app = (
        ApplicationBuilder()
        .token(emu.token)
        .base_url(emu.base_url)            # "http://127.0.0.1:PORT/bot"  (PTB appends the token)
        .base_file_url(emu.base_file_url)  # "http://127.0.0.1:PORT/file/bot"
        .build()
    )
    # or simply: app = emu.application_builder().build()

PTB builds ``{base_url}{token}/{method}`` for API calls and
``{base_file_url}{token}/{file_path}`` for downloads, so both URLs end in ``/bot``
with no trailing slash and no token (a ``{token}`` placeholder would work too).

Playing a user::

    anna = emu.user(1001, "Anna", username="anna")
    anna.send_text("/start")                        # private chat 1001
    anna.send_text("hi all", chat_id=-100)           # group chat -100
    msg = await anna.wait_for_message(lambda m: m.buttons)
    cq_id = anna.press("approve", msg.message_id)    # callback query on that bot message
    await emu.wait_for(lambda: emu.callback_answer(cq_id)["answered"])

All HTTP calls to the emulator are synchronous and take about a millisecond on
loopback, so they are safe to call from async tests; the waiting helpers
(``wait_for``, ``wait_for_message``) are coroutines so that a bot running on the
same event loop keeps working while a test waits.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

# How long a condition may take before a test fails: a deadline, never a sleep (every wait returns as soon as its
# condition holds), long enough for a bot restarting on a machine whose CPU is saturated.
DEADLINE = 30.0

EMULATOR_DIR = Path(__file__).resolve().parent / "emulator"
LAUNCHER = EMULATOR_DIR / "launcher.js"
DEFAULT_TOKEN = "123456789:TEST-dondoc-e2e-token"
READY_PREFIX = "EMULATOR READY "


class EmulatorUnavailable(RuntimeError):
    """Node (or the emulator's npm packages) cannot be had on this machine."""


class EmulatorError(RuntimeError):
    """A control call to the emulator failed."""


def node_executable() -> str | None:
    """The node binary to use: $EMULATOR_NODE if set (must be executable), else node on PATH."""
    configured = os.environ.get("EMULATOR_NODE")
    if configured:
        return shutil.which(configured)
    return shutil.which("node")


def ensure_node_modules(timeout: float = 300.0) -> None:
    """Run ``npm ci`` in the emulator folder if its node_modules is missing."""
    if (EMULATOR_DIR / "node_modules" / "telegram-test-api" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise EmulatorUnavailable("npm is not installed, and tests/e2e/emulator/node_modules is missing")
    proc = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=EMULATOR_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise EmulatorUnavailable(
            f"npm ci failed in {EMULATOR_DIR} (exit {proc.returncode}):\n{proc.stderr[-2000:]}"
        )


def _bypass_proxies_for_loopback() -> None:
    """If an HTTP proxy is configured, make sure PTB's httpx does not send loopback traffic to it."""
    if not any(
        os.environ.get(k)
        for k in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
    ):
        return
    for key in ("NO_PROXY", "no_proxy"):
        current = [h for h in os.environ.get(key, "").split(",") if h.strip()]
        for host in ("127.0.0.1", "localhost"):
            if host not in current:
                current.append(host)
        os.environ[key] = ",".join(current)


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def max_in_window(timestamps_ms: Iterable[float], window_ms: float = 1000.0) -> int:
    """Largest number of events inside any half-open sliding window of ``window_ms``."""
    ts = sorted(timestamps_ms)
    best = 0
    start = 0
    for end, t in enumerate(ts):
        while ts[start] <= t - window_ms:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass
class SentMessage:
    """A message the bot sent (current state, after any edits)."""

    chat_id: int
    message_id: int
    method: str
    text: str | None
    raw_text: str | None
    parse_mode: str | None
    reply_markup: dict | None
    sent_at: int  # server time, ms since epoch
    edited: bool
    edit_count: int
    edited_at: int | None
    deleted: bool
    document: dict | None = None
    photo: list | None = None
    file: dict | None = None
    history: list = field(default_factory=list)
    message: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, d: dict) -> SentMessage:
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: d.get(k) for k in names if k in d})

    @property
    def buttons(self) -> list[dict]:
        """Inline keyboard buttons, flattened row by row (empty if none)."""
        markup = self.reply_markup or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    def button_data(self, text: str) -> str:
        for b in self.buttons:
            if b.get("text") == text:
                return b["callback_data"]
        raise KeyError(f"no button {text!r} in {[b.get('text') for b in self.buttons]}")


class Emulator:
    """A running telegram-test-api emulator (Node subprocess) on a free loopback port."""

    def __init__(self, token: str = DEFAULT_TOKEN, startup_timeout: float = 30.0, verbose: bool = False):
        self.token = token
        self.startup_timeout = startup_timeout
        self.verbose = verbose
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="emulator-", suffix=".log", delete=False)
        self._http: httpx.Client | None = None
        self._lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Emulator:
        node = node_executable()
        if node is None:
            raise EmulatorUnavailable("node is not installed (needed for the Bot API emulator)")
        ensure_node_modules()
        _bypass_proxies_for_loopback()
        last_error = ""
        for _ in range(3):
            port = free_port()
            env = dict(os.environ, EMULATOR_PORT=str(port), EMULATOR_EXIT_ON_STDIN_CLOSE="1")
            if self.verbose:
                env["EMULATOR_VERBOSE"] = "1"
            proc = subprocess.Popen(
                [node, str(LAUNCHER), str(port)],
                cwd=EMULATOR_DIR,
                stdout=subprocess.PIPE,
                stderr=self._log,
                stdin=subprocess.PIPE,  # closed on stop, or when this process dies: the launcher then exits
                text=True,
                env=env,
            )
            line = self._read_ready_line(proc)
            if line is not None:
                self.proc, self.port = proc, port
                self._http = httpx.Client(base_url=self.url, timeout=10.0, trust_env=False)
                return self
            last_error = self.log_text()[-2000:]
            self._terminate(proc)
        raise EmulatorError(f"emulator did not start:\n{last_error}")

    def _read_ready_line(self, proc: subprocess.Popen) -> str | None:
        result: list[str] = []

        def reader() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith(READY_PREFIX):
                    result.append(line.strip())
                    return

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        t.join(self.startup_timeout)
        return result[0] if result else None

    @staticmethod
    def _terminate(proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        for pipe in (proc.stdin, proc.stdout):
            if pipe:
                pipe.close()

    def stop(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
        if self.proc is not None:
            self._terminate(self.proc)
            self.proc = None
        self._log.close()
        if not os.environ.get("EMULATOR_KEEP_LOG"):
            Path(self._log.name).unlink(missing_ok=True)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log_text(self) -> str:
        """The launcher's stderr so far (errors, and request logs when verbose); deleted on stop
        unless EMULATOR_KEEP_LOG is set."""
        path = Path(self._log.name)
        return path.read_text(errors="replace") if path.exists() else ""

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- URLs for PTB ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Root of the emulator, e.g. ``http://127.0.0.1:40123``."""
        if self.port is None:
            raise EmulatorError("emulator not started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: PTB appends the token, then ``/method``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``: PTB appends the token, then ``/file_path``."""
        return f"{self.url}/file/bot"

    def application_builder(self, token: str | None = None):
        """An ``ApplicationBuilder`` already pointed at this emulator."""
        from telegram.ext import ApplicationBuilder

        return (
            ApplicationBuilder()
            .token(token or self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )

    # -- raw control calls -------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._http is None:
            raise EmulatorError("emulator not started")
        with self._lock:
            resp = self._http.request(method, path, **kwargs)
        try:
            body = resp.json()
        except ValueError as exc:
            raise EmulatorError(f"{method} {path}: HTTP {resp.status_code}: {resp.text[:500]}") from exc
        if not body.get("ok"):
            raise EmulatorError(f"{method} {path}: {body.get('error_code')} {body.get('description')}")
        return body["result"]

    def bot_api(self, method: str, token: str | None = None, **params: Any) -> httpx.Response:
        """Call a Bot API method directly (as a bot would); returns the raw HTTP response."""
        assert self._http is not None
        with self._lock:
            return self._http.post(f"/bot{token or self.token}/{method}", json=params)

    def reset(self) -> None:
        """Forget every update, message, file, fault and rate limit."""
        self.request("POST", "/e2e/reset")

    # -- users ----------------------------------------------------------------------------------

    def user(
        self,
        telegram_id: int,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "vi",
        token: str | None = None,
    ) -> EmulatedUser:
        return EmulatedUser(self, telegram_id, first_name, username, language_code, token or self.token)

    def send_update(self, update: dict, token: str | None = None) -> dict:
        """Queue an arbitrary update (its update_id is assigned by the emulator)."""
        return self.request("POST", "/e2e/updates", json={"token": token or self.token, "update": update})

    def pending_updates(self, token: str | None = None) -> dict:
        """``{"count", "updates", "polling", "last_polled_at"}``: updates not yet acknowledged by offset."""
        return self.request("GET", "/e2e/updates/pending", params={"token": token or self.token})

    # -- what the bot did --------------------------------------------------------------------

    def sent(
        self, chat_id: int | None = None, token: str | None = None, include_deleted: bool = False
    ) -> list[SentMessage]:
        """Every message the bot sent (optionally to one chat), in send order, current state."""
        params: dict[str, Any] = {"token": token or self.token}
        if chat_id is not None:
            params["chat_id"] = chat_id
        if include_deleted:
            params["include_deleted"] = "1"
        return [SentMessage.from_json(d) for d in self.request("GET", "/e2e/sent", params=params)]

    def calls(self, method: str | None = None, token: str | None = None) -> list[dict]:
        """The Bot API calls the bot made: ``{"t", "method", "chat_id", "status", "description"}``."""
        params: dict[str, Any] = {"token": token or self.token}
        if method:
            params["method"] = method
        return self.request("GET", "/e2e/calls", params=params)

    def callback_answer(self, callback_query_id: str) -> dict:
        """``{"answered": bool, "answer": {"text", "show_alert", "url", "cache_time"} | None, ...}``."""
        return self.request("GET", f"/e2e/callbacks/{callback_query_id}")

    def commands(
        self, token: str | None = None, scope: dict | None = None, language_code: str = ""
    ) -> list[dict]:
        """The commands set with setMyCommands for a scope (default scope by default)."""
        import json

        key = json.dumps([scope or {"type": "default"}, language_code], separators=(",", ":"))
        return self.request("GET", "/e2e/commands", params={"token": token or self.token}).get(key, [])

    def file_bytes(self, file_id: str) -> bytes:
        """Content of a file the bot uploaded (or a user sent)."""
        assert self._http is not None
        resp = self._http.get(f"/e2e/files/{file_id}")
        resp.raise_for_status()
        return resp.content

    # -- faults and limits ---------------------------------------------------------------------

    def inject_fault(
        self,
        method: str = "*",
        status: int | None = 500,
        count: int | None = 1,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        description: str | None = None,
        delay_ms: int = 0,
    ) -> int:
        """Make the next ``count`` calls of ``method`` (``"*"``: any) fail with ``status``.

        ``count=None`` keeps failing until cleared. ``chat_id`` limits it to calls for that chat.
        ``retry_after`` adds ``parameters.retry_after`` (PTB raises RetryAfter). ``delay_ms``
        delays the answer (with ``status=None`` or 200 the call then succeeds). Returns the rule id.
        """
        body = {
            "method": method,
            "status": status,
            "count": count,
            "retry_after": retry_after,
            "chat_id": chat_id,
            "description": description,
            "delay_ms": delay_ms,
        }
        return self.request("POST", "/e2e/faults", json=body)["id"]

    def block_chat(self, chat_id: int, description: str = "Forbidden: bot was blocked by the user") -> int:
        """Every call for ``chat_id`` answers 403 (as when the user blocked the bot) until cleared."""
        return self.inject_fault(method="*", status=403, count=None, chat_id=chat_id, description=description)

    def faults(self) -> list[dict]:
        return self.request("GET", "/e2e/faults")

    def clear_fault(self, rule_id: int) -> None:
        self.request("DELETE", f"/e2e/faults/{rule_id}")

    def clear_faults(self) -> None:
        self.request("DELETE", "/e2e/faults")

    def set_rate_limit(
        self,
        per_second: int | None = None,
        per_chat_per_second: int | None = None,
        per_group_per_minute: int | None = None,
        retry_after: int | None = None,
        window_ms: int = 1000,
        methods: list[str] | None = None,
    ) -> dict:
        """Answer 429 (with ``parameters.retry_after``) to sends beyond these sliding-window limits.

        Defaults to the send* methods; ``retry_after=None`` computes it from the window.
        """
        body = {
            "per_second": per_second,
            "per_chat_per_second": per_chat_per_second,
            "per_group_per_minute": per_group_per_minute,
            "retry_after": retry_after,
            "window_ms": window_ms,
            "methods": methods,
        }
        return self.request("POST", "/e2e/rate-limit", json=body)

    def clear_rate_limit(self) -> None:
        self.request("DELETE", "/e2e/rate-limit")

    def max_sends_in_window(self, window_ms: int = 1000, chat_id: int | None = None) -> int:
        """Most messages the bot sent within any ``window_ms`` window (server timestamps)."""
        return max_in_window((m.sent_at for m in self.sent(chat_id=chat_id, include_deleted=True)), window_ms)

    # -- waiting -------------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[], Any],
        timeout: float = DEADLINE,  # noqa: ASYNC109 - a polling deadline, not a cancellation scope
        interval: float = 0.02,
        message: str | None = None,
    ) -> Any:
        """Poll ``predicate()`` (without blocking the event loop) until it returns a truthy value."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(message or f"condition not met within {timeout}s")
            await asyncio.sleep(interval)

    def wait_for_sync(
        self,
        predicate: Callable[[], Any],
        timeout: float = DEADLINE,
        interval: float = 0.02,
        message: str | None = None,
    ) -> Any:
        """Blocking version of :meth:`wait_for`, for a bot running in another thread or process."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(message or f"condition not met within {timeout}s")
            time.sleep(interval)


class EmulatedUser:
    """A Telegram user talking to the bot through the emulator."""

    def __init__(
        self,
        emulator: Emulator,
        telegram_id: int,
        first_name: str,
        username: str | None,
        language_code: str | None,
        token: str,
    ):
        self.emulator = emulator
        self.id = telegram_id
        self.first_name = first_name
        self.username = username
        self.language_code = language_code
        self.token = token

    @property
    def from_(self) -> dict:
        user: dict[str, Any] = {"id": self.id, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def _chat(self, chat_id: int | None, chat_type: str | None, title: str | None) -> dict | None:
        if chat_id is None or chat_id == self.id:
            return None
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type or ("group" if chat_id < 0 else "private")}
        if title:
            chat["title"] = title
        return chat

    def send_text(
        self,
        text: str,
        chat_id: int | None = None,
        chat_type: str | None = None,
        chat_title: str | None = None,
    ) -> dict:
        """Send a text message: private chat by default, or a group chat (negative id, type "group").

        A leading ``/command`` gets its ``bot_command`` entity. Returns ``{"update_id", "message"}``.
        """
        body = {
            "token": self.token,
            "from": self.from_,
            "chat": self._chat(chat_id, chat_type, chat_title),
            "text": text,
        }
        return self.emulator.request("POST", "/e2e/messages", json=body)

    def send_document(
        self,
        content: bytes,
        file_name: str,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat_id: int | None = None,
        chat_type: str | None = None,
    ) -> dict:
        """Send a file; the bot can getFile + download it through ``base_file_url``."""
        body = {
            "token": self.token,
            "from": self.from_,
            "chat": self._chat(chat_id, chat_type, None),
            "file_name": file_name,
            "mime_type": mime_type,
            "content_base64": base64.b64encode(content).decode(),
            "caption": caption,
        }
        return self.emulator.request("POST", "/e2e/documents", json=body)

    def press(self, callback_data: str, message_id: int, chat_id: int | None = None) -> str:
        """Press an inline button of bot message ``message_id``; returns the callback query id."""
        body = {
            "token": self.token,
            "from": self.from_,
            "chat_id": self.id if chat_id is None else chat_id,
            "message_id": message_id,
            "data": callback_data,
        }
        return self.emulator.request("POST", "/e2e/callbacks", json=body)["callback_query_id"]

    def messages(self, chat_id: int | None = None, include_deleted: bool = False) -> list[SentMessage]:
        """What the bot sent to this user's private chat (or to ``chat_id``), in send order."""
        return self.emulator.sent(
            chat_id=self.id if chat_id is None else chat_id, token=self.token, include_deleted=include_deleted
        )

    def last_message(self, chat_id: int | None = None) -> SentMessage | None:
        msgs = self.messages(chat_id)
        return msgs[-1] if msgs else None

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = DEADLINE) -> Any:  # noqa: ASYNC109
        return await self.emulator.wait_for(predicate, timeout=timeout)

    async def wait_for_message(
        self,
        predicate: Callable[[SentMessage], bool] = lambda m: True,
        timeout: float = DEADLINE,  # noqa: ASYNC109
        chat_id: int | None = None,
        after: int = 0,
    ) -> SentMessage:
        """Wait for a bot message in this chat matching ``predicate`` (skipping the first ``after``)."""

        def find() -> SentMessage | None:
            for m in self.messages(chat_id)[after:]:
                if predicate(m):
                    return m
            return None

        return await self.emulator.wait_for(
            find, timeout=timeout, message=f"no matching bot message for user {self.id} within {timeout}s"
        )
