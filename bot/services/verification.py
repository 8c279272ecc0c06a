"""`python -m bot verify-log`: every directive rebuilt from its events through the aggregate's own `evolve`
(bot.domain.replay) and compared with its stored row — state, deadline, the day it really ends, every
date, each unit's part — and what is derived from the row: the assignment rows' copies (a unit's lists)
and the directive's report marks, then the tallies' sums against the marks of every directive, and the queue of
rows to send (outbox_pending) against the outbox's unsent rows, and the outbox's keys against its history's
(a key sent and moved there is never written to the outbox again).

Keyset pages of directives, their events in one index-served query per page: memory does not grow with
the log; the expected tallies are summed per key (unit or leader, class, month), never per row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.replay import Logged, compare, replay
from bot.domain.tally import Dates
from bot.runtime import Runtime
from bot.texts import t
from storage import history, pending, tallies
from storage.models import NO_DEADLINE, Directive, Event, LeaderTally, UnitLeaderTally, UnitTally
from storage.read_model import COPIED, OPEN_STATES
from storage.repository import to_domain

BATCH = 500
MAX_SHOWN = 200  # differences printed in full; the count is always exact
Key = tuple[Any, ...]


@dataclass
class Verification:
    directives: int = 0
    events: int = 0
    differences: dict[str, list[str]] = field(default_factory=dict)  # directive code (or "tallies") -> what differs
    different: int = 0

    @property
    def ok(self) -> bool:
        return self.different == 0

    def add(self, code: str, found: list[str]) -> None:
        if not found:
            return
        self.different += 1
        if len(self.differences) < MAX_SHOWN:
            self.differences[code] = found

    def as_text(self, lang: str) -> str:
        lines = [t("verify.summary", lang, directives=self.directives, events=self.events, different=self.different)]
        for code, found in self.differences.items():
            lines.append(f"{code}:")
            lines += [f"  - {line}" for line in found]
        if self.different > len(self.differences):
            lines.append(t("verify.more", lang, count=self.different - len(self.differences)))
        return "\n".join(lines)

    def as_json_lines(self) -> list[dict[str, object]]:
        summary: dict[str, object] = {"directives": self.directives, "events": self.events,
                                      "different": self.different}
        details: list[dict[str, object]] = [{"code": code, "differences": found}
                                            for code, found in self.differences.items()]
        return [summary, *details]


def copies(row: Directive) -> list[str]:
    """Where an assignment row's copy of its directive's state and dates is not the directive's."""
    found = []
    for a in row.assignments:
        wanted = {name: getattr(row, name) for name in COPIED}
        wanted["is_open"] = row.state in OPEN_STATES
        wanted["due_sort"] = row.due_on or NO_DEADLINE
        for name, value in wanted.items():
            if getattr(a, name) != value:
                found.append(f"unit {a.unit.code} copy of {name}: {getattr(a, name)!r}, directive {value!r}")
    return found


def signature_of(row: Directive) -> dict[str, Any] | None:
    return tallies.signature(Dates(row.assigned_on, row.due_on, row.reported_on, row.completed_on, row.cancelled_on),
                             [(a.unit_id, a.role) for a in row.assignments], (row.leader_name, row.assigned_by_id))


class Expected:
    """The tallies the directives' marks add up to, per unit, per leader and per lead unit and leader, all
    time and per month."""

    def __init__(self) -> None:
        self.units: dict[Key, int] = defaultdict(int)
        self.leaders: dict[Key, int] = defaultdict(int)
        self.unit_leaders: dict[Key, int] = defaultdict(int)

    def add_marks(self, sig: dict[str, Any] | None) -> None:
        for cls, day, delta in (sig or {}).get("m", ()):
            month = date.fromisoformat(day).replace(day=1)
            for grain_day in (tallies.EVER, month):
                for unit_id, role in sig["u"]:  # type: ignore[index]
                    self.units[(grain_day, unit_id, role, cls)] += delta
                    if role == "lead":
                        self.unit_leaders[(grain_day, unit_id, *sig["l"], cls)] += delta  # type: ignore[index]
                self.leaders[(grain_day, *sig["l"], cls)] += delta  # type: ignore[index]


