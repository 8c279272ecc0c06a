from datetime import date

from bot.domain.calendar import WorkingCalendar, end_of_month, end_of_quarter, friday_of_week
from bot.domain.deadlines import check_new_deadline, next_occurrence
from bot.domain.periods import period_range
from bot.errors import DomainError

CAL = WorkingCalendar()


def test_five_working_days_skip_the_weekend_and_vietnamese_cultural_day():
    assert CAL.add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 30)


def test_lunar_new_year_holidays_are_not_working_days():
    assert not CAL.is_working_day(date(2027, 2, 8))
    assert CAL.lunar_new_year(2027) == date(2027, 2, 6)


def test_an_official_make_up_saturday_is_a_working_day():
    assert CAL.is_working_day(date(2026, 8, 22))


def test_configured_extra_days_off_and_make_up_days_are_respected():
    cal = WorkingCalendar(extra_days_off=[date(2026, 11, 23)], extra_working_days=[date(2026, 11, 21)])
    assert not cal.is_working_day(date(2026, 11, 23))
    assert cal.is_working_day(date(2026, 11, 21))
    assert cal.add_working_days(date(2026, 11, 20), 2) == date(2026, 11, 25)


def test_working_days_between_counts_both_ways():
    assert CAL.working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 4
    assert CAL.working_days_between(date(2026, 11, 27), date(2026, 11, 20)) == -4


def test_period_ends():
    assert end_of_month(2027, 2) == date(2027, 2, 28)
    assert end_of_quarter(2027, 1) == date(2027, 3, 31)
    assert friday_of_week(date(2026, 11, 18)) == date(2026, 11, 20)
    assert period_range("2026-Q4", date(2026, 11, 20)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_range("this_week", date(2026, 11, 20)) == (date(2026, 11, 16), date(2026, 11, 22))


def test_a_past_deadline_is_refused():
    try:
        check_new_deadline(date(2026, 11, 19), date(2026, 11, 20))
    except DomainError as error:
        assert error.key == "deadline.past"
    else:
        raise AssertionError("accepted")


def test_quick_deadlines_skip_holidays_and_at_the_weekend_end_of_week_is_the_coming_friday():
    from bot.domain.deadlines import quick_deadlines

    friday = dict(quick_deadlines(date(2026, 11, 20), CAL))
    assert friday == {"w5": date(2026, 11, 30), "w10": date(2026, 12, 7), "eow": date(2026, 11, 20),
                      "eom": date(2026, 11, 30), "none": None}
    assert dict(quick_deadlines(date(2026, 11, 21), CAL))["eow"] == date(2026, 11, 27)


def test_working_day_arithmetic_by_ordinals_agrees_with_walking_day_by_day():
    import random
    from datetime import timedelta

    off, work = date(2026, 12, 24), date(2026, 12, 26)
    fast = WorkingCalendar([off], [work])

    def working(day: date) -> bool:
        return day == work or (day != off and fast._holidays.is_working_day(day))

    def walk(start: date, n: int) -> date:
        day, left = start, abs(n)
        while left:
            day += timedelta(days=1 if n > 0 else -1)
            left -= working(day)
        return day

    rng = random.Random(7)
    for _ in range(500):
        start = date(2015, 1, 1) + timedelta(days=rng.randint(0, 5000))
        n = rng.randint(-30, 30)
        assert fast.add_working_days(start, n) == walk(start, n), (start, n)
        end = start + timedelta(days=rng.randint(-90, 90))
        lo, hi = sorted((start, end))
        count = sum(working(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
        assert fast.working_days_between(start, end) == (count if end >= start else -count)
    assert fast.add_working_days(date(1990, 1, 1), 3) == walk(date(1990, 1, 1), 3), "a far date widens the span"


def _series(first: date, recurrence: str, count: int) -> list[date]:
    """Occurrences as the recurrence service makes them: each from the one before, with the day of the
    occurrence before that."""
    days, before = [first], None
    for _ in range(count - 1):
        following = next_occurrence(days[-1], recurrence, before.day if before else None)
        before = days[-1]
        days.append(following)
    return days


def test_a_monthly_series_on_the_30th_comes_back_to_the_30th_after_february():
    assert _series(date(2027, 1, 30), "monthly", 6) == [
        date(2027, 1, 30), date(2027, 2, 28), date(2027, 3, 30), date(2027, 4, 30), date(2027, 5, 30),
        date(2027, 6, 30)]


def test_a_month_end_series_stays_on_month_ends():
    assert _series(date(2027, 1, 31), "monthly", 6) == [
        date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30), date(2027, 5, 31),
        date(2027, 6, 30)]
