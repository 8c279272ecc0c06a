"""The Zalo emulator in a process of its own (``python -m tests.zalo_emulator``), driven over its HTTP controls
with the same coroutines as the in-process one, for benchmarks and for tests that must not share the bot's
CPU or event loop::

    async with ZaloEmulatorProcess(token="T:1") as emu:
        start_bot(ZALO_API_BASE_URL=emu.base_url, ZALO_BOT_TOKEN=emu.token)
        await emu.user_says("u-1", "/start ABCD")
        sent = await emu.wait_sent("u-1", 1)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.zalo_emulator.__main__ import READY_PREFIX
from tests.zalo_emulator.emulator import DEFAULT_HOLD, DEFAULT_TOKEN, ZaloEmulatorTimeout

ROOT = Path(__file__).resolve().parents[2]


class ZaloEmulatorError(RuntimeError):
    """A control call was refused (the description says why)."""


class ZaloEmulatorProcess:
    def __init__(self, token: str = DEFAULT_TOKEN, *, port: int = 0, start_timeout: float = 60.0) -> None:
        self.token, self.port, self.start_timeout = token, port, start_timeout
        self.base_url = ""
        self._process: asyncio.subprocess.Process | None = None
        self._http: httpx.AsyncClient | None = None

    async def __aenter__(self) -> ZaloEmulatorProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    async def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.zalo_emulator", "--port", str(self.port), "--token", self.token,
            cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE)
        assert self._process.stdout is not None
        try:
            line = (await asyncio.wait_for(self._process.stdout.readline(), self.start_timeout)).decode()
        except TimeoutError:
            await self.close()
            raise RuntimeError("the Zalo emulator did not start") from None
        if not line.startswith(READY_PREFIX):
            await self.close()
            raise RuntimeError(f"the Zalo emulator did not start: {line!r}")
        self.base_url = line[len(READY_PREFIX):].strip()
        self.port = int(self.base_url.rsplit(":", 1)[1])
        self._http = httpx.AsyncClient(base_url=f"{self.base_url}/control", trust_env=False, timeout=120)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self._process.wait(), 30)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()
                await self._process.wait()
        self._process = None

    def api_url(self, method: str, token: str | None = None) -> str:
        return f"{self.base_url}/bot{self.token if token is None else token}/{method}"

    async def _control(self, verb: str, path: str, **kwargs: Any) -> Any:
        assert self._http is not None, "the emulator is not running"
        body = (await self._http.request(verb, path, **kwargs)).json()
        if body.get("ok"):
            return body["result"]
        if body.get("error_code") == 408:
            raise ZaloEmulatorTimeout(body.get("description", "time-out"))
        raise ZaloEmulatorError(body.get("description", repr(body)))

    async def user_says(self, user_id: str, text: str, first_name: str = "Người dùng") -> dict[str, Any]:
        result: dict[str, Any] = await self._control("POST", "/say", json={"user_id": user_id, "text": text,
                                                                            "first_name": first_name})
        return result

    async def user_sends(self, user_id: str, fields: dict[str, Any],
                         first_name: str = "Người dùng") -> dict[str, Any]:
        result: dict[str, Any] = await self._control("POST", "/send", json={"user_id": user_id, "fields": fields,
                                                                             "first_name": first_name})
        return result

    async def deliver(self, update: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._control("POST", "/deliver", json={"update": update})
        return result

    async def sent(self, chat_id: str | None = None) -> list[dict[str, Any]]:
        params = {"chat_id": chat_id} if chat_id is not None else {}
        result: list[dict[str, Any]] = await self._control("GET", "/sent", params=params)
        return result

    async def chat_actions(self, chat_id: str | None = None) -> list[dict[str, Any]]:
        params = {"chat_id": chat_id} if chat_id is not None else {}
        result: list[dict[str, Any]] = await self._control("GET", "/actions", params=params)
        return result

    async def wait_sent(self, chat_id: str | None, count: int,
                        timeout: float = 10.0) -> list[dict[str, Any]]:  # noqa: ASYNC109 - as in-process
        result: list[dict[str, Any]] = await self._control(
            "POST", "/wait_sent", json={"chat_id": chat_id, "count": count, "timeout": timeout})
        return result

    async def fail(self, method: str, kind: str, times: int = 1, *, hold: float = DEFAULT_HOLD,
                   retry_after: int = 1) -> None:
        await self._control("POST", "/fail", json={"method": method, "kind": kind, "times": times, "hold": hold,
                                                    "retry_after": retry_after})

    async def rate_limit(self, per_second: float | None, *, per_chat: float | None = None) -> None:
        await self._control("POST", "/rate_limit", json={"per_second": per_second, "per_chat": per_chat})

    async def block(self, user_id: str, blocked: bool = True) -> None:
        await self._control("POST", "/block", json={"user_id": user_id, "blocked": blocked})

    async def reset(self) -> None:
        await self._control("POST", "/reset")

    async def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._control("GET", "/stats")
        return result
