"""The unseen-writing tests read messages against their own made-up province (unseen/province.py)."""

from __future__ import annotations

import pytest

from bot.parsing import UnitIndex
from tests.unit.parsing.unseen.province import GROUPS, UNITS


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    return UnitIndex(UNITS, GROUPS)
