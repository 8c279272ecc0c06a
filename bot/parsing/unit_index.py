"""Finding the province's units and unit groups in a message.

Built once from the unit list (data, never code). Matching is on accent-folded tokens: exact first
(names, aliases, group phrases, codes), then a strict typo match, and in assignee positions a name
that looks like a unit but is not in the list comes back as `unknown` so the chat can ask about it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.domain.units import Unit, UnitGroup, fold
from bot.parsing.normalise import Analysed, clean_text, name_tokens

MentionKind = Literal["unit", "group", "generic", "issuer", "unknown"]

# Phrases that name "whoever is concerned": they assign nobody in particular.
_GENERIC_HEADS: tuple[str, ...] = ("các đơn vị", "các cơ quan", "các cơ quan, đơn vị", "các sở, ngành", "các ngành",
                  "các địa phương", "các bên", "đơn vị", "cơ quan", "các sở, ban, ngành")
_GENERIC_HEADS += ("các sở, ban ngành, đơn vị", "các sở, ban, ngành, đơn vị", "các sở ngành chức năng",
                   "các đơn vị, địa phương", "các sở, ngành, cơ quan, đơn vị, địa phương", "các sở, ngành, địa phương",
                   "các cơ quan, đơn vị, địa phương", "các sở, ngành", "các ngành", "các sở")
_GENERIC = tuple(f"{head} {tail}" for head in _GENERIC_HEADS for tail in ("liên quan", "có liên quan")) + (
    "các đơn vị", "các cơ quan", "các cơ quan, đơn vị", "ngành chức năng", "các ngành chức năng",
    "các sở ngành chức năng", "các sở, ngành chức năng", "các lực lượng chức năng", "các cấp, các ngành", "các cấp",
    "lực lượng chức năng", "cơ quan chức năng", "các cơ quan chức năng",
    "các cấp, các ngành, địa phương", "các cấp, các ngành và địa phương",
    "các đơn vị, địa phương liên quan", "cơ quan, đơn vị thuộc tỉnh", "các cơ quan, đơn vị thuộc tỉnh",
    "đơn vị cấp tỉnh", "các đơn vị cấp tỉnh", "đơn vị thuộc tỉnh", "các đơn vị thuộc tỉnh", "đơn vị của tỉnh",
    "các đơn vị của tỉnh", "cơ quan, đơn vị của tỉnh", "các cơ quan, đơn vị của tỉnh", "các đơn vị trực thuộc",
    "ngành chuyên môn", "các ngành chuyên môn", "cơ quan chuyên môn", "các cơ quan chuyên môn", "các đơn vị chức năng",
    # forces and services named by what they are, not who: "Các lực lượng phải thông báo …", "các đơn vị chuyên môn phải …"
    "các lực lượng", "các đơn vị chuyên môn", "đơn vị chuyên môn", "các đơn vị chức năng liên quan",
    # "… phối hợp với sở, ngành chức năng, UBND các huyện …": "các" left out
    "sở, ngành chức năng", "sở, ban, ngành chức năng", "sở, ngành liên quan", "sở, ngành có liên quan",
    # "Giám đốc các sở, thủ trưởng các ngành, đơn vị, Chủ tịch UBND các huyện …": the heads of whatever else there is
    "các ngành, đơn vị",
    # "… đề nghị các đơn vị, địa phương khẩn trương theo dõi …": whichever bodies and places, none named
    "các đơn vị, địa phương",
    # "… chỉ đạo đến một số sở, ngành liên quan và UBND các huyện …": some of them, which the text does not say
    "một số sở, ngành", "một số sở, ban, ngành", "một số sở, ngành liên quan", "một số sở, ban, ngành liên quan",
    "một số sở, ngành có liên quan")
# The province's own leadership: it gives directives, it is never an assignee, and never "unknown".
_ISSUERS = ("UBND tỉnh", "Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh", "Thường trực UBND tỉnh",
            "Lãnh đạo UBND tỉnh", "HĐND tỉnh", "Thường trực HĐND tỉnh", "Tỉnh ủy", "Ban Thường vụ Tỉnh ủy",
            "Thường trực Tỉnh ủy", "Thành ủy", "Thường trực Thành ủy", "Ban Thường vụ Thành ủy",
            "Chủ tịch", "Phó Chủ tịch", "Chính phủ", "Thủ tướng Chính phủ", "Quyền Chủ tịch UBND tỉnh",
            "Quyền Chủ tịch", "UBND thành phố", "Chủ tịch UBND thành phố", "Phó Chủ tịch UBND thành phố",
            "Lãnh đạo thành phố", "Lãnh đạo tỉnh", "Lãnh đạo UBND thành phố", "Tỉnh", "Thành phố", "Thủ tướng",
            "Công văn", "Văn bản", "Thông báo", "Công điện", "Chỉ thị")
# Words that begin the name of a public body; a name starting so but missing from the list is unknown.
# Places capitalise every syllable ("phường Thuận Lộc"); bodies only the first of each part ("Sở
# Ngoại vụ"), so only after those may a lower-case syllable belong to the name.
_PLACE_HEADS = ("UBND phường", "UBND xã", "UBND thị xã", "UBND huyện", "UBND thành phố", "phường", "xã",
                "thị xã", "huyện", "thành phố", "đặc khu")
_BODY_HEADS = ("Sở", "UBND", "Ban", "Ban Quản lý", "Trung tâm", "Cục", "Chi cục", "Công ty", "Tổng công ty",
               "Bộ", "Bộ Chỉ huy", "Đài", "Viện", "Bệnh viện", "Trường", "Kho bạc", "Bảo hiểm xã hội",
               "Ngân hàng", "Hội", "Hiệp hội", "Liên đoàn", "Tỉnh đoàn", "Thành đoàn", "Văn phòng", "Thanh tra", "Công an", "Phòng",
               "Quỹ", "BQL", "Cảng vụ", "Tập đoàn", "Đoàn thanh niên", "Đoàn Thanh niên Cộng sản", "Hội Liên hiệp", "Ủy ban Mặt trận",
               # the party's committees, which a province's text may ask for help ("Đề nghị Thường trực Huyện ủy X …")
               "Thường trực", "Tỉnh ủy", "Thành ủy", "Huyện ủy", "Thị ủy", "Quận ủy", "Đảng ủy",
               # "… yêu cầu cấp ủy, chính quyền địa phương …": the party committees, a body the list lacks
               "cấp ủy", "cấp ủy đảng")
BODY_HEADS = _BODY_HEADS
_FOLDED_HEADS = frozenset(name_tokens(h)[0] for h in _PLACE_HEADS + _BODY_HEADS) | {"quan", "tp", "tx", "thi"}
_UNIT_HEADS: tuple[tuple[tuple[str, ...], bool], ...] = tuple(sorted(
    [(name_tokens(h), True) for h in _PLACE_HEADS] + [(name_tokens(h), False) for h in _BODY_HEADS],
    key=lambda head: len(head[0]), reverse=True))
# Heads that are a whole name by themselves: "Tỉnh đoàn chủ trì …" (the province's youth union).
_WHOLE_HEADS = frozenset({("tinh", "doan"), ("thanh", "doan"), ("cap", "uy"), ("cap", "uy", "dang")})
_HEADS_BY_FIRST: dict[str, list[tuple[tuple[str, ...], bool]]] = defaultdict(list)
for _head in _UNIT_HEADS:
    _HEADS_BY_FIRST[_head[0][0]].append(_head)
# The first words of the heads as written: a word typed with other marks is another word ("Bố trí" is no "Bộ").
_DATELINE = re.compile(r"\s*[A-ZĐ]{2,}(?:\.(?:VN|vn|com|net)\b)?\s*[-–]\s")


def dateline_end(msg: Analysed) -> int:
    """The first token after a news agency's dateline that opens the message ("VOV.VN - …"), else 0."""
    m = _DATELINE.match(msg.text)
    if m is None and (m := _PLACE_DATELINE.match(msg.text)) is not None \
            and not all(w[0].isupper() for w in m.group(1).split()):
        m = None  # "Cà Mau - Chủ tịch UBND tỉnh …": a place's name in capitals, then a dash
    return msg.token_at_or_after(m.end()) if m else 0


