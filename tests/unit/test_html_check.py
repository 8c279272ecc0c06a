"""The strict Telegram-HTML check the chat tests run over every text the bot sends."""

import pytest

from tests.html_check import html_problems


@pytest.mark.parametrize("text", [
    "<b>CD-2026-0001</b> · Đang thực hiện\nRà soát &amp; báo cáo &lt;ngay&gt;",
    '<a href="https://t.me/x">x</a> <code>a&lt;b</code> <i><u>y</u></i> &#39; &quot;',
    "x" * 4096,
])
def test_what_telegram_accepts_passes(text):
    assert html_problems(text) == []


@pytest.mark.parametrize("text", [
    "A&B", "x < y", "<script>alert(1)</script>", "<b>open", "<b><i>x</b></i>", "</b>", "&nbsp;",
    '<b class="x">y</b>', "<u>" + "x" * 4097 + "</u>", "<br>",
])
def test_what_telegram_refuses_is_caught(text):
    assert html_problems(text)
