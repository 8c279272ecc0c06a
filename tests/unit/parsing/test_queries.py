from __future__ import annotations

from datetime import datetime

from bot.parsing import Query, to_corpus_json
from tests.unit.parsing.conftest import Parse


def _query(parse: Parse, text: str, at: datetime | None = None) -> Query:
    result = parse(text, at) if at else parse(text)
    assert result.kind == "query", result
    assert result.query is not None
    return result.query


def test_how_many_overdue_for_a_unit_is_an_overdue_query_for_it(parse: Parse) -> None:
    assert _query(parse, "Công an tỉnh có mấy việc trễ hạn?") == Query("overdue", "CA")


def test_a_terse_query_without_diacritics_is_understood(parse: Parse) -> None:
    assert _query(parse, "cong an tinh tre han") == Query("overdue", "CA")


def test_my_own_tasks(parse: Parse) -> None:
    assert _query(parse, "nhiệm vụ của đơn vị tôi") == Query("my_tasks")


def test_due_soon_for_a_group_keeps_the_group(parse: Parse) -> None:
    assert _query(parse, "các địa phương có việc gì sắp tới hạn không") == Query("due_soon", "#dia-phuong")


def test_periods_read_as_quarter_half_year_and_month(parse: Parse) -> None:
    assert _query(parse, "thống kê quý II năm 2026").period == "2026-Q2"
    assert _query(parse, "tỷ lệ đúng hạn 6 tháng cuối năm").period == "2026-H2"
    assert _query(parse, "thống kê tháng trước").period == "2026-10"
    assert _query(parse, "thống kê tháng 12").period == "2025-12"


def test_a_range_asked_in_words_is_that_range(parse: Parse) -> None:
    assert _query(parse, "thống kê từ 15/10/2026 đến 15/01/2027").period == "2026-10-15..2027-01-15"
    assert _query(parse, "thống kê từ ngày 1/10 đến ngày 15/11/2026").period == "2026-10-01..2026-11-15"
    assert _query(parse, "thống kê từ tháng 9 đến tháng 11/2026").period == "2026-09-01..2026-11-30"
    assert _query(parse, "tỷ lệ đúng hạn từ đầu năm đến nay").period == "2026-01-01..2026-11-20"
    assert _query(parse, "thống kê Sở Y tế từ 15/10 đến hết 15/1/2027") == Query("stats", "SYT",
                                                                             "2026-10-15..2027-01-15")


def test_quarters_halves_years_and_months_typed_compactly_are_read_too(parse: Parse) -> None:
    assert _query(parse, "thống kê quý 3/2026").period == "2026-Q3"
    assert _query(parse, "thống kê 6 tháng đầu năm 2026").period == "2026-H1"
    assert _query(parse, "thống kê năm 2025").period == "2025"
    assert _query(parse, "thống kê 11/2026").period == "2026-11"
    assert _query(parse, "thống kê 2026-q4").period == "2026-Q4"


def test_a_period_named_but_not_understood_is_kept_as_typed_and_no_other_period_is_guessed(parse: Parse) -> None:
    for text, unread in [("thống kê tháng mười", "tháng mười"), ("thống kê quý 5", "quý 5"),
                         ("thống kê tháng 13", "tháng 13"), ("thống kê từ hôm qua đến nay", "từ hôm qua đến nay"),
                         ("thống kê từ 31/02 đến 15/03", "từ 31/02 đến 15/03"),
                         ("thống kê từ tháng 9 đến mai", "từ tháng 9 đến mai")]:
        query = _query(parse, text)
        assert (query.period, query.unread_period) == (None, unread), text
    assert to_corpus_json(parse("thống kê quý 5"))["query"]["unread_period"] == "quý 5"
    assert _query(parse, "thống kê Sở Kế hoạch và Đầu tư tháng 11") == Query("stats", "STC", "2026-11"), \
        "«Đầu tư» is no «từ … đến …»"


def test_a_search_keeps_the_words_as_typed(parse: Parse) -> None:
    query = _query(parse, "tra cứu việc liên quan đến xây dựng nông thôn mới?")
    assert query == Query("search", None, None, "xây dựng nông thôn mới")
    assert to_corpus_json(parse("tìm về chợ Đông Ba")) == {
        "query": {"intent": "search", "unit": None, "period": None, "text": "chợ Đông Ba"}}


def test_a_unit_that_reports_by_a_deadline_is_a_directive_not_a_stats_query(parse: Parse) -> None:
    assert parse("Sở Y tế báo cáo trước cuối tháng 12").kind == "directives"


def test_how_a_unit_is_doing_its_tasks_is_a_question(parse: Parse) -> None:
    for text in ("tình hình thực hiện các nhiệm vụ của Sở Y tế", "Tình hình triển khai các nhiệm vụ được giao của Sở Y tế",
                 "kết quả thực hiện nhiệm vụ của Sở Y tế"):
        assert _query(parse, text) == _query(parse, "Sở Y tế đang có những việc gì?") == Query("my_tasks", "SYT"), text
