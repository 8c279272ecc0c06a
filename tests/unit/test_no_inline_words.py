"""What people read comes from the catalogue (bot/texts), in Vietnamese and English: the channel adapters and
the shared renderer write no user-visible string of their own, marks and separators included («✍️», «✏️»,
«◀», «📎», «—»). A string literal with a character outside ASCII is either in the catalogue, or one of the few
below that people never read (words people type, a reaction)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*(ROOT / "handlers").glob("*.py"), *(ROOT / "zalo").glob("*.py"), *(ROOT / "web").glob("*.py"),
                ROOT / "bot" / "render.py"])
# Not words of ours: what people type (Zalo's «huỷ»; its patterns, below), Telegram's reaction on a typed
# answer, the web app's API title, the mark of a text cut short («…», the same in every language).
ALLOWED = {
    ("zalo/bot.py", "hủy"), ("zalo/bot.py", "huỷ"), ("handlers/actions.py", "👍"), ("web/app.py", "Đôn Đốc API"),
    ("bot/render.py", "…"), ("handlers/notifier.py", "…"),
}


def literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and not node.value.isascii()]


def test_no_user_visible_string_outside_the_catalogue() -> None:
    found = [(str(path.relative_to(ROOT)), value) for path in FILES for value in literals(path)]
    inline = [(path, value) for path, value in found
              if (path, value) not in ALLOWED and not (path == "zalo/bot.py" and "\\d" in value)]
    assert not inline, inline
