"""Text clean-up and the accent-folded, token view of a message that every rule works on.

The folded text has exactly one character per character of the clean text, so a span found in the
folded text (where rules are simple: lower case, no diacritics) cuts the same words out of the text
the user typed.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\ufe00-\ufe0f]")
# Emoji and pictographs decorate chat messages ("📌 Giao …  ✅"); to the rules they are spaces.
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co", "Cn"})
_SPACES = re.compile(r"[^\S\n]+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-", "\r": "\n"})
# Hyphens only join words ("Lao động - Thương binh", "P-THUANHOA"): not a token of their own.
_TOKEN = re.compile(r"[a-z0-9]+|[^\sa-z0-9\-]")
# Spelled-out forms people use for the same body; folded to the abbreviation the unit list uses.
_SYNONYMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("uy", "ban", "nhan", "dan"), "ubnd"),
    (("hoi", "dong", "nhan", "dan"), "hdnd"),
)


def clean_text(text: str) -> str:
    """NFC, no invisible characters, one kind of dash, single spaces, no blank lines."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).translate(_DASHES)
    text = "".join(" " if unicodedata.category(ch) in _SYMBOL_CATEGORIES else ch for ch in text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def is_blank(text: str) -> bool:
    return not _INVISIBLE.sub("", text).strip()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one output character per input character."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def tokenize(folded: str) -> list[Token]:
    raw = [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        for words, short in _SYNONYMS:
            if tuple(t.text for t in raw[i : i + len(words)]) == words:
                out.append(Token(short, raw[i].start, raw[i + len(words) - 1].end))
                i += len(words)
                break
        else:
            out.append(raw[i])
            i += 1
    return out


def name_tokens(name: str) -> tuple[str, ...]:
    """The token sequence a unit name or phrase is matched by."""
    return tuple(t.text for t in tokenize(fold_same_length(clean_text(name))))


@dataclass(frozen=True)
class Analysed:
    """A cleaned message with its folded twin and tokens."""

    text: str
    folded: str
    tokens: tuple[Token, ...]
    has_capitals: bool
    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Analysed:
        text = clean_text(text)
        folded = fold_same_length(text)
        tokens = tuple(tokenize(folded))
        has_capitals = any(ch.isupper() for ch in text[1:])
        return cls(text, folded, tokens, has_capitals, tuple(t.start for t in tokens))

    def token_at_or_after(self, char: int) -> int:
        return bisect_left(self.starts, char)

    def words(self, first: int, last: int) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens[first:last])

    def original(self, first: int, last: int) -> str:
        """The typed text of tokens[first:last]."""
        if first >= last:
            return ""
        return self.text[self.tokens[first].start : self.tokens[last - 1].end]

    def original_token(self, i: int) -> str:
        tok = self.tokens[i]
        return self.text[tok.start : tok.end]
