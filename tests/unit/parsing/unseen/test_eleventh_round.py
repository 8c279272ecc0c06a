"""Issue 25, eleventh round: classes of writing seen failing on the fresh corpus (test10 used as development data with the
parts before it), in short sentences written for these tests in the style of telegrams, letters and press reports."""

from __future__ import annotations

from datetime import date, datetime

from bot.parsing import UnitIndex
from bot.parsing.normalise import Analysed
from tests.unit.parsing.unseen.province import read

BEFORE_2025 = datetime.fromisoformat("2024-06-17T09:00:00+07:00")


def test_the_province_named_after_the_issuer_still_asks_whom_a_task_is_for(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh Quảng Trị yêu cầu các chủ rừng kiểm tra lại toàn bộ diện tích rừng bị lấn chiếm.")
    assert d.lead == ()
    assert "kiểm tra lại toàn bộ diện tích rừng bị lấn chiếm" in d.content


def test_a_letter_a_leader_signed_asks_for_its_task_naming_nobody(index: UnitIndex) -> None:
    [d] = read(index, "Ngày 15-10, ông Nguyễn Văn An - Chủ tịch UBND tỉnh Quảng Trị, đã ký văn bản yêu cầu tạm dừng ngay "
                      "thi công dự án khu du lịch sinh thái.")
    assert d.lead == ()
    assert d.content == "tạm dừng ngay thi công dự án khu du lịch sinh thái"


def test_the_other_localities_are_the_group_not_the_first_word_of_the_task(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu các sở, ngành, UBND phường Thuận An và các xã, phường khác tổ chức kiểm "
                      "tra nắm rõ tình hình thiệt hại.")
    assert d.content == "tổ chức kiểm tra nắm rõ tình hình thiệt hại"
    assert d.lead == ("#so-nganh", "P-THUANAN", "#dia-phuong")


def test_where_a_leader_directed_is_no_verb_that_assigns(index: UnitIndex) -> None:
    drafts = read(index, "Chỉ đạo tại buổi kiểm tra, ông Thiệu nhấn mạnh, theo dự báo từ tối 11/5 trên địa bàn tỉnh sẽ tiếp "
                         "tục xảy ra mưa to. Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng kiểm tra các tuyến đường bị sạt lở.",
                  BEFORE_2025)
    assert [(d.lead, d.content) for d in drafts] == [(("SXD",), "kiểm tra các tuyến đường bị sạt lở")]


def test_a_generic_subject_opening_a_paragraph_with_a_task_verb_is_a_task_of_its_own(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao Bộ Chỉ huy Quân sự tỉnh bố trí nhân lực, phương tiện vận chuyển gạo đến các xã, "
                         "hoàn thành trước ngày 25/11/2026.\n\nCác sở, ngành, đơn vị liên quan hướng dẫn cấp xã thực hiện các "
                         "thủ tục cấp phát theo quy định.")
    assert [d.lead for d in drafts] == [("BCHQS",), ()]
    assert drafts[0].deadline == date(2026, 11, 25)
    assert drafts[1].content.startswith("hướng dẫn cấp xã thực hiện các thủ tục cấp phát")


def test_a_ceremony_or_meeting_held_that_day_is_news(index: UnitIndex) -> None:
    drafts = read(index, "Sáng 8-8, tại phường Thuận An, Sở Xây dựng tổ chức Lễ công bố các đội kiểm tra chuyên ngành. Sáng "
                         "cùng ngày (8/8), Công an tỉnh tổ chức phiên họp đầu tiên sau hợp nhất. Chủ tịch UBND tỉnh yêu cầu "
                         "Sở Xây dựng rà soát các công trình xây dựng không phép.")
    assert [d.lead for d in drafts] == [("SXD",)]
    assert drafts[0].content == "rà soát các công trình xây dựng không phép"


def test_the_competent_authorities_are_whoever_is_concerned_not_an_unknown_body(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu cơ quan chức năng phải chủ động rà soát các đoạn đê có nguy cơ sạt lở.")
    assert (d.lead, d.unresolved) == ((), ())
    assert "rà soát các đoạn đê có nguy cơ sạt lở" in d.content


def test_the_announcement_of_a_letter_before_its_tasks_is_no_task_of_its_own(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 7-10, Chủ tịch UBND tỉnh ký ban hành Công văn số 3137/UBND-KT chỉ đạo khẩn cấp ứng phó mưa "
                         "lũ, ngập lụt đặc biệt nguy hiểm.\n\nMực nước các sông chính đã vượt mức báo động 3.\n\nTrước tình "
                         "hình trên, Chủ tịch UBND tỉnh yêu cầu Chủ tịch UBND các xã, phường chịu trách nhiệm về công tác "
                         "di dời, sơ tán người dân khỏi các khu vực trũng thấp.")
    assert [d.lead for d in drafts] == [("#dia-phuong",)]


def test_who_attended_a_citizens_reception_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Cùng tham dự buổi tiếp công dân có lãnh đạo Văn phòng Tỉnh ủy, Ban Nội chính Tỉnh ủy và Sở Tư "
                         "pháp.\n\nGiao Sở Tư pháp tiếp tục hướng dẫn công dân thực hiện quyền khiếu nại.")
    assert [(d.lead, d.content) for d in drafts] == [(("STP",), "tiếp tục hướng dẫn công dân thực hiện quyền khiếu nại")]


def test_a_task_given_after_a_long_account_of_the_case_is_read(index: UnitIndex) -> None:
    [d] = read(index, "Tại buổi tiếp công dân, Chủ tịch UBND tỉnh đã cho ý kiến chỉ đạo cụ thể đối với vụ việc đề nghị chi "
                      "trả chính sách của công nhân nghỉ chế độ thuộc đoạn quản lý đường bộ số 2 khi thực hiện chuyển đổi, cổ "
                      "phần hóa doanh nghiệp nhà nước trên địa bàn tỉnh và giao Giám đốc Sở Tài chính nghiên cứu, đề xuất "
                      "kinh phí giải quyết chính sách.")
    assert d.lead == ("STC",)
    assert d.content.startswith("nghiên cứu, đề xuất kinh phí giải quyết chính sách")


def test_the_afternoon_of_a_day_is_a_deadline_that_day(index: UnitIndex) -> None:
    [d] = read(index, "Giao Sở Tư pháp xử lý các nội dung khiếu nại, tố cáo trong buổi chiều ngày 23/11/2026.")
    assert d.deadline == date(2026, 11, 23)


def test_what_a_leader_says_of_a_landslide_is_news_the_task_follows(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 1-12, ông Đinh Văn Dũng, Chủ tịch UBND phường Thuận An (tỉnh Quảng Trị), cho biết trên địa "
                         "bàn phường xuất hiện sạt lở tại khu vực cầu, uy hiếp an toàn nhà dân.\n\nChủ tịch UBND tỉnh yêu cầu UBND phường Thuận An theo dõi "
                         "chặt chẽ diễn biến khu vực sạt lở.")
    assert [(d.lead, d.content) for d in drafts] == [(("P-THUANAN",), "theo dõi chặt chẽ diễn biến khu vực sạt lở")]


def test_a_press_tag_before_the_issuer_is_no_body(index: UnitIndex) -> None:
    drafts = read(index, "KTNT UBND tỉnh vừa ban hành Quyết định số 474/QĐ-UBND về việc công nhận 02 xã đạt chuẩn nông "
                         "thôn mới kiểu mẫu năm 2020.\n\nĐồng thời, UBND tỉnh cũng giao UBND huyện An Lão công bố quyết định "
                         "công nhận.", BEFORE_2025)
    assert all("KTNT" not in d.unresolved for d in drafts)
    assert drafts[-1].lead == ("H-ANLAO",)


def test_a_helpers_name_cut_at_its_comma_keeps_the_task(index: UnitIndex) -> None:
    [d] = read(index, "Tiếp thu ý kiến của cử tri, Ủy ban nhân dân tỉnh giao UBND huyện An Lão chủ trì, phối hợp với Ban Di "
                      "dân, tái định cư thủy điện khẩn trương kiểm tra, rà soát lại hồ sơ của 02 hộ dân nêu trên.",
               BEFORE_2025)
    assert d.lead == ("H-ANLAO",)
    assert "khẩn trương kiểm tra, rà soát lại hồ sơ" in d.content


def test_new_years_eve_and_what_a_place_became_are_no_tasks(index: UnitIndex) -> None:
    assert read(index, "Ngày 10/2, Chủ tịch UBND phường Thuận An cho biết vào thời khắc Giao thừa tại sân vận động phường sẽ "
                       "có màn bắn pháo hoa tầm thấp.") == []
    assert read(index, "Đặc khu Cồn Cỏ chính thức trở thành đơn vị hành chính cấp xã từ ngày 01/7/2025 và áp dụng mô hình "
                       "chính quyền địa phương hai cấp.") == []


def test_a_leader_named_again_by_one_word_of_the_name_speaks_a_new_task(index: UnitIndex) -> None:
    drafts = read(index, "Cùng ngày, ông Đào Mỹ, Phó Chủ tịch UBND tỉnh, yêu cầu Sở Xây dựng khẩn trương kiểm tra hiện "
                         "trường, lập phương án khắc phục.\n\nÔng Mỹ cũng yêu cầu UBND phường Thuận An làm việc với chủ đầu "
                         "tư dự án để thực hiện đúng quy định.")
    assert [d.lead for d in drafts] == [("SXD",), ("P-THUANAN",)]
    assert drafts[1].content == "làm việc với chủ đầu tư dự án để thực hiện đúng quy định"


def test_what_a_disaster_did_to_a_place_is_news(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh yêu cầu các đơn vị liên quan di dời dân ra khỏi vùng nguy hiểm.\n\nTình trạng "
                         "sạt lở đất được chỉ rõ đối với 2 huyện. Cụ thể:\n\nUBND huyện An Lão, sạt lở đất ở phía Đông nhà "
                         "máy thủy điện; huyện Vĩnh Thạnh bị thiệt hại 2 cây cầu.", BEFORE_2025)
    assert [d.lead for d in drafts] == [()]
    assert drafts[0].content == "di dời dân ra khỏi vùng nguy hiểm"


# Mended on review: a helper fed the round's rules ordinary directives written for the purpose and found these misread.


def test_a_task_to_advise_the_public_given_to_a_department_is_kept(index: UnitIndex) -> None:
    drafts = read(index, "Giao Sở Y tế:\n- khuyến cáo người dân chủ động phòng bệnh sốt xuất huyết;\n- kiểm tra các cơ sở y tế.")
    assert [d.lead for d in drafts] == [("SYT",), ("SYT",)]
    assert drafts[0].content.startswith("khuyến cáo người dân chủ động phòng bệnh")


def test_damage_that_must_be_dealt_with_is_a_task_not_news(index: UnitIndex) -> None:
    drafts = read(index, "- Sở Xây dựng: hư hỏng trên các tuyến đường tỉnh phải được khắc phục xong trước ngày 15/12/2026.\n"
                         "- UBND huyện An Lão: sạt lở tại các điểm trường học phải được xử lý trước ngày 10/12/2026.")
    assert [(d.lead, d.deadline) for d in drafts] == [(("SXD",), date(2026, 12, 15)), (("H-ANLAO",), date(2026, 12, 10))]


def test_a_meeting_to_be_held_on_a_later_day_or_at_once_is_a_task(index: UnitIndex) -> None:
    [d] = read(index, "Kết luận của Chủ tịch UBND tỉnh:\n1. Ngày 28/11/2026, Sở Tài chính tổ chức cuộc họp với các sở, ngành "
                      "liên quan để thống nhất phương án phân bổ vốn, báo cáo UBND tỉnh.")
    assert d.lead == ("STC",)
    [d] = read(index, "Ngay sau khi kết thúc đợt mưa lũ, UBND huyện An Lão tổ chức buổi làm việc với các xã để đánh giá "
                      "thiệt hại, báo cáo UBND tỉnh trước ngày 30/11/2026.")
    assert (d.lead, d.deadline) == (("H-ANLAO",), date(2026, 11, 30))


def test_when_a_leader_inspected_is_no_deadline(index: UnitIndex) -> None:
    [d] = read(index, "Trong chiều ngày 20/11, Chủ tịch UBND tỉnh đã kiểm tra hiện trường và yêu cầu Sở Xây dựng khẩn trương "
                      "khắc phục các điểm sạt lở.")
    assert (d.lead, d.deadline) == (("SXD",), None)


def test_the_offices_short_name_is_no_press_tag() -> None:
    assert Analysed.of("VP UBND tỉnh theo dõi, đôn đốc việc thực hiện.").text.startswith("VP UBND tỉnh")
    assert Analysed.of("KTNT UBND tỉnh vừa ban hành Quyết định số 474/QĐ-UBND.").text.startswith("UBND tỉnh")


def test_what_a_district_did_before_and_gave_the_communes_is_no_task_of_the_province(index: UnitIndex) -> None:
    assert read(index, "Chủ tịch UBND tỉnh cho biết, thời gian qua UBND huyện An Lão đã tập trung chỉ đạo quyết liệt công "
                       "tác giải phóng mặt bằng dự án hồ chứa nước, vận động được 95% số hộ bàn giao mặt bằng, hoàn thành chi "
                       "trả tiền bồi thường cho 320 hộ dân với tổng số tiền hơn 45 tỷ đồng, bố trí đất tái định cư và giao cho "
                       "các xã tổ chức bốc thăm công khai.") == []


def test_the_other_departments_help_the_task_before(index: UnitIndex) -> None:
    [d] = read(index, "Giao UBND huyện An Lão chủ trì xây dựng phương án tái định cư. Các sở, ngành khác phối hợp thực hiện.")
    assert (d.lead, d.support) == (("H-ANLAO",), ("#so-nganh",))
