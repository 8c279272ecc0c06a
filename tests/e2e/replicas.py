"""Bot processes in webhook mode behind a loopback dispatcher that plays nginx's part.

The emulator delivers each update (with Telegram's secret-token header) to the dispatcher's URL, the
one every replica registered with setWebhook; the dispatcher hands the updates to the replicas in turn,
strictly alternating, and remembers which replica got which update.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.e2e.harness import Emulator, free_port
from tests.reliability.fleet import ReminderBot

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookBot(ReminderBot):
    """``python -m bot run`` with WEBHOOK_URL set, serving on its own loopback port."""

    def __init__(self, emulator: Emulator, workdir: Path, database_url: str, token: str, webhook_url: str,
                 **env: object) -> None:
        self.port = free_port()
        super().__init__(emulator, workdir, database_url, token, webhook_url=webhook_url,
                         webhook_listen="127.0.0.1", webhook_port=self.port, **env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ready(self) -> bool:
        """It registered its webhook and its server answers."""
        if not self.emulator.calls("setWebhook", token=self.token):
            return False
        try:
            return httpx.get(f"{self.url}/healthz", timeout=2, trust_env=False).status_code in (200, 503)
        except httpx.HTTPError:
            return False

    def healthz(self) -> tuple[int, dict]:
        response = httpx.get(f"{self.url}/healthz", timeout=10, trust_env=False)
        return response.status_code, response.json()


class LoopbackDispatcher:
    """Forwards each POST to the next backend in turn; `routed` lists (update_id, backend, status)."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self.routed: list[tuple[int | None, int, int]] = []
        self._turn = 0
        self._lock = threading.Lock()
        self._client = httpx.Client(timeout=30, trust_env=False)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def next_backend(self) -> int:
        return self._turn % len(self.backends)

    def __enter__(self) -> LoopbackDispatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._client.close()

    def forward(self, path: str, body: bytes, secret: str | None) -> tuple[int, bytes]:
        with self._lock:  # one at a time, in turn (the emulator delivers one update at a time anyway)
            backend = self.next_backend
            self._turn += 1
            headers = {"Content-Type": "application/json"}
            if secret is not None:
                headers[SECRET_HEADER] = secret
            try:
                response = self._client.post(self.backends[backend] + path, content=body, headers=headers)
                status, content = response.status_code, response.content
            except httpx.HTTPError:
                status, content = 502, b""
            try:
                update_id = json.loads(body).get("update_id")
            except ValueError:
                update_id = None
            self.routed.append((update_id, backend, status))
            return status, content

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        dispatcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, content = dispatcher.forward(self.path, body, self.headers.get(SECRET_HEADER))
                self.send_response(status)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args: object) -> None:
                return None

        return Handler
