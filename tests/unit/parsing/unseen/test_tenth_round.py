"""Issue 25, tenth round: classes of writing seen failing on the fresh corpus (test8 and test9 used as development data
with the parts before them), in short sentences written for these tests in the style of telegrams, letters and
reports."""

from __future__ import annotations

from datetime import date

from bot.parsing import UnitIndex
from tests.unit.parsing.unseen.province import read


def test_a_group_qualified_before_the_next_addressee_still_leaves_the_letter_to_both(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh đã có Công điện gửi các sở, ngành thành viên Ban Chỉ huy Phòng chống thiên "
                      "tai - Tìm kiếm cứu nạn (PCTT-TKCN) tỉnh; ủy ban nhân dân các huyện, thành phố về việc khẩn trương "
                      "khắc phục thiệt hại do thiên tai.")
    assert d.lead == ("#so-nganh", "#huyen")
    assert d.content == "khẩn trương khắc phục thiệt hại do thiên tai"


def test_a_month_gone_by_in_the_background_is_no_deadline(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Y tế khẩn trương kiểm tra. Theo báo cáo của Trung tâm, trong tháng "
                      "10 vừa qua, số lượng hồ sơ trễ hạn là 40 hồ sơ.")
    assert d.lead == ("SYT",)
    assert d.deadline is None


def test_a_yearly_report_due_on_a_named_day_is_due_that_day_each_year(index: UnitIndex) -> None:
    [d] = read(index, "UBND các huyện tổ chức quản lý vùng quy hoạch. Định kỳ hằng năm tiến hành rà soát, đề xuất. Báo "
                      "cáo kết quả thực hiện về Sở Nông nghiệp và Môi trường trước ngày 15/12 hằng năm để tổng hợp.")
    assert (d.deadline, d.recurrence) == (date(2026, 12, 15), "yearly")
    assert "hằng năm" not in d.content


def test_traffic_after_a_linking_word_is_not_a_task_given(index: UnitIndex) -> None:
    drafts = read(index, "Vụ sạt lở làm thiệt hại 0,3ha diện tích nuôi thủy sản. Đồng thời, giao thông đi lại của người "
                         "dân trong khu vực bị ách tắc, gặp nhiều khó khăn.\n\nTrước tình hình trên, UBND tỉnh giao UBND "
                         "huyện An Lão khẩn trương cắm biển báo.")
    assert [d.lead for d in drafts] == [("H-ANLAO",)]
    assert drafts[0].content == "khẩn trương cắm biển báo"


def test_the_heads_of_other_branches_between_two_groups_do_not_cut_the_list(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Giám đốc các sở, ngành, thủ trưởng các ngành, đơn vị, Chủ tịch UBND các huyện, "
                      "thành phố tập trung vào một số nhiệm vụ trọng tâm.")
    assert d.lead == ("#so-nganh", "#huyen")
    assert d.content == "tập trung vào một số nhiệm vụ trọng tâm"


def test_a_body_the_list_lacks_keeps_its_whole_name_through_words_that_look_like_verbs(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Trung tâm Kiểm soát bệnh tật tỉnh phối hợp với Chi cục An toàn vệ sinh thực phẩm "
                      "và các địa phương liên quan triển khai các biện pháp điều tra.")
    assert d.unresolved == ("Trung tâm Kiểm soát bệnh tật tỉnh", "Chi cục An toàn vệ sinh thực phẩm")
    assert d.content == "triển khai các biện pháp điều tra"
    [d] = read(index, "UBND tỉnh chỉ đạo Văn phòng Ban chỉ đạo an toàn giao thông tỉnh khẩn trương thông báo công khai số "
                      "điện thoại đường dây nóng.")
    assert d.unresolved == ("Văn phòng Ban chỉ đạo an toàn giao thông tỉnh",)


def test_these_localities_are_the_ones_named_in_the_task_before(index: UnitIndex) -> None:
    drafts = read(index, "Văn phòng UBND tỉnh cho biết Chủ tịch UBND tỉnh này đã yêu cầu Chủ tịch UBND các huyện An Lão, "
                         "Vĩnh Thạnh khẩn trương kiểm tra, làm rõ nguyên nhân. UBND các huyện này phải báo cáo Chủ tịch UBND "
                         "tỉnh kết quả thực hiện trước ngày 15/12.")
    assert [d.lead for d in drafts] == [("H-ANLAO", "H-VINHTHANH")] * 2
    assert [d.deadline for d in drafts] == [None, date(2026, 12, 15)]


