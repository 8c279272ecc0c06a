"""The daily merge job run twice at once. The scheduler hands a run that has not finished after ten
minutes (jobs.STALE) to another replica, so a long merge on a large database can overlap a second one; each
merge must still leave the tallies counting what the rows count (one of them may fail and be retried)."""

from __future__ import annotations

import asyncio
from datetime import date

from bot.services import directives as svc
from storage import tallies
from tests.integration.tally_check import assert_agree, at


async def test_two_merges_at_once_count_each_mark_once(rt, people):
    cards = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát", ["SXD", "STC"], ["SYT"], date(2026, 11, 30)),
        svc.NewDirective("Kiểm tra", ["SYT"], [], date(2026, 11, 10)),
        svc.NewDirective("Theo dõi", ["P-THUANHOA"], [], None),
    ], now=at(date(2026, 11, 2)))
    await svc.report_done(rt, people.syt, cards[1].code, "Xong", now=at(date(2026, 11, 12)))
    await svc.confirm_done(rt, people.admin, cards[1].code, now=at(date(2026, 11, 13)))

    first, second = rt.sessions(), rt.sessions()
    read_first: list[int] = []
    read_second: list[int] = []
    second_read = asyncio.Event()
    errors: list[BaseException] = []

    try:
        await first.begin()
        # The first merge reads and rewrites the unmerged rows, and has not committed yet.
        await first.run_sync(lambda s: tallies.compact(s.connection(), on_read=read_first.append))

        async def other() -> None:
            def on_read(n: int) -> None:
                read_second.append(n)
                if len(read_second) == 1:
                    second_read.set()
            try:
                async with second.begin():
                    await second.run_sync(lambda s: tallies.compact(s.connection(), on_read=on_read))
            except Exception as exc:  # noqa: BLE001 - a merge that fails is retried the next day: fine
                errors.append(exc)
                second_read.set()

        task = asyncio.create_task(other())
        await asyncio.wait_for(second_read.wait(), 60)  # the second merge has read, before the first commits
        await first.commit()
        await asyncio.wait_for(task, 60)
    finally:
        await first.close()
        await second.close()
    assert read_first and read_first[0] > 0, "the first merge had unmerged rows to merge"
    assert read_second and read_second[0] == read_first[0], \
        "the race happened: the second merge read the same unmerged rows as the first, before it committed"
    await assert_agree(rt, date(2026, 11, 20), f"two merges at once (second failed: {errors!r})", full=False)
