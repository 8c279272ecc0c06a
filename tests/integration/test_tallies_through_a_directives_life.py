"""The report tallies against the rows through the services people use on assigned directives:
assign (several lead and support units, a standing task, a deadline on a day off), acknowledge, report
progress and done (one lead after the other), send back, extensions approved and refused, confirm, cancel,
reopen — checked after every step for many scopes, with and without the daily merge in between."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services import directives as svc
from tests.integration.tally_check import assert_agree, at, merge


def d(month: int, day: int) -> date:
    return date(2026, month, day)


async def _journey(rt, people, *, merging: bool, check_every_step: bool) -> None:
    async def step(day: date, label: str) -> None:
        if merging:
            await merge(rt)
        if check_every_step:
            await assert_agree(rt, day, label, full=False)

    now = at(d(9, 1))
    cards = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát dự án chậm tiến độ", ["SXD", "STC"], ["SYT"], d(9, 30), leader_name="Nguyễn Văn An"),
        svc.NewDirective("Kiểm tra an toàn thực phẩm", ["SYT"], [], d(9, 15)),
        svc.NewDirective("Theo dõi thường xuyên giá cả", ["P-THUANHOA"], [], None),
        svc.NewDirective("Báo cáo giải ngân", ["STC"], ["VP"], d(10, 10), leader_name="Trần Thị Bình"),
        svc.NewDirective("Sửa chữa cầu", ["SXD"], [], d(9, 20)),
        svc.NewDirective("Chỉnh trang đô thị", ["P-THUANAN"], ["SXD", "STC"], d(10, 30)),
    ], now=now)
    a, b, c, dd, e, f = (card.code for card in cards)
    await step(d(9, 1), "assigned")

    now = at(d(9, 2))
    await svc.acknowledge(rt, people.sxd, a, now=now)
    await svc.report_progress(rt, people.stc, a, "Đang rà soát", now=now)
    await svc.acknowledge(rt, people.syt, b, now=now)
    await svc.acknowledge(rt, people.syt, a, now=now)  # support
    await step(d(9, 2), "acknowledged")

    await svc.report_done(rt, people.sxd, a, "SXD xong phần mình", now=at(d(9, 10)))
    await svc.report_done(rt, people.syt, b, "Đã kiểm tra", now=at(d(9, 10)))
    await step(d(9, 10), "reported")

    await svc.send_back(rt, people.admin, b, "Thiếu biên bản", now=at(d(9, 12)))
    await step(d(9, 12), "sent back")

    await svc.request_extension(rt, people.syt, b, d(9, 25), "Chờ kết quả xét nghiệm", now=at(d(9, 14)))
    await svc.decide_extension(rt, people.leader, b, True, now=at(d(9, 15)))
    await step(d(9, 15), "extended")

    await svc.report_done(rt, people.stc, a, "STC xong", now=at(d(9, 18)))
    await step(d(9, 18), "all leads reported")
    await svc.confirm_done(rt, people.admin, a, now=at(d(9, 22)))
    await step(d(9, 22), "confirmed")

    await svc.request_extension(rt, people.sxd, e, d(10, 5), "Thiếu vốn", now=at(d(9, 23)))
    await svc.decide_extension(rt, people.leader, e, False, note="Không đồng ý", now=at(d(9, 24)))
    await step(d(9, 24), "refused")

    await svc.report_done(rt, people.syt, b, "Đã bổ sung biên bản", now=at(d(9, 28)))
    await svc.confirm_done(rt, people.admin, b, now=at(d(10, 2)))
    await step(d(10, 2), "done late")

    await svc.report_done(rt, people.ward, c, "Đã theo dõi", now=at(d(10, 1)))
    await svc.confirm_done(rt, people.admin, c, now=at(d(10, 2)))
    await step(d(10, 2), "standing done")

    await svc.cancel(rt, people.admin, f, "Không còn phù hợp", now=at(d(10, 5)))
    await step(d(10, 5), "cancelled")

    await svc.reopen(rt, people.admin, a, "Số liệu chưa khớp", now=at(d(10, 8)))
    await step(d(10, 8), "reopened")

    await svc.report_done(rt, people.stc, dd, "Đã báo cáo", now=at(d(10, 14)))
    await svc.confirm_done(rt, people.leader, dd, now=at(d(10, 15)))
    await step(d(10, 15), "D done late")

    await svc.report_done(rt, people.sxd, a, "Đã khớp số liệu", now=at(d(10, 20)))
    await svc.report_done(rt, people.admin, a, "STC báo qua điện thoại", unit_code="STC", now=at(d(10, 20)))
    await svc.confirm_done(rt, people.admin, a, now=at(d(10, 21)))
    await step(d(10, 21), "A done again")

    await svc.report_done(rt, people.admin, e, "SXD báo qua điện thoại", now=at(d(11, 3)))
    await svc.confirm_done(rt, people.admin, e, now=at(d(11, 4)))
    await step(d(11, 4), "E done late")

    if merging:
        await merge(rt)
    await assert_agree(rt, d(11, 20), "final")
    await assert_agree(rt, d(12, 31), "year end")


@pytest.mark.parametrize("merging", [True], ids=["merged-daily"])
async def test_a_directives_life_through_the_services(rt, people, merging):
    await _journey(rt, people, merging=merging, check_every_step=True)
