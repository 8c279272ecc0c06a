"""Rules for directives as real documents write them (issuer first, copied-text faults, lists, districts,
report recipients, times of day, recurring tasks, English questions, whole notices). Our own wordings."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.units import Unit, UnitGroup
from bot.parsing import UnitIndex, parse_message, parse_notice, to_corpus_json
from bot.parsing.dates import read_date

UNITS = [
    Unit("VP", "Văn phòng UBND tỉnh", "office"),
    Unit("STC", "Sở Tài chính", "department", ("sn",), ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT")),
    Unit("SXD", "Sở Xây dựng", "department", ("sn",), ("Sở Giao thông vận tải",)),
    Unit("SNNMT", "Sở Nông nghiệp và Môi trường", "department", ("sn",),
         ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường")),
    Unit("SNV", "Sở Nội vụ", "department", ("sn",), ("Sở Lao động - Thương binh và Xã hội",)),
    Unit("SYT", "Sở Y tế", "department", ("sn",)),
    Unit("H-DONGA", "UBND huyện Đông A", "district", ("huyen",)),
    Unit("H-TAYB", "UBND huyện Tây B", "district", ("huyen",)),
    Unit("P-KIMLONG", "UBND phường Kim Long", "commune", ()),
]
GROUPS = [UnitGroup("sn", "Các sở, ban, ngành", ("các sở, ngành",), ("STC", "SXD", "SNNMT", "SNV", "SYT")),
          UnitGroup("huyen", "UBND các huyện, thị xã, thành phố", ("UBND các huyện, thành phố", "UBND cấp huyện"),
                    ("H-DONGA", "H-TAYB"))]
AT = datetime.fromisoformat("2026-11-20T09:00:00+07:00")


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    return UnitIndex(UNITS, GROUPS)


def parse(text: str, index: UnitIndex) -> dict:
    return to_corpus_json(parse_message(text, at=AT, calendar=WorkingCalendar(), index=index))


def only(text: str, index: UnitIndex) -> dict:
    got = parse(text, index)
    assert len(got.get("directives", [])) == 1, got
    return got["directives"][0]


def test_the_province_speaking_first_assigns_the_units_after_its_verb(index: UnitIndex) -> None:
    d = only("UBND tỉnh yêu cầu Sở Y tế khẩn trương kiểm tra bếp ăn trường học, báo cáo trước ngày 30/11.", index)
    assert (d["lead"], d["deadline"]) == (["SYT"], "2026-11-30")


def test_a_chairman_naming_his_letter_before_the_verb_is_still_the_issuer(index: UnitIndex) -> None:
    d = only("Phó Chủ tịch UBND tỉnh Trần Văn B vừa ký công văn số 45/UBND-KT đề nghị các sở, ngành rà soát "
             "thủ tục đầu tư.", index)
    assert d["lead"] == ["#sn"]


def test_the_office_conveying_an_opinion_is_not_the_assignee(index: UnitIndex) -> None:
    d = only("Văn phòng UBND tỉnh thông báo ý kiến chỉ đạo của Chủ tịch UBND tỉnh, giao Sở Xây dựng kiểm tra "
             "cầu yếu trong 5 ngày làm việc.", index)
    assert d["lead"] == ["SXD"] and "kiểm tra cầu yếu" in d["content"]


def test_after_the_opinion_heading_the_numbered_tasks_are_read(index: UnitIndex) -> None:
    got = parse("Sau khi xem xét, Phó Chủ tịch UBND tỉnh có ý kiến như sau:\n1. Sở Tài chính thẩm định dự toán.\n"
                "2. Sở Nội vụ có trách nhiệm rà soát biên chế.", index)
    assert [d["lead"] for d in got["directives"]] == [["STC"], ["SNV"]]


def test_pre_merger_names_abbreviations_and_ampersands_find_the_merged_unit(index: UnitIndex) -> None:
    for name in ("Sở NN&PTNT", "Sở Nông nghiệp & PTNT", "Sở TN&MT", "Sở Tài nguyên - Môi trường"):
        assert only(f"Giao {name} kiểm tra sạt lở.", index)["lead"] == ["SNNMT"], name
    assert only("Giao Sở LĐTBXH rà soát hộ nghèo.", index)["lead"] == ["SNV"]
    assert only("Giao Sở Lao động-Thương binh và Xã hội rà soát hộ nghèo.", index)["lead"] == ["SNV"]


def test_words_run_together_by_a_bad_copy_are_read_apart(index: UnitIndex) -> None:
    d = only("Giaocho Sở Xây dựng chủ trì, phối hợp UBND cáchuyện, thành phố kiểm tra, hoàn thành trướcngày 5/12.",
             index)
    assert (d["lead"], d["support"], d["deadline"]) == (["SXD"], ["#huyen"], "2026-12-05")


def test_units_joined_by_semicolons_before_one_task_are_one_directive(index: UnitIndex) -> None:
    got = parse("Giao Sở Tài chính; UBND các huyện, thành phố báo cáo giải ngân vốn đầu tư công.", index)
    assert [d["lead"] for d in got["directives"]] == [["STC", "#huyen"]]


def test_a_list_sharing_its_head_word_names_each_unit(index: UnitIndex) -> None:
    d = only("Giao Sở Xây dựng chủ trì, phối hợp các Sở: Tài chính, Y tế; UBND các huyện: Đông A, Tây B "
             "kiểm tra công trình.", index)
    assert d["support"] == ["STC", "SYT", "H-DONGA", "H-TAYB"]


def test_a_later_sentence_with_its_own_subject_is_a_new_directive(index: UnitIndex) -> None:
    got = parse("UBND tỉnh giao Sở Tài chính bố trí kinh phí. UBND các huyện, thành phố có trách nhiệm giải ngân "
                "đúng hạn.", index)
    assert [d["lead"] for d in got["directives"]] == [["STC"], ["#huyen"]]


def test_district_units_and_district_groups_are_read(index: UnitIndex) -> None:
    assert only("Giao UBND huyện Đông A xử lý lấn chiếm.", index)["lead"] == ["H-DONGA"]
    assert only("Yêu cầu Chủ tịch UBND cấp huyện chỉ đạo xử lý lấn chiếm.", index)["lead"] == ["#huyen"]


def test_a_report_recipient_and_whoever_concerned_are_no_assignees(index: UnitIndex) -> None:
    d = only("Giao Sở Y tế phối hợp các cơ quan, đơn vị liên quan theo chức năng, nhiệm vụ kiểm tra, gửi kết quả "
             "về Văn phòng UBND tỉnh và báo cáo Bộ Y tế.", index)
    assert (d["lead"], d["support"], d["unresolved"]) == (["SYT"], [], [])


def test_an_unknown_unit_named_as_assignee_is_asked_about(index: UnitIndex) -> None:
    d = only("Giao Trung tâm nghiên cứu giống cây trồng tỉnh tiếp nhận giống lúa.", index)
    assert d["lead"] == [] and d["unresolved"] == ["Trung tâm nghiên cứu giống cây trồng tỉnh"]


@pytest.mark.parametrize(("phrase", "expected"), [
    ("trước 14 giờ, ngày 05/12", "2026-12-05"), ("trước 16h00 ngày 10/12/2026", "2026-12-10"),
    ("chậm nhất ngày 12.12.2026", "2026-12-12"), ("hoàn thành trong tháng 6-2027", "2027-06-30"),
    ("trước ngày 25.2 2027", "2027-02-25"), ("trước ngày 3-12", "2026-12-03"),
])
def test_deadlines_as_documents_write_them(index: UnitIndex, phrase: str, expected: str) -> None:
    assert only(f"Giao Sở Y tế kiểm tra an toàn thực phẩm, {phrase}.", index)["deadline"] == expected


def test_the_date_reader_takes_a_time_of_day_and_dotted_dates() -> None:
    assert read_date("16h00 ngày 10/12/2026", date(2026, 11, 20), WorkingCalendar()) == date(2026, 12, 10)
    assert read_date("10.12.2026", date(2026, 11, 20), WorkingCalendar()) == date(2026, 12, 10)


def test_a_period_of_months_is_not_a_deadline(index: UnitIndex) -> None:
    d = only("Giao Sở Tài chính tổng hợp kết quả giải ngân trong 9 tháng đầu năm 2026.", index)
    assert d["deadline"] is None


def test_a_relayed_report_date_is_not_the_assignees_deadline(index: UnitIndex) -> None:
    d = only("UBND các huyện, thành phố báo cáo qua Sở Y tế trước ngày 10/12 để tổng hợp, báo cáo UBND tỉnh "
             "trước ngày 18/12.", index)
    assert d["deadline"] == "2026-12-10"


@pytest.mark.parametrize(("text", "recurrence", "deadline"), [
    ("Hằng tháng, Sở Tài chính báo cáo tình hình giải ngân vốn đầu tư công trước ngày 25", "monthly", "2026-11-25"),
    ("Giao Sở Tài chính chủ trì, hằng tháng báo cáo tình hình giải ngân vốn đầu tư công trước ngày 25.",
     "monthly", "2026-11-25"),
    ("Giao Sở Tài chính định kỳ hằng tháng báo cáo tình hình giải ngân vốn đầu tư công trước ngày 25.",
     "monthly", "2026-11-25"),
    ("Giao Sở Tài chính báo cáo tình hình giải ngân vốn đầu tư công vào ngày 5 hằng tháng.", "monthly", "2026-12-05"),
    ("Giao Sở Tài chính định kỳ hằng tuần báo cáo tình hình giải ngân vốn đầu tư công.", "weekly", "2026-11-20"),
    ("Giao Sở Tài chính định kỳ hằng quý báo cáo tình hình giải ngân vốn đầu tư công.", "quarterly", "2026-12-31"),
    ("Giao Sở Tài chính định kỳ hằng năm báo cáo tình hình giải ngân vốn đầu tư công.", "yearly", "2026-12-31"),
    ("Giao Sở Tài chính báo cáo tình hình giải ngân vốn đầu tư công trước ngày 20 của tháng cuối quý.",
     "quarterly", "2026-12-20"),
])
def test_recurring_directives_keep_their_task_and_first_occurrence(index: UnitIndex, text: str, recurrence: str,
                                                                   deadline: str) -> None:
    d = only(text, index)
    assert (d["lead"], d["recurrence"], d["deadline"]) == (["STC"], recurrence, deadline)
    assert "báo cáo tình hình giải ngân vốn đầu tư công" in d["content"]
    assert "hằng" not in d["content"] and "định kỳ" not in d["content"]


def test_a_monthly_day_on_a_weekend_is_stored_as_written(index: UnitIndex) -> None:
    assert only("Giao Sở Xây dựng báo cáo tiến độ trước ngày 28 hằng tháng.", index)["deadline"] == "2026-11-28"


@pytest.mark.parametrize(("text", "query"), [
    ("what is overdue?", {"intent": "overdue", "unit": None, "period": None}),
    ("overdue tasks of the Department of Construction", {"intent": "overdue", "unit": "SXD", "period": None}),
    ("Which tasks are due soon?", {"intent": "due_soon", "unit": None, "period": None}),
    ("statistics for November", {"intent": "stats", "unit": None, "period": "2026-11"}),
    ("stats 2026-Q4", {"intent": "stats", "unit": None, "period": "2026-Q4"}),
    ("tasks of Kim Long Ward", {"intent": "my_tasks", "unit": "P-KIMLONG", "period": None}),
    ("SYT tasks", {"intent": "my_tasks", "unit": "SYT", "period": None}),
    ("find flood drainage", {"intent": "search", "unit": None, "period": None, "text": "flood drainage"}),
])
def test_the_main_questions_are_understood_in_english(index: UnitIndex, text: str, query: dict) -> None:
    assert parse(text, index) == {"query": query}


def test_questions_about_a_units_progress_are_unit_overviews(index: UnitIndex) -> None:
    for text in ("tình hình thực hiện của UBND phường Kim Long", "UBND phường Kim Long đang làm những việc gì?"):
        assert parse(text, index) == {"query": {"intent": "my_tasks", "unit": "P-KIMLONG", "period": None}}


NOTICE = """ỦY BAN NHÂN DÂN TỈNH
Số: 123/TB-UBND
Thành phố A, ngày 19 tháng 11 năm 2026
THÔNG BÁO
Ý kiến kết luận của Phó Chủ tịch UBND tỉnh Nguyễn Văn An tại cuộc họp ngày 18/11/2026
1. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án chậm tiến độ, báo cáo trước ngày 15/12.
2. Sở Y tế:
- Xây dựng kế hoạch phòng, chống dịch; hoàn thành trong 10 ngày.
- Kiểm tra các cơ sở khám bệnh tư nhân.
"""


def test_a_whole_notice_gives_every_item_with_its_number_date_and_leader(index: UnitIndex) -> None:
    result = parse_notice(NOTICE + "\n" * 3 + "Nơi nhận:\n- Như trên;\n" + "x " * 60_000,
                          at=datetime.fromisoformat("2026-12-01T09:00:00+07:00"), index=index,
                          calendar=WorkingCalendar())
    drafts = result.directives
    assert [d.lead for d in drafts] == [("SXD",), ("SYT",), ("SYT",)]
    assert {d.source for d in drafts} == {"123/TB-UBND"}
    assert {d.source_date for d in drafts} == {date(2026, 11, 19)}
    assert {d.leader for d in drafts} == {"Phó Chủ tịch UBND tỉnh Nguyễn Văn An"}
    assert drafts[1].deadline == date(2026, 11, 29)  # ten days from the notice's own date


def test_a_notice_without_a_directive_says_so(index: UnitIndex) -> None:
    result = parse_notice("Số: 5/TB-UBND\nThông báo lịch tiếp công dân tháng 12.", at=AT, index=index,
                          calendar=WorkingCalendar())
    assert result.kind == "unknown"
