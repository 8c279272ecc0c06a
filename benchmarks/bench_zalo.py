"""The Zalo channel's speed against the Zalo emulator (tests/zalo_emulator), in process, over real HTTP:

- **send rate**: people on Zalo, one new-task notice each, sent by the outbox's dispatcher with
  ZALO_SEND_RATE_PER_SECOND = R while the emulator refuses (429) anything beyond R a second. Printed: the
  achieved rate ÷ R (target ≥ 0.95) and the 429s (target 0).
- **replies**: K people each type a command (`/viec`: their unit's list, read from the database; `/trogiup`:
  only who they are and what they were asked) queued at once; the bot polls (getUpdates) and answers. Printed: replies a second, against a bare echo (the same
  polling loop and client answering each text with itself) on the same emulator (target ratio ≥ 0.5).

    PYTHONPATH=$PWD python benchmarks/bench_zalo.py [--rates 10 30] [--people 150] [--replies 200]
                                                    [--database URL] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.outbox import Dispatcher
from bot.ratelimit import SendLimiter
from bot.runtime import Runtime
from bot.services import access, units
from bot.services import directives as svc
from bot.settings import Settings
from tests.zalo_emulator import ZaloEmulator
from zalo.client import ZaloClient, ZaloError
from zalo.runner import ZaloChannel

TOKEN = "1459232241454765289:dondoc-zalo-bench"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
UNITS_CSV = "code,name,kind,groups,aliases\n" + "".join(f"U{n:02d},Đơn vị {n},department,,\n" for n in range(1, 31))


def settings_for(database: str, base_url: str, rate: float) -> Settings:
    return Settings(_env_file=None, telegram_bot_token="123:BENCH", database_url=database,  # type: ignore[call-arg]
                    zalo_bot_token=TOKEN, zalo_api_base_url=base_url, zalo_send_rate_per_second=rate,
                    zalo_private_per_second=1.0, zalo_poll_timeout_seconds=5)


async def province(rt: Runtime, people: int) -> list[str]:
    """30 units and `people` focal points on Zalo (spread over them); their Zalo ids."""
    await units.import_units(rt, UNITS_CSV, None, now=NOW)
    ids = []
    for n in range(people):
        invite = await access.create_invite(rt, role="focal", unit_code=f"U{n % 30 + 1:02d}", now=NOW)
        await access.register_on(rt, "zalo", f"z{n}", invite.token, full_name=f"Đầu mối {n}", language="vi", now=NOW)
        ids.append(f"z{n}")
    leader = await access.create_invite(rt, role="leader", unit_code=None, now=NOW)
    await access.register(rt, 9001, leader.token, full_name="Lãnh đạo", username=None, language="vi", now=NOW)
    return ids


async def leader_id(rt: Runtime) -> int:
    actor = await access.identify(rt, 9001)
    assert actor is not None
    return actor.id


async def send_rate(database: str, rate: float, people: int) -> dict[str, Any]:
    async with ZaloEmulator(token=TOKEN) as emu:
        settings = settings_for(database, emu.base_url, rate)
        rt = Runtime.build(settings)
        await rt.upgrade()
        try:
            await province(rt, people)
            leader = await leader_id(rt)
            await svc.create_directives(rt, leader, [svc.NewDirective(f"Việc đo tốc độ {n}", lead=[f"U{n:02d}"],
                                                                       deadline=date(2026, 12, 4))
                                                      for n in range(1, 31)], now=NOW)
            channel = ZaloChannel(rt, settings, clock=lambda: NOW)
            dispatcher = Dispatcher(rt, {"zalo": channel.sender}, "bench", SendLimiter(1000),
                                    limiters={"zalo": channel.limiter})
            emu.rate_limit(rate)
            started = time.perf_counter()
            while len(emu.sent()) < people:  # on the real clock: a retry after a 429 falls due a moment later
                if not await dispatcher.run_once(datetime.now(UTC)):
                    await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            sent = len(emu.sent())
            await channel.stop()
            return {"configured": rate, "messages": sent, "seconds": round(elapsed, 2),
                    "achieved": round(sent / elapsed, 2), "ratio": round(sent / elapsed / rate, 3),
                    "rejected_429": emu.rejected_429}
        finally:
            await rt.close()


async def echo(client: ZaloClient, stop: asyncio.Event) -> None:
    """The baseline: the same one-update-per-call polling, answering each text with itself."""
    while not stop.is_set():
        try:
            updates = await client.get_updates(1)
        except ZaloError:
            continue
        for update in updates:
            message = update.get("message") or {}
            await client.send_message(str(message["chat"]["id"]), message.get("text") or "…")


async def replies_per_second(database: str, count: int, people: int, command: str) -> dict[str, Any]:
    async with ZaloEmulator(token=TOKEN) as emu:
        settings = settings_for(database, emu.base_url, 1000)
        rt = Runtime.build(settings)
        await rt.upgrade()
        try:
            ids = await province(rt, people)
            leader = await leader_id(rt)
            for batch in range(2):
                await svc.create_directives(rt, leader, [svc.NewDirective(f"Việc {batch}-{n}", lead=[f"U{n:02d}"],
                                                                           deadline=date(2026, 12, 4))
                                                          for n in range(1, 31)], now=NOW)
            figures = {}
            for name in ("echo", "bot"):
                emu.reset()
                for n in range(count):
                    await emu.user_says(ids[n % len(ids)], command)
                started = time.perf_counter()
                stop = asyncio.Event()
                if name == "echo":
                    client = ZaloClient(emu.base_url, TOKEN)
                    task = asyncio.create_task(echo(client, stop))
                    await emu.wait_sent(None, count, timeout=300)
                    stop.set()
                    await task
                    await client.close()
                else:
                    channel = ZaloChannel(rt, settings, clock=lambda: NOW)
                    await channel.start()
                    await emu.wait_sent(None, count, timeout=600)
                    await channel.stop()
                figures[name] = round(count / (time.perf_counter() - started), 1)
            return {"command": command, "replies": count, "echo_per_second": figures["echo"], "bot_per_second": figures["bot"],
                    "ratio": round(figures["bot"] / figures["echo"], 3)}
        finally:
            await rt.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"send": [], "replies": []}
    with tempfile.TemporaryDirectory() as folder:
        for number, rate in enumerate(args.rates):
            database = args.database or f"sqlite+aiosqlite:///{folder}/send{number}.sqlite3"
            figure = await send_rate(database, rate, args.people)
            results["send"].append(figure)
            print(f"send: configured {rate:g}/s, {figure['messages']} messages in {figure['seconds']} s = "
                  f"{figure['achieved']}/s, ratio {figure['ratio']} (target ≥ 0.95), 429s {figure['rejected_429']}")
        results["replies"] = []
        for number, command in enumerate(args.commands):
            database = args.database or f"sqlite+aiosqlite:///{folder}/replies{number}.sqlite3"
            figure = await replies_per_second(database, args.replies, args.people, command)
            results["replies"].append(figure)
            print(f"replies: {command} ×{figure['replies']}: bot {figure['bot_per_second']}/s, bare echo "
                  f"{figure['echo_per_second']}/s, ratio {figure['ratio']} (target ≥ 0.5)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", type=float, nargs="+", default=[10.0, 30.0])
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--commands", nargs="+", default=["/viec", "/trogiup"],
                        help="what each person types (/viec reads their unit's list; /trogiup only who they are)")
    parser.add_argument("--database", help="a PostgreSQL URL (fresh database) instead of temporary SQLite files")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = asyncio.run(run(args))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
