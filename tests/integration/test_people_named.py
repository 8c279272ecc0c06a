"""People (issue 22): an invite carries the person's title and name as the office writes them; a name taken
from Telegram is put in Vietnamese order; a leader is named by title and name on the cards they assigned."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.domain.people import person_name, vietnamese_name
from bot.services import access, queries
from bot.services import directives as svc
from storage.models import Person
from tests.conftest import NOW


def test_telegrams_first_then_last_name_is_put_family_name_first():
    assert vietnamese_name("Minh", "Lê Quang") == "Lê Quang Minh"
    assert vietnamese_name("Lê Quang Minh", None) == "Lê Quang Minh"
    assert vietnamese_name("  Minh ", "") == "Minh"
    assert person_name("Lê Quang Minh", "Phó Chủ tịch UBND tỉnh") == "Phó Chủ tịch UBND tỉnh Lê Quang Minh"
    assert person_name("Lê Quang Minh", None) == "Lê Quang Minh"


async def test_an_invite_with_a_title_and_a_name_registers_the_leader_as_the_office_wrote_them(rt, people):
    invite = await access.create_invite(rt, role="leader", unit_code=None, now=NOW, title="Phó Chủ tịch UBND tỉnh",
                                        name="  Lê  Quang Minh ")
    leader = await access.register(rt, 5151, invite.token, full_name="Minh Lê Quang", username=None, language="vi",
                                   now=NOW)
    assert leader.full_name == "Lê Quang Minh"
    async with rt.sessions() as s:
        assert (await s.scalar(select(Person.title).where(Person.id == leader.id))) == "Phó Chủ tịch UBND tỉnh"
    [card] = await svc.create_directives(rt, leader.id, [svc.NewDirective("Rà soát dự án", ["SXD"], [],
                                                                          date(2026, 12, 15))], now=NOW)
    shown = await queries.card(rt, leader.id, card.code, now=NOW)
    assert shown.assigned_by == "Phó Chủ tịch UBND tỉnh Lê Quang Minh"


async def test_an_invite_without_a_name_keeps_the_name_given_at_registration(rt, people):
    invite = await access.create_invite(rt, role="focal", unit_code="STC", now=NOW)
    person = await access.register(rt, 5252, invite.token, full_name="Trần Văn Hùng", username=None, language="vi",
                                   now=NOW)
    assert person.full_name == "Trần Văn Hùng"
