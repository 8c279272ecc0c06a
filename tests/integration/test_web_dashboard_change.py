"""The dashboard's change of the on-time rate against the period before (issue 23 reads the period before's
rates alone, not its whole report): each unit's row and the total show the difference of the two periods'
rates, as their full reports give them."""

from __future__ import annotations

import re
from datetime import date

from bot.reports import numbers
from bot.services import directives as svc
from bot.services import reports
from tests.conftest import NOW
from tests.integration.tally_check import at
from tests.integration.web_client import WebClient, page_text


async def _assign(rt, people, day: date, deadline: date, lead: list[str]) -> str:  # noqa: ANN001
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        f"Rà soát hồ sơ tồn đọng ({day})", lead=lead, support=[], deadline=deadline)], now=at(day))
    return card.code


async def _done(rt, people, code: str, day: date, unit: str = "SXD") -> None:  # noqa: ANN001
    await svc.report_done(rt, people.admin, code, "Đã hoàn thành", now=at(day), unit_code=unit)
    await svc.confirm_done(rt, people.leader, code, now=at(day))


async def test_the_dashboard_shows_each_rates_change_against_the_period_before(rt, people):
    # October: SXD's two tasks both late (0 %), STC's one done on time (100 %).
    late = [await _assign(rt, people, date(2026, 10, 1), date(2026, 10, 15), ["SXD"]) for _ in range(2)]
    stc = await _assign(rt, people, date(2026, 10, 1), date(2026, 10, 15), ["STC"])
    await _done(rt, people, stc, date(2026, 10, 5), "STC")
    # November, up to the 20th: SXD finishes one late task late and one new task on time (1 of 3 due: the
    # other late task is still overdue), STC one new task done late.
    await _done(rt, people, late[0], date(2026, 11, 3))
    await _done(rt, people, await _assign(rt, people, date(2026, 11, 2), date(2026, 11, 10), ["SXD"]), date(2026, 11, 6))
    stc = await _assign(rt, people, date(2026, 11, 2), date(2026, 11, 10), ["STC"])
    await _done(rt, people, stc, date(2026, 11, 12), "STC")

    scope = reports.scope_for(rt, now=NOW, period="2026-11")
    before = reports.scope_for(rt, now=NOW, period="2026-10")
    async with rt.sessions() as session:
        now_report, before_report = await numbers.compute(session, scope), await numbers.compute(session, before)
    rate = {u.code: u.lead.rate for u in now_report.units}
    was = {u.code: u.lead.rate for u in before_report.units}
    assert (rate["SXD"], was["SXD"], rate["STC"], was["STC"]) == (1 / 3, 0.0, 0.0, 1.0)

    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        page = (await web.get("/", params={"period": "2026-11"})).text
    finally:
        await web.close()
    for code in ("SXD", "STC"):
        row = re.search(rf'<tr data-unit="{code}">(.*?)</tr>', page, re.S)
        assert row, code
        change = re.findall(r'data-value="([^"]*)"', row.group(1))[-1]
        assert float(change) == round((rate[code] - was[code]) * 100, 1), (code, change)
    assert (now_report.total.rate, before_report.total.rate) == (1 / 4, 1 / 3)
    assert "so với kỳ trước (33,3 %): -8,3 điểm %" in page_text(page)
