"""A strict check of Telegram's HTML parse mode (core.telegram.org/bots/api#html-style): only the tags
Telegram knows, with the attributes it allows, properly nested and closed; every <, > and & outside a tag
escaped (only &lt; &gt; &amp; &quot; and numeric entities); at most 4,096 characters once parsed.

Telegram itself refuses anything else with "can't parse entities", which a user sees as silence."""

from __future__ import annotations

import re
from html import unescape

MAX_CHARS = 4096
_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "code", "pre", "blockquote",
         "a", "span", "tg-emoji"}
_ATTRIBUTES = {"a": {"href"}, "span": {"class"}, "tg-emoji": {"emoji-id"}, "code": {"class"},
               "blockquote": {"expandable"}}
_TOKEN = re.compile(r"<[^<>]*>|&[^;\s<>&]*;|[<>&]")
_OPEN = re.compile(r"<([a-z-]+)((?:\s+[a-z-]+(?:=\"[^\"]*\")?)*)\s*>")
_CLOSE = re.compile(r"</([a-z-]+)\s*>")
_ATTRIBUTE = re.compile(r"([a-z-]+)(?:=\"([^\"]*)\")?")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")


def html_problems(text: str) -> list[str]:
    """Why Telegram would refuse `text` in HTML parse mode (empty when it is fine)."""
    problems: list[str] = []
    stack: list[str] = []
    for token in _TOKEN.finditer(text):
        piece = token.group(0)
        if piece in ("<", ">", "&"):
            problems.append(f"unescaped {piece!r} at {token.start()}: {text[max(0, token.start() - 20):token.start() + 20]!r}")
        elif piece.startswith("&"):
            if not _ENTITY.fullmatch(piece):
                problems.append(f"unknown entity {piece!r}")
        elif opened := _OPEN.fullmatch(piece):
            name = opened.group(1)
            if name not in _TAGS:
                problems.append(f"tag <{name}> is not Telegram's")
                continue
            for attribute, value in _ATTRIBUTE.findall(opened.group(2) or ""):
                if attribute not in _ATTRIBUTES.get(name, set()):
                    problems.append(f"attribute {attribute!r} on <{name}>")
                if name == "span" and attribute == "class" and value != "tg-spoiler":
                    problems.append("a span must be a spoiler")
            stack.append(name)
        elif closed := _CLOSE.fullmatch(piece):
            name = closed.group(1)
            if not stack or stack[-1] != name:
                problems.append(f"</{name}> closes {stack[-1] if stack else 'nothing'}")
            else:
                stack.pop()
        else:
            problems.append(f"malformed tag {piece!r}")
    if stack:
        problems.append(f"unclosed {stack}")
    if len(unescape(re.sub(r"<[^<>]*>", "", text))) > MAX_CHARS:
        problems.append("longer than 4,096 characters")
    return problems


def assert_telegram_html(text: str, where: str = "") -> None:
    problems = html_problems(text)
    assert not problems, f"{where}: {problems} in {text[:300]!r}"
