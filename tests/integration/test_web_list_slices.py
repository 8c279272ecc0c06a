"""The web's filtered lists read their index a slice at a time (bot/services/web_views._first): whatever
slice a match falls in (the first, the longer second, or the rest read with every condition), the pages
give exactly the directives a plain reading of the rule gives, in the list's order, each once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.services import directives as svc
from bot.services import reports, web_views
from tests.conftest import NOW

LATER = NOW + timedelta(days=70)  # every deadline below has passed: all the work is overdue


async def _pages(rt, wanted: web_views.ListFilter, *, period: str | None = None, limit: int = 2) -> list[str]:
    scope = reports.scope_for(rt, now=LATER, period=period)
    codes: list[str] = []
    after = None
    for _ in range(100):
        page = await web_views.directive_list(rt, None, scope, wanted, now=LATER, after=after, limit=limit)
        codes += [item.code for item in page.items]
        assert len(page.items) <= limit
        if page.next_after is None:
            return codes
        after = page.next_after
    raise AssertionError("the pages never end")


@pytest.fixture
async def province(rt, people, monkeypatch):
    """40 overdue directives of SXD, deadlines one a day; a rare word in a few of them, at places that fall in
    each slice when a slice is one page (SLICE = 1: 3 rows, then 24, then the rest)."""
    monkeypatch.setattr(web_views, "SLICE", 1)
    rare = {1, 2, 9, 30, 31, 38}
    leader_of = {i: ("Lê Quang Minh" if i % 7 == 0 or i in (2, 30) else None) for i in range(40)}
    specs = [svc.NewDirective(f"{'Kiểm kê kho lưu trữ' if i in rare else 'Rà soát hồ sơ'} số {i}", lead=["SXD"],
                              deadline=date(2026, 11, 23) + timedelta(days=i), leader_name=leader_of[i])
             for i in range(40)]
    cards = []
    for start in range(0, len(specs), 10):
        cards += await svc.create_directives(rt, people.leader, specs[start:start + 10], now=NOW)
    return [c.code for c in cards], rare, leader_of


async def test_a_word_found_in_every_slice_pages_in_the_index_order(rt, province):
    codes, rare, _ = province
    wanted = web_views.ListFilter(unit_code="SXD", cls="open_late", text="kiểm kê")
    assert await _pages(rt, wanted) == [codes[i] for i in sorted(rare)]
    assert await _pages(rt, wanted, limit=1) == [codes[i] for i in sorted(rare)]


async def test_a_leader_and_a_word_together_and_a_word_nowhere(rt, province):
    codes, rare, leader_of = province
    by_leader = [codes[i] for i in range(40) if leader_of[i]]
    assert await _pages(rt, web_views.ListFilter(unit_code="SXD", cls="open_late", leader="Lê Quang Minh")) \
        == by_leader
    both = web_views.ListFilter(unit_code="SXD", cls="open_late", leader="Lê Quang Minh", text="kiểm kê")
    assert await _pages(rt, both) == [codes[i] for i in sorted(rare) if leader_of[i]]
    assert await _pages(rt, web_views.ListFilter(unit_code="SXD", cls="open_late", text="không có đâu")) == []
    # the province's list (no unit) reads the same way, from the directives' own indexes
    assert await _pages(rt, web_views.ListFilter(cls="open_late", text="kiểm kê")) == [codes[i] for i in sorted(rare)]


async def test_a_period_list_with_a_class_and_a_word_newest_first(rt, province):
    codes, rare, _ = province
    newest_first = [codes[i] for i in sorted(rare, reverse=True)]
    period = f"{NOW:%Y-%m}"
    # judged at the month's end (30/11): only the first few were overdue then
    late_then = [codes[i] for i in sorted(rare) if i < 5]
    assert await _pages(rt, web_views.ListFilter(unit_code="SXD", text="kiểm kê", cls="open_late"),
                        period=period) == late_then[::-1]
    assert await _pages(rt, web_views.ListFilter(unit_code="SXD", text="kiểm kê"), period=period) == newest_first
    assert await _pages(rt, web_views.ListFilter(text="kiểm kê"), period=period) == newest_first
    assert await _pages(rt, web_views.ListFilter(unit_code="SXD", cls="done_late"), period=period) == []


async def test_without_slices_the_same_pages(rt, province, monkeypatch):
    codes, rare, _ = province
    monkeypatch.setattr(web_views, "SLICE", 100)  # one slice holds everything
    wanted = web_views.ListFilter(unit_code="SXD", cls="open_late", text="kiểm kê")
    assert await _pages(rt, wanted) == [codes[i] for i in sorted(rare)]


async def test_a_past_periods_done_and_cancelled_lists_stop_at_its_end(rt, people, monkeypatch):
    """A past month's done (cancelled) list: the work assigned in it and the work carried over into it, done
    (cancelled) in it, newest first; what was done or cancelled before it or after its end is not in it
    (read from the range of those days that ends at the month's end, in small slices)."""
    monkeypatch.setattr(web_views, "SLICE", 1)
    from datetime import UTC, datetime

    def at(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)

    async def new(title: str, on: date, deadline: date) -> str:
        [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(title, lead=["SXD"],
                                                                                  deadline=deadline)], now=at(on))
        return card.code

    async def done(code: str, on: date) -> None:
        await svc.report_done(rt, people.sxd, code, "Đã hoàn thành, gửi kèm báo cáo kết quả", now=at(on))
        await svc.confirm_done(rt, people.admin, code, now=at(on))

    made: dict[str, str] = {}
    for name, assigned, deadline, finish, how in [
        ("old_late_in", date(2026, 9, 1), date(2026, 9, 15), date(2026, 10, 10), "done"),
        ("old_late_after", date(2026, 9, 2), date(2026, 9, 15), date(2026, 11, 10), "done"),
        ("old_late_before", date(2026, 9, 3), date(2026, 9, 15), date(2026, 9, 20), "done"),
        ("old_cancel_in", date(2026, 9, 4), date(2026, 9, 15), date(2026, 10, 12), "cancel"),
        ("old_cancel_after", date(2026, 9, 5), date(2026, 9, 15), date(2026, 11, 12), "cancel"),
        ("new_late_in", date(2026, 10, 5), date(2026, 10, 8), date(2026, 10, 20), "done"),
        ("new_late_after", date(2026, 10, 6), date(2026, 10, 8), date(2026, 11, 5), "done"),
        ("new_on_time", date(2026, 10, 7), date(2026, 10, 30), date(2026, 10, 21), "done"),
        ("old_late_in_2", date(2026, 9, 8), date(2026, 9, 15), date(2026, 10, 28), "done"),
        ("new_cancel_in", date(2026, 10, 9), date(2026, 10, 30), date(2026, 10, 29), "cancel"),
    ]:
        made[name] = await new(f"Rà soát hồ sơ {name}", assigned, deadline)
        if how == "done":
            await done(made[name], finish)
        else:
            await svc.cancel(rt, people.leader, made[name], "Không còn cần thiết", now=at(finish))

    def newest_first(*names: str) -> list[str]:
        return sorted((made[n] for n in names), key=lambda code: int(code.rsplit("-", 1)[1]), reverse=True)

    for unit in ("SXD", None):
        for limit in (1, 2, 20):
            assert await _pages(rt, web_views.ListFilter(unit_code=unit, cls="done_late"), period="2026-10",
                                limit=limit) == newest_first("old_late_in", "new_late_in", "old_late_in_2")
            assert await _pages(rt, web_views.ListFilter(unit_code=unit, cls="cancelled"), period="2026-10",
                                limit=limit) == newest_first("old_cancel_in", "new_cancel_in")
            assert await _pages(rt, web_views.ListFilter(unit_code=unit, cls="done_on_time"), period="2026-10",
                                limit=limit) == newest_first("new_on_time")
        # the year: all of it assigned in it (a long period: SQLite walks its first slice in the list's order)
        for limit in (1, 2, 20):
            assert await _pages(rt, web_views.ListFilter(unit_code=unit, cls="done_late"), period="2026",
                                limit=limit) == newest_first("old_late_in", "old_late_after", "old_late_before",
                                                             "new_late_in", "new_late_after", "old_late_in_2")
            assert await _pages(rt, web_views.ListFilter(unit_code=unit, cls="cancelled"), period="2026",
                                limit=limit) == newest_first("old_cancel_in", "old_cancel_after", "new_cancel_in")
        late_then = await _pages(rt, web_views.ListFilter(unit_code=unit, cls="open_late"), period="2026-10")
        assert set(late_then) >= {made["old_late_after"], made["new_late_after"], made["old_cancel_after"]}