def test_what_a_report_says_after_a_task_is_background_even_when_it_names_the_same_units(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh đã yêu cầu Chủ tịch UBND các huyện An Lão, Vĩnh Thạnh khẩn trương giải quyết "
                         "dứt điểm hồ sơ tồn đọng. UBND các huyện này phải báo cáo kết quả trước ngày 15/12.\n\nTheo báo cáo "
                         "của Trung tâm phục vụ hành chính công tỉnh, trong tháng 10 vừa qua, số hồ sơ trễ hạn của UBND các "
                         "huyện An Lão, Vĩnh Thạnh là 40 hồ sơ.")
    assert [d.lead for d in drafts] == [("H-ANLAO", "H-VINHTHANH")] * 2
    assert drafts[1].content == "phải báo cáo kết quả"


def test_what_the_units_report_at_a_reception_is_no_task(index: UnitIndex) -> None:
    assert read(index, "Tại buổi tiếp, đại diện lãnh đạo Sở Y tế và lãnh đạo các sở, ngành báo cáo tiến độ xử lý 19 vụ "
                       "việc được Chủ tịch UBND tỉnh giao. Mở đầu buổi làm việc, Sở Tư pháp báo cáo kết quả thực hiện "
                       "chỉ đạo của Chủ tịch UBND tỉnh tại các phiên tiếp trước.") == []


def test_a_weekly_digest_of_decisions_is_no_task(index: UnitIndex) -> None:
    assert read(index, "Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần (ngày 24/11 đến ngày 30/11)\n\nHọp UBND tỉnh "
                       "thường kỳ; Phê duyệt quy hoạch chung xây dựng khu công nghiệp; Hỗ trợ xuất khẩu nông sản qua địa "
                       "bàn tỉnh... là những nội dung chính trong chỉ đạo điều hành nổi bật tuần qua của UBND tỉnh.") == []


def test_departments_named_bare_after_the_sectors_colon_are_those_departments(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh có công điện gửi các sở, ngành: Y tế; Xây dựng; Tư pháp; Chủ tịch UBND các "
                      "huyện, thành phố về việc tiếp nhận công dân trở về từ các tỉnh phía Nam.")
    assert d.lead == ("SYT", "SXD", "STP", "#huyen")


def test_those_asked_after_the_ones_told_share_the_task(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu thủ trưởng các sở, ngành, chủ tịch UBND các huyện, thành phố và đề nghị "
                      "Công an tỉnh tập trung thực hiện tốt một số nhiệm vụ chủ yếu.")
    assert d.lead == ("#so-nganh", "#huyen", "CA")
    assert d.content == "tập trung thực hiện tốt một số nhiệm vụ chủ yếu"



def test_the_noun_request_is_no_assignment(index: UnitIndex) -> None:
    drafts = read(index, "Phát biểu kết luận, Chủ tịch UBND tỉnh nhấn mạnh yêu cầu siết chặt kỷ luật, kỷ cương hành chính. "
                         "Các sở, ngành phải xây dựng kế hoạch chi tiết theo tinh thần “6 rõ”.")
    assert [d.lead for d in drafts] == [("#so-nganh",)]


def test_what_a_unit_already_did_is_news_not_a_task(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh yêu cầu UBND các huyện, thành phố tiếp tục kêu gọi tàu thuyền vào bờ. Sở Y tế "
                         "cũng đã thông báo đến các xã, phường cho học sinh nghỉ học khi thời tiết nguy hiểm.")
    assert [d.lead for d in drafts] == [("#huyen",)]
    assert "học sinh" not in drafts[0].content


