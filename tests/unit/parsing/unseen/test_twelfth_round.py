"""Issue 25, twelfth round: classes of writing seen failing on the fresh corpus (test11 used as development data with the
parts before it), in short sentences written for these tests in the style of telegrams, letters and press reports."""

from __future__ import annotations

from datetime import date, datetime

from bot.parsing import UnitIndex
from tests.unit.parsing.unseen.province import read

BEFORE_2025 = datetime.fromisoformat("2016-03-20T09:00:00+07:00")


def test_a_project_boards_long_name_runs_to_the_province_that_closes_it(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh giao Ban quản lý dự án thủy lợi và phòng chống thiên tai tỉnh Quảng Trị khẩn trương "
                      "lập phương án xử lý khẩn cấp tình hình sạt lở.")
    assert d.unresolved == ("Ban quản lý dự án thủy lợi và phòng chống thiên tai tỉnh Quảng Trị",)
    assert d.content.startswith("khẩn trương lập phương án")


def test_a_project_board_of_a_ministry_ends_at_the_dash(index: UnitIndex) -> None:
    [d] = read(index, "Giao Sở Xây dựng chủ trì, phối hợp với Ban Quản lý dự án 85 - Bộ Xây dựng, UBND phường Thuận An kiểm "
                      "tra, xử lý dứt điểm các trường hợp vi phạm.")
    assert d.unresolved == ("Ban Quản lý dự án 85",)


def test_what_the_article_explains_after_a_task_ends_it(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh chỉ đạo Sở Nông nghiệp và Môi trường kiểm tra, xử lý các vấn đề liên quan đến mỏ đá tại xã "
                      "An Hòa.\n\nĐây là mỏ đá mà báo chí từng phản ánh về vụ việc nổ mìn khiến đá bay vào khu dân cư.")
    assert d.content == "kiểm tra, xử lý các vấn đề liên quan đến mỏ đá tại xã An Hòa"


def test_the_partys_standing_committee_speaks_for_the_province(index: UnitIndex) -> None:
    [d] = read(index, "Trước đó, Thường trực Tỉnh ủy và UBND tỉnh đã ban hành văn bản hỏa tốc chỉ đạo khắc phục hậu quả vụ "
                      "tai nạn.\n\nTại hiện trường, Chủ tịch UBND tỉnh đã chỉ đạo Công an tỉnh huy động tối đa nhân lực, "
                      "phương tiện cho công tác cứu nạn.")
    assert (d.lead, d.unresolved) == (("CA",), ())


def test_the_propaganda_board_keeps_its_name(index: UnitIndex) -> None:
    [d] = read(index, "Giao Sở Y tế phối hợp với Ban Tuyên giáo và Dân vận Tỉnh ủy thực hiện tuyên truyền phòng chống dịch.")
    assert d.unresolved == ("Ban Tuyên giáo và Dân vận Tỉnh ủy",)
    assert d.content == "thực hiện tuyên truyền phòng chống dịch"


def test_a_letter_announced_without_a_tense_word_is_the_summary_of_the_tasks_below(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 13/8, Chủ tịch UBND tỉnh có văn bản chỉ đạo các đơn vị khẩn trương khắc phục hậu quả do sạt lở "
                         "đất.\n\nChủ tịch UBND tỉnh yêu cầu UBND các xã, phường chủ động rà soát các khu vực có nguy cơ sạt "
                         "lở đất.")
    assert [d.lead for d in drafts] == [("#dia-phuong",)]


def test_a_petition_forwarded_to_a_district_is_its_task(index: UnitIndex) -> None:
    [d] = read(index, "Sau khi nhận được đơn, UBND tỉnh Quảng Trị có văn bản chuyển đơn đến UBND huyện An Lão để xem xét, "
                      "giải quyết theo quy định; báo cáo UBND tỉnh kết quả giải quyết.", BEFORE_2025)
    assert d.lead == ("H-ANLAO",)
    assert d.content.startswith("xem xét, giải quyết theo quy định")


def test_a_bare_commune_told_a_task_is_the_one_commune_the_article_names(index: UnitIndex) -> None:
    [d] = read(index, "Phó Chủ tịch UBND tỉnh kiểm tra dự án tuyến đường tránh thuộc phường Thuận An. Tại buổi làm việc, Phó "
                      "Chủ tịch UBND tỉnh nhấn mạnh: UBND phường cần tiếp tục tăng cường tuyên truyền, vận động các hộ dân "
                      "sớm bàn giao mặt bằng.")
    assert d.lead == ("P-THUANAN",)


