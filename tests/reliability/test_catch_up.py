"""Issue 4, test 2: the bot was down across several reminder moments. When it comes back (an injected
clock, the real dispatcher, a recording sender) each (directive, recipient, kind) gets at most one
catch-up message, and a before-deadline ping whose deadline has passed gives way to the overdue one."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from bot.domain.reminders import BEFORE, ESCALATION, OVERDUE, REMINDER_KINDS
from bot.outbox import Delivery, Dispatcher, Recipient
from bot.services import directives as svc
from tests.addressing import chat_ids
from tests.conftest import NOW


class NoLimit:
    async def acquire(self, chat_id: int, group: bool = False) -> None:
        return None


class Recorder:
    def __init__(self) -> None:
        self.messages: list[list[Delivery]] = []

    async def __call__(self, recipient: Recipient, items: list[Delivery]) -> None:
        self.messages.append(items)

    def reminders(self) -> list[Delivery]:
        return [i for items in self.messages for i in items if i.kind in REMINDER_KINDS]


def local(day: date, hour: int = 9) -> datetime:
    """That day at `hour` in Hà Nội (UTC+7), inside the send window."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


async def test_after_downtime_across_several_reminder_moments_each_directive_recipient_and_kind_gets_one_message(
    rt, people
):
    deadline = date(2026, 12, 1)  # pings due 24/11, 26/11 and 01/12; overdue from 02/12; escalation 08/12
    cards = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát dự án chậm tiến độ", lead=["SXD"], support=["STC"], deadline=deadline),
        svc.NewDirective("Báo cáo giải ngân", lead=["STC", "SYT"], deadline=deadline),
    ], now=NOW)
    recorder = Recorder()
    dispatcher = Dispatcher(rt, recorder, "catch-up", NoLimit())  # type: ignore[arg-type]

    async def back_at(moment: datetime) -> list[Delivery]:
        before = len(recorder.reminders())
        while await dispatcher.run_once(moment):
            pass
        return recorder.reminders()[before:]

    def per_key(items: list[Delivery]) -> Counter[tuple[int | None, int, str]]:
        return Counter((i.directive_id, i.address_id, i.kind) for i in items)

    a, b = (card.code for card in cards)

    # Down from the assignment until the day before the deadline: two before-pings were missed.
    first = await back_at(local(date(2026, 11, 30)))
    assert first and max(per_key(first).values()) == 1
    assert {i.kind for i in first} == {BEFORE}
    assert {i.payload["params"]["step"] for i in first} == {2}, "the latest missed before-ping is the one sent"
    async with rt.sessions() as session:
        chats = await chat_ids(session)
    recipients = {(i.payload["code"], chats[i.address_id]) for i in first}
    assert recipients == {(a, 2001), (a, 2002), (b, 2002), (b, 2003)}, "each unit's focal point"

    # Down again over the deadline and the first overdue moment.
    second = await back_at(local(date(2026, 12, 4)))
    assert max(per_key(second).values()) == 1
    assert BEFORE not in {i.kind for i in second}, "a before-ping after its deadline gives way to the overdue one"
    assert {i.kind for i in second} == {OVERDUE}

    # Down for three weeks: the overdue chain and the escalation, each once.
    third = await back_at(local(date(2026, 12, 28)))
    assert max(per_key(third).values()) == 1
    assert {i.kind for i in third} == {OVERDUE, ESCALATION}

    everything = per_key(recorder.reminders())
    assert all(n <= 2 for key, n in everything.items() if key[2] == OVERDUE), "one overdue ping per outage"
    assert all(n == 1 for key, n in everything.items() if key[2] != OVERDUE)
