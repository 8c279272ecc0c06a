"""The right people keep hearing about a directive over its whole life: after a send-back or a reopening,
while another lead unit still works, after unblocking the bot, after a group moved to a supergroup, after
a person moved unit; and when a unit has nobody to hear, the people assigning see it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.errors import DomainError
from bot.outbox import Delivery, Dispatcher, Moved, Unreachable
from bot.services import access, notify
from bot.services import directives as svc
from handlers.notifier import messages
from storage.models import Address, Outbox, Person, Unit
from tests.addressing import telegram_address, to_chat
from tests.conftest import NOW
from tests.integration.test_reminders import NoLimit, Recorder, local
from tests.integration.test_reminders import run as run  # noqa: F401 - the dispatcher fixture

SXD, STC = 2001, 2002


async def _assign(rt, people, deadline: date, lead=("SXD",), now=NOW) -> str:
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Rà soát dự án", lead=list(lead), support=[], deadline=deadline)], now=now)
    return card.code


def _reminders(rec, chat: int) -> list[str]:
    return [t for t in rec.texts(chat) if t.startswith("remind.")]


async def test_a_reopened_directive_is_chased_again_before_and_after_its_deadline(rt, people, run):
    code = await _assign(rt, people, date(2026, 12, 15))
    await run(NOW)
    await svc.report_done(rt, people.sxd, code, "Xong", now=NOW + timedelta(hours=1))
    await svc.confirm_done(rt, people.admin, code, now=NOW + timedelta(hours=2))
    await svc.reopen(rt, people.admin, code, "Cần bổ sung", now=local(date(2026, 11, 23), 9))
    assert _reminders(await run(local(date(2026, 12, 8), 8)), SXD) == ["remind.before"]
    assert "remind.overdue" in _reminders(await run(local(date(2026, 12, 16), 8)), SXD)


async def test_a_report_sent_back_after_the_deadline_is_chased_as_overdue(rt, people, run):
    code = await _assign(rt, people, date(2026, 12, 15))
    await run(NOW)
    await svc.report_done(rt, people.sxd, code, "Xong", now=NOW + timedelta(hours=1))
    await svc.send_back(rt, people.admin, code, "Thiếu số liệu", now=NOW + timedelta(hours=2))
    assert "remind.overdue" in _reminders(await run(local(date(2026, 12, 16), 8)), SXD)


async def test_the_event_log_still_rebuilds_a_directive_sent_back(rt, people):
    from bot.services.verification import verify_log

    code = await _assign(rt, people, date(2026, 12, 15))
    await svc.report_done(rt, people.sxd, code, "Xong", now=NOW + timedelta(hours=1))
    await svc.send_back(rt, people.admin, code, "Thiếu số liệu", now=NOW + timedelta(hours=2))
    checked = await verify_log(rt)
    assert checked.ok and checked.directives == 1, checked.differences


async def test_a_lead_unit_that_reported_its_part_is_not_chased_while_the_other_lead_is(rt, people, run):
    code = await _assign(rt, people, date(2026, 11, 27), lead=("SXD", "STC"))
    await run(NOW)
    await svc.report_done(rt, people.sxd, code, "Xong phần Sở XD", now=local(date(2026, 11, 25), 9))
    rec = await run(local(date(2026, 12, 1), 8))
    assert "remind.overdue" in _reminders(rec, STC)
    assert "remind.overdue" not in _reminders(rec, SXD)


async def test_a_ping_for_a_deadline_on_a_holiday_names_the_day_it_really_ends(rt, people):
    await _assign(rt, people, date(2027, 2, 10), now=local(date(2027, 1, 20), 9))  # mùng 5 Tết
    async with rt.sessions() as s:
        row = await s.scalar(select(Outbox).where(Outbox.kind == "remind_before", to_chat(SXD))
                             .order_by(Outbox.due_at.desc()))
    text = messages([Delivery(row.id, row.address_id, row.kind, dict(row.payload), 0, row.directive_id)], "vi")[0][0]
    assert "11/02/2027" in text and "10/02/2027" not in text


async def test_a_person_who_unblocked_the_bot_is_chased_again(rt, people, run):
    await _assign(rt, people, date(2026, 12, 15))
    rec = await run(NOW - timedelta(seconds=1))
    rec.fail[SXD] = Unreachable("Forbidden: bot was blocked by the user")
    await run(NOW)
    del rec.fail[SXD]
    assert await access.set_chat_reachable(rt, SXD, True, now=NOW + timedelta(days=1))
    assert _reminders(await run(local(date(2026, 12, 8), 8)), SXD) == ["remind.before"]


async def test_a_group_registered_again_as_a_supergroup_gets_each_message_once_and_others_are_not_held(rt, people):
    await access.register_group(rt, people.sxd, -100, "Nhóm SXD", now=NOW)
    await _assign(rt, people, date(2026, 12, 15))
    await access.register_group(rt, people.sxd, -1001234, "Nhóm SXD", now=NOW + timedelta(minutes=1))
    rec = Recorder()
    rec.fail[-100] = Moved("-1001234")
    dispatcher = Dispatcher(rt, rec, "t", NoLimit())  # type: ignore[arg-type]
    for moment in (NOW + timedelta(minutes=2), NOW + timedelta(minutes=10), local(date(2026, 12, 8), 8)):
        while await dispatcher.run_once(moment):
            pass
    assert rec.texts(-1001234).count("notify.assigned") == 1
    assert rec.texts(-1001234).count("remind.before") == 1
    assert rec.texts(SXD) == []  # one copy per unit (issue 22): the group, not its focal point as well
    from bot.services.verification import verify_log

    checked = await verify_log(rt)  # the queue's copy of each row's address moved with the row
    assert checked.ok, checked.differences


async def test_a_group_of_one_unit_is_not_taken_over_by_another_until_its_unit_releases_it(chat, rt, people):
    await chat.say(SXD, "/dangkynhom", chat_id=-700)
    refused = await chat.say(STC, "/dangkynhom", chat_id=-700)
    assert "Sở Xây dựng" in refused and "/dangkynhom huy" in refused
    async with rt.sessions() as s:
        sxd = await s.scalar(select(Unit.id).where(Unit.code == "SXD"))
        group = await s.scalar(select(Address.id).where(telegram_address(-700)))
        assert group in await notify.unit_addresses(s, [sxd])
    assert "Sở Xây dựng" in await chat.say(STC, "/dangkynhom huy", chat_id=-700)  # not theirs to release
    assert "thôi nhận thông báo của Sở Xây dựng" in await chat.say(SXD, "/dangkynhom huỷ", chat_id=-700)
    assert "Sở Tài chính" in await chat.say(STC, "/dangkynhom", chat_id=-700)
    async with rt.sessions() as s:
        assert group not in await notify.unit_addresses(s, [sxd])


async def test_a_person_invited_again_moves_unit_and_the_old_units_pings_stop(chat, rt, people, run):
    await _assign(rt, people, date(2026, 12, 15))
    invite = await access.create_invite(rt, role="focal", unit_code="STC", now=NOW)
    reply = await chat.say(SXD, f"/start {invite.token}")
    assert "Sở Tài chính" in reply and "lời mời mới" in reply
    rec = await run(local(date(2026, 12, 8), 8))
    assert _reminders(rec, SXD) == []


async def test_a_deactivated_person_is_a_stranger_and_hears_nothing_more(chat, rt, people, run):
    await _assign(rt, people, date(2026, 12, 15))
    gone = await access.deactivate(rt, SXD, now=NOW)
    assert gone.unit_code == "SXD"
    assert await access.identify(rt, SXD) is None
    assert "2001" in await chat.say(SXD, "/viec")
    assert _reminders(await run(local(date(2026, 12, 8), 8)), SXD) == []
    try:
        await access.deactivate(rt, SXD, now=NOW)
    except DomainError as error:
        assert error.key == "person.unknown"
    else:
        raise AssertionError("deactivating twice must be refused")
    async with rt.sessions() as s:
        assert await s.scalar(select(Person.active).where(Person.telegram_id == SXD)) is False


async def test_a_leader_sees_on_the_card_that_nobody_hears_for_a_unit_it_assigns(chat, rt, people):
    await chat.say(1002, "Giao UBND phường Thuận An chủ trì rà soát hồ sơ đất đai, báo cáo trước ngày 15/12/2026.")
    card = await chat.press(1002, chat.button(1002, "Giao việc"))
    assert "Chưa ai nhận tin của bot cho: UBND phường Thuận An" in card