def test_the_news_of_a_day_after_a_headline_task_is_not_its_content(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch tỉnh yêu cầu Sở Xây dựng báo cáo tiến độ triển khai dự án cao tốc\n\nChiều 29/10, Chủ tịch "
                      "UBND tỉnh dẫn đầu đoàn công tác kiểm tra tiến độ dự án. Tiếp đó, đoàn công tác di chuyển vào huyện "
                      "Vĩnh Thạnh kiểm tra các điểm sạt lở.")
    assert d.lead == ("SXD",)
    assert d.content == "báo cáo tiến độ triển khai dự án cao tốc"


def test_points_counted_in_words_inside_a_paragraph_are_tasks_of_the_heading_units(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh vừa có văn bản hỏa tốc chỉ đạo UBND các huyện, thành phố triển khai quyết liệt 3 nhóm "
                         "giải pháp cấp bách để ngăn chặn dịch.\nThứ nhất, nâng cao tinh thần trách nhiệm chỉ đạo phòng, "
                         "chống dịch. Thứ hai, huy động hệ thống chính trị tăng cường tuyên truyền. Thứ ba, chủ động bao vây "
                         "dập dịch, không để lây lan.")
    assert [d.lead for d in drafts] == [("#huyen",)] * 3
    assert [d.content for d in drafts] == ["nâng cao tinh thần trách nhiệm chỉ đạo phòng, chống dịch",
                                           "huy động hệ thống chính trị tăng cường tuyên truyền",
                                           "chủ động bao vây dập dịch, không để lây lan"]


def test_points_numbered_under_a_counted_heading_are_its_tasks(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh chỉ đạo UBND các huyện, thành phố triển khai 2 nhóm giải pháp cấp bách sau:\n1. Nâng cao "
                         "tinh thần trách nhiệm.\n2. Chủ động bao vây dập dịch.")
    assert [d.lead for d in drafts] == [("#huyen",)] * 2


def test_a_weekday_opening_a_sentence_is_no_counted_point(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Sở Y tế tổ chức kiểm tra các cơ sở. Thứ Hai, ngày 14/12, báo cáo kết quả về UBND "
                      "tỉnh.")
    assert d.lead == ("SYT",)
    assert d.content.startswith("tổ chức kiểm tra các cơ sở")


def test_a_command_committees_long_name_runs_to_the_level_that_closes_it(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Ban Chỉ huy Phòng thủ dân sự - Phòng, chống thiên tai và Tìm kiếm cứu nạn "
                      "tỉnh, Công an tỉnh theo dõi chặt chẽ diễn biến mưa lũ.")
    assert d.lead == ("CA",)
    assert d.unresolved == ("Ban Chỉ huy Phòng thủ dân sự - Phòng, chống thiên tai và Tìm kiếm cứu nạn tỉnh",)
    assert d.content == "theo dõi chặt chẽ diễn biến mưa lũ"


def test_a_place_name_after_lower_case_words_closes_a_bodys_name(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Trung tâm Nước sạch và Vệ sinh môi trường nông thôn Bến Tre phối hợp với Sở Y tế "
                      "kiểm tra chất lượng nước.")
    assert d.unresolved[0] == "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn Bến Tre"


def test_a_decisions_closing_formula_is_no_task_however_long_its_list(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao Sở Y tế chủ trì triển khai các biện pháp phòng dịch. Giao Giám đốc Sở Y tế, Sở Tài "
                         "chính; thành viên Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn tỉnh, Chủ tịch UBND huyện "
                         "An Lão; Thủ trưởng cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.")
    assert [d.lead for d in drafts] == [("SYT",)]


def test_the_units_of_the_letters_tasks_are_those_its_announcement_named(index: UnitIndex) -> None:
    drafts = read(index, "Chiều 5/12, Phó Chủ tịch UBND tỉnh đã ký công văn khẩn yêu cầu các sở, ngành và UBND các huyện, "
                         "thành phố triển khai các biện pháp ứng phó với bão số 13.\n\nTheo Đài Khí tượng thủy văn, bão đang "
                         "di chuyển theo hướng tây.\n\nTrước diễn biến phức tạp của bão, UBND tỉnh yêu cầu các đơn vị hoàn "
                         "thành việc sơ tán người dân trước 12 giờ ngày 6/12. Đồng thời, Công an tỉnh phải bố trí lực "
                         "lượng hỗ trợ nhân dân.")
    assert [d.lead for d in drafts] == [("#so-nganh", "#huyen"), ("CA",)]
    assert drafts[0].deadline == date(2026, 12, 6)


