"""Đôn Đốc end to end: the real bot process (`python -m bot run`, prepared with the admin CLI) talking to
the Bot API emulator over HTTP, played by people pressing the buttons it shows them (DESIGN §4).

One bot runs for the whole module (see tests/e2e/bot_process.py); everyone registers once with their
invite. The bot uses the real clock, so deadlines are computed from today.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import WorkingCalendar
from tests.e2e.bot_process import BOT_USERNAME, BotProcess, running_bot
from tests.e2e.harness import DEADLINE, EmulatedUser, Emulator, SentMessage

pytestmark = pytest.mark.e2e

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WAIT = DEADLINE  # every wait returns as soon as its condition holds
CODE = re.compile(r"CD-\d{4}-\d{4}")

INVITES = {
    "admin": ("admin", "VP"),
    "leader": ("leader", None),
    "sxd": ("focal", "SXD"),
    "stc": ("focal", "STC"),
    "syt": ("focal", "SYT"),
    "viewer": ("viewer", None),
}
# name: (telegram id, first name, role label, unit label, first menu button)
PEOPLE = {
    "admin": (1001, "Chuyên viên VP", "Văn phòng (quản trị)", "Văn phòng UBND tỉnh", "📥 Chờ xử lý"),
    "leader": (1002, "Phó Chủ tịch", "Lãnh đạo", "—", "📥 Chờ xử lý"),
    "sxd": (2001, "Đầu mối Sở XD", "Đầu mối đơn vị", "Sở Xây dựng", "📋 Việc của đơn vị"),
    "stc": (2002, "Đầu mối Sở TC", "Đầu mối đơn vị", "Sở Tài chính", "📋 Việc của đơn vị"),
    "syt": (2003, "Đầu mối Sở YT", "Đầu mối đơn vị", "Sở Y tế", "📋 Việc của đơn vị"),
    "viewer": (3001, "Người xem", "Theo dõi", "—", "⏰ Sắp đến hạn"),
}
NOT_YOUR_UNIT = "Nhiệm vụ này không giao cho đơn vị của bạn."
READ_REFUSED = "chỉ mở được thẻ, lịch sử và tệp của nhiệm vụ mà đơn vị mình chủ trì hoặc phối hợp"


def working_day_after(days: int) -> date:
    """A working day about ``days`` from today (Vietnam time), so it is never a shifted or past deadline."""
    calendar = WorkingCalendar()
    day = datetime.now(UTC).astimezone(TZ).date() + timedelta(days=days)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# -- a person in a private chat with the bot ---------------------------------------------------------


class Person:
    """An emulated user and what the bot shows them, with waits that return as soon as the bot answers."""

    def __init__(self, user: EmulatedUser, emulator: Emulator):
        self.user = user
        self.emu = emulator
        self.id = user.id
        self.last_answer: str | None = None  # the toast of the last button pressed

    def messages(self) -> list[SentMessage]:
        return self.user.messages()

    def count(self) -> int:
        return len(self.messages())

    async def next_message(self, after: int, predicate: Callable[[SentMessage], bool] = lambda m: True,
                           what: str = "a message") -> SentMessage:
        try:
            return await self.user.wait_for_message(predicate, timeout=WAIT, after=after)
        except AssertionError:
            seen = [m.text for m in self.messages()[after:]]
            raise AssertionError(f"{self.user.first_name} ({self.id}) got no {what}; got {seen}") from None

    async def say(self, text: str, expect: Callable[[SentMessage], bool] = lambda m: True,
                  what: str = "answer") -> SentMessage:
        """Type ``text``; the first new bot message matching ``expect``."""
        before = self.count()
        self.user.send_text(text)
        return await self.next_message(before, expect, f"{what} to {text!r}")

    async def say_and_see_edit(self, message: SentMessage, text: str) -> SentMessage:
        """Type ``text`` answering the question asked under ``message``: that message once it has become the
        updated card (no new message)."""
        before = self.current(message).edit_count
        self.user.send_text(text)
        return await self.emu.wait_for(
            lambda: (m := self.current(message)).edit_count > before and m,
            timeout=WAIT, message=f"answering {text!r} did not update the card")

    async def answered(self, callback_query_id: str) -> dict:
        """The callback query's answer (``{"text", "show_alert", ...}``) once the bot has answered it."""
        record = await self.emu.wait_for(
            lambda: (r := self.emu.callback_answer(callback_query_id))["answered"] and r,
            timeout=WAIT, message=f"callback {callback_query_id} of {self.id} was never answered")
        return record["answer"] or {}

    async def press(self, message: SentMessage, label: str) -> tuple[str, dict]:
        """Press the button whose label contains ``label``; (callback query id, its answer)."""
        data = button_data(message, label)
        cq = self.user.press(data, message.message_id)
        return cq, await self.answered(cq)

    async def press_and_see_edit(self, message: SentMessage, label: str) -> SentMessage:
        """Press a button that edits the pressed message in place; the message once edited."""
        before = self.current(message).edit_count
        _, answer = await self.press(message, label)
        assert not answer.get("show_alert"), f"{label!r} refused: {answer.get('text')}"
        self.last_answer = answer.get("text")
        return await self.emu.wait_for(
            lambda: (m := self.current(message)).edit_count > before and m,
            timeout=WAIT, message=f"pressing {label!r} did not update the message")

    async def press_and_see_new(self, message: SentMessage, label: str,
                                expect: Callable[[SentMessage], bool] = lambda m: True) -> SentMessage:
        """Press a button that answers with a new message (a card, a question, the history)."""
        before = self.count()
        _, answer = await self.press(message, label)
        assert not answer.get("show_alert"), f"{label!r} refused: {answer.get('text')}"
        return await self.next_message(before, expect, f"message after pressing {label!r}")

    def current(self, message: SentMessage) -> SentMessage:
        """The message as it is now (after edits)."""
        return next(m for m in self.messages() if m.message_id == message.message_id)

    async def notification(self, after: int, text: str) -> SentMessage:
        return await self.next_message(after, lambda m: text in (m.text or ""), f"notification {text!r}")


