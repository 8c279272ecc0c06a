from __future__ import annotations

import pytest

from tests.unit.parsing.conftest import Parse


def test_a_lettered_list_gives_one_draft_per_letter(parse: Parse) -> None:
    result = parse(
        "Ý kiến chỉ đạo của Chủ tịch UBND tỉnh về phòng cháy:\n"
        "a) Công an tỉnh kiểm tra các cơ sở karaoke, hạn 10/12.\n"
        "b) Giao Sở Xây dựng rà soát nhà cao tầng trong 15 ngày.\n"
        "c) UBND các xã, phường tuyên truyền người dân."
    )
    assert [d.lead for d in result.directives] == [("CA",), ("SXD",), ("#dia-phuong",)]


def test_a_preamble_that_assigns_nothing_makes_no_draft(parse: Parse) -> None:
    result = parse("Đồng ý chủ trương tổ chức lễ hội ánh sáng. Giao Sở Văn hóa, Thể thao và Du lịch lập kế hoạch.")
    assert len(result.directives) == 1
    assert result.directives[0].lead == ("SVHTTDL",)
    assert "lễ hội" not in result.directives[0].content


def test_the_short_form_names_the_lead_by_its_code(one) -> None:
    draft = one("@STP @SYT thẩm định hồ sơ xin phép, hạn 2/12")
    assert draft.lead == ("STP", "SYT")
    assert draft.content == "thẩm định hồ sơ xin phép"


def test_units_after_chu_tri_and_before_phoi_hop_are_support(one) -> None:
    draft = one("Sở Xây dựng chủ trì, Sở Tài chính, Công an tỉnh phối hợp lập phương án phân luồng giao thông.")
    assert (draft.lead, draft.support) == (("SXD",), ("STC", "CA"))
    assert draft.content == "lập phương án phân luồng giao thông"


def test_several_leads_share_the_task_before_phoi_hop_voi(one) -> None:
    draft = one("UBND phường Thuận An, UBND xã Phong Điền phối hợp với Sở NN&MT xử lý rác thải.")
    assert (draft.lead, draft.support) == (("P-THUANAN", "X-PHONGDIEN"), ("SNNMT",))


def test_a_unit_named_as_the_object_of_the_task_is_not_an_assignee(one) -> None:
    draft = one("Giao Sở Y tế hoàn thiện dự thảo, gửi Sở Tư pháp thẩm định, báo cáo UBND tỉnh trước 30/11.")
    assert (draft.lead, draft.support) == (("SYT",), ())
    assert "gửi Sở Tư pháp thẩm định" in draft.content


def test_the_localities_a_department_must_guide_are_not_assignees(one) -> None:
    assert one("Sở Tài chính hướng dẫn các địa phương quyết toán vốn.").lead == ("STC",)


def test_relevant_units_in_general_add_nobody(one) -> None:
    draft = one("Giao Sở Tư pháp chủ trì, phối hợp với các cơ quan có liên quan rà soát văn bản.")
    assert (draft.lead, draft.support) == (("STP",), ())


def test_a_group_phrase_stays_a_group(one) -> None:
    draft = one("Các sở, ngành rà soát thủ tục hành chính, hạn 15/12.")
    assert draft.lead == ("#so-nganh",)
    assert draft.lead_groups == ("so-nganh",)
    assert draft.lead_units == ()


def test_a_unit_missing_from_the_list_is_reported_not_dropped(one) -> None:
    draft = one("Giao Sở Y tế và Sở Lao động Việc làm khảo sát nhu cầu nhân lực.")
    assert draft.lead == ("SYT",)
    assert draft.unresolved == ("Sở Lao động Việc làm",)
    assert "unresolved_unit" in draft.problems


def test_a_near_neighbour_ward_is_not_guessed(one) -> None:
    draft = one("Giao UBND phường Thuận Hao dọn vệ sinh bãi biển.")
    assert draft.lead == ()
    assert draft.unresolved == ("UBND phường Thuận Hao",)


