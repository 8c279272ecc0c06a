"""A report typed without its button is a completion when it starts with «hoàn thành», «đã hoàn thành» or
«xong» (bot.domain.text.reports_done: the one rule the Telegram reply and the Zalo text use)."""

from __future__ import annotations

import pytest

from bot.domain.text import reports_done


@pytest.mark.parametrize("text", [
    "Hoàn thành: đã ban hành kế hoạch", "hoàn thành", "  Đã hoàn thành việc kiểm tra", "XONG", "xong rồi ạ",
    "Hoan thanh, da gui bao cao", "da hoan thanh", "Xong.", "hoàn thành\nkèm báo cáo số 12",
])
def test_a_completion(text: str) -> None:
    assert reports_done(text)


@pytest.mark.parametrize("text", [
    "", None, "Đang thực hiện, dự kiến hoàn thành 30/11", "Chưa hoàn thành", "xongg", "hoàn thiện hồ sơ",
    "Đã lắp 12 biển báo, còn 3", "hoàn", "đã xong",
])
def test_not_a_completion(text: str | None) -> None:
    assert not reports_done(text)
