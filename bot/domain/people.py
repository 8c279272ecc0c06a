"""How a person is named: Vietnamese order (family name first), and a leader by title and name."""

from __future__ import annotations


def vietnamese_name(first: str | None, last: str | None) -> str:
    """A name from a messenger's profile in Vietnamese order: Telegram keeps a given name («Minh») and a
    family name («Lê Quang») apart and shows them first-then-last («Minh Lê Quang»); in Vietnamese the
    family name comes first («Lê Quang Minh»). A profile with only one field is taken as written."""
    first, last = " ".join((first or "").split()), " ".join((last or "").split())
    return f"{last} {first}".strip() if last and first else (first or last)


def person_name(full_name: str, title: str | None) -> str:
    """One identity for a person wherever they are named (cards, notices, digests, reports): the title the
    office gave them and their name («Phó Chủ tịch UBND tỉnh Lê Quang Minh»), or the name alone."""
    title = " ".join((title or "").split())
    return f"{title} {full_name}" if title and not full_name.startswith(title) else full_name
