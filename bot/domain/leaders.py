"""One identity for the province's leaders, wherever a leader is read or shown. Pure.

A text names the leader who directed a directive in its own way: a title alone («Chủ tịch UBND tỉnh»), an
abbreviation and a name («PCT Lê Quang Minh»), a name in Telegram's order («Minh Lê Quang»), a short name
(«đồng chí Minh»), a sign-off («KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Lê Quang Minh»). `resolve` finds the registered
leader it names (by name whatever the order, by short name when unique, by title when one leader holds it);
`identify` is the one identity the cards, notices, digests and reports show and group by: the registered
person («title name»), else the text as written, texts that are the same once normalised (case, diacritics,
name order, «PCT»/«Phó Chủ tịch», «CT»/«Chủ tịch», «UBND tỉnh») counting as one. A directive that names no
leader is the leader who assigned it, when a leader (an office clerk is never a directing leader)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from bot.domain.people import person_name
from bot.domain.units import fold


@dataclass(frozen=True)
class Leader:
    """A registered leader: their id, name (family name first) and the title the office gave them."""

    id: int
    full_name: str
    title: str | None = None
    active: bool = True

    @property
    def shown(self) -> str:
        return person_name(self.full_name, self.title)


@dataclass(frozen=True)
class Identity:
    """Who directed a directive, as shown and grouped: `key` is the same for every way of naming them."""

    key: str
    shown: str
    person_id: int | None = None


# Folded abbreviations as people write them, and words that say nothing of who.
_ABBREVIATIONS = {"pct": "pho chu tich", "ct": "chu tich", "pctttr": "pho chu tich thuong truc",
                  "pcttt": "pho chu tich thuong truc", "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan",
                  "tp": "thanh pho", "pbt": "pho bi thu", "bt": "bi thu", "gd": "giam doc", "pgd": "pho giam doc",
                  "cvp": "chanh van phong", "pcvp": "pho chanh van phong"}
_FILLER = ("dong chi", "d c", "dc", "kt", "tm", "q", "ong", "ba", "ky", "da ky", "ky boi", "cua", "lanh dao")
_TITLES = ("pho chu tich thuong truc", "chu tich thuong truc", "quyen chu tich", "pho chu tich", "chu tich",
           "pho bi thu", "bi thu", "pho giam doc", "giam doc", "pho chanh van phong", "chanh van phong")
_BODIES = ("uy ban nhan dan tinh", "uy ban nhan dan thanh pho", "uy ban nhan dan", "hoi dong nhan dan tinh",
           "hoi dong nhan dan", "tinh uy", "tinh", "thanh pho")
_SPLIT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class _Read:
    title: str  # the last title written, folded («pho chu tich»), or ""
    name: tuple[str, ...]  # the name's words, folded, in the order written


def _starts(words: list[str], phrases: Iterable[str]) -> str | None:
    """The first of `phrases` `words` begin with, taken off them."""
    for phrase in phrases:
        p = phrase.split()
        if words[:len(p)] == p:
            del words[:len(p)]
            return phrase
    return None


_ENDINGS = tuple((title, f"{title} {body}".split()) for body in (*_BODIES, "") for title in _TITLES)
K = TypeVar("K")
_CACHED = 8192  # texts read: a report reads each distinct leader text once per leader


def _ends(words: list[str]) -> str | None:
    """A title at the end («Lê Quang Minh, Phó Chủ tịch UBND tỉnh»), with its body, taken off `words`."""
    for title, p in _ENDINGS:
        if len(words) > len(p) and words[-len(p):] == p:
            del words[-len(p):]
            return title
    return None


@lru_cache(maxsize=_CACHED)
def _read(text: str) -> _Read:
    """A leader's text as a title and a name: abbreviations spelled out, filler and the body dropped."""
    words = " ".join(_ABBREVIATIONS.get(w, w) for w in _SPLIT.split(fold(text)) if w).split()
    title, body_may_follow = "", False
    while words:
        found = _starts(words, _TITLES)
        filler = None
        if found is not None:
            title = found  # «KT. CHỦ TỊCH / PHÓ CHỦ TỊCH»: the last title is the signer's
        elif not (body_may_follow and _starts(words, _BODIES)) and (filler := _starts(words, _FILLER)) is None:
            break
        body_may_follow = found is not None or filler == "tm"  # «TM. UBND tỉnh», «Chủ tịch UBND tỉnh»
    if words and (found := _ends(words)) is not None:
        title = title or found
    return _Read(title, tuple(words))


@lru_cache(maxsize=_CACHED)
def _plain(text: str) -> str:
    return " ".join(_SPLIT.split(fold(text))).strip()


def _title_of(leader: Leader) -> str:
    return _read(leader.title).title if leader.title else ""


