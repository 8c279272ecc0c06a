"""Issue 25, fourteenth round: classes of writing seen failing on the fresh corpus (test13 used as development data with
the parts before it), in short sentences written for these tests in the style of telegrams, letters and press reports."""

from __future__ import annotations

from bot.parsing import UnitIndex
from tests.unit.parsing.unseen.province import read


def test_a_group_and_whoever_else_is_concerned_is_still_the_group(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh chỉ đạo các sở, ngành và đơn vị liên quan tập trung cao độ ứng phó với bão.")
    assert d.lead == ("#so-nganh",)


def test_a_list_of_kinds_of_body_all_concerned_names_nobody(index: UnitIndex) -> None:
    [d] = read(index, "Chủ tịch UBND tỉnh chỉ đạo các sở, ngành, đơn vị liên quan tập trung cao độ ứng phó với bão.")
    assert d.lead == ()
    assert "no_lead" in d.problems
