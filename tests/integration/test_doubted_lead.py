"""Ask, don't guess, when the doubt check (bot/parsing/doubt.py) finds a pasted text's lead likely wrong: the draft
carries «Đơn vị chủ trì đọc được là «…», nhưng câu này viết không rõ ai được giao …» and «Giao việc» waits, on
Telegram (answered by «Giữ đơn vị như trên»), on Zalo (shown on the draft; answered on the web) and on the web
(the draft's page lists its questions with their answers). The check is made to doubt every draft it may ask about,
so the test does not hang on what the packaged model scores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.parsing import doubt
from tests.integration import test_zalo
from tests.integration.conftest import People
from tests.integration.test_zalo import Zalo, join
from tests.integration.web_client import WebClient, page_text

zalo = test_zalo.zalo  # the Zalo channel fixture
LEADER = 1002
ARTICLE = ("Ngày 5/11, UBND tỉnh tổ chức hội nghị sơ kết công tác phòng, chống thiên tai năm 2026. Theo báo cáo tại "
           "hội nghị, trong năm qua nhiều công trình vẫn chậm tiến độ, một số nơi còn lúng túng trong ứng phó với mưa "
           "lũ. Phát biểu kết luận, Phó Chủ tịch UBND tỉnh giao Sở Y tế rà soát trang thiết bị phục vụ cấp cứu "
           "trong mùa mưa bão, hoàn thành trước ngày 30/11/2026.")
ASKED = "Đơn vị chủ trì đọc được là «Sở Y tế»"


@pytest.fixture(autouse=True)
def doubting() -> Iterator[None]:
    n = len(doubt.FEATURES)
    doubt.use_model(doubt.DoubtModel({"format": 1, "features": list(doubt.FEATURES), "mean": [0.0] * n,
                                      "scale": [1.0] * n, "coef": [0.0] * n, "intercept": 0.0, "threshold": 0.0}))
    yield
    doubt.use_model()


def _buttons(chat, containing: str) -> list[str]:  # noqa: ANN001
    for params in reversed(chat.messages(LEADER)):
        if containing in params.get("text", ""):
            return [b["text"] for row in (params.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
    raise AssertionError(f"no message with {containing!r}")


async def test_on_telegram_the_doubted_lead_is_asked_and_keeping_it_lets_giao_viec_through(chat, rt, people):
    await chat.say(LEADER, ARTICLE)
    card = next(t for t in chat.texts(LEADER) if "Bản nháp" in t)
    assert "Cần trả lời trước khi giao việc" in card and ASKED in card
    assert "Giao việc" not in " ".join(_buttons(chat, "Bản nháp")), "no «Giao việc» while the question is open"
    answered = await chat.press(LEADER, chat.button(LEADER, "Giữ đơn vị như trên"))
    assert "Đã trả lời" in answered and "Cần trả lời" not in answered
    assigned = await chat.press(LEADER, chat.button(LEADER, "Giao việc"))
    assert "Đang thực hiện" in assigned and "Sở Y tế" in assigned


async def test_on_zalo_the_draft_shows_the_question_and_offers_no_giao_viec(rt, people: People, zalo: Zalo) -> None:
    await join(zalo, rt, "zalo-leader", role="leader", unit=None, person_id=people.leader)
    preview = await zalo.say("zalo-leader", ARTICLE)
    assert "Cần trả lời trước khi giao việc" in preview and ASKED in preview
    assert preview.endswith("Trả lời: 1 – Huỷ nháp"), preview


async def test_on_the_web_the_drafts_page_asks_and_the_answer_makes_it_assignable(chat, rt, people):
    await chat.say(LEADER, ARTICLE)
    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        page = page_text((await web.get("/d/NHAP-1")).text)
        assert ASKED in page and "Giữ đơn vị như trên" in page
        assert 'id="form-dok"' not in (await web.get("/d/NHAP-1")).text, "no «Giao việc» while the question is open"
        done = await web.act("NHAP-1", "ans", answer="l")
        assert done.status_code == 303
        page = (await web.get("/d/NHAP-1")).text
        assert ASKED not in page_text(page) and 'id="form-dok"' in page
        stale = await web.act("NHAP-1", "ans", answer="l")  # answered already: refused, nothing changes
        assert stale.status_code >= 400
    finally:
        await web.close()


async def test_on_the_web_a_date_question_is_answered_with_the_days_offered_or_none(chat, rt, people):
    await chat.say(LEADER, "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027.")
    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        page = page_text((await web.get("/d/NHAP-1")).text)
        assert "không tồn tại" in page and "Không có hạn" in page
        assert (await web.act("NHAP-1", "ans", answer="d:")).status_code == 303
        page = (await web.get("/d/NHAP-1")).text
        assert "không tồn tại" not in page_text(page) and 'id="form-dok"' in page
    finally:
        await web.close()