async def _stored(session: AsyncSession, model: tallies.Model,
                  keys: tuple[str, ...]) -> dict[Key, int]:
    """The stored sums at the all-time and month grains, per key and class."""
    columns = [getattr(model, name) for name in keys]
    found: dict[Key, int] = {}
    for grain in (tallies.ALL_TIME, tallies.MONTH):
        rows = await session.execute(select(model.day, *columns, model.cls, func.sum(model.n))
                                     .where(model.grain == grain).group_by(model.day, *columns, model.cls))
        for day, *key, cls, n in rows:
            if n:
                found[(day, *key, cls)] = int(n)
    return found


async def _pages(rt: Runtime) -> AsyncIterator[list[tuple[Directive, list[Logged]]]]:
    after = 0
    while True:
        async with rt.sessions() as session:
            directives = list(await session.scalars(
                select(Directive).where(Directive.id > after).order_by(Directive.id).limit(BATCH)))
            if not directives:
                return
            ids = [d.id for d in directives]
            events: dict[int, list[Logged]] = {i: [] for i in ids}
            rows = await session.execute(
                select(Event.directive_id, Event.id, Event.kind, Event.at, Event.data, Event.actor_id)
                .where(Event.directive_id.in_(ids)).order_by(Event.directive_id, Event.id))
            for row in rows:
                events[row.directive_id].append(Logged(row.id, row.kind, row.at, row.data or {}, row.actor_id))
            yield [(d, events[d.id]) for d in directives]
            after = ids[-1]


async def verify_log(rt: Runtime) -> Verification:
    result = Verification()
    expected = Expected()
    async for page in _pages(rt):
        for row, events in page:
            result.directives += 1
            result.events += len(events)
            found = compare(replay(row.code, events, rt.rules), to_domain(row))
            found += copies(row)
            sig = signature_of(row)
            if sig != row.tally:
                found.append(f"report marks: kept {row.tally!r}, the dates give {sig!r}")
            expected.add_marks(sig)
            result.add(row.code, found)
    async with rt.sessions() as session:
        for name, model, keys, wanted in (("unit tallies", UnitTally, tallies.UNIT_KEYS, expected.units),
                                          ("leader tallies", LeaderTally, tallies.LEADER_KEYS, expected.leaders),
                                          ("unit leader tallies", UnitLeaderTally, tallies.UNIT_LEADER_KEYS,
                                           expected.unit_leaders)):
            stored = await _stored(session, model, keys)
            differ = sorted(k for k in stored.keys() | {k for k, n in wanted.items() if n}
                            if stored.get(k, 0) != wanted.get(k, 0))
            result.add(name, [f"{key}: kept {stored.get(key, 0)}, the directives give {wanted.get(key, 0)}"
                              for key in differ[:20]] + ([f"… {len(differ) - 20} more"] if len(differ) > 20 else []))
        # The queue of rows to send (outbox_pending) holds exactly the outbox's unsent rows, the operations
        # chat's alerts (claimed at night) marked as such, each with its outbox row's routing.
        missing, extra, mismarked, misrouted = await pending.differences(session)
        result.add("outbox queue", [f"{n} {what}" for n, what in (
            (missing, "unsent outbox rows missing from outbox_pending"),
            (extra, "rows in outbox_pending whose outbox row is not unsent"),
            (mismarked, "rows in outbox_pending marked an operations alert or not against their address"),
            (misrouted, "rows in outbox_pending whose address, directive or deadline version is not their outbox "
                        "row's")) if n])
        # A key sent and moved to the history is never in the outbox again (a reminder is sent once).
        again = await history.keys_twice(session)
        result.add("outbox history", [f"{again} unsent outbox rows whose key is in outbox_history (sent before)"]
                   if again else [])
    return result
