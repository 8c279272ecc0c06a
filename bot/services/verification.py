"""`python -m bot verify-log`: every directive rebuilt from its events (bot.domain.projection) and
compared with its stored row, in bounded batches (keyset pages of directives, their events in one
index-served query per page), so memory does not grow with the log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sqlalchemy import select

from bot.domain.projection import LoggedEvent, Part, Projected, compare, project
from bot.runtime import Runtime
from bot.texts import t
from storage.models import Directive, Event

BATCH = 500
MAX_SHOWN = 200  # differences printed in full; the count is always exact


@dataclass
class Verification:
    directives: int = 0
    events: int = 0
    differences: dict[str, list[str]] = field(default_factory=dict)  # directive code -> what differs
    different: int = 0

    @property
    def ok(self) -> bool:
        return self.different == 0

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


def stored(directive: Directive) -> Projected:
    return Projected(
        state=directive.state, deadline=directive.deadline, original_deadline=directive.original_deadline,
        deadline_version=directive.deadline_version, content=directive.content,
        completed_on=directive.completed_on, cancel_reason=directive.cancel_reason,
        parts={a.unit.code: Part(a.role, a.acknowledged_at, a.reported_done_at, a.last_report, a.last_report_at)
               for a in directive.assignments},
    )


async def _pages(rt: Runtime) -> AsyncIterator[list[tuple[Directive, list[LoggedEvent]]]]:
    after = 0
    while True:
        async with rt.sessions() as session:
            directives = list(await session.scalars(
                select(Directive).where(Directive.id > after).order_by(Directive.id).limit(BATCH)))
            if not directives:
                return
            ids = [d.id for d in directives]
            events: dict[int, list[LoggedEvent]] = {i: [] for i in ids}
            rows = await session.execute(
                select(Event.directive_id, Event.id, Event.kind, Event.at, Event.data)
                .where(Event.directive_id.in_(ids)).order_by(Event.directive_id, Event.id))
            for row in rows:
                events[row.directive_id].append(LoggedEvent(row.id, row.kind, row.at, row.data or {}))
            yield [(d, events[d.id]) for d in directives]
            after = ids[-1]


async def verify_log(rt: Runtime) -> Verification:
    result = Verification()
    async for page in _pages(rt):
        for directive, events in page:
            result.directives += 1
            result.events += len(events)
            found = compare(project(events), stored(directive))
            if found:
                result.different += 1
                if len(result.differences) < MAX_SHOWN:
                    result.differences[directive.code] = found
    return result

