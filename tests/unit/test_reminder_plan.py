"""History imported late is not news: its overdue ping reaches the unit, but the leaders are not told at
once that it is «quá hạn 5 ngày làm việc» when it is weeks late."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar
from bot.domain.reminders import ESCALATION, OVERDUE, Policy, plan, window_open_at

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=TZ)  # a Monday


def test_a_directive_assigned_19_working_days_late_escalates_at_once_saying_five_days():
    deadline = CALENDAR.add_working_days(NOW.date(), -19)
    planned = {p.kind: p for p in plan(deadline, NOW, Policy(), CALENDAR, TZ)}
    assert planned[ESCALATION].due == NOW and planned[ESCALATION].step == 5


def test_imported_history_19_working_days_late_escalates_only_five_working_days_after_the_import():
    deadline = CALENDAR.add_working_days(NOW.date(), -19)
    planned = {p.kind: p for p in plan(deadline, NOW, Policy(), CALENDAR, TZ, imported=True)}
    later = CALENDAR.add_working_days(NOW.date(), 5)
    assert planned[ESCALATION].due == window_open_at(later, Policy(), TZ)
    assert planned[ESCALATION].step == 24, "by then it is 24 working days late, and says so"
    assert planned[OVERDUE].due == NOW, "the unit is still reminded at once"


def test_imported_history_not_yet_at_its_escalation_keeps_the_usual_moment():
    deadline = CALENDAR.add_working_days(NOW.date(), -2)
    usual = {p.kind: p for p in plan(deadline, NOW, Policy(), CALENDAR, TZ)}
    imported = {p.kind: p for p in plan(deadline, NOW, Policy(), CALENDAR, TZ, imported=True)}
    assert imported[ESCALATION] == usual[ESCALATION] and usual[ESCALATION].step == 5
