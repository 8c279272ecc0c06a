"""Callback data: `action|code|version|arg`, at most 64 bytes. It is a claim, never trusted: the service
checks role, unit and the directive's current version before anything changes."""

from __future__ import annotations

import re
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


_ACTION = re.compile(r"[a-z]{1,8}")
_CODE = re.compile(r"[A-Za-z0-9_.-]{0,24}")
_VERSION = re.compile(r"[0-9]{0,9}")
_ARG = re.compile(r"[A-Za-z0-9_.:+ -]{0,48}")


def unpack(data: str | None) -> Callback | None:
    """None for anything malformed (a forged button gets the same answer as a stale one): every field is
    plain ASCII of the shape our own buttons use."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEP)
    if len(parts) != 4:
        return None
    action, code, version, arg = parts
    if not (_ACTION.fullmatch(action) and _CODE.fullmatch(code) and _VERSION.fullmatch(version)
            and _ARG.fullmatch(arg)):
        return None
    return Callback(action, code, int(version) if version else None, arg)
