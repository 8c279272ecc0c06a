"""Proves the Bot API emulator works with a real python-telegram-bot 22 Application over HTTP."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.e2e.harness import Emulator, free_port, max_in_window

pytestmark = [
    pytest.mark.e2e,
    # PTB itself reads RetryAfter.retry_after (AIORateLimiter, str()); not our concern here.
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

COMMANDS = [BotCommand("start", "Bắt đầu"), BotCommand("help", "Trợ giúp")]


@dataclass
class Seen:
    update_ids: list[int] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    echoed: list[int] = field(default_factory=list)  # updates whose echo handler has finished


def build_app(emu: Emulator, seen: Seen, rate_limiter: AIORateLimiter | None = None) -> Application:
    builder = emu.application_builder()
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    app = builder.build()

    async def track(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.update_ids.append(update.update_id)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Đồng ý", callback_data="agree")]])
        await update.effective_message.reply_text("Xin chào! Bạn đồng ý chứ?", reply_markup=keyboard)

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer("Đã ghi nhận")
        await query.edit_message_text(f"Bạn đã chọn: {query.data}")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text = update.effective_message.text
        await update.effective_message.reply_document(
            document=text.encode(), filename="echo.txt", caption=text
        )
        seen.echoed.append(update.update_id)

    async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tg_file = await update.effective_message.document.get_file()
        content = await tg_file.download_as_bytearray()
        await update.effective_message.reply_text(f"Đã nhận {len(content)} byte: {bytes(content).decode()}")

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.errors.append(context.error)

    app.add_handler(MessageHandler(filters.ALL, track), group=-1)
    app.add_handler(CallbackQueryHandler(track), group=-1)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_error_handler(on_error)
    return app


async def run_app(app: Application) -> None:
    await app.initialize()
    await app.bot.set_my_commands(COMMANDS)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1, drop_pending_updates=True)


async def stop_app(app: Application) -> None:
    if app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()


@pytest.fixture
async def bot_app(clean_emulator: Emulator) -> AsyncIterator[tuple[Emulator, Application, Seen]]:
    seen = Seen()
    app = build_app(clean_emulator, seen)
    await run_app(app)
    try:
        yield clean_emulator, app, seen
    finally:
        await stop_app(app)


async def test_start_reply_button_edit_and_answer(bot_app) -> None:
    emu, app, seen = bot_app
    assert emu.commands() == [{"command": c.command, "description": c.description} for c in COMMANDS]
    assert [c.command for c in await app.bot.get_my_commands()] == ["start", "help"]
    me = await app.bot.get_me()
    assert me.is_bot and me.username == "TestNameBot"

    anna = emu.user(1001, "Anna", username="anna")
    anna.send_text("/start")
    reply = await anna.wait_for_message(lambda m: m.buttons)
    assert reply.text == "Xin chào! Bạn đồng ý chứ?"
    assert reply.button_data("Đồng ý") == "agree"
    assert not reply.edited

    cq_id = anna.press("agree", reply.message_id)
    edited = await anna.wait_for_message(lambda m: m.edited)
    assert edited.message_id == reply.message_id
    assert edited.text == "Bạn đã chọn: agree"
    assert edited.buttons == []  # editing without reply_markup drops the keyboard, as Telegram does
    answer = emu.callback_answer(cq_id)
    assert answer["answered"] and answer["answer"]["text"] == "Đã ghi nhận"
    assert seen.errors == []


async def test_group_chat_and_document_download(bot_app) -> None:
    emu, app, seen = bot_app
    binh = emu.user(1002, "Bình")
    binh.send_text("/start", chat_id=-5001, chat_title="Phòng Tổng hợp")
    msg = await binh.wait_for_message(lambda m: m.buttons, chat_id=-5001)
    assert msg.message["chat"] == {"id": -5001, "type": "group", "title": "Phòng Tổng hợp"}

    csv = "mã,tên\n1,Sở Nội vụ\n".encode()
    binh.send_document(csv, "units.csv", mime_type="text/csv")
    got = await binh.wait_for_message(lambda m: (m.text or "").startswith("Đã nhận"))
    assert got.text == f"Đã nhận {len(csv)} byte: mã,tên\n1,Sở Nội vụ\n"


async def test_fifty_rapid_messages_are_neither_lost_nor_duplicated(bot_app) -> None:
    emu, app, seen = bot_app
    chi = emu.user(1003, "Chi")
    texts = [f"tin {i}" for i in range(50)]
    sent_ids = [chi.send_text(t)["update_id"] for t in texts]

    await emu.wait_for(lambda: len(chi.messages()) >= 50, timeout=15)
    # Every handler has finished: nothing more can be sent, so what the emulator holds is all there is.
    await emu.wait_for(lambda: len(seen.echoed) >= 50 and emu.pending_updates()["count"] == 0, timeout=15)
    replies = chi.messages()
    assert [m.text for m in replies] == texts
    assert all(m.method == "sendDocument" and m.document["file_name"] == "echo.txt" for m in replies)
    assert emu.file_bytes(replies[7].document["file_id"]) == b"tin 7"
    assert sorted(seen.update_ids) == sorted(sent_ids)
    assert len(set(seen.update_ids)) == 50
    await emu.wait_for(lambda: emu.pending_updates()["count"] == 0, message="updates never acknowledged")
    assert seen.errors == []


async def test_injected_429_reaches_the_bot_as_retry_after(bot_app) -> None:
    emu, app, seen = bot_app
    dung = emu.user(1004, "Dũng")
    emu.inject_fault("sendDocument", status=429, retry_after=1, count=1)
    dung.send_text("lần 1")
    await emu.wait_for(lambda: seen.errors, message="RetryAfter never reached the bot")
    assert isinstance(seen.errors[0], RetryAfter)
    assert "Retry in 1" in str(seen.errors[0])
    assert dung.messages() == []
    # The fault was for one call only: the next message goes through.
    dung.send_text("lần 2")
    assert (await dung.wait_for_message()).text == "lần 2"
    assert [c["status"] for c in emu.calls("sendDocument")] == [429, 200]


async def test_429_is_retried_by_ptb_rate_limiter(clean_emulator: Emulator) -> None:
    emu = clean_emulator
    seen = Seen()
    app = build_app(emu, seen, rate_limiter=AIORateLimiter(max_retries=2))
    await run_app(app)
    try:
        emu.inject_fault("sendDocument", status=429, retry_after=1, count=1)
        started = time.monotonic()
        ewa = emu.user(1005, "Ê-va")
        ewa.send_text("kiên nhẫn")
        msg = await ewa.wait_for_message(timeout=10)
        assert msg.text == "kiên nhẫn"
        assert time.monotonic() - started >= 1.0
        assert seen.errors == []
    finally:
        await stop_app(app)


async def test_403_for_one_chat_yields_forbidden(bot_app) -> None:
    emu, app, seen = bot_app
    blocked, other = emu.user(1006, "Giang"), emu.user(1007, "Hà")
    emu.block_chat(blocked.id)
    blocked.send_text("xin chào")
    other.send_text("xin chào")
    assert (await other.wait_for_message()).text == "xin chào"
    await emu.wait_for(lambda: seen.errors)
    assert isinstance(seen.errors[0], Forbidden)
    assert "blocked" in str(seen.errors[0])
    assert blocked.messages() == []


async def test_rate_limit_and_sliding_window(clean_emulator: Emulator) -> None:
    emu = clean_emulator
    # 5 per 10 s window: the limit is hit deterministically even on a slow machine.
    emu.set_rate_limit(per_second=5, window_ms=10_000)
    seen = Seen()
    app = build_app(emu, seen)
    await app.initialize()
    try:
        outcomes = []
        for i in range(8):
            try:
                await app.bot.send_message(chat_id=2001, text=f"m{i}")
                outcomes.append("ok")
            except RetryAfter:
                outcomes.append("429")
        assert outcomes == ["ok"] * 5 + ["429"] * 3
        assert emu.max_sends_in_window(10_000) == 5
        assert max_in_window([m.sent_at for m in emu.sent(chat_id=2001)], 10_000) <= 5
        rejected = [c for c in emu.calls("sendMessage") if c["status"] == 429]
        assert len(rejected) == 3
    finally:
        emu.clear_rate_limit()
        await app.shutdown()


async def test_bot_api_errors_are_telegram_shaped(clean_emulator: Emulator) -> None:
    emu = clean_emulator
    seen = Seen()
    app = build_app(emu, seen)
    await app.initialize()
    try:
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await app.bot.send_message(chat_id=3001, text="")
        with pytest.raises(BadRequest, match="(?i)can.t parse entities"):
            await app.bot.send_message(chat_id=3001, text="<b>đậm", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)message to edit not found"):
            await app.bot.edit_message_text("x", chat_id=3001, message_id=999)
        msg = await app.bot.send_message(chat_id=3001, text="<b>đậm</b>", parse_mode="HTML")
        assert msg.text == "đậm" and msg.date.year >= 2024
        with pytest.raises(BadRequest, match="(?i)not modified"):
            await app.bot.edit_message_text(
                "<b>đậm</b>", chat_id=3001, message_id=msg.message_id, parse_mode="HTML"
            )
        resp = emu.bot_api("noSuchMethod")
        assert resp.status_code == 404 and resp.json()["ok"] is False
        emu.inject_fault("sendMessage", status=429, retry_after=3)
        resp = emu.bot_api("sendMessage", chat_id=3001, text="x")
        assert resp.status_code == 429
        assert resp.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        }
    finally:
        await app.shutdown()


async def test_failed_webhook_delivery_does_not_kill_the_emulator(clean_emulator: Emulator) -> None:
    emu = clean_emulator
    token = "987654321:TEST-webhook"
    app = emu.application_builder(token=token).build()
    await app.initialize()
    try:
        dead_port = free_port()  # nothing listens there
        await app.bot.set_webhook(f"http://127.0.0.1:{dead_port}/hook")
        emu.user(4001, "Khoa", token=token).send_text("còn sống không?")
        await emu.wait_for(lambda: emu.bot_api("getWebhookInfo", token=token).json()["result"].get(
            "last_error_message"), timeout=5, message="the failed delivery was not recorded")
        info = await app.bot.get_webhook_info()
        assert info.last_error_message and info.pending_update_count == 1
        assert emu.running
        await app.bot.delete_webhook()
        updates = await app.bot.get_updates(timeout=1)
        assert [u.message.text for u in updates] == ["còn sống không?"]
    finally:
        await app.shutdown()


async def test_webhook_mode_with_secret_token(clean_emulator: Emulator) -> None:
    emu = clean_emulator
    token = "555000555:TEST-webhook-mode"
    app = emu.application_builder(token=token).build()

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("qua webhook")

    app.add_handler(CommandHandler("start", start))
    port = free_port()
    await app.initialize()
    await app.start()
    try:
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="s3cret",
        )
        user = emu.user(6001, "Minh", token=token)
        user.send_text("/start")
        assert (await user.wait_for_message()).text == "qua webhook"
        await emu.wait_for(lambda: emu.pending_updates(token=token)["count"] == 0)
    finally:
        await stop_app(app)


async def test_package_client_routes_still_work(clean_emulator: Emulator) -> None:
    """The package's own client routes (/sendMessage etc.) feed the same store."""
    emu = clean_emulator
    body = {
        "botToken": emu.token,
        "from": {"id": 5001, "first_name": "Lan", "is_bot": False},
        "chat": {"id": 5001, "type": "private", "first_name": "Lan"},
        "text": "qua client của gói",
    }
    emu.request("POST", "/sendMessage", json=body)
    pending = emu.pending_updates()
    assert [u["message"]["text"] for u in pending["updates"]] == ["qua client của gói"]
    assert emu.bot_api("sendMessage", chat_id=5001, text="trả lời").status_code == 200
    unread = emu.request("POST", "/getUpdates", json={"token": emu.token, "chatId": 5001})
    assert [u["message"]["text"] for u in unread] == ["trả lời"]
    assert emu.request("POST", "/getUpdates", json={"token": emu.token, "chatId": 5001}) == []


async def test_reset_while_the_bot_keeps_polling(bot_app) -> None:
    emu, app, seen = bot_app
    user = emu.user(7001, "Nga")
    user.send_text("trước")
    assert (await user.wait_for_message()).text == "trước"
    emu.reset()
    assert user.messages() == []
    user.send_text("sau")
    assert (await user.wait_for_message()).text == "sau"
    assert seen.errors == []
