"""Files sent with reports stay with the directive and reach whoever must read them; refusals carry
their reasons; notices and lists name units, roles, the leader and the dated source."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.ratelimit import SendLimiter
from bot.services import directives as svc
from handlers.notifier import make_sender
from storage.models import Attachment, Outbox
from tests.addressing import chat_ids
from tests.conftest import AFTERNOON, NOW
from tests.integration.chatbot import plain

ADMIN, LEADER, SXD, STC = 1001, 1002, 2001, 2002


async def _assigned(rt, people, **overrides):
    spec = {"content": "Rà soát các dự án chậm tiến độ", "lead": ["SXD"], "support": ["STC"],
            "deadline": date(2026, 12, 15), "source_number": "245/TB-UBND", "source_date": date(2026, 11, 19)}
    spec.update(overrides)
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(**spec)], now=NOW)
    return card


class Bookings(SendLimiter):
    """Counts the slots booked per chat, without waiting for them."""

    def __init__(self) -> None:
        super().__init__(per_second=1000)
        self.booked: Counter[int] = Counter()

    async def acquire(self, chat_id: int, group: bool = False) -> None:
        self.booked[chat_id] += 1


async def _dispatch(chat, rt, at=NOW) -> Bookings:  # noqa: ANN001
    """Send what the outbox holds through the real notifier, over the offline Bot API, as the app wires it:
    one limiter shared by the dispatcher and the sender."""
    bookings = Bookings()
    dispatcher = Dispatcher(rt, make_sender(chat.bot, rt, bookings), "test", bookings)
    while await dispatcher.run_once(at):
        pass
    async with rt.sessions() as s:  # counted by address: the test reads them by chat
        chats = await chat_ids(s)
    bookings.booked = Counter({chats[address]: n for address, n in bookings.booked.items()})
    return bookings


async def test_a_progress_report_with_a_pdf_reaches_the_office_and_the_leader_with_the_file(chat, rt, people):
    card = await _assigned(rt, people)
    await chat.say(SXD, f"/xem {card.code}")
    await chat.press(SXD, chat.button(SXD, "Báo cáo tiến độ"))
    reply = await chat.send_file(SXD, "Phu luc danh sach du an.pdf", caption="Đã rà soát 12/20 dự án, phụ lục kèm theo")
    assert f"Đã gửi báo cáo tiến độ {card.code}" in reply and "📎 Phu luc danh sach du an.pdf" in reply
    await chat.send_file(SXD, "anh-hien-truong.jpg", photo=True)  # the album's second message joins the report

    async with rt.sessions() as s:
        files = (await s.scalars(select(Attachment).order_by(Attachment.id))).all()
    assert [(f.kind, f.file_name, f.mime_type) for f in files] == [
        ("document", "Phu luc danh sach du an.pdf", "application/pdf"), ("photo", None, "image/jpeg")]

    chat.request.calls.clear()
    bookings = await _dispatch(chat, rt, AFTERNOON)  # a progress report may wait for the readers' next message
    for reader in (ADMIN, LEADER):
        notices = [plain(p["text"]) for p in chat.messages(reader)]
        assert any("Sở Xây dựng báo cáo tiến độ" in n and "phụ lục kèm theo" in n for n in notices), notices
        assert [d.get("document") or d.get("photo") for d in chat.documents(reader)] == [files[0].file_id,
                                                                                         files[1].file_id]
        assert bookings.booked[reader] == len(chat.messages(reader)) + 2, "each message and each file has its own slot"
    assert not chat.documents(STC), "a support unit is not sent another unit's report"

    # Anyone who may read the directive can have the files from its card; the history lists them.
    chat.request.calls.clear()
    await chat.say(STC, f"/xem {card.code}")
    await chat.press(STC, chat.button(STC, "Tệp đính kèm (2)"))
    assert len(chat.documents(STC)) == 2
    await chat.press(STC, chat.button(STC, "Lịch sử"))
    history = chat.texts(STC)[-1]
    assert "📎 Phu luc danh sach du an.pdf" in history and "Gửi thêm tệp" in history


async def test_a_file_with_no_question_open_gets_a_clear_answer_and_is_not_kept(chat, rt, people):
    assert "Báo cáo tiến độ" in await chat.send_file(SXD, "x.pdf")
    async with rt.sessions() as s:
        assert (await s.scalars(select(Attachment))).first() is None


async def test_refusing_an_extension_asks_for_a_reason_the_unit_is_shown_and_history_keeps(chat, rt, people):
    card = await _assigned(rt, people)
    await svc.request_extension(rt, people.sxd, card.code, date(2027, 1, 15), "Chờ số liệu", now=NOW)
    await chat.say(LEADER, f"/xem {card.code}")
    question = await chat.press(LEADER, chat.button(LEADER, "Từ chối gia hạn"))
    assert f"Nhập lý do không đồng ý gia hạn {card.code}" in question
    reply = await chat.say(LEADER, "Tiến độ đã chậm, không thể lùi thêm")
    assert f"Đã từ chối gia hạn {card.code}" in reply
    chat.request.calls.clear()
    await _dispatch(chat, rt)
    notice = plain(chat.messages(SXD)[-1]["text"])
    assert "không được đồng ý" in notice and "Lý do: Tiến độ đã chậm, không thể lùi thêm" in notice
    await chat.press(SXD, chat.button(SXD, "Mở thẻ"))
    await chat.press(SXD, chat.button(SXD, "Lịch sử"))
    assert "Tiến độ đã chậm" in chat.texts(SXD)[-1]


async def test_a_new_task_notice_names_the_units_role_the_leader_and_the_dated_source(chat, rt, people):
    card = await _assigned(rt, people, leader_name="Phó Chủ tịch UBND tỉnh Nguyễn Văn A")
    await _dispatch(chat, rt, AFTERNOON)  # the support unit's notice may wait for the afternoon
    lead = plain(chat.messages(SXD)[-1]["text"])
    support = plain(chat.messages(STC)[-1]["text"])
    assert f"Nhiệm vụ mới {card.code} — đơn vị chủ trì" in lead and "đơn vị phối hợp" in support
    for notice in (lead, support):
        assert "Lãnh đạo chỉ đạo: Phó Chủ tịch UBND tỉnh Nguyễn Văn A" in notice
        assert "Văn bản: 245/TB-UBND ngày 19/11/2026" in notice


async def test_lists_show_names_and_a_content_snippet_and_keep_lead_and_support_work_apart(chat, rt, people):
    await _assigned(rt, people, content="Kiểm tra an toàn công trình", lead=["STC"], support=["SXD"])
    await _assigned(rt, people, content="Rà soát các dự án chậm tiến độ trên địa bàn")
    listing = await chat.say(SXD, "/viec")
    assert "Việc đơn vị chủ trì" in listing and "Rà soát các dự án chậm tiến độ" in listing
    assert "Kiểm tra an toàn" not in listing and "SXD" not in listing and "Sở Xây dựng" in listing
    buttons = [b["text"] for row in chat.messages(SXD)[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0].startswith("1. Rà soát các dự án") and "15/12" in buttons[0]
    support = await chat.press(SXD, chat.button(SXD, "Xem việc đơn vị phối hợp"))
    assert "Kiểm tra an toàn công trình" in support and "Rà soát" not in support
    answer = await chat.say(LEADER, "Sở Tài chính có bao nhiêu việc?")
    assert "Kiểm tra an toàn" in answer and "Rà soát" not in answer, "a unit's count is what it leads"


async def test_the_outbox_rows_of_a_report_carry_the_files_and_nothing_else_of_the_unit(chat, rt, people):
    card = await _assigned(rt, people)
    files = [svc.FileRef("document", "doc-1", "u-1", "bao-cao.docx", "application/msword", 1000)]
    await svc.report_done(rt, people.sxd, card.code, "Hoàn thành", now=NOW, files=files)
    async with rt.sessions() as s:
        rows = (await s.scalars(select(Outbox).where(Outbox.kind == "notify", Outbox.payload.is_not(None)))).all()
        chats = await chat_ids(s)
        [attachment] = (await s.scalars(select(Attachment))).all()
    done = [r for r in rows if r.payload["text"] == "notify.done_reported"]
    assert sorted(chats[r.address_id] for r in done) == [ADMIN, LEADER]
    assert all(r.payload["files"] == [{"attachment": attachment.id, "kind": "document", "name": "bao-cao.docx"}]
               for r in done)
