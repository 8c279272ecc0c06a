"""Report marks and the pieces their sums are read in."""

from __future__ import annotations

import random
from datetime import date, timedelta

from bot.domain.tally import Dates, Mark, class_on, marks
from bot.reports.tallied import span, upto
from storage.tallies import ALL_TIME, DAY, MONTH, YEAR


def test_work_done_late_is_in_time_then_overdue_then_done_late():
    dates = Dates(date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 12), date(2026, 3, 13), None)
    assert marks(dates) == (
        Mark("b", date(2026, 3, 2), 1), Mark("ot", date(2026, 3, 2), 1),
        Mark("ot", date(2026, 3, 11), -1), Mark("ol", date(2026, 3, 11), 1),
        Mark("ol", date(2026, 3, 12), -1), Mark("wl", date(2026, 3, 12), 1),
        Mark("wl", date(2026, 3, 13), -1), Mark("dl", date(2026, 3, 13), 1),
    )


def test_a_draft_has_no_marks_and_an_imported_past_deadline_is_overdue_from_its_first_day():
    assert marks(Dates(None, date(2026, 3, 10), None, None, None)) == ()
    late = Dates(date(2026, 5, 4), date(2026, 4, 30), None, None, None)
    assert marks(late) == (Mark("b", date(2026, 5, 4), 1), Mark("ol", date(2026, 5, 4), 1))


def test_a_standing_task_done_stays_standing_but_in_a_final_class():
    dates = Dates(date(2026, 1, 5), None, date(2026, 6, 1), date(2026, 6, 2), None)
    assert class_on(dates, date(2026, 6, 1)) == "s"
    assert marks(dates)[-1] == Mark("sd", date(2026, 6, 2), 1)


def _by_day(seed: int) -> dict[date, int]:
    rng = random.Random(seed)
    first = date(2024, 1, 1)
    return {first + timedelta(days=n): rng.randint(-3, 9) for n in range(5 * 366)}


def _read(pieces, values: dict[date, int]) -> int:
    total = 0
    for piece in pieces:
        if piece.grain == ALL_TIME:
            chosen = list(values.values())
        elif piece.grain == YEAR:
            chosen = [v for d, v in values.items() if piece.first.year <= d.year <= piece.last.year]
        elif piece.grain == MONTH:
            chosen = [v for d, v in values.items() if piece.first <= d.replace(day=1) <= piece.last]
        else:
            assert piece.grain == DAY
            chosen = [v for d, v in values.items() if piece.first <= d <= piece.last]
        total += piece.sign * sum(chosen)
    return total


def test_any_range_of_days_reads_as_months_and_days_that_sum_to_it():
    values = _by_day(1)
    rng = random.Random(2)
    days = sorted(values)
    for _ in range(300):
        first, last = sorted(rng.sample(days, 2))
        pieces = span(first, last)
        assert _read(pieces, values) == sum(v for d, v in values.items() if first <= d <= last)
        assert len(pieces) <= 8


def test_a_sum_up_to_a_day_reads_from_the_nearer_end():
    values = _by_day(3)
    bounds = (min(values), max(values).replace(day=1))
    for last in (date(2023, 6, 1), date(2024, 1, 1), date(2024, 2, 14), date(2025, 7, 31), date(2026, 11, 20),
                 date(2026, 12, 31), date(2027, 3, 1), date(2028, 12, 31), date(2030, 1, 1)):
        assert _read(upto(last, bounds), values) == sum(v for d, v in values.items() if d <= last)
    assert any(p.grain == ALL_TIME for p in upto(date(2028, 11, 20), bounds))
    assert [p.grain for p in span(date(2024, 1, 1), date(2026, 12, 31))] == [YEAR]
    assert not any(p.grain == ALL_TIME for p in upto(date(2024, 2, 14), bounds))
