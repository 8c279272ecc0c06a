"""Figures of the Zalo emulator (tests/zalo_emulator), which the Zalo benchmarks measure the bot against:

- its capacity: sendMessage calls answered per second, from `--clients` concurrent connections for
  `--seconds`, so a figure measured through it is known not to be the emulator's limit;
- the bare echo's reply throughput (benchmarks/zalo_echo_bot.py): `--burst` messages from `--users` users
  put to the emulator at once, replies per second until the last is sent — the denominator of issue 20's
  "replies/s ÷ a bare echo on the same emulator".

    python benchmarks/bench_zalo_emulator.py [--json FILE] [--clients 8] [--seconds 5] [--burst 300] [--users 100]

The emulator and the echo run in processes of their own; the figures are printed (and written with --json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.zalo_emulator.process import ZaloEmulatorProcess  # noqa: E402

TOKEN = "1459232241454765289:bench-token"


async def capacity(emu: ZaloEmulatorProcess, clients: int, seconds: float) -> float:
    stop = time.perf_counter() + seconds
    done = 0

    async def client(number: int) -> None:
        nonlocal done
        async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
            while time.perf_counter() < stop:
                answer = await http.post(emu.api_url("sendMessage"), json={"chat_id": f"c{number}", "text": "x"})
                done += answer.status_code == 200

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return done / (time.perf_counter() - started)


async def echo_throughput(emu: ZaloEmulatorProcess, burst: int, users: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    echo = await asyncio.create_subprocess_exec(sys.executable, str(ROOT / "benchmarks" / "zalo_echo_bot.py"),
                                                emu.base_url, emu.token, env=env)
    try:
        await emu.user_says("warm-up", "warm-up")
        await emu.wait_sent("warm-up", 1, timeout=60)
        await emu.reset()
        started = time.perf_counter()
        for number in range(burst):
            await emu.user_says(f"u{number % users}", f"tin nhắn {number}")
        await emu.wait_sent(None, burst, timeout=600)
        return burst / (time.perf_counter() - started)
    finally:
        echo.terminate()
        await echo.wait()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    async with ZaloEmulatorProcess(token=TOKEN) as emu:
        sends = await capacity(emu, args.clients, args.seconds)
        print(f"    emulator capacity            {sends:,.0f} sendMessage/s ({args.clients} connections)", flush=True)
        await emu.reset()
        replies = await echo_throughput(emu, args.burst, args.users)
        print(f"    bare echo                    {replies:,.1f} replies/s ({args.burst} messages, {args.users} users)",
              flush=True)
    return {"emulator_sends_per_second": round(sends, 1), "echo_replies_per_second": round(replies, 1),
            "clients": args.clients, "burst": args.burst, "users": args.users, "cpus": os.cpu_count()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--burst", type=int, default=300)
    parser.add_argument("--users", type=int, default=100)
    arguments = parser.parse_args()
    figures = asyncio.run(main(arguments))
    if arguments.json:
        arguments.json.write_text(json.dumps(figures, indent=2))
