"""The web app: an ASGI application (FastAPI, Jinja2 templates, vendored static files) over the same
services as the chat. Thin: each route parses its input, calls one service and renders.

`create_app` is given the runtime and, when it runs in the bot's process, the Telegram Bot (to fetch the
files units sent in Telegram) and the clock; in webhook mode it also carries POST /telegram and GET /healthz
(see web/serve.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.errors import DomainError
from bot.runtime import Runtime
from bot.texts import error_text
from web import api, batches, calendar, pages, signin
from web.context import SignInNeeded, WebState, language_of, render

STATIC = Path(__file__).parent / "static"
# The Mini App runs in Telegram Web inside a frame; nothing else may frame it. No inline script or style.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'self' https://web.telegram.org")

# How a service's refusal is answered: its key's first word, or the key itself.
STATUS = {"auth.not_registered": 401, "api.unauthorized": 401, "auth": 403, "read": 403, "web.csrf": 403, "directive.not_found": 404,
          "file.unknown": 404, "web.calendar_unknown": 404, "web.link_expired": 410, "web.link_used": 410, "action": 409,
          "web.init_data_bad": 401, "web.init_data_stale": 401}


def status_of(error: DomainError) -> int:
    return STATUS.get(error.key) or STATUS.get(error.key.split(".")[0]) or 400


class SecurityHeaders:
    """Headers every answer carries (a plain ASGI middleware: no task per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = scope["path"] == "/" or scope["path"].startswith(("/auth", "/d/", "/lists", "/api", "/calendar",
                                                                    "/me", "/report"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")  # a sign-in link never leaks in Referer
                if private:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(rt: Runtime, *, bot: Any = None, clock: Callable[[], datetime] | None = None) -> FastAPI:
    app = FastAPI(title="Đôn Đốc API", version="1", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = WebState(rt, bot, clock or (lambda: datetime.now(UTC)))
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(signin.router)
    app.include_router(pages.router)
    app.include_router(batches.router)
    app.include_router(calendar.router)
    app.include_router(api.router)
    api.install_openapi(app)

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, _error: SignInNeeded) -> Response:
        return render(request, "signin.html", {}, status_code=401)

    @app.exception_handler(DomainError)
    async def refused(request: Request, error: DomainError) -> Response:
        lang = language_of(request)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": error.key, "message": error_text(error, lang)}, status_code=status_of(error))
        return render(request, "error.html", {"message": error_text(error, lang), "key": error.key},
                      status_code=status_of(error))

    @app.exception_handler(404)
    async def not_found(request: Request, _error: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "not_found"}, status_code=404)
        return render(request, "error.html", {"message_key": "web.not_found", "key": "not_found"}, status_code=404)

    @app.get("/robots.txt", include_in_schema=False)
    async def robots() -> Response:
        return Response("User-agent: *\nDisallow: /\n", media_type="text/plain")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return HTMLResponse(status_code=204)

    return app
