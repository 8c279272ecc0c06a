"""A chat officials can trust, over the emulator with the real bot process: a leader corrects a draft's
lead unit, support units and deadline; a unit's progress report with a PDF reaches the office with the
file; the bot restarts between a question and its typed answer, and the answer still lands on the right
directive; a refusal carries its reason. (Every text the bot sends is checked as strict Telegram HTML
when the module's bot stops: see bot_process.running_bot.)"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from tests.e2e.bot_process import BotProcess, running_bot
from tests.e2e.harness import Emulator, SentMessage
from tests.e2e.test_journeys import CODE, WAIT, Person, dmy, labels, working_day_after

DRAFT = re.compile(r"Nháp \d+")


def offers(label: str) -> Callable[[SentMessage], bool]:
    """A message with a button whose label holds `label`."""
    return lambda m: any(label in b for b in labels(m))


pytestmark = pytest.mark.e2e

INVITES = {"leader": ("leader", None), "admin": ("admin", "VP"), "syt": ("focal", "SYT"), "stc": ("focal", "STC")}
PEOPLE = {"leader": (1102, "Phó Chủ tịch Trần B"), "admin": (1101, "Chuyên viên VP"), "syt": (2103, "Đầu mối Sở YT"),
          "stc": (2102, "Đầu mối Sở TC")}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def bot(request: pytest.FixtureRequest, emulator: Emulator, tmp_path_factory: pytest.TempPathFactory
        ) -> Iterator[BotProcess]:
    yield from running_bot(request, emulator, tmp_path_factory.mktemp("dondoc-trust"), INVITES)


@pytest.fixture(scope="module")
def people(bot: BotProcess, emulator: Emulator) -> dict[str, Person]:
    cast = {}
    for name, (tid, first_name) in PEOPLE.items():
        person = Person(bot.user(tid, first_name), emulator)
        person.user.send_text(f"/start {bot.invites[name]}")
        emulator.wait_for_sync(lambda p=person: next(iter(p.messages()), None), timeout=WAIT,
                               message=f"{name} got no answer to /start")
        cast[name] = person
    return cast


async def test_a_draft_corrected_a_report_with_its_file_and_a_reason_typed_across_a_restart(bot, emulator, people):
    leader, admin, syt, stc = people["leader"], people["admin"], people["syt"], people["stc"]
    deadline, corrected = working_day_after(40), working_day_after(50)

    # The leader's typed directive names the wrong lead unit and no ward; the draft is corrected by buttons.
    preview = await leader.say(f"Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính kiểm tra an toàn thực phẩm "
                               f"tại các bếp ăn tập thể, báo cáo trước ngày {dmy(deadline)}.",
                               lambda m: any("Giao việc" in b for b in labels(m)), "draft")
    draft = DRAFT.search(preview.text).group(0)  # «Nháp n»: a draft takes its CD code when assigned
    # each menu is found by its buttons, not as the last message: a digest may arrive in between
    menu = await leader.press_and_see_new(preview, "Sửa", offers("Đơn vị chủ trì"))
    picker = await leader.press_and_see_new(menu, "Đơn vị chủ trì")
    assert f"Sửa bản nháp ({draft})" in picker.text
    picker = await leader.press_and_see_edit(picker, "Sở Xây dựng")  # untick
    filtered = await leader.say("y te", lambda m: "Đang lọc" in (m.text or ""), "filtered picker")
    await leader.press_and_see_edit(filtered, "Sở Y tế")
    card = await leader.press_and_see_new(leader.current(filtered), "Tiếp", lambda m: draft in (m.text or ""))
    assert "Chủ trì: Sở Y tế" in card.text

    menu = await leader.press_and_see_new(card, "Sửa", offers("Đơn vị phối hợp"))
    await leader.press_and_see_new(menu, "Đơn vị phối hợp")
    filtered = await leader.say("thuan hoa", lambda m: "Đang lọc" in (m.text or ""), "filtered picker")
    await leader.press_and_see_edit(filtered, "UBND phường Thuận Hóa")
    card = await leader.press_and_see_new(leader.current(filtered), "Tiếp", lambda m: draft in (m.text or ""))
    assert "Phối hợp: Sở Tài chính, UBND phường Thuận Hóa" in card.text

    menu = await leader.press_and_see_new(card, "Sửa", offers("Hạn xử lý"))
    await leader.press_and_see_new(menu, "Hạn xử lý")
    card = await leader.say(dmy(corrected), lambda m: f"Đã sửa bản nháp ({draft})" in (m.text or ""), "corrected draft")
    assert f"Hạn: {dmy(corrected)}" in card.text
    seen = {p: p.count() for p in (admin, syt, stc)}
    card = await leader.press_and_see_edit(card, "Giao việc")
    code = CODE.search(card.text).group(0)

    # The lead unit reports progress with a PDF: the office gets the notice and the file itself.
    note = await syt.notification(seen[syt], f"Nhiệm vụ mới {code}")
    assert "đơn vị chủ trì" in note.text and "Lãnh đạo chỉ đạo: Phó Chủ tịch Trần B" in note.text
    card = await syt.press_and_see_new(note, "Mở thẻ", lambda m: code in (m.text or ""))
    question = await syt.press_and_see_edit(card, "Báo cáo tiến độ")  # asked under the card
    before = question.edit_count
    syt.user.send_document(PDF, "Phu luc kiem tra.pdf", "application/pdf", caption="Đã kiểm tra 14/30 bếp ăn")
    card = await syt.emu.wait_for(  # the card that asked becomes the updated card, no new message
        lambda: (m := syt.current(question)).edit_count > before and "Đã gửi báo cáo tiến độ" in (m.text or "") and m,
        timeout=WAIT, message="the report did not update the card")
    assert "📎 Phu luc kiem tra.pdf" in card.text
    notice = await admin.notification(seen[admin], "Sở Y tế báo cáo tiến độ")
    assert "14/30" in notice.text
    sent_file = await admin.next_message(seen[admin], lambda m: m.document is not None, "the PDF")
    assert sent_file.document["file_name"] == "Phu luc kiem tra.pdf"
    assert emulator.file_bytes(sent_file.document["file_id"]) == PDF

    # The unit asks for more time; the leader refuses, and the bot restarts before the reason is typed.
    ext = await syt.press_and_see_edit(syt.current(card), "Xin gia hạn")
    assert code in ext.text
    await syt.say(dmy(working_day_after(70)), lambda m: "Nhập lý do" in (m.text or ""), "reason question")
    await syt.say("Chờ kết quả xét nghiệm mẫu", lambda m: "Đã gửi đề nghị gia hạn" in (m.text or ""), "card")
    ask_note = await leader.notification(0, f"{code}: Sở Y tế xin gia hạn")
    card = await leader.press_and_see_new(ask_note, "Mở thẻ", lambda m: code in (m.text or ""))
    question = await leader.press_and_see_edit(card, "Từ chối gia hạn")
    assert f"Nhập lý do không đồng ý gia hạn {code}" in question.text

    bot.stop()
    bot.start()
    seen_syt = syt.count()
    reply = await leader.say_and_see_edit(question, "Kết quả đã có từ tuần trước, đề nghị hoàn thành đúng hạn")
    assert f"Đã từ chối gia hạn {code}" in reply.text
    refusal = await syt.notification(seen_syt, "không được đồng ý")
    assert "Lý do: Kết quả đã có từ tuần trước, đề nghị hoàn thành đúng hạn" in refusal.text
    assert not bot.errors_logged(), "\n".join(bot.errors_logged())
