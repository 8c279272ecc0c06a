"""A group the bot was removed from and registered again gets its reminders back; a send-back does not
repeat at once an escalation the leader and the office already had."""

from __future__ import annotations

from datetime import date, timedelta

from bot.outbox import Dispatcher
from tests.conftest import NOW
from tests.integration.test_reaching_people import _assign
from tests.integration.test_reminders import NoLimit, Recorder, local

SXD = 2001


async def test_a_group_the_bot_was_removed_from_gets_its_reminders_when_registered_again(rt, people):
    from bot.outbox import Unreachable
    from bot.services import access

    await access.register_group(rt, people.sxd, -700, "Nhóm SXD", now=NOW - timedelta(minutes=5))
    await _assign(rt, people, date(2026, 12, 15))
    rec = Recorder()
    rec.fail[-700] = Unreachable("Forbidden: bot was kicked from the group chat")
    dispatcher = Dispatcher(rt, rec, "t", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(NOW):
        pass
    del rec.fail[-700]
    await access.register_group(rt, people.sxd, -700, "Nhóm SXD", now=NOW + timedelta(days=1))
    while await dispatcher.run_once(local(date(2026, 12, 8), 8)):
        pass
    assert [t for t in rec.texts(-700) if t.startswith("remind.")] == ["remind.before"]


async def test_sending_back_a_long_overdue_report_does_not_escalate_again_to_whoever_sent_it_back(rt, people):
    from bot.services import directives as svc

    code = await _assign(rt, people, date(2026, 11, 27))
    rec = Recorder()
    dispatcher = Dispatcher(rt, rec, "t", NoLimit())  # type: ignore[arg-type]
    for moment in (NOW, local(date(2026, 12, 4), 8), local(date(2026, 12, 7), 8)):
        while await dispatcher.run_once(moment):
            pass
    first = rec.texts(1001).count("remind.escalation")
    await svc.report_done(rt, people.sxd, code, "Xong", now=local(date(2026, 12, 7), 9))
    await svc.send_back(rt, people.admin, code, "Thiếu số liệu", now=local(date(2026, 12, 7), 10))
    while await dispatcher.run_once(local(date(2026, 12, 7), 11)):
        pass
    assert first == 1 and rec.texts(1001).count("remind.escalation") == 1
