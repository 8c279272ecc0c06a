"""Text as Zalo shows it: plain (the catalogue's Telegram HTML without its tags), in messages of at most
2,000 characters cut between lines (never inside a word), and the numbered replies a reader may make."""

from __future__ import annotations

import re
from html import unescape

from bot.texts import t

MAX_CHARS = 2000  # sendMessage's `text`: 1–2,000 characters
_TAG = re.compile(r"<[^<>]*>")


def plain(html: str) -> str:
    """What a reader sees of our HTML: no tags, entities decoded (a link's text stays, its target goes)."""
    return unescape(_TAG.sub("", html))


def split(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Messages of at most `limit` characters, each a run of whole lines; a line longer than that is cut at
    a space (a word longer than a message, a URL say, is cut as a last resort). Nothing is lost: the parts
    joined with line breaks (or the spaces cut at) give the text back. No part is empty."""
    text = text.strip("\n")
    if not text.strip():
        return []
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = _cut_line(line, limit)
        for piece in pieces:
            if not current:
                current = piece
            elif len(current) + 1 + len(piece) <= limit:
                current += "\n" + piece
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return [p for p in (part.strip("\n") for part in parts) if p.strip()]


def _cut_line(line: str, limit: int) -> list[str]:
    pieces = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit  # one word longer than a message
            pieces.append(line[:cut])
            line = line[cut:]
        else:
            pieces.append(line[:cut])
            line = line[cut + 1:]
    pieces.append(line)
    return pieces


def replies_line(actions: list[str], lang: str, code: str | None = None) -> str:
    """«Trả lời: 1 – Đã nhận · 2 – Báo cáo tiến độ»; with `code`, the form that names the directive."""
    listed = t("reply.separator", lang).join(t("reply.option", lang, number=n, label=t(f"reply.{action}", lang))
                                            for n, action in enumerate(actions, 1))
    if code:
        return t("reply.line_code", lang, code=code, options=listed)
    return t("reply.line", lang, options=listed)
