"""A standing directive (no deadline) is announced as standing, never with an empty deadline."""

from bot.outbox import Dispatcher
from bot.services import directives as svc
from handlers.notifier import make_sender
from tests.conftest import NOW
from tests.integration.test_reminders import NoLimit


async def test_a_standing_directive_is_announced_as_standing_not_with_an_empty_deadline(chat, rt, people):
    await svc.create_directives(rt, people.leader, [svc.NewDirective("Báo cáo tình hình", ["SXD"], [], None)], now=NOW)
    dispatcher = Dispatcher(rt, make_sender(chat.bot, rt), "probe", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(NOW):
        pass
    [text] = chat.texts(2001)
    assert "None" not in text, text
