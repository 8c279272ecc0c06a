"""Signing in to the web app: Mini App initData, single-use links, sessions that end, CSRF on every write."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.services import access, web_auth
from storage.models import Event, WebSession
from tests.conftest import NOW, make_settings
from tests.integration.web_client import WebClient, page_text


@pytest.fixture
async def web(rt, people):
    client = WebClient(rt)
    yield client
    await client.close()


def signed(telegram_id: int, at=NOW, token: str = "123:TEST") -> str:
    user = json.dumps({"id": telegram_id, "first_name": "X"})
    return web_auth.sign_init_data({"auth_date": str(int(at.timestamp())), "user": user}, token)


async def test_a_mini_app_signs_in_with_its_init_data_and_gets_a_protected_cookie(web, people):
    answer = await web.http.post("/auth/telegram", data={"init_data": signed(1002)})
    assert answer.status_code == 200 and answer.json()["ok"]
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie, "plain HTTP on a test server: a Secure cookie would never come back"
    page = await web.get("/")
    assert page.status_code == 200 and "Phó Chủ tịch" in page_text(page.text)


async def test_behind_tls_the_cookie_is_secure(rt, people):
    rt.settings = make_settings(web_base_url="https://dondoc.example.gov.vn")
    web = WebClient(rt)
    try:
        cookie = (await web.http.post("/auth/telegram", data={"init_data": signed(1002)})).headers["set-cookie"]
        assert "Secure" in cookie
    finally:
        await web.close()


@pytest.mark.parametrize("init_data, reason", [
    (signed(1002, token="999:OTHER"), "web.init_data_bad"),
    (signed(1002).replace("1002", "1001"), "web.init_data_bad"),
    (signed(1002, at=NOW - timedelta(hours=25)), "web.init_data_stale"),
    (signed(777), "auth.not_registered"),
    ("", "web.init_data_bad"),
])
async def test_forged_stale_or_stranger_init_data_gets_401_and_no_session(web, rt, init_data, reason):
    answer = await web.http.post("/auth/telegram", data={"init_data": init_data})
    assert answer.status_code == 401 and answer.json()["error"] == reason
    assert "set-cookie" not in answer.headers
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(WebSession)) == 0


async def test_a_sign_in_link_works_once(web, people):
    link = await web_auth.create_link(web.rt, person_id=people.sxd, now=NOW)
    token = link.url.split("token=")[1]
    assert link.url.startswith("http://127.0.0.1:8080/auth/link?token=")
    shown = await web.get("/auth/link", params={"token": token})
    assert shown.status_code == 200 and "Đăng nhập" in page_text(shown.text)
    first = await web.http.post("/auth/link", data={"token": token})
    assert first.status_code == 303 and "dondoc_session=" in first.headers["set-cookie"]
    web.http.cookies.clear()
    again = await web.http.post("/auth/link", data={"token": token})
    assert again.status_code == 410 and "chỉ dùng một lần" in page_text(again.text)
    assert "set-cookie" not in again.headers


async def test_showing_a_link_does_not_spend_it(web, people):
    """A link preview (or a mail scanner) fetches the URL: only the button's POST signs in."""
    link = await web_auth.create_link(web.rt, person_id=people.sxd, now=NOW)
    for _ in range(2):
        assert (await web.get(link.url.removeprefix("http://127.0.0.1:8080"))).status_code == 200
    assert (await web.http.post("/auth/link", data={"token": link.url.split("token=")[1]})).status_code == 303


async def test_an_expired_or_unknown_link_is_refused_with_a_clear_page(rt, people):
    link = await web_auth.create_link(rt, person_id=people.sxd, now=NOW)
    later = WebClient(rt, clock=lambda: NOW + timedelta(minutes=11))
    try:
        expired = await later.http.post("/auth/link", data={"token": link.url.split("token=")[1]})
        assert expired.status_code == 410 and "hết hạn" in page_text(expired.text)
        unknown = await later.http.post("/auth/link", data={"token": "nope"})
        assert unknown.status_code == 400 and "không hợp lệ" in page_text(unknown.text)
    finally:
        await later.close()


async def test_pages_need_a_session(web, people):
    for path in ("/", "/lists/overdue", "/d/CD-2026-0001", "/me", "/report/file.xlsx"):
        answer = await web.get(path)
        assert answer.status_code == 401 and "/web" in page_text(answer.text), path


async def test_deactivating_a_person_ends_their_sessions_at_once(web, rt, people):
    await web.sign_in(people.sxd)
    assert (await web.get("/")).status_code == 200
    await access.deactivate(rt, 2001, now=NOW)
    assert (await web.get("/")).status_code == 401
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(WebSession)) == 0


async def test_a_session_expires(rt, people):
    at = [NOW]
    web = WebClient(rt, clock=lambda: at[0])
    try:
        await web.sign_in(people.leader)
        assert (await web.get("/")).status_code == 200
        at[0] = NOW + timedelta(hours=12, seconds=1)
        assert (await web.get("/")).status_code == 401
    finally:
        await web.close()


async def test_every_write_needs_the_sessions_csrf_token(web, rt, people):
    await web.sign_in(people.leader)
    async with rt.sessions() as s:
        events = await s.scalar(select(func.count()).select_from(Event))
    for token in ("", "0" * 64, web_auth.csrf_token("another session")):
        answer = await web.http.post("/d/CD-2026-0001/canc", data={"csrf": token, "text": "x"})
        assert answer.status_code == 403 and "mã bảo vệ" in page_text(answer.text)
    answer = await web.http.post("/auth/signout", data={})
    assert answer.status_code == 403
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Event)) == events


async def test_signing_out_ends_the_session(web, people):
    await web.sign_in(people.viewer)
    answer = await web.post("/auth/signout")
    assert answer.status_code == 200 and "đăng xuất" in page_text(answer.text)
    assert (await web.get("/")).status_code == 401


async def test_the_cli_prints_a_link_for_a_person_by_id_or_telegram_id(rt, people):
    by_id = await web_auth.create_link(rt, person_id=people.stc, now=NOW)
    by_telegram = await web_auth.create_link(rt, telegram_id=2002, now=NOW)
    assert by_id.actor.id == by_telegram.actor.id == people.stc
    from bot.errors import DomainError

    with pytest.raises(DomainError):
        await web_auth.create_link(rt, person_id=99999, now=NOW)


async def test_a_person_reads_the_app_in_the_language_they_choose(web, rt, people):
    await web.sign_in(people.leader)
    assert "Thống kê" in page_text((await web.get("/")).text)
    assert (await web.post("/me/language", {"language": "en"})).status_code == 303
    assert "Statistics" in page_text((await web.get("/")).text)
    refused = await web.post("/me/language", {"language": "fr"})
    assert refused.status_code == 400 and "not supported" in page_text(refused.text)
