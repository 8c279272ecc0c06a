"""A directive's whole life, through the services, on a real database."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.domain.lifecycle import State, Status
from bot.services import directives as svc
from bot.services import queries
from storage.models import Outbox
from tests.addressing import CHAT
from tests.conftest import NOW

DAY = timedelta(days=1)


async def test_a_directive_lives_from_assignment_to_confirmation_and_the_log_tells_it_all(rt, people):
    [card] = await svc.create_directives(
        rt, people.leader,
        [svc.NewDirective("Rà soát các dự án chậm tiến độ", lead=["SXD"], support=["STC", "P-THUANHOA"],
                          deadline=date(2026, 12, 15), source_number="123/TB-UBND")],
        now=NOW,
    )
    code = card.code
    assert code == "CD-2026-0001"
    assert card.state == State.ASSIGNED and card.status.status == Status.ON_TIME
    assert card.lead_codes == ["SXD"] and card.support_codes == ["STC", "P-THUANHOA"]

    card = await svc.acknowledge(rt, people.stc, code, now=NOW + DAY)
    assert card.state == State.ASSIGNED, "a support unit's acknowledgement does not start the work"
    card = await svc.acknowledge(rt, people.sxd, code, now=NOW + DAY)
    assert card.state == State.IN_PROGRESS and card.status.status == Status.ON_TIME

    card = await svc.report_progress(rt, people.sxd, code, "Đã rà soát 12/20 dự án", now=NOW + 3 * DAY)
    assert card.parts[0].last_report == "Đã rà soát 12/20 dự án"

    card = await svc.request_extension(rt, people.sxd, code, date(2026, 12, 31), "Chờ số liệu của Sở Tài chính",
                                       now=NOW + 4 * DAY)
    assert card.pending_extension is not None and card.deadline == date(2026, 12, 15)
    card = await svc.decide_extension(rt, people.leader, code, True, now=NOW + 5 * DAY)
    assert card.deadline == date(2026, 12, 31) and card.original_deadline == date(2026, 12, 15)
    assert card.pending_extension is None

    card = await svc.report_done(rt, people.sxd, code, "Đã hoàn thành, gửi báo cáo số 45/BC-SXD", now=NOW + 10 * DAY)
    assert card.state == State.AWAITING and card.status.status == Status.AWAITING

    card = await svc.send_back(rt, people.admin, code, "Thiếu danh mục dự án", now=NOW + 11 * DAY)
    assert card.state == State.IN_PROGRESS and card.status.status == Status.ON_TIME

    card = await svc.report_done(rt, people.sxd, code, "Đã bổ sung danh mục", now=NOW + 12 * DAY)
    assert card.state == State.AWAITING
    card = await svc.confirm_done(rt, people.admin, code, now=NOW + 13 * DAY)
    assert card.state == State.DONE and card.status.status == Status.DONE_ON_TIME
    assert card.completed_on == date(2026, 12, 2)

    log = await queries.history(rt, people.admin, code)
    assert [e.kind for e in log] == [
        "assigned", "acknowledged", "acknowledged", "progress", "extension_requested", "extension_approved",
        "done_reported", "sent_back", "done_reported", "confirmed",
    ]
    assert log[5].data == {"before": {"deadline": "2026-12-15"},
                           "after": {"deadline": "2026-12-31", "due_on": "2026-12-31", "deadline_version": 2},
                           "new_deadline": "2026-12-31", "note": None, "unit": "SXD"}
    assert log[7].data["reason"] == "Thiếu danh mục dự án"
    assert [e.actor for e in log][:3] == ["Phó Chủ tịch", "Đầu mối Sở TC", "Đầu mối Sở XD"]


async def test_assigning_tells_the_lead_and_support_units_through_the_outbox(rt, people):
    await svc.create_directives(
        rt, people.leader, [svc.NewDirective("Kiểm tra", lead=["SXD"], support=["STC"], deadline=date(2026, 12, 1))],
        now=NOW,
    )
    async with rt.sessions() as session:
        rows = (await session.execute(select(Outbox, CHAT).where(Outbox.kind == "notify").order_by(CHAT))).all()
    assert [(chat, r.kind, r.payload["text"]) for r, chat in rows] == [
        (2001, "notify", "notify.assigned"), (2002, "notify", "notify.assigned"),
    ]


async def test_a_directive_done_after_its_deadline_counts_as_late(rt, people):
    [card] = await svc.create_directives(
        rt, people.admin, [svc.NewDirective("Báo cáo", lead=["SYT"], deadline=date(2026, 11, 23))], now=NOW
    )
    await svc.report_done(rt, people.syt, card.code, "Xong", now=NOW + 5 * DAY)
    card = await svc.confirm_done(rt, people.leader, card.code, now=NOW + 6 * DAY)
    assert card.status.status == Status.DONE_LATE and card.status.days_late == 2


async def test_an_open_directive_past_its_deadline_is_overdue_and_listed_so(rt, people):
    [card] = await svc.create_directives(
        rt, people.admin, [svc.NewDirective("Báo cáo", lead=["SYT"], deadline=date(2026, 11, 23))], now=NOW
    )
    later = NOW + 5 * DAY
    page = await queries.overdue(rt, people.leader, now=later)
    assert [c.code for c in page.items] == [card.code]
    assert page.items[0].status.status == Status.OVERDUE and page.items[0].status.days_late == 2
    assert (await queries.overdue(rt, people.leader, now=later, unit_code="SXD")).total == 0
    assert (await queries.overdue(rt, people.leader, now=NOW)).total == 0
