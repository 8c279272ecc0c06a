"""A recurring series keeps its day across short months, extensions and late confirmations."""

from __future__ import annotations

from datetime import date

from bot.services import directives as svc
from bot.services import queries
from tests.conftest import NOW
from tests.integration.test_reminders import assign, local


async def test_a_late_confirmation_skipping_a_period_keeps_the_series_day(rt, people):
    code = await assign(rt, people, date(2026, 12, 30), recurrence="monthly")
    for _ in range(3):
        await svc.report_done(rt, people.sxd, code, "Xong kỳ này", now=NOW)
        await svc.confirm_done(rt, people.admin, code, now=NOW)
        [card] = (await queries.unit_tasks(rt, people.sxd, now=NOW)).items
        code = card.code
    assert card.deadline == date(2027, 3, 30)
    await svc.request_extension(rt, people.sxd, code, date(2027, 5, 5), "Chờ số liệu quý I", now=NOW)
    await svc.decide_extension(rt, people.leader, code, True, now=NOW)
    late = local(date(2027, 5, 5), 9)
    await svc.report_done(rt, people.sxd, code, "Xong kỳ tháng 3", now=late)
    await svc.confirm_done(rt, people.admin, code, now=late)
    [card] = (await queries.unit_tasks(rt, people.sxd, now=late)).items
    assert card.deadline == date(2027, 5, 30)
