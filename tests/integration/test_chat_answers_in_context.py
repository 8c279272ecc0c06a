"""A typed answer survives what others do meanwhile, a wrong date is asked again at the step that asked for
it, and a file sent where a text is awaited is neither lost silently nor taken for something else."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, update

from bot.services import directives as svc
from bot.services import units
from storage.models import Assignment, Conversation, Directive, Event, ExtensionRequest
from tests.conftest import NOW, shared_path
from tests.integration.chatbot import plain
from tests.integration.conftest import UNITS_CSV
from tests.integration.test_imports import pdf

LEADER, SXD = 1002, 2001
LATER = NOW + timedelta(minutes=3)
T1, T2, T3 = (NOW + timedelta(minutes=m) for m in (1, 2, 3))


async def _card(rt, people):
    [card] = await svc.create_directives(
        rt, people.leader, [svc.NewDirective("Rà soát các dự án chậm tiến độ", ["SXD"], ["STC"], date(2026, 12, 15))],
        now=NOW)
    return card


async def _events(rt, kind: str) -> int:
    async with rt.sessions() as s:
        return await s.scalar(select(func.count()).select_from(Event).where(Event.kind == kind))


async def _state(rt, code: str) -> str:
    async with rt.sessions() as s:
        return await s.scalar(select(Directive.state).where(Directive.code == code))


async def _waiting(rt) -> list[str]:
    async with rt.sessions() as s:
        return list(await s.scalars(select(Conversation.kind)))


async def test_a_progress_report_is_kept_when_the_support_unit_acknowledged_meanwhile(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Báo cáo tiến độ"))
    await svc.acknowledge(rt, people.stc, card.code, now=LATER)
    reply = await chat.say(SXD, "Đã rà soát 12/20 dự án; 8 dự án còn lại chờ số liệu quyết toán.")
    assert await _events(rt, "progress") == 1, reply
    assert "không còn hiệu lực" not in reply


async def test_an_extension_request_is_kept_when_the_support_unit_reported_meanwhile(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Xin gia hạn"))
    await chat.say(SXD, "15/01/2027")
    await svc.report_progress(rt, people.stc, card.code, "Đã gửi số liệu", now=LATER)
    reply = await chat.say(SXD, "Chờ số liệu quyết toán của chủ đầu tư")
    assert await _events(rt, "extension_requested") == 1, reply


async def test_a_send_back_reason_is_kept_when_a_support_unit_acknowledged_meanwhile(chat, rt, people):
    card = await _card(rt, people)
    await svc.report_done(rt, people.sxd, card.code, "Đã xong", now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    await chat.press(LEADER, chat.button(LEADER, "Trả lại"))
    await svc.acknowledge(rt, people.stc, card.code, now=LATER)
    reply = await chat.say(LEADER, "Báo cáo chưa có số liệu giải ngân từng dự án, đề nghị bổ sung")
    assert await _events(rt, "sent_back") == 1, reply


async def test_a_reason_typed_after_the_office_confirmed_meanwhile_is_refused_and_changes_nothing(chat, rt, people):
    card = await _card(rt, people)
    await svc.report_done(rt, people.sxd, card.code, "Đã xong", now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    await chat.press(LEADER, chat.button(LEADER, "Trả lại"))
    await svc.confirm_done(rt, people.admin, card.code, now=LATER)
    await chat.say(LEADER, "Báo cáo chưa đủ")
    assert await _events(rt, "sent_back") == 0
    async with rt.sessions() as s:
        assert await s.scalar(select(Directive.state).where(Directive.code == card.code)) == "done"
    assert await _waiting(rt) == []


async def test_a_refusal_typed_for_one_extension_request_never_lands_on_a_later_one(chat, rt, people):
    card = await _card(rt, people)
    await svc.request_extension(rt, people.sxd, card.code, date(2027, 1, 15), "Chờ số liệu", now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    await chat.press(LEADER, chat.button(LEADER, "Từ chối"))
    await svc.decide_extension(rt, people.admin, card.code, False, note="Không đủ căn cứ", now=LATER)
    await svc.request_extension(rt, people.sxd, card.code, date(2027, 2, 15), "Chờ số liệu lần hai", now=LATER)
    reply = await chat.say(LEADER, "Không đồng ý")
    assert "không còn hiệu lực" in reply
    async with rt.sessions() as s:
        statuses = list(await s.scalars(select(ExtensionRequest.status).order_by(ExtensionRequest.id)))
    assert statuses == ["refused", "pending"]


async def test_an_extension_date_not_later_than_the_deadline_is_asked_again_at_the_date_step(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Xin gia hạn"))
    refused = await chat.say(SXD, "10/12/2026")
    assert "Hạn mới phải sau hạn hiện tại (15/12/2026)" in refused
    accepted = await chat.say(SXD, "20/12/2026")
    assert "20/12/2026" in accepted and "lý do" in accepted
    await chat.say(SXD, "Chờ số liệu quyết toán")
    async with rt.sessions() as s:
        assert await s.scalar(select(ExtensionRequest.new_deadline)) == date(2026, 12, 20)


async def test_an_extension_date_in_the_past_is_refused_before_the_reason_is_asked(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Xin gia hạn"))
    reply = await chat.say(SXD, "1/11/2026")
    assert "đã qua" in reply and "lý do" not in reply
    assert await _waiting(rt) == ["act:ext"]


async def _guided_to_deadline(chat) -> None:
    await chat.say(LEADER, "/giaoviec")
    await chat.say(LEADER, "Kiểm tra chất lượng công trình trường học")
    await chat.press(LEADER, chat.button(LEADER, "Sở Xây dựng"))


async def test_a_past_deadline_typed_in_the_guided_flow_is_asked_again_and_the_flow_finishes(chat, rt, people):
    await _guided_to_deadline(chat)
    refused = await chat.say(LEADER, "1/11/2026")
    assert "đã qua" in refused and "Bản nháp" not in refused
    preview = await chat.say(LEADER, "30/12/2026")
    assert "Bản nháp" in preview and "Kiểm tra chất lượng" in preview and "30/12/2026" in preview
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == 1


async def test_a_numbered_item_for_a_unit_group_followed_by_a_colon_becomes_a_draft(chat, rt, people):
    await units.import_units(rt, UNITS_CSV, shared_path("data", "groups.csv").read_text(encoding="utf-8"), now=NOW)
    await chat.restart()
    before = len(chat.request.calls)
    await chat.say(LEADER, "1. Giao Sở Xây dựng rà soát các dự án chậm tiến độ, báo cáo trước ngày 10/12/2026.\n"
                           "2. Các sở, ban, ngành: tập trung chỉ đạo đẩy nhanh tiến độ giải ngân vốn đầu tư công.")
    said = "\n".join(plain(p["text"]) for n, p in chat.request.calls[before:] if n == "sendMessage")
    assert "giải ngân" in said
    async with rt.sessions() as s:
        contents = list(await s.scalars(select(Directive.content)))
    assert any("giải ngân" in c for c in contents)


async def test_a_group_colon_naming_one_member_or_a_capitalised_task_reads_as_written(chat, rt, people):
    await units.import_units(rt, UNITS_CSV, shared_path("data", "groups.csv").read_text(encoding="utf-8"), now=NOW)
    await chat.restart()
    await chat.say(LEADER, "Giao UBND các xã, phường: phường Thuận An rà soát các hộ nghèo, báo cáo trước ngày 10/12/2026.")
    await chat.say(LEADER, "Các sở, ban, ngành: Tập trung chỉ đạo đẩy nhanh tiến độ giải ngân vốn đầu tư công.")
    async with rt.sessions() as s:
        rows = (await s.execute(select(Directive.content, func.count(Assignment.id))
                                .join(Assignment, Assignment.directive_id == Directive.id)
                                .group_by(Directive.id, Directive.content).order_by(Directive.id))).all()
    assert [(content[:7], n) for content, n in rows][0] == ("rà soát", 1)
    assert len(rows) == 2 and "giải ngân" in rows[1][0] and rows[1][1] > 1


async def test_a_file_sent_while_a_reason_is_awaited_is_neither_imported_nor_the_reason(chat, rt, people):
    card = await _card(rt, people)
    await svc.report_done(rt, people.sxd, card.code, "Đã xong", now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    await chat.press(LEADER, chat.button(LEADER, "Trả lại"))
    chat.request.files["opinion"] = pdf(["Y kien ve bao cao", "Bo sung so lieu giai ngan tung du an"])
    reply = await chat.send_file(LEADER, "y-kien.pdf", caption="Báo cáo chưa đủ số liệu", file_id="opinion")
    assert "chờ câu trả lời bằng chữ" in reply
    assert await _events(rt, "sent_back") == 0 and await _waiting(rt) == ["act:back"]
    await chat.say(LEADER, "Báo cáo chưa đủ số liệu, đề nghị bổ sung")
    assert await _events(rt, "sent_back") == 1


async def test_a_leader_sending_a_photo_has_it_read_as_a_notice_and_hears_why_nothing_was_imported(chat, rt, people):
    from io import BytesIO

    from PIL import Image

    from handlers.scans import settle

    scene = BytesIO()
    Image.new("RGB", (300, 400), "white").save(scene, "JPEG")
    chat.request.files["scene"] = scene.getvalue()
    reply = await chat.send_file(LEADER, "anh.jpg", photo=True, caption="Ảnh hiện trường", file_id="scene")
    assert reply == "Đang đọc ảnh chụp…"  # a leader's photo may be a notice on paper (read by OCR)
    await settle()
    answer = chat.texts(LEADER)[-1]
    assert "Báo cáo tiến độ" not in answer and "Không có gì được nhập" in answer, answer


async def test_a_leader_asking_for_unit_tasks_is_told_how_to_name_the_unit_and_the_hint_works(chat, rt, people):
    hint = await chat.say(LEADER, "/viec")
    assert "/viec SXD" in hint
    tasks = await chat.say(LEADER, "/viec SXD")
    assert "Sở Xây dựng" in tasks or "SXD" in tasks
    question = await chat.say(LEADER, "Sở Xây dựng còn những việc gì?")
    assert "Tôi chưa hiểu" not in question


async def test_in_a_units_group_a_question_names_the_person_and_opens_a_reply_the_bot_is_told_of(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, "/dangkynhom", chat_id=-500)
    await chat.say(SXD, f"/xem {card.code}", chat_id=-500)
    await chat.press(SXD, chat.button(-500, "Báo cáo tiến độ"), chat_id=-500)
    [prompt] = [p for p in chat.messages(-500) if "force_reply" in (p.get("reply_markup") or {})]
    assert prompt["reply_markup"]["selective"] is True
    assert f'href="tg://user?id={SXD}"' in prompt["text"]
    await chat.say(SXD, "Đã rà soát 12/20 dự án", chat_id=-500)
    assert await _events(rt, "progress") == 1


# A typed answer belongs to the round it was asked in: a later report, send-back or reopening voids it.

async def test_a_send_back_reason_for_the_first_report_does_not_send_back_the_corrected_one(chat, rt, people):
    card = await _card(rt, people)
    await svc.report_done(rt, people.sxd, card.code, "Đã xong (thiếu số liệu)", now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    await chat.press(LEADER, chat.button(LEADER, "Trả lại"))
    # Meanwhile the office sends the report back, and the unit re-reports with the missing figures.
    await svc.send_back(rt, people.admin, card.code, "Thiếu số liệu giải ngân", now=T1)
    await svc.report_done(rt, people.sxd, card.code, "Đã bổ sung đủ số liệu giải ngân từng dự án", now=T2)
    await chat.say(LEADER, "Báo cáo chưa có số liệu giải ngân từng dự án")  # about the FIRST report
    assert await _events(rt, "sent_back") == 1, "the leader's reason about report 1 sent back report 2"
    assert await _state(rt, card.code) == "awaiting_confirmation"


async def test_a_reopen_reason_for_one_completion_does_not_reopen_a_later_one(chat, rt, people):
    card = await _card(rt, people)
    await svc.report_done(rt, people.sxd, card.code, "Đã xong", now=NOW)
    await svc.confirm_done(rt, people.admin, card.code, now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    await chat.press(LEADER, chat.button(LEADER, "Mở lại"))
    await svc.reopen(rt, people.admin, card.code, "Chưa đạt", now=T1)
    await svc.report_done(rt, people.sxd, card.code, "Đã làm lại, đạt yêu cầu", now=T2)
    await svc.confirm_done(rt, people.admin, card.code, now=T3)
    await chat.say(LEADER, "Kết quả chưa đạt yêu cầu")
    assert await _events(rt, "reopened") == 1, "the reopen typed for completion 1 reopened completion 2"
    assert await _state(rt, card.code) == "done"


async def test_a_cancel_reason_typed_before_a_completion_and_reopen_does_not_cancel_the_reopened_task(
        chat, rt, people):
    card = await _card(rt, people)
    await chat.say(LEADER, f"/xem {card.code}")
    await chat.press(LEADER, chat.button(LEADER, "Huỷ"))
    await svc.report_done(rt, people.sxd, card.code, "Đã xong", now=T1)
    await svc.confirm_done(rt, people.admin, card.code, now=T2)
    await svc.reopen(rt, people.admin, card.code, "Cần làm thêm hạng mục B theo ý kiến Chủ tịch", now=T3)
    await chat.say(LEADER, "Không còn phù hợp")
    assert await _events(rt, "cancelled") == 0, "the cancel typed while in progress cancelled the reopened task"


async def test_a_done_report_typed_before_a_send_back_is_not_the_answer_to_it(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "hoàn thành"))
    # The office records the unit's report received by phone; the leader sends it back with a reason.
    await svc.report_done(rt, people.admin, card.code, "Đã xong (báo qua điện thoại)", now=T1, unit_code="SXD")
    await svc.send_back(rt, people.leader, card.code, "Thiếu biên bản nghiệm thu", now=T2)
    await chat.say(SXD, "Đã hoàn thành")  # typed for the question asked before the send-back
    assert await _events(rt, "done_reported") == 1, "a done report typed before the send-back re-reported done"
    assert await _state(rt, card.code) == "in_progress"


async def test_an_extension_reason_after_the_deadline_moved_past_the_date_does_not_loop(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Xin gia hạn"))
    await chat.say(SXD, "20/12/2026")
    # Meanwhile the office asks on the unit's behalf for a later date, and the leader approves it.
    await svc.request_extension(rt, people.admin, card.code, date(2027, 1, 10), "Theo công văn", now=T1,
                                unit_code="SXD")
    await svc.decide_extension(rt, people.leader, card.code, True, now=T2)
    reply = await chat.say(SXD, "Chờ số liệu quyết toán")
    assert "đã thay đổi" in reply and "chưa được lưu" in reply
    assert await _waiting(rt) == [] and await _events(rt, "extension_requested") == 1


async def test_a_reason_whose_date_is_no_longer_later_than_the_deadline_asks_the_date_again(chat, rt, people):
    card = await _card(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Xin gia hạn"))
    await chat.say(SXD, "16/12/2026")
    async with rt.sessions() as s:  # the deadline moved by other means than this round's extension
        await s.execute(update(Directive).where(Directive.code == card.code).values(deadline=date(2026, 12, 20)))
        await s.commit()
    refused = await chat.say(SXD, "Chờ số liệu quyết toán")
    assert "Hạn mới phải sau hạn hiện tại (20/12/2026)" in refused
    assert await _waiting(rt) == ["act:ext"]
    await chat.say(SXD, "30/12/2026")
    await chat.say(SXD, "Chờ số liệu quyết toán")
    async with rt.sessions() as s:
        assert await s.scalar(select(ExtensionRequest.new_deadline)) == date(2026, 12, 30)
