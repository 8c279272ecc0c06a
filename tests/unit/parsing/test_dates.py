"""The one date reader behind every prompt that asks for a day."""

from datetime import date

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.errors import DomainError
from bot.parsing.dates import read_date, read_date_and_reason

TODAY = date(2026, 11, 20)
CAL = WorkingCalendar()


@pytest.mark.parametrize(("text", "expected"), [
    ("05/01", date(2027, 1, 5)),
    ("15-12-2026", date(2026, 12, 15)),
    ("30.6.2027", date(2027, 6, 30)),
    ("30 tháng 6 năm 2027", date(2027, 6, 30)),
    ("ngày 15/12", date(2026, 12, 15)),
    ("trước ngày 15/12/26", date(2026, 12, 15)),
    ("cuối tháng 12", date(2026, 12, 31)),
    ("cuối tháng", date(2026, 11, 30)),
    ("quý I/2027", date(2027, 3, 31)),
    ("6 tháng đầu năm 2027", date(2027, 6, 30)),
    ("tuần sau", date(2026, 11, 27)),
    ("trong 10 ngày làm việc", date(2026, 12, 7)),  # 24/11 is a holiday in the calendar the corpus uses
])
def test_a_typed_day_is_read_as_the_directive_parser_reads_deadlines(text, expected):
    assert read_date(text, TODAY, CAL) == expected


@pytest.mark.parametrize(("text", "key"), [
    ("31/02/2027", "deadline.impossible"),
    ("mai", "deadline.unreadable"),
    ("3", "deadline.unreadable"),
    ("hằng tháng", "deadline.unreadable"),
    ("", "deadline.unreadable"),
    ("1" * 500, "deadline.unreadable"),
])
def test_what_names_no_day_is_a_clear_error(text, key):
    with pytest.raises(DomainError) as caught:
        read_date(text, TODAY, CAL)
    assert caught.value.key == key


def test_a_day_with_an_explicit_past_year_comes_back_for_the_caller_to_refuse():
    assert read_date("01/01/2020", TODAY, CAL) == date(2020, 1, 1)


def test_a_date_and_its_reason_typed_in_one_message() -> None:
    today, calendar = date(2026, 11, 20), WorkingCalendar()
    assert read_date_and_reason("28/2/2027", today, calendar) == (date(2027, 2, 28), None)
    assert read_date_and_reason("đề nghị lùi đến 28/2/2027 vì chờ vốn bổ sung", today, calendar) == (
        date(2027, 2, 28), "chờ vốn bổ sung")
    assert read_date_and_reason("Xin gia hạn đến ngày 15 tháng 1 năm 2027, do thời tiết mưa kéo dài", today,
                                calendar) == (date(2027, 1, 15), "thời tiết mưa kéo dài")
    assert read_date_and_reason("lùi đến 15/1/2027", today, calendar) == (date(2027, 1, 15), None)