_PLACE_DATELINE = re.compile(r"\s*((?:[^\W\d_][\w.]*[ \t]+){0,3}[^\W\d_][\w.]*)[ \t]*[-–][ \t]")

_HEAD_WORDS = frozenset(h.split()[0].lower() for h in _PLACE_HEADS + _BODY_HEADS) | {"uỷ"}  # "Uỷ ban", old style
# Words that end a name in the assignee position ("Sở Ngoại vụ chủ trì").
_ROLE_WORDS = frozenset({"chu", "phoi", "va", "voi", "cung", "thuc", "khan", "tham", "de", "giao", "lanh"})
# … but these begin a name's words: "Văn phòng Ban chỉ đạo an toàn giao thông tỉnh"
_NOT_ROLES = frozenset({("giao", "thong"), ("giao", "duc"), ("thuc", "pham")})


def _role_at(msg: Analysed, k: int) -> bool:
    # "Ban Tuyên giáo và Dân vận Thành ủy": "giáo" after "Tuyên" is part of the name, not the verb "giao"
    return msg.tokens[k].text in _ROLE_WORDS and msg.words(k, k + 2) not in _NOT_ROLES \
        and not (k > 0 and msg.words(k - 1, k + 1) == ("tuyen", "giao"))


_CONNECTORS = frozenset({"va", "&", ","})
# After a bare "UBND huyện": words that say which one by what it has ("nơi có dự án", "có dịch", "liên quan", "sở tại")
_WHICH_PLACE = frozenset({"noi", "co", "lien", "so", "tren", "do", "nay", "xay", "dang", "bi"})
# The words a bare "UBND xã" may follow as the one told: an assignment verb's last word, "và", "với"
_TOLD_BEFORE = frozenset({"giao", "cau", "nghi", "dao", "va", "voi"})
# Separators a name may carry inside it or not: "Sở Văn hóa, Thể thao và Du lịch", "Kế hoạch - Đầu tư".
_INNER = frozenset({"va", "&", ","})
# What may follow a group's phrase: a qualifier that keeps it ("các sở, ban, ngành thuộc tỉnh"), or more
# kinds of bodies and "liên quan", which make the whole "whoever is concerned" ("các sở, ngành, đơn vị
# liên quan", "các sở, ngành, đoàn thể có liên quan").
_QUALIFIERS = (("truc", "thuoc", "ubnd", "tinh"), ("thuoc", "ubnd", "tinh"), ("thuoc", "tinh"), ("cap", "tinh"),
               ("cua", "tinh"), ("truc", "thuoc", "tinh"), ("truc", "thuoc"))
_BODY_KINDS = (("don", "vi"), ("co", "quan"), ("doan", "the"), ("dia", "phuong"), ("to", "chuc"))
_RELATED = (("co", "lien", "quan"), ("lien", "quan"))
_PLACE_KINDS = (("quan",), ("huyen",), ("thi", "xa"), ("thanh", "pho"), ("tp",), ("xa",), ("phuong",), ("thi", "tran"),
                ("dac", "khu"))
_COMMUNE_KINDS = (("xa",), ("phuong",), ("thi", "tran"), ("dac", "khu"))  # the communes' level since 1 July 2025
# Words that begin like a body's name but are none: "Trường hợp vượt thẩm quyền", "Phòng ngừa …", "Hội nghị".
_NOT_NAMES = frozenset({("truong", "hop"), ("phong", "ngua"), ("phong", "chong"), ("hoi", "nghi"), ("hoi", "thao"),
                        ("ban", "hanh"), ("ban", "giao"), ("quy", "dinh"), ("quy", "trinh"), ("cong", "tac"),
                        # "Ban Chỉ huy Phòng thủ dân sự - Phòng, chống thiên tai …": the committee's field, no new body
                        ("phong", "thu"), ("phong", ",")})
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_UPPER_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]*(?![\w-])")


@dataclass(frozen=True, slots=True)
class Mention:
    """A unit, group or unit-like name found at tokens[first:last] of a message."""

    kind: MentionKind
    code: str | None
    first: int
    last: int
    text: str


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]  # without the separators a name may or may not carry (_INNER)
    kind: MentionKind
    code: str | None


def _sector_names(units: list[Unit]) -> list[tuple[tuple[str, ...], str]]:
    """A department named by its sector ("ngành Nông nghiệp chỉ đạo …", "ngành Y tế", "ngành Giáo dục và Đào tạo"):
    "ngành" and the words after "Sở" of its name or alias, or their first two words when no other department's
    begin so."""
    full: list[tuple[tuple[str, ...], str]] = []
    short: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for u in units:
        if u.kind != "department":
            continue
        for name in (u.name, *u.aliases):
            words = name_tokens(name)
            if len(words) < 3 or words[0] != "so":
                continue
            full.append((("nganh", *words[1:]), u.code))
            short[("nganh", *words[1:3])].add(u.code)
    return full + [(words, next(iter(codes))) for words, codes in short.items() if len(codes) == 1]


# Capitalised words after a group that begin a new name or a sentence, not the name of a city in it.
_NOT_PLACE_NAMES = frozenset({"so", "ubnd", "ban", "cong", "bo", "trung", "chi", "cuc", "phong", "van", "thanh", "dai",
                              "hoi", "doan", "uy", "kho", "bao", "ngan", "vien", "benh", "truong", "quy", "lien"})
_DEPARTMENTS_IN_LAW = ("các cơ quan chuyên môn thuộc UBND tỉnh", "các cơ quan chuyên môn của UBND tỉnh",
                       "các cơ quan chuyên môn cấp tỉnh", "các cơ quan chuyên môn", "các cơ quan chuyên môn thuộc tỉnh")


