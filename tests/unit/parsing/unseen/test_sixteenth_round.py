"""Issue 25, sixteenth round: classes of writing seen failing on the fresh corpus (test15 used as development data with
the parts before it), in short sentences written for these tests in the style of telegrams, letters and press reports."""

from __future__ import annotations

from bot.parsing import UnitIndex
from tests.unit.parsing.unseen.province import read


def test_a_start_date_before_whom_the_issuer_tells_is_passed(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu ngay từ ngày 21/11, UBND các huyện phải triển khai ngay công tác di dời dân đến "
                      "nơi an toàn trước 17h ngày 21/11/2026.")
    assert d.lead == ("#huyen",)
    assert d.content.startswith("phải triển khai ngay công tác di dời dân")


def test_localities_told_not_to_let_something_happen_take_a_task_of_their_own(index: UnitIndex) -> None:
    first, second = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Y tế kiểm tra các khu cách ly. UBND các huyện không để xảy ra "
                                "các trường hợp tụ tập đông người.")
    assert first.lead == ("SYT",)
    assert second.lead == ("#huyen",)
    assert second.content.startswith("không để xảy ra")


def test_a_department_that_proposed_nothing_is_still_news(index: UnitIndex) -> None:
    [d] = read(index, "Sở Y tế đã có báo cáo. Tuy nhiên, trong báo cáo này, Sở Y tế không đề xuất cụ thể phương án xử lý. Do "
                      "vậy, UBND tỉnh yêu cầu Sở Y tế kiểm tra cụ thể.")
    assert d.content == "kiểm tra cụ thể"


def test_a_directive_announced_by_the_tasks_and_targets_it_gives_is_no_task(index: UnitIndex) -> None:
    assert read(index, "Ngày 21/10/2026, Chủ tịch UBND tỉnh ký ban hành Chỉ thị số 13/CT-UBND giao nhiệm vụ và chỉ tiêu giải "
                       "ngân vốn đầu tư công năm 2026 theo từng tháng. Sau đây là toàn văn Chỉ thị.") == []


def test_targets_given_by_count_are_no_task(index: UnitIndex) -> None:
    assert read(index, "UBND tỉnh giao 24 chỉ tiêu phát triển bao trùm các lĩnh vực kinh tế, xã hội.") == []


def test_the_work_the_issuer_directs_before_naming_itself_is_an_opening(index: UnitIndex) -> None:
    assert read(index, "Chỉ đạo công tác phòng, chống bão số 11, UBND tỉnh tiếp tục phát đi công điện số 21 để triển khai "
                       "công tác ứng phó bão.") == []
    [d] = read(index, "Chỉ đạo công tác phòng, chống bão số 11, UBND tỉnh yêu cầu Sở Y tế sẵn sàng lực lượng, phương tiện.")
    assert d.lead == ("SYT",)


def test_giving_whoever_is_concerned_a_task_in_a_sentence_of_its_own_is_a_task_whose_lead_is_asked(index: UnitIndex) -> None:
    first, second = read(index, "Theo đó, UBND tỉnh giao Sở Y tế chủ trì rà soát tình hình dịch bệnh. Đồng thời, giao các sở, "
                                "ngành, đơn vị liên quan thông tin đầy đủ, kịp thời về dịch bệnh.")
    assert first.lead == ("SYT",)
    assert second.lead == ()
    assert second.content.startswith("thông tin đầy đủ")


def test_each_kind_of_a_group_named_one_by_one_is_the_group(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu từng sở, từng ngành chủ động rà soát các nhiệm vụ của ngành mình.")
    assert d.lead == ("#so-nganh",)


def test_the_authorities_warning_of_a_risk_is_news_and_the_request_after_it_a_task_of_its_own(index: UnitIndex) -> None:
    first, second = read(index, "Chủ tịch UBND tỉnh yêu cầu UBND các huyện tuyên truyền về phương án ứng phó thiên tai.\nCơ quan "
                                "chức năng Bình Định cảnh báo nguy cơ xảy ra lũ quét tại các sông, suối vùng núi.\nYêu cầu, "
                                "kiểm tra, rà soát, kiên quyết di dời người ra khỏi khu vực nguy hiểm, hoàn thành trước 11 giờ "
                                "ngày 21/11/2026.")
    assert first.lead == ("#huyen",)
    assert first.deadline is None
    assert second.lead == ()
    assert second.deadline is not None and second.deadline.isoformat() == "2026-11-21"


def test_two_months_given_for_one_task_end_with_the_later_and_ask(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu UBND các huyện khẩn trương hoàn tất quy hoạch sử dụng đất trong tháng 11 và "
                      "12 tới.")
    assert d.deadline is not None and d.deadline.isoformat() == "2026-12-31"
    assert d.alternatives and d.alternatives[0].isoformat() == "2026-11-30"


def test_a_group_followed_by_more_kinds_of_body_before_a_semicolon_is_still_the_group(index: UnitIndex) -> None:
    [d] = read(index, "Chiều tối ngày 19/11, UBND tỉnh chỉ đạo các sở, ngành, đoàn thể; UBND các huyện theo dõi chặt chẽ "
                      "diễn biến của bão.")
    assert d.lead == ("#so-nganh", "#huyen")
    assert d.content == "theo dõi chặt chẽ diễn biến của bão"


# Mended on review.

def test_a_unit_that_was_not_given_or_allotted_something_is_news(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng kiểm tra công trình. Sở Y tế không được giao nhiệm vụ này nên "
                      "chưa triển khai.")
    assert d.lead == ("SXD",)


def test_giving_a_task_to_units_counted_or_named_after_it_is_still_a_task(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh giao nhiệm vụ Sở Y tế chủ trì, phối hợp Công an tỉnh kiểm tra an toàn thực phẩm.")
    assert drafts
    drafts = read(index, "Chủ tịch UBND tỉnh giao nhiệm vụ và chỉ tiêu giải ngân vốn đầu tư công năm 2027 cho Sở Xây dựng theo "
                         "từng tháng.")
    assert drafts


def test_a_generic_body_told_to_forecast_and_warn_keeps_its_task(index: UnitIndex) -> None:
    drafts = read(index, "Chủ tịch UBND tỉnh yêu cầu UBND các huyện theo dõi mưa lũ.\nCơ quan chức năng cảnh báo nguy cơ lũ quét, "
                         "yêu cầu UBND huyện An Lão di dời dân trước 17h ngày 21/11/2026.")
    assert drafts and any(d.deadline is not None and d.deadline.isoformat() == "2026-11-21" for d in drafts)


def test_a_month_and_some_days_or_weeks_after_it_are_no_second_month(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Y tế hoàn thành việc tiêm chủng trong tháng 11 và 2 tuần đầu tháng 12.")
    assert d.deadline is None or d.deadline.isoformat() != "2027-02-28"
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu Sở Tài chính giải ngân hết vốn trong tháng 12 và 5 ngày làm việc sau đó báo "
                      "cáo UBND tỉnh.")
    assert d.deadline is not None and d.deadline.isoformat() == "2026-12-31"


def test_giving_whoever_is_concerned_the_carrying_out_after_a_past_task_is_no_new_task(index: UnitIndex) -> None:
    drafts = read(index, "Trước đó, UBND tỉnh đã giao Sở Y tế kiểm tra các cơ sở y tế. Đồng thời, giao các đơn vị liên quan "
                         "phối hợp thực hiện.")
    assert all(d.lead != () for d in drafts)
