"""Issue 25, seventh round: classes of writing seen failing on the fresh corpus (test5 used as development data with
dev, test, test2, test3 and test4), in short sentences written for these tests in the style of notices and press
summaries."""

from __future__ import annotations

from bot.parsing import UnitIndex
from bot.parsing.result import PROBLEM_UNRESOLVED
from tests.unit.parsing.unseen.province import read


def test_the_members_of_a_body_are_told_as_that_body(index: UnitIndex) -> None:
    drafts = read(index, "Nhằm chủ động ứng phó với bão, UBND tỉnh đề nghị các đồng chí thành viên Ban Chỉ đạo "
                         "Phòng chống thiên tai tỉnh, các cơ quan, đơn vị tiếp tục theo dõi chặt chẽ diễn biến của bão.")
    assert len(drafts) == 1 and drafts[0].content.startswith("tiếp tục theo dõi chặt chẽ")
    assert drafts[0].unresolved == ("Ban Chỉ đạo Phòng chống thiên tai tỉnh",) and PROBLEM_UNRESOLVED in drafts[0].problems


def test_a_function_word_typed_twice_is_read_once(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu các các sở, ngành khẩn trương rà soát hồ sơ.")
    assert [d.lead for d in drafts] == [("#so-nganh",)] and drafts[0].content.startswith("khẩn trương rà soát")


def test_the_issuer_told_from_its_side_speaks(index: UnitIndex) -> None:
    drafts = read(index, "Phía tỉnh yêu cầu Sở Y tế khẩn trương cử đoàn kiểm tra các cơ sở.")
    assert [d.lead for d in drafts] == [("SYT",)] and drafts[0].content.startswith("khẩn trương cử đoàn")


def test_a_body_directing_another_ends_its_name_at_the_verb(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu Công ty Cổ phần Cấp nước Miền Trung chỉ đạo Xí nghiệp nước Đông Hà "
                         "trước mắt kiểm tra toàn bộ đường ống.")
    assert len(drafts) == 1 and drafts[0].unresolved == ("Công ty Cổ phần Cấp nước Miền Trung",)


def test_a_slash_joins_two_addressees(index: UnitIndex) -> None:
    drafts = read(index, "Ủy ban nhân dân các huyện/Ủy ban nhân dân các xã, phường theo dõi chặt chẽ diễn biến của bão, "
                         "chủ động triển khai công tác ứng phó.")
    assert [d.lead for d in drafts] == [("#huyen", "#dia-phuong")] and drafts[0].content.startswith("theo dõi")


def test_an_ellipsis_before_the_next_assignment_ends_a_task(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh chỉ đạo: “Giao cho Sở Tài chính làm rõ nguồn vốn của dự án… giao cho "
                         "Sở Y tế chủ trì kiểm tra các cơ sở… báo cáo UBND tỉnh trước ngày 15/12/2026.")
    assert [(d.lead, d.deadline is None) for d in drafts] == [(("STC",), True), (("SYT",), False)]


def test_the_units_named_again_as_the_units_open_a_task_of_theirs(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu chủ tịch UBND các xã, phường triển khai nguồn hỗ trợ đúng mục đích. "
                         "Các đơn vị báo cáo kết quả thực hiện về Sở Tài chính để tổng hợp.")
    assert [d.lead for d in drafts] == [("#dia-phuong",), ("#dia-phuong",)]
    assert drafts[1].content.startswith("báo cáo kết quả")
    drafts = read(index, "UBND tỉnh giao Sở Y tế tổ chức thanh tra các cơ sở. Các cơ quan, đơn vị, tổ chức, cá nhân là "
                         "đối tượng thanh tra có trách nhiệm thực hiện nghiêm các quy định của pháp luật.")
    assert [d.lead for d in drafts] == [("SYT",)]


def test_a_group_followed_by_names_only_gives_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Tỉnh bổ sung 35 tỷ đồng để hỗ trợ các xã bị thiệt hại. Cụ thể, xã Hòa Tân 5 tỷ đồng; các xã "
                         "Xuân Lộc, Hòa Xuân, Phú Mỡ... nhận hỗ trợ 2 tỷ đồng. UBND tỉnh yêu cầu Sở Tài chính hướng "
                         "dẫn thanh quyết toán.")
    assert [d.lead for d in drafts] == [("STC",)]


