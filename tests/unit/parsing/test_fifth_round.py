"""Issue 25, fifth round: classes of writing seen failing on the fresh corpus's parts used as development data
(test, test2, test3 and dev), in short sentences written for these tests in the style of notices and press
summaries: warnings that make someone answerable, photo captions, closing formulas, a title shared by a list
after a colon, voters' requests quoted in an answer."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.parsing import DraftDirective, UnitIndex, parse_message
from tests.unit.parsing.test_unseen_writing import GROUPS, UNITS

AT = datetime.fromisoformat("2026-11-20T09:00:00+07:00")


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    return UnitIndex(UNITS, GROUPS)


def _read(index: UnitIndex, text: str, at: datetime = AT) -> list[DraftDirective]:
    result = parse_message(text, at=at, calendar=WorkingCalendar(), index=index)
    return list(result.directives) if result.kind == "directives" else []


def test_a_warning_that_makes_the_units_answerable_is_no_task(index: UnitIndex) -> None:
    drafts = _read(index, "UBND tỉnh giao Sở Y tế kiểm tra các cơ sở khám bệnh trên địa bàn. Giám đốc Sở Y tế, "
                          "Chủ tịch UBND các huyện chịu trách nhiệm trước Chủ tịch UBND tỉnh nếu để xảy ra dịch bệnh.")
    assert [d.lead for d in drafts] == [("SYT",)] and "trách nhiệm" not in drafts[0].content


def test_a_warning_after_a_condition_is_no_task_either(index: UnitIndex) -> None:
    drafts = _read(index, "Sở Xây dựng rà soát các công trình chậm tiến độ. Trong trường hợp để chậm trễ, người đứng "
                          "đầu các địa phương chịu hoàn toàn trách nhiệm trước UBND tỉnh.")
    assert [d.lead for d in drafts] == [("SXD",)] and "trách nhiệm" not in drafts[0].content


def test_a_warning_with_no_subject_does_not_go_on_with_the_task_before(index: UnitIndex) -> None:
    drafts = _read(index, "Sở Nông nghiệp và Môi trường đề xuất giải pháp xử lý các điểm ô nhiễm. Chịu trách nhiệm "
                          "trước UBND tỉnh nếu tình trạng ô nhiễm không được cải thiện.")
    assert [d.lead for d in drafts] == [("SNNMT",)] and drafts[0].content.endswith("các điểm ô nhiễm")


def test_a_unit_given_responsibility_for_a_result_keeps_its_task(index: UnitIndex) -> None:
    [d] = _read(index, "Giao Sở Tài chính chịu trách nhiệm trước UBND tỉnh về số liệu báo cáo quyết toán.")
    assert d.lead == ("STC",) and "số liệu báo cáo quyết toán" in d.content
