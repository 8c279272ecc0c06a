"""Callback data: `action|code|version|arg`, at most 64 bytes. It is a claim, never trusted: the service
checks role, unit and the directive's current version before anything changes."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
SEP = "|"


@dataclass(frozen=True)
class Callback:
    action: str
    code: str = ""
    version: int | None = None
    arg: str = ""

    def pack(self) -> str:
        data = SEP.join([self.action, self.code, "" if self.version is None else str(self.version), self.arg])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data


def unpack(data: str | None) -> Callback | None:
    """None for anything malformed (a forged button gets the same answer as a stale one)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEP)
    if len(parts) != 4 or not parts[0].isascii() or not parts[0]:
        return None
    action, code, version, arg = parts
    if version and not version.isdigit():
        return None
    return Callback(action, code, int(version) if version else None, arg)
