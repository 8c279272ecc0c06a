from datetime import UTC, date, datetime

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


# One reader, one table: chat (a question's or /thongke's words), the CLI's --period and the web's period
# parameter (both `canonical_period` through `reports.scope_for`) read each of these as the same period.
SAME_EVERYWHERE = [
    ("2025", "2025"), ("năm 2025", "2025"), ("Năm 2025", "2025"),
    ("2025-Q4", "2025-Q4"), ("quý 4/2025", "2025-Q4"), ("Q4/2025", "2025-Q4"), ("quý IV năm 2025", "2025-Q4"),
    ("tháng 11", "2026-11"), ("tháng 11/2026", "2026-11"), ("11/2026", "2026-11"), ("2026-11", "2026-11"),
    ("tháng 12", "2025-12"), ("T11", "2026-11"),
    ("2026-11-01..2026-11-15", "2026-11-01..2026-11-15"), ("1/11-15/11/2026", "2026-11-01..2026-11-15"),
    ("từ 1/11 đến 15/11/2026", "2026-11-01..2026-11-15"), ("20261101-20261115", "2026-11-01..2026-11-15"),
    ("6 tháng đầu năm 2026", "2026-H1"), ("2026-H1", "2026-H1"),
]


@pytest.mark.parametrize("typed, canonical", SAME_EVERYWHERE)
def test_a_period_means_the_same_in_chat_cli_and_web(typed, canonical):
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from bot.parsing.normalise import Analysed
    from bot.parsing.queries import read_period
    from bot.services.reports import scope_for

    assert canonical_period(typed, TODAY) == canonical  # CLI --period, web ?period=
    chat = read_period(Analysed.of(f"thống kê {typed}"), TODAY)
    assert (chat.period, chat.unread) == (canonical, False)  # a question, /thongke's words
    rt = SimpleNamespace(settings=SimpleNamespace(tz=ZoneInfo("Asia/Ho_Chi_Minh")))
    now = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
    scope = scope_for(rt, now=now, period=typed)  # type: ignore[arg-type]
    assert (scope.start, scope.end) == period_range(canonical, TODAY)


def test_no_period_is_the_current_month_everywhere():
    from bot.parsing.normalise import Analysed
    from bot.parsing.queries import read_period

    assert canonical_period(None, TODAY) == canonical_period("", TODAY) == "2026-11"
    assert period_range(None, TODAY) == (date(2026, 11, 1), date(2026, 11, 30))
    assert read_period(Analysed.of("thống kê"), TODAY).period is None  # the report then takes the month


@pytest.mark.parametrize("bad", ["năm 25", "quý 5/2025", "tháng 13", "thống kê 2025", "2025 abc", "12345"])
def test_words_that_are_not_wholly_a_period_are_refused_on_the_cli_and_web(bad):
    with pytest.raises(DomainError, match="period.unknown"):
        canonical_period(bad, TODAY)
