"""Issue 25, ninth round: classes of writing seen failing on the fresh corpus (test7 used as development data with
the parts before it), in short sentences written for these tests in the style of telegrams, letters and reports."""

from __future__ import annotations

from datetime import datetime

from bot.domain.calendar import WorkingCalendar
from bot.domain.units import Unit, UnitGroup
from bot.parsing import UnitIndex, parse_message
from tests.unit.parsing.unseen.province import AT, GROUPS, UNITS, read


def test_a_sentence_whose_subject_is_the_forces_at_large_is_a_task_whose_lead_is_asked(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu Sở Y tế kiểm tra các cơ sở. Các lực lượng phải kiểm tra các tàu thuyền.")
    assert [d.lead for d in drafts] == [("SYT",), ()]
    assert "tàu thuyền" not in drafts[0].content and "no_lead" in drafts[1].problems


def test_a_topic_named_before_a_generic_subject_does_not_glue_its_task_to_the_one_before(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu Sở Y tế kiểm tra các cơ sở. Về hạ tầng, các đơn vị chuyên môn phải khẩn "
                         "trương khắc phục đường giao thông.")
    assert [d.lead for d in drafts] == [("SYT",), ()]
    assert drafts[1].content.endswith("khắc phục đường giao thông")


def test_telling_the_fishermen_is_a_task_not_the_notices_closing_formula(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu UBND huyện An Lão thông báo cho ngư dân, hộ nuôi trồng thủy sản biết thời "
                      "gian cấm biển.")
    assert d.lead == ("H-ANLAO",)
    assert read(index, "UBND tỉnh thông báo để các cơ quan, đơn vị biết, thực hiện./") == []


def test_a_deadline_told_between_the_verb_and_the_unit_is_that_units(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu chậm nhất đến ngày 7/12, Sở Tư pháp phải hoàn thành rà soát đội ngũ "
                      "công chức.")
    assert (d.lead, d.deadline) == (("STP",), datetime(2026, 12, 7).date())
    assert d.content.startswith("phải hoàn thành rà soát")


def test_a_deadline_after_the_verb_with_nobody_named_stays_a_task_whose_lead_is_asked(index: UnitIndex) -> None:
    [d] = read(index, "Lãnh đạo UBND tỉnh chỉ đạo chậm nhất đến ngày 15/12 phải trình duyệt giá đất bồi thường dự án.")
    assert d.lead == () and "no_lead" in d.problems
    assert d.deadline == datetime(2026, 12, 15).date()


def test_the_party_secretary_named_with_the_communes_chairmen_is_the_communes(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Bí thư Đảng ủy, Chủ tịch UBND các xã, phường tiếp tục trực tiếp lãnh "
                      "đạo, chỉ đạo thi công.")
    assert d.lead == ("#dia-phuong",)
    assert d.content.startswith("tiếp tục trực tiếp")


def test_the_comrades_leading_the_districts_are_the_districts(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu các đồng chí lãnh đạo UBND các huyện, các ngành chức năng kiểm tra công tác "
                      "chuẩn bị.")
    assert d.lead == ("#huyen",)


def test_the_units_a_leader_praises_are_those_the_request_after_it_is_for(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh biểu dương UBND huyện An Lão, UBND huyện Vĩnh Thạnh, đồng thời đề nghị tiếp "
                      "tục kiện toàn tổ chức bộ máy.")
    assert d.lead == ("H-ANLAO", "H-VINHTHANH")
    [named] = read(index, "Ông Trần Phong ghi nhận nỗ lực của UBND huyện An Lão và yêu cầu kiện toàn tổ chức bộ máy.")
    assert named.lead == ("H-ANLAO",)


def test_a_praise_followed_by_a_request_naming_its_own_units_keeps_them(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh biểu dương UBND huyện An Lão và yêu cầu Sở Y tế kiểm tra các cơ sở.")
    assert d.lead == ("SYT",)


def test_the_department_heads_title_said_twice_is_every_department(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở, Thủ trưởng các Ban, ngành tập trung triển khai.")
    assert d.lead == ("#so-nganh",)


def test_numbered_points_after_how_the_addressees_are_to_work_are_each_theirs(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 21/11/2026, Chủ tịch UBND tỉnh đã có công văn số 761/UBND-NNTN yêu cầu Giám đốc Sở, "
                         "Thủ trưởng các Ban, ngành; Chủ tịch UBND các huyện, thành phố tập trung triển khai quyết liệt "
                         "đồng bộ một số nội dung sau:\n"
                         "1. Tuyên truyền sâu rộng trong cộng đồng dân cư về bệnh dại.\n"
                         "2. Tổ chức rà soát, thống kê số hộ nuôi chó.\n"
                         "3. Chỉ đạo UBND các xã, phường phối hợp tổ chức tiêm phòng vắc xin dại cho đàn chó.")
    assert [d.lead for d in drafts] == [("#so-nganh", "#huyen")] * 3
    assert [d.content.split()[0] for d in drafts] == ["Tuyên", "Tổ", "Chỉ"]


def test_a_pasted_report_that_assigns_nothing_is_not_a_question_for_the_statistics(index: UnitIndex) -> None:
    result = parse_message("Báo cáo kết quả giải quyết kiến nghị cử tri\nCử tri phản ánh việc 02 hộ dân tái định cư tại "
                           "thôn 8 của UBND phường Thuận An chưa được nhận hỗ trợ hầm bể biogas trong tháng 12/2026.",
                           at=AT, calendar=WorkingCalendar(), index=index)
    assert result.kind == "unknown"
    typed = parse_message("Sở Y tế quá hạn", at=AT, calendar=WorkingCalendar(), index=index)
    assert typed.kind == "query"  # typed in chat, a question still


def test_at_a_citizens_reception_the_task_is_what_the_leader_gives_after_hearing_everyone(index: UnitIndex) -> None:
    [d] = read(index, "Tại buổi tiếp, Chủ tịch UBND tỉnh đã tiếp công dân Nguyễn Văn A – Trưởng thôn 3, phường Thuận An, "
                      "phản ánh về việc xử lý đơn tố cáo. Sau khi lắng nghe ý kiến của công dân, lãnh đạo UBND phường "
                      "Thuận An và các sở, ngành, Chủ tịch UBND tỉnh đã giao UBND phường Thuận An khẩn trương rà soát "
                      "lại đơn thư, báo cáo UBND tỉnh trước ngày 10/12/2026.")
    assert (d.lead, d.deadline) == (("P-THUANAN",), datetime(2026, 12, 10).date())
    assert d.content.startswith("khẩn trương rà soát")


def test_a_working_teams_members_help_the_unit_that_sets_it_up(index: UnitIndex) -> None:
    [d] = read(index, "Chỉ đạo nội dung này, sau khi nghe Chủ tịch UBND phường Thuận An báo cáo, Chủ tịch UBND tỉnh kết "
                      "luận, giao Sở Nông nghiệp và Môi trường chủ trì thành lập Tổ công tác gồm Sở Tư pháp, Sở Xây dựng "
                      "cùng với UBND phường Thuận An kiểm tra thực địa thửa đất.")
    assert (d.lead, d.support) == (("SNNMT",), ("STP", "SXD", "P-THUANAN"))


def test_working_closely_with_nobody_named_is_the_task_itself(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh đề nghị Sở Y tế phối hợp chặt chẽ đẩy nhanh tiến độ xây dựng trạm y tế.")
    assert (d.lead, d.support) == (("SYT",), ())
    assert d.content.startswith("phối hợp chặt chẽ đẩy nhanh")


def test_a_commune_named_in_brackets_as_where_something_happened_is_told_nothing(index: UnitIndex) -> None:
    assert read(index, "Theo đó, sạt lở bờ sông (khu phố 2, phường Thuận An, tỉnh X) đã làm hư hỏng 30m bờ kè, gây "
                       "sụt lún mặt đường.") == []


def test_what_went_before_does_not_add_its_bodies_to_the_task(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu UBND huyện An Lão cung cấp thông tin cho báo chí. Trước đó, tại cuộc họp do Sở "
                      "Y tế phối hợp với Sở Tư pháp tổ chức, phóng viên phản ánh việc né tránh báo chí.")
    assert (d.lead, d.support) == (("H-ANLAO",), ())


def test_who_joins_the_leader_and_who_is_invited_are_given_no_task(index: UnitIndex) -> None:
    [d] = read(index, "Tham gia cùng Chủ tịch UBND tỉnh có lãnh đạo Sở Y tế, Công an tỉnh. UBND tỉnh cũng kính mời "
                      "Thường trực HĐND tỉnh cùng dự. UBND tỉnh giao Công an tỉnh đảm bảo an ninh.")
    assert d.lead == ("CA",)


def test_what_must_not_happen_every_month_sets_no_monthly_report(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Sở Tài chính chỉ đạo các đơn vị nộp bảo hiểm xã hội đầy đủ, không để xảy ra "
                      "tình trạng chậm đóng hằng tháng.")
    assert (d.recurrence, d.deadline) == (None, None)


def test_a_commune_listed_by_its_own_name_is_also_its_committee() -> None:
    commune = Unit("X-DAIDINH", "UBND xã Đại Đình (Phú Thọ)", "commune", ("dia-phuong",), ("xã Đại Đình",))
    [d] = read(UnitIndex([*UNITS, commune], GROUPS), "UBND tỉnh giao UBND xã Đại Đình rà soát lại đơn thư.")
    assert (d.lead, d.unresolved) == (("X-DAIDINH",), ())


def test_a_headline_the_leader_asked_for_with_nobody_named_is_a_task_whose_lead_is_asked(index: UnitIndex) -> None:
    [d] = read(index, "Phấn đấu bàn giao 100% mặt bằng cao tốc trước 30/6/2027 Ngày đăng: 20/11/2026 | 18:38 | Lượt xem: "
                      "1215\n(binhdinh.gov.vn) - Đó là yêu cầu của Phó Chủ tịch UBND tỉnh Nguyễn Văn A tại buổi làm việc "
                      "kiểm tra công tác giải phóng mặt bằng chiều nay.")
    assert (d.lead, d.deadline) == ((), datetime(2027, 6, 30).date())
    assert d.content == "Phấn đấu bàn giao 100% mặt bằng cao tốc"
    assert "no_lead" in d.problems


def test_the_civil_defence_committee_is_one_body_not_in_the_list(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Ban Chỉ huy Phòng thủ dân sự tỉnh theo dõi chặt chẽ diễn biến của bão.")
    assert (d.lead, d.unresolved) == ((), ("Ban Chỉ huy Phòng thủ dân sự tỉnh",))


def test_communes_told_in_the_passive_to_count_are_told_a_task_not_traffic(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao Sở Y tế kiểm tra.\n\nUBND các xã, phường được giao thống kê số lượng lồng bè "
                         "nuôi trồng thủy sản.")
    assert [d.lead for d in drafts] == [("SYT",), ("#dia-phuong",)]
    assert drafts[1].content.startswith("thống kê số lượng")


def test_noon_of_the_same_day_as_a_day_named_before_is_not_today(index: UnitIndex) -> None:
    [d] = read(index, "Các lực lượng phải thông báo cho ngư dân biết lệnh cấm biển từ 12 giờ ngày 6-12-2026. Người dân trên "
                      "lồng bè phải trở vào bờ trước 12 giờ cùng ngày.")
    assert d.deadline is None


def test_a_narrowed_group_after_working_with_is_no_support(index: UnitIndex) -> None:
    [d] = read(index, "Bộ Chỉ huy Quân sự tỉnh chủ trì, phối hợp với các xã, phường ven biển khẩn trương kêu gọi tàu "
                      "thuyền vào bờ.")
    assert (d.lead, d.support) == (("BCHQS",), ())


def test_telling_the_people_so_they_keep_away_is_a_task_but_the_notices_formula_is_not(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu UBND phường Thuận An cắm biển báo khu vực nguy hiểm, thông báo để nhân dân trong "
                      "khu vực biết chủ động phòng tránh.")
    assert d.lead == ("P-THUANAN",)
    assert read(index, "Văn phòng UBND tỉnh thông báo để Sở Y tế biết, thực hiện.") == []


def test_an_articles_opening_that_sums_up_the_tasks_it_then_details_is_not_a_task(index: UnitIndex) -> None:
    drafts = read(index, "TPO - Ngày 20/11, Phó Chủ tịch UBND tỉnh có chỉ đạo các sở, ngành, địa phương khẩn trương xử "
                         "lý sạt lở bờ sông.\n\nLãnh đạo tỉnh yêu cầu UBND phường Thuận An triển khai lực lượng theo dõi "
                         "sát diễn biến sạt lở.\n\nUBND tỉnh giao Sở Nông nghiệp và Môi trường khẩn trương khảo sát, đánh "
                         "giá tình hình sạt lở.")
    assert [d.lead for d in drafts] == [("P-THUANAN",), ("SNNMT",)]


def test_the_issuers_own_committee_telling_what_it_will_do_is_given_no_task(index: UnitIndex) -> None:
    for body in ("Ban Chỉ đạo tỉnh", "Ban Chỉ đạo thành phố"):
        [d] = read(index, f"UBND tỉnh yêu cầu UBND các huyện thành lập Ban Chỉ đạo. {body} sẽ kiểm tra công tác chuẩn bị "
                          "ở các địa phương.")
        assert d.lead == ("#huyen",) and "kiểm tra" not in d.content


def test_working_together_with_written_after_the_verb_names_support(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Sở Nông nghiệp và Môi trường chủ trì, phối hợp cùng UBND huyện An Lão tổ chức lễ "
                      "phát động trồng cây.")
    assert (d.lead, d.support) == (("SNNMT",), ("H-ANLAO",))


def test_every_body_named_with_the_groups_inside_it_is_every_body() -> None:
    everyone = UnitGroup("all", "Các sở, ngành, địa phương", ("các sở, ban, ngành, cơ quan, đơn vị, địa phương",),
                         tuple(u.code for u in UNITS))
    [d] = read(UnitIndex(UNITS, [*GROUPS, everyone]), "Chủ tịch UBND tỉnh chỉ đạo các sở, ban, ngành, cơ quan, đơn vị, "
                                                       "địa phương tiếp tục triển khai chương trình phòng, chống đuối nước.")
    assert d.lead == ("#all",)


def test_a_unit_heading_a_line_of_its_own_gives_the_unnumbered_line_below_to_it(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu như sau:\nSở Y tế:\nTổ chức phổ biến, quán triệt các nội dung chỉ đạo.")
    assert d.lead == ("SYT",) and d.content.startswith("Tổ chức phổ biến")


def test_an_addressee_line_keeps_the_provinces_units_and_leaves_out_the_bodies_it_lacks(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh ban hành Chỉ thị số 03/CT-UBND với yêu cầu như sau:\nThủ trưởng các Sở, ban, "
                      "ngành; các cơ quan, tổ chức Trung ương được tổ chức theo ngành dọc tại tỉnh; các Hội do Đảng và Nhà "
                      "nước giao nhiệm vụ cấp tỉnh; Chủ tịch UBND các huyện, thành phố:\nTổ chức phổ biến, quán triệt các "
                      "nội dung chỉ đạo.")
    assert d.lead == ("#so-nganh", "#huyen")
    assert d.content.startswith("Tổ chức phổ biến")


def test_the_communes_governments_after_working_with_are_support(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu UBND các huyện phối hợp với chính quyền các xã khảo sát chi tiết các "
                      "điểm bị sạt lở.")
    assert (d.lead, d.support) == (("#huyen",), ("#dia-phuong",))


def test_the_governments_of_districts_named_after_a_narrowing_word_are_those_districts(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu chính quyền các huyện miền núi An Lão, Vĩnh Thạnh đặc biệt lưu ý đến "
                      "các điểm xung yếu.")
    assert d.lead == ("H-ANLAO", "H-VINHTHANH")


def test_the_party_committees_told_with_the_local_governments_are_a_body_the_list_lacks() -> None:
    local = UnitGroup("dia-phuong", "UBND các xã, phường", ("chính quyền địa phương",), GROUPS[2].members)
    [d] = read(UnitIndex(UNITS, [*GROUPS[:2], local]), "Chủ tịch UBND tỉnh yêu cầu cấp ủy, chính quyền địa phương và "
                                                      "các lực lượng chức năng theo dõi sát diễn biến mưa lũ.")
    assert (d.lead, d.unresolved) == (("#dia-phuong",), ("cấp ủy",))


def test_the_local_police_told_in_lower_case_are_the_provinces_police(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch tỉnh yêu cầu Sở Y tế xem xét tạm dừng việc sản xuất. Tỉnh cũng yêu cầu công an địa "
                         "phương phối hợp với các đơn vị liên quan có phương án bảo vệ tính mạng, tài sản của người dân.")
    assert [d.lead for d in drafts] == [("SYT",), ("CA",)]


def test_a_photo_caption_naming_a_commune_is_no_task(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh chỉ đạo Sở Tài chính rà soát các chính sách đặc thù.\n\nĐặc khu Cồn Cỏ nhìn từ "
                      "trên cao\n\nĐối với đề án phát triển đặc khu, Chủ tịch UBND tỉnh cho rằng đây là nội dung rất quan "
                      "trọng.")
    assert d.lead == ("STC",)


def test_the_leader_named_earlier_in_the_sentence_speaks_as_a_pronoun(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh cho rằng đây là nội dung rất quan trọng, ông đề nghị cung cấp toàn bộ nội dung "
                      "đề án cho đơn vị tư vấn.")
    assert d.lead == () and "no_lead" in d.problems
    assert read(index, "Ông Nguyễn Văn A, trú tại thôn 3, đề nghị cấp giấy chứng nhận quyền sử dụng đất cho gia đình.") == []


def test_a_newspaper_among_the_helpers_is_a_body_the_list_lacks_and_the_list_goes_on(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Sở Nông nghiệp và Môi trường phối hợp với Báo Bình Phước, Sở Y tế tổ chức tuyên "
                      "truyền về việc nghiêm cấm nuôi ốc bươu vàng.")
    assert (d.lead, d.support, d.unresolved) == (("SNNMT",), ("SYT",), ("Báo Bình Phước",))
    assert d.content.startswith("tổ chức tuyên truyền")


def test_a_task_given_also_to_the_unit_of_the_letter_told_first_keeps_both(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 19-11-2026, Phó Chủ tịch UBND tỉnh đã ký công văn yêu cầu Sở Y tế tổ chức tuyên truyền về "
                         "bệnh dại.\nChủ tịch UBND tỉnh cũng giao Sở Y tế cung cấp thông tin về tác hại của bệnh dại cho "
                         "nhân dân được biết.")
    assert [d.lead for d in drafts] == [("SYT",), ("SYT",)]


def test_helpers_named_without_their_plural_still_help(index: UnitIndex) -> None:
    [d] = read(index, "Giao Sở Nông nghiệp và Môi trường chủ trì phối hợp với sở, ngành chức năng, UBND các huyện tiến hành "
                      "tổng kiểm tra các cơ sở kinh doanh thuốc bảo vệ thực vật.")
    assert (d.lead, d.support) == (("SNNMT",), ("#huyen",))
    assert d.content.startswith("tiến hành tổng kiểm tra")


def test_the_heads_of_every_agency_and_the_front_asked_beside_them_share_one_task(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Giám đốc Sở, Thủ trưởng cơ quan, ban ngành tỉnh, Chủ tịch UBND các huyện và đề nghị "
                      "Bộ Chỉ huy Quân sự tỉnh tập trung cao độ phòng, chống dịch.")
    assert d.lead == ("#so-nganh", "#huyen", "BCHQS")


def test_who_a_team_is_made_of_is_no_task(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Sở Xây dựng chủ trì thành lập đoàn kiểm tra liên ngành.\n\nThành phần đoàn kiểm tra "
                      "bao gồm lãnh đạo các sở, ngành; Chủ tịch UBND các huyện là thành viên đoàn kiểm tra.")
    assert d.lead == ("SXD",)


def test_asking_for_cooperation_as_a_noun_gives_no_task(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Sở Y tế kiểm tra các ổ dịch. Ngoài ra, tỉnh bố trí kinh phí phòng chống dịch và yêu "
                      "cầu sự phối hợp chặt chẽ giữa các ngành để ngăn chặn dịch bệnh bùng phát.")
    assert d.lead == ("SYT",)


def test_the_units_told_report_back_together_after_a_reported_instruction(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 18-11, ông Nguyễn Văn A, Phó Chủ tịch UBND tỉnh, đã giao Công an tỉnh chủ trì phối hợp với "
                         "UBND huyện An Lão, UBND huyện Vĩnh Thạnh kiểm tra thực tế, xử lý nghiêm cát tặc.\nCác đơn vị phải "
                         "báo cáo UBND tỉnh trước ngày 15-12.")
    assert [d.lead for d in drafts] == [("CA",), ("CA", "H-ANLAO", "H-VINHTHANH")]
    assert drafts[1].deadline == datetime(2026, 12, 15).date()


def test_a_chairman_signing_a_decision_is_told_no_task(index: UnitIndex) -> None:
    [d] = read(index, "Chiều qua, Giám đốc Sở Tài chính Nguyễn Văn A ký quyết định hỗ trợ 2,5 tỷ đồng cho Sở Y tế mua sinh "
                      "phẩm.\n\nTheo đó, Sở Y tế chịu trách nhiệm thực hiện việc mua sắm, gửi báo cáo kết quả thực hiện về "
                      "Sở Tài chính trước ngày 30.12.2026.")
    assert (d.lead, d.deadline) == (("SYT",), datetime(2026, 12, 30).date())


def test_points_below_a_district_told_to_direct_its_stations_are_the_districts(index: UnitIndex) -> None:
    drafts = read(index, "Sở Xây dựng đề nghị UBND các huyện, thành phố chỉ đạo các Đài Phát thanh - Truyền hình cấp huyện, "
                         "đài truyền thanh cấp xã các nội dung sau:\n\n1. Xây dựng kế hoạch tuyên truyền cuộc bầu cử.\n\n2. "
                         "Tổ chức biên tập, sản xuất nội dung thông tin.")
    assert [d.lead for d in drafts] == [("#huyen",), ("#huyen",)]


def test_a_short_form_in_brackets_after_a_unit_does_not_end_the_list() -> None:
    schools = Unit("SGDDT", "Sở Giáo dục và Đào tạo", "department", ("so-nganh",), ())
    [d] = read(UnitIndex([*UNITS, schools], GROUPS), "UBND tỉnh chỉ đạo Sở Giáo dục và Đào tạo (GD&ĐT), Sở Y tế, UBND các "
                                                     "huyện chỉ đạo các trường kiểm tra cây xanh.")
    assert d.lead == ("SGDDT", "SYT", "#huyen")


def test_a_report_due_tomorrow_morning_is_due_tomorrow(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Sở Y tế trong sáng mai phải có báo cáo gửi UBND tỉnh.")
    assert d.deadline == datetime(2026, 11, 21).date()


def test_the_department_named_again_after_a_topic_is_the_one_told_before(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh chỉ đạo Sở Nông nghiệp và Môi trường theo dõi chặt chẽ tình hình sạt lở. Đối với các "
                         "điểm đã công bố tình huống khẩn cấp, Sở cần khẩn trương trình lệnh xây dựng công trình khẩn cấp.")
    assert [d.lead for d in drafts] == [("SNNMT",), ("SNNMT",)]


def test_the_chairmen_of_the_district_and_commune_committees_without_their_plural_are_those_levels(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Chủ tịch UBND huyện và Chủ tịch UBND xã, phường ứng trực 24/24 giờ để theo dõi "
                      "tình hình.")
    assert d.lead == ("#huyen", "#dia-phuong")
    [named] = read(index, "UBND tỉnh yêu cầu Chủ tịch UBND huyện An Lão ứng trực 24/24 giờ.")
    assert named.lead == ("H-ANLAO",)


def test_an_answer_to_voters_telling_what_was_already_directed_assigns_nothing(index: UnitIndex) -> None:
    assert read(index, "Cử tri huyện An Lão đề nghị tỉnh đầu tư kè bờ sông.\nVề vấn đề này, UBND tỉnh trả lời như sau: Tiếp "
                       "thu ý kiến của cử tri, UBND tỉnh đã chỉ đạo Sở Xây dựng bổ sung các biển báo bị mất.") == []
    [d] = read(index, "Cử tri huyện An Lão đề nghị tỉnh đầu tư kè bờ sông.\nTRẢ LỜI:\nTiếp thu ý kiến của cử tri, UBND tỉnh "
                      "giao Sở Xây dựng chủ trì kiểm tra, rà soát, hoàn thành trong tháng 12/2026.")
    assert d.lead == ("SXD",)


def test_what_has_been_done_and_what_is_under_way_end_the_task_and_give_none(index: UnitIndex) -> None:
    [d] = read(index, "Phó Chủ tịch UBND tỉnh vừa có ý kiến chỉ đạo UBND các xã, phường đẩy nhanh tiến độ xóa nhà tạm; "
                      "hoàn thành trước ngày 31/12.\n\nThời gian qua, tỉnh đã nỗ lực xóa nhà tạm cho 3.964 hộ.\n\nHiện tại, "
                      "các địa phương trên địa bàn tỉnh đang tích cực triển khai thực hiện chương trình.")
    assert d.lead == ("#dia-phuong",) and d.content == "đẩy nhanh tiến độ xóa nhà tạm"
