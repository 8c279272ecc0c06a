"""The web app from the chat: `/web` sends a single-use sign-in link, `/lich` the calendar's address, cards
open in the app (a Mini App in a private chat, a link in a group) and the menu button opens the dashboard."""

from __future__ import annotations

import re
from datetime import date

from bot.services import directives as svc
from handlers.menu_commands import publish_menu_button
from tests.conftest import NOW, make_settings
from tests.integration.web_client import WebClient, page_text

BASE = "https://dondoc.example.gov.vn"


def _with_web(rt) -> None:  # noqa: ANN001
    rt.settings = make_settings(web_base_url=BASE)


async def test_web_sends_a_link_that_signs_in_once_and_shows_no_preview(chat, rt, people):
    _with_web(rt)
    answer = await chat.say(2001, "/web")
    assert "dùng một lần, hết hạn sau 10 phút" in answer
    sent = chat.messages(2001)[-1]
    assert sent["link_preview_options"]["is_disabled"] is True
    url = re.search(r"https://\S+", answer).group(0)
    assert url.startswith(f"{BASE}/auth/link?token=")
    web = WebClient(rt)
    try:
        signed = await web.http.post("/auth/link", data={"token": url.split("token=")[1]})
        assert signed.status_code == 303
        assert "Đầu mối Sở XD" in page_text((await web.get("/")).text)
    finally:
        await web.close()


async def test_web_in_a_group_or_without_an_address_says_why_and_sends_no_link(chat, rt, people):
    assert "chưa được bật" in await chat.say(2001, "/web")
    _with_web(rt)
    answer = await chat.say(2001, "/web", chat_id=-500)
    assert "tin nhắn riêng" in answer and "token" not in answer


async def test_lich_gives_the_calendar_address(chat, rt, people):
    _with_web(rt)
    answer = await chat.say(1002, "/lich")
    assert re.search(rf"{BASE}/calendar/\d+-[0-9a-f]{{32}}\.ics", answer)


async def test_a_card_opens_in_the_app_as_a_mini_app_in_private_and_as_a_link_in_a_group(chat, rt, people):
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát các dự án", ["SXD"], [], date(2026, 12, 15))], now=NOW)
    await chat.say(2001, f"/xem {card.code}")
    assert not [b for row in chat.messages(2001)[-1]["reply_markup"]["inline_keyboard"] for b in row
                if "ứng dụng" in b["text"]], "no button without a public address"
    _with_web(rt)
    await chat.say(2001, f"/xem {card.code}")
    buttons = [b for row in chat.messages(2001)[-1]["reply_markup"]["inline_keyboard"] for b in row]
    app = next(b for b in buttons if "Mở trong ứng dụng" in b["text"])
    assert app["web_app"]["url"] == f"{BASE}/d/{card.code}"
    await chat.say(2001, f"/xem {card.code}", chat_id=-500)
    buttons = [b for row in chat.messages(-500)[-1]["reply_markup"]["inline_keyboard"] for b in row]
    app = next(b for b in buttons if "Mở trong ứng dụng" in b["text"])
    assert app["url"] == f"{BASE}/d/{card.code}" and "web_app" not in app


async def test_the_menu_button_opens_the_dashboard_only_over_https():
    calls = []

    class Bot:
        async def set_chat_menu_button(self, **kwargs):  # noqa: ANN003, ANN202
            calls.append(kwargs["menu_button"])

    await publish_menu_button(Bot(), make_settings(web_base_url="http://10.0.0.5:8080"))  # type: ignore[arg-type]
    assert calls == []
    await publish_menu_button(Bot(), make_settings(web_base_url=BASE))  # type: ignore[arg-type]
    assert calls[0].web_app.url == f"{BASE}/" and calls[0].text == "Bảng điều khiển"
