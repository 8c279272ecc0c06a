"""Issue 4, test 4: Telegram answers 429 (with retry_after), 500 and 403 for some chats. The
dispatcher runs in-process with an injected clock and the app's own Telegram sender over the emulator:
nothing goes out before retry_after (nor before the backoff after a 500), the office is told once about
the blocked chat, and everything else is delivered."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from bot.app import build_application
from bot.outbox import Dispatcher, backoff
from handlers.notifier import make_sender
from tests.conftest import NOW, make_settings
from tests.databases import fresh_database
from tests.reliability.fleet import deliveries, outbox_rows, seed_burst

pytestmark = pytest.mark.e2e

RATE_LIMITED, FAILING, BLOCKED = 5001, 5002, 5003
HEALTHY = [5004, 5005, 5006, 5007]
OFFICE = 1001  # the admin of tests/integration/conftest.py's province
_runs = itertools.count(7300000001)
RETRY_AFTER = 7
PASS_MARGIN = 5  # seconds: longer than one pass over these few chats takes


@pytest.fixture
def token() -> str:
    return f"{next(_runs)}:dondoc-reliability-faults"


@pytest.fixture
async def dispatcher(rt, emulator, token):
    settings = make_settings(telegram_bot_token=token, telegram_api_base_url=emulator.url)
    app = build_application(settings, rt, dispatch=False)
    await app.bot.initialize()
    yield Dispatcher(rt, make_sender(app.bot, rt), "faults")
    await app.bot.shutdown()


async def drain(dispatcher: Dispatcher, now) -> None:  # noqa: ANN001
    while await dispatcher.run_once(now):
        pass


async def test_after_429_500_and_403_nothing_goes_out_early_the_office_hears_once_and_the_rest_arrives(
    rt, people, emulator, dispatcher, token
):
    burst = await seed_burst(rt, [RATE_LIMITED, FAILING, BLOCKED, *HEALTHY], 2, now=NOW)
    # A second reminder for the blocked chat, due later: it must not tell the office again.
    later = await seed_burst(rt, [BLOCKED], 1, now=NOW + timedelta(seconds=20), first=100)
    faults = [
        emulator.inject_fault("sendMessage", 429, count=1, retry_after=RETRY_AFTER, chat_id=RATE_LIMITED),
        emulator.inject_fault("sendMessage", 500, count=1, chat_id=FAILING),
        emulator.block_chat(BLOCKED),
    ]
    try:
        def got(chat: int) -> int:
            return len(emulator.sent(chat_id=chat, token=token))

        await drain(dispatcher, NOW)
        assert all(got(chat) == 1 for chat in HEALTHY), "healthy chats get their (merged) reminders at once"
        assert got(RATE_LIMITED) == got(FAILING) == got(BLOCKED) == 0
        office = emulator.sent(chat_id=OFFICE, token=token)
        assert len(office) == 1 and str(BLOCKED) in (office[0].raw_text or office[0].text or "")

        await drain(dispatcher, NOW + timedelta(seconds=RETRY_AFTER - 0.5))
        assert got(RATE_LIMITED) == 0, "nothing is sent to a rate-limited chat before retry_after"

        # The retry is due retry_after from the 429 itself, a moment (the pass's spacing) after NOW.
        await drain(dispatcher, NOW + timedelta(seconds=RETRY_AFTER + PASS_MARGIN))
        assert got(RATE_LIMITED) == 1

        await drain(dispatcher, NOW + backoff(1) - timedelta(seconds=1))
        assert got(FAILING) == 0, "after a 500 the retry waits for its backoff"
        await drain(dispatcher, NOW + backoff(1) + timedelta(seconds=PASS_MARGIN))
        assert got(FAILING) == 1

        assert deliveries(emulator, token).keys() == {p for p in burst.pairs if p[0] != BLOCKED}
        assert len(emulator.sent(chat_id=OFFICE, token=token)) == 1, "the office is told once"
        blocked_calls = [c for c in emulator.calls("sendMessage", token=token) if c["chat_id"] == BLOCKED]
        assert len(blocked_calls) == 1, "a blocked chat is not called again"

        rows = {(r.chat_id, r.payload.get("code")): r for r in await outbox_rows(rt) if r.kind != "notify"}
        assert rows[(RATE_LIMITED, "CD-2026-00001")].attempts == 1, "a 429 is not counted as an attempt"
        assert rows[(FAILING, "CD-2026-00003")].attempts == 2
        assert {rows[p].status for p in burst.pairs | later.pairs if p[0] == BLOCKED} == {"unreachable"}
        assert {rows[p].status for p in burst.pairs if p[0] != BLOCKED} == {"sent"}
    finally:
        for rule in faults:
            emulator.clear_fault(rule)


async def test_a_real_bot_process_waits_out_retry_after_by_the_emulators_clock_even_late_in_a_pass(
    bots, emulator, tmp_path
):
    """The 429 comes for the last chat of a pass that takes a few seconds to send (the limiter spaces
    the messages): the retry must still wait retry_after from the 429, by Telegram's clock."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'faults.sqlite3'}"
    rt = await fresh_database(url)
    try:
        chats = [6000 + n for n in range(30)]
        late = chats[-1]
        await seed_burst(rt, chats, 1)
        rule = emulator.inject_fault("sendMessage", 429, count=1, retry_after=2, chat_id=late)
        try:
            bot = bots(url, send_rate_per_second=10)
            await emulator.wait_for(lambda: emulator.sent(chat_id=late, token=bot.token), timeout=30,
                                    message="the rate-limited chat never got its reminder")
        finally:
            emulator.clear_fault(rule)
        calls = [c for c in emulator.calls("sendMessage", token=bot.token) if c["chat_id"] == late]
        assert [c["status"] for c in calls] == [429, 200]
        waited_ms = calls[1]["t"] - calls[0]["t"]
        assert waited_ms >= 2000, f"resent {waited_ms} ms after a 429 that said retry_after=2 s"
    finally:
        await rt.close()
