"""A province to work in: the sample units, and one person per role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.runtime import Runtime
from bot.services import access, units
from tests.conftest import NOW, shared_path
from tests.integration.chatbot import ChatBot

UNITS_CSV = """code,name,kind,groups,aliases
VP,Văn phòng UBND tỉnh,office,,VPUB
SXD,Sở Xây dựng,department,so-nganh,Sở XD;Sở Giao thông vận tải
STC,Sở Tài chính,department,so-nganh,Tài chính
SYT,Sở Y tế,department,so-nganh,Y tế
P-THUANHOA,UBND phường Thuận Hóa,commune,dia-phuong,phường Thuận Hóa
P-THUANAN,UBND phường Thuận An,commune,dia-phuong,phường Thuận An
"""


@dataclass
class People:
    admin: int
    leader: int
    sxd: int
    stc: int
    syt: int
    ward: int
    viewer: int


async def _person(rt: Runtime, telegram_id: int, role: str, unit: str | None, name: str) -> int:
    invite = await access.create_invite(rt, role=role, unit_code=unit, now=NOW)
    actor = await access.register(rt, telegram_id, invite.token, full_name=name, username=None, language="vi", now=NOW)
    return actor.id


@pytest.fixture
async def people(rt: Runtime) -> People:
    await units.import_units(rt, UNITS_CSV, None, now=NOW)
    return People(
        admin=await _person(rt, 1001, "admin", "VP", "Chuyên viên VP"),
        leader=await _person(rt, 1002, "leader", None, "Phó Chủ tịch"),
        sxd=await _person(rt, 2001, "focal", "SXD", "Đầu mối Sở XD"),
        stc=await _person(rt, 2002, "focal", "STC", "Đầu mối Sở TC"),
        syt=await _person(rt, 2003, "focal", "SYT", "Đầu mối Sở YT"),
        ward=await _person(rt, 2004, "focal", "P-THUANHOA", "Đầu mối phường"),
        viewer=await _person(rt, 3001, "viewer", None, "Người xem"),
    )


@pytest.fixture
def sample_units_csv() -> str:
    return shared_path("data", "units.csv").read_text(encoding="utf-8")


@pytest.fixture
async def chat(rt: Runtime, people: People) -> AsyncIterator[ChatBot]:
    """The bot's handlers in process for the registered people; fails on any invalid HTML or unhandled
    error."""
    bot = await ChatBot(rt).start()
    yield bot
    await bot.stop()
    bot.check_clean()
