from __future__ import annotations

from bot.domain.units import Unit
from bot.parsing import UnitIndex
from tests.unit.parsing.conftest import GROUPS


def test_a_name_typed_without_diacritics_finds_the_unit(index: UnitIndex) -> None:
    assert index.resolve("so van hoa, the thao va du lich") == "SVHTTDL"
    assert index.resolve("SỞ Y TẾ") == "SYT"


def test_a_former_department_name_finds_the_department_that_absorbed_it(index: UnitIndex) -> None:
    assert index.resolve("Sở Giao thông vận tải") == "SXD"
    assert index.resolve("Sở KH&ĐT") == "STC"


def test_an_abbreviation_matches_with_or_without_spaces_around_the_ampersand(index: UnitIndex) -> None:
    assert index.resolve("Sở NN&MT") == "SNNMT"
    assert index.resolve("Sở NN & MT") == "SNNMT"


def test_a_name_with_a_comma_inside_is_one_unit(index: UnitIndex) -> None:
    assert index.resolve("Sở VH,TT&DL") == "SVHTTDL"


def test_near_neighbour_wards_are_never_confused(index: UnitIndex) -> None:
    assert index.resolve("UBND phường Thuận An") == "P-THUANAN"
    assert index.resolve("phường Thuận Hóa") == "P-THUANHOA"
    assert index.resolve("phường Thuận Hao") is None
    assert index.resolve("phường Thuận Anh") is None


def test_one_slip_in_a_long_word_still_finds_the_unit(index: UnitIndex) -> None:
    assert index.resolve("Sở Tài chánh") == "STC"
    assert index.resolve("Sở Xây dựg") == "SXD"


def test_a_slip_that_fits_two_units_equally_finds_neither() -> None:
    index = UnitIndex([Unit("X-PD", "UBND xã Phong Điền"), Unit("X-PH", "UBND xã Phong Hiền")], [])
    assert index.resolve("UBND xã Phong Biền") is None
    assert index.resolve("UBND xã Phong Hiền") == "X-PH"


def test_spelled_out_uy_ban_nhan_dan_reads_as_ubnd(index: UnitIndex) -> None:
    assert index.resolve("Ủy ban nhân dân xã Phong Điền") == "X-PHONGDIEN"


def test_a_group_phrase_resolves_to_the_group_not_its_members(index: UnitIndex) -> None:
    assert index.resolve("các sở, ngành") == "#so-nganh"
    assert index.resolve("UBND các xã, phường") == "#dia-phuong"


def test_suggestions_put_the_closest_units_first(index: UnitIndex) -> None:
    assert [u.code for u in index.suggest("phường Thuận Hao", limit=2)] == ["P-THUANHOA", "P-THUANAN"]
    assert index.suggest("Sở Y tế", limit=1)[0].code == "SYT"
    assert index.suggest("", limit=3) == []


def test_expanding_a_group_gives_its_members_once_each(index: UnitIndex) -> None:
    assert index.expand(["SYT", "#so-nganh"]) == tuple(GROUPS[0].members)
    assert index.expand(["#dia-phuong", "P-THUANAN"]) == GROUPS[1].members