@dataclass(frozen=True)
class _Index:
    """The leaders looked up every way a text names them (built once per list of leaders)."""

    exact: dict[str, tuple[Leader, ...]]  # a name or «title name» as written, folded
    by_name: dict[tuple[str, ...], tuple[Leader, ...]]  # the name's words, sorted
    lengths: tuple[int, ...]  # how many words the names have, the longest first
    by_given: dict[str, tuple[Leader, ...]]  # the given name (the last word)
    by_title: dict[str, tuple[Leader, ...]]
    titles: dict[int, str]


def _grouped(pairs: Iterable[tuple[K, Leader]]) -> dict[K, tuple[Leader, ...]]:
    found: dict[K, tuple[Leader, ...]] = {}
    for key, lead in pairs:
        if key and lead not in found.get(key, ()):
            found[key] = (*found.get(key, ()), lead)
    return found


@lru_cache(maxsize=16)
def _index(leaders: tuple[Leader, ...]) -> _Index:
    names = {lead.id: tuple(fold(lead.full_name).split()) for lead in leaders}
    return _Index(
        exact=_grouped((_plain(text), lead) for lead in leaders for text in (lead.full_name, lead.shown)),
        by_name=_grouped((tuple(sorted(names[lead.id])), lead) for lead in leaders),
        lengths=tuple(sorted({len(n) for n in names.values() if n}, reverse=True)),
        by_given=_grouped((names[lead.id][-1] if names[lead.id] else "", lead) for lead in leaders),
        by_title=_grouped((_title_of(lead), lead) for lead in leaders),
        titles={lead.id: _title_of(lead) for lead in leaders})


def _one(found: tuple[Leader, ...], title: str, titles: dict[int, str]) -> Leader | None:
    """The one leader found; among several, the one with the title written, or the one still in office."""
    for narrowed in (found, [lead for lead in found if title and titles[lead.id] == title],
                     [lead for lead in found if lead.active]):
        if len(narrowed) == 1:
            return narrowed[0]
    return None


def resolve(written: str | None, leaders: Sequence[Leader]) -> Leader | None:
    """The registered leader `written` names: by their whole name in any order («Minh Lê Quang»), by the last
    words of the text in any order, by short name («đồng chí Minh») when one leader has it, by title alone
    («Chủ tịch UBND tỉnh») when one leader holds it; None when none or several match."""
    if not written or not leaders:
        return None
    index = _index(tuple(leaders))
    exact = index.exact.get(_plain(written))
    if exact:  # as the office wrote them (a name that is a title, «Phó Chủ tịch», is one too)
        return _one(exact, "", index.titles)
    read = _read(written)
    if read.name:
        tails = (tuple(sorted(read.name[-k:])) for k in index.lengths if k < len(read.name))
        for found in (index.by_name.get(tuple(sorted(read.name))),  # the whole name, in any order
                      *(index.by_name.get(tail) for tail in tails),  # its last words («Ông … An»)
                      index.by_given.get(read.name[0]) if len(read.name) == 1 else None):  # «đồng chí Minh»
            if found:
                return _one(found, read.title, index.titles)
        return None
    if read.title:
        return _one(index.by_title.get(read.title, ()), read.title, index.titles)
    return None


def text_key(written: str) -> str:
    """Texts naming the same person once normalised share this key (case, diacritics, name order,
    abbreviations, «UBND tỉnh», «đồng chí»)."""
    read = _read(written)
    if not read.title and not read.name:
        return "?" + " ".join(_SPLIT.split(fold(written))).strip()
    return f"{read.title}|{' '.join(sorted(read.name))}"


def identify(written: str | None, assigned_by: int | None, leaders: Sequence[Leader]) -> Identity | None:
    """The leader who directed a directive: the registered leader its text names, else the text itself;
    with no text, the leader who assigned it in the bot (None when a clerk did, or nobody)."""
    if written and written.strip():
        found = resolve(written, leaders)
        if found is not None:
            return Identity(f"#{found.id}", found.shown, found.id)
        return Identity(f"~{text_key(written)}", " ".join(written.split()))
    by = next((lead for lead in leaders if lead.id == assigned_by), None) if assigned_by is not None else None
    return Identity(f"#{by.id}", by.shown, by.id) if by is not None else None


def as_recorded(written: str, leaders: Sequence[Leader]) -> str:
    """What a new directive records for the leader a text names: the registered leader as «title name» (so
    the record names that person whatever the text's wording), else the text as written."""
    found = resolve(written, leaders)
    if found is None:
        return " ".join(written.split())
    if found.title:
        return found.shown
    # A leader registered without a title keeps the one the text gives them («Phó Chủ tịch UBND tỉnh An
    # Nguyễn Văn» → «Phó Chủ tịch UBND tỉnh Nguyễn Văn An»).
    words, name = written.split(), fold(found.full_name).split()
    tail = [fold(w) for w in words[len(words) - len(name):]] if len(words) > len(name) else []
    return " ".join([*words[:len(words) - len(name)], found.full_name]) if sorted(tail) == sorted(name) \
        else found.full_name
