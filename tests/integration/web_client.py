"""The web app in process (its ASGI app over httpx, no server), on a real database: a person signs in with
a link as the bot would send it, reads pages and submits forms with the page's own CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import unescape
from typing import Any

import httpx

from bot.runtime import Runtime
from bot.services import web_auth
from tests.conftest import NOW
from web.app import create_app

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def page_text(html: str) -> str:
    """What a reader sees of a page: no tags, no scripts, entities decoded, spaces collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^<>]*>", " ", html)).split())


class WebClient:
    def __init__(self, rt: Runtime, clock: Callable[[], datetime] = lambda: NOW, bot: Any = None) -> None:
        self.rt = rt
        self.clock = clock
        self.app = create_app(rt, bot=bot, clock=clock)
        base = rt.settings.web_base_url or "http://testserver"
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=base)

    async def close(self) -> None:
        await self.http.aclose()

    async def sign_in(self, person_id: int) -> httpx.Response:
        link = await web_auth.create_link(self.rt, person_id=person_id, now=self.clock())
        token = link.url.split("token=", 1)[1]
        return await self.http.post("/auth/link", data={"token": token})

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.http.get(path, **kwargs)

    async def csrf(self, path: str = "/me") -> str:
        found = CSRF.search((await self.http.get(path)).text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    async def post(self, path: str, data: dict[str, Any] | None = None, files: Any = None, *,
                   csrf: str | None = None, csrf_from: str = "/me") -> httpx.Response:
        token = csrf if csrf is not None else await self.csrf(csrf_from)
        return await self.http.post(path, data={"csrf": token, **(data or {})}, files=files)

    async def act(self, code: str, action: str, **fields: Any) -> httpx.Response:
        """Submit one of a card's forms as the page shows it (its version, round and request fields)."""
        page = (await self.http.get(f"/d/{code}")).text
        hidden = dict(re.findall(r'<input type="hidden" name="(version|round|request)" value="([^"]*)">', page))
        files = fields.pop("files", None)
        token = CSRF.search(page)
        return await self.post(f"/d/{code}/{action}", {**hidden, **fields}, files=files,
                               csrf=token.group(1) if token else await self.csrf())
