"""Issue 25, thirteenth round: classes of writing seen failing on the fresh corpus (test12 used as development data with
the parts before it), in short sentences written for these tests in the style of telegrams, letters and press reports."""

from __future__ import annotations

from datetime import date, datetime

from bot.parsing import UnitIndex
from tests.unit.parsing.unseen.province import read

BEFORE_2025 = datetime.fromisoformat("2012-07-26T07:21:00+07:00")


def test_a_day_just_gone_is_this_years_deadline_asked_not_next_years(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu UBND các huyện khẩn trương hoàn thành cấy lúa mùa trước ngày 22-7.",
               BEFORE_2025)
    assert d.deadline == date(2012, 7, 22)
    assert "deadline_in_past" in d.problems


def test_a_name_cut_at_its_dash_by_a_line_break_is_one_line(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh yêu cầu các sở, ban, ngành thành viên Ban Chỉ huy phòng, chống thiên tai -\nTìm kiếm "
                      "cứu nạn tỉnh; chủ tịch ủy ban nhân các huyện, thị xã, thành phố tập trung chỉ đạo theo dõi chặt chẽ "
                      "diễn biến thời tiết.", BEFORE_2025)
    assert d.lead == ("#so-nganh", "#huyen")
    assert d.content.startswith("tập trung chỉ đạo theo dõi chặt chẽ")


def test_a_telegrams_addressees_under_its_header_are_no_task(index: UnitIndex) -> None:
    drafts = read(index, "ĐIỆN KHẨN\nCHỦ TỊCH UBND TỈNH QUẢNG TRỊ điện:\n- Chủ tịch UBND các huyện;\n- Giám đốc: Sở Y tế, Sở "
                         "Xây dựng;\nChủ tịch UBND tỉnh yêu cầu Sở Y tế khẩn trương kiểm tra các cơ sở y tế.", BEFORE_2025)
    assert [d.lead for d in drafts] == [("SYT",)]


def test_the_provinces_police_named_with_the_provinces_name(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh cũng yêu cầu Công an Quảng Trị và TTGT tỉnh phải kiểm soát chặt người ra vào tỉnh.")
    assert d.lead == ("CA",)
    assert d.unresolved == ("TTGT tỉnh",)
    assert d.content.startswith("phải kiểm soát chặt")


def test_an_acronym_takes_the_province_it_serves(index: UnitIndex) -> None:
    [d] = read(index, "Ông Lê Văn An yêu cầu CDC Quảng Trị đưa hết những công nhân vừa đi tiêm vắc xin về cách ly tập trung.")
    assert d.unresolved == ("CDC Quảng Trị",)
    assert d.content.startswith("đưa hết những công nhân")


def test_a_weather_station_of_a_region_keeps_its_name(index: UnitIndex) -> None:
    drafts = read(index, "Lãnh đạo tỉnh đề nghị Đài Khí tượng Thủy văn Bắc Bộ tăng cường tần suất cung cấp thông tin dự báo.")
    assert drafts[-1].unresolved == ("Đài Khí tượng Thủy văn Bắc Bộ",)


def test_a_condition_after_the_verb_comes_before_whom_it_tells(index: UnitIndex) -> None:
    [d] = read(index, "UBND tỉnh yêu cầu sau khi được cơ quan có thẩm quyền phê duyệt việc sử dụng trụ sở, UBND phường Thuận An "
                      "phối hợp Sở Xây dựng khảo sát, đánh giá hiện trạng và lập dự toán.")
    assert (d.lead, d.support) == (("P-THUANAN",), ("SXD",))
    assert d.content.startswith("khảo sát, đánh giá hiện trạng")


def test_a_caption_with_a_bare_credit_is_no_task(index: UnitIndex) -> None:
    drafts = read(index, "Sáng 24-9, UBND tỉnh phát đi công điện ứng phó bão.\n\nTàu thuyền neo đậu tại khu vực trạm kiểm "
                         "soát biên phòng. Ảnh tư liệu: TTXVN\n\nChủ tịch UBND tỉnh yêu cầu Bộ Chỉ huy Bộ đội Biên phòng tỉnh "
                         "kêu gọi tàu thuyền vào nơi tránh trú an toàn.")
    assert all("TTXVN" not in d.unresolved for d in drafts)
    assert drafts[-1].lead == ("BDBP",)
