"""Run the Zalo emulator on its own, for a bot or a benchmark in another process::

    python -m tests.zalo_emulator --port 8089 --token T

It prints ``ZALO EMULATOR READY http://127.0.0.1:PORT`` once it listens (``--port 0``: a free port), serves the
bot API under ``/bot{TOKEN}/{method}`` and the controls under ``/control/...`` (see ``control.py``), and stops
on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from tests.zalo_emulator.emulator import DEFAULT_TOKEN, ZaloEmulator

READY_PREFIX = "ZALO EMULATOR READY "


async def main(host: str, port: int, token: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with ZaloEmulator(token=token, host=host, port=port) as emu:
        print(f"{READY_PREFIX}{emu.base_url}", flush=True)
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m tests.zalo_emulator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port, args.token))
