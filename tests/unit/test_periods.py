from datetime import date

import pytest

from bot.domain.periods import canonical_period, compact_period, period_range
from bot.errors import DomainError
from bot.reports.counts import make_scope
from bot.reports.labels import period_name
from bot.texts import fmt_percent
from handlers.callbacks import ReportFile, unpack

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize("period, start, end, words", [
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "tháng 11/2026"),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "quý IV/2026"),
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "năm 2026"),
    ("2026-11-01..2026-11-15", date(2026, 11, 1), date(2026, 11, 15), "từ 01/11/2026 đến 15/11/2026"),
    ("01/11/2026-15/11/2026", date(2026, 11, 1), date(2026, 11, 15), "từ 01/11/2026 đến 15/11/2026"),
])
def test_periods_read_as_people_name_them(period, start, end, words):
    assert period_range(period, TODAY) == (start, end)
    assert period_range(compact_period(period, TODAY), TODAY) == (start, end)
    assert period_name(make_scope(start, end, date(2027, 1, 1)), "vi") == words


@pytest.mark.parametrize("typed, canonical", [
    ("11/2026", "2026-11"), ("T11/2026", "2026-11"), ("t11", "2026-11"), ("T12", "2025-12"),
    ("2026-q4", "2026-Q4"), ("Q3/2026", "2026-Q3"), ("q4", "2026-Q4"), ("2026-h1", "2026-H1"), ("h2", "2026-H2"),
    ("1/10-15/11/2026", "2026-10-01..2026-11-15"), ("15/10-15/01/2027", "2026-10-15..2027-01-15"),
    ("1/12-15/12", "2025-12-01..2025-12-15"), ("20261101-20261115", "2026-11-01..2026-11-15"),
])
def test_a_period_typed_loosely_has_one_canonical_name_and_without_a_year_is_the_latest_such(typed, canonical):
    assert canonical_period(typed, TODAY) == canonical
    assert period_range(typed, TODAY) == period_range(canonical, TODAY)


@pytest.mark.parametrize("bad", ["2026-13", "2026-11-15..2026-11-01", "31/02/2026-01/03/2026", "tháng mười", "T13",
                                 "q5", "2026-H3", "15/11-1/11/2026", "2026-02-30..2026-03-01"])
def test_an_unreadable_period_is_refused(bad):
    with pytest.raises(DomainError, match="period.unknown"):
        period_range(bad, TODAY)


def test_a_report_button_carries_the_longest_period_as_of_and_unit_code_within_64_bytes():
    period = compact_period("2026-11-01..2026-11-15", TODAY)
    press = ReportFile("xlsx", period, date(2026, 11, 15), "X" * 32)
    assert len(press.pack().encode()) <= 64 and unpack(press.pack()) == press


def test_rates_are_written_the_vietnamese_way():
    assert fmt_percent(1 / 3, "vi") == "33,3 %" and fmt_percent(1 / 3, "en") == "33.3%"
    assert fmt_percent(None, "vi") == "—"
