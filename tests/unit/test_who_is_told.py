"""Who is told of each move: the table in ARCHITECTURE.md («Who is told»), one test per row, through the real
use cases on the in-memory unit of work. Each row names the move, who makes it, and exactly who gets its
notice (the person who made it never does); then where a unit is told (one copy: its group, else its focal
points; a focal point reachable only on Zalo gets their own; UNIT_NOTICES_TO=everyone)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.text import substantial
from bot.services import directives as svc
from tests.conftest import make_settings
from tests.unit.memory import NOW, MemoryRuntime

DAY = timedelta(days=1)
LATER = NOW + 2 * DAY
PEOPLE = ("admin", "leader", "other_leader", "lead", "support", "other")
WHO = {name: n for n, name in enumerate(PEOPLE, 1)}
FILE = svc.FileRef("document", "file-1", "u1", "bao-cao.pdf", "application/pdf", 10)


def province(**settings: Any) -> MemoryRuntime:
    rt = MemoryRuntime(make_settings(**settings))
    for code, name in (("VP", "Văn phòng UBND tỉnh"), ("SXD", "Sở Xây dựng"), ("STC", "Sở Tài chính"),
                       ("SYT", "Sở Y tế")):
        rt.unit(code, name)
    rt.person("admin", "Nguyễn Thị Lan", "VP")
    rt.person("leader", "Trần Văn Hùng")
    rt.person("leader", "Lê Quang Minh")
    rt.person("focal", "Đầu mối Sở XD", "SXD")
    rt.person("focal", "Đầu mối Sở TC", "STC")
    rt.person("focal", "Đầu mối Sở YT", "SYT")
    return rt


async def assigned(rt: MemoryRuntime, *, draft: bool = False) -> str:
    """Led by Sở XD, supported by Sở TC, assigned by the leader Trần Văn Hùng."""
    spec = svc.NewDirective("Rà soát dự án đầu tư công", ["SXD"], ["STC"], date(2026, 12, 15))
    [card] = await svc.create_directives(rt, WHO["leader"], [spec], now=NOW, as_draft=draft)  # type: ignore[arg-type]
    return card.code


async def awaiting(rt: MemoryRuntime) -> str:
    code = await assigned(rt)
    await svc.report_done(rt, WHO["lead"], code, "Đã hoàn thành, báo cáo số 12/BC-SXD", now=NOW + DAY)  # type: ignore[arg-type]
    return code


async def asked(rt: MemoryRuntime) -> str:
    code = await assigned(rt)
    await svc.request_extension(rt, WHO["lead"], code, date(2026, 12, 31), "Chờ số liệu", now=NOW + DAY)  # type: ignore[arg-type]
    return code


async def done(rt: MemoryRuntime) -> str:
    code = await awaiting(rt)
    await svc.confirm_done(rt, WHO["admin"], code, now=NOW + DAY)  # type: ignore[arg-type]
    return code


Setup = Callable[[MemoryRuntime], Awaitable[str]]
Act = Callable[[MemoryRuntime, int, str], Awaitable[Any]]

# (row, start, who acts, the move, its notice, exactly who is told). The table in ARCHITECTURE.md, row by row.
TABLE: list[tuple[str, Setup, str, Act, str, set[str]]] = [
    ("assigned: each unit, lead and support", lambda rt: assigned(rt, draft=True), "leader",
     lambda rt, who, code: svc.confirm_draft(rt, who, code, now=LATER), "notify.assigned", {"lead", "support"}),
    ("progress: the office and the assigning leader", assigned, "lead",
     lambda rt, who, code: svc.report_progress(rt, who, code, "Đã khảo sát 12 dự án", now=LATER),
     "notify.progress", {"admin", "leader"}),
    ("progress that says only «ok»: the office only", assigned, "lead",
     lambda rt, who, code: svc.report_progress(rt, who, code, "ok", now=LATER), "notify.progress", {"admin"}),
    ("done reported: the office and the assigning leader", assigned, "lead",
     lambda rt, who, code: svc.report_done(rt, who, code, "Đã hoàn thành, báo cáo số 12/BC-SXD", now=LATER),
     "notify.done_reported", {"admin", "leader"}),
    ("done reported as only «xong»: the office only", assigned, "lead",
     lambda rt, who, code: svc.report_done(rt, who, code, "Xong", now=LATER), "notify.done_reported", {"admin"}),
    ("done reported as «xong» with a file: the office and the leader", assigned, "lead",
     lambda rt, who, code: svc.report_done(rt, who, code, "Xong", files=[FILE], now=LATER),
     "notify.done_reported", {"admin", "leader"}),
    ("files added: the office and the assigning leader", awaiting, "lead",
     lambda rt, who, code: svc.add_files(rt, who, code, [FILE], now=LATER), "notify.files_added",
     {"admin", "leader"}),
    ("extension requested: the office and the assigning leader", assigned, "lead",
     lambda rt, who, code: svc.request_extension(rt, who, code, date(2026, 12, 31), "Chờ số liệu", now=LATER),
     "notify.extension_requested", {"admin", "leader"}),
    ("extension approved: every unit, the office and the leader", asked, "leader",
     lambda rt, who, code: svc.decide_extension(rt, who, code, True, now=LATER), "notify.extension_approved",
     {"admin", "lead", "support"}),
    ("extension refused by the leader: the unit that asked and the office", asked, "leader",
     lambda rt, who, code: svc.decide_extension(rt, who, code, False, note="Không đủ căn cứ", now=LATER),
     "notify.extension_refused", {"lead", "admin"}),
    ("extension refused by the office: the unit that asked", asked, "admin",
     lambda rt, who, code: svc.decide_extension(rt, who, code, False, note="Không đủ căn cứ", now=LATER),
     "notify.extension_refused", {"lead"}),
    ("confirmed: every unit", awaiting, "admin",
     lambda rt, who, code: svc.confirm_done(rt, who, code, now=LATER), "notify.confirmed", {"lead", "support"}),
    ("sent back by the office: every unit and the assigning leader", awaiting, "admin",
     lambda rt, who, code: svc.send_back(rt, who, code, "Thiếu số liệu", now=LATER), "notify.sent_back",
     {"lead", "support", "leader"}),
    ("reopened: every unit", done, "admin",
     lambda rt, who, code: svc.reopen(rt, who, code, "Làm lại phần số liệu", now=LATER), "notify.reopened",
     {"lead", "support"}),
    ("cancelled by the office: every unit and the assigning leader", assigned, "admin",
     lambda rt, who, code: svc.cancel(rt, who, code, "Không còn phù hợp", now=LATER), "notify.cancelled",
     {"lead", "support", "leader"}),
    ("cancelled by the assigning leader: every unit", assigned, "leader",
     lambda rt, who, code: svc.cancel(rt, who, code, "Không còn phù hợp", now=LATER), "notify.cancelled",
     {"lead", "support"}),
]


def told(rt: MemoryRuntime, key: str, before: set[str]) -> set[str]:
    """Who got a notice with this text among the rows written by the move (keys not in `before`)."""
    by_address = {rt.address_of(WHO[name]): name for name in PEOPLE}
    return {by_address[r.to] for k, r in rt.province.outbox.items()
            if k not in before and r.kind == "notify" and r.payload["text"] == key and r.to in by_address}


@pytest.mark.parametrize(("row", "setup", "actor", "move", "key", "expected"), TABLE, ids=[r[0] for r in TABLE])
async def test_each_move_is_told_to_exactly_whom_the_table_says(row, setup, actor, move, key, expected):
    rt = province()
    code = await setup(rt)
    before = set(rt.province.outbox)
    await move(rt, WHO[actor], code)
    assert told(rt, key, before) == expected
    assert actor not in told(rt, key, before)


@pytest.mark.parametrize(("row", "setup", "actor", "move"), [
    ("drafted", lambda rt: assigned(rt, draft=True), None, None),
    ("edited", lambda rt: assigned(rt, draft=True), "leader",
     lambda rt, who, code: svc.edit_draft(rt, who, code, content="Rà soát lại", now=LATER)),
    ("discarded", lambda rt: assigned(rt, draft=True), "leader",
     lambda rt, who, code: svc.discard_draft(rt, who, code, now=LATER)),
    ("acknowledged", assigned, "lead", lambda rt, who, code: svc.acknowledge(rt, who, code, now=LATER)),
], ids=lambda v: v if isinstance(v, str) else "")
async def test_moves_nobody_is_told_of(row, setup, actor, move):
    rt = province()
    before = set(rt.province.outbox)
    code = await setup(rt)
    after_setup = set(rt.province.outbox)
    if move is not None:
        before = after_setup
        await move(rt, WHO[actor], code)
    fresh = [r for k, r in rt.province.outbox.items() if k not in before and r.kind == "notify"]
    assert fresh == []


@pytest.mark.parametrize(("text", "files", "expected"), [
    ("ok", 0, False), ("OK.", 0, False), ("Xong", 0, False), ("đã xong", 0, False), ("Đã nhận", 0, False),
    ("vâng ạ", 0, False), ("xong", 1, True), ("Hoàn thành", 0, True), ("Xong phần XD", 0, True),
    ("Đã khảo sát 12 dự án", 0, True),
])
def test_a_report_says_something_when_it_has_a_file_or_more_than_a_word_of_acknowledgement(text, files, expected):
    assert substantial(text, files=files) is expected


# -- where a unit is told -----------------------------------------------------------------------------------

async def test_a_unit_with_a_group_is_told_once_in_the_group_not_by_each_focal_point():
    rt = province()
    rt.person("focal", "Đầu mối thứ hai Sở XD", "SXD")
    group = rt.group("SXD")
    await assigned(rt)
    assert rt.told(address=group) == ["notify.assigned"]
    assert rt.told(WHO["lead"]) == [] and rt.told(7) == []
    assert rt.told(WHO["support"]) == ["notify.assigned"]  # no group: its focal point


async def test_a_focal_point_reachable_only_on_zalo_gets_their_own_copy_beside_the_group():
    rt = province()
    zalo = rt.person("focal", "Đầu mối Zalo Sở XD", "SXD")
    rt.province.addresses[rt.address_of(zalo)].channel = "zalo"
    group = rt.group("SXD")
    await assigned(rt)
    assert rt.told(address=group) == ["notify.assigned"] and rt.told(zalo) == ["notify.assigned"]
    assert rt.told(WHO["lead"]) == []


async def test_unit_notices_to_everyone_tells_the_group_and_every_focal_point():
    rt = province(unit_notices_to="everyone")
    group = rt.group("SXD")
    await assigned(rt)
    assert rt.told(address=group) == ["notify.assigned"] and rt.told(WHO["lead"]) == ["notify.assigned"]


async def test_reminders_follow_the_same_one_copy_rule():
    rt = province()
    group = rt.group("SXD")
    code = await assigned(rt)
    reminded = {r.to for r in rt.province.outbox.values() if r.directive == code and r.kind == "remind_overdue"}
    assert reminded == {group}
