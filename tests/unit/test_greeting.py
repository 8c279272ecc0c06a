"""The greeting after /start: a person the invite gave a title is greeted by it and their name, in Vietnamese
and English; anyone else by name, role and unit (issue 22)."""

from __future__ import annotations

import pytest

from bot.render import greeting
from bot.services.views import Actor
from tests.html_check import assert_telegram_html

MINH = Actor(9, 1102, "Lê Quang Minh", "leader", None, None, "vi", "Phó Chủ tịch UBND tỉnh")
LAN = Actor(10, 1103, "Nguyễn Thị Lan", "focal", "STC", "Sở Tài chính", "vi", "Chuyên viên")
PLAIN = Actor(11, 1104, "Đầu mối Sở XD", "focal", "SXD", "Sở Xây dựng", "vi")


@pytest.mark.parametrize(("actor", "key", "lang", "text"), [
    (MINH, "start.registered", "vi", "Đăng ký thành công! Chào Phó Chủ tịch UBND tỉnh Lê Quang Minh."),
    (MINH, "start.registered", "en", "Registered! Welcome Phó Chủ tịch UBND tỉnh Lê Quang Minh."),
    (MINH, "start.welcome_back", "vi", "Chào Phó Chủ tịch UBND tỉnh Lê Quang Minh."),
    (MINH, "start.welcome_back", "en", "Hello Phó Chủ tịch UBND tỉnh Lê Quang Minh."),
    (LAN, "start.registered", "vi", "Đăng ký thành công! Chào Chuyên viên Nguyễn Thị Lan — Sở Tài chính."),
    (LAN, "start.moved", "en", "Updated by the new invite: Chuyên viên Nguyễn Thị Lan — Sở Tài chính. "
                               "Notifications for your former role or unit no longer come to you."),
    (PLAIN, "start.registered", "vi", "Đăng ký thành công! Chào Đầu mối Sở XD — Đầu mối đơn vị, đơn vị: Sở Xây dựng."),
])
def test_the_greeting_names_the_title_and_name_of_the_invite(actor: Actor, key: str, lang: str, text: str) -> None:
    from dataclasses import replace

    said = greeting(replace(actor, language=lang), key)
    assert_telegram_html(said)
    assert said == text
