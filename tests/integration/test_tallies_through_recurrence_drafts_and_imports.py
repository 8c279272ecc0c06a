"""The report tallies against the rows through recurring directives rolling over, drafts (edited,
confirmed later, discarded), imports of history (a sheet with past, done and cancelled rows; a conclusion
notice) followed by work on the imported directives, the daily merge job in between, and use cases that
fail and must leave the tallies exactly as they were."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import DomainError
from bot.services import directives as svc
from bot.services import imports
from bot.services.jobs import Scheduler
from bot.services.lifecycle import roll_recurring
from tests.integration.tally_check import assert_agree, at, merge, tally_rows
from tests.integration.test_imports import notice_docx, workbook


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


async def test_recurring_directives_rolling_over(rt, people):
    cards = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Báo cáo giải ngân hằng tháng", ["STC"], ["SXD"], d(9, 30), recurrence="monthly",
                         leader_name="Trần Thị Bình"),
        svc.NewDirective("Giao ban hằng tuần", ["SXD", "SYT"], [], d(9, 4), recurrence="weekly"),
    ], now=at(d(9, 1)))
    monthly, weekly = (c.code for c in cards)
    await assert_agree(rt, d(9, 1), "recurring assigned", full=False)
    # The weekly one done on time: its next occurrence comes with the confirmation.
    await svc.report_done(rt, people.sxd, weekly, "Đã giao ban", now=at(d(9, 3)))
    await svc.report_done(rt, people.syt, weekly, "Đã giao ban", now=at(d(9, 4)))
    await svc.confirm_done(rt, people.admin, weekly, now=at(d(9, 7)))
    await assert_agree(rt, d(9, 7), "weekly confirmed", full=False)
    # The monthly one runs late: the daily job makes the next one, then the late one is done.
    assert await roll_recurring(rt, at(d(10, 1))) >= 1
    await assert_agree(rt, d(10, 1), "rolled", full=False)
    await svc.report_done(rt, people.stc, monthly, "Đã báo cáo", now=at(d(10, 3)))
    await svc.confirm_done(rt, people.admin, monthly, now=at(d(10, 5)))
    await assert_agree(rt, d(10, 5), "late one done", full=False)
    # Days pass with the scheduler (recurrence + tally merge jobs) running every morning.
    scheduler = Scheduler(rt, "probe")
    day = d(10, 6)
    while day <= d(11, 20):
        await scheduler.run_due(at(day, 8))
        day = date.fromordinal(day.toordinal() + 1)
    await assert_agree(rt, d(11, 20), "after the scheduler ran daily")


async def test_drafts_edited_confirmed_later_and_discarded(rt, people):
    cards = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Dự thảo một", ["SXD"], [], d(9, 30)),
        svc.NewDirective("Dự thảo hai", ["STC"], ["SYT"], d(10, 15)),
        svc.NewDirective("Dự thảo ba", ["SYT"], [], None),
    ], now=at(d(9, 1)), as_draft=True)
    one, two, three = (c.code for c in cards)
    await assert_agree(rt, d(9, 1), "drafts", full=False)
    await svc.edit_draft(rt, people.leader, one, now=at(d(9, 3)), lead=["STC", "SXD"], support=["SYT", "VP"],
                         deadline=d(9, 25))
    one = (await svc.confirm_draft(rt, people.leader, one, now=at(d(9, 5)))).code  # it takes its CD code
    await assert_agree(rt, d(9, 5), "draft confirmed", full=False)
    await svc.discard_draft(rt, people.leader, two, now=at(d(9, 6)))
    await svc.edit_draft(rt, people.admin, three, now=at(d(9, 7)), lead=["P-THUANAN"], deadline=d(10, 31))
    await merge(rt)
    three = (await svc.confirm_draft(rt, people.admin, three, now=at(d(10, 2)))).code
    await svc.report_done(rt, people.stc, one, "Xong", now=at(d(9, 24)))
    await svc.report_done(rt, people.sxd, one, "Xong", now=at(d(9, 29)))
    await svc.confirm_done(rt, people.admin, one, now=at(d(10, 3)))
    await assert_agree(rt, d(10, 3), "confirmed draft done", full=False)
    await assert_agree(rt, d(11, 20), "final")


SHEET_ROWS = [
    # STT, số, ngày VB, lãnh đạo, nội dung, chủ trì, phối hợp, hạn, ngày giao, ngày hoàn thành, trạng thái, ghi chú
    [1, "10/TB-UBND", "01/03/2025", "Nguyễn Văn An", "Rà soát quy hoạch", "SXD", "STC", "30/04/2025", "01/03/2025",
     "10/05/2025", "Hoàn thành", ""],
    [2, "11/TB-UBND", "01/06/2025", "Nguyễn Văn An", "Đề án đã bỏ", "STC", "", "30/09/2025", "01/06/2025",
     "01/07/2025", "Đã huỷ", "Không còn phù hợp"],
    [3, "12/TB-UBND", "01/10/2025", "Trần Thị Bình", "Theo dõi thường xuyên", "SYT", "", None, "01/10/2025",
     None, "Đang thực hiện", ""],
    [4, "13/TB-UBND", "05/01/2026", "Trần Thị Bình", "Hoàn thiện hồ sơ đất", "SXD; STC", "SYT", "01/02/2026",
     "05/01/2026", None, "Đang thực hiện", ""],
    [5, "14/TB-UBND", "01/08/2026", None, "Kiểm tra trường học", "SYT", "P-THUANHOA", "31/12/2026", "01/08/2026",
     "05/09/2026", "Hoàn thành", ""],
    [6, "15/TB-UBND", "15/12/2025", "Nguyễn Văn An", "Tổng kết năm", "P-THUANAN", "", "31/12/2025", "15/12/2025",
     "10/01/2026", "Hoàn thành", ""],
    [7, "16/TB-UBND", "20/10/2026", None, "Đề án huỷ trong ngày", "STC", "", "30/11/2026", "20/10/2026",
     None, "Đã huỷ", ""],
    [8, "17/TB-UBND", "01/09/2026", "Nguyễn Văn An", "Việc còn hạn", "P-THUANHOA", "SXD", "30/12/2026",
     "01/09/2026", None, "Đang thực hiện", ""],
]


async def test_imports_of_history_and_work_on_what_was_imported(rt, people):
    now = at(d(11, 2))
    preview = await imports.stage(rt, people.admin, "theo-doi.xlsx", workbook(*SHEET_ROWS), now=now)
    assert preview.ok, preview.problems
    applied = await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=now)
    assert applied.count == len(SHEET_ROWS)
    codes = dict(zip([r[4] for r in SHEET_ROWS], applied.codes, strict=True))
    await assert_agree(rt, d(11, 2), "sheet imported")
    notice = await imports.stage(rt, people.admin, "thong-bao.docx", notice_docx(), now=at(d(11, 20)))
    assert notice.ok, notice.problems
    await imports.confirm(rt, people.admin, notice.batch_id, notice.nonce, now=at(d(11, 20)))
    await assert_agree(rt, d(11, 20), "notice imported", full=False)
    # Work on the imported directives.
    await svc.report_done(rt, people.sxd, codes["Hoàn thiện hồ sơ đất"], "Xong", now=at(d(11, 20)))
    await svc.report_done(rt, people.stc, codes["Hoàn thiện hồ sơ đất"], "Xong", now=at(d(11, 20)))
    await svc.confirm_done(rt, people.admin, codes["Hoàn thiện hồ sơ đất"], now=at(d(11, 20)))
    await svc.reopen(rt, people.admin, codes["Kiểm tra trường học"], "Chưa đạt", now=at(d(11, 20)))
    await svc.cancel(rt, people.admin, codes["Theo dõi thường xuyên"], "Thôi theo dõi", now=at(d(11, 20)))
    await svc.request_extension(rt, people.ward, codes["Việc còn hạn"], d(1, 30, 2027), "Thêm thời gian",
                                now=at(d(11, 20)))
    await svc.decide_extension(rt, people.leader, codes["Việc còn hạn"], True, now=at(d(11, 20)))
    await assert_agree(rt, d(11, 20), "imported directives worked on")
    await merge(rt)
    await assert_agree(rt, d(11, 20), "merged")


async def test_failing_use_cases_leave_the_tallies_as_they_were(rt, people):
    cards = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát", ["SXD", "STC"], ["SYT"], d(9, 30)),
        svc.NewDirective("Kiểm tra", ["SYT"], [], d(9, 20)),
    ], now=at(d(9, 1)))
    a, b = (c.code for c in cards)
    drafts = await svc.create_directives(rt, people.leader, [svc.NewDirective("Dự thảo", ["SXD"], [], d(9, 10))],
                                         now=at(d(9, 1)), as_draft=True)
    await svc.report_done(rt, people.syt, b, "Xong", now=at(d(9, 5)))
    await merge(rt)
    before = await tally_rows(rt)

    bad_file = svc.FileRef(kind="video", file_id="x", file_unique_id="y")
    failures = [
        # Fails after the flush that wrote the new marks (the files are checked after the event is flushed).
        lambda: svc.report_done(rt, people.sxd, a, "Xong", files=[bad_file], now=at(d(9, 10))),
        lambda: svc.report_done(rt, people.stc, a, "Xong", files=[bad_file], now=at(d(9, 12))),
        lambda: svc.cancel(rt, people.admin, a, "   ", now=at(d(9, 10))),
        lambda: svc.send_back(rt, people.admin, b, "", now=at(d(9, 10))),
        lambda: svc.confirm_done(rt, people.admin, a, now=at(d(9, 10))),
        lambda: svc.confirm_draft(rt, people.leader, drafts[0].code, now=at(d(9, 11))),  # deadline passed
        lambda: svc.request_extension(rt, people.sxd, a, d(9, 20), "Sớm hơn hạn", now=at(d(9, 10))),
        lambda: svc.create_directives(rt, people.leader, [
            svc.NewDirective("Hợp lệ", ["SXD"], [], d(10, 1)),
            svc.NewDirective("Đơn vị lạ", ["KHONGCO"], [], d(10, 1))], now=at(d(9, 10))),
        lambda: svc.create_directives(rt, people.leader, [
            svc.NewDirective("Hợp lệ", ["SXD"], [], d(10, 1)),
            svc.NewDirective("Hạn đã qua", ["SXD"], [], d(9, 1))], now=at(d(9, 10))),
    ]
    for n, fail in enumerate(failures):
        with pytest.raises(DomainError):
            await fail()
        assert await tally_rows(rt) == before, f"failure {n} changed the tallies"
    await assert_agree(rt, d(9, 12), "after failures", full=False)

    # An extension approved after its date passed is refused after the request row was changed.
    await svc.request_extension(rt, people.sxd, a, d(10, 5), "Thiếu số liệu", now=at(d(9, 10)))
    before = await tally_rows(rt)
    with pytest.raises(DomainError):
        await svc.decide_extension(rt, people.leader, a, True, now=at(d(10, 6)))
    assert await tally_rows(rt) == before
    await assert_agree(rt, d(10, 6), "after refused approval", full=False)
