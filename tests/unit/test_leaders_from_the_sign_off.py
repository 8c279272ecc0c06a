"""Leaders read from a notice's sign-off and matched to the office's leaders whatever the name's order or case;
the clerk who types or imports a directive is never named as the leader who directed it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.leaders import Leader, as_recorded
from bot.domain.units import Unit
from bot.parsing import UnitIndex, parse_message
from bot.parsing.signoff import sign_off
from bot.services import directives as svc
from tests.conftest import make_settings
from tests.unit.memory import NOW, MemoryRuntime

SIGNED = ("Giao Sở Y tế kiểm tra các cơ sở khám bệnh, hoàn thành trước ngày 15/12/2026./.\n"
          "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nAn Nguyễn Văn")


@pytest.mark.parametrize(("text", "leader"), [
    ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\n\nNguyễn Văn An", "Phó Chủ tịch UBND tỉnh Nguyễn Văn An"),
    ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nLÊ VĂN BÌNH", "Chủ tịch UBND tỉnh Lê Văn Bình"),
    ("TM. ỦY BAN NHÂN DÂN THÀNH PHỐ\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Thị Cúc", "Phó Chủ tịch UBND thành phố Trần Thị Cúc"),
    ("Giao Sở Y tế kiểm tra.\nCHỦ TỊCH UBND TỈNH QUYẾT ĐỊNH:", None),
])
def test_the_sign_off_names_the_leader(text: str, leader: str | None) -> None:
    assert sign_off(text) == leader


def test_a_leader_is_matched_whatever_the_order_and_case_of_the_name() -> None:
    leaders = [Leader(1, "Nguyễn Văn An"), Leader(2, "Lê Văn Bình"), Leader(3, "Nguyễn Văn Bình")]
    assert as_recorded("Phó Chủ tịch UBND tỉnh An Nguyễn Văn", leaders) == "Phó Chủ tịch UBND tỉnh Nguyễn Văn An"
    assert as_recorded("Chủ tịch UBND tỉnh LÊ VĂN BÌNH", leaders) == "Chủ tịch UBND tỉnh Lê Văn Bình"
    assert as_recorded("Phó Chủ tịch UBND tỉnh Trần Văn Cường", leaders) == "Phó Chủ tịch UBND tỉnh Trần Văn Cường"


def test_a_pasted_notice_s_sign_off_is_the_draft_s_leader() -> None:
    index = UnitIndex([Unit("SYT", "Sở Y tế", "department", (), ())], [])
    [draft] = parse_message(SIGNED, at=NOW, calendar=WorkingCalendar(), index=index).directives
    assert (draft.lead, draft.deadline) == (("SYT",), date(2026, 12, 15))
    assert draft.leader == "Phó Chủ tịch UBND tỉnh An Nguyễn Văn"
    assert draft.content == "kiểm tra các cơ sở khám bệnh", "the notice's closing «./.» leaves nothing in the content"


@pytest.fixture
def rt() -> MemoryRuntime:
    rt = MemoryRuntime(make_settings())
    rt.unit("VP", "Văn phòng UBND tỉnh")
    rt.unit("SYT", "Sở Y tế")
    rt.person("admin", "Chuyên viên VP", "VP")
    rt.person("leader", "Nguyễn Văn An")
    rt.person("focal", "Đầu mối Sở YT", "SYT")
    rt.group("SYT")
    return rt


async def test_the_clerk_s_notice_names_the_signing_leader_as_the_office_knows_them(rt: MemoryRuntime) -> None:
    spec = svc.NewDirective("Kiểm tra các cơ sở khám bệnh", ["SYT"], deadline=date(2026, 12, 15),
                            leader_name="Phó Chủ tịch UBND tỉnh An Nguyễn Văn")
    [card] = await svc.create_directives(rt, 1, [spec], now=NOW)  # type: ignore[arg-type]
    assert card.leader_name == "Phó Chủ tịch UBND tỉnh Nguyễn Văn An"
    told = [row for row in rt.province.outbox.values() if row.payload.get("text") == "notify.assigned"]
    assert told and all({"key": "line.leader", "params": {"leader": "Phó Chủ tịch UBND tỉnh Nguyễn Văn An"}}
                        in row.payload["lines"] for row in told)


async def test_a_clerk_is_never_named_as_the_directing_leader(rt: MemoryRuntime) -> None:
    [card] = await svc.create_directives(rt, 1, [svc.NewDirective("Kiểm tra", ["SYT"])], now=NOW)  # type: ignore[arg-type]
    told = [row for row in rt.province.outbox.values() if row.payload.get("text") == "notify.assigned"]
    assert told and not any(line["key"] == "line.leader" for row in told for line in row.payload.get("lines", []))
    [card] = await svc.create_directives(rt, 2, [svc.NewDirective("Rà soát", ["SYT"])], now=NOW)  # type: ignore[arg-type]
    told = [row for row in rt.province.outbox.values() if row.payload.get("text") == "notify.assigned"
            and row.payload.get("code") == card.code]
    assert told and all({"key": "line.leader", "params": {"leader": "Nguyễn Văn An"}} in row.payload["lines"]
                        for row in told)
