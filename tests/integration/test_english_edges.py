"""English readers and strangers: a batch header counts directives and says notices when they are, a
stranger with an English Telegram gets English, and so do invite errors for someone who chose English."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.outbox import Dispatcher
from bot.services import access
from bot.services import directives as svc
from handlers.notifier import make_sender
from tests.conftest import NOW
from tests.integration.offline import _update_ids
from tests.integration.test_reminders import NoLimit


async def test_batch_header_counts_directives_not_notices(chat, rt, people):
    """One directive, four notices to the focal point: the header must not say «4 directives»."""
    [card] = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát", ["SXD"], [], date(2026, 12, 15))], now=NOW)
    await access.set_language(rt, people.sxd, "en", now=NOW)
    await svc.request_extension(rt, people.sxd, card.code, date(2027, 1, 15), "Chờ số liệu", now=NOW)
    await chat.say(1002, f"/xem {card.code}")
    await chat.press(1002, chat.button(1002, "Từ chối"))
    await chat.say(1002, "Thiếu số liệu")
    dispatcher = Dispatcher(rt, make_sender(chat.bot, rt), "probe", NoLimit())  # type: ignore[arg-type]
    while await dispatcher.run_once(NOW):
        pass
    text = chat.texts(2001)[-1]
    assert "2 directives" not in text and "3 directives" not in text, text


async def test_english_stranger_pressing_an_old_button_is_answered_in_english(chat, rt, people):
    await chat.app.process_update(Update.de_json({"update_id": next(_update_ids), "callback_query": {
        "id": str(next(_update_ids)), "chat_instance": "ci", "data": "garbage",
        "from": {"id": 777, "is_bot": False, "first_name": "John", "language_code": "en"},
        "message": {"message_id": 1, "date": 0, "text": "x", "chat": {"id": 777, "type": "private"}}}}, chat.bot))
    alert = chat.request.alerts()[-1]
    assert "Thao tác" not in alert, alert


async def test_person_who_chose_english_gets_invite_errors_in_english(chat, rt, people):
    await chat.say(2001, "/ngonngu en")
    invite = await access.create_invite(rt, role="focal", unit_code="STC", now=NOW)
    await access.register(rt, 9999, invite.token, full_name="X", username=None, language="vi", now=NOW)
    answer = await chat.say(2001, f"/start {invite.token}")  # the link was already used
    assert "Lời mời" not in answer and "đã" not in answer, answer
