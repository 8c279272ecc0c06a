"""Rules for passages pasted from real documents: lines broken by the copy, shortened unit names, two
subjects in one sentence, lists that name nobody, narration around the directive, closing formulas.
Our own wordings, on a made-up province."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.units import Unit, UnitGroup
from bot.parsing import UnitIndex, parse_message, to_corpus_json

UNITS = [
    Unit("STC", "Sở Tài chính", "department", ("sn",), ("Sở Kế hoạch và Đầu tư",)),
    Unit("SXD", "Sở Xây dựng", "department", ("sn",), ("Sở Giao thông vận tải",)),
    Unit("SYT", "Sở Y tế", "department", ("sn",)),
    Unit("SNV", "Sở Nội vụ", "department", ("sn",), ("Sở Lao động - Thương binh và Xã hội",)),
    Unit("TTR", "Thanh tra tỉnh", "agency", ("sn",), ("Thanh tra",)),
    Unit("BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh", "agency", ("sn",), ("Ban Quản lý các KCN",)),
    Unit("H-DONGA", "UBND huyện Đông A", "district", ("huyen",), ("huyện Đông A",)),
    Unit("H-TAYB", "UBND huyện Tây B", "district", ("huyen",), ("huyện Tây B",)),
    Unit("H-NAMC", "UBND huyện Nam C", "district", ("huyen",), ("huyện Nam C",)),
]
GROUPS = [
    UnitGroup("sn", "Các sở, ban, ngành", ("các sở, ngành", "các sở", "các ban, ngành"),
              ("STC", "SXD", "SYT", "SNV", "TTR", "BQLKCN")),
    UnitGroup("huyen", "UBND các huyện, thành phố", ("UBND các huyện", "UBND thành phố và các huyện"),
              ("H-DONGA", "H-TAYB", "H-NAMC")),
]
AT = datetime.fromisoformat("2026-11-20T09:00:00+07:00")


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    return UnitIndex(UNITS, GROUPS)


def drafts(text: str, index: UnitIndex) -> list[dict]:
    got = to_corpus_json(parse_message(text, at=AT, calendar=WorkingCalendar(), index=index))
    assert "directives" in got, got
    return got["directives"]


def only(text: str, index: UnitIndex) -> dict:
    found = drafts(text, index)
    assert len(found) == 1, found
    return found[0]


def test_a_sentence_broken_across_lines_by_the_copy_is_read_whole(index: UnitIndex) -> None:
    d = only("Thực hiện Kế hoạch số 7/KH-UBND ngày\n3/11/2026, Chủ\ntịch UBND tỉnh yêu cầu Giám đốc các sở,\n"
             "Chủ tịch UBND các huyện rà soát\nkế hoạch vốn năm sau.", index)
    assert d["lead"] == ["#sn", "#huyen"] and "rà soát kế hoạch vốn" in d["content"]


def test_numbered_lines_stay_apart_when_lines_are_joined(index: UnitIndex) -> None:
    found = drafts("Ý kiến kết luận như sau\n1. Sở Y tế kiểm tra bếp ăn tập thể.\n2. Sở Xây dựng kiểm tra nhà tạm.", index)
    assert [d["lead"] for d in found] == [["SYT"], ["SXD"]]


def test_the_initials_of_a_units_words_name_it(index: UnitIndex) -> None:
    assert only("Ban QLCKCN nhắc nhở doanh nghiệp khai báo người lao động.", index)["lead"] == ["BQLKCN"]


def test_a_second_subject_after_a_comma_takes_its_own_task(index: UnitIndex) -> None:
    found = drafts("UBND tỉnh yêu cầu Sở Y tế kiểm tra các bếp ăn tập thể, Sở Xây dựng rà soát nhà tạm.", index)
    assert [(d["lead"], d["content"]) for d in found] == [(["SYT"], "kiểm tra các bếp ăn tập thể"),
                                                          (["SXD"], "rà soát nhà tạm")]


@pytest.mark.parametrize("text", [
    "Giao Sở Y tế, Sở Xây dựng kiểm tra nhà tạm ở các trường học.",
    "Sở Xây dựng chủ trì kiểm tra cầu yếu trên tỉnh lộ, Sở Tài chính phối hợp.",
    "Ngày 12/11/2026, Sở Xây dựng kiểm tra cầu yếu trên tỉnh lộ.",
])
def test_a_comma_inside_a_list_or_before_helpers_starts_nothing(index: UnitIndex, text: str) -> None:
    assert len(drafts(text, index)) == 1


def test_a_title_whose_last_words_begin_the_units_name(index: UnitIndex) -> None:
    d = only("Chủ tịch UBND tỉnh giao Chánh Thanh tra tỉnh tổng hợp kết quả thanh tra của thanh tra sở, thanh tra "
             "huyện báo cáo UBND tỉnh.", index)
    assert d["lead"] == ["TTR"] and "thanh tra huyện" in d["content"]


def test_bodies_and_related_after_a_group_name_nobody(index: UnitIndex) -> None:
    d = only("Giao Sở Nội vụ phối hợp các sở, ngành, đơn vị liên quan rà soát biên chế.", index)
    assert (d["lead"], d["support"]) == (["SNV"], [])


def test_a_qualifier_after_a_group_keeps_the_list_going(index: UnitIndex) -> None:
    d = only("UBND tỉnh yêu cầu lãnh đạo các sở, ngành thuộc tỉnh, Chủ tịch UBND các huyện báo cáo kết quả.", index)
    assert d["lead"] == ["#sn", "#huyen"]


def test_titles_spread_over_a_group(index: UnitIndex) -> None:
    d = only("Chủ tịch UBND tỉnh yêu cầu Giám đốc các sở, Trưởng các ban, ngành, đơn vị cấp tỉnh, Chủ tịch UBND "
             "các huyện lập kế hoạch vốn.", index)
    assert d["lead"] == ["#sn", "#huyen"]


def test_district_names_after_the_district_group_name_those_districts(index: UnitIndex) -> None:
    d = only("Giao Sở Y tế phối hợp Chủ tịch UBND các huyện Đông A, Tây B kiểm tra trạm y tế.", index)
    assert d["support"] == ["H-DONGA", "H-TAYB"]


def test_a_named_leader_before_the_office_is_the_issuer(index: UnitIndex) -> None:
    d = only("Ông Trần Văn Bình - Phó Chủ tịch UBND tỉnh đề nghị Sở Xây dựng kiểm tra cầu yếu; báo cáo chậm nhất "
             "trong ngày 27/11.", index)
    assert (d["lead"], d["deadline"], d["content"]) == (["SXD"], "2026-11-27", "kiểm tra cầu yếu; báo cáo")


def test_giving_responsibility_assigns(index: UnitIndex) -> None:
    assert only("UBND tỉnh giao trách nhiệm Sở Y tế kiểm tra bếp ăn tập thể.", index)["lead"] == ["SYT"]


def test_what_a_unit_did_or_is_doing_is_no_task(index: UnitIndex) -> None:
    d = only("Sở Xây dựng đã làm việc với UBND huyện Đông A. UBND huyện Đông A đang xử lý. Giao UBND huyện Đông A "
             "xử lý dứt điểm trước ngày 30/11.", index)
    assert (d["lead"], d["deadline"]) == (["H-DONGA"], "2026-11-30")


def test_a_place_in_an_address_is_no_subject(index: UnitIndex) -> None:
    d = only("UBND tỉnh nhận được đơn của hộ dân xã Bắc, huyện Đông A (đơn ghi ngày 2/11) do Bộ chuyển đến, UBND tỉnh "
             "có ý kiến như sau:\nGiao Sở Xây dựng kiểm tra, hoàn thành trong tháng 12/2026.", index)
    assert (d["lead"], d["support"], d["deadline"]) == (["SXD"], [], "2026-12-31")


def test_directing_its_own_units_goes_on_with_the_task(index: UnitIndex) -> None:
    d = only("Giao Sở Y tế thẩm định hồ sơ; chỉ đạo Trung tâm Y tế các huyện hướng dẫn trạm y tế xã.", index)
    assert d["lead"] == ["SYT"] and d["unresolved"] == []


def test_directing_units_in_a_sentence_of_its_own_is_a_new_directive(index: UnitIndex) -> None:
    found = drafts("Giao Sở Y tế thẩm định hồ sơ.\nChỉ đạo UBND các huyện rà soát trạm y tế xã.", index)
    assert [d["lead"] for d in found] == [["SYT"], ["#huyen"]]


def test_a_closing_order_to_carry_out_adds_no_task(index: UnitIndex) -> None:
    d = only("Sở Xây dựng khẩn trương hoàn thiện hồ sơ dự án. Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở Xây dựng và "
             "thủ trưởng các đơn vị có liên quan triển khai thực hiện.", index)
    assert d["content"] == "khẩn trương hoàn thiện hồ sơ dự án"


def test_units_after_a_semicolon_may_still_be_the_objects_of_a_verb(index: UnitIndex) -> None:
    d = only("Sở Tài chính đôn đốc các sở, ngành liên quan; UBND các huyện khẩn trương nộp báo cáo; tổng hợp, báo cáo "
             "UBND tỉnh trước ngày 5/12.", index)
    assert (d["lead"], d["deadline"]) == (["STC"], "2026-12-05")


def test_entries_of_a_list_announced_by_gom_are_no_subjects(index: UnitIndex) -> None:
    found = drafts("UBND tỉnh chỉ đạo Sở Xây dựng thành lập đoàn kiểm tra. Nội dung kiểm tra gồm: Thanh tra việc cấp "
                   "phép xây dựng. UBND tỉnh yêu cầu Sở Xây dựng báo cáo kết quả trước ngày 15/12.", index)
    assert [(d["lead"], d["deadline"]) for d in found] == [(["SXD"], None), (["SXD"], "2026-12-15")]


def test_a_line_announcing_the_entries_below_names_nobody(index: UnitIndex) -> None:
    found = drafts("Các cơ quan, đơn vị sau đây chịu trách nhiệm thực hiện Kế hoạch:\n1. Sở Tài chính bố trí kinh phí.\n"
                   "2. Sở Y tế tổ chức tiêm chủng.", index)
    assert [d["lead"] for d in found] == [["STC"], ["SYT"]]
