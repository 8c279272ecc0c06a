"""Signing in: a Mini App's initData (POST /auth/telegram), a single-use link the bot sent (GET shows a
button, POST spends the link: a link preview fetching the URL must not spend it), and signing out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from bot.errors import DomainError
from bot.services import web_auth
from bot.texts import error_text
from web.context import (
    checked_form,
    clear_session_cookie,
    language_of,
    now,
    render,
    session_token,
    set_session_cookie,
    state,
)

router = APIRouter(include_in_schema=False)


@router.post("/auth/telegram")
async def telegram(request: Request) -> Response:
    """The Mini App's raw initData in the form field `init_data`: 200 and the session cookie, or 401."""
    form = await request.form(max_files=0, max_fields=5)
    try:
        new = await web_auth.sign_in_telegram(state(request).rt, str(form.get("init_data") or ""), now=now(request))
    except DomainError as error:
        return JSONResponse({"ok": False, "error": error.key, "message": error_text(error, language_of(request))},
                            status_code=401)
    response = JSONResponse({"ok": True, "name": new.actor.full_name})
    set_session_cookie(response, request, new.token)
    return response


@router.get("/auth/link")
async def link_page(request: Request, token: str = "") -> Response:
    return render(request, "link.html", {"token": token[:64]})


@router.post("/auth/link")
async def link(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    new = await web_auth.sign_in_link(state(request).rt, str(form.get("token") or ""), now=now(request))
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, request, new.token)
    return response


@router.post("/auth/signout")
async def signout(request: Request) -> Response:
    await checked_form(request)
    await web_auth.sign_out(state(request).rt, session_token(request) or "")
    request.state.actor = None
    response = render(request, "signed_out.html", {})
    clear_session_cookie(response)
    return response
