"""The baseline of the Zalo reply throughput: a bare client that echoes text, one getUpdates at a time, each
reply sent before the next poll (as the platform hands out one update per getUpdates).

    python benchmarks/zalo_echo_bot.py http://127.0.0.1:PORT TOKEN
"""

from __future__ import annotations

import asyncio
import sys

import httpx


async def echo(base: str, token: str) -> None:
    api = f"{base}/bot{token}"
    async with httpx.AsyncClient(trust_env=False, timeout=httpx.Timeout(10, read=40)) as http:
        while True:
            try:
                body = (await http.post(f"{api}/getUpdates", json={"timeout": 30})).json()
            except httpx.TransportError:
                await asyncio.sleep(0.5)  # the emulator restarting; a real client backs off too
                continue
            if not body.get("ok"):
                continue  # 408: nothing came within the time-out
            message = body["result"].get("message") or {}
            if message.get("text"):
                await http.post(f"{api}/sendMessage", json={"chat_id": message["chat"]["id"], "text": message["text"]})


if __name__ == "__main__":
    asyncio.run(echo(sys.argv[1], sys.argv[2]))
