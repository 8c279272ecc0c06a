"""deploy/ as an office's IT staff would install it: the nginx site (checked by `nginx -t` with a
throw-away certificate, and run in front of two stand-in replicas when nginx is installed), the systemd
units (`systemd-analyze verify` when available), and the structure both must keep either way."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from tests.e2e.harness import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "dondoc.conf"
UNITS = {"dondoc.service": "polling", "dondoc-webhook@.service": "webhook"}
CERT = "/etc/letsencrypt/live/dondoc.example.gov.vn/fullchain.pem"
KEY = "/etc/letsencrypt/live/dondoc.example.gov.vn/privkey.pem"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / "systemd" / name).read_text(encoding="utf-8"))
    return parser


def _blocks(text: str) -> str:
    body = re.sub(r"#.*", "", text)
    assert body.count("{") == body.count("}"), "braces balance"
    return body


def test_the_nginx_site_terminates_tls_and_spreads_telegram_calls_over_two_replicas():
    site = _blocks(SITE.read_text(encoding="utf-8"))
    upstream = re.search(r"upstream dondoc_replicas \{(.*?)\}", site, re.S)
    assert upstream is not None
    assert re.findall(r"server (127\.0\.0\.1:\d+)", upstream.group(1)) == ["127.0.0.1:8081", "127.0.0.1:8082"]
    assert re.search(r"listen 443 ssl;", site) and f"ssl_certificate     {CERT};" in site and KEY in site
    telegram = re.search(r"location = /telegram \{(.*?)\n    \}", site, re.S)
    assert telegram is not None and "proxy_pass http://dondoc_replicas;" in telegram.group(1)
    health = re.search(r"location = /healthz \{(.*?)\n    \}", site, re.S)
    assert health is not None and "allow 127.0.0.1;" in health.group(1) and "deny all;" in health.group(1)
    web = re.search(r"location / \{(.*?)\}", site, re.S)
    assert web is not None and "proxy_pass http://dondoc_replicas;" in web.group(1), "the web app is served too"
    assert "X-Forwarded-Proto $scheme;" in web.group(1), "the app knows it is behind TLS (Secure cookies)"


@pytest.mark.parametrize("name", UNITS)
def test_each_systemd_unit_runs_the_bot_from_the_venv_with_the_env_file_and_restarts_on_failure(name):
    unit = _unit(name)
    service = unit["Service"]
    assert service["ExecStart"] == "/opt/dondoc/venv/bin/python -m bot run"
    assert service["ExecStartPre"] == "/opt/dondoc/venv/bin/python -m bot init-db", "migrate before each start"
    assert service["EnvironmentFile"] == "/etc/dondoc/dondoc.env"
    assert (service["User"], service["Restart"], service["RestartPreventExitStatus"]) == ("dondoc", "on-failure", "2")
    assert "network-online.target" in unit["Unit"]["After"] and "postgresql.service" in unit["Unit"]["After"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"
    if UNITS[name] == "webhook":
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        assert "Environment=WEBHOOK_PORT=%i" in text and "Environment=WEBHOOK_LISTEN=127.0.0.1" in text
        assert "Environment=WEB_PORT=%i" in text and "Environment=WEB_HOST=127.0.0.1" in text


def test_the_readme_names_the_units_and_ports_the_nginx_site_forwards_to():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("dondoc-webhook@8081", "dondoc-webhook@8082", "deploy/nginx/dondoc.conf", "python -m bot init-db",
                   "python -m bot status", "python -m bot verify-log", "pg_restore", "/etc/dondoc/dondoc.env"):
        assert needle in readme, needle


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verifies_both_units_without_a_warning(tmp_path):
    """The units as installed, with the venv's python replaced by this one (verify checks it exists)."""
    paths = []
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        text = text.replace("/opt/dondoc/venv/bin/python", sys.executable)
        target = tmp_path / name.replace("@.", "@8081.")
        target.write_text(text, encoding="utf-8")
        paths.append(str(target))
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *paths], capture_output=True, text=True,
                          timeout=60)
    complaints = [line for line in (done.stdout + done.stderr).splitlines()
                  if "dondoc" in line and not line.rstrip().endswith("is not a valid user or group name")
                  and "User=" not in line]
    assert done.returncode == 0 and complaints == [], done.stdout + done.stderr


class _Replica(BaseHTTPRequestHandler):
    hits: list[str]

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def do_GET(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.hits.append(f"{self.command} {self.path} {self.headers.get('X-Telegram-Bot-Api-Secret-Token')}")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None,
                    reason="nginx and openssl are not installed")
def test_nginx_accepts_the_site_and_alternates_telegram_calls_between_the_two_replicas(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   check=True, capture_output=True, timeout=60)
    port, replicas, servers = free_port(), [], []
    for _ in range(2):
        hits: list[str] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), type("Replica", (_Replica,), {"hits": hits}))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        replicas.append(hits)
        servers.append(server)
    site = (SITE.read_text(encoding="utf-8").replace(CERT, str(tmp_path / "cert.pem"))
            .replace(KEY, str(tmp_path / "key.pem"))
            .replace("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;").replace("listen [::]:443 ssl;", "")
            .replace("127.0.0.1:8081", f"127.0.0.1:{servers[0].server_address[1]}")
            .replace("127.0.0.1:8082", f"127.0.0.1:{servers[1].server_address[1]}"))
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = tmp_path / "temp"
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\ndaemon off;\nevents {{}}\n"
        f"http {{\n client_body_temp_path {temp}/body;\n proxy_temp_path {temp}/proxy;\n"
        f" include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    temp.mkdir()
    command = ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"https://127.0.0.1:{port}"
        # Connection refused until nginx listens: the transport retries the connection (with back-off).
        with httpx.Client(verify=False, trust_env=False, timeout=10,
                          transport=httpx.HTTPTransport(verify=False, retries=8)) as client:
            calls = [client.post(f"{base}/telegram", json={"update_id": n}, headers={
                "X-Telegram-Bot-Api-Secret-Token": "s3cret"}).status_code for n in range(4)]
            assert calls == [200] * 4
            assert client.get(f"{base}/telegram").status_code == 403, "only POST reaches the bot"
            assert client.get(f"{base}/healthz").status_code == 200, "a monitor on this machine is let in"
            assert client.get(f"{base}/d/CD-2026-0001").status_code == 200, "the web app's pages reach a replica"
    finally:
        nginx.terminate()
        nginx.wait(10)
        for server in servers:
            server.shutdown()
            server.server_close()
    posts = [[hit for hit in hits if hit.startswith("POST")] for hits in replicas]
    assert [len(p) for p in posts] == [2, 2], "round robin over the two replicas"
    assert all(hit == "POST /telegram s3cret" for p in posts for hit in p), "the secret header passes through"
    assert sum(hit.startswith("GET /d/CD-2026-0001") for hits in replicas for hit in hits) == 1
