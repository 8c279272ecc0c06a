"""Which of the province's leaders a text names: the sign-off or the body writes a name in its own order and
case ("Nguyễn Văn An", "NGUYỄN VĂN AN", "An Nguyễn Văn"), after a title ("Phó Chủ tịch UBND tỉnh"). Pure."""

from __future__ import annotations

from bot.domain.units import fold


def _words(text: str) -> list[str]:
    return [w for w in fold(text).replace(".", " ").split() if w]


def match_leader(written: str, leaders: list[str]) -> str | None:
    """`written` ("Phó Chủ tịch UBND tỉnh Nguyễn Văn An") with its name replaced by the leader's as the
    office keeps it, when exactly one leader's name is its last words in any order; None otherwise."""
    words = written.split()
    folded = _words(written)
    found: set[str] = set()
    for leader in leaders:
        name = _words(leader)
        if name and len(name) <= len(folded) and sorted(folded[-len(name):]) == sorted(name):
            found.add(leader)
    if len(found) != 1:
        return None
    leader = found.pop()
    title = " ".join(words[: len(words) - len(_words(leader))])
    return f"{title} {leader}".strip()
