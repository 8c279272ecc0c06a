from __future__ import annotations

from datetime import date, datetime

from tests.unit.parsing.conftest import Parse


def test_a_date_no_deadline_phrase_introduces_is_not_a_deadline(one) -> None:
    draft = one("Tại buổi làm việc ngày 12/11, giao Sở Y tế rà soát trang thiết bị y tế.")
    assert draft.deadline is None
    assert draft.lead == ("SYT",)


def test_a_document_number_is_not_read_as_a_date(one) -> None:
    draft = one("Giao Sở Tư pháp góp ý dự thảo thay thế Quyết định số 12/2025/QĐ-UBND.")
    assert draft.deadline is None
    assert "12/2025/QĐ-UBND" in draft.content


def test_a_date_without_a_year_is_the_next_such_date(one) -> None:
    draft = one("Sở Tài chính tổng hợp số liệu, hạn 05/01.", at=datetime.fromisoformat("2026-12-28T16:00:00+07:00"))
    assert draft.deadline == date(2027, 1, 5)


def test_the_message_day_is_the_office_day_whatever_the_time_zone_of_at(one) -> None:
    # 20:30 UTC on the 20th is already the 21st in Huế.
    draft = one("Sở Y tế báo cáo trong 1 ngày.", at=datetime.fromisoformat("2026-11-20T20:30:00+00:00"))
    assert draft.deadline == date(2026, 11, 22)


def test_an_impossible_date_is_reported_and_not_guessed(one) -> None:
    draft = one("Giao Sở Xây dựng kiểm tra cầu tạm, hạn 30/02.")
    assert draft.deadline is None
    assert "impossible_date" in draft.problems
    assert draft.deadline_phrase == "hạn 30/02"


def test_a_deadline_already_past_is_kept_and_flagged(one) -> None:
    draft = one("Giao Công an tỉnh báo cáo vụ việc trước ngày 01/10/2026.")
    assert draft.deadline == date(2026, 10, 1)
    assert "deadline_in_past" in draft.problems


def test_working_days_skip_the_weekend_and_public_holidays(one) -> None:
    # From Friday 20/11/2026: Mon 23, (Tue 24 is a holiday), Wed 25, Thu 26.
    assert one("Giao Sở Y tế xử lý, trong 3 ngày làm việc.").deadline == date(2026, 11, 26)


def test_calendar_days_are_counted_from_the_message_day(one) -> None:
    assert one("Sở Tư pháp thẩm định hồ sơ trong vòng 7 ngày.").deadline == date(2026, 11, 27)


def test_a_date_written_in_words_is_read(one) -> None:
    draft = one("Sở Tư pháp trình dự thảo chậm nhất là ngày 3 tháng 1 năm 2027.")
    assert draft.deadline == date(2027, 1, 3)
    assert draft.deadline_phrase == "chậm nhất là ngày 3 tháng 1 năm 2027"


def test_before_the_end_of_a_month_is_its_last_day(one) -> None:
    assert one("Sở Y tế hoàn thành trước cuối tháng 2.").deadline == date(2027, 2, 28)
    assert one("Sở Y tế hoàn thành trong tháng này.").deadline == date(2026, 11, 30)


def test_within_a_quarter_is_its_last_day(one) -> None:
    assert one("Sở Xây dựng khởi công dự án trong quý III.").deadline == date(2027, 9, 30)
    assert one("Sở Xây dựng khởi công dự án trong quý 4/2026.").deadline == date(2026, 12, 31)


def test_within_a_half_year_is_its_last_day_and_never_a_standing_task(one) -> None:
    assert one("Sở Xây dựng hoàn thành trong 6 tháng đầu năm 2027 việc rà soát quy hoạch.").deadline == date(2027, 6, 30)
    assert one("Sở Xây dựng rà soát quy hoạch trong 6 tháng đầu năm.").deadline == date(2027, 6, 30)
    assert one("Sở Xây dựng rà soát quy hoạch trong 6 tháng cuối năm.").deadline == date(2026, 12, 31)
    assert one("Sở Xây dựng rà soát quy hoạch trong sáu tháng cuối năm 2027.").deadline == date(2027, 12, 31)


def test_a_half_year_a_report_covers_leaves_its_dated_deadline_alone(one) -> None:
    draft = one("Sở Tài chính báo cáo trước ngày 10/7/2027 kết quả giải ngân vốn đầu tư công trong 6 tháng đầu năm 2027.")
    assert draft.deadline == date(2027, 7, 10)
    assert "6 tháng đầu năm 2027" in draft.content


