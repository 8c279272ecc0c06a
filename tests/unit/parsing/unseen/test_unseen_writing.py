"""Ways provinces write that the parser was not built on (issue 25's error classes), in sentences written for
these tests in the style of public notices and press summaries: abbreviations with a dot, a person as the
issuer, background that assigns nothing, lists after a colon, back-references, post-2025 communes, deadlines
bound to their clause, dates written with dots and hyphens."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.domain.units import UnitGroup
from bot.parsing import UnitIndex
from tests.unit.parsing.unseen.province import GROUPS, UNITS, read


def test_an_abbreviation_with_a_dot_ends_no_sentence(index: UnitIndex) -> None:
    [d] = read(index, "UBND TP. Quy Nhơn giao Sở Y tế chủ trì, phối hợp với Sở Tài chính rà soát các trạm y tế, "
                      "hoàn thành trước ngày 15/12/2026.")
    assert (d.lead, d.support, d.deadline) == (("SYT",), ("STC",), date(2026, 12, 15))


def test_a_person_named_as_the_issuer(index: UnitIndex) -> None:
    [d] = read(index, "Tại buổi làm việc, ông Nguyễn Văn An, Phó Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng khẩn "
                      "trương kiểm tra chất lượng công trình.")
    assert d.lead == ("SXD",) and "kiểm tra chất lượng công trình" in d.content


def test_a_time_phrase_and_a_counted_list_of_forces_after_the_colon(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu: Thời gian tới, 3 lực lượng Công an, Quân sự, Biên phòng tiếp "
                      "tục duy trì chế độ giao ban, phối hợp tuần tra.")
    assert d.lead == ("CA", "BCHQS", "BDBP") and d.content.startswith("tiếp tục duy trì")


@pytest.mark.parametrize("text", [
    "Trong thời gian qua, UBND tỉnh đã có nhiều văn bản chỉ đạo Sở Y tế tăng cường kiểm tra an toàn thực phẩm.",
    "UBND tỉnh vừa phê bình 2 chủ tịch UBND huyện. Chủ tịch các huyện bị phê bình gồm: huyện An Lão, Vĩnh Thạnh.",
    "Sở Xây dựng hiện có nhiều công trình chậm tiến độ.",
    "Sau thời hạn trên, địa phương nào không hoàn thành, Chủ tịch UBND các huyện sẽ phải chịu trách nhiệm.",
])
def test_background_assigns_nothing(index: UnitIndex, text: str) -> None:
    assert read(index, text) == []


def test_a_sentence_told_as_done_is_asked_about(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh đã chỉ đạo Sở Y tế kiểm tra các cơ sở khám bệnh tư nhân.")
    assert d.lead == ("SYT",) and "background" in d.questions


def test_a_task_for_whom_the_text_does_not_say_asks_for_its_lead(index: UnitIndex) -> None:
    [d] = read(index, "Phó Chủ tịch UBND tỉnh yêu cầu các cơ quan, đơn vị, địa phương liên quan phải vào cuộc quyết "
                      "liệt để hoàn thành bàn giao mặt bằng trước 30/12/2026.")
    assert d.lead == () and d.deadline == date(2026, 12, 30) and "no_lead" in d.problems


def test_the_list_after_phoi_hop_cac_so_is_support(index: UnitIndex) -> None:
    [d] = read(index, "Giao Sở Y tế chủ trì, phối hợp với các sở: Tài chính, Tư pháp, Du lịch cùng UBND các xã, "
                      "phường triển khai kế hoạch.")
    assert d.lead == ("SYT",)
    assert d.support == ("STC", "STP", "#dia-phuong") and d.unresolved == ("Sở Du lịch",)
    assert d.content == "triển khai kế hoạch"


def test_post_2025_communes_and_special_zones(index: UnitIndex) -> None:
    [d] = read(index, "UBND các xã, phường, đặc khu chủ động rà soát các điểm sạt lở.")
    assert d.lead == ("#dia-phuong",) and d.content == "chủ động rà soát các điểm sạt lở"


def test_two_districts_under_one_head(index: UnitIndex) -> None:
    [d] = read(index, "Yêu cầu UBND huyện An Lão, Vĩnh Thạnh triển khai phương án sơ tán dân.")
    assert d.lead == ("H-ANLAO", "H-VINHTHANH")


def test_a_deadline_belongs_to_its_own_clause(index: UnitIndex) -> None:
    first, second = read(index, "UBND tỉnh giao Sở Y tế kiểm tra các bếp ăn tập thể. Tỉnh cũng yêu cầu UBND các "
                                "huyện, thành phố rà soát các điểm trường trước ngày 13-2-2027.",
                          datetime.fromisoformat("2027-01-20T09:00:00+07:00"))
    assert (first.lead, first.deadline) == (("SYT",), None)
    assert (second.lead, second.deadline) == (("#huyen",), date(2027, 2, 13))


@pytest.mark.parametrize(("text", "at", "day"), [
    ("Giao Sở Tư pháp thẩm định dự thảo, hoàn thành trước ngày 10.1.", "2019-12-20", date(2020, 1, 10)),
    ("Giao Sở Tư pháp thẩm định dự thảo, báo cáo trước ngày 13-2-2014.", "2014-01-20", date(2014, 2, 13)),
    ("Giao Sở Tư pháp thẩm định dự thảo, hoàn thành trong quý I/2020.", "2019-12-10", date(2020, 3, 31)),
    ("Giao Sở Tư pháp thẩm định dự thảo, hoàn thành trong quý I.", "2019-12-10", date(2020, 3, 31)),
    ("Giao Sở Tư pháp thẩm định dự thảo, gửi chậm nhất 10h00’ ngày 15/3/2020.", "2020-03-01", date(2020, 3, 15)),
    ("Giao Sở Tư pháp thẩm định dự thảo (đến ngày 31.1.2021).", "2020-12-10", date(2021, 1, 31)),
    ("Giao Sở Tư pháp thẩm định dự thảo, trình UBND tỉnh đến ngày 31/1/2021.", "2020-12-10", date(2021, 1, 31)),
    ("Giao Sở Tư pháp thẩm định dự thảo (hoàn thành trước ngày 31/1/2021).", "2020-12-10", date(2021, 1, 31)),
])
def test_dates_as_provinces_write_them(index: UnitIndex, text: str, at: str, day: date) -> None:
    [d] = read(index, text, datetime.fromisoformat(f"{at}T09:00:00+07:00"))
    assert d.deadline == day and d.content.startswith("thẩm định dự thảo")
    assert "(" not in d.content and "ngày" not in d.content, "a date in brackets leaves no empty brackets behind"


@pytest.mark.parametrize("text", [
    "Giao Sở Y tế tổ chức kiểm tra từ ngày 1/12 đến ngày 15/12/2026.",
    "Giao Sở Y tế báo cáo tình hình (số liệu tính đến ngày 30/11/2026).",
    "Giao Sở Y tế hướng dẫn nông dân chăm sóc lúa. Đến ngày 1/12/2026, Sở đã hỗ trợ 60 tấn giống.",
])
def test_a_day_things_run_or_stand_until_is_no_deadline(index: UnitIndex, text: str) -> None:
    assert all(d.deadline is None for d in read(index, text, datetime.fromisoformat("2026-11-20T09:00:00+07:00")))


def test_a_notice_s_closing_formula_and_its_recipients_are_no_tasks(index: UnitIndex) -> None:
    drafts = read(index, "Giao Sở Y tế kiểm tra các cơ sở khám bệnh, hoàn thành trước ngày 15/12/2026.\n"
                         "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./.\n"
                         "Nơi nhận:\n- CT, các PCT UBND tỉnh;\n- Sở Y tế;\n- UBND các huyện, thành phố;\n- Lưu: VT.")
    assert [(d.lead, d.deadline) for d in drafts] == [(("SYT",), date(2026, 12, 15))]


def test_what_a_citizen_petitioned_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Công dân kiến nghị Sở Xây dựng sửa chữa tuyến đường bị hư hỏng. Về nội dung này, UBND "
                         "tỉnh giao UBND huyện An Lão kiểm tra, trả lời công dân trước ngày 30/12/2026.")
    assert [d.lead for d in drafts] == [("H-ANLAO",)]


def test_units_named_before_are_what_cac_dia_phuong_tren_means(index: UnitIndex) -> None:
    drafts = read(index, "Giao UBND huyện An Lão, Vĩnh Thạnh rà soát các hộ dân vùng sạt lở. Yêu cầu các địa "
                         "phương trên hoàn thành di dời trước ngày 15/12/2026.")
    assert [(d.lead, d.deadline) for d in drafts] == [(("H-ANLAO", "H-VINHTHANH"), None),
                                                      (("H-ANLAO", "H-VINHTHANH"), date(2026, 12, 15))]


def test_a_district_group_with_its_abbreviation_in_the_list(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Chủ tịch UBND các huyện, TP tổ chức trực ban 24/24 giờ.")
    assert d.lead == ("#huyen",)


def test_a_headline_run_into_its_text_is_no_part_of_the_task(index: UnitIndex) -> None:
    [d] = read(index, "Bình Định sẽ khởi công trạm y tế trước 20/12 Chủ tịch UBND tỉnh giao Sở Y tế đẩy nhanh "
                      "tiến độ để khởi công trạm y tế trước ngày 20/12/2026.")
    assert (d.lead, d.deadline) == (("SYT",), date(2026, 12, 20)) and d.content.startswith("đẩy nhanh tiến độ")


def test_a_passive_assignment_names_its_lead(index: UnitIndex) -> None:
    [d] = read(index, "Sở Xây dựng được giao nhiệm vụ kiểm tra chất lượng các công trình trường học.")
    assert d.lead == ("SXD",) and "kiểm tra chất lượng" in d.content


def test_an_issuer_s_task_with_no_addressee_asks_for_its_lead(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh ban hành công điện khẩn yêu cầu huy động tối đa lực lượng để sơ tán người dân "
                      "khỏi vùng nguy hiểm.")
    assert d.lead == () and "huy động tối đa lực lượng" in d.content and "no_lead" in d.problems


def test_the_units_a_letter_is_sent_to_are_what_cac_don_vi_means(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh có công văn gửi Sở Y tế, Sở Tài chính về việc phòng chống dịch. Theo đó, yêu "
                         "cầu các đơn vị tăng cường kiểm tra các cơ sở khám bệnh.")
    assert [d.lead for d in drafts] == [("SYT", "STC")]


def test_a_decision_s_executing_formula_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Giao Sở Y tế kiểm tra các cơ sở khám bệnh.\nChánh Văn phòng UBND tỉnh, Giám đốc Sở Tài "
                         "chính, Chủ tịch UBND huyện An Lão; Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách "
                         "nhiệm thi hành Quyết định này.")
    assert [d.lead for d in drafts] == [("SYT",)]


def test_whom_a_report_goes_to_for_a_purpose_is_no_new_lead(index: UnitIndex) -> None:
    drafts = read(index, "Giao Sở Y tế theo dõi, đôn đốc các địa phương; tổng hợp, báo cáo tình hình về UBND tỉnh, "
                         "Bộ Y tế để theo dõi, chỉ đạo.")
    assert [d.lead for d in drafts] == [("SYT",)]


def test_a_word_that_folds_like_a_body_s_head_is_no_body(index: UnitIndex) -> None:
    drafts = read(index, "Giao Sở Y tế kiểm tra khu vực sạt lở. Bố trí lực lượng trực, theo dõi diễn biến hiện trường.")
    assert [(d.lead, d.unresolved) for d in drafts] == [(("SYT",), ())]


def test_a_list_of_groups_goes_on_past_bodies_that_are_no_units(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu các sở, ngành, đoàn thể cấp tỉnh, các cơ quan Trung ương đóng trên địa bàn "
                      "và UBND các huyện tiếp tục duy trì các giải pháp phòng, chống dịch.")
    assert d.lead == ("#so-nganh", "#huyen") and d.content.startswith("tiếp tục duy trì")


def test_a_deadline_that_opens_a_sentence_belongs_to_its_subject(index: UnitIndex) -> None:
    drafts = read(index, "Giao Sở Y tế kiểm tra các cơ sở.\nChậm nhất đến ngày 18/12/2026, Sở Tài chính phải gửi "
                         "văn bản đề nghị về UBND tỉnh.")
    assert [(d.lead, d.deadline) for d in drafts] == [(("SYT",), None), (("STC",), date(2026, 12, 18))]


def test_a_body_the_list_lacks_told_a_task_is_asked_about(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh chỉ đạo các chủ đầu tư cần tập trung giải ngân vốn kế hoạch năm 2026.")
    assert (d.lead, d.unresolved) == ((), ("các chủ đầu tư",)) and "giải ngân vốn" in d.content
    [d] = read(index, "Ông Nguyễn Văn An cũng yêu cầu khách sạn Hải Âu khẩn trương phối hợp với Trung tâm Phát triển "
                      "quỹ đất tỉnh Bình Định để nhận tiền bồi thường.")
    assert d.unresolved == ("khách sạn Hải Âu", "Trung tâm Phát triển quỹ đất tỉnh Bình Định")


def test_whom_the_issuer_forwards_a_matter_to_is_told_what_follows(index: UnitIndex) -> None:
    [d] = read(index, "Văn phòng UBND tỉnh chuyển nội dung nêu trên đến Sở Y tế để nghiên cứu, xử lý theo thẩm quyền.")
    assert d.lead == ("SYT",) and d.content.startswith("nghiên cứu, xử lý")
    [d] = read(index, "Mới đây, UBND tỉnh có văn bản cho biết, UBND tỉnh đã chuyển đơn đến UBND huyện An Lão chỉ đạo "
                      "kiểm tra, giải quyết, báo cáo trước ngày 15/12/2026.")
    assert (d.lead, d.deadline) == (("H-ANLAO",), date(2026, 12, 15))


def test_a_request_with_no_addressee_goes_to_whom_the_letter_is_sent(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh vừa có Công văn số 7690/UBND-BTCD gửi Sở Y tế, UBND các huyện về việc tiếp "
                      "công dân.\nCụ thể, Chủ tịch UBND tỉnh yêu cầu tổ chức tốt công tác tiếp công dân.")
    assert d.lead == ("SYT", "#huyen") and d.content.startswith("tổ chức tốt")


def test_a_news_agency_s_dateline_is_no_body(index: UnitIndex) -> None:
    [d] = read(index, "VOV.VN - Phó Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng khẩn trương kiểm tra các công trình.")
    assert (d.lead, d.unresolved) == (("SXD",), ())


def test_before_july_2025_cac_dia_phuong_after_the_districts_names_them_again() -> None:
    local = UnitGroup("dia-phuong", "UBND các xã, phường", ("các địa phương",), ("P-THUANAN", "DK-CONCO"))
    index = UnitIndex(UNITS, [*GROUPS[:2], local])
    drafts = read(index, "UBND tỉnh yêu cầu UBND các huyện rà soát thiệt hại.\nCác địa phương tập trung đẩy mạnh "
                         "sản xuất vụ Đông.", at=datetime.fromisoformat("2024-10-10T09:00:00+07:00"))
    assert [d.lead for d in drafts] == [("#huyen",), ("#huyen",)]


def test_a_unit_directing_its_own_units_does_the_task(index: UnitIndex) -> None:
    drafts = read(index, "Sở Y tế tổ chức các lớp tập bơi cho trẻ em. Sở Tài chính chỉ đạo các đơn vị trực thuộc, "
                         "các trường học tăng cường quản lý học sinh.")
    assert [d.lead for d in drafts] == [("SYT",), ("STC",)]


def test_a_sentence_opening_with_chi_dao_after_a_department_s_task_is_what_it_directs(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Nông nghiệp và Môi trường tiếp tục nắm tình hình rét đậm.\n"
                         "Chỉ đạo UBND các huyện kiểm tra, sửa chữa những công trình thủy lợi bị hư hỏng.")
    assert [d.lead for d in drafts] == [("SNNMT",)]


def test_answerable_if_something_happens_is_a_warning_not_a_task(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu UBND huyện An Lão tăng cường quản lý đất đai.\nChủ tịch UBND huyện An Lão "
                         "chịu trách nhiệm toàn diện trước UBND tỉnh nếu để xảy ra xây dựng trái phép.")
    assert [d.lead for d in drafts] == [("H-ANLAO",)]


def test_an_unknown_name_with_two_lower_case_words_inside(index: UnitIndex) -> None:
    [d] = read(index, "Yêu cầu Ban Quản lý Vườn quốc gia Tà Đùng chủ trì tuần tra bảo vệ rừng.")
    assert d.unresolved == ("Ban Quản lý Vườn quốc gia Tà Đùng",)


def test_a_title_before_departments_listed_after_a_colon(index: UnitIndex) -> None:
    [d] = read(index, "Giao Giám đốc các Sở: Xây dựng, Tài chính theo chức năng đôn đốc, hướng dẫn UBND huyện An Lão.")
    assert d.lead == ("SXD", "STC")


def test_an_office_conveying_the_chairman_s_opinion_is_told_nothing(index: UnitIndex) -> None:
    drafts = read(index, "Văn phòng UBND tỉnh có văn bản truyền đạt ý kiến của Chủ tịch UBND tỉnh về việc tổ chức lễ "
                         "kỷ niệm. Theo đó, giao Sở Y tế bảo đảm công tác y tế trong thời gian tổ chức lễ.")
    assert [d.lead for d in drafts] == [("SYT",)]
