"""Issue 25, fifth round: classes of writing seen failing on the fresh corpus's parts used as development data
(test, test2, test3 and dev), in short sentences written for these tests in the style of notices and press
summaries: warnings that make someone answerable, photo captions, closing formulas, a title shared by a list
after a colon, voters' requests quoted in an answer."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.units import Unit, UnitGroup
from bot.parsing import UnitIndex
from bot.parsing.result import PROBLEM_NO_LEAD
from tests.unit.parsing.unseen.province import GROUPS, UNITS, read


def test_a_warning_that_makes_the_units_answerable_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao Sở Y tế kiểm tra các cơ sở khám bệnh trên địa bàn. Giám đốc Sở Y tế, "
                         "Chủ tịch UBND các huyện chịu trách nhiệm trước Chủ tịch UBND tỉnh nếu để xảy ra dịch bệnh.")
    assert [d.lead for d in drafts] == [("SYT",)] and "trách nhiệm" not in drafts[0].content


def test_a_warning_after_a_condition_is_no_task_either(index: UnitIndex) -> None:
    drafts = read(index, "Sở Xây dựng rà soát các công trình chậm tiến độ. Trong trường hợp để chậm trễ, người đứng "
                         "đầu các địa phương chịu hoàn toàn trách nhiệm trước UBND tỉnh.")
    assert [d.lead for d in drafts] == [("SXD",)] and "trách nhiệm" not in drafts[0].content


def test_a_warning_with_no_subject_does_not_go_on_with_the_task_before(index: UnitIndex) -> None:
    drafts = read(index, "Sở Nông nghiệp và Môi trường đề xuất giải pháp xử lý các điểm ô nhiễm. Chịu trách nhiệm "
                         "trước UBND tỉnh nếu tình trạng ô nhiễm không được cải thiện.")
    assert [d.lead for d in drafts] == [("SNNMT",)] and drafts[0].content.endswith("các điểm ô nhiễm")


def test_a_unit_given_responsibility_for_a_result_keeps_its_task(index: UnitIndex) -> None:
    [d] = read(index, "Giao Sở Tài chính chịu trách nhiệm trước UBND tỉnh về số liệu báo cáo quyết toán.")
    assert d.lead == ("STC",) and "số liệu báo cáo quyết toán" in d.content


def test_a_photo_caption_between_paragraphs_is_no_task_and_no_content(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu Sở Xây dựng kiểm tra các cầu treo bị hư hỏng.\n"
                         "Cầu treo ở huyện An Lão bị nước lũ cuốn trôi ẢNH: CÔNG AN TỈNH\n"
                         "Sở Y tế chuẩn bị đủ thuốc, vật tư cho vùng lũ.")
    assert [d.lead for d in drafts] == [("SXD",), ("SYT",)]
    assert all("ẢNH" not in d.content for d in drafts)


def test_a_caption_line_above_its_credit_is_left_out(index: UnitIndex) -> None:
    drafts = read(index, "Sở Nông nghiệp và Môi trường đề xuất giải pháp xử lý các điểm ô nhiễm.\n"
                         "Chỉ đạo xử lý ô nhiễm kênh rạch - Ảnh 1\n"
                         "Ảnh: Minh Anh\n"
                         "Sở Xây dựng nạo vét kênh thoát nước.")
    assert [d.lead for d in drafts] == [("SNNMT",), ("SXD",)] and drafts[0].content.endswith("các điểm ô nhiễm")


def test_a_chairman_of_a_city_in_the_list_is_that_city_not_the_issuer() -> None:
    index = UnitIndex([*UNITS, Unit("TP-QUYNHON", "UBND thành phố Quy Nhơn", "district", ("huyen",), ())], GROUPS)
    [d] = read(index, "Chủ tịch UBND tỉnh có ý kiến chỉ đạo giao Chủ tịch UBND thành phố Quy Nhơn khẩn trương kiểm tra "
                      "dự án khu đô thị.")
    assert d.lead == ("TP-QUYNHON",) and d.content.startswith("khẩn trương kiểm tra")


def test_an_announced_letter_with_no_addressee_is_the_articles_lead_when_named_tasks_follow(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh vừa ban hành Văn bản số 3105/UBND-XD chỉ đạo kiểm tra dự án khu đô thị mới.\n"
                         "Về việc này, Chủ tịch UBND tỉnh giao Sở Xây dựng khẩn trương kiểm tra dự án; báo cáo kết quả "
                         "về UBND tỉnh.")
    assert [d.lead for d in drafts] == [("SXD",)]


def test_a_photos_title_above_its_caption_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Phó Chủ tịch UBND tỉnh đã ký công văn khẩn về vụ khai thác cát trái phép.\n"
                         "Bình Định: Chủ tịch UBND tỉnh chỉ đạo làm rõ vụ khai thác cát trái phép\n"
                         "Xe múc cát tại hiện trường - Ảnh: Q.H\n"
                         "Chủ tịch UBND tỉnh giao Sở Nông nghiệp và Môi trường kiểm tra, xác minh, báo cáo UBND tỉnh "
                         "trước ngày 30/11/2026.")
    assert [d.lead for d in drafts] == [("SNNMT",)]


def test_an_illustration_caption_that_reads_like_an_instruction_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Tỉnh chỉ đạo các xã, phường quản lý chặt chẽ tàu thuyền ra khơi (Ảnh minh họa: Minh Châu).\n"
                         "UBND tỉnh yêu cầu Sở Nông nghiệp và Môi trường theo dõi sát diễn biến của bão.")
    assert [d.lead for d in drafts] == [("SNNMT",)]


def test_what_the_province_did_before_for_nobody_named_is_left_out_beside_todays_tasks(index: UnitIndex) -> None:
    drafts = read(index, "Theo ông Tuấn, thời gian qua, tỉnh đã chỉ đạo nhiều giải pháp quyết liệt song kết quả vẫn "
                         "chưa như kỳ vọng.\nChủ tịch UBND tỉnh giao Sở Nông nghiệp và Môi trường đôn đốc UBND các "
                         "huyện tổng hợp báo cáo UBND tỉnh.")
    assert [d.lead for d in drafts] == [("SNNMT",)]


def test_the_executing_formula_of_a_decision_without_nay_assigns_nothing(index: UnitIndex) -> None:
    text = ("Chủ tịch UBND tỉnh vừa ban hành Quyết định số 2027/QĐ-UBND công nhận xã đạt chuẩn nông thôn mới năm 2026. "
            "Chủ tịch UBND tỉnh giao Chánh Văn phòng UBND tỉnh, Chủ tịch UBND huyện An Lão và Thủ trưởng các đơn vị có "
            "liên quan chịu trách nhiệm thi hành Quyết định.")
    assert read(index, text) == []


def test_a_unit_telling_what_it_will_do_is_asked_about(index: UnitIndex) -> None:
    text = ("Vừa qua, đoàn kiểm tra liên ngành đã kiểm tra 55 cơ sở kinh doanh lưu trú trên địa bàn, lập biên bản nhắc "
            "nhở 45 đơn vị kinh doanh và xử phạt hành chính 5 trường hợp vi phạm, nộp ngân sách nhà nước 17 triệu đồng.\n"
            "Thời gian tới, Sở Y tế sẽ tiếp tục phối hợp tổ chức nhiều đợt kiểm tra an toàn thực phẩm tại các cơ sở "
            "kinh doanh dịch vụ ăn uống nhằm chấn chỉnh hoạt động kinh doanh.")
    [d] = read(index, text)
    assert "background" in d.questions


def test_a_request_to_carry_out_this_letter_after_the_tasks_is_the_closing_formula(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh đề nghị Sở Y tế chỉ đạo triển khai nghiêm các biện pháp phòng, chống dịch. "
                         "Chủ tịch UBND tỉnh đề nghị các cơ quan, đơn vị có liên quan khẩn trương, nghiêm túc triển khai "
                         "thực hiện nội dung công văn này.")
    assert [d.lead for d in drafts] == [("SYT",)]


def test_what_the_voters_asked_under_their_heading_is_no_task(index: UnitIndex) -> None:
    text = ("Cử tri xã Phú Thịnh, huyện An Lão đề nghị:\n"
            "Sở Xây dựng kiểm tra, lắp đặt các biển báo an toàn giao thông trên tuyến đường qua xã.\n"
            "TRẢ LỜI:\n"
            "Sở Xây dựng đã kiểm tra và lắp đặt xong 02 biển báo trên tuyến đường.")
    assert read(index, text) == []


def test_the_issuer_speaking_after_the_voters_request_still_assigns(index: UnitIndex) -> None:
    text = ("Cử tri xã Phú Thịnh, huyện An Lão đề nghị:\n"
            "Sửa chữa tuyến đường liên xã bị sạt lở.\n"
            "UBND tỉnh giao Sở Xây dựng kiểm tra, đề xuất phương án sửa chữa tuyến đường.")
    [d] = read(index, text)
    assert d.lead == ("SXD",) and d.content.startswith("kiểm tra, đề xuất")


def test_a_title_before_a_colon_is_shared_by_the_units_listed_after_it(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh có ý kiến như sau: Giao Giám đốc: Sở Y tế, Sở Tài chính, Sở Xây dựng phối hợp "
                      "với UBND các huyện tiếp tục tuyên truyền phòng, chống dịch bệnh.")
    assert (d.lead, d.support) == (("SYT", "STC", "SXD"), ("#huyen",))
    assert d.content.startswith("tiếp tục tuyên truyền")


def test_a_group_narrowed_with_its_members_in_brackets_is_those_members(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu Sở Y tế và UBND các huyện ven biển (An Lão, Vĩnh Thạnh) tập trung nguồn lực "
                      "xử lý dứt điểm các ổ dịch.")
    assert d.lead == ("SYT", "H-ANLAO", "H-VINHTHANH") and d.content.startswith("tập trung nguồn lực")


def test_the_departments_at_the_provinces_level_that_are_concerned_name_nobody(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu các sở, ngành cấp tỉnh có liên quan và Sở Xây dựng rà soát các công trình.")
    assert d.lead == ("SXD",)


def test_the_local_authorities_are_the_communes_after_july_2025_and_the_districts_before() -> None:
    communes = UnitGroup("dia-phuong", "UBND các xã, phường", ("các xã, phường", "các địa phương"), ("P-THUANAN",))
    index = UnitIndex(UNITS, [g for g in GROUPS if g.code != "dia-phuong"] + [communes])
    [d] = read(index, "UBND tỉnh yêu cầu các sở, ngành và chính quyền địa phương tăng cường tuần tra tại các điểm ngập sâu.")
    assert d.lead == ("#so-nganh", "#dia-phuong")
    [d] = read(index, "UBND tỉnh giao Công an tỉnh và chính quyền địa phương định kỳ kiểm tra an toàn phòng cháy.",
                at=datetime.fromisoformat("2023-02-15T09:00:00+07:00"))
    assert d.lead == ("CA", "#huyen") and "vague_unit:chính quyền địa phương" in d.questions


def test_a_unit_told_to_write_a_letter_after_an_opening_phrase_is_a_task(index: UnitIndex) -> None:
    [d] = read(index, "Liên quan đến việc trả lại đất rừng, UBND tỉnh yêu cầu UBND huyện An Lão có văn bản trả lời "
                      "cho ông Hồ Văn Hoài rõ.")
    assert d.lead == ("H-ANLAO",) and d.content.startswith("có văn bản trả lời")


def test_the_year_of_an_aim_before_the_issuer_is_no_deadline(index: UnitIndex) -> None:
    [d] = read(index, "Để chủ động phòng cháy, chữa cháy rừng, nhằm giảm đến mức thấp nhất số vụ cháy rừng trong năm "
                      "2027, UBND tỉnh yêu cầu Sở Nông nghiệp và Môi trường tăng cường tuần tra, canh gác lửa rừng.")
    assert d.lead == ("SNNMT",) and d.deadline is None


def test_a_places_name_and_a_dash_before_the_article_is_its_dateline(index: UnitIndex) -> None:
    [d] = read(index, "Bình Định - Chủ tịch UBND tỉnh Bình Định chỉ đạo Sở Y tế; UBND các huyện: An Lão, Vĩnh Thạnh "
                      "khắc phục tình trạng xâm phạm công trình kè biển.")
    assert d.lead == ("SYT", "H-ANLAO", "H-VINHTHANH")


def test_where_the_invited_units_attend_a_meeting_is_no_task(index: UnitIndex) -> None:
    text = ("3. Thành phần mời tham dự:\n- Giám đốc các sở, ban, ngành;\n- Chủ tịch UBND các huyện.\n"
            "4. Địa điểm:\n- Các sở, ban, ngành dự họp tại phòng họp lớn của UBND tỉnh;\n"
            "- UBND các huyện dự họp tại phòng họp trực tuyến của các huyện.\n"
            "5. Giao Sở Y tế chuẩn bị tài liệu phiên họp, hoàn thành trước ngày 25/11/2026.")
    assert [d.lead for d in read(index, text)] == [("SYT",)]


def test_what_an_officer_reports_his_unit_did_is_no_task(index: UnitIndex) -> None:
    text = ("Tại hội nghị, Đại tá Phạm Văn Giang, Phó Giám đốc Công an tỉnh Bình Định cho biết, công an tỉnh đã chỉ "
            "đạo điều tra làm rõ vụ việc.\nGiám đốc Sở Y tế yêu cầu Sở Xây dựng kiểm tra nguồn nước.")
    assert [d.lead for d in read(index, text)] == [("SXD",)]


def test_a_party_secretary_named_before_the_verb_speaks_for_the_province(index: UnitIndex) -> None:
    [d] = read(index, "Cũng tại hội nghị, ông Mùa A Sơn, Phó Bí thư Thường trực Tỉnh ủy Bình Định đề nghị các cơ quan "
                      "chức năng và UBND các huyện phải thường xuyên kiểm tra chất lượng nguồn nước.")
    assert d.lead == ("#huyen",) and d.content.startswith("phải thường xuyên kiểm tra")


def test_letters_sent_before_to_a_unit_are_left_out_beside_the_task_given_now(index: UnitIndex) -> None:
    drafts = read(index, "Vụ việc đã kéo dài, UBND tỉnh đã có nhiều văn bản chỉ đạo UBND huyện An Lão nhưng chưa được "
                         "giải quyết. Để giải quyết dứt điểm, UBND tỉnh giao Sở Xây dựng chủ trì, phối hợp với UBND huyện "
                         "An Lão kiểm tra thực tế, báo cáo UBND tỉnh trước ngày 20/12/2026.")
    assert [(d.lead, d.support) for d in drafts] == [(("SXD",), ("H-ANLAO",))]


def test_what_the_issuer_will_do_is_its_own_commitment(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao Công an tỉnh định kỳ kiểm tra an toàn phòng cháy tại các cơ sở karaoke. UBND "
                         "tỉnh sẽ chỉ đạo các sở, ngành công khai các công trình vi phạm trên các phương tiện thông tin.")
    assert [d.lead for d in drafts] == [("CA",)]


def test_a_press_report_of_the_instruction_in_the_past_tense_is_still_the_task(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 18-11, ông Trần Văn An, Phó Chủ tịch UBND tỉnh, đã giao Công an tỉnh chủ trì kiểm tra, xử "
                         "lý khai thác cát trái phép. Sở Xây dựng báo cáo UBND tỉnh trước ngày 15-12.")
    assert [d.lead for d in drafts] == [("CA",), ("SXD",)]


def test_a_report_sent_by_a_district_before_the_issuer_speaks_is_not_told_as_past(index: UnitIndex) -> None:
    text = ("1. Về nội dung kiến nghị trả lại đất rừng, UBND huyện An Lão đã có Báo cáo số 100/BC-UBND ngày 08/11/2026, "
            "UBND tỉnh yêu cầu UBND huyện An Lão trả lời cho công dân rõ.\n"
            "2. Giao Sở Xây dựng kiểm tra, xử lý theo quy định, báo cáo UBND tỉnh trước ngày 20/12/2026.")
    drafts = read(index, text)
    assert [d.lead for d in drafts] == [("H-ANLAO",), ("SXD",)] and "background" not in drafts[0].questions


def test_a_deadline_glued_to_the_word_before_is_still_read(index: UnitIndex) -> None:
    [d] = read(index, "Giao Sở Tài chính tổng hợp báo cáo kết quả thực hiện về Sở Nông nghiệp và Môi trườngtrước ngày "
                      "10/12/2026.")
    assert d.lead == ("STC",) and d.deadline == date(2026, 12, 10)


def test_a_headline_that_names_nobody_is_the_articles_title_when_tasks_follow(index: UnitIndex) -> None:
    text = ("Chỉ đạo, đôn đốc triển khai công tác chuyển đổi số trên địa bàn tỉnh\n"
            "Văn phòng UBND tỉnh truyền đạt ý kiến của Phó Chủ tịch UBND tỉnh tại Công văn số 2881/VP-KGVX.\n"
            "Theo đó, yêu cầu Sở Tài chính chủ trì rà soát các nội dung chuyển đổi số thuộc trách nhiệm của tỉnh.")
    assert [d.lead for d in read(index, text)] == [("STC",)]


def test_a_past_summary_of_the_instructions_detailed_below_is_left_out(index: UnitIndex) -> None:
    text = ("Tối 20.11, thông tin từ UBND tỉnh cho biết, tỉnh đã chỉ đạo các sở, ngành liên quan và UBND P.Thuận An "
            "khẩn trương triển khai các biện pháp ứng phó, khắc phục vụ sạt lở.\n"
            "Theo đó, UBND phường Thuận An được yêu cầu theo dõi sát diễn biến sạt lở, cắm biển cảnh báo.\n"
            "Sở Nông nghiệp và Môi trường khảo sát, đánh giá mức độ sạt lở, tham mưu UBND tỉnh biện pháp xử lý.")
    assert [d.lead for d in read(index, text)] == [("P-THUANAN",), ("SNNMT",)]


def test_a_district_in_an_address_is_no_subject() -> None:
    index = UnitIndex([*UNITS, Unit("H-HAILANG", "UBND huyện Hải Lăng", "district", ("huyen",), ("huyện Hải Lăng",))],
                      GROUPS)
    text = ("UBND tỉnh nhận đơn kiến nghị của một số hộ gia đình tại khu dân cư đội 5, xã Hải Ba, huyện Hải Lăng về kế "
            "hoạch làm nhà máy tại xã Hải Ba (sao gửi kèm). Sau khi xem xét, UBND tỉnh có ý kiến như sau:\n"
            "Giao UBND huyện Hải Lăng chủ trì giải quyết theo quy định, báo cáo UBND tỉnh trước ngày 20/12/2026.")
    [d] = read(index, text)
    assert d.lead == ("H-HAILANG",) and d.content.startswith("giải quyết theo quy định")


def test_a_unit_issuing_a_letter_is_told_not_given_a_task(index: UnitIndex) -> None:
    text = ("Thực hiện chỉ đạo của UBND tỉnh tại Công văn số 523/UBND-TH ngày 20/10/2026, ngày 31/10/2026, Sở Xây dựng "
            "ban hành Công văn số 404/SXD-QLCL về việc kiểm tra an toàn công trình.\n"
            "Theo đó, Sở Xây dựng đề nghị UBND các huyện chỉ đạo kiểm tra an toàn các công trình trên địa bàn.")
    assert [d.lead for d in read(index, text)] == [("#huyen",)]


def test_an_office_telling_the_press_it_sent_a_letter_is_no_task(index: UnitIndex) -> None:
    text = ("Sở Y tế tỉnh Bình Định ngày 1.10 cho hay đã có công văn truyền đạt ý kiến chỉ đạo của Chủ tịch UBND tỉnh về "
            "việc sửa chữa các cầu treo bị hư hỏng. Theo đó, yêu cầu UBND các huyện khẩn trương kiểm tra, sửa chữa tạm "
            "thời những hư hỏng.")
    assert [d.lead for d in read(index, text)] == [("#huyen",)]


def test_the_investors_told_what_they_must_do_are_asked_about(index: UnitIndex) -> None:
    drafts = read(index, "Các chủ đầu tư phải đẩy nhanh tiến độ thực hiện dự án, hoàn thành các thủ tục để giải ngân vốn "
                         "đầu tư. UBND tỉnh giao Sở Tài chính theo dõi, báo cáo tình hình giải ngân.")
    assert [d.lead for d in drafts] == [(), ("STC",)] and PROBLEM_NO_LEAD in drafts[0].problems
    assert drafts[0].content.startswith("phải đẩy nhanh tiến độ")


def test_a_request_that_announces_the_key_tasks_below_is_no_task_of_its_own(index: UnitIndex) -> None:
    text = ("Chủ tịch UBND tỉnh yêu cầu Giám đốc các sở, ngành, Chủ tịch UBND các huyện tập trung chỉ đạo thực hiện "
            "đồng bộ, có hiệu quả các nhiệm vụ, giải pháp trọng tâm sau:\n"
            "Sở Xây dựng: Theo dõi, kiểm tra chất lượng các công trình trọng điểm.\n"
            "Sở Y tế: Bảo đảm đủ thuốc, vật tư y tế phục vụ nhân dân.")
    drafts = read(index, text)
    assert [(d.lead, d.unresolved) for d in drafts] == [(("SXD",), ()), (("SYT",), ())]
    assert drafts[0].content.startswith("Theo dõi, kiểm tra")


def test_thanh_tra_in_lower_case_in_a_row_of_verbs_is_the_verb() -> None:
    index = UnitIndex([*UNITS, Unit("TTR", "Thanh tra tỉnh", "agency", ("so-nganh",), ("Thanh tra",))], GROUPS)
    [d] = read(index, "UBND huyện An Lão khẩn trương rà soát các đồ án quy hoạch. Tổ chức tuyên truyền, vận động để "
                      "người dân biết, chấp hành quy định của pháp luật, tăng cường công tác kiểm tra, thanh tra và xử lý "
                      "nghiêm minh các vi phạm thuộc địa bàn quản lý.")
    assert d.lead == ("H-ANLAO",) and "thanh tra và xử lý nghiêm minh" in d.content


def test_the_communes_counted_after_ubnd_are_the_communes_group(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh giao thủ trưởng các sở, ngành, chủ tịch UBND 78 xã, phường, đặc khu nghiêm túc "
                      "cung cấp số liệu để xây dựng bảng giá đất.")
    assert d.lead == ("#so-nganh", "#dia-phuong")


def test_fields_listed_in_lower_case_are_no_departments() -> None:
    units = [u for u in UNITS if u.code != "STC"] + [Unit("STC", "Sở Tài chính", "department", ("so-nganh",),
                                                          ("Tài chính", "Sở Kế hoạch và Đầu tư"))]
    index = UnitIndex(units, GROUPS)
    drafts = read(index, "UBND tỉnh yêu cầu Sở Xây dựng rà soát quy trình công việc. Việc kết nối dữ liệu sẽ tập trung vào "
                         "40 nhóm thông tin thuộc các lĩnh vực như kế hoạch, tài chính, y tế, giáo dục…\n"
                         "Công an tỉnh đảm bảo an toàn thông tin cho các hệ thống.")
    assert [d.lead for d in drafts] == [("SXD",), ("CA",)]


def test_a_unit_after_trong_khi_takes_a_task_of_its_own(index: UnitIndex) -> None:
    drafts = read(index, "Công an tỉnh đảm bảo an toàn thông tin, an ninh mạng cho các hệ thống, trong khi Sở Y tế chủ trì "
                         "thúc đẩy ứng dụng dữ liệu vào công tác điều hành.")
    assert [(d.lead, d.content) for d in drafts] == [
        (("CA",), "đảm bảo an toàn thông tin, an ninh mạng cho các hệ thống"),
        (("SYT",), "thúc đẩy ứng dụng dữ liệu vào công tác điều hành")]


def test_an_opening_phrase_with_trong_khi_before_the_issuer_speaks(index: UnitIndex) -> None:
    [d] = read(index, "Theo đó, trong khi chờ Thông báo kết luận của Thủ tướng Chính phủ, Chủ tịch UBND tỉnh yêu cầu Sở Y "
                      "tế tiếp tục thực hiện các biện pháp cấp bách phòng, chống dịch.")
    assert d.lead == ("SYT",) and d.content.startswith("tiếp tục thực hiện")


def test_a_groups_phrase_without_cac_goes_on_with_a_list_of_groups() -> None:
    departments = UnitGroup("so-nganh", "Các sở, ban, ngành", ("các sở, ngành", "các ban, ngành"),
                            ("SYT", "STC", "STP", "SXD", "SNNMT"))
    index = UnitIndex(UNITS, [g for g in GROUPS if g.code != "so-nganh"] + [departments])
    [d] = read(index, "UBND tỉnh yêu cầu UBND các huyện, ban, ngành cấp tỉnh và các đơn vị liên quan tập trung chỉ đạo "
                      "khắc phục hậu quả thiên tai.")
    assert d.lead == ("#huyen", "#so-nganh") and d.content.startswith("tập trung chỉ đạo")


def test_a_letter_sent_out_phat_di_with_nobody_told_is_the_articles_lead(index: UnitIndex) -> None:
    text = ("UBND tỉnh vừa phát đi văn bản yêu cầu xử lý triệt để các điểm ngập úng trên địa bàn.\n"
            "UBND tỉnh cũng yêu cầu Sở Xây dựng tăng cường công tác phát triển hệ thống cây xanh, tạo mỹ quan đô thị.")
    assert [d.lead for d in read(index, text)] == [("SXD",)]


def test_departments_concerned_after_a_group_stay_nobody_in_particular() -> None:
    departments = UnitGroup("so-nganh", "Các sở, ban, ngành", ("các sở, ngành", "các sở, ban, ngành"),
                            ("SYT", "STC", "STP", "SXD", "SNNMT"))
    index = UnitIndex(UNITS, [g for g in GROUPS if g.code != "so-nganh"] + [departments])
    [d] = read(index, "UBND tỉnh yêu cầu Sở Y tế, UBND các huyện, sở, ban, ngành liên quan rà soát mạng lưới trạm y tế.")
    assert d.lead == ("SYT", "#huyen")


def test_a_letter_the_province_sent_that_day_is_the_instruction_itself(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 18/11/2026 UBND tỉnh đã có công văn số 3459/UBND-NL chỉ đạo Sở Y tế tiếp nhận thuốc hỗ trợ "
                         "để bàn giao cho UBND các huyện kịp thời.\nSở Tài chính có trách nhiệm đôn đốc, kiểm tra việc tiếp "
                         "nhận, phân bổ thuốc.")
    assert [d.lead for d in drafts] == [("SYT",), ("STC",)]


def test_work_teams_told_what_they_must_do_are_a_body_to_ask_about(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu các sở, ngành tăng cường tuần tra tại các điểm ngập sâu. Các tổ công tác phải "
                         "kiên quyết yêu cầu người dân quay trở lại nơi an toàn.")
    assert [(d.lead, d.unresolved) for d in drafts] == [(("#so-nganh",), ()), ((), ("Các tổ công tác",))]
