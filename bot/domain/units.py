"""Units (sở, ban, ngành, xã/phường), unit groups, and reading them from the office's CSV files."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from bot.errors import DomainError

UNIT_KINDS = ("office", "department", "agency", "commune", "district", "other")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
_GROUP_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
MAX_NAME = 200


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: 'Sở Xây  dựng' → 'so xay dung' (đ → d)."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str = "department"
    groups: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitGroup:
    code: str
    name: str
    phrases: tuple[str, ...] = ()
    members: tuple[str, ...] = field(default=())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and the like: never in a name


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def _rows(text: str, required: tuple[str, ...], what: str) -> list[tuple[int, dict[str, str]]]:
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    # Excel on a Vietnamese Windows saves "CSV" with semicolons.
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if header.count(";") > header.count(",") else ",")
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise DomainError("csv.missing_columns", file=what, columns=", ".join(missing))
    rows = []
    try:
        for row in reader:
            if None in row:  # more cells than the header
                raise DomainError("csv.bad_row", file=what, line=reader.line_num, reason="too_many_cells")
            cells = {k: (v or "").strip() for k, v in row.items()}
            if any(_CONTROL.search(v) for v in cells.values()):
                raise DomainError("csv.bad_row", file=what, line=reader.line_num, reason="control_characters")
            rows.append((reader.line_num, cells))
    except csv.Error:  # a cell past the csv module's limit, a quote never closed
        raise DomainError("csv.bad_row", file=what, line=reader.line_num + 1, reason="unreadable") from None
    return rows


def parse_units_csv(text: str) -> list[Unit]:
    """Units from `code,name,kind,groups,aliases`; any bad row rejects the whole file."""
    units: list[Unit] = []
    seen: set[str] = set()
    for line, row in _rows(text, ("code", "name"), "units"):
        code, name, kind = row["code"], row["name"], row.get("kind") or "department"
        if not _CODE.match(code):
            raise DomainError("csv.bad_row", file="units", line=line, reason="bad_code", value=code)
        if not name or len(name) > MAX_NAME:
            raise DomainError("csv.bad_row", file="units", line=line, reason="bad_name")
        if kind not in UNIT_KINDS:
            raise DomainError("csv.bad_row", file="units", line=line, reason="unknown_kind", value=kind)
        if code in seen:
            raise DomainError("csv.bad_row", file="units", line=line, reason="duplicate_code", value=code)
        seen.add(code)
        units.append(Unit(code, name, kind, _split(row.get("groups")), _split(row.get("aliases"))))
    return units


def parse_groups_csv(text: str, units: list[Unit]) -> list[UnitGroup]:
    """Groups from `code,name,phrases`; members are the units that list the group (`all`: every unit
    but the office)."""
    groups: list[UnitGroup] = []
    seen: set[str] = set()
    for line, row in _rows(text, ("code", "name"), "groups"):
        code, name = row["code"], row["name"]
        if not _GROUP_CODE.match(code) or code in seen or not name:
            raise DomainError(
                "csv.bad_row", file="groups", line=line, reason="bad_group_code", value=code
            )
        seen.add(code)
        if code == "all":
            members = tuple(u.code for u in units if u.kind != "office")
        else:
            members = tuple(u.code for u in units if code in u.groups)
        groups.append(UnitGroup(code, name, _split(row.get("phrases")), members))
    unknown = {g for u in units for g in u.groups} - seen
    if unknown and groups:
        raise DomainError("csv.unknown_group", groups=", ".join(sorted(unknown)))
    return groups


def groups_from_units(units: list[Unit]) -> list[UnitGroup]:
    """Groups named only in units.csv, with their code as name, for when no groups file is given."""
    codes = sorted({g for u in units for g in u.groups})
    return [UnitGroup(c, c, (), tuple(u.code for u in units if c in u.groups)) for c in codes]


_SHORT_FORMS = (
    ("Ủy ban nhân dân ", "UBND "), ("Uỷ ban nhân dân ", "UBND "), ("UBND phường ", "P. "), ("UBND xã ", "X. "),
    ("UBND thị trấn ", "TT. "), ("Ban Quản lý ", "BQL "), ("Trung tâm ", "TT "), ("Khu công nghiệp", "KCN"),
)
SHORT_NAME_CHARS = 32


def short_name(name: str, limit: int = SHORT_NAME_CHARS) -> str:
    """A unit's name where space is tight (list lines, buttons): the usual abbreviations, then cut.
    'UBND phường Thuận Hóa' → 'P. Thuận Hóa'."""
    short = " ".join(name.split())
    for long, abbreviation in _SHORT_FORMS:
        short = short.replace(long, abbreviation)
    return short if len(short) <= limit else short[: limit - 1].rstrip() + "…"
