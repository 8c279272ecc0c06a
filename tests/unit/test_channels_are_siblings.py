"""Channel adapters are siblings: Zalo's code imports nothing of Telegram's (handlers/, python-telegram-bot),
and what both show as text (bot/render.py) imports neither."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "zalo").glob("*.py")) + [ROOT / "bot" / "render.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_telegram_in_a_sibling(path: Path) -> None:
    telegram = {name for name in imported(path) if name.split(".")[0] in ("handlers", "telegram")}
    assert not telegram, f"{path.relative_to(ROOT)} imports {sorted(telegram)}"
