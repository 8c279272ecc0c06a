"""A leader or the office on Zalo assigns by typing the directive, as on Telegram: the parser makes a draft, the
preview shows it (with any question it carries) and ends with «Trả lời: 1 – Giao việc · 2 – Huỷ nháp»; «1»
assigns it and the lead unit is told, «2» drops it; while a question is open «Giao việc» is not offered and
a number cannot make it. End to end over real HTTP against the Zalo emulator."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from bot.texts import t
from storage.models import Directive, MessageOrigin
from tests.integration import test_zalo
from tests.integration.chatbot import ChatBot
from tests.integration.conftest import People
from tests.integration.test_zalo import Zalo, join
from tests.integration.web_client import WebClient, page_text
from zalo.bot import CHAT_KEY_BASE, Incoming

zalo = test_zalo.zalo  # the Zalo channel fixture
LEADER = "zalo-leader"
SXD_TG = 2001  # the Sở Xây dựng focal point, on Telegram (tests/integration/conftest.py)
ASSIGN = "Trả lời: 1 – Giao việc · 2 – Huỷ nháp"


async def directive(rt, code: str) -> Directive | None:
    async with rt.sessions() as s:
        return await s.scalar(select(Directive).where(Directive.code == code))


async def on_zalo(zalo: Zalo, rt, people: People, role: str = "leader", user: str = LEADER) -> None:
    await join(zalo, rt, user, role=role, unit=None, person_id=getattr(people, role))


async def test_a_leader_on_zalo_assigns_by_typing_and_the_unit_is_told(rt, people: People, chat: ChatBot,
                                                                       zalo: Zalo) -> None:
    await on_zalo(zalo, rt, people)
    preview = await zalo.say(LEADER, "Giao Sở Xây dựng rà soát các dự án chậm tiến độ, hạn 15/12/2026")
    assert preview.startswith(t("zalo.draft_preview", "vi")), preview
    assert "Nháp 1" in preview and "Sở Xây dựng" in preview and "15/12/2026" in preview
    assert preview.endswith(ASSIGN), preview
    assert (await directive(rt, "NHAP-1")).state == "draft"

    answer = await zalo.say(LEADER, "1")
    assigned = await directive(rt, "CD-2026-0001")
    assert assigned is not None and assigned.state == "assigned" and await directive(rt, "NHAP-1") is None
    assert answer.startswith(t("done.dok", "vi", code="CD-2026-0001")), answer
    await zalo.dispatch()
    assert any("CD-2026-0001" in text and "rà soát các dự án" in text.lower() for text in chat.texts(SXD_TG))

    again = await zalo.say(LEADER, "1")  # the same «1» once more: it is assigned already, nothing changes
    assert "không thể" in again.lower() and (await directive(rt, "CD-2026-0001")).version == assigned.version


async def test_the_office_drops_a_draft_with_2_and_nobody_is_told(rt, people: People, chat: ChatBot,
                                                                  zalo: Zalo) -> None:
    await on_zalo(zalo, rt, people, role="admin", user="zalo-office")
    preview = await zalo.say("zalo-office", "Giao Sở Xây dựng kiểm tra các công trình, hạn 20/12/2026")
    assert preview.endswith(ASSIGN), preview
    telegram_before = len(chat.texts(SXD_TG))
    answer = await zalo.say("zalo-office", "2")
    assert answer == t("done.ddel", "vi", code="Nháp 1")
    assert (await directive(rt, "NHAP-1")).state == "cancelled"
    await zalo.dispatch()
    assert len(chat.texts(SXD_TG)) == telegram_before
    assert "«đã huỷ»" in await zalo.say("zalo-office", "1")  # a dropped draft cannot be assigned after all
    assert (await directive(rt, "NHAP-1")).state == "cancelled"


async def test_a_draft_with_an_open_question_offers_no_giao_viec_and_a_number_cannot_assign_it(
        rt, people: People, zalo: Zalo) -> None:
    await on_zalo(zalo, rt, people)
    preview = await zalo.say(LEADER, "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027.")
    assert "Cần trả lời trước khi giao việc" in preview and "31/2/2027" in preview
    assert t("zalo.draft_fix", "vi") in preview
    assert preview.endswith("Trả lời: 1 – Huỷ nháp"), preview
    assert "Giao việc ·" not in preview and "1 – Giao việc" not in preview
    assert "chỉ có 1 lựa chọn" in await zalo.say(LEADER, "Nháp 1 2")
    assert "chỉ có 1 lựa chọn" in await zalo.say(LEADER, "2")
    assert (await directive(rt, "NHAP-1")).state == "draft"
    shown = await zalo.say(LEADER, "Nháp 1")  # the draft's card, with the same replies
    assert shown.endswith("Trả lời: 1 – Huỷ nháp"), shown


async def test_several_directives_typed_at_once_each_get_a_draft_named_by_its_number(rt, people: People,
                                                                                    zalo: Zalo) -> None:
    await on_zalo(zalo, rt, people)
    before = len(zalo.emu.sent(LEADER))
    await zalo.emu.user_says(LEADER, "1. Giao Sở Xây dựng kiểm tra các công trình, hạn 20/12/2026.\n"
                                     "2. Giao Sở Tài chính tổng hợp kinh phí, hạn 25/12/2026.")
    await zalo.emu.wait_sent(LEADER, before + 2)
    await zalo.emu.wait_updates_taken()
    first, second = zalo.emu.texts(LEADER)[before:before + 2]
    assert first.endswith("Trả lời «Nháp 1 số»: 1 – Giao việc · 2 – Huỷ nháp"), first
    assert second.endswith(ASSIGN), second
    answer = await zalo.say(LEADER, "Nháp 1 1")
    assert answer.startswith(t("done.dok", "vi", code="CD-2026-0001")), answer
    assert (await directive(rt, "NHAP-2")).state == "draft"
    await zalo.say(LEADER, "1")  # the last preview's: Nháp 2
    assert (await directive(rt, "CD-2026-0002")) is not None


async def test_a_notice_pasted_on_zalo_is_one_group_on_the_web_and_read_once_if_delivered_twice(
        rt, people: People, zalo: Zalo) -> None:
    """Zalo has no buttons: the drafts of one pasted message are kept with it (its chat key and a number of Zalo's
    message id), so the web's drafts list groups them with the batch's «Giao tất cả» (web/batches.py)."""
    await on_zalo(zalo, rt, people)
    before = len(zalo.emu.sent(LEADER))
    notice = ("1. Giao Sở Xây dựng kiểm tra các công trình, hạn 20/12/2026.\n"
              "2. Giao Sở Tài chính tổng hợp kinh phí, hạn 25/12/2026.")
    await zalo.emu.user_says(LEADER, notice)
    await zalo.emu.wait_sent(LEADER, before + 2)
    await zalo.emu.wait_updates_taken()
    first = zalo.emu.texts(LEADER)[before]
    assert first.startswith(t("zalo.batch_web", "vi", count=2)), first
    async with rt.sessions() as s:
        [(chat, message)] = (await s.execute(select(MessageOrigin.chat_id, MessageOrigin.message_id).distinct())).all()
    assert chat < CHAT_KEY_BASE, "kept under the Zalo chat's key, apart from every Telegram chat"
    async with rt.uow(read_only=True) as uow:
        assert [code for _, code in await uow.origins.of_message(chat, message)] == ["NHAP-1", "NHAP-2"]
    # another message with the same text makes its own drafts; the same message delivered again (a retried
    # webhook) is read once: nothing said, no new draft
    pasted = Incoming(LEADER, notice, "Lãnh đạo", message_id="m-1")
    assert len(await zalo.channel.bot.answer(pasted)) == 2
    assert await zalo.channel.bot.answer(pasted) == []
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == 4, "two, then two more once"

    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        html = (await web.get("/lists/drafts")).text
        assert html.count('<tbody class="batch"') == 2 and "✅ Giao tất cả (2)" in page_text(html)
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)
        answer = await web.post("/lists/drafts/batch/assign", {"chat": str(chat), "message": str(message)},
                                csrf=token)
        assert answer.status_code == 303
        assert "Đã giao 2 nhiệm vụ: CD-2026-0001, CD-2026-0002" in page_text((await web.get(answer.headers["location"])).text)
    finally:
        await web.close()


async def test_who_may_not_assign_cannot_by_typing_on_zalo(rt, people: People, zalo: Zalo) -> None:
    await join(zalo, rt, "zalo-sxd", role="focal", unit=None, person_id=people.sxd)
    await join(zalo, rt, "zalo-viewer", role="viewer", unit=None, person_id=people.viewer)
    for user in ("zalo-sxd", "zalo-viewer"):
        answer = await zalo.say(user, "Giao Sở Xây dựng rà soát các dự án chậm tiến độ, hạn 15/12/2026")
        assert answer == t("parse.only_deciders", "vi")
    await on_zalo(zalo, rt, people)
    await zalo.say(LEADER, "Giao Sở Xây dựng rà soát các dự án chậm tiến độ, hạn 15/12/2026")
    for user in ("zalo-sxd", "zalo-viewer"):  # a draft is not theirs to see or assign
        assert "Nháp 1" not in await zalo.say(user, "Nháp 1 1")
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == 1
    assert (await directive(rt, "NHAP-1")).state == "draft"


async def test_a_question_typed_without_a_question_mark_on_zalo_is_answered_and_an_ambiguous_one_asked(
        rt, people: People, chat: ChatBot, zalo: Zalo) -> None:
    await on_zalo(zalo, rt, people)
    preview = await zalo.say(LEADER, "Giao Sở Y tế kiểm tra an toàn thực phẩm, hạn 15/12/2026")
    assert (await zalo.say(LEADER, "1")).startswith(t("done.dok", "vi", code="CD-2026-0001"))
    assert "Nháp" in preview
    answer = await zalo.say(LEADER, "Sở Y tế thực hiện nhiệm vụ đến đâu")
    assert "kiểm tra an toàn thực phẩm" in answer.lower() and "Nháp" not in answer, answer
    which = await zalo.say(LEADER, "Sở Y tế báo cáo tình hình thực hiện nhiệm vụ")
    assert which == t("parse.which_meant_typed", "vi")
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive).where(Directive.state == "draft")) == 0