def _short_names(units: list[Unit]) -> dict[tuple[str, ...], str]:
    """A department's name cut before its first "và" or comma, where no other department's is cut the same: "Sở Giáo
    dục" for "Sở Giáo dục và Đào tạo", "Sở Văn hóa" for "Sở Văn hóa, Thể thao và Du lịch", as letters shorten them;
    a command's force for the command ("Bộ đội Biên phòng tỉnh")."""
    short: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for u in units:
        for name in (u.name, *u.aliases):
            words = name_tokens(name)
            cut = next((k for k, w in enumerate(words) if w in ("va", ",")), None)
            if words[:1] == ("so",) and cut is not None and cut >= 3:
                short[words[:cut]].add(u.code)
            force = words[3:-1] if words[-1:] == ("tinh",) else words[3:]
            if words[:3] == ("bo", "chi", "huy") and len(force) >= 3:
                # "Bộ đội Biên phòng (tỉnh)" for "Bộ Chỉ huy Bộ đội Biên phòng tỉnh": the force for its command
                short[force].add(u.code)
                short[(*force, "tinh")].add(u.code)
                if force[:2] == ("bo", "doi"):
                    short[("bo", "chi", "huy", *words[5:])].add(u.code)  # "Bộ Chỉ huy Biên phòng tỉnh"
            if words[:3] == ("bo", "chi", "huy") and words[-1:] == ("tinh",) and len(words) >= 5:
                short[("ban", *words[1:])].add(u.code)  # "Ban chỉ huy Bộ đội Biên phòng tỉnh": the command, misnamed
                short[("ban", *words[1:-1])].add(u.code)
                # "BCH Quân sự (tỉnh)": "BCH" is "Bộ Chỉ huy" before a force's name ("BCH PCTT và TKCN" is a committee's)
                short[("bch", *words[3:])].add(u.code)
                short[("bch", *words[3:-1])].add(u.code)
            head = 2 if words[:2] == ("chi", "cuc") else 1 if words[:1] == ("cuc",) else 0
            core = words[head:-1] if words[-1:] == ("tinh",) else words[head:]
            if head and len(core) >= 3:
                short[("luc", "luong", *core)].add(u.code)  # "Lực lượng Quản lý thị trường" for "Cục Quản lý thị trường"
    return {words: next(iter(codes)) for words, codes in short.items() if len(codes) == 1}


