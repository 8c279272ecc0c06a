"""Random days of work through the real services (assign, drafts, acknowledge, progress, report done,
send back, confirm, extensions, cancel, reopen, recurring roll-over, the daily merge), at hours near
midnight too, then the tallies against the rows for many scopes."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from bot.errors import DomainError
from bot.services import directives as svc
from bot.services.lifecycle import roll_recurring
from bot.services.verification import verify_log
from storage import tallies
from storage.models import Directive, ExtensionRequest, Unit, UnitLeaderTally
from tests.integration.tally_check import assert_agree, merge

UNITS = ["SXD", "STC", "SYT", "P-THUANHOA"]
LEADERS = ["Nguyễn Văn An", "Trần Thị Bình", None]


def moment(day: date, rng: random.Random) -> datetime:
    hour = rng.choice([0, 1, 8, 9, 14, 16, 22, 23])
    return datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), tzinfo=UTC) - timedelta(hours=7)


async def _act(rt, people, rng: random.Random, day: date) -> None:
    now = moment(day, rng)
    focal = {"SXD": people.sxd, "STC": people.stc, "SYT": people.syt, "P-THUANHOA": people.ward}
    async with rt.sessions() as s:
        directives = list(await s.scalars(select(Directive).order_by(Directive.id)))
        pending = set(await s.scalars(select(ExtensionRequest.directive_id).where(ExtensionRequest.status == "pending")))
    move = rng.random()
    try:
        if move < 0.15 or not directives:
            specs = []
            for _ in range(rng.randint(1, 3)):
                units = rng.sample(UNITS, rng.randint(1, 3))
                leads = units[:rng.randint(1, len(units))]
                deadline = None if rng.random() < 0.15 else day + timedelta(days=rng.randint(0, 40))
                recurrence = rng.choice(["weekly", "monthly"]) if deadline and rng.random() < 0.15 else None
                specs.append(svc.NewDirective(f"Nhiệm vụ {rng.randint(1, 10**6)}", leads, units[len(leads):],
                                              deadline, recurrence=recurrence, leader_name=rng.choice(LEADERS)))
            await svc.create_directives(rt, rng.choice([people.leader, people.admin]), specs, now=now,
                                        as_draft=rng.random() < 0.2)
            return
        d = rng.choice(directives)
        leads = [a.unit.code for a in d.assignments if a.role == "lead"]
        every = [a.unit.code for a in d.assignments]
        if d.state == "draft":
            if rng.random() < 0.7:
                if rng.random() < 0.4:
                    await svc.edit_draft(rt, people.admin, d.code, now=now, lead=rng.sample(UNITS, 1),
                                         deadline=day + timedelta(days=rng.randint(0, 20)))
                await svc.confirm_draft(rt, people.leader, d.code, now=now)
            else:
                await svc.discard_draft(rt, people.leader, d.code, now=now)
        elif d.state in ("assigned", "in_progress"):
            r = rng.random()
            unit = rng.choice(leads)
            if r < 0.15:
                await svc.acknowledge(rt, focal.get(unit, people.admin), d.code, now=now, unit_code=unit)
            elif r < 0.25:
                u = rng.choice(every)
                await svc.report_progress(rt, focal.get(u, people.admin), d.code, "Đang làm", now=now, unit_code=u)
            elif r < 0.6:
                for u in leads if rng.random() < 0.7 else [unit]:
                    try:
                        await svc.report_done(rt, focal.get(u, people.admin), d.code, "Xong", now=now, unit_code=u)
                    except DomainError:
                        pass
            elif r < 0.75 and d.due_on is not None and d.id not in pending:
                await svc.request_extension(rt, focal.get(unit, people.admin), d.code,
                                            max(d.deadline, day) + timedelta(days=rng.randint(1, 20)), "Thêm thời gian",
                                            now=now, unit_code=unit)
            elif r < 0.85 and d.id in pending:
                await svc.decide_extension(rt, people.leader, d.code, rng.random() < 0.7, note="Không", now=now)
            elif r < 0.92:
                await svc.cancel(rt, people.admin, d.code, "Không còn phù hợp", now=now)
        elif d.state == "awaiting_confirmation":
            r = rng.random()
            if r < 0.65:
                await svc.confirm_done(rt, rng.choice([people.admin, people.leader]), d.code, now=now)
            elif r < 0.85:
                await svc.send_back(rt, people.admin, d.code, "Chưa đạt", now=now)
            elif r < 0.93 and d.id in pending:
                await svc.decide_extension(rt, people.leader, d.code, True, now=now)
            else:
                await svc.cancel(rt, people.admin, d.code, "Thôi", now=now)
        elif d.state == "done" and rng.random() < 0.25:
            await svc.reopen(rt, people.admin, d.code, "Làm lại", now=now)
    except DomainError:
        pass  # a move the rules refuse (a date passed, a report already made): nothing was written


@pytest.mark.parametrize("seed", [2026])
async def test_random_days_of_work_through_the_services(rt, people, seed):
    rng = random.Random(seed)
    day, last = date(2026, 10, 12), date(2026, 11, 20)
    while day <= last:
        for _ in range(rng.randint(0, 4)):
            await _act(rt, people, rng, day)
        if rng.random() < 0.5:
            await roll_recurring(rt, moment(day, rng))
        if rng.random() < 0.3:
            await merge(rt)
        if day.day in (1, 16):
            await assert_agree(rt, day, f"seed {seed} on {day}", full=False)
        day += timedelta(days=1)
    await assert_agree(rt, last, f"seed {seed} final")
    await merge(rt)
    await assert_agree(rt, last, f"seed {seed} merged", full=False)
    # verify-log sums every directive's marks again and finds the three tallies equal; a row written past
    # the services into one unit's breakdown by leader is named.
    assert (await verify_log(rt)).different == 0
    async with rt.transaction() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == "SXD"))
        await session.execute(insert(UnitLeaderTally).values(grain=tallies.ALL_TIME, day=tallies.EVER, unit_id=unit_id,
                                                             leader_name="Ai đó", assigned_by_id=None, cls="ot",
                                                             n=1, merged=True))
    result = await verify_log(rt)
    assert list(result.differences) == ["unit leader tallies"], result.differences