def test_a_sentence_that_only_sets_the_time_belongs_to_the_directive_before_it(one) -> None:
    draft = one("Giao Sở Xây dựng sửa chữa trụ sở. Thời gian hoàn thành: trước ngày 20/12.")
    assert str(draft.deadline) == "2026-12-20"
    assert draft.content == "sửa chữa trụ sở"


def test_a_later_phoi_hop_sentence_adds_support_to_the_directive_before_it(one) -> None:
    draft = one("Giao Công an tỉnh bảo đảm an ninh lễ hội. Sở Y tế phối hợp.")
    assert (draft.lead, draft.support) == (("CA",), ("SYT",))


def test_the_notice_number_in_the_heading_is_the_source(parse: Parse) -> None:
    result = parse("Thông báo 45/TB-VP ngày 18/11/2026:\n1. Sở Y tế tiêm chủng bổ sung trong tháng 12/2026.")
    assert result.directives[0].source == "45/TB-VP"
    assert str(result.directives[0].deadline) == "2026-12-31"


def test_an_assignment_verb_without_a_unit_still_makes_a_draft_that_asks_for_one(one) -> None:
    draft = one("Đề nghị khẩn trương hoàn thiện hồ sơ dự án, hạn 4/12.")
    assert draft.lead == ()
    assert "no_lead" in draft.problems


def test_an_unnumbered_line_goes_on_with_the_list_entry_above_it(parse: Parse) -> None:
    result = parse("1. Giao Sở Y tế khảo sát trạm y tế xã.\nThời gian thực hiện: trong quý II/2027.\n"
                   "2. Giao Sở Tài chính bố trí kinh phí.")
    first, second = result.directives
    assert (str(first.deadline), first.content) == ("2027-06-30", "khảo sát trạm y tế xã")
    assert second.deadline is None


def test_a_heading_line_is_not_part_of_the_directive_above_it(parse: Parse) -> None:
    result = parse("Về y tế:\nGiao Sở Y tế khảo sát.\nVề tài chính:\nGiao Sở Tài chính bố trí kinh phí.")
    assert [d.content for d in result.directives] == ["khảo sát", "bố trí kinh phí"]


def test_an_aside_in_brackets_after_the_lead_is_not_content(one) -> None:
    draft = one("Giao Sở KH&ĐT (nay là Sở Tài chính) rà soát vốn đầu tư công.")
    assert (draft.lead, draft.content) == (("STC",), "rà soát vốn đầu tư công")


def test_a_unit_name_alone_assigns_nothing(parse: Parse) -> None:
    assert parse("Sở Tài chính").kind == "unknown"


def test_a_persons_title_before_a_unit_assigns_the_unit(one) -> None:
    draft = one("Đề nghị Giám đốc Sở Y tế, Chủ tịch UBND xã Phong Điền chấn chỉnh kỷ luật, kỷ cương.")
    assert draft.lead == ("SYT", "X-PHONGDIEN")


def test_the_province_leadership_that_directs_is_never_an_assignee(one) -> None:
    draft = one("Phó Chủ tịch UBND tỉnh chỉ đạo: Sở Tư pháp rà soát quy chế.")
    assert (draft.lead, draft.unresolved) == (("STP",), ())


@pytest.mark.parametrize("text", [
    "UBND các xã, phường, đặc khu chủ động rà soát các điểm sạt lở.",
    "UBND các xã, phường và đặc khu chủ động rà soát các điểm sạt lở.",
    "Giao UBND các xã, phường, thị trấn chủ động rà soát các điểm sạt lở.",
])
def test_a_province_whose_group_says_only_xa_phuong_still_reads_dac_khu_as_part_of_it(one, text: str) -> None:
    draft = one(text)
    assert draft.lead == ("#dia-phuong",) and draft.content == "chủ động rà soát các điểm sạt lở", draft


def test_an_unknown_list_of_local_government_kinds_is_asked_about_whole(parse: Parse) -> None:
    [draft] = parse("Yêu cầu UBND các quận, huyện, thị xã rà soát kinh phí trước ngày 13/12/2026.").directives
    assert (draft.lead, draft.content) == ((), "rà soát kinh phí")
    assert draft.unresolved == ("UBND các quận, huyện, thị xã",) and draft.questions == ("unit:UBND các quận, huyện, thị xã",)
