"""One leader identity (issue 22, People): however a text names the leader who directed a directive («Chủ tịch
UBND tỉnh», «Hùng Trần Văn», «Minh Lê Quang», «PCT Lê Quang Minh»), or when a leader assigned it in the bot,
the reports' leaders (the province's sheet, a unit's breakdown), the directive list and its leader filter
show one row per person, by title and name; a text no registered leader matches stays as written, its
spellings together; the office's clerk who imports a file is never the directing leader. Both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.domain.deadlines import due_day
from bot.parsing import parse_message
from bot.reports import counts, numbers
from bot.services import access, directives, imports, web_views
from bot.services import reports as svc
from storage.models import Assignment, Directive, Unit
from storage.repository import refresh_row
from tests.conftest import NOW
from tests.integration.test_imports import sheet_row, workbook

AT = datetime(2026, 11, 1, tzinfo=UTC)
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
LATER = date(2026, 12, 5)
HUNG = "Chủ tịch UBND tỉnh Trần Văn Hùng"
MINH = "Phó Chủ tịch UBND tỉnh Lê Quang Minh"


async def _leader(rt, telegram_id: int, title: str, name: str, profile: str) -> int:
    invite = await access.create_invite(rt, role="leader", unit_code=None, now=NOW, title=title, name=name)
    return (await access.register(rt, telegram_id, invite.token, full_name=profile, username=None, language="vi",
                                  now=NOW)).id


@pytest.fixture
async def leaders(rt, people) -> dict[str, int]:
    """Two leaders invited with their title and name; Telegram shows them first-then-last."""
    return {"hung": await _leader(rt, 1101, "Chủ tịch UBND tỉnh", "Trần Văn Hùng", "Hùng Trần Văn"),
            "minh": await _leader(rt, 1102, "Phó Chủ tịch UBND tỉnh", "Lê Quang Minh", "Minh Lê Quang")}


async def _written(rt, people, rows: dict[str, tuple[str | None, int | None, str]]) -> None:
    """Directives written as the history has them: code → (leader text, who assigned, lead unit)."""
    async with rt.transaction() as session:
        units = {u.code: u.id for u in await session.scalars(select(Unit))}
        for code, (leader, by, unit) in rows.items():
            deadline = date(2026, 11, 25)
            directive = Directive(
                code=code, content=f"Nhiệm vụ {code}", search_text=code.lower(), state="assigned", deadline=deadline,
                due_on=due_day(deadline, rt.calendar), original_deadline=deadline, deadline_version=1,
                assigned_on=date(2026, 11, 10), leader_name=leader, assigned_by_id=by or people.admin,
                created_at=AT, updated_at=AT)
            directive.assignments = [Assignment(unit_id=units[unit], role="lead")]
            session.add(directive)
            await refresh_row(session, directive)


def _scope(unit: str | None = None) -> counts.Scope:
    return counts.make_scope(*NOVEMBER, LATER, unit_code=unit, period="2026-11")


async def _leader_rows(rt, scope) -> dict[str | None, int]:
    async with rt.sessions() as session:
        report = await numbers.compute(session, scope)
    return {row.name: row.counts.total for row in report.leaders}


async def test_the_example_of_the_issue_is_two_rows_of_the_leaders_sheet(rt, people, leaders):
    await _written(rt, people, {
        "D1": ("Chủ tịch UBND tỉnh", None, "SXD"),
        "D2": (None, leaders["hung"], "SXD"),
        "D3": ("Hùng Trần Văn", None, "STC"),
        "D4": ("Minh Lê Quang", None, "SXD"),
        "D5": ("PCT Lê Quang Minh", None, "STC"),
        "D6": ("đồng chí Minh", None, "SXD"),
    })
    assert await _leader_rows(rt, _scope()) == {HUNG: 3, MINH: 3}
    file = await svc.report_file(rt, people.admin, _scope(), "xlsx", "vi",
                                 now=datetime(2026, 12, 5, 2, 0, tzinfo=UTC))
    sheet = load_workbook(BytesIO(file.data))["Theo lãnh đạo"]
    rows = [[c.value for c in row][:3] for row in sheet.iter_rows(min_row=2) if row[0].value is not None]
    assert rows == [[1, HUNG, 3], [2, MINH, 3]]
    listed = load_workbook(BytesIO(file.data)).worksheets[1]
    column = [c.value for c in listed[1]].index("Lãnh đạo chỉ đạo")
    listing = {row[0].value: row[column].value for row in listed.iter_rows(min_row=2)}
    assert listing == {"D1": HUNG, "D2": HUNG, "D3": HUNG, "D4": MINH, "D5": MINH, "D6": MINH}
    # One unit's breakdown by leader (the lead unit × leader tallies) follows the same identity.
    assert await _leader_rows(rt, _scope("SXD")) == {HUNG: 2, MINH: 2}


async def test_the_web_list_filters_and_shows_a_leader_by_the_one_identity(rt, people, leaders):
    await _written(rt, people, {"D1": ("Minh Lê Quang", None, "SXD"), "D2": (None, leaders["minh"], "SXD"),
                                "D3": ("PCT Lê Quang Minh", None, "SXD"), "D4": ("Chủ tịch UBND tỉnh", None, "SXD")})
    for wanted in (MINH, "Minh Lê Quang", "phó chủ tịch lê quang minh"):
        page = await web_views.directive_list(rt, people.admin, _scope(), web_views.ListFilter(leader=wanted),
                                              now=NOW.replace(year=2026, month=12, day=5))
        assert sorted((i.code, i.leader) for i in page.items) == [("D1", MINH), ("D2", MINH), ("D3", MINH)], wanted


async def test_texts_no_leader_matches_stay_as_written_and_group_once_normalised(rt, people, leaders):
    await _written(rt, people, {
        "D1": ("Phó Chủ tịch UBND tỉnh Trần Văn Cường", None, "SXD"),
        "D2": ("PCT Cường Trần Văn", None, "SXD"),
        "D3": ("PHÓ CHỦ TỊCH UBND TỈNH TRẦN VĂN CƯỜNG", None, "SXD"),
        "D4": ("Giám đốc Sở Nội vụ", None, "SXD"),
    })
    assert await _leader_rows(rt, _scope()) == {"PCT Cường Trần Văn": 3, "Giám đốc Sở Nội vụ": 1}


async def test_a_pasted_notice_s_leader_is_the_registered_person_whatever_the_name_order(rt, people, leaders):
    from bot.domain.calendar import WorkingCalendar
    from bot.domain.units import Unit as U
    from bot.parsing import UnitIndex

    text = ("Giao Sở Y tế kiểm tra các cơ sở khám bệnh, hoàn thành trước ngày 15/12/2026./.\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nMinh Lê Quang")
    index = UnitIndex([U("SYT", "Sở Y tế", "department", (), ())], [])
    [draft] = parse_message(text, at=NOW, calendar=WorkingCalendar(), index=index).directives
    assert draft.leader == "Phó Chủ tịch UBND tỉnh Minh Lê Quang"
    [card] = await directives.create_directives(rt, people.admin, [directives.NewDirective(
        draft.content, ["SYT"], deadline=draft.deadline, leader_name=draft.leader)], now=NOW)
    assert card.leader_name == card.leader == MINH


async def test_a_clerk_pasting_a_signed_notice_in_chat_assigns_it_as_the_signing_leader_s(chat, rt, people, leaders):
    preview = await chat.say(1001, "Giao Sở Y tế kiểm tra các cơ sở khám bệnh, hoàn thành trước ngày 15/12/2026./.\n"
                                   "Nơi nhận:\n- CT, các PCT UBND tỉnh;\n- Lưu: VT.\n"
                                   "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nMinh Lê Quang")
    assert "Bản nháp" in preview and "CT" not in preview.replace("CHỦ", "")
    card = await chat.press(1001, chat.button(1001, "Giao việc"))
    assert MINH in card and "Chuyên viên VP" not in card.split(MINH)[0][-40:]
    async with rt.sessions() as session:
        rows = (await session.execute(select(Directive.content, Directive.leader_name))).all()
    assert [tuple(r) for r in rows] == [("kiểm tra các cơ sở khám bệnh", MINH)], rows


async def test_the_clerk_who_imports_a_file_is_never_the_directing_leader(rt, people, leaders):
    staged = await imports.stage(rt, people.admin, "theo-doi.xlsx", workbook(
        sheet_row(Lãnh_đạo_chỉ_đạo="Minh Lê Quang"),
        sheet_row(STT=2, Lãnh_đạo_chỉ_đạo="", Nội_dung="Kiểm tra bệnh viện", Đơn_vị_chủ_trì="SYT")), now=NOW)
    assert staged.ok, staged.problems
    await imports.confirm(rt, people.admin, staged.batch_id, staged.nonce, now=NOW)
    async with rt.sessions() as session:
        named = dict((await session.execute(select(Directive.content, Directive.leader_name))).all())
    assert named == {"Rà soát hồ sơ đất đai": MINH, "Kiểm tra bệnh viện": None}
    rows = await _leader_rows(rt, _scope())
    assert set(rows) == {MINH, None} and "Chuyên viên VP" not in str(rows)
    async with rt.sessions() as session:
        code = await session.scalar(select(Directive.code).where(Directive.leader_name.is_(None)))
    from bot.services import queries

    card = await queries.card(rt, people.admin, code, now=NOW)
    assert card.leader is None and card.assigned_by == "Chuyên viên VP"


async def test_a_report_asked_again_after_a_leader_registers_names_them(rt, people):
    await _written(rt, people, {"D1": ("PCT Lê Quang Minh", None, "SXD"), "D2": ("Minh Lê Quang", None, "STC")})
    before = await svc.report(rt, people.admin, _scope())
    assert {row.name for row in before.leaders} == {"Minh Lê Quang", "PCT Lê Quang Minh"}
    await _leader(rt, 1102, "Phó Chủ tịch UBND tỉnh", "Lê Quang Minh", "Minh")
    after = await svc.report(rt, people.admin, _scope())  # registering writes an event: new figures
    assert [(row.name, row.counts.total) for row in after.leaders] == [(MINH, 2)]


async def test_a_notice_s_preview_names_the_leader_as_the_directives_will_record_them(rt, people):
    from tests.integration.test_imports import notice_docx

    await _leader(rt, 1103, "Phó Chủ tịch UBND tỉnh", "Nguyễn Văn An", "An Nguyễn")
    preview = await imports.stage(rt, people.admin, "thong-bao.docx", notice_docx(), now=NOW)
    assert preview.ok and preview.leader == "Phó Chủ tịch UBND tỉnh Nguyễn Văn An"
    await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=NOW)
    async with rt.sessions() as session:
        assert set(await session.scalars(select(Directive.leader_name))) == {"Phó Chủ tịch UBND tỉnh Nguyễn Văn An"}