class UnitIndex:
    """Every way the unit list lets a message name a unit or group, ready to match."""

    def __init__(self, units: list[Unit], groups: list[UnitGroup]) -> None:
        self.units = {u.code: u for u in units}
        self.groups = {g.code: g for g in groups}
        self._codes_upper = {u.code.upper(): u.code for u in units}
        targets: dict[tuple[str, ...], set[tuple[MentionKind, str | None]]] = defaultdict(set)
        for phrase in _GENERIC:
            targets[name_tokens(phrase)].add(("generic", None))
        for phrase in _ISSUERS:
            targets[name_tokens(phrase)].add(("issuer", None))
        data_words: set[tuple[str, ...]] = set()
        self._fuzzy_groups: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        self._groups_after_cac = [(name_tokens(p)[1:], g.code) for g in groups for p in (g.name, *g.phrases)
                                  if name_tokens(p)[:1] == ("cac",) and len(name_tokens(p)) >= 4]
        # "Chủ tịch UBND huyện và Chủ tịch UBND xã, phường …": the committees' title without "các" (read only after a
        # title, and only when no name follows)
        self._groups_after_cac += [(("ubnd", *name_tokens(p)[2:]), g.code) for g in groups for p in (g.name, *g.phrases)
                                   if name_tokens(p)[:2] == ("ubnd", "cac") and len(name_tokens(p)) >= 3]
        bare: dict[tuple[str, ...], str] = {}
        for g in groups:
            own = {name_tokens(p) for p in (g.name, *g.phrases)}
            # the law's name for the departments: "các cơ quan chuyên môn thuộc UBND tỉnh"
            extra = _DEPARTMENTS_IN_LAW if name_tokens("các sở, ban, ngành") in own else ()
            phrases = [name_tokens(p) for p in (g.name, *g.phrases, *extra)]
            # "UBND các quận, huyện, thị xã" is also written without "UBND": "thành phố yêu cầu các quận, huyện, …"
            phrases += [w[1:] for w in phrases if w[:2] == ("ubnd", "cac") and "," in w and w[1:] not in own]
            for words in phrases:
                if words:
                    data_words.add(words)
                    targets[words].add(("group", g.code))
                    if words[:2] == ("ubnd", "cac") and "," in words:
                        targets[("ubnd", *words[2:])].add(("group", g.code))  # "UBND xã, phường" without "các"
                    if words[0] == "cac" and len(words) > 3 and words[2] == "," and words[1] in ("xa", "phuong", "huyen"):
                        bare.setdefault(words[:2], g.code)  # "Các xã ven biển …": the first kind of the group's list
                    if words[0] == "cac" and words[1] in ("dia", "xa", "phuong", "huyen", "quan"):
                        # "chính quyền (các) địa phương", "chính quyền các xã, phường": the local committees
                        targets[("chinh", "quyen", *words)].add(("group", g.code))
                        if words[1:] == ("dia", "phuong"):
                            targets[("chinh", "quyen", *words[1:])].add(("group", g.code))
                            # "Chính quyền sở tại phối hợp …": the local government where it happens (asked)
                            targets[("chinh", "quyen", "so", "tai")].add(("group", g.code))
                    core = tuple(w for w in words if w not in _CONNECTORS)
                    if len(core) >= 3:
                        self._fuzzy_groups[core[0]].append((core, g.code))
        for words, group_code in bare.items():
            if words not in targets:
                targets[words].add(("group", group_code))
            if ("chinh", "quyen", *words) not in targets:
                targets[("chinh", "quyen", *words)].add(("group", group_code))  # "chính quyền các xã": their committees
        self._fuzzy: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for u in units:
            for name in (u.name, *u.aliases):
                words = name_tokens(name)
                if not words:
                    continue
                data_words.add(words)
                targets[words].add(("unit", u.code))
                core = tuple(w for w in words if w not in _CONNECTORS)
                if len(core) >= 2:
                    self._fuzzy[core[0]].append((core, u.code))
                if short := _acronym(name):
                    targets[short].add(("unit", u.code))  # "Ban QLCKCN" for "Ban Quản lý các KCN"
                if words[:1] == ("ubnd",) and any(words[1:1 + len(k)] == k for k in _PLACE_KINDS):
                    # "chính quyền huyện Lý Sơn": the local government of a place named is its committee
                    targets[("chinh", "quyen", *words[1:])].add(("unit", u.code))
                elif u.kind in ("district", "commune") and any(words[:len(k)] == k for k in _PLACE_KINDS):
                    # a place listed by its own name ("xã Đại Đình") is also written as its committee ("UBND xã Đại
                    # Đình …") when the list's full name says more ("UBND xã Đại Đình (Phú Thọ)")
                    targets[("ubnd", *words)].add(("unit", u.code))
                if len(core) >= 2 and core[-1] == "tinh":
                    # "Công an thành phố", "Bộ Chỉ huy Quân sự thành phố": a city run by the centre says "thành phố"
                    targets[(*words[:-1], "thanh", "pho")].add(("unit", u.code))
                if len(core) >= 4 and core[-1] == "tinh":
                    # "Cục Quản lý thị trường Đồng Nai": the province's own name stands where "tỉnh" was
                    targets[words[:-1]].add(("unit", u.code))
        for words, short_code in _short_names(units).items():
            if words not in targets:
                targets[words].add(("unit", short_code))
        for words, sector in _sector_names(units):
            if words not in targets:
                targets[words].add(("unit", sector))
        self._exact: dict[str, list[_Entry]] = defaultdict(list)
        by_core: dict[tuple[str, ...], set[tuple[MentionKind, str | None]]] = defaultdict(set)
        core_data: set[tuple[str, ...]] = set()
        for words, found in targets.items():
            core = _core(words)
            if words in data_words:  # the unit list outranks built-in phrases
                found = {t for t in found if t[0] in ("unit", "group")}
                if core not in core_data:
                    by_core[core] = set()
                core_data.add(core)
            elif core in core_data:
                continue
            by_core[core] |= found
        for core, found in by_core.items():
            kind, code = next(iter(found)) if len(found) == 1 else ("unknown", None)
            self._exact[core[0]].append(_Entry(core, kind, code))
        for entries in self._exact.values():
            entries.sort(key=lambda e: len(e.words), reverse=True)
        self._choices = {f"{fold(n)}\x00{u.code}": u.code for u in units for n in (u.name, *u.aliases)}
        self._places_cache: tuple[Analysed | None, dict[tuple[str, ...], set[str]]] = (None, {})
        self._provincial: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for u in units:
            for name in (u.name, *u.aliases):
                words = name_tokens(name)
                if len(words) >= 3 and words[-1] == "tinh":
                    self._provincial[words[0]].append((words[:-1], u.code))
        for entries_ in self._provincial.values():
            entries_.sort(key=lambda e: len(e[0]), reverse=True)

    # -- matching in a message ------------------------------------------------------------------

    def match_at(self, msg: Analysed, i: int, *, unknown: bool = False,
                 prefix: tuple[str, ...] = ()) -> Mention | None:
        """The unit or group named at token i, if any; with `unknown`, also a unit-like name. With a
        `prefix`, the name may leave out those first words ("các Sở: Tài chính, Xây dựng")."""
        if i >= len(msg.tokens):
            return None
        if prefix:
            return self._exact_at(msg, i, prefix)
        exact = self._code_at(msg, i) or self._exact_at(msg, i) or self._counted_group_at(msg, i) or self._each_at(msg, i)
        if exact and exact.kind == "group":
            longer = self._typo_in(msg, i, self._fuzzy_groups, "group")
            exact = longer if longer and longer.last > exact.last else exact
        if exact and exact.kind in ("group", "generic"):
            return self._with_tail(msg, exact)
        if exact and exact.kind == "issuer" and exact.last - exact.first > 2:
            # "Chủ tịch UBND thành phố Cẩm Phả": the issuer's words begin a longer name, of a unit in the list
            for k in range(exact.first + 1, exact.last):
                inner = self._exact_at(msg, k)
                if inner is not None and inner.kind == "unit" and inner.last > exact.last:
                    return None
        if exact and exact.kind == "issuer" and unknown and any(
                len(head) > exact.last - exact.first and msg.words(i, i + len(head)) == head
                for head, _ in _HEADS_BY_FIRST.get(msg.tokens[i].text, ())):
            return self._unknown_at(msg, i)  # "Tỉnh đoàn …" is a body's name, not the issuer "Tỉnh" and a word
        return exact or self._typo_at(msg, i) or self._provinces_own(msg, i) or self._the_one_named(msg, i) or (
            self._unknown_at(msg, i) if unknown else None)

    def _provinces_own(self, msg: Analysed, i: int) -> Mention | None:
        """"Công an Bình Thuận", "Bộ Chỉ huy Quân sự Quảng Nam": a provincial body ("… tỉnh") named with the province's
        name where "tỉnh" was; the name's words are part of the mention."""
        if not msg.has_capitals:
            return None
        for words, code in self._provincial.get(msg.tokens[i].text, ()):
            end = _words_at(msg.tokens, i, words)
            if end is None or end >= len(msg.tokens) or not msg.tokens[end].is_word \
                    or not msg.original_token(end)[0].isupper() or any(msg.words(end, end + len(k)) == k
                                                                        for k in _PLACE_KINDS) or _starts_head(msg, end):
                continue
            last = end
            while last < len(msg.tokens) and last - end < 4 and msg.tokens[last].is_word \
                    and msg.original_token(last)[0].isupper() and not _starts_head(msg, last):
                last += 1
            return self._mention(msg, "unit", code, i, last)
        return None

    def _the_one_named(self, msg: Analysed, i: int) -> Mention | None:
        """"UBND xã cần tiếp tục …" with no name after it: the one commune (district, ward …) of that kind the message
        names elsewhere ("… dự án thuộc xã Châu Thới …"); None when it names none or several."""
        if msg.texts[i] != "ubnd" or not msg.has_capitals:
            return None
        if i > 0 and msg.tokens[i - 1].is_word and msg.texts[i - 1] not in _TOLD_BEFORE:
            return None  # "Chủ tịch UBND huyện giao:", "Tổ công tác của UBND huyện": the issuer's own committee
        kind = next((k for k in _PLACE_KINDS if msg.words(i + 1, i + 1 + len(k)) == k), None)
        if kind is None:
            return None
        after = i + 1 + len(kind)
        if after < len(msg.tokens) and msg.tokens[after].is_word and (
                msg.original_token(after)[0].isupper() or msg.texts[after] in _WHICH_PLACE):
            return None  # "UBND huyện có dịch", "UBND xã nơi có dự án": which one, the text does not say
        codes = self._places_named(msg).get(kind, set())
        return self._mention(msg, "unit", next(iter(codes)), i, after) if len(codes) == 1 else None

    def places_named(self, msg: Analysed) -> dict[tuple[str, ...], set[str]]:
        return self._places_named(msg)

    def place_named_before(self, msg: Analysed, code: str, last: int) -> bool:
        """The unit `code` is named as a place ("xã Đam Rông 4", "phường X") before token `last`."""
        for k in range(min(last, len(msg.tokens))):
            if any(msg.words(k, k + len(p)) == p for p in _PLACE_KINDS):
                m = self._exact_at(msg, k) or self._exact_at(msg, k, prefix=("ubnd",))
                if m is not None and m.code == code and m.last <= last:
                    return True
        return False

    def _places_named(self, msg: Analysed) -> dict[tuple[str, ...], set[str]]:
        """The units each kind of place word names in the message ("xã Châu Thới" under ("xa",))."""
        cached_msg, cached = self._places_cache  # one read: an index may serve parses in several threads
        if cached_msg is msg:
            return cached
        named: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for k in range(len(msg.tokens)):
            kind = next((p for p in _PLACE_KINDS if msg.words(k, k + len(p)) == p), None)
            if kind is None or k + len(kind) >= len(msg.tokens) or not msg.original_token(k + len(kind))[0].isupper():
                continue
            m = self._exact_at(msg, k) or self._exact_at(msg, k, prefix=("ubnd",))  # "phường X" of "UBND phường X"
            if m is not None and m.kind == "unit" and m.code is not None:
                named[kind].add(m.code)
            else:  # a place the list lacks ("phường Bồng Sơn") is a candidate too: then none is sure
                end = k + len(kind)
                while end < len(msg.tokens) and msg.tokens[end].is_word and msg.original_token(end)[0].isupper():
                    end += 1
                named[kind].add(" ".join(msg.texts[k:end]))
        self._places_cache = (msg, named)
        return named

    def group_without_cac(self, msg: Analysed, i: int) -> Mention | None:
        """A group's phrase written without its "các" after a title ("thủ trưởng sở, ban, ngành"): the longest."""
        best: tuple[int, str] | None = None
        for words, code in self._groups_after_cac:
            if msg.texts[i:i + len(words)] == words and (best is None or len(words) > best[0]):
                after = i + len(words)
                if words[0] == "ubnd" and (after >= len(msg.tokens) or msg.tokens[after].text not in (",", "va", ";")):
                    continue  # "UBND huyện An Lão": one district named; "Chủ tịch UBND huyện giao:": the district speaks
                best = (len(words), code)
        return self._with_tail(msg, self._mention(msg, "group", best[1], i, i + best[0])) if best else None

    def find_all(self, msg: Analysed, first: int = 0, last: int | None = None, *,
                 unknown: bool = False) -> list[Mention]:
        """Every unit and group named in tokens[first:last], with `unknown` also unit-like names."""
        last = len(msg.tokens) if last is None else last
        found, i = [], first
        while i < last:
            m = self.match_at(msg, i, unknown=unknown)
            if m and m.last <= last:
                if m.kind in ("unit", "group", "unknown"):
                    found.append(m)
                i = m.last
            else:
                i += 1
        return found

    def _with_tail(self, msg: Analysed, m: Mention) -> Mention:
        """A group or generic phrase with what may follow it (_QUALIFIERS, _BODY_KINDS, _RELATED)."""
        for q in _QUALIFIERS:
            if msg.words(m.last, m.last + len(q)) == q:
                end = m.last + len(q)
                related = next((r for r in _RELATED if msg.words(end, end + len(r)) == r), None)
                if related and m.kind == "group":  # "các sở, ngành cấp tỉnh có liên quan": only those concerned
                    return self._mention(msg, "generic", None, m.first, end + len(related))
                return self._mention(msg, m.kind, m.code, m.first, end)
        if m.kind == "group" and msg.has_capitals and msg.words(m.last - 2, m.last) in (("thanh", "pho"), ("thi", "xa")):
            # "UBND các huyện, thị xã và thành phố Huế": the one city the group's last word names is one of its members
            j = m.last
            while j < len(msg.tokens) and j - m.last < 4 and msg.tokens[j].is_word \
                    and msg.original_token(j)[0].isupper() and msg.tokens[j].text not in _NOT_PLACE_NAMES:
                j += 1
            if j > m.last:
                return self._mention(msg, m.kind, m.code, m.first, j)
        if m.kind == "group" and m.last < len(msg.tokens) and msg.original_token(m.last).lower() == "khác":
            m = self._mention(msg, m.kind, m.code, m.first, m.last + 1)  # "huyện X và các địa phương khác": the others
        if m.kind == "group" and m.last < len(msg.tokens) and msg.original_token(m.last).lower() == "khác":
            m = self._mention(msg, m.kind, m.code, m.first, m.last + 1)  # "huyện X và các địa phương khác": the others
        if m.kind == "group":
            # "UBND các xã, phường, đặc khu" with a group that says "các xã, phường": the other kinds of commune
            # belong to it (since 1 July 2025), unless a name follows ("…, đặc khu Cồn Cỏ" is that one zone)
            j = self._more_kinds(msg, m.last, _COMMUNE_KINDS)
            if j > m.last:
                m = self._mention(msg, m.kind, m.code, m.first, j)
        j, kinds = m.last, 0
        while j < len(msg.tokens) and kinds < 4:
            if kinds == 0 and msg.tokens[j].text == "va" and self._others_concerned(msg, j + 1):
                break  # "các sở, ngành, địa phương và đơn vị liên quan": the group, and whoever else is concerned
            k = j + 1 if msg.tokens[j].text in (",", "va") else j
            kind = next((b for b in _BODY_KINDS if msg.words(k, k + len(b)) == b), None)
            if kind is None:
                break
            j, kinds = k + len(kind), kinds + 1
        related = next((r for r in _RELATED if msg.words(j, j + len(r)) == r), None)
        if kinds and related:
            return self._mention(msg, "generic", None, m.first, j + len(related))
        if kinds and m.kind == "group" and m.last < len(msg.tokens) and msg.tokens[m.last].text == "," \
                and (j >= len(msg.tokens) or msg.tokens[j].text in (";", ":")):
            return self._mention(msg, m.kind, m.code, m.first, j)  # "các sở, ban, ngành, đoàn thể; …": the group's kinds
        return m

    @staticmethod
    def _others_concerned(msg: Analysed, j: int) -> bool:
        """"(các) (cơ quan,) đơn vị (có) liên quan" from token j, and no locality among them ("… và đơn vị, địa phương
        liên quan" leaves out places the group does not hold: the whole is whoever is concerned)."""
        j += msg.words(j, j + 1) == ("cac",)
        for kind in (("co", "quan", ",", "don", "vi"), ("co", "quan", "don", "vi"), ("don", "vi"), ("co", "quan")):
            if msg.words(j, j + len(kind)) == kind:
                j += len(kind)
                return any(msg.words(j, j + len(r)) == r for r in _RELATED)
        return False

    def _mention(self, msg: Analysed, kind: MentionKind, code: str | None, first: int, last: int) -> Mention:
        return Mention(kind, code, first, last, msg.original(first, last))

    def _code_at(self, msg: Analysed, i: int) -> Mention | None:
        tok = msg.tokens[i]
        if tok.text == "@":
            m = _CODE.match(msg.text, tok.end)
            if not m:
                return None
            last = msg.token_at_or_after(m.end())
            code = self._codes_upper.get(m.group().upper())
            return self._mention(msg, "unit" if code else "unknown", code, i, last)
        m = _UPPER_CODE.match(msg.text, tok.start)
        if m and len(m.group()) >= 3 and m.group() in self._codes_upper:
            return self._mention(msg, "unit", self._codes_upper[m.group()], i, msg.token_at_or_after(m.end()))
        return None

    def _exact_at(self, msg: Analysed, i: int, prefix: tuple[str, ...] = ()) -> Mention | None:
        first = prefix[0] if prefix else msg.tokens[i].text
        tokens = msg.tokens
        for entry in self._exact.get(first, ()):
            if entry.words[: len(prefix)] != prefix or len(entry.words) == len(prefix):
                continue
            end = _words_at(tokens, i, entry.words[len(prefix):])
            if end is not None and not prefix and entry.kind == "unit" and len(entry.words) <= 3 \
                    and entry.words[0] not in _FOLDED_HEADS and msg.has_capitals and msg.original_token(i)[:1].islower():
                continue  # "… như: đất đai, tư pháp, hộ tịch": a field in small letters, not the department "Tư pháp"
            if end is not None:
                return self._mention(msg, entry.kind, entry.code, i, end)
        return None

    def _each_at(self, msg: Analysed, i: int) -> Mention | None:
        """"từng ngành, từng địa phương": every one of a group's kinds, as "các ngành, địa phương" says."""
        if msg.texts[i] != "tung":
            return None
        words, ends, j = ["cac"], [], i + 1
        while j < len(msg.tokens) and len(words) < 8:
            text = msg.texts[j]
            if text == "tung" or text in _INNER:
                j += 1
                continue
            if not msg.tokens[j].is_word:
                break
            words.append(text)
            j += 1
            ends.append((tuple(words), j))
        for entry in self._exact.get("cac", ()):
            if entry.kind == "group":
                for said, end in reversed(ends):
                    if said == entry.words and end - i > 3:
                        return self._mention(msg, "group", entry.code, i, end)
        return None

    def _counted_group_at(self, msg: Analysed, i: int) -> Mention | None:
        """A group's "các" written as a count after "UBND": "chủ tịch UBND 168 phường, xã, đặc khu" (a count without
        "UBND", "4 địa phương nói trên", rather tells of some of them)."""
        tokens = msg.tokens
        bare = i + 1 < len(tokens) and tokens[i].text.isdigit() and len(tokens[i].text) <= 3
        if not bare and (i + 2 >= len(tokens) or tokens[i].text != "ubnd" or not tokens[i + 1].text.isdigit()):
            return None
        for entry in self._exact.get("ubnd", ()):
            want = entry.words[2:]
            if entry.kind != "group" or entry.words[1:2] != ("cac",) or not want:
                continue
            if bare and (want[:1] not in _PLACE_KINDS and want[:2] not in _PLACE_KINDS or len(want) < 3):
                continue  # "10 huyện, thành phố": every level's kinds counted; "4 địa phương nói trên" are some of them
            end = _words_at(tokens, i + 1 if bare else i + 2, want)
            if bare and end is not None and end < len(tokens) and tokens[end].is_word \
                    and msg.original_token(end)[0].isupper():
                continue  # "3 huyện, thị xã Ba Đồn": one named
            if end is not None:
                return self._mention(msg, "group", entry.code, i, end)
        return None

    def _typo_at(self, msg: Analysed, i: int) -> Mention | None:
        """A name with a slip of the keyboard: same words, at most one edit in a long word and two in
        all, and no other unit as close. Short words must match exactly, which keeps near neighbours
        such as "Thuận An" and "Thuận Hóa" apart."""
        return self._typo_in(msg, i, self._fuzzy, "unit") or self._typo_in(msg, i, self._fuzzy_groups, "group")

    def _typo_in(self, msg: Analysed, i: int, table: dict[str, list[tuple[tuple[str, ...], str]]],
                 kind: MentionKind) -> Mention | None:
        best: dict[str, tuple[int, int]] = {}
        for core, code in table.get(msg.tokens[i].text, ()):
            found = _align(msg, i, core)
            if found is None:
                continue
            # a unit's closest spelling wins; a group's longest phrase ("các sở, ngành tnh" is "… tỉnh")
            key = (found[0], -found[1]) if kind == "unit" else (-found[1], found[0])
            if code not in best or key < ((best[code][0], -best[code][1]) if kind == "unit"
                                          else (-best[code][1], best[code][0])):
                best[code] = found
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda kv: kv[1][0])
        if len(ranked) > 1 and ranked[1][1][0] == ranked[0][1][0]:
            return None
        code, (edits, last) = ranked[0]
        if kind == "unit" and last - i <= 3 and msg.texts[i] not in _FOLDED_HEADS and msg.has_capitals \
                and msg.original_token(i)[:1].islower():
            return None  # a field in small letters ("như: đất đai, tư pháp, hộ tịch"), not the department "Tư pháp"
        return self._mention(msg, kind, code, i, last)

    def _unknown_at(self, msg: Analysed, i: int) -> Mention | None:
        if msg.words(i, i + 2) in _NOT_NAMES:
            return None
        written = msg.original_token(i).lower()
        if written != msg.tokens[i].text and written not in _HEAD_WORDS:
            return None  # typed with marks that no head has
        for head, place in _HEADS_BY_FIRST.get(msg.tokens[i].text, ()):
            if msg.words(i, i + len(head)) == head:
                last = _name_end(msg, i + len(head), place)
                if msg.words(last - 1, last + 3) == ("cap", ",", "thoat", "nuoc"):
                    last += 3  # "Công ty cổ phần Cấp, thoát nước Phú Yên": one trade, its comma inside the name
                    while last < len(msg.tokens) and msg.tokens[last].is_word and msg.original_token(last)[0].isupper() \
                            and not _starts_head(msg, last):
                        last += 1
                elif msg.words(last - 1, last + 2) == ("phong", ",", "chong") and msg.original_token(last - 1) == "Phòng":
                    # "Quỹ Phòng, chống thiên tai tỉnh": one field, its comma inside the name
                    last = _name_end(msg, last + 2, place) if last + 3 < len(msg.tokens) else last
                    k = last
                    while k < len(msg.tokens) and k - last < 4 and msg.tokens[k].is_word and not _role_at(msg, k) \
                            and msg.texts[k] not in _ROLE_WORDS and msg.original_token(k).islower():
                        k += 1
                    if msg.words(k - 1, k) == ("tinh",):
                        last = k
                    if msg.words(last - 1, last) == ("tinh",):
                        while last < len(msg.tokens) and msg.tokens[last].is_word \
                                and msg.original_token(last)[0].isupper() and not _starts_head(msg, last):
                            last += 1  # "… tỉnh Bình Định": the province's name closes it
                if head[0] == "ban" and msg.words(i + 1, i + 3) in _COMMITTEES:
                    last = max(last, _committee_end(msg, i + 3) or last)
                if last > i + len(head) and "cac" in msg.words(i, last):
                    last = self._more_kinds(msg, last)  # "UBND các quận, huyện, thị xã": one list of kinds
                whole = last > i + len(head) or head in _WHOLE_HEADS
                return self._mention(msg, "unknown", None, i, last) if whole else None
        original = msg.original_token(i)
        if len(original) >= 2 and original.isupper() and original.isalpha():
            if i < dateline_end(msg):
                return None  # "VOV.VN - Phó Chủ tịch …", "TTXVN - …": the news agency, not a body told anything
            last = i + 1  # "CDC Bình Thuận", "TTGT tỉnh": the acronym and the province it serves
            if last < len(msg.tokens) and msg.tokens[last].text == "tinh" and msg.original_token(last).lower() == "tỉnh":
                if last + 1 < len(msg.tokens) and msg.tokens[last + 1].is_word \
                        and msg.original_token(last + 1)[0].isupper():
                    return None  # "UBDN tỉnh Tuyên Quang": the issuer mistyped, not a body told anything
                last += 1
            else:
                while last < len(msg.tokens) and last - i <= 3 and msg.tokens[last].is_word \
                        and msg.original_token(last)[0].isupper() and msg.original_token(last)[1:].islower() \
                        and not _starts_head(msg, last):
                    last += 1
                last = last if last - i >= 3 else i + 1  # a place's name is two words at least
            return self._mention(msg, "unknown", None, i, last)
        return None

    @staticmethod
    def _more_kinds(msg: Analysed, last: int, kinds: tuple[tuple[str, ...], ...] = _PLACE_KINDS) -> int:
        """The end of "các quận, huyện, thị xã" once "các quận" is read: the local governments' kinds (of
        `kinds`) a list of them goes on with (not "…, huyện Đông Anh", one named district)."""
        if not any(msg.words(last - len(w), last) == w for w in kinds):
            return last
        j = last
        while j < len(msg.tokens) and msg.tokens[j].text in (",", "va"):
            kind = next((w for w in kinds if msg.words(j + 1, j + 1 + len(w)) == w), None)
            after = j + 1 + len(kind) if kind else j
            if kind is None or (after < len(msg.tokens) and msg.tokens[after].is_word
                                and msg.original_token(after)[0].isupper()):
                break
            j = after
        return j

    # -- lookups by name ------------------------------------------------------------------------

    def resolve(self, name: str) -> str | None:
        """The unit code (or `#group`) a whole name means, or None."""
        msg = Analysed.of(name)
        m = self.match_at(msg, 0)
        if m is None or m.last != len(msg.tokens):
            return None
        if m.kind == "unit":
            return m.code
        return f"#{m.code}" if m.kind == "group" else None

    def suggest(self, name: str, limit: int = 3) -> list[Unit]:
        """The units whose names or aliases come closest to `name`, best first."""
        if limit <= 0 or not fold(name):
            return []
        ranked = process.extract(fold(name), list(self._choices), scorer=fuzz.WRatio,
                                 processor=lambda s: s.split("\x00")[0], limit=None, score_cutoff=50)
        codes: list[str] = []
        for choice, _, _ in ranked:
            code = self._choices[choice]
            if code not in codes:
                codes.append(code)
        return [self.units[c] for c in codes[:limit]]

    def within_one(self, words: tuple[str, ...]) -> str | None:
        """The one unit whose name holds `words` in a row ("Quân sự" in "Bộ Chỉ huy Quân sự tỉnh"), if only
        one does."""
        if not words:
            return None
        found = set()
        for u in self.units.values():
            for name in (u.name, *u.aliases):
                have = name_tokens(name)
                if any(have[k:k + len(words)] == words for k in range(len(have) - len(words) + 1)):
                    found.add(u.code)
        return found.pop() if len(found) == 1 else None

    def expand(self, refs: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Unit codes of `refs`, with each `#group` replaced by its members, without repeats."""
        out: list[str] = []
        for ref in refs:
            members = self.groups[ref[1:]].members if ref.startswith("#") and ref[1:] in self.groups else (ref,)
            out.extend(c for c in members if c not in out and not c.startswith("#"))
        return tuple(out)


_ACRONYM_HEADS = (("trung", "tam"), ("chi", "cuc"), ("so",), ("ban",), ("cuc",))


def _acronym(name: str) -> tuple[str, ...] | None:
    """A body's name with the words after its head cut to their first letters, as documents shorten
    them ("Ban Quản lý các KCN" → "Ban QLCKCN", "Sở Văn hóa, Thể thao và Du lịch" → "Sở VHTTDL"): "và"
    is left out, a word already in capitals kept whole, a final "tỉnh" dropped."""
    words = [w for w in re.split(r"[\s,&-]+", clean_text(name)) if w]
    folded = [fold(w) for w in words]
    head = next((h for h in _ACRONYM_HEADS if tuple(folded[: len(h)]) == h), None)
    if head is None:
        return None
    rest = words[len(head):]
    if rest and fold(rest[-1]) == "tinh":
        rest = rest[:-1]
    letters = "".join(fold(w) if w.isupper() else fold(w)[0] for w in rest if fold(w) != "va")
    return (*head, letters) if len(letters) >= 4 and letters.isalnum() else None


def _core(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for k, w in enumerate(words) if k == 0 or w not in _INNER)


def _align(msg: Analysed, i: int, core: tuple[str, ...]) -> tuple[int, int] | None:
    """Edits and end token when the words from i spell `core` up to small typos, else None."""
    edits, j = 0, i
    for want in core:
        while j < len(msg.tokens) and msg.tokens[j].text in _CONNECTORS:
            j += 1
        if j >= len(msg.tokens) or not msg.tokens[j].is_word:
            return None
        got = msg.tokens[j].text
        if got != want:
            if len(want) < 4:
                return None
            if want in ("tinh", "thanh") and msg.has_capitals and msg.original_token(j)[0].isupper():
                return None  # "Công an Bình Thuận": a province's name where "tỉnh" was, no slip of "Công an tỉnh"
            d = Levenshtein.distance(got, want, score_cutoff=1)
            if d > 1:
                return None
            edits += d
        j += 1
    return (edits, j) if edits <= 2 else None


def _starts_head(msg: Analysed, i: int) -> bool:
    if msg.words(i, i + 2) in _NOT_NAMES:
        return False
    if i > 0 and msg.texts[i] == "bo" and msg.texts[i - 1] in ("bac", "trung", "nam"):
        return False  # "Đài Khí tượng Thủy văn Bắc Bộ": the region, no ministry ("Bộ …")
    heads = _HEADS_BY_FIRST.get(msg.tokens[i].text, ()) if i < len(msg.tokens) else ()
    if heads and msg.original_token(i).lower() not in _HEAD_WORDS and msg.text.lower() != msg.folded:
        return False  # typed with other marks than any head's: "Quy Nhơn" is no "Quỹ" (unless the text has no marks)
    return any(msg.words(i, i + len(head)) == head for head, _ in heads)


def _name_end(msg: Analysed, j: int, place: bool) -> int:
    """Where a unit-like name whose head ends at j stops. Vietnamese names capitalise the first
    syllable of each part ("Sở Ngoại vụ", "UBND phường Thuận Lộc"); without capitals, two words."""
    tokens = msg.tokens
    if not msg.has_capitals:
        end = j
        while end < len(tokens) and end - j < 2 and tokens[end].is_word and tokens[end].text not in _ROLE_WORDS:
            end += 1
        return end

    def capital(k: int) -> bool:
        return k < len(tokens) and tokens[k].is_word and (
            msg.original_token(k)[0].isupper() or msg.original_token(k).isdigit())

    if not capital(j):
        return _lower_case_name_end(msg, j) if not place else j
    def titled(k: int) -> bool:
        written = msg.original_token(k)
        return written[0].isupper() and written[1:].islower()

    # a run of two or more title-case words is a place's name ("Vận tải Thái Nguyên"): a lower-case word goes on it
    # only before another capital ("Công ty Cổ phần Hoa Anh đào Trần Lệ")
    end, after_capital, run = j + 1, True, int(titled(j))
    while end < len(tokens):
        word = tokens[end].text
        if capital(end) and not _starts_head(msg, end):
            run = run + 1 if titled(end) else 0
            end, after_capital = end + 1, True
        elif after_capital and (run < 2 or capital(end + 1)) and not place and tokens[end].is_word and not _role_at(msg, end) \
                and not capital(end) \
                and msg.original(end, min(len(tokens), end + 2)).lower() not in _DIRECTING \
                and not (msg.original_token(end) == "có" and end + 1 < len(tokens) and tokens[end + 1].text.isdigit()) \
                and msg.original_token(end).lower() != "về":  # "… Bệnh viện Quân y 13 về tăng cường …": the subject follows
            end, after_capital, run = end + 1, False, 0
            if end + 1 < len(tokens) and tokens[end].is_word and tokens[end].text not in _ROLE_WORDS \
                    and not capital(end) and capital(end + 1) and not _starts_head(msg, end + 1):
                end, after_capital = end + 1, False  # "Ban Quản lý Vườn quốc gia Tà Đùng": two such words
        elif word in ("va", "&") and capital(end + 1) and not _starts_head(msg, end + 1):
            end += 1
        else:
            break
    if end < len(tokens) and tokens[end].text == "tinh":
        end += 1
        if msg.words(end, end + 1) == ("uy",):
            return end + 1  # "Ban Tuyên giáo và Dân vận Tỉnh ủy": the party's committee closes it
    elif not place and msg.words(end, end + 2) == ("thanh", "pho") and not capital(end) and not capital(end + 2):
        end += 2  # "Ban Chỉ đạo thành phố": a city's own body, as "… tỉnh" is a province's
    elif not place:
        tail = _lower_case_name_end(msg, end)
        if tail > end and tokens[tail - 1].text == "tinh":
            end = tail  # "Hiệp hội Vận tải ô tô tỉnh"
    if tokens[end - 1].text == "tinh":
        while capital(end) and not _starts_head(msg, end) and end - j < 16:
            end += 1  # "Trung tâm Phát triển quỹ đất tỉnh Bình Định": the province's name ends it
    elif not place:
        # "Công ty TNHH MTV khai thác công trình thủy lợi, UBND …", "Công ty Khai thác công trình thủy lợi, Công ty Cấp
        # thoát nước, …": a company's trade, or a name in a list of bodies, runs in lower case to the comma
        k = end
        while k < len(tokens) and k - end < 8 and tokens[k].is_word and not _role_at(msg, k):
            k += 1
        if k > end and k + 1 < len(tokens) and tokens[k].text in (",", ";") and (
                any(tokens[t].text in _LEGAL_FORMS for t in range(j, end)) or _starts_head(msg, k + 1)):
            end = k
        elif k > end and k + 1 < len(tokens) and msg.words(k, k + 2) in (("va", "cac"), (",", "cac")):
            end = k  # "Chi cục An toàn vệ sinh thực phẩm và các địa phương": the name runs to the list's next part
        elif (place_at := next((p for p in range(end + 1, min(k, end + 5)) if capital(p)), None)) is not None \
                and titled(place_at) and capital(place_at + 1) and not _starts_head(msg, place_at) \
                and not _starts_head(msg, place_at + 1) \
                and not any(msg.words(p, p + 2) in _TASK_VERBS for p in range(end, place_at)):
            end = place_at + 2  # "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn Bến Tre": a place's name closes it
            while capital(end) and not _starts_head(msg, end) and end - j < 16:
                end += 1
    return end


# A body directing another ("Công ty Cổ phần Muối X chỉ đạo Xí nghiệp Y …"): the verb ends the name, in lower case
# after a capital as no syllable of a body's name is written; so does "có" before a number ("Công ty X có 69 cửa hàng").
_DIRECTING = frozenset({"chỉ đạo", "yêu cầu", "đề nghị", "báo cáo"})


# A company's legal form after "Công ty": the trade that follows may be written in lower case.
_LEGAL_FORMS = frozenset({"tnhh", "mtv", "cp"})


# "Ban Chỉ đạo …", "Ban Chỉ huy …", "Ban quản lý dự án thủy lợi và phòng chống thiên tai tỉnh …": long names, «và» inside
_COMMITTEES = frozenset({("chi", "dao"), ("chi", "huy"), ("quan", "ly")})
# "Công ty Điện lực rà soát lưới điện Phú Vang": a task's verb is no part of a body's name
_TASK_VERBS = frozenset({("ra", "soat"), ("kiem", "tra"), ("giam", "sat"), ("trien", "khai"), ("huong", "dan"), ("to", "chuc"),
                         ("xu", "ly"), ("theo", "doi"), ("bao", "cao"), ("thuc", "hien"), ("de", "xuat"), ("xay", "dung"),
                         ("tang", "cuong"), ("bo", "tri"), ("khac", "phuc"), ("hoan", "thanh"), ("cap", "nhat"),
                         ("tuyen", "truyen"), ("dam", "bao"), ("bao", "dam"), ("chuan", "bi")})
_COMMITTEE_TOKENS = 24


def _committee_end(msg: Analysed, j: int) -> int | None:
    """Where a steering or command committee's long name ends ("Ban Chỉ huy Phòng thủ dân sự - Phòng, chống thiên tai
    và Tìm kiếm cứu nạn tỉnh", "Ban chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn các cấp"): at the level that closes
    it, commas and «và» inside; None when no level comes before a stop or a word that begins the task."""
    tokens = msg.tokens
    for k in range(j, min(len(tokens), j + _COMMITTEE_TOKENS)):
        word = tokens[k].text
        if msg.words(k, k + 2) in _TASK_VERBS and msg.words(k, k + 2) != ("xay", "dung") \
                or msg.words(k, k + 2) in (("day", "nhanh"), ("tap", "trung"), ("chu", "dong")):
            # "Ban quản lý rừng phòng hộ An Lão tăng cường tuần tra …": the task begins, no level closed it ("đầu tư xây
            # dựng" is a project board's trade)
            return None
        if word == "tinh" and msg.original_token(k).lower() == "tỉnh":  # not "tình trạng", "tính"
            # "… tỉnh", or "… tỉnh Phú Yên": the province's name closes it too (not a body's head: "… tỉnh Sở X")
            end = k + 1
            while end < min(len(tokens), k + 5) and tokens[end].is_word and msg.original_token(end)[0].isupper() \
                    and not _starts_head(msg, end):
                end += 1
            return end
        if msg.words(k, k + 2) == ("cac", "cap"):
            return k + 2
        if word in (";", ".", ":", "!", "?") or (word != "va" and _role_at(msg, k)):
            return None
        if word in (",", "va") and k + 1 < len(tokens) and _starts_head(msg, k + 1):
            return k if k > j else None  # "Ban Chỉ đạo phòng, chống dịch bệnh, Sở Y tế, …": the list's next body
        if k > j and "-" in msg.text[tokens[k - 1].end:tokens[k].start] and _starts_head(msg, k):
            return k  # "Ban Quản lý dự án 85 - Bộ GTVT": the body it belongs to, after a dash
    return None


def _lower_case_name_end(msg: Analysed, j: int) -> int:
    """Where a name written in lower case after its head ends ("Trung tâm nghiên cứu giống cây trồng
    tỉnh", "BQL các dự án trọng điểm phát triển đô thị khẩn trương …"): at "tỉnh", or before the word
    that begins the task; j if neither comes within a few words."""
    tokens = msg.tokens
    for k in range(j, min(len(tokens), j + 10)):
        word = tokens[k].text
        if word == "tinh":
            return k + 1
        if not tokens[k].is_word or _role_at(msg, k) \
                or (k > j and _starts_head(msg, k) and msg.original_token(k)[0].isupper()) \
                or (k > j and msg.words(k, k + 2) in _TASK_VERBS and msg.words(k, k + 2) != ("xay", "dung")):
            # (… or the task's verb: "Ban quản lý rừng phòng hộ An Lão tăng cường …"; "phòng hộ" in lower case is no
            # body's head "Phòng")
            return k if k - j >= 2 else j
    return j


def _words_at(tokens: Sequence[Any], start: int, words: Sequence[str]) -> int | None:
    """Where `words` end when they are written from token `start` on, the words inside a name (`_INNER`) allowed
    between them; None when they are not."""
    j = start
    for k, want in enumerate(words):
        if k:
            while j < len(tokens) and tokens[j].text in _INNER:
                j += 1
        if j >= len(tokens) or tokens[j].text != want:
            return None
        j += 1
    return j
