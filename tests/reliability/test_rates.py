"""Issue 4, test 5: the rates Telegram sees (the emulator's server timestamps) stay within the limits:
SEND_RATE_PER_SECOND overall, at most one message a second per private chat, at most twenty a minute
per group, over sliding windows. Counts in windows, never durations. One bot run feeds every test."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from tests.databases import fresh_database
from tests.e2e.harness import Emulator, max_in_window
from tests.reliability.fleet import ReminderBot, deliveries, seed_burst, statuses, wait_until

pytestmark = pytest.mark.e2e

RATE = 20
MANY = [40_000 + n for n in range(120)]  # one reminder each: the overall limit
PRIVATE = [41_001, 41_002, 41_003]  # a reminder in every batch: the per-chat limit
GROUPS = [-42_001, -42_002]  # likewise: the per-group limit
ROUNDS = 5
PER_ROUND = 20  # 5 chats x 20 rows = one claimed batch (100) per round


@dataclass
class Observed:
    all: list[int]
    chats: dict[int, list[int]]
    rate_limited: list[dict]
    errors: list[str]
    expected: frozenset[tuple[int, str]]  # (chat, directive code): every reminder seeded
    delivered: dict[tuple[int, str], int]  # how often each reached its chat, merged into a message or not


@pytest.fixture(scope="module")
def observed(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Observed:
    workdir = tmp_path_factory.mktemp("rates")
    url = f"sqlite+aiosqlite:///{workdir / 'rates.sqlite3'}"
    bot = ReminderBot(emulator, workdir, url, "7400000001:dondoc-reliability-rates", send_rate_per_second=RATE)

    expected: set[tuple[int, str]] = set()

    async def run() -> None:
        rt = await fresh_database(url)
        try:
            start = datetime.now(UTC) - timedelta(hours=1)
            expected.update((await seed_burst(rt, MANY, 1, now=start)).pairs)
            for n in range(ROUNDS):  # later rounds are due later, so each is claimed in its own batch
                burst = await seed_burst(rt, PRIVATE + GROUPS, PER_ROUND, now=start + timedelta(minutes=n + 1),
                                         first=1000 + n * 1000)
                expected.update(burst.pairs)
            bot.start()

            async def all_sent() -> bool:
                return (await statuses(rt)).keys() == {"sent"}

            await wait_until(all_sent, timeout=90, message="not every reminder was sent")
        finally:
            await rt.close()

    try:
        asyncio.run(run())
    finally:
        bot.stop()
    # Counted by reminder, not by message: how a chat's reminders are merged into messages depends on
    # which pass claims them (a busy machine may split one round's batch in two).
    sent = emulator.sent(token=bot.token, include_deleted=True)
    chats = {chat: [m.sent_at for m in sent if m.chat_id == chat] for chat in {m.chat_id for m in sent}}
    return Observed([m.sent_at for m in sent], chats,
                    [c for c in emulator.calls(token=bot.token) if c["status"] == 429], bot.errors_logged(),
                    frozenset(expected), dict(deliveries(emulator, bot.token)))


def test_every_reminder_is_delivered_exactly_once_however_the_messages_were_merged(observed):
    assert set(observed.delivered) == observed.expected
    assert {pair: n for pair, n in observed.delivered.items() if n != 1} == {}


def test_the_overall_rate_never_exceeds_send_rate_per_second_in_any_one_second_window(observed):
    assert max_in_window(observed.all, 1000) <= RATE


def test_a_private_chat_never_gets_two_messages_within_one_second(observed):
    for chat in PRIVATE:
        assert len(observed.chats[chat]) >= 2, "several messages, so the spacing between them is measured"
        assert max_in_window(observed.chats[chat], 1000) <= 1, f"private chat {chat}: {observed.chats[chat]}"


def test_a_group_never_gets_more_than_twenty_messages_in_any_one_minute_window(observed):
    for chat in GROUPS:
        assert len(observed.chats[chat]) >= 2 and max_in_window(observed.chats[chat], 60_000) <= 20


def test_a_group_is_paced_at_one_message_per_three_seconds_so_no_minute_can_hold_twenty_one(observed):
    # Five messages cannot break 20/min by themselves; the pace (one per 3 s) is what keeps a long run in it.
    for chat in GROUPS:
        assert max_in_window(observed.chats[chat], 3000) <= 1, f"group {chat}: {observed.chats[chat]}"


def test_the_bot_keeps_its_own_pace_so_telegram_never_answers_429_and_nothing_is_logged_as_an_error(observed):
    assert not observed.rate_limited
    assert not observed.errors
