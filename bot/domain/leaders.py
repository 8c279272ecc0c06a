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


def _ends(words: list[str]) -> str | None:
    """A title at the end («Lê Quang Minh, Phó Chủ tịch UBND tỉnh»), with its body, taken off `words`."""
    for body in (*_BODIES, ""):
        for title in _TITLES:
            p = f"{title} {body}".split()
            if len(words) > len(p) and words[-len(p):] == p:
                del words[-len(p):]
                return title
    return None


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


def _plain(text: str) -> str:
    return " ".join(_SPLIT.split(fold(text))).strip()


def _title_of(leader: Leader) -> str:
    return _read(leader.title).title if leader.title else ""


def _one(found: list[Leader], title: str) -> Leader | None:
    """The one leader found; among several, the one with the title written, or the one still in office."""
    for narrowed in (found, [lead for lead in found if title and _title_of(lead) == title],
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
    exact = [lead for lead in leaders if _plain(written) in (_plain(lead.full_name), _plain(lead.shown))]
    if exact:  # as the office wrote them (a name that is a title, «Phó Chủ tịch», is one too)
        return _one(exact, "")
    read = _read(written)
    names = {lead.id: fold(lead.full_name).split() for lead in leaders}
    if read.name:
        whole = sorted(read.name)
        for matches in (
                lambda n: sorted(n) == whole,
                lambda n: len(n) < len(read.name) and sorted(read.name[-len(n):]) == sorted(n),
                lambda n: len(read.name) == 1 and n[-1:] == list(read.name)):
            found = [lead for lead in leaders if names[lead.id] and matches(names[lead.id])]
            if found:
                return _one(found, read.title)
        return None
    if read.title:
        return _one([lead for lead in leaders if _title_of(lead) == read.title], read.title)
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