def test_the_issuer_asking_a_report_with_nobody_named_goes_on_with_the_task(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao Sở Tài chính tổ chức thanh tra việc sử dụng kinh phí của dự án. UBND tỉnh "
                         "yêu cầu báo cáo kết quả thanh tra và xử lý sau thanh tra.")
    assert [d.lead for d in drafts] == [("STC",)] and "báo cáo kết quả thanh tra" in drafts[0].content


def test_a_count_of_days_before_the_days_named_is_no_time_allowed(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh yêu cầu Sở Y tế thực hiện kết luận của đoàn kiểm tra tại buổi làm việc (trong 2 "
                         "ngày 08 và 09/11/2026).")
    assert [(d.lead, d.deadline) for d in drafts] == [(("SYT",), None)]
    drafts = read(index, "UBND tỉnh yêu cầu Sở Y tế báo cáo trong 5 ngày làm việc.")
    assert drafts[0].deadline is not None


def test_the_units_a_letter_was_announced_to_are_the_units_its_details_tell(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh vừa ban hành công văn số 120/UBND-TH yêu cầu các sở, ngành và UBND các xã, "
                         "phường tập trung triển khai kết luận của Thủ tướng Chính phủ.\nQuang cảnh buổi làm việc. Ảnh: "
                         "VGP\nTheo đó, Chủ tịch UBND tỉnh giao các đơn vị căn cứ chức năng, nhiệm vụ, chủ động tổ chức "
                         "thực hiện các nội dung chỉ đạo.")
    assert [d.lead for d in drafts] == [("#so-nganh", "#dia-phuong")] and "chủ động tổ chức" in drafts[0].content


def test_a_short_line_without_a_stop_between_paragraphs_is_a_caption(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh vừa có văn bản chỉ đạo công tác tổ chức Tết Nguyên đán.\nChủ tịch UBND "
                         "tỉnh chỉ đạo thực hiện công tác tổ chức Tết Nguyên đán năm 2027\nChủ tịch UBND tỉnh yêu cầu "
                         "Sở Y tế bảo đảm thuốc, vật tư y tế trong dịp Tết.")
    assert [d.lead for d in drafts] == [("SYT",)]


def test_the_lines_below_a_task_that_announces_its_points_are_its_content(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh yêu cầu Công an tỉnh, Sở Y tế thực hiện tốt các nội dung sau:\nTổ chức "
                         "trực 24/24 giờ trong dịp Tết.\nChủ động nắm chắc tình hình, bảo đảm an ninh trật tự.")
    assert [d.lead for d in drafts] == [("CA", "SYT")]
    assert "trực 24/24 giờ" in drafts[0].content and "nắm chắc tình hình" in drafts[0].content


def test_the_leader_named_before_speaks_again_as_ong_or_dong_chi(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh Nguyễn Văn An nhận định đây là cơn bão rất mạnh. Ông yêu cầu Sở Y tế "
                         "chuẩn bị đủ thuốc, vật tư y tế.")
    assert [d.lead for d in drafts] == [("SYT",)] and drafts[0].content.startswith("chuẩn bị đủ thuốc")
    drafts = read(index, "Chủ tịch UBND tỉnh Nguyễn Văn An đánh giá cao nỗ lực của các nhà thầu.\nĐồng chí yêu cầu các "
                         "đơn vị liên quan tiếp tục bám sát kế hoạch, đẩy nhanh tiến độ thi công.")
    assert len(drafts) == 1 and drafts[0].lead == () and "bám sát kế hoạch" in drafts[0].content


def test_a_body_told_with_what_it_has_counted_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "UBND tỉnh giao Sở Y tế kiểm tra các cửa hàng xăng dầu.\n\nTrên địa bàn hiện có 150 cửa hàng, "
                         "trong đó Công ty TNHH MTV Xăng dầu Miền Núi có 69 cửa hàng và Công ty Cổ phần Dầu khí Miền "
                         "Trung có 81 cửa hàng.")
    assert [d.lead for d in drafts] == [("SYT",)]
