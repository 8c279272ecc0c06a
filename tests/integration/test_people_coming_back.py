"""People and groups who come back (invited again, registered again, unblocking the bot) get the reminders
that apply now, and none that stopped applying while they were away; an invite for another role is not
spent by someone already registered."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from bot.outbox import Unreachable
from bot.services import access, queries
from bot.services import directives as svc
from storage.models import Directive, Outbox
from tests.addressing import to_chat
from tests.conftest import NOW
from tests.integration.test_reaching_people import _assign, _reminders
from tests.integration.test_reminders import local
from tests.integration.test_reminders import run as run  # noqa: F401 - the dispatcher fixture

SXD, STC = 2001, 2002


async def _pending_reminders(rt, chat: int) -> int:
    async with rt.sessions() as s:
        return await s.scalar(select(func.count()).select_from(Outbox).where(
            to_chat(chat), Outbox.status == "pending", Outbox.kind.like("remind%")))


async def test_a_focal_point_deactivated_then_invited_back_to_the_same_unit_is_chased_again(rt, people, run):
    await _assign(rt, people, date(2026, 12, 15))
    assert await _pending_reminders(rt, SXD) > 0
    await access.deactivate(rt, SXD, now=NOW + timedelta(hours=1))
    invite = await access.create_invite(rt, role="focal", unit_code="SXD", now=NOW + timedelta(hours=2))
    await access.register(rt, SXD, invite.token, full_name="Đầu mối Sở XD", username=None, language="vi",
                          now=NOW + timedelta(hours=3))
    assert await _pending_reminders(rt, SXD) > 0
    assert _reminders(await run(local(date(2026, 12, 8), 8)), SXD) == ["remind.before"]


async def test_a_person_moved_to_another_unit_and_back_is_chased_again(rt, people, run):
    await _assign(rt, people, date(2026, 12, 15))
    for unit, hours in (("STC", 1), ("SXD", 2)):
        invite = await access.create_invite(rt, role="focal", unit_code=unit, now=NOW + timedelta(hours=hours))
        await access.register(rt, SXD, invite.token, full_name="Đầu mối", username=None, language="vi",
                              now=NOW + timedelta(hours=hours))
    assert _reminders(await run(local(date(2026, 12, 8), 8)), SXD) == ["remind.before"]


async def test_a_group_released_then_registered_again_by_its_unit_is_chased_again(rt, people, run):
    await access.register_group(rt, people.sxd, -700, "Nhóm SXD", now=NOW)
    await _assign(rt, people, date(2026, 12, 15))
    await access.release_group(rt, people.sxd, -700, now=NOW + timedelta(hours=1))
    await access.register_group(rt, people.sxd, -700, "Nhóm SXD", now=NOW + timedelta(hours=2))
    assert _reminders(await run(local(date(2026, 12, 8), 8)), -700) == ["remind.before"]


async def test_a_lead_unit_that_reported_its_part_while_blocked_is_not_chased_when_it_unblocks(rt, people, run):
    # The group and each focal point are told (by default a unit with a group is told only there).
    rt.settings = rt.settings.model_copy(update={"unit_notices_to": "everyone"})
    await access.register_group(rt, people.sxd, -700, "Nhóm SXD", now=NOW - timedelta(minutes=5))
    code = await _assign(rt, people, date(2026, 11, 27), lead=("SXD", "STC"))
    rec = await run(NOW - timedelta(seconds=1))
    rec.fail[SXD] = Unreachable("Forbidden: bot was blocked by the user")
    await run(local(date(2026, 11, 23), 8))  # the −5 ping finds the chat blocked: held, and the rest with it
    del rec.fail[SXD]
    await svc.report_done(rt, people.sxd, code, "Xong phần Sở XD", now=local(date(2026, 11, 25), 9))
    assert await access.set_chat_reachable(rt, SXD, True, now=local(date(2026, 11, 26), 9))
    rec = await run(local(date(2026, 12, 1), 8))
    assert "remind.overdue" in _reminders(rec, STC)
    assert _reminders(rec, SXD) == []


async def test_a_person_moved_while_blocked_gets_no_pings_of_the_old_unit_when_they_unblock_later(rt, people, run):
    await _assign(rt, people, date(2026, 12, 15))
    rec = await run(NOW - timedelta(seconds=1))
    rec.fail[SXD] = Unreachable("Forbidden: bot was blocked by the user")
    await run(NOW)
    invite = await access.create_invite(rt, role="focal", unit_code="STC", now=NOW + timedelta(hours=1))
    await access.register(rt, SXD, invite.token, full_name="Đầu mối", username=None, language="vi",
                          now=NOW + timedelta(hours=1))  # moved to STC (the chat marked reachable, rows left held)
    await run(NOW + timedelta(hours=2))  # blocks again: a STC notice or ping bounces
    await access.set_chat_reachable(rt, SXD, False, now=NOW + timedelta(hours=3))
    del rec.fail[SXD]
    assert await access.set_chat_reachable(rt, SXD, True, now=NOW + timedelta(days=1))
    rec = await run(local(date(2026, 12, 8), 8))
    async with rt.sessions() as s:
        sxd_directive = await s.scalar(select(Directive.code).order_by(Directive.id))
    assert not [g for _, c, g in rec.got if c == SXD and any(t.startswith("remind.") for t in g)], \
        f"{sxd_directive} (Sở XD's) pinged to a person now in Sở Tài chính"


async def test_the_card_warns_when_the_only_focal_point_of_a_unit_blocked_the_bot(rt, people, run):
    code = await _assign(rt, people, date(2026, 12, 15), lead=("SYT",))
    await access.set_chat_reachable(rt, 2003, False, now=NOW)  # Sở Y tế's only focal point blocked the bot
    card = await queries.card(rt, people.admin, code, now=NOW)
    assert card.unheard == ("Sở Y tế",)


async def test_the_only_admin_opening_a_focal_invite_link_is_not_silently_demoted(chat, rt, people):
    invite = await access.create_invite(rt, role="focal", unit_code="SYT", now=NOW)
    await chat.say(1001, f"/start {invite.token}")
    actor = await access.identify(rt, 1001)
    assert actor is not None and actor.role == "admin"
