"""Issue 25, eighth round: classes of writing seen failing on the fresh corpus (test6 used as development data with
the parts before it), in short sentences written for these tests in the style of telegrams and letters."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.units import Unit, UnitGroup
from bot.parsing import UnitIndex
from tests.unit.parsing.unseen.province import GROUPS, UNITS, read

SCHOOLS = Unit("SGDDT", "Sở Giáo dục và Đào tạo", "department", ("so-nganh",), ())
CULTURE = Unit("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "department", ("so-nganh",), ())


def test_a_title_before_the_departments_shared_head_goes_on_with_the_list(index: UnitIndex) -> None:
    [d] = read(index, "Phó Chủ tịch UBND tỉnh yêu cầu Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh; Giám đốc Công an tỉnh; "
                      "Giám đốc các Sở: Nông nghiệp và Môi trường; Xây dựng; Y tế; Chủ tịch UBND các xã, phường chủ "
                      "động triển khai các biện pháp ứng phó với bão.")
    assert d.lead == ("BCHQS", "CA", "SNNMT", "SXD", "SYT", "#dia-phuong")
    assert d.content.startswith("chủ động triển khai")


def test_the_departments_shared_head_is_not_read_as_every_department() -> None:
    departments = UnitGroup("so-nganh", "Các sở, ban, ngành", ("các sở",), GROUPS[0].members)
    index = UnitIndex(UNITS, [departments, *GROUPS[1:]])
    [d] = read(index, "UBND tỉnh yêu cầu Giám đốc Công an tỉnh; Giám đốc các Sở: Xây dựng; Tư pháp chủ động rà soát "
                      "các công trình.")
    assert d.lead == ("CA", "SXD", "STP")


def test_a_department_named_short_of_its_and_is_that_department() -> None:
    index = UnitIndex([*UNITS, SCHOOLS, CULTURE], GROUPS)
    [d] = read(index, "UBND tỉnh giao Sở Giáo dục chủ trì, phối hợp với Sở Văn hóa tổ chức hội thi bơi cho học sinh.")
    assert (d.lead, d.support, d.unresolved) == (("SGDDT",), ("SVHTTDL",), ())


def test_a_short_name_two_departments_share_names_neither() -> None:
    twin = Unit("SGDNN", "Sở Giáo dục và Nghề nghiệp", "department", ("so-nganh",), ())
    index = UnitIndex([*UNITS, SCHOOLS, twin], GROUPS)
    [d] = read(index, "UBND tỉnh giao Sở Giáo dục tổ chức hội thi bơi cho học sinh.")
    assert "SGDDT" not in d.lead and "SGDNN" not in d.lead


def test_the_provinces_youth_union_opening_a_sentence_leads_its_own_task(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh giao Sở Y tế chủ trì tổ chức thực hiện các nhiệm vụ theo kế hoạch. Tỉnh "
                         "đoàn chủ trì, phối hợp với Sở Xây dựng đẩy mạnh công tác tuyên truyền.")
    assert [(d.lead, d.support, d.unresolved) for d in drafts] == [(("SYT",), (), ()), ((), ("SXD",), ("Tỉnh đoàn",))]
    assert "Tỉnh đoàn" not in drafts[0].content


def test_a_letter_issued_with_its_details_after_theo_do_is_not_a_task_of_its_own(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh ban hành văn bản số 2125 chỉ đạo tăng cường phòng, chống đuối nước cho trẻ "
                         "em. Theo đó, Chủ tịch UBND tỉnh giao Sở Y tế chủ trì tổ chức thực hiện các nhiệm vụ theo kế "
                         "hoạch.")
    assert [d.lead for d in drafts] == [("SYT",)]


def test_a_letter_issued_with_no_details_after_it_stays_a_task_whose_lead_is_asked(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh ban hành văn bản số 2125 chỉ đạo tăng cường trực 24/24 giờ. Giám đốc Sở "
                         "Y tế chủ trì chuẩn bị các phương tiện kết nối.")
    assert [d.lead for d in drafts] == [(), ("SYT",)]


def test_a_telegrams_closing_admonition_to_the_same_addressees_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu các sở, ngành, UBND các huyện tiếp tục thực hiện nghiêm các biện pháp phòng, "
                         "chống dịch. Chủ tịch UBND tỉnh cũng yêu cầu các sở, ngành, UBND các huyện nghiêm túc triển "
                         "khai thực hiện, không chủ quan, lơ là, mất cảnh giác./.")
    assert [d.lead for d in drafts] == [("#so-nganh", "#huyen")]


def test_a_decision_reported_as_just_ordered_with_nobody_named_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Do tình hình dịch bệnh, Chủ tịch UBND tỉnh vừa có chỉ đạo dừng tổ chức Lễ hội vải thiều năm "
                         "nay. Để hỗ trợ tiêu thụ vải thiều, UBND tỉnh yêu cầu Sở Xây dựng tiếp tục hỗ trợ vận chuyển.")
    assert [d.lead for d in drafts] == [("SXD",)]


def test_an_opinion_just_given_to_named_units_stays_their_task(index: UnitIndex) -> None:
    drafts = read(index, "Phó Chủ tịch UBND tỉnh vừa có ý kiến chỉ đạo các sở, ngành, UBND các xã, phường đẩy nhanh tiến "
                         "độ xóa nhà tạm. Hiện tại, các xã, phường đang tích cực triển khai thực hiện.")
    assert [d.lead for d in drafts][:1] == [("#so-nganh", "#dia-phuong")]


def test_a_summary_with_nobody_named_gives_way_to_the_details_after_theo_do(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh chỉ đạo tiếp tục các biện pháp phòng, chống dịch trên địa bàn huyện An Lão (Công văn "
                         "số 1307/UBND-KGVX, ngày 15/9/2021). Theo đó, UBND huyện An Lão chỉ đạo thực hiện giãn cách xã "
                         "hội theo Chỉ thị số 16/CT-TTg để phòng, chống dịch COVID-19 trên địa bàn huyện đến hết ngày "
                         "15/9/2021.", at=datetime.fromisoformat("2021-09-08T09:00:00+07:00"))
    assert [(d.lead, d.deadline) for d in drafts] == [(("H-ANLAO",), None)]


def test_the_units_of_the_province_go_on_with_a_list_of_addressees(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu thủ trưởng các sở, ngành, đơn vị của tỉnh, Chủ tịch UBND các xã, phường "
                      "theo chức năng, nhiệm vụ thực hiện nghiêm các nội dung theo chỉ đạo của Thủ tướng.")
    assert d.lead == ("#so-nganh", "#dia-phuong") and "Chủ tịch" not in d.content


def test_a_commands_force_named_alone_is_that_command(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Bộ đội Biên phòng tỉnh, Công an tỉnh tăng cường tuần tra trên biển.")
    assert d.lead == ("BDBP", "CA")


def test_a_place_named_as_the_speaker_opens_a_task_of_its_own(index: UnitIndex) -> None:
    drafts = read(index, "Sở Xây dựng khẩn trương kiểm tra, làm rõ thông tin. Quy Nhơn cũng đề nghị Sở Y tế tập trung "
                         "xử lý dứt điểm các điểm ô nhiễm.")
    assert [d.lead for d in drafts] == [("SXD",), ("SYT",)] and "Quy Nhơn" not in drafts[0].content


def test_the_units_listed_after_cac_don_vi_and_a_colon_are_departments_bare_or_bodies_in_full(index: UnitIndex) -> None:
    [d] = read(index, "UBND thành phố giao Thủ trưởng các đơn vị: Y tế, Bộ Chỉ huy Quân sự thành phố, Công an thành "
                      "phố, Xây dựng, Tư pháp và Chủ tịch UBND xã, phường tổ chức triển khai thực hiện ý kiến kết luận.")
    assert d.lead == ("SYT", "BCHQS", "CA", "SXD", "STP", "#dia-phuong")


def test_a_bodys_name_ending_in_a_place_takes_no_lower_case_word_after_it(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Công ty CP Vận tải Thái Nguyên đẩy nhanh tiến độ dự án bến xe.")
    assert d.unresolved == ("Công ty CP Vận tải Thái Nguyên",) and d.content.startswith("đẩy nhanh tiến độ")


def test_a_lower_case_word_between_capitals_stays_in_the_name(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Công ty Cổ phần Hoa Anh đào Trần Lệ phối hợp với Sở Y tế đề xuất hình thức tổ chức "
                      "sự kiện.")
    assert d.unresolved == ("Công ty Cổ phần Hoa Anh đào Trần Lệ",)


def test_the_local_government_where_it_happens_is_the_communes_and_asked() -> None:
    communes = UnitGroup("dia-phuong", "UBND các xã, phường", ("các địa phương", "các xã, phường"),
                         GROUPS[2].members)
    index = UnitIndex(UNITS, [*GROUPS[:2], communes])
    drafts = read(index, "Sở Y tế chỉ đạo các bệnh viện bảo đảm công tác khám, chữa bệnh. Chính quyền sở tại phối hợp "
                         "với các lực lượng chức năng hỗ trợ, cứu chữa miễn phí người bị thương.")
    assert [d.lead for d in drafts] == [("SYT",), ("#dia-phuong",)]
    assert "vague_unit" in drafts[1].problems


def test_every_level_told_after_a_semicolon_is_a_task_of_its_own_whose_lead_is_asked(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh đề nghị các sở, ngành và UBND huyện An Lão rà soát lại các khâu để tháo gỡ khó khăn; "
                         "tính toán giá đền bù hợp lý; các cấp cần bố trí các khu tái định cư đảm bảo chất lượng.")
    assert [d.lead for d in drafts] == [("#so-nganh", "H-ANLAO"), ()]
    assert "tái định cư" not in drafts[0].content and "no_lead" in drafts[1].problems


def test_units_told_after_the_provinces_own_order_opens_the_sentence(index: UnitIndex) -> None:
    [d] = read(index, "Theo chỉ đạo của Chủ tịch UBND tỉnh, các xã, phường phải hoàn thành việc cấp phát gạo cho học "
                      "sinh trước ngày 15/12/2026.")
    assert (d.lead, d.deadline) == (("#dia-phuong",), date(2026, 12, 15))


def test_a_passive_duty_by_the_provinces_order_is_a_task_whose_lead_is_asked(index: UnitIndex) -> None:
    [d] = read(index, "Theo yêu cầu của UBND tỉnh, việc tiếp nhận, cấp phát gạo cho học sinh trên địa bàn tỉnh phải "
                      "được hoàn thành trước ngày 15/12/2026.")
    assert (d.lead, d.deadline) == ((), date(2026, 12, 15)) and "no_lead" in d.problems


def test_what_happened_by_the_provinces_order_is_no_task(index: UnitIndex) -> None:
    assert read(index, "Theo yêu cầu của UBND tỉnh, ngày 5/9 đoàn kiểm tra đã làm việc tại huyện An Lão.") == []


def test_the_leader_named_by_title_after_an_opening_that_names_places_speaks() -> None:
    from tests.unit.parsing.conftest import GROUPS as PLACES_GROUPS
    from tests.unit.parsing.conftest import UNITS as PLACES_UNITS

    index = UnitIndex(PLACES_UNITS, PLACES_GROUPS)  # "các địa phương" is a phrase of its communes' group
    [d] = read(index, "Sau khi nghe các địa phương báo cáo công tác tiêu úng, đồng chí Chủ tịch UBND tỉnh yêu cầu Sở Y tế "
                      "chỉ đạo các bệnh viện khẩn trương chuẩn bị thuốc.")
    assert d.lead == ("SYT",) and d.content.startswith("chỉ đạo các bệnh viện")


def test_a_group_narrowed_without_its_members_named_is_asked(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu UBND các huyện có rừng thực hiện nghiêm các biện pháp phòng cháy.")
    assert d.lead == ("#huyen",) and "vague_unit" in d.problems and d.content.startswith("thực hiện nghiêm")


def test_a_group_narrowed_then_followed_by_its_members_is_those_members(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu UBND các huyện biên giới An Lão và Vĩnh Thạnh đặc biệt lưu ý đến các "
                      "điểm xung yếu.")
    assert d.lead == ("H-ANLAO", "H-VINHTHANH") and not d.problems


def test_the_border_guard_command_named_without_its_force_word_is_that_command(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Sở Y tế phối hợp với Bộ Chỉ huy Biên phòng tỉnh và UBND các xã, phường khảo sát "
                      "chi tiết các điểm bị sạt lở.")
    assert (d.lead, d.support, d.unresolved) == (("SYT",), ("BDBP", "#dia-phuong"), ())


def test_a_letter_signed_and_sent_to_units_asks_what_follows_the_list(index: UnitIndex) -> None:
    [d] = read(index, "Ngày 8/7, UBND tỉnh cho biết, ông Lương Văn Hải, Phó Chủ tịch UBND tỉnh, đã ký công văn gửi Sở Y tế, "
                      "Sở Xây dựng và UBND huyện An Lão, yêu cầu kiểm điểm trách nhiệm trong việc điều chỉnh quy hoạch.")
    assert d.lead == ("SYT", "SXD", "H-ANLAO") and d.content.startswith("kiểm điểm trách nhiệm")
