"""The Zalo Bot API emulator for tests and benchmarks (see ``emulator.py``; standalone: ``python -m
tests.zalo_emulator --port 8089 --token T``)."""

from tests.zalo_emulator.emulator import (
    DEFAULT_TOKEN,
    FAULT_KINDS,
    MAX_TEXT,
    SECRET_HEADER,
    ZaloEmulator,
    ZaloEmulatorTimeout,
    ZaloUser,
)

__all__ = ["DEFAULT_TOKEN", "FAULT_KINDS", "MAX_TEXT", "SECRET_HEADER", "ZaloEmulator", "ZaloEmulatorTimeout",
           "ZaloUser"]