def test_the_purpose_of_a_leaders_visit_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Ngày 23/7, Chủ tịch UBND tỉnh đến địa bàn các xã miền núi để kiểm tra, chỉ đạo công tác ứng phó với "
                         "mưa lũ.\n\nChủ tịch UBND tỉnh yêu cầu UBND các xã, phường đẩy mạnh công tác tuyên truyền, cảnh báo "
                         "người dân.")
    assert [d.lead for d in drafts] == [("#dia-phuong",)]


def test_the_places_stressed_among_those_told_are_no_part_of_the_task(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu các xã, phường, nhất là các xã Măng Bút, Kon Plông, Măng Đen, rà soát và thống kê "
                      "đầy đủ thiệt hại, báo cáo trước ngày 25/11/2026.")
    assert (d.lead, d.deadline) == (("#dia-phuong",), date(2026, 11, 25))
    assert d.content.startswith("rà soát và thống kê đầy đủ thiệt hại")


def test_owners_told_a_task_beside_a_department_are_a_task_of_their_own(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao Sở Nông nghiệp và Môi trường hướng dẫn đảm bảo an toàn hồ đập thủy lợi; đồng thời yêu "
                         "cầu các chủ đập tăng cường kiểm tra, kịp thời phát hiện, khắc phục các sự cố.")
    assert [d.lead for d in drafts] == [("SNNMT",), ()]
    assert drafts[1].content.startswith("tăng cường kiểm tra")


def test_a_line_that_opens_with_whom_to_work_with_goes_on_with_the_task_before(index: UnitIndex) -> None:
    [d] = read(index, "Ủy ban nhân dân tỉnh yêu cầu Sở Y tế chỉ đạo các cơ sở y tế tổ chức chiến dịch diệt muỗi.\n\nPhối hợp "
                      "với Báo Gia Lai, Sở Tư pháp, Ủy ban nhân dân các huyện, thành phố triển khai mạnh mẽ các hoạt động "
                      "truyền thông phòng bệnh.", BEFORE_2025)
    assert (d.lead, d.support) == (("SYT",), ("STP", "#huyen"))
    assert "triển khai mạnh mẽ các hoạt động truyền thông phòng bệnh" in d.content


def test_the_competent_forces_told_until_tet_are_asked_for_and_tet_is_no_deadline(index: UnitIndex) -> None:
    [d] = read(index, "Phó Chủ tịch UBND tỉnh Quảng Trị Lê Văn Nưng yêu cầu từ nay cho đến Tết Nguyên đán, lực lượng chức "
                      "năng tăng cường phòng chống buôn lậu, vận chuyển trái phép hàng hóa qua biên giới.")
    assert (d.lead, d.deadline) == ((), None)
    assert d.content.startswith("tăng cường phòng chống buôn lậu")


def test_units_that_direct_the_competent_forces_each_do_the_task(index: UnitIndex) -> None:
    drafts = read(index, "Giao Sở Y tế hướng dẫn phòng ngừa tai nạn đuối nước. Công an tỉnh, Sở Xây dựng chỉ đạo lực lượng "
                         "chức năng tăng cường kiểm tra an toàn giao thông đường thủy.")
    assert [d.lead for d in drafts] == [("SYT",), ("CA", "SXD")]


# Mended on review: a helper fed the round's rules ordinary directives written for the purpose and found these misread.


def test_a_bare_ward_is_asked_when_the_text_names_another_ward_or_says_which_by_what_it_has(index: UnitIndex) -> None:
    [d] = read(index, "Sáng 18/11, Phó Chủ tịch UBND tỉnh kiểm tra tuyến kè đoạn qua phường Bồng Sơn, giáp ranh phường Thuận "
                      "An. Tại buổi kiểm tra, Phó Chủ tịch UBND tỉnh yêu cầu UBND phường khẩn trương hoàn thành bàn giao mặt "
                      "bằng trước ngày 15/12/2026.")
    assert d.lead != ("P-THUANAN",) or "unsure_lead" in d.problems
    [d] = read(index, "Giao Sở Nông nghiệp và Môi trường phối hợp với UBND huyện có dịch tổ chức tiêu hủy lợn bệnh. Dịch tả lợn "
                      "châu Phi đã xuất hiện tại huyện An Lão.", datetime.fromisoformat("2025-03-10T09:00:00+07:00"))
    assert d.lead == ("SNNMT",)
    assert "H-ANLAO" not in d.support


