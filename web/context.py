"""What every route needs: the runtime and clock, who is signed in, CSRF, the reader's language and the
templates (every word from the catalogue, `bot/texts`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.datastructures import FormData

from bot.domain.units import short_name
from bot.runtime import Runtime
from bot.services import web_auth
from bot.services.views import Actor
from bot.texts import fmt_date, fmt_number, fmt_percent, fmt_value, h, t

TEMPLATES = Path(__file__).parent / "templates"
CSRF_FIELD, CSRF_HEADER = "csrf", "X-CSRF-Token"


class SignInNeeded(Exception):
    """No valid session: the sign-in page answers (401)."""


@dataclass
class WebState:
    rt: Runtime
    bot: Any  # telegram.Bot when served by the bot (files sent in Telegram are fetched through it)
    clock: Callable[[], datetime]


def state(request: Request) -> WebState:
    return request.app.state.web


def now(request: Request) -> datetime:
    return state(request).clock()


def session_token(request: Request) -> str | None:
    return request.cookies.get(web_auth.SESSION_COOKIE)


async def signed_in(request: Request) -> Actor:
    """The person behind the session cookie (checked against the database on every request)."""
    cached = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    actor = await web_auth.session_actor(state(request).rt, session_token(request), now=now(request))
    if actor is None:
        raise SignInNeeded()
    request.state.actor = actor
    return actor


async def checked_form(request: Request) -> tuple[Actor, FormData]:
    """A write: the signed-in person and the form, once its CSRF token matches the session's."""
    actor = await signed_in(request)
    form = await request.form(max_files=10, max_fields=50)
    given = request.headers.get(CSRF_HEADER) or str(form.get(CSRF_FIELD) or "")
    web_auth.check_csrf(session_token(request) or "", given)
    return actor, form


def language_of(request: Request) -> str:
    actor = getattr(request.state, "actor", None)
    if actor is not None:
        return actor.language
    wanted = request.headers.get("accept-language", "").lower()
    return "en" if wanted.startswith("en") else "vi"


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    settings = state(request).rt.settings
    secure = settings.web_url.startswith("https://") or request.url.scheme == "https" \
        or settings.web_cookie_samesite == "none"  # browsers drop a SameSite=None cookie that is not Secure
    response.set_cookie(web_auth.SESSION_COOKIE, token, max_age=int(settings.web_session_hours * 3600),
                        httponly=True, secure=secure, samesite=settings.web_cookie_samesite, path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(web_auth.SESSION_COOKIE, path="/")


# -- templates ---------------------------------------------------------------------------------------

templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def _html(key: str, lang: str, **params: object) -> Markup:
    """A catalogue text that may hold its own tags (<b>, <i>, <code>, valid HTML too); parameters escaped."""
    return Markup(h(key, lang, **params))


templates.env.globals.update(t=t, html=_html, fmt_date=fmt_date, fmt_value=fmt_value, fmt_percent=fmt_percent,
                             fmt_number=fmt_number, short_name=short_name)


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    actor = getattr(request.state, "actor", None)
    lang = language_of(request)
    token = session_token(request)
    base = {"actor": actor, "lang": lang, "csrf": web_auth.csrf_token(token) if token and actor else "",
            "today": _today(request)}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code, headers=headers)


def _today(request: Request) -> date:
    from bot.domain.deadlines import local_date

    web = state(request)
    return local_date(web.clock(), web.rt.settings.tz)
