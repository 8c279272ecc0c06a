from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain.calendar import WorkingCalendar
from bot.parsing import (
    MAX_MESSAGE_CHARS,
    REASON_EMPTY,
    REASON_NOT_UNDERSTOOD,
    REASON_TOO_LONG,
    UnitIndex,
    parse_message,
    to_corpus_json,
)
from tests.unit.parsing.conftest import Parse

# Pieces of real messages, so that the fuzzer reaches the rules and not only the "not understood" exit.
_PIECES = ["Giao", "Sở Y tế", "so y te", "chủ trì", "phối hợp với", "UBND phường Thuận An", "các sở, ngành",
           "@SYT", "@", "hạn", "trước ngày", "31/02", "15/12/2026", "trong", "5 ngày làm việc", "quý IV",
           "tháng 13", "hằng tháng", "thứ Sáu hằng tuần", "Tết", ",", ";", ".", ":", "\n", "1.", "a)", "?",
           "bao nhiêu", "quá hạn", "tìm", "thống kê", "😀", "Ǆ", "İ", "ﬁ", "\u200b", "\u0301", "Sở", "xã",
           "29/02", "0/0", "99999999999", "ngày 40 tháng 2 năm 2026"]


def test_an_empty_message_has_a_reason_not_an_exception(parse: Parse) -> None:
    assert parse("").reason == REASON_EMPTY
    assert parse(" \n\t\u200b ").reason == REASON_EMPTY


def test_a_message_longer_than_the_limit_is_refused_with_a_reason(parse: Parse) -> None:
    result = parse("Giao Sở Y tế kiểm tra. " * (MAX_MESSAGE_CHARS // 10))
    assert (result.kind, result.reason) == ("unknown", REASON_TOO_LONG)


def test_emoji_alone_are_not_understood(parse: Parse) -> None:
    assert parse("👍🙏🎉").reason == REASON_NOT_UNDERSTOOD


def test_emoji_and_other_scripts_around_a_directive_do_not_hide_it(one) -> None:
    draft = one("📌 Giao Sở Y tế kiểm tra bếp ăn 食堂 trường học, hạn 1/12 ✅")
    assert draft.lead == ("SYT",)
    assert str(draft.deadline) == "2026-12-01"


def test_chatter_that_is_neither_directive_nor_question_is_not_understood(parse: Parse) -> None:
    assert parse("Cảm ơn anh, em đã nhận được rồi ạ").reason == REASON_NOT_UNDERSTOOD


def test_a_naive_time_is_taken_as_office_time(one) -> None:
    draft = one("Sở Y tế báo cáo trong 2 ngày.", at=datetime(2026, 11, 20, 23, 30))
    assert str(draft.deadline) == "2026-11-22"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=300), st.lists(st.sampled_from(_PIECES), max_size=25).map(" ".join)),
       offset_hours=st.integers(min_value=-12, max_value=14))
def test_no_text_makes_the_parser_raise(index: UnitIndex, calendar: WorkingCalendar, text: str,
                                        offset_hours: int) -> None:
    at = datetime(2026, 11, 20, 9, tzinfo=UTC).astimezone(timezone(timedelta(hours=offset_hours)))
    result = parse_message(text, at=at, calendar=calendar, index=index)
    assert result.kind in ("directives", "query", "unknown")
    json.dumps(to_corpus_json(result), ensure_ascii=False)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=60))
def test_no_name_makes_suggest_or_resolve_raise(index: UnitIndex, name: str) -> None:
    assert len(index.suggest(name)) <= 3
    index.resolve(name)