def test_a_letter_sent_to_units_in_the_sentence_that_asks_gives_them_the_task(index: UnitIndex) -> None:
    [d] = read(index, "Phó Chủ tịch UBND tỉnh vừa có công văn gửi Sở Y tế và UBND các huyện, thành phố yêu cầu khẩn trương "
                      "triển khai thực hiện Công điện số 12/CĐ-TTg.")
    assert d.lead == ("SYT", "#huyen")
    [d] = read(index, "Phó Chủ tịch UBND tỉnh vừa có công văn chỉ đạo đến một số sở, ngành liên quan và UBND các huyện, "
                      "thành phố yêu cầu khẩn trương triển khai thực hiện Công điện số 12/CĐ-TTg.")
    assert d.lead == ("#huyen",)


def test_bodies_told_in_the_passive_are_the_assignees_the_list_lacks(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu Sở Y tế khẩn trương điều tra vụ việc. Cùng với đó, các cơ sở khám, chữa bệnh được "
                         "chỉ đạo tập trung cấp cứu, điều trị kịp thời cho người bị ngộ độc.")
    assert [d.lead for d in drafts] == [("SYT",), ()]
    assert drafts[1].unresolved == ("các cơ sở khám, chữa bệnh",)
    assert drafts[1].content.startswith("tập trung cấp cứu")


def test_matters_handed_over_or_a_duty_given_are_no_passive_assignee(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao UBND các huyện, thành phố rà soát tình hình sạt lở. Các vụ việc sau khi được giao "
                         "đều được các cơ quan tập trung giải quyết.")
    assert [d.lead for d in drafts] == [("#huyen",)]


def test_bodies_narrowed_to_those_concerned_are_no_support_but_localities_concerned_are(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Sở Nông nghiệp và Môi trường làm đầu mối, phối hợp với các sở, ngành, đơn vị, doanh "
                      "nghiệp liên quan và UBND các huyện, thành phố xem xét, chuẩn bị nội dung tuyên truyền.")
    assert (d.lead, d.support) == (("SNNMT",), ("#huyen",))
    [d] = read(index, "UBND tỉnh giao Sở Xây dựng chủ trì, phối hợp với UBND các huyện, thành phố liên quan thống nhất đề "
                      "xuất giải quyết theo đúng quy định.")
    assert (d.lead, d.support) == (("SXD",), ("#huyen",))



def test_a_body_named_after_a_department_is_not_made_a_department(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Sở Y tế chủ trì, phối hợp với Sở Tư pháp, Vườn quốc gia Yok Don và các đơn vị liên "
                      "quan kiểm tra việc thi công dự án.")
    assert (d.lead, d.support) == (("SYT",), ("STP",))
    assert d.unresolved == ("Vườn quốc gia Yok Don",)


def test_an_occasion_or_a_growth_target_is_no_deadline(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Sở Tài chính phối hợp với doanh nghiệp thực hiện tốt chương trình cung ứng hàng "
                      "hóa bình ổn thị trường dịp cuối năm 2026 và Tết Nguyên đán.")
    assert d.deadline is None
    [d] = read(index, "UBND tỉnh yêu cầu Sở Tài chính rà soát kịch bản, bảo đảm tăng trưởng hai con số trong năm 2027.")
    assert d.deadline is None


# Found on review of this round's rules: what they must not take from ordinary directives.

def test_a_departments_own_units_are_not_the_letters_addressees(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh vừa ký công văn khẩn yêu cầu các sở, ngành và UBND các xã, phường triển khai ứng phó bão "
                         "số 10. Trước đó, Sở Y tế đã tổ chức tập huấn cho các bệnh viện. Giám đốc Sở Y tế yêu cầu các đơn vị "
                         "trực 24/24 giờ.")
    assert [d.lead for d in drafts] == [("#so-nganh", "#dia-phuong"), ()]
    assert drafts[0].content == "triển khai ứng phó bão số 10"


