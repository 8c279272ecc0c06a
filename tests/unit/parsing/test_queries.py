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


def test_a_search_keeps_the_words_as_typed(parse: Parse) -> None:
    query = _query(parse, "tra cứu việc liên quan đến xây dựng nông thôn mới?")
    assert query == Query("search", None, None, "xây dựng nông thôn mới")
    assert to_corpus_json(parse("tìm về chợ Đông Ba")) == {
        "query": {"intent": "search", "unit": None, "period": None, "text": "chợ Đông Ba"}}


def test_a_unit_that_reports_by_a_deadline_is_a_directive_not_a_stats_query(parse: Parse) -> None:
    assert parse("Sở Y tế báo cáo trước cuối tháng 12").kind == "directives"
