"""Bad input in chat gets a clear answer in valid HTML and writes nothing (the `chat` fixture also fails on
any invalid HTML the bot sends and on any unhandled error)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.services import directives as svc
from bot.services import units
from storage.models import Conversation, Directive, Event, Outbox
from tests.conftest import NOW
from tests.integration.conftest import UNITS_CSV

ADMIN, LEADER, SXD, VIEWER = 1001, 1002, 2001, 3001


async def _writes(rt) -> tuple[int, int, int]:
    async with rt.sessions() as s:
        return tuple([await s.scalar(select(func.count()).select_from(m)) for m in (Directive, Event, Outbox)])  # type: ignore[return-value]


async def _card(rt, people):
    [card] = await svc.create_directives(
        rt, people.leader, [svc.NewDirective("Rà soát", ["SXD"], [], date(2026, 12, 15))], now=NOW)
    return card


async def test_callback_data_with_non_ascii_digits_or_control_characters_is_a_stale_button(chat, rt, people):
    card = await _card(rt, people)
    before = await _writes(rt)
    for forged in (f"ack|{card.code}|²|", f"ack|{card.code}|1\x00|", "ack\x00|x|1|", f"ack|{card.code}|١|"):
        await chat.press(SXD, forged)
        assert chat.alert().startswith("Thao tác không còn hiệu lực")
    assert await _writes(rt) == before


async def test_a_nul_byte_in_typed_text_is_refused_before_the_database_and_the_question_stands(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Báo cáo tiến độ"))
    before = await _writes(rt)
    assert "ký tự điều khiển" in await chat.say(SXD, "Đã xong\x00 phần 1")
    assert "ký tự điều khiển" in await chat.say(SXD, "/xem CD-2026-0001\x00")
    assert await _writes(rt) == before
    assert "Đã gửi báo cáo tiến độ" in await chat.say(SXD, "Đã xong phần 1")


async def test_user_text_in_replies_is_escaped(chat, rt, people):
    assert "Không tìm thấy nhiệm vụ <B>X" in await chat.say(LEADER, "/xem <b>x")
    assert "Không có đơn vị mã «A&B»" in await chat.say(LEADER, "/thongke A&B")
    assert "Kết quả tìm kiếm — <script>alert(1)</script>" in await chat.say(LEADER, "/timkiem <script>alert(1)</script>")
    await chat.say(LEADER, "/giaoviec")
    picker = await chat.say(LEADER, "Kiểm tra <b>ngay</b>")
    assert "Giao việc: Kiểm tra <b>ngay</b>" in picker
    picker = await chat.say(LEADER, "<script>")
    assert "Đang lọc theo: «<script>»" in picker


async def test_a_unit_name_with_markup_is_shown_as_text(chat, rt, people):
    await units.import_units(rt, UNITS_CSV + 'SXX,Sở <u>Thử</u> & Co,department,,\n', None, now=NOW)
    [card] = await svc.create_directives(
        rt, people.leader, [svc.NewDirective("Kiểm tra <b>ngay</b> & báo cáo", ["SXX"], ["SXD"],
                                             date(2026, 12, 15))], now=NOW)
    shown = await chat.say(LEADER, f"/xem {card.code}")
    assert "Chủ trì: Sở <u>Thử</u> & Co" in shown and "Kiểm tra <b>ngay</b> & báo cáo" in shown
    assert "Sở <u>Thử</u> & Co" in await chat.say(LEADER, "/viec SXX")


async def test_an_unknown_command_is_answered_with_the_commands_one_can_use(chat, people):
    reply = await chat.say(SXD, "/abc")
    assert "Không có lệnh /abc" in reply and "/viec" in reply
    calls = len(chat.request.calls)
    await chat.say(SXD, "/abc", chat_id=-700)
    assert len(chat.request.calls) == calls, "in a group an unknown command may be another bot's"


async def test_a_viewer_or_another_unit_pressing_a_forged_decision_writes_nothing(chat, rt, people):
    card = await _card(rt, people)
    await svc.report_done(rt, people.sxd, card.code, "Xong", now=NOW)
    before = await _writes(rt)
    await chat.press(VIEWER, f"conf|{card.code}|3|")
    assert chat.alert() in ("Bạn không có quyền thực hiện thao tác này.",
                            "Thao tác không còn hiệu lực. Vui lòng mở lại thẻ nhiệm vụ.")
    await chat.press(2003, f"back|{card.code}|3|")
    assert "Bạn không có quyền" in chat.alert() or "không còn hiệu lực" in chat.alert()
    assert await _writes(rt) == before
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Conversation)) == 0, "no question was opened"


async def test_oversized_answers_are_refused_and_the_question_stands(chat, rt, people):
    card = await _card(rt, people)
    await svc.report_done(rt, people.sxd, card.code, "Xong", now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    await chat.press(LEADER, chat.button(LEADER, "Trả lại"))
    assert "quá dài" in await chat.say(LEADER, "x" * 1500)
    assert "Đã trả lại" in await chat.say(LEADER, "Thiếu phụ lục")