def test_a_leader_assigning_at_a_meetings_opening_or_as_its_representative_still_assigns(index: UnitIndex) -> None:
    [d] = read(index, "Mở đầu cuộc họp, Chủ tịch UBND tỉnh yêu cầu các sở, ngành báo cáo tình hình giải ngân vốn đầu tư "
                      "công trước ngày 10/12/2026.")
    assert (d.lead, d.deadline) == (("#so-nganh",), date(2026, 12, 10))
    [d] = read(index, "Đại diện UBND tỉnh, Phó Chủ tịch UBND tỉnh Nguyễn Văn A yêu cầu Sở Y tế khẩn trương rà soát, báo cáo "
                      "UBND tỉnh trước ngày 15/12/2026.")
    assert (d.lead, d.deadline) == (("SYT",), date(2026, 12, 15))


def test_a_digest_heading_on_the_line_of_a_task_leaves_the_task(index: UnitIndex) -> None:
    [d] = read(index, "Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần: Chủ tịch UBND tỉnh yêu cầu Sở Y tế kiểm tra an "
                      "toàn thực phẩm trước ngày 20/12/2026.")
    assert (d.lead, d.deadline) == (("SYT",), date(2026, 12, 20))


def test_works_or_files_handed_over_are_no_passive_assignee(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Y tế khẩn trương kiểm tra. Các công việc được giao phải hoàn thành "
                      "trước ngày 15/12/2026.")
    assert (d.lead, d.deadline) == (("SYT",), date(2026, 12, 15))


def test_a_report_on_growth_due_on_a_day_keeps_its_deadline(index: UnitIndex) -> None:
    [d] = read(index, "Giao Sở Tài chính báo cáo tình hình tăng trưởng kinh tế trước ngày 20/12/2026.")
    assert d.deadline == date(2026, 12, 20)


def test_a_stressed_request_to_named_units_assigns(index: UnitIndex) -> None:
    [d] = read(index, "Phó Chủ tịch UBND tỉnh nhấn mạnh yêu cầu Sở Nông nghiệp và Môi trường chủ trì, phối hợp với UBND các "
                      "xã, phường kiểm tra an toàn hồ đập trước ngày 10/12/2026.")
    assert (d.lead, d.support, d.deadline) == (("SNNMT",), ("#dia-phuong",), date(2026, 12, 10))


def test_a_next_step_or_a_dated_duty_goes_on_with_the_task(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu UBND các xã, phường hoàn thành di dời dân trước 17 giờ ngày 5/12/2026. Tiếp đó, tổ "
                      "chức vệ sinh môi trường, khắc phục hậu quả sau bão.")
    assert "vệ sinh môi trường" in d.content
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Y tế khẩn trương kiểm tra. Ngày 3/12, các bệnh viện phải báo cáo kết quả "
                      "về Sở Y tế.")
    assert "các bệnh viện phải báo cáo" in d.content


def test_a_committees_name_ends_before_the_next_body_of_the_list(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Ban Chỉ đạo phòng, chống dịch bệnh, Sở Y tế, Công an tỉnh khẩn trương kiểm "
                      "tra.")
    assert d.lead == ("SYT", "CA")
    assert d.unresolved == ("Ban Chỉ đạo phòng, chống dịch bệnh",)


def test_a_task_verb_is_no_part_of_a_bodys_name(index: UnitIndex) -> None:
    [d] = read(index, "Yêu cầu Công ty Điện lực rà soát lưới điện Phú Vang, hoàn thành trước ngày 10/12/2026.")
    assert d.unresolved == ("Công ty Điện lực",)
    assert d.content.startswith("rà soát lưới điện Phú Vang")


def test_departments_named_in_full_after_the_sectors_colon_are_not_given_a_second_head(index: UnitIndex) -> None:
    [d] = read(index, "Giao các sở, ngành: Sở Y tế, Sở Tài chính, Sở Xây dựng phối hợp kiểm tra.")
    assert d.lead == ("SYT", "STC", "SXD") and d.unresolved == ()


def test_weekdays_are_no_counted_points(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Sở Y tế tổ chức cho học sinh nghỉ học. Thứ bảy, chủ nhật, các trường phải bố trí "
                      "người trực.")
    assert "người trực" in d.content