def button_data(message: SentMessage, label: str) -> str:
    for b in message.buttons:
        if label in b.get("text", ""):
            return b["callback_data"]
    raise AssertionError(f"no button {label!r} in {[b.get('text') for b in message.buttons]}: {message.text!r}")


def labels(message: SentMessage) -> list[str]:
    return [b.get("text", "") for b in message.buttons]


def status_of(card: SentMessage) -> str:
    """The card's status line: "CD-2026-0001 · <status>" (after any "done" line above the card)."""
    for line in (card.text or "").splitlines():
        if CODE.match(line) and " · " in line:
            return line.split(" · ", 1)[1]
    raise AssertionError(f"not a card: {card.text!r}")


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bot(request: pytest.FixtureRequest, emulator: Emulator, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[BotProcess]:
    yield from running_bot(request, emulator, tmp_path_factory.mktemp("dondoc-bot"), INVITES)


@dataclass
class Cast:
    bot: BotProcess
    people: dict[str, Person]
    greetings: dict[str, SentMessage]

    def __getattr__(self, name: str) -> Person:
        try:
            return self.people[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture(scope="module")
def cast(bot: BotProcess, emulator: Emulator) -> Cast:
    """Everyone registered through their invite link (`/start <token>`), once for the module."""
    people, greetings = {}, {}
    for name, (tid, first_name, *_rest) in PEOPLE.items():
        person = Person(bot.user(tid, first_name), emulator)
        person.user.send_text(f"/start {bot.invites[name]}")
        greetings[name] = emulator.wait_for_sync(
            lambda p=person: next(iter(p.messages()), None), timeout=WAIT,
            message=f"{name} got no answer to /start <token>")
        people[name] = person
    return Cast(bot, people, greetings)


# -- 1. strangers ------------------------------------------------------------------------------------


async def test_a_strangers_start_is_refused_with_their_telegram_id_and_nothing_else_answers_them(bot, emulator):
    stranger = Person(bot.user(777001, "Người lạ"), emulator)
    refusal = await stranger.say("/start")
    assert "Văn phòng UBND tỉnh" in refusal.text and "777001" in refusal.text
    assert refusal.reply_markup is None or "keyboard" not in refusal.reply_markup, "no menu for a stranger"

    for text in ("việc quá hạn", "/viec", "/giaoviec", "Giao Sở Y tế kiểm tra trước ngày 30/12/2026."):
        assert (await stranger.say(text)).text == refusal.text, f"{text!r} got something else than the refusal"

    # A forged button on the refusal message: a short alert, no message, nothing done.
    cq = stranger.user.press("ack|CD-2026-0001|1|", refusal.message_id)
    answer = await stranger.answered(cq)
    assert answer["show_alert"] and "chưa được đăng ký" in answer["text"]

    last = await stranger.say("/start")
    assert last.text == refusal.text
    assert [m.text for m in stranger.messages()] == [refusal.text] * 6, "only the refusal, once per message"


# -- 2. invites ---------------------------------------------------------------------------------------


async def test_an_invite_registers_each_role_with_a_greeting_and_its_menu_keyboard(cast):
    for name, link in cast.bot.invite_links.items():
        assert link == f"https://t.me/{BOT_USERNAME}?start={cast.bot.invites[name]}"
    for name, (_, first_name, role, unit, first_button) in PEOPLE.items():
        greeting = cast.greetings[name]
        assert greeting.text.startswith(f"Đăng ký thành công! Chào {first_name} — {role}, đơn vị: {unit}."), (
            name, greeting.text)
        keyboard = (greeting.reply_markup or {}).get("keyboard")
        assert keyboard, f"{name} got no reply keyboard"
        assert keyboard[0][0]["text"] == first_button, (name, keyboard)
        assert len(cast.people[name].messages()) == 1


async def test_a_reused_invite_is_refused_and_leaves_the_newcomer_a_stranger(cast, emulator):
    newcomer = Person(cast.bot.user(4242, "Người đến sau"), emulator)
    reply = await newcomer.say(f"/start {cast.bot.invites['sxd']}")
    assert "Mã mời này đã được sử dụng." in reply.text and "4242" in reply.text
    refusal = await newcomer.say("/viec")
    assert "chỉ dành cho cán bộ được Văn phòng UBND tỉnh mời" in refusal.text

    # The person who used the invite is simply welcomed back.
    back = await cast.sxd.say("/start")
    assert back.text.startswith("Chào Đầu mối Sở XD — Đầu mối đơn vị, đơn vị: Sở Xây dựng.")


# -- 3. a directive's whole life ------------------------------------------------------------------------


async def assign_by_typing(leader: Person, text: str) -> tuple[str, SentMessage]:
    """The leader types a directive, sees the draft preview, presses «Giao việc»: (code, card)."""
    preview = await leader.say(text, lambda m: any("Giao việc" in b for b in labels(m)), "draft preview")
    assert "Bản nháp" in preview.text
    card = await leader.press_and_see_edit(preview, "Giao việc")
    code = CODE.search(card.text)
    assert code, card.text
    return code.group(0), card


def bot_calls(bot: BotProcess) -> list[dict]:
    return bot.emulator.calls(token=bot.token)


def assert_all_went_well(bot: BotProcess, calls_before: int) -> None:
    """Every Bot API call since then succeeded, and the bot logged no error."""
    failed = [c for c in bot_calls(bot)[calls_before:] if c["status"] != 200]
    assert not failed, failed
    assert not bot.errors_logged(), "\n".join(bot.errors_logged())


async def test_a_directive_lives_from_a_typed_assignment_to_a_confirmed_completion(cast):
    leader, admin, sxd, stc = cast.leader, cast.admin, cast.sxd, cast.stc
    calls_before = len(bot_calls(cast.bot))
    bystanders = {p: p.count() for p in (cast.syt, cast.viewer)}
    deadline = working_day_after(45)
    new_deadline = working_day_after(75)
    seen = {p: p.count() for p in (leader, admin, sxd, stc)}

    # The leader types the directive as in a meeting notice; nothing is assigned before confirmation.
    text = (f"Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án chậm tiến độ, "
            f"báo cáo UBND tỉnh trước ngày {dmy(deadline)}.")
    preview = await leader.say(text, lambda m: any("Giao việc" in b for b in labels(m)), "draft preview")
    assert "Bản nháp" in preview.text and "Sở Xây dựng" in preview.text and dmy(deadline) in preview.text
    assert labels(preview) == ["✅ Giao việc", "✏️ Sửa", "❌ Huỷ"]
    assert len(sxd.messages()) == seen[sxd], "nothing is announced before «Giao việc»"
    card = await leader.press_and_see_edit(preview, "Giao việc")
    code = CODE.search(card.text).group(0)
    assert leader.last_answer == f"Đã giao việc {code}."
    assert status_of(card) == "Đang thực hiện trong hạn"

    # Both units are told, with the moves they may make now and a button to open the card (issue 22).
    note = await sxd.notification(seen[sxd], f"Nhiệm vụ mới {code}")
    assert "rà soát các dự án chậm tiến độ" in note.text and dmy(deadline) in note.text
    assert "đơn vị chủ trì" in note.text and "Lãnh đạo chỉ đạo: Phó Chủ tịch" in note.text
    assert labels(note) == ["✅ Đã nhận", "📝 Báo cáo tiến độ", "⏳ Xin gia hạn", "🏁 Báo cáo hoàn thành",
                            "Mở thẻ nhiệm vụ"]
    assert "đơn vị phối hợp" in (await stc.notification(seen[stc], f"Nhiệm vụ mới {code}")).text

    # The lead unit opens the card and acknowledges it.
    card = await sxd.press_and_see_new(note, "Mở thẻ nhiệm vụ", lambda m: code in (m.text or ""))
    assert status_of(card) == "Đang thực hiện trong hạn"
    assert {"✅ Đã nhận", "📝 Báo cáo tiến độ", "⏳ Xin gia hạn", "🏁 Báo cáo hoàn thành", "📜 Lịch sử"} <= set(
        labels(card))
    card = await sxd.press_and_see_edit(card, "Đã nhận")
    assert sxd.last_answer == f"Đã ghi nhận: đơn vị đã nhận nhiệm vụ {code}." and "Sở Xây dựng 👁" in card.text
    assert "✅ Đã nhận" not in labels(card)

    # A progress report: the button asks, the typed text answers.
    question = await sxd.press_and_see_edit(card, "Báo cáo tiến độ")  # asked under the card
    assert f"Nhập nội dung báo cáo tiến độ cho {code}" in question.text
    card = await sxd.say_and_see_edit(question, "Đã rà soát 12/20 dự án")  # the card that asked, updated
    assert f"Đã gửi báo cáo tiến độ {code}." in card.text and "12/20" in card.text
    assert status_of(card) == "Đang thực hiện trong hạn"

    # An extension: a date, then a reason.
    seen[leader], seen[admin] = leader.count(), admin.count()
    question = await sxd.press_and_see_edit(card, "Xin gia hạn")
    assert f"Nhập hạn mới đề nghị cho {code}" in question.text
    question = await sxd.say(dmy(new_deadline))
    assert f"{code}: hạn mới đề nghị {dmy(new_deadline)}" in question.text
    card = await sxd.say("Chờ số liệu quyết toán của Sở Tài chính", lambda m: code in (m.text or ""), "card")
    assert f"Đã gửi đề nghị gia hạn {code}." in card.text and f"Sở Xây dựng đề nghị gia hạn đến {dmy(new_deadline)}" in card.text
    assert "⏳ Xin gia hạn" not in labels(card), "one pending request at a time"

    # The leader who assigned it is told, opens the card, approves.
    note = await leader.notification(seen[leader], f"{code}: Sở Xây dựng xin gia hạn đến {dmy(new_deadline)}")
    assert "Chờ số liệu quyết toán" in note.text
    await admin.notification(seen[admin], f"{code}: Sở Xây dựng xin gia hạn đến {dmy(new_deadline)}")
    seen[sxd] = sxd.count()
    card = await leader.press_and_see_new(note, "Mở thẻ nhiệm vụ", lambda m: code in (m.text or ""))
    card = await leader.press_and_see_edit(card, "Đồng ý gia hạn")
    assert leader.last_answer == f"Đã đồng ý gia hạn {code}."
    assert f"Hạn: {dmy(new_deadline)} (đã gia hạn từ {dmy(deadline)})" in card.text
    assert status_of(card) == "Đang thực hiện trong hạn"

    # The unit hears of it and reports done.
    note = await sxd.notification(seen[sxd], f"{code}: đề nghị gia hạn được đồng ý, hạn mới {dmy(new_deadline)}")
    seen[admin] = admin.count()
    card = await sxd.press_and_see_new(note, "Mở thẻ nhiệm vụ", lambda m: code in (m.text or ""))
    question = await sxd.press_and_see_edit(card, "Báo cáo hoàn thành")
    assert f"Nhập nội dung báo cáo hoàn thành cho {code}" in question.text
    card = await sxd.say_and_see_edit(question, "Đã rà soát xong 20/20 dự án")
    assert "Đã gửi báo cáo hoàn thành" in card.text
    assert status_of(card) == "Chờ xác nhận"

    # The office sends it back with a reason.
    note = await admin.notification(seen[admin], f"{code}: Sở Xây dựng báo cáo hoàn thành.")
    card = await admin.press_and_see_new(note, "Mở thẻ nhiệm vụ", lambda m: code in (m.text or ""))
    assert status_of(card) == "Chờ xác nhận"
    assert {"✔️ Xác nhận hoàn thành", "↩️ Trả lại"} <= set(labels(card))
    seen[sxd] = sxd.count()
    question = await admin.press_and_see_edit(card, "Trả lại")
    assert f"Nhập lý do trả lại báo cáo {code}" in question.text
    card = await admin.say_and_see_edit(question, "Thiếu danh sách dự án kèm theo")
    assert f"Đã trả lại báo cáo {code} cho đơn vị." in card.text
    assert status_of(card) == "Đang thực hiện trong hạn"

    # The unit is told why, and reports again.
    note = await sxd.notification(seen[sxd], f"{code}: báo cáo hoàn thành bị trả lại.")
    assert "Thiếu danh sách dự án kèm theo" in note.text
    seen[admin] = admin.count()
    card = await sxd.press_and_see_new(note, "Mở thẻ nhiệm vụ", lambda m: code in (m.text or ""))
    assert status_of(card) == "Đang thực hiện trong hạn"
    question = await sxd.press_and_see_edit(card, "Báo cáo hoàn thành")
    card = await sxd.say_and_see_edit(question, "Đã bổ sung danh sách 20 dự án")
    assert status_of(card) == "Chờ xác nhận"

    # The office confirms.
    note = await admin.notification(seen[admin], f"{code}: Sở Xây dựng báo cáo hoàn thành.")
    assert "Đã bổ sung danh sách 20 dự án" in note.text
    seen[sxd] = sxd.count()
    card = await admin.press_and_see_new(note, "Mở thẻ nhiệm vụ", lambda m: code in (m.text or ""))
    card = await admin.press_and_see_edit(card, "Xác nhận hoàn thành")
    assert admin.last_answer == f"Đã xác nhận hoàn thành {code}."
    assert status_of(card) == "Hoàn thành đúng hạn"
    assert "Ngày hoàn thành:" in card.text
    await sxd.notification(seen[sxd], f"{code}: Chuyên viên VP đã xác nhận hoàn thành.")

    # Anyone on the card reads its history: every step, in order, by whom.
    history = await admin.press_and_see_new(card, "📜 Lịch sử", lambda m: f"Lịch sử {code}" in (m.text or ""))
    steps = [tuple(line.split(" — ")[1:]) for line in history.text.splitlines() if line.startswith("• ")]
    leader_name, admin_name, sxd_name = PEOPLE["leader"][1], PEOPLE["admin"][1], PEOPLE["sxd"][1]
    assert steps == [
        ("Lập bản nháp", leader_name), ("Giao việc", leader_name), ("Đã nhận [Sở Xây dựng]", sxd_name),
        ("Báo cáo tiến độ [Sở Xây dựng]", sxd_name), ("Xin gia hạn [Sở Xây dựng]", sxd_name), ("Đồng ý gia hạn [Sở Xây dựng]", leader_name),
        ("Báo cáo hoàn thành [Sở Xây dựng]", sxd_name), ("Trả lại", admin_name), ("Báo cáo hoàn thành [Sở Xây dựng]", sxd_name),
        ("Xác nhận hoàn thành", admin_name),
    ], history.text
    assert f"hạn {dmy(deadline)} → {dmy(new_deadline)}" in history.text, "the old deadline is kept in history"
    for detail in ("12/20", "Chờ số liệu quyết toán", "Thiếu danh sách dự án kèm theo", "Đã bổ sung danh sách"):
        assert detail in history.text, detail

    # Nobody outside the directive heard of it; the bot met no error on the way.
    for person, count in bystanders.items():
        assert all(code not in (m.text or "") for m in person.messages()[count:]), person.user.first_name
    assert_all_went_well(cast.bot, calls_before)


# -- 4. another unit's focal point -------------------------------------------------------------------


async def test_another_units_focal_point_cannot_act_on_the_card_even_by_replaying_its_buttons(cast):
    leader, sxd, syt = cast.leader, cast.sxd, cast.syt
    calls_before = len(bot_calls(cast.bot))
    before = sxd.count()
    code, _ = await assign_by_typing(
        leader, f"Giao Sở Xây dựng kiểm tra an toàn các công trình trường học trước ngày {dmy(working_day_after(40))}.")
    note = await sxd.notification(before, f"Nhiệm vụ mới {code}")
    card = await sxd.press_and_see_new(note, "Mở thẻ nhiệm vụ", lambda m: code in (m.text or ""))
    sxd_buttons = {label: button_data(card, label) for label in
                   ("Đã nhận", "Báo cáo tiến độ", "Xin gia hạn", "Báo cáo hoàn thành")}

    # The Sở Y tế focal point may not open it (a focal point opens only their unit's work), then replays each
    # of the Sở Xây dựng focal point's buttons.
    looked = await syt.say(f"/xem {code}")
    assert READ_REFUSED in (looked.text or "") and "trường học" not in (looked.text or "")
    assert labels(looked) == [], "a refusal carries no button"
    syt_seen = syt.count()
    for label, data in sxd_buttons.items():
        cq = syt.user.press(data, looked.message_id)
        answer = await syt.answered(cq)
        assert answer.get("show_alert") and answer.get("text") == NOT_YOUR_UNIT, (label, answer)
    # Not even a question was asked, and a typed text now is not taken as a report.
    assert syt.count() == syt_seen
    await syt.say("Đã hoàn thành")
    assert all("Đã gửi" not in (m.text or "") for m in syt.messages())

    # The card is as it was: nothing edited, the same text for its own unit, no new history.
    assert sxd.current(card).edit_count == card.edit_count == 0
    again = await sxd.say(f"/xem {code}", lambda m: code in (m.text or ""), "card")
    assert again.text == card.text
    assert status_of(again) == "Đang thực hiện trong hạn" and "👁" not in again.text
    history = await sxd.press_and_see_new(again, "📜 Lịch sử", lambda m: f"Lịch sử {code}" in (m.text or ""))
    assert "Đã nhận" not in history.text and "Báo cáo" not in history.text
    assert_all_went_well(cast.bot, calls_before)


# -- 5. commands ----------------------------------------------------------------------------------------


async def test_the_command_menu_is_published_in_vietnamese_by_default_and_in_english(bot, emulator):
    calls = emulator.calls("setMyCommands", token=bot.token)
    assert len(calls) >= 2 and all(c["status"] == 200 for c in calls), calls
    vi = [c["command"] for c in emulator.commands(token=bot.token)]
    en = [c["command"] for c in emulator.commands(token=bot.token, language_code="en")]
    assert vi[:5] == ["viec", "sapden", "quahan", "choxuly", "giaoviec"] and "huy" in vi
    assert en[:5] == ["tasks", "duesoon", "overdue", "inbox", "assign"] and "cancel" in en
    assert len(vi) == len(en)
    descriptions = {c["command"]: c["description"] for c in emulator.commands(token=bot.token)}
    assert descriptions["viec"] == "Việc của đơn vị tôi"


# -- 6. a pasted notice read into several drafts ------------------------------------------------------------------

KEEP_ALL = "Giữ đơn vị như đã đọc"
ASSIGN_ALL = "Giao tất cả"


def notice(first: date, last: date) -> str:
    """A công điện as the office pastes it: four tasks; the parser doubts the lead of the two that open on a time
    phrase («Trong thời gian mưa lũ, Sở Xây dựng …», «Trong đêm nay, Sở Y tế …»: who is given the task?)."""
    return (
        "CÔNG ĐIỆN\nVề việc chủ động ứng phó với mưa lớn, nguy cơ lũ quét, sạt lở đất\n\n"
        "Theo Đài Khí tượng Thủy văn tỉnh, từ đêm nay đến hết ngày mai trên địa bàn tỉnh có mưa to đến rất to, lượng "
        "mưa phổ biến 150-250 mm, có nơi trên 300 mm. Để chủ động ứng phó, bảo đảm an toàn tính mạng và tài sản của "
        "Nhân dân, Chủ tịch UBND tỉnh yêu cầu:\n\n"
        "1. Sở Nông nghiệp và Môi trường theo dõi chặt chẽ diễn biến mưa lũ, vận hành an toàn các hồ chứa thủy lợi, "
        f"báo cáo UBND tỉnh trước ngày {dmy(last)}.\n"
        "2. Trong thời gian mưa lũ, Sở Xây dựng kiểm tra, bố trí lực lượng bảo đảm giao thông tại các tuyến đường "
        "thường xuyên bị ngập, sạt lở.\n"
        "3. Trong đêm nay, Sở Y tế chuẩn bị đầy đủ thuốc, hóa chất, phương tiện phục vụ cấp cứu người bị nạn.\n"
        "4. Giao Công an tỉnh phối hợp với các địa phương tổ chức sơ tán người dân ra khỏi khu vực nguy hiểm, hoàn "
        f"thành trước ngày {dmy(first)}.")


async def test_a_pasted_notice_asks_once_about_its_doubted_units_then_giao_tat_ca_assigns_every_draft(cast):
    admin, sxd, syt = cast.admin, cast.sxd, cast.syt
    calls_before = len(bot_calls(cast.bot))
    before = {p: p.count() for p in (admin, sxd, syt)}

    # The clerk pastes the notice: a preview for each of the two doubted drafts, then the batch message, which asks
    # about both leads at once; no question message of its own under either preview.
    batch = await admin.say(notice(working_day_after(10), working_day_after(20)),
                            lambda m: any(ASSIGN_ALL in b for b in labels(m)), "batch message")
    got = admin.messages()[before[admin]:]
    assert got[-1].message_id == batch.message_id, [m.text for m in got]
    previews = got[:-1]
    assert len(previews) == 2, f"one preview per doubted draft, no question messages: {[m.text for m in got]}"
    assert "Sở Xây dựng" in previews[0].text and "Sở Y tế" in previews[1].text
    for preview in previews:
        assert "Bản nháp" in preview.text and "Giao việc" not in " ".join(labels(preview)), "asks before «Giao việc»"
        assert not any("Giữ đơn vị" in label for label in labels(preview))
    assert labels(batch)[:2] == [f"{KEEP_ALL} (2 nháp)", f"✅ {ASSIGN_ALL} (4)"], labels(batch)
    assert "Đã đọc 4 nhiệm vụ" in batch.text and "2 bản nháp ở trên hỏi lại đơn vị" in batch.text
    assert "Sở Nông nghiệp và Môi trường" in batch.text and "Công an tỉnh" in batch.text, "the two read in full"
    keep_data = button_data(batch, KEEP_ALL)

    # One press keeps both leads: both previews become cards that may be assigned, the press leaves the batch
    # message (which keeps «Giao tất cả»), and one message says what is ready.
    summary = await admin.press_and_see_new(batch, KEEP_ALL, lambda m: "Đã giữ đơn vị" in (m.text or ""))
    assert "Đã giữ đơn vị như đã đọc cho 2 bản nháp" in summary.text and "2 bản đã sẵn sàng" in summary.text
    assert admin.count() == before[admin] + 4, "the press adds the summary only"
    for preview in previews:
        card = admin.current(preview)
        assert card.edit_count == 1 and "Đã trả lời câu hỏi" in card.text, card.text
        assert "✅ Giao việc" in labels(card)
    batch = admin.current(batch)
    assert not any(KEEP_ALL in label for label in labels(batch)) and f"✅ {ASSIGN_ALL} (4)" in labels(batch)

    # A wrong tap: the old button pressed again (a double tap, or a second phone) is refused, nothing changes.
    again = await admin.answered(admin.user.press(keep_data, batch.message_id))
    assert again.get("show_alert") and again["text"].startswith("Không còn bản nháp nào cần giữ đơn vị"), again
    assert admin.count() == before[admin] + 4

    # «Giao tất cả» assigns the four: the batch message lists them, the two cards say so, the units hear of it.
    assign_data = button_data(batch, ASSIGN_ALL)
    batch = await admin.press_and_see_edit(batch, ASSIGN_ALL)
    assert "Đã giao 4 nhiệm vụ" in batch.text and labels(batch) == [], batch.text
    codes = CODE.findall(batch.text)
    assert len(set(codes)) == 4, batch.text
    for preview in previews:
        card = await cast.bot.emulator.wait_for(
            lambda p=preview: (m := admin.current(p)).edit_count == 2 and m, timeout=WAIT,
            message="a preview did not become its assigned card")
        assert "Đã giao việc" in card.text and status_of(card) == "Đang thực hiện trong hạn", card.text
    await sxd.notification(before[sxd], "Nhiệm vụ mới")
    await syt.notification(before[syt], "Nhiệm vụ mới")

    # The old «Giao tất cả» pressed again: refused with a word, the list of what was assigned left as it is.
    again = await admin.answered(admin.user.press(assign_data, batch.message_id))
    assert again.get("show_alert"), again
    assert "Đã giao 4 nhiệm vụ" in admin.current(batch).text
    assert admin.count() == before[admin] + 4, "no message more"
    assert_all_went_well(cast.bot, calls_before)


async def test_giao_tat_ca_pressed_before_the_units_are_kept_assigns_the_sure_ones_and_keeps_the_question(cast):
    """The clerk presses «Giao tất cả» first (it says «all»): the two drafts read in full are assigned, the two
    doubted ones wait, and the batch message still asks about their units with both buttons."""
    admin = cast.admin
    calls_before = len(bot_calls(cast.bot))
    start = admin.count()
    batch = await admin.say(notice(working_day_after(12), working_day_after(22)),
                            lambda m: any(ASSIGN_ALL in b for b in labels(m)), "batch message")
    previews = admin.messages()[start:-1]
    batch = await admin.press_and_see_edit(batch, ASSIGN_ALL)
    assert "Đã giao 2 nhiệm vụ" in batch.text and "Còn 2 bản nháp chưa giao" in batch.text, batch.text
    assert "2 bản nháp ở trên hỏi lại đơn vị" in batch.text
    assert labels(batch) == [f"{KEEP_ALL} (2 nháp)", f"✅ {ASSIGN_ALL} (4)"], labels(batch)

    summary = await admin.press_and_see_new(batch, KEEP_ALL, lambda m: "Đã giữ đơn vị" in (m.text or ""))
    assert "2 bản đã sẵn sàng" in summary.text
    assert labels(admin.current(batch)) == [f"✅ {ASSIGN_ALL} (4)"]
    batch = await admin.press_and_see_edit(admin.current(batch), ASSIGN_ALL)
    assert "Đã giao 2 nhiệm vụ" in batch.text and "Còn" not in batch.text and labels(batch) == [], batch.text
    for preview in previews:
        card = await cast.bot.emulator.wait_for(
            lambda p=preview: (m := admin.current(p)).edit_count == 2 and m, timeout=WAIT,
            message="a preview did not become its assigned card")
        assert status_of(card) == "Đang thực hiện trong hạn", card.text
    assert admin.count() == start + 4, "two previews, the batch message, the summary of the press"
    assert_all_went_well(cast.bot, calls_before)
