"""A small made-up province for the parser tests (its own names, not the shared corpus)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.units import Unit, UnitGroup
from bot.parsing import ParseResult, UnitIndex, parse_message

UNITS = [
    Unit("VP", "Văn phòng UBND tỉnh", "office", (), ("VPUB",)),
    Unit("SYT", "Sở Y tế", "department", ("so-nganh",), ("Y tế",)),
    Unit("STC", "Sở Tài chính", "department", ("so-nganh",), ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT")),
    Unit("STP", "Sở Tư pháp", "department", ("so-nganh",), ()),
    Unit("SXD", "Sở Xây dựng", "department", ("so-nganh",), ("Sở Giao thông vận tải", "Sở GTVT")),
    Unit("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "department", ("so-nganh",), ("Sở VH,TT&DL",)),
    Unit("SNNMT", "Sở Nông nghiệp và Môi trường", "department", ("so-nganh",), ("Sở NN&MT",)),
    Unit("CA", "Công an tỉnh", "agency", (), ()),
    Unit("P-THUANAN", "UBND phường Thuận An", "commune", ("dia-phuong",), ("phường Thuận An",)),
    Unit("P-THUANHOA", "UBND phường Thuận Hóa", "commune", ("dia-phuong",), ("phường Thuận Hóa",)),
    Unit("X-PHONGDIEN", "UBND xã Phong Điền", "commune", ("dia-phuong",), ("xã Phong Điền",)),
]
GROUPS = [
    UnitGroup("so-nganh", "Các sở, ban, ngành", ("các sở, ngành",),
              tuple(u.code for u in UNITS if "so-nganh" in u.groups)),
    UnitGroup("dia-phuong", "UBND các xã, phường", ("các địa phương", "các xã, phường"),
              tuple(u.code for u in UNITS if "dia-phuong" in u.groups)),
]
FRIDAY_MORNING = datetime.fromisoformat("2026-11-20T09:00:00+07:00")

Parse = Callable[..., ParseResult]


@pytest.fixture(scope="session")
def index() -> UnitIndex:
    return UnitIndex(UNITS, GROUPS)


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.fixture
def parse(index: UnitIndex, calendar: WorkingCalendar) -> Parse:
    def run(text: str, at: datetime = FRIDAY_MORNING) -> ParseResult:
        return parse_message(text, at=at, calendar=calendar, index=index)

    return run


@pytest.fixture
def one(parse: Parse) -> Callable[..., object]:
    """The single draft directive a message yields."""

    def run(text: str, at: datetime = FRIDAY_MORNING):
        result = parse(text, at)
        assert result.kind == "directives", result
        assert len(result.directives) == 1, result.directives
        return result.directives[0]

    return run
