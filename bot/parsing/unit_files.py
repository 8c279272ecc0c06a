"""Reading the unit list for the parser from the office's CSV files (the one I/O helper here)."""

from __future__ import annotations

from pathlib import Path

from bot.domain.units import Unit, UnitGroup, groups_from_units, parse_groups_csv, parse_units_csv


def load_units_from_csv_files(units_path: str | Path,
                              groups_path: str | Path | None = None) -> tuple[list[Unit], list[UnitGroup]]:
    """Units and groups; without a groups file, the groups units.csv names (no phrases)."""
    units = parse_units_csv(Path(units_path).read_text(encoding="utf-8"))
    if groups_path is None:
        return units, groups_from_units(units)
    return units, parse_groups_csv(Path(groups_path).read_text(encoding="utf-8"), units)