def test_a_ward_guessed_from_the_context_is_asked(index: UnitIndex) -> None:
    [d] = read(index, "Phó Chủ tịch UBND tỉnh kiểm tra dự án thuộc phường Thuận An. Tại buổi làm việc, Phó Chủ tịch UBND tỉnh "
                      "nhấn mạnh: UBND phường cần tiếp tục vận động các hộ dân sớm bàn giao mặt bằng.")
    assert d.lead == ("P-THUANAN",)
    assert "unsure_lead" in d.problems


def test_a_board_whose_task_follows_its_name_keeps_the_task(index: UnitIndex) -> None:
    [d] = read(index, "Giao Ban quản lý rừng phòng hộ An Lão tăng cường tuần tra, ngăn chặn tình trạng phá rừng trái phép.")
    assert d.unresolved == ("Ban quản lý rừng phòng hộ An Lão",)
    assert d.content.startswith("tăng cường tuần tra")


def test_a_report_due_in_the_afternoon_of_a_day_keeps_its_deadline(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng tổng hợp, báo cáo UBND tỉnh trong chiều ngày 23/11.")
    assert d.deadline == date(2026, 11, 23)
    [d] = read(index, "Trong chiều ngày 20/11, Chủ tịch UBND tỉnh đã kiểm tra hiện trường và yêu cầu Sở Xây dựng khẩn trương "
                      "khắc phục các điểm sạt lở.")
    assert d.deadline is None


def test_a_sentence_that_explains_and_demands_goes_on_with_the_task(index: UnitIndex) -> None:
    [d] = read(index, "Sở Xây dựng khẩn trương rà soát các công trình nhà ở có nguy cơ sập đổ. Đây là nhiệm vụ cấp bách, phải "
                      "hoàn thành trước ngày 30/11/2026.")
    assert (d.lead, d.deadline) == (("SXD",), date(2026, 11, 30))


def test_households_told_beside_a_department_are_no_task_of_their_own(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh giao Sở Xây dựng hướng dẫn các địa phương gia cố nhà ở; yêu cầu các chủ hộ chằng chống nhà "
                      "cửa trước 17 giờ ngày 21/11.")
    assert (d.lead, d.deadline) == (("SXD",), date(2026, 11, 21))
    [d] = read(index, "Chủ tịch UBND tỉnh giao Sở Nông nghiệp và Môi trường kiểm tra các hồ chứa nước; đồng thời yêu cầu các "
                      "chủ hồ báo cáo tình hình trước ngày 25/11.")
    assert (d.lead, d.deadline) == (("SNNMT",), date(2026, 11, 25))


def test_a_generic_subject_after_a_dated_task_in_the_paragraph_is_a_task_of_its_own(index: UnitIndex) -> None:
    drafts = read(index, "Sở Xây dựng chủ trì kiểm tra an toàn các công trình xây dựng, báo cáo trước ngày 25/11. Các lực lượng "
                         "chức năng tổ chức tuần tra, kiểm soát chặt chẽ các phương tiện chở quá tải.")
    assert [(d.lead, d.deadline) for d in drafts] == [(("SXD",), date(2026, 11, 25)), ((), None)]


def test_an_announced_letter_with_a_deadline_of_its_own_is_a_task(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh gửi kèm Kế hoạch số 215/KH-UBND, đề nghị các cơ quan, đơn vị nghiên cứu, triển khai thực "
                         "hiện; báo cáo kết quả trước ngày 30/11/2026.\n\nGiao Sở Y tế chủ trì theo dõi, tổng hợp.")
    assert [d.deadline for d in drafts][:1] == [date(2026, 11, 30)]


def test_a_ceremony_held_this_morning_is_news_and_damage_already_dealt_with_too(index: UnitIndex) -> None:
    assert read(index, "Sáng nay, Công an tỉnh tổ chức Lễ ra quân cao điểm tấn công, trấn áp tội phạm dịp Tết Nguyên đán.") == []
    assert read(index, "UBND phường Thuận An ngập sâu, lực lượng chức năng đã tổ chức sơ tán 50 hộ dân trong đêm.") == []
