"""The report's numbers against a dataset worked out by hand (tests/integration/report_data.py).

November 2026 as of Monday 30/11 (A). In scope, drafts (D14) never and D15 (assigned 1/12) not yet:
new = D01 D02 D03 D04 D08 D10 D11 D12 D13 D19 D20 (11) + D09 cancelled 16/11;
carried = D05 (done 2/11, on the period's first day) D06 (open) D16 (done 25/11) (3) + D18 cancelled 10/11;
D07 (done in October) and D17 (cancelled in October) are out.
Classes: done on time D01, D05 (deadline Sat 31/10 runs to Mon 2/11), D10 (extended 16/11 → 27/11),
D11 (reported 27/11, confirmed later: the report's day counts) = 4; done late D02 (2 days), D16 (20 days)
= 2; in time D04, D13 (awaiting, reported in time), D19 (deadline Sat 28/11 runs to Mon 30/11), D20 (done
2/12, after A) = 4; overdue D03 (5 days), D06 (61 days), D12 (awaiting, reported 24/11 for 20/11: 4 days)
= 3; standing D08 = 1. Total 14; rate 4 ÷ (4 + 2 + 3) = 44,4 %.
Lead units: SXD D01 D02 D03 D10 D20 (+D09 cancelled); STC D03 D04 D05 D11 D16 (+D18); SYT D06 D12;
P-THUANHOA D08 D19; P-THUANAN D13 — 15 unit rows' worth for 14 directives (D03 has two leads).
Support apart: STC and VP (D01), SYT (D03); VP leads nothing.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.reports import counts, numbers
from bot.reports.counts import Counts
from bot.services import reports as svc
from tests.integration.report_data import AN, BINH, build

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
LATER = date(2026, 12, 5)


@pytest.fixture
async def november(rt, people):
    await build(rt, people)
    return counts.make_scope(*NOVEMBER, LATER, period="2026-11")


async def figures(rt, scope):
    async with rt.sessions() as session:
        return await numbers.compute(session, scope)


async def test_the_province_total_counts_each_directive_once_in_its_class_as_of_the_period_end(rt, november):
    report = await figures(rt, november)
    assert report.scope.as_of == date(2026, 11, 30)
    assert report.total == Counts(carried=3, new=11, done_on_time=4, done_late=2, on_time=4, overdue=3,
                                  standing=1, awaiting=2, cancelled=2)
    assert report.total.total == 14 and report.total.due == 9
    assert round(report.total.rate, 4) == round(4 / 9, 4)


async def test_each_lead_unit_counts_what_it_leads_and_what_it_supports_apart(rt, november):
    units = {u.code: u for u in (await figures(rt, november)).units}
    assert units["SXD"].lead == Counts(new=5, done_on_time=2, done_late=1, on_time=1, overdue=1, cancelled=1)
    assert units["STC"].lead == Counts(carried=2, new=3, done_on_time=2, done_late=1, on_time=1, overdue=1,
                                       cancelled=1)
    assert units["SYT"].lead == Counts(carried=1, new=1, overdue=2, awaiting=1)
    assert units["P-THUANHOA"].lead == Counts(new=2, on_time=1, standing=1)
    assert units["P-THUANAN"].lead == Counts(new=1, on_time=1, awaiting=1)
    assert units["VP"].lead == Counts() and units["VP"].support == Counts(new=1, done_on_time=1)
    assert units["STC"].support == Counts(new=1, done_on_time=1)
    assert units["SYT"].support == Counts(new=1, overdue=1)
    assert sum(u.lead.total for u in units.values()) == 15, "D03 counts for both of its lead units"


async def test_leaders_and_the_overdue_list_follow_the_same_rule(rt, people, november):
    report = await figures(rt, november)
    leaders = {row.name: row.counts for row in report.leaders}
    assert leaders[AN] == Counts(carried=1, new=3, done_on_time=2, done_late=1, overdue=1)
    assert leaders[BINH] == Counts(carried=1, new=4, done_on_time=2, on_time=1, overdue=2, awaiting=1)
    assert leaders["Phó Chủ tịch"] == Counts(new=2, on_time=1, standing=1, awaiting=1)
    assert leaders[None].total == 3
    assert [(o.code, o.days_late, o.awaiting) for o in report.overdue] == [
        ("D06", 61, False), ("D03", 5, False), ("D12", 4, True)]
    assert report.overdue[1].lead == ("Sở Xây dựng", "Sở Tài chính")


async def test_status_is_judged_as_of_the_date_asked_not_today(rt, november):
    scope = counts.make_scope(*NOVEMBER, LATER, as_of=date(2026, 11, 20))
    report = await figures(rt, scope)
    assert report.total == Counts(carried=3, new=11, done_on_time=2, done_late=1, on_time=8, overdue=2,
                                  standing=1, cancelled=2)
    assert [(o.code, o.days_late) for o in report.overdue] == [("D06", 51), ("D16", 15)]


async def test_a_one_unit_report_shows_its_lead_work_and_its_support_apart(rt, november):
    scope = counts.make_scope(*NOVEMBER, LATER, unit_code="stc")
    report = await figures(rt, scope)
    assert report.unit_name == "Sở Tài chính"
    assert report.total == Counts(carried=2, new=3, done_on_time=2, done_late=1, on_time=1, overdue=1, cancelled=1)
    assert [(u.code, u.support.total) for u in report.units] == [("STC", 1)]
    assert [o.code for o in report.overdue] == ["D03"]


def test_an_as_of_date_before_the_period_or_in_the_future_is_refused():
    from bot.errors import DomainError

    with pytest.raises(DomainError, match="report.as_of_before_start"):
        counts.make_scope(*NOVEMBER, LATER, as_of=date(2026, 10, 31))
    with pytest.raises(DomainError, match="report.as_of_future"):
        counts.make_scope(*NOVEMBER, date(2026, 11, 20), as_of=date(2026, 11, 30))


async def test_the_workbook_read_back_carries_the_exact_numbers(rt, people, november):
    report = await figures(rt, november)
    file = await svc.report_file(rt, people.admin, november, "xlsx", "vi", now=svc_now())
    book = load_workbook(BytesIO(file.data))
    units, listing = book.worksheets[0], book.worksheets[1]
    assert "tháng 11/2026" in units["A1"].value and "30/11/2026" in units["A1"].value
    header = [c.value for c in units[3]]
    assert header == ["STT", "Đơn vị", "Tổng số", "Kỳ trước chuyển sang", "Giao trong kỳ", "Hoàn thành đúng hạn",
                      "Hoàn thành quá hạn", "Đang thực hiện trong hạn", "Đang thực hiện quá hạn", "Thường xuyên",
                      "Tỷ lệ hoàn thành đúng hạn (%)"]
    rows = [[c.value for c in row] for row in units.iter_rows(min_row=4, max_row=9)]
    assert rows == [
        [1, "UBND phường Thuận An", 1, 0, 1, 0, 0, 1, 0, 0, None],
        [2, "UBND phường Thuận Hóa", 2, 0, 2, 0, 0, 1, 0, 1, None],
        [3, "Sở Tài chính", 5, 2, 3, 2, 1, 1, 1, 0, 50.0],
        [4, "Sở Xây dựng", 5, 0, 5, 2, 1, 1, 1, 0, 50.0],
        [5, "Sở Y tế", 2, 1, 1, 0, 0, 0, 2, 0, 0.0],
        [None, "Tổng cộng", 14, 3, 11, 4, 2, 4, 3, 1, 44.4],
    ]
    assert units.freeze_panes == "C4"
    assert report.total.cancelled == 2 and any("huỷ (không tính): 2" in str(r[0].value) for r in units.iter_rows())
    head = [c.value for c in listing[1]]
    assert head[:3] == ["Mã", "Số/ký hiệu văn bản", "Ngày văn bản"] and head[-1] == "Số ngày trễ"
    by_code = {r[0].value: [c.value for c in r] for r in listing.iter_rows(min_row=2)}
    assert set(by_code) == {f"D{n:02d}" for n in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 16, 18, 19, 20)}
    d16 = by_code["D16"]
    assert d16[4] == "Sở Tài chính" and d16[9] == "Hoàn thành quá hạn" and d16[11] == 20
    assert d16[10].date() == date(2026, 11, 25), "a real date cell"
    assert by_code["D03"][4] == "Sở Xây dựng; Sở Tài chính" and by_code["D03"][5] == "Sở Y tế"
    assert by_code["D06"][11] == 61 and by_code["D20"][9] == "Đang thực hiện trong hạn"
    assert by_code["D20"][10] is None, "completed after the as-of date: not yet done then"
    assert by_code["D09"][9] == "Đã huỷ"


def svc_now():
    from datetime import UTC, datetime

    return datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


async def test_the_chart_is_a_png_of_the_expected_size(rt, people, november):
    from PIL import Image

    from bot.reports.chart import chart_size

    file = await svc.report_file(rt, people.admin, november, "png", "vi", now=svc_now())
    image = Image.open(BytesIO(file.data))
    assert image.format == "PNG" and image.size == chart_size(5)


async def test_the_word_report_holds_the_motto_the_figures_and_the_overdue_list(rt, people, november):
    from docx import Document

    file = await svc.report_file(rt, people.admin, november, "docx", "vi", now=svc_now())
    document = Document(BytesIO(file.data))
    header = document.tables[0]
    words = " ".join(c.text for row in header.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in words and "Độc lập - Tự do - Hạnh phúc" in words
    assert "ngày 05 tháng 12 năm 2026" in words
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Tình hình thực hiện ý kiến chỉ đạo" in body and "tháng 11/2026" in body
    assert "Tổng số nhiệm vụ theo dõi: 14 (kỳ trước chuyển sang 3, giao trong kỳ 11)" in body
    assert "Tỷ lệ hoàn thành đúng hạn: 44,4 % (4/9)" in body
    overdue = document.tables[2]
    assert [r.cells[1].text for r in overdue.rows[1:]] == ["D06", "D03", "D12"]
    closing = " ".join(c.text for row in document.tables[-1].rows for c in row.cells)
    assert "Nơi nhận:" in closing


async def test_a_one_unit_word_report_states_the_support_work_the_summary_shows(rt, people, november):
    from docx import Document

    from bot.reports.labels import summary

    scope = counts.make_scope(*NOVEMBER, LATER, unit_code="VP", period="2026-11")
    report = await figures(rt, scope)
    assert "Phối hợp (không tính vào số liệu trên): 1 nhiệm vụ, 0 quá hạn" in summary(report, "vi", html=False)
    file = await svc.report_file(rt, people.admin, scope, "docx", "vi", now=svc_now(), figures=report)
    body = "\n".join(p.text for p in Document(BytesIO(file.data)).paragraphs)
    assert ("Phối hợp (không tính vào số liệu trên): 1 nhiệm vụ do đơn vị khác chủ trì, trong đó đã hoàn thành 1, "
            "đang thực hiện trong hạn 0, đang thực hiện quá hạn 0, thường xuyên 0.") in body
    province = await svc.report_file(rt, people.admin, november, "docx", "vi", now=svc_now())
    assert "Phối hợp" not in "\n".join(p.text for p in Document(BytesIO(province.data)).paragraphs), \
        "the province's report counts no unit's support work"


async def test_the_same_report_is_computed_once_until_a_directive_changes(rt, people, november):
    from bot.services import directives
    from tests.conftest import NOW

    first = await svc.report(rt, people.admin, november, leaders=False)
    assert await svc.report(rt, people.admin, november, leaders=False) is first, "the buttons reuse it"
    [card] = await directives.create_directives(rt, people.leader, [directives.NewDirective(
        "Việc mới", ["SXD"], [], date(2026, 11, 25))], now=NOW)
    again = await svc.report(rt, people.admin, november, leaders=False)
    assert again is not first and again.total.new == first.total.new + 1, card.code