def test_a_month_end_said_without_its_number_leaves_no_stray_word(one) -> None:
    assert one("Sở Y tế rà soát hồ sơ trước cuối tháng.").content == "rà soát hồ sơ"
    assert one("Sở Y tế rà soát hồ sơ đến hết tháng.").deadline == date(2026, 11, 30)


def test_how_long_a_measure_lasts_is_no_deadline(one) -> None:
    assert one("Sở Y tế áp dụng giãn cách xã hội từ ngày 19/11 đến hết ngày 30/11/2026.").deadline is None
    assert one("Sở Y tế tạm dừng tiếp nhận hồ sơ đến hết tháng.").deadline is None
    assert one("Sở Y tế hoàn thành việc tạm dừng các cơ sở đến hết ngày 30/11/2026.").deadline == date(2026, 11, 30)


def test_a_time_of_day_alone_is_today_and_a_stray_slash_is_read(one) -> None:
    assert one("Sở Y tế hoàn thành việc sơ tán trước 10 giờ.").deadline == date(2026, 11, 20)
    assert one("Sở Y tế báo cáo trước 10 giờ ngày 25/11.").deadline == date(2026, 11, 25)
    assert one("Sở Y tế thu hoạch lúa trước ngày 2/12/; chủ động lực lượng.").deadline == date(2026, 12, 2)


def test_next_week_means_friday_of_next_week(one) -> None:
    assert one("Sở Y tế gửi báo cáo tuần tới.").deadline == date(2026, 11, 27)
    assert one("Sở Y tế gửi báo cáo trong tuần này.").deadline == date(2026, 11, 20)


def test_before_tet_is_the_eve_of_the_coming_lunar_new_year(one) -> None:
    after_tet = datetime.fromisoformat("2027-03-01T08:00:00+07:00")
    assert one("Giao Sở Tài chính chi trả trợ cấp trước Tết.", at=after_tet).deadline == date(2028, 1, 25)


def test_a_day_of_every_month_recurs_monthly_from_the_next_occurrence(one) -> None:
    draft = one("Sở Tài chính báo cáo tiến độ giải ngân trước ngày 5 hàng tháng.")
    assert (draft.recurrence, draft.deadline) == ("monthly", date(2026, 12, 5))


def test_a_weekday_every_week_recurs_weekly(one) -> None:
    draft = one("Văn phòng UBND tỉnh tổng hợp lịch công tác vào thứ Hai hằng tuần.")
    assert (draft.recurrence, draft.deadline) == ("weekly", date(2026, 11, 23))


def test_the_last_deadline_phrase_of_a_directive_wins(one) -> None:
    draft = one("Sở Y tế báo cáo nhanh trước 25/11, báo cáo đầy đủ trước ngày 10/12.")
    assert draft.deadline == date(2026, 12, 10)


def test_a_standing_task_has_no_deadline(parse: Parse) -> None:
    result = parse("Các sở, ngành thường xuyên kiểm tra an toàn cháy nổ.")
    assert result.directives[0].deadline is None
    assert result.directives[0].lead == ("#so-nganh",)


def test_finishing_on_a_named_day_is_a_deadline(one) -> None:
    assert str(one("Giao Sở Tư pháp hoàn thành vào ngày 9/12 việc rà soát.").deadline) == "2026-12-09"


def test_a_fraction_after_a_weak_word_is_not_a_date(one) -> None:
    draft = one("Giao Sở Y tế hoàn thành 15/20 hạng mục trong 3/5 xã.")
    assert (draft.deadline, draft.problems) == (None, ())


def test_a_recurrence_said_twice_takes_its_day_from_the_dated_phrase_and_leaves_the_content(one) -> None:
    draft = one("Giao Sở Y tế định kỳ hằng tháng báo cáo tình hình dịch bệnh trước ngày 28 hằng tháng.")
    assert (draft.recurrence, draft.deadline) == ("monthly", date(2026, 11, 28))
    assert draft.content == "báo cáo tình hình dịch bệnh"


def test_a_quarterly_report_due_in_the_quarters_last_month(one) -> None:
    draft = one("Sở Tài chính báo cáo định kỳ hằng quý trước ngày 15 của tháng cuối quý.")
    assert (draft.recurrence, draft.deadline) == ("quarterly", date(2026, 12, 15))
