"""Reminders through the outbox with an injected clock: schedule, window, catch-up, faults, crashes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.domain.reminders import REMINDER_KINDS
from bot.outbox import Delivery, Dispatcher, Moved, Recipient, RetryLater, Transient, Uncertain, Unreachable
from bot.runtime import Runtime
from bot.services import directives as svc
from storage import pending
from storage.models import Address, Outbox, OutboxPending
from tests.addressing import address_for, telegram_address, to_chat
from tests.conftest import NOW, make_settings


class NoLimit:
    async def acquire(self, address: int, group: bool = False) -> None:
        return None


class Recorder:
    """A sender that records what each chat received, and can fail on cue."""

    def __init__(self) -> None:
        self.got: list[tuple[datetime | None, int, list[str]]] = []
        self.fail: dict[int, Exception] = {}
        self.clock: datetime | None = None

    async def __call__(self, recipient: Recipient, items: list[Delivery]) -> None:
        chat_id = int(recipient.external_id)
        if chat_id in self.fail:
            raise self.fail[chat_id]
        self.got.append((self.clock, chat_id, [i.payload["text"] for i in items]))

    def texts(self, chat_id: int) -> list[str]:
        return [text for _, c, texts in self.got if c == chat_id for text in texts]


def local(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture
def run(rt):
    recorder = Recorder()
    dispatcher = Dispatcher(rt, recorder, "test", NoLimit())  # type: ignore[arg-type]

    async def at(moment: datetime) -> Recorder:
        recorder.clock = moment
        while await dispatcher.run_once(moment):
            pass
        async with rt.sessions() as session:  # the queue of rows to send is the outbox's unsent rows, always
            assert await pending.differences(session) == (0, 0, 0, 0)
        return recorder

    return at


async def assign(rt, people, deadline: date, **extra) -> str:
    [card] = await svc.create_directives(
        rt, people.leader, [svc.NewDirective("Rà soát", lead=["SXD"], deadline=deadline, **extra)], now=NOW
    )
    return card.code


async def test_pings_go_out_at_five_two_and_zero_working_days_before_skipping_the_holiday(rt, people, run):
    await assign(rt, people, date(2026, 12, 1))  # five working days before is 23/11, as 24/11 is a holiday
    await run(NOW)
    for day in (date(2026, 11, 23), date(2026, 11, 27), date(2026, 12, 1)):
        before = len((await run(local(day) - timedelta(minutes=1))).texts(2001))
        assert len((await run(local(day))).texts(2001)) == before + 1, day
    assert (await run(local(date(2026, 12, 1), 16))).texts(2001) == [
        "notify.assigned", "remind.before", "remind.before", "remind.before"]


async def test_nothing_goes_out_at_night_or_at_the_weekend_not_even_a_notice(rt, people, run):
    """Quiet hours for everyone (issue 22): what was written waits for the window, then goes as one message,
    the new task before the reminder."""
    await assign(rt, people, date(2026, 11, 23))
    saturday_noon = local(date(2026, 11, 21), 12)
    recorder = await run(saturday_noon)
    assert recorder.texts(2001) == []
    assert (await run(local(date(2026, 11, 23), 6))).texts(2001) == []
    monday = await run(local(date(2026, 11, 23), 8))
    assert monday.texts(2001) == ["notify.assigned", "remind.before"]
    assert [texts for _, chat, texts in monday.got if chat == 2001] == [["notify.assigned", "remind.before"]]


async def test_after_downtime_one_catch_up_ping_per_kind_and_the_overdue_one_replaces_the_before_ones(rt, people, run):
    await assign(rt, people, date(2026, 12, 4))
    await run(NOW)
    back = local(date(2026, 12, 9), 9)  # down since 20/11: all three before-pings and the first overdue are due
    recorder = await run(back)
    assert recorder.texts(2001) == ["notify.assigned", "remind.overdue"]
    assert [len(texts) for _, chat, texts in recorder.got if chat == 2001] == [1, 1]


async def test_several_reminders_for_one_chat_in_one_pass_are_one_message(rt, people, run):
    await assign(rt, people, date(2026, 12, 4))
    await assign(rt, people, date(2026, 12, 4))
    await run(NOW)
    recorder = await run(local(date(2026, 12, 4), 8))
    last = [texts for _, chat, texts in recorder.got if chat == 2001][-1]
    assert last == ["remind.before", "remind.before"]


async def test_overdue_pings_repeat_every_two_working_days_and_escalate_after_five(rt, people, run):
    await assign(rt, people, date(2026, 11, 27))
    await run(NOW)
    await run(local(date(2026, 11, 27), 8))
    days = [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)]
    counts = []
    for day in days:
        recorder = await run(local(day, 8))
        counts.append(recorder.texts(2001).count("remind.overdue"))
    assert counts == [1, 1, 2, 2, 3]
    assert "remind.escalation" in recorder.texts(1002) and "remind.escalation" in recorder.texts(1001)


async def test_an_approved_extension_voids_the_old_deadlines_pings(rt, people, run):
    code = await assign(rt, people, date(2026, 11, 27))
    await svc.request_extension(rt, people.sxd, code, date(2026, 12, 18), "Chờ số liệu", now=NOW)
    await svc.decide_extension(rt, people.leader, code, True, now=NOW)
    recorder = await run(local(date(2026, 11, 30), 8))
    assert "remind.overdue" not in recorder.texts(2001)
    assert (await run(local(date(2026, 12, 11), 8))).texts(2001).count("remind.before") == 1


async def test_completion_voids_every_pending_ping(rt, people, run):
    code = await assign(rt, people, date(2026, 11, 27))
    await svc.report_done(rt, people.sxd, code, "Xong", now=NOW)
    recorder = await run(local(date(2026, 12, 10), 8))
    assert not [t for t in recorder.texts(2001) if t.startswith("remind.")]


async def test_a_429_is_retried_after_retry_after_and_not_counted_as_an_attempt(rt, people, run):
    await assign(rt, people, date(2026, 12, 4))
    recorder = await run(NOW - timedelta(seconds=1))
    recorder.fail[2001] = RetryLater(30)
    await run(NOW)
    del recorder.fail[2001]
    assert (await run(NOW + timedelta(seconds=29))).texts(2001) == []
    assert (await run(NOW + timedelta(seconds=31))).texts(2001) == ["notify.assigned"]
    async with rt.sessions() as s:
        assert await s.scalar(select(Outbox.attempts).where(to_chat(2001), Outbox.kind == "notify")) == 1


async def test_retry_after_counts_from_the_refusal_not_from_when_the_send_began(rt, people, run, monkeypatch):
    """The 429 comes back after the call has taken its time (a slow network, a loaded machine): the retry is
    due retry_after from the refusal. Counted from when the send began, it went out that much early."""
    import bot.outbox as outbox_module

    ticks = itertools.count(0, 5)  # every reading of the send's clock is 5 s after the one before
    monkeypatch.setattr(outbox_module, "monotonic", lambda: float(next(ticks)))
    await assign(rt, people, date(2026, 12, 4))
    recorder = await run(NOW - timedelta(seconds=1))
    recorder.fail[2001] = RetryLater(30)
    await run(NOW)
    del recorder.fail[2001]
    async with rt.sessions() as s:
        due = await s.scalar(select(Outbox.due_at).where(to_chat(2001), Outbox.kind == "notify"))
    assert due is not None and due.replace(tzinfo=UTC) >= NOW + timedelta(seconds=30 + 5)


async def test_a_blocked_chat_is_marked_unreachable_and_the_office_told_once(rt, people, run):
    await assign(rt, people, date(2026, 12, 4))
    await assign(rt, people, date(2026, 12, 5))
    recorder = await run(NOW - timedelta(seconds=1))
    recorder.fail[2001] = Unreachable("Forbidden: bot was blocked by the user")
    await run(NOW)
    await run(local(date(2026, 12, 4), 8))
    assert recorder.texts(1001) == ["notify.chat_unreachable"]
    async with rt.sessions() as s:
        assert await s.scalar(select(Address.reachable).where(telegram_address(2001))) is False
        assert await s.scalar(select(func.count()).select_from(Outbox).where(
            to_chat(2001), Outbox.status == "pending")) == 0


async def test_server_errors_back_off_then_give_up_and_tell_the_office(rt, people, run):
    await assign(rt, people, date(2026, 12, 4))
    recorder = await run(NOW - timedelta(seconds=1))
    recorder.fail[2001] = Transient("Bad Gateway")
    moment = NOW
    for _ in range(5):  # within one day's send window (17:00 closes it)
        await run(moment)
        moment += timedelta(hours=1)
    async with rt.sessions() as s:
        row = await s.scalar(select(Outbox).where(to_chat(2001), Outbox.kind == "notify"))
    assert (row.status, row.attempts) == ("dead", 5)
    assert "notify.delivery_failed" in recorder.texts(1001)


async def test_a_timed_out_send_is_marked_uncertain_and_not_resent(rt, people, run):
    await assign(rt, people, date(2026, 12, 4))
    recorder = await run(NOW - timedelta(seconds=1))
    recorder.fail[2001] = Uncertain("Timed out")
    await run(NOW)
    del recorder.fail[2001]
    assert (await run(NOW + timedelta(hours=1))).texts(2001) == []
    async with rt.sessions() as s:
        assert await s.scalar(select(Outbox.status).where(to_chat(2001), Outbox.kind == "notify")) == "uncertain"


async def test_a_group_migrated_to_a_supergroup_gets_its_message_at_the_new_id(rt, people, run):
    from bot.services import access

    await access.register_group(rt, people.sxd, -100, "Nhóm SXD", now=NOW)
    await assign(rt, people, date(2026, 12, 4))
    recorder = await run(NOW - timedelta(seconds=1))
    recorder.fail[-100] = Moved("-1001234")
    await run(NOW)
    await run(NOW + timedelta(seconds=1))
    assert recorder.texts(-1001234) == ["notify.assigned"]
    async with rt.sessions() as s:
        assert await s.scalar(select(Address.id).where(telegram_address(-1001234))) is not None


async def test_a_row_caught_between_sending_and_sent_by_a_crash_is_resent_flagged_uncertain(rt, people, run):
    await assign(rt, people, date(2026, 12, 4))
    async with rt.transaction() as s:
        [sending] = await s.scalars(update(Outbox).where(to_chat(2001), Outbox.kind == "notify")
                                    .values(status="sending").returning(Outbox.id))
        # Its claim, by the process that crashed, has lapsed.
        await s.execute(update(OutboxPending).where(OutboxPending.id == sending)
                        .values(lease_until=NOW - timedelta(seconds=1), claimed_by="crashed:1"))
    recorder = await run(NOW)
    assert recorder.texts(2001) == ["notify.assigned"]
    async with rt.sessions() as s:
        row = await s.scalar(select(Outbox).where(to_chat(2001), Outbox.kind == "notify"))
    assert (row.status, row.uncertain) == ("sent", True)


async def test_on_sqlite_a_second_dispatcher_does_not_dispatch(tmp_path):
    rt = Runtime.build(make_settings(), f"sqlite+aiosqlite:///{tmp_path / 'lease.sqlite3'}")
    await rt.upgrade()
    try:
        first, second = Recorder(), Recorder()
        async with rt.transaction() as s:
            row = Outbox(key="k", address_id=await address_for(s, 1), kind="notify", payload={"text": "x"}, due_at=NOW,
                         created_at=NOW)
            s.add(row)
            await s.flush()
            await pending.enqueue(s, [row])
        assert await Dispatcher(rt, second, "other", NoLimit()).holds_lease(NOW)  # type: ignore[arg-type]
        assert await Dispatcher(rt, first, "one", NoLimit()).run_once(NOW) == 0  # type: ignore[arg-type]
        assert first.got == []
        later = NOW + timedelta(minutes=5)  # the other's lease lapsed: this one takes over
        assert await Dispatcher(rt, first, "one", NoLimit()).run_once(later) == 1  # type: ignore[arg-type]
    finally:
        await rt.close()


async def test_a_monthly_directive_gets_its_next_occurrence_when_confirmed_and_only_once(rt, people):
    from bot.services import queries
    from bot.services.lifecycle import roll_recurring

    code = await assign(rt, people, date(2026, 11, 30), recurrence="monthly")
    await svc.report_done(rt, people.sxd, code, "Báo cáo tháng 11", now=NOW)
    await svc.confirm_done(rt, people.admin, code, now=NOW)
    assert await roll_recurring(rt, NOW + timedelta(days=20)) == 0
    page = await queries.unit_tasks(rt, people.sxd, now=NOW)
    assert [(c.deadline, c.recurrence) for c in page.items] == [(date(2026, 12, 31), "monthly")]


async def test_an_extended_occurrence_does_not_move_the_series_and_a_short_month_does_not_keep_it(rt, people):
    from bot.services import queries

    code = await assign(rt, people, date(2026, 12, 30), recurrence="monthly")
    await svc.request_extension(rt, people.sxd, code, date(2027, 1, 6), "Nghỉ Tết Dương lịch", now=NOW)
    await svc.decide_extension(rt, people.leader, code, True, now=NOW)
    deadlines = []
    for _ in range(3):
        await svc.report_done(rt, people.sxd, code, "Xong kỳ này", now=NOW)
        await svc.confirm_done(rt, people.admin, code, now=NOW)
        [card] = (await queries.unit_tasks(rt, people.sxd, now=NOW)).items
        code = card.code
        deadlines.append(card.deadline)
    assert deadlines == [date(2027, 1, 30), date(2027, 2, 28), date(2027, 3, 30)]


async def test_an_unfinished_recurring_directive_rolls_over_when_its_period_ends(rt, people):
    from bot.services.lifecycle import roll_recurring

    await assign(rt, people, date(2026, 11, 27), recurrence="weekly")
    assert await roll_recurring(rt, NOW) == 0
    assert await roll_recurring(rt, local(date(2026, 11, 30), 8)) == 1
    assert await roll_recurring(rt, local(date(2026, 12, 1), 8)) == 0


async def test_digests_are_written_once_per_day_and_week_whoever_runs_them(rt, people, run):
    from bot.services.digests import daily_digest, weekly_digest

    await assign(rt, people, date(2026, 11, 23))
    monday = local(date(2026, 11, 23), 8)
    assert await daily_digest(rt, monday) == 1 and await daily_digest(rt, monday) == 0
    assert await weekly_digest(rt, monday) == 2 and await weekly_digest(rt, monday + timedelta(days=2)) == 0
    recorder = await run(monday)
    assert "digest.daily" in recorder.texts(2001) and "digest.weekly" in recorder.texts(1002)


async def test_a_focal_point_who_joins_later_still_gets_the_units_pings(rt, people, run):
    from bot.services import access

    await assign(rt, people, date(2026, 12, 4))
    invite = await access.create_invite(rt, role="focal", unit_code="SXD", now=NOW)
    await access.register(rt, 2999, invite.token, full_name="Đầu mối mới", username=None, language="vi", now=NOW)
    recorder = await run(local(date(2026, 12, 4), 8))
    assert recorder.texts(2999) == ["remind.before"]


async def test_a_cancellation_voids_the_pings_it_loaded_as_waiting_and_the_queue_follows(rt, people, run):
    """A move skips the void when its load saw no reminder waiting (issue 23): here some wait, so they go."""
    code = await assign(rt, people, date(2026, 11, 27))
    async with rt.transaction() as session:
        waiting = select(func.count()).select_from(Outbox).where(
            Outbox.kind.in_(REMINDER_KINDS), Outbox.status == "pending")
        assert await session.scalar(waiting) > 0
    await svc.cancel(rt, people.leader, code, "Không còn cần thiết", now=NOW)
    async with rt.transaction() as session:
        assert await session.scalar(waiting) == 0
        assert await pending.differences(session) == (0, 0, 0, 0)
    recorder = await run(local(date(2026, 11, 25), 8))
    assert not [t for t in recorder.texts(2001) if t.startswith("remind.")]
