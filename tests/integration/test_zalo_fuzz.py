"""The chat fuzz on the Zalo channel: random typed text (directives, questions, commands, numbers, codes with
numbers, answers, cancellations, hostile text) from people on Zalo in every role and a stranger, through the
Zalo adapter in process. Every message gets an answer, never the generic apology (an unhandled error), and no
one leaves in the log what their role does not allow (a focal point: only for their own unit)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from bot.services import access
from bot.texts import t
from storage.models import Event, Person
from tests.conftest import NOW
from tests.integration.conftest import People
from tests.integration.fuzzing import COMMANDS, FOCAL_KINDS, PHRASES, VIEWER_KINDS, seed
from zalo.bot import Incoming, ZaloBot
from zalo.client import ZaloClient

APOLOGY = t("error.generic", "vi")
ROLES = {"z-admin": ("admin", "VP"), "z-leader": ("leader", None), "z-focal": ("focal", "SXD"),
         "z-focal2": ("focal", "STC"), "z-viewer": ("viewer", None)}
TEXTS = [*PHRASES, *COMMANDS, *(str(n) for n in range(0, 12)), "1.", "01", "99",
         *(f"CD-2026-000{n} {m}" for n in range(1, 6) for m in (1, 2, 3, 9)), "CD-2026-0001", "cd-2026-0003",
         "/huy", "huỷ", "web", "/web", "/start", "/start x", "/viec 2", "/quahan SXD 3", "\u0000x", "", " ",
         "30/12/2026", "31/02/2027", "hôm qua", "Đồng ý", "CD-2026-0001: 1", "/timkiem rà soát"]


@pytest.mark.parametrize("run", range(3))
async def test_random_text_on_zalo_is_always_answered_and_stays_within_each_role(
        rt: Runtime, people: People, run: int) -> None:
    await seed(rt, people)
    bot = ZaloBot(rt, ZaloClient("http://127.0.0.1:9", "unused"), clock=lambda: NOW)
    for chat, (role, unit) in ROLES.items():
        invite = await access.create_invite(rt, role=role, unit_code=unit, now=NOW)
        await bot.answer(Incoming(chat, f"/start {invite.token}", chat))
    rng = random.Random(run)
    speakers = [*ROLES, "z-stranger"]
    for _ in range(150):
        chat, text = rng.choice(speakers), rng.choice(TEXTS)
        answers = await bot.answer(Incoming(chat, text if rng.random() > 0.03 else None, "Ai đó"))
        assert answers and all(a.strip() for a in answers), (chat, text)
        assert not any(APOLOGY in a for a in answers), (chat, text, answers)
        assert not any("<b>" in a or "&amp;" in a for a in answers), (chat, text, answers)  # plain text only
    async with rt.sessions() as session:
        rows = (await session.execute(select(Event.kind, Event.data, Person.role, Person.id)
                                      .join(Person, Person.id == Event.actor_id))).all()
        units = {p.id: p.unit.code if p.unit else None for p in (await session.scalars(select(Person))).all()}
        stranger = await access.identify_on(rt, "zalo", "z-stranger")
    wrong = []
    for kind, data, role, person in rows:
        if kind in ("registered", "web_link_created"):  # anyone registered may open the web app
            continue
        if role == "viewer" and kind not in VIEWER_KINDS:
            wrong.append((kind, role))
        elif role == "focal" and (kind not in FOCAL_KINDS or data.get("unit") not in (None, units[person])):
            wrong.append((kind, role, data.get("unit")))
    assert wrong == [] and stranger is None
