"""The made-up province of the tests of writing the parser was not built on (issue 25's rounds): its own departments,
two districts of before 2025 and two communes of after, and how those tests read a message."""

from __future__ import annotations

from datetime import datetime

from bot.domain.calendar import WorkingCalendar
from bot.domain.units import Unit, UnitGroup
from bot.parsing import DraftDirective, UnitIndex, parse_message

UNITS = [
    Unit("SYT", "Sở Y tế", "department", ("so-nganh",), ()),
    Unit("STC", "Sở Tài chính", "department", ("so-nganh",), ("Sở Kế hoạch và Đầu tư",)),
    Unit("STP", "Sở Tư pháp", "department", ("so-nganh",), ()),
    Unit("SXD", "Sở Xây dựng", "department", ("so-nganh",), ("Sở Giao thông vận tải",)),
    Unit("SNNMT", "Sở Nông nghiệp và Môi trường", "department", ("so-nganh",),
         ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn")),
    Unit("CA", "Công an tỉnh", "agency", (), ()),
    Unit("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", "agency", (), ()),
    Unit("BDBP", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "agency", (), ()),
    Unit("H-ANLAO", "UBND huyện An Lão", "district", ("huyen",), ()),
    Unit("H-VINHTHANH", "UBND huyện Vĩnh Thạnh", "district", ("huyen",), ()),
    Unit("P-THUANAN", "UBND phường Thuận An", "commune", ("dia-phuong",), ()),
    Unit("DK-CONCO", "UBND đặc khu Cồn Cỏ", "commune", ("dia-phuong",), ()),
]
GROUPS = [
    UnitGroup("so-nganh", "Các sở, ban, ngành", ("các sở, ngành",), ("SYT", "STC", "STP", "SXD", "SNNMT")),
    UnitGroup("huyen", "UBND các huyện, thị xã, thành phố", ("UBND các huyện, thành phố", "UBND các huyện"),
              ("H-ANLAO", "H-VINHTHANH")),
    UnitGroup("dia-phuong", "UBND các xã, phường", ("UBND các xã, phường, đặc khu", "các xã, phường"),
              ("P-THUANAN", "DK-CONCO")),
]
AT = datetime.fromisoformat("2026-11-20T09:00:00+07:00")


def read(index: UnitIndex, text: str, at: datetime = AT) -> list[DraftDirective]:
    """The drafts a message yields; none when it is read as a question or as nothing."""
    result = parse_message(text, at=at, calendar=WorkingCalendar(), index=index)
    return list(result.directives) if result.kind == "directives" else []
