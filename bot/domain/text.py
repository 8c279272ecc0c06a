"""What people type, as the bot accepts it: no control characters, bounded, present when required."""

from __future__ import annotations

import re
import unicodedata

from bot.errors import DomainError

MAX_REASON_CHARS = 1000
MAX_SOURCE_CHARS = 64
MAX_NAME_CHARS = 200
# Text people type may hold line breaks and tabs; no other control character (NUL among them) is stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_for_message(text: str, limit: int) -> str:
    """A piece of bad input fit to quote back in an error: no control characters, bounded."""
    return _CONTROL.sub("", text)[:limit]


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def check_text(text: str | None, limit: int, *, required: bool = True, key: str = "text") -> str:
    text = (text or "").strip()
    if has_control_characters(text):
        raise DomainError("text.control_characters")
    if required and not text:
        raise DomainError("text.empty", field=key)
    if len(text) > limit:
        raise DomainError("text.too_long", field=key, limit=limit)
    return text


# Words that say a report arrived and nothing of what was done («ok», «xong», «đã nhận»…), accents folded.
_FILLER = frozenset({"ok", "oke", "okay", "okie", "ok a", "xong", "da xong", "xong roi", "roi", "da", "vang", "da nhan",
                     "nhan", "dong y", "yes", "done", "+", "da bao cao", "bao cao", "da lam", "dang lam"})
MIN_REPORT_LETTERS = 8


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w+]+", " ", text).split())


# A report typed without its button (a reply to the bot's notice on Telegram, a text after a Zalo notice that
# offers the report) is a completion when it starts with «hoàn thành», «đã hoàn thành» or «xong» (accents or
# not, any case); anything else typed so is progress.
_DONE_REPORT = re.compile(r"^(?:da )?hoan thanh\b|^xong\b")


def reports_done(text: str | None) -> bool:
    """Whether a report typed without its button says the work is done («Hoàn thành: đã ban hành …», «xong»)."""
    return bool(_DONE_REPORT.match(_folded(text or "")))


def substantial(text: str | None, *, files: int = 0) -> bool:
    """Whether a report says something a leader should read: a file, or a text that is more than a word of
    acknowledgement («ok», «xong», «đã nhận») and has at least MIN_REPORT_LETTERS letters."""
    if files:
        return True
    folded = _folded(text or "")
    return folded not in _FILLER and sum(c.isalpha() for c in folded) >= MIN_REPORT_LETTERS
