"""One leader identity (bot/domain/leaders.py): every way a text names a registered leader resolves to that
person, shown «title name»; a text naming nobody registered stays as written, its spellings together; a
directive with no text is the leader who assigned it, never the office's clerk."""

from __future__ import annotations

import pytest

from bot.domain.leaders import Leader, as_recorded, identify, resolve, text_key
from bot.services import directives as svc
from tests.conftest import make_settings
from tests.unit.memory import NOW, MemoryRuntime

HUNG = Leader(1, "Trần Văn Hùng", "Chủ tịch UBND tỉnh")
MINH = Leader(2, "Lê Quang Minh", "Phó Chủ tịch UBND tỉnh")
TINH = Leader(3, "Nguyễn Văn Tình", "Phó Chủ tịch UBND tỉnh")
BA = Leader(4, "Nguyễn Bá Thanh", None)
LEADERS = [HUNG, MINH, TINH, BA]


@pytest.mark.parametrize(("written", "who"), [
    ("Chủ tịch UBND tỉnh", HUNG),  # by title: one leader holds it
    ("CT UBND tỉnh", HUNG),
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", HUNG),
    ("Hùng Trần Văn", HUNG),  # by name whatever the order
    ("Trần Văn Hùng", HUNG),
    ("TM. UBND tỉnh Chủ tịch Trần Văn Hùng", HUNG),
    ("Minh Lê Quang", MINH),
    ("PCT Lê Quang Minh", MINH),
    ("Phó Chủ tịch UBND tỉnh LÊ QUANG MINH", MINH),
    ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Lê Quang Minh", MINH),  # a sign-off as written
    ("Lê Quang Minh, Phó Chủ tịch UBND tỉnh", MINH),
    ("đồng chí Minh", MINH),  # by short name, when one leader has it
    ("Đ/c Tình", TINH),  # «Tình» is a name here, not «tỉnh»
    ("Phó Chủ tịch UBND tỉnh Tình Nguyễn Văn", TINH),
    ("Thanh Nguyễn Bá", BA),  # «Bá» is a name, not «bà»
    ("Phó Chủ tịch UBND tỉnh", None),  # two leaders hold it
    ("PCT Trần Văn Cường", None),  # nobody registered
    ("Giám đốc Sở Nội vụ", None),
    ("", None),
])
def test_a_text_resolves_to_the_registered_leader_it_names(written: str, who: Leader | None) -> None:
    assert resolve(written, LEADERS) == who


def test_a_short_name_two_leaders_share_is_resolved_by_the_title_written_or_not_at_all() -> None:
    two = [MINH, Leader(5, "Phạm Minh", "Chủ tịch UBND tỉnh")]
    assert resolve("đồng chí Minh", two) is None
    assert resolve("PCT Minh", two) == MINH
    # A leader who left and one in office with the same name: the one in office.
    assert resolve("Lê Quang Minh", [Leader(6, "Lê Quang Minh", None, active=False), MINH]) == MINH


def test_the_identity_is_the_person_by_title_and_name_else_the_text_as_written() -> None:
    assert identify("PCT Lê Quang Minh", None, LEADERS).shown == "Phó Chủ tịch UBND tỉnh Lê Quang Minh"
    assert identify("Minh Lê Quang", 99, LEADERS).key == identify(None, MINH.id, LEADERS).key == "#2"
    unknown = identify("PCT  Cường Trần Văn", None, LEADERS)
    assert (unknown.shown, unknown.person_id) == ("PCT Cường Trần Văn", None)
    assert text_key("Phó Chủ tịch UBND tỉnh Trần Văn Cường") == text_key("PCT Cường Trần Văn") \
        == text_key("PHÓ CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TRẦN VĂN CƯỜNG")
    assert text_key("Chủ tịch UBND tỉnh") == text_key("CT UBND tỉnh") != text_key("PCT UBND tỉnh")
    assert text_key("Giám đốc Sở Nội vụ") != text_key("Giám đốc Sở Y tế")


def test_a_directive_with_no_leader_named_is_the_assigning_leader_never_a_clerk() -> None:
    clerk = 42  # not among the leaders: the office's clerk who typed or imported it
    assert identify(None, clerk, LEADERS) is None
    assert identify(None, None, LEADERS) is None
    assert identify("  ", HUNG.id, LEADERS).shown == "Chủ tịch UBND tỉnh Trần Văn Hùng"


def test_a_new_directive_records_the_registered_leader_by_title_and_name() -> None:
    assert as_recorded("PCT Minh Lê Quang", LEADERS) == "Phó Chủ tịch UBND tỉnh Lê Quang Minh"
    assert as_recorded("Phó Chủ tịch UBND tỉnh Thanh Nguyễn Bá", LEADERS) == "Phó Chủ tịch UBND tỉnh Nguyễn Bá Thanh"
    assert as_recorded("PCT  Trần Văn Cường", LEADERS) == "PCT Trần Văn Cường"


@pytest.mark.parametrize("written", ["Phó Chủ tịch UBND tỉnh Minh Lê Quang", "PCT Lê Quang Minh", "đồng chí Minh"])
async def test_the_parser_s_leader_is_the_registered_person_on_the_card_and_the_notice(written: str) -> None:
    rt = MemoryRuntime(make_settings())
    rt.unit("VP", "Văn phòng UBND tỉnh")
    rt.unit("SYT", "Sở Y tế")
    clerk = rt.person("admin", "Chuyên viên VP", "VP")
    rt.person("leader", "Lê Quang Minh", title="Phó Chủ tịch UBND tỉnh")
    rt.person("leader", "Trần Văn Hùng", title="Chủ tịch UBND tỉnh")
    rt.person("focal", "Đầu mối Sở YT", "SYT")
    [card] = await svc.create_directives(rt, clerk, [svc.NewDirective(  # type: ignore[arg-type]
        "Kiểm tra các cơ sở khám bệnh", ["SYT"], leader_name=written)], now=NOW)
    assert card.leader == "Phó Chủ tịch UBND tỉnh Lê Quang Minh"
    told = [row for row in rt.province.outbox.values() if row.payload.get("text") == "notify.assigned"]
    assert told and all({"key": "line.leader", "params": {"leader": "Phó Chủ tịch UBND tỉnh Lê Quang Minh"}}
                        in row.payload["lines"] for row in told)


def test_the_longest_name_a_text_ends_with_wins() -> None:
    an, nguyen_an = Leader(7, "Văn An"), Leader(8, "Nguyễn Văn An")
    assert resolve("Giám đốc Sở Nội vụ Nguyễn Văn An", [an, nguyen_an]) == nguyen_an
    assert resolve("Ông Trần Văn An", [an, nguyen_an]) == an
