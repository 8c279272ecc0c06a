"""Fuzzing the chat: random text, commands, answers to open questions, files and button presses (our own
buttons, altered and forged) from every role and a stranger, on SQLite and PostgreSQL.

After every step: no unhandled error, only valid Telegram HTML, an answer to every message and press.
At the end: nobody wrote anything their role does not allow."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.services import directives as svc
from storage.models import Event, Person
from tests.conftest import NOW

PEOPLE = {1001: "admin", 1002: "leader", 2001: "focal", 2002: "focal", 2003: "focal", 2004: "focal",
          3001: "viewer", 999: "stranger"}
ACTIONS = ["ack", "conf", "exta", "extr", "dok", "ddel", "prog", "done", "ext", "back", "canc", "reop", "pg", "open",
           "hist", "files", "asg", "asd", "asks", "ded", "dedp", "res", "zzz"]
ARGS = ["", "t:SXD", "t:STC", "next", "abort", "pg", "all", "w5", "none", "type", "eom", "lead", "support", "deadline",
        "content", "source", "L:SYT", "S:STC", "L:", "my", "SXD"]
PHRASES = [
    "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án, báo cáo trước ngày 15/12/2026.",
    "Sở Y tế còn bao nhiêu việc quá hạn?", "thống kê tháng 11", "việc sắp đến hạn tuần này", "30/6/2027",
    "30 tháng 6 năm 2027", "31/02/2027", "hằng tháng báo cáo trước ngày 25", "📋 Việc của đơn vị", "⚠️ Quá hạn",
    "📝 Giao việc", "🔍 Tìm kiếm", "📥 Chờ xử lý", "📊 Thống kê", "❓ Trợ giúp", "<b>x", "A&B", "x" * 2500,
    "Giao Sở Abc chủ trì kiểm tra trước ngày 1/12/2026", "245/TB-UBND ngày 19/11/2026", "rà soát",
]
COMMANDS = ["/start", "/viec", "/viec SXD", "/sapden", "/quahan", "/quahan <u>", "/choxuly", "/giaoviec",
            "/xem CD-2026-0001", "/xem CD-2026-0002", "/xem <b>", "/timkiem", "/timkiem rà soát", "/thongke",
            "/thongke SXD 2026-11", "/thongke A&B", "/dangkynhom", "/ngonngu en", "/ngonngu vi", "/trogiup",
            "/huy", "/abc", "/xem", "/start abc"]

# Telegram delivers no message whose text is empty or only spaces.
texts = st.one_of(st.sampled_from(PHRASES), st.sampled_from(COMMANDS), st.text(min_size=1, max_size=120),
                  st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30)).filter(str.strip)
callbacks = st.one_of(
    st.builds(lambda a, c, v, arg: f"{a}|{c}|{v}|{arg}", st.sampled_from(ACTIONS),
              st.sampled_from(["CD-2026-0001", "CD-2026-0002", "CD-2026-0003", "CD-2026-0004", "x", ""]),
              st.sampled_from(["", "1", "2", "3", "4", "5", "²", "99"]), st.sampled_from(ARGS)),
    st.text(max_size=70),
)
steps = st.lists(st.one_of(
    st.tuples(st.just("say"), st.sampled_from(list(PEOPLE)), texts),
    st.tuples(st.just("press"), st.sampled_from(list(PEOPLE)), callbacks),
    st.tuples(st.just("own"), st.sampled_from(list(PEOPLE)), st.integers(0, 30)),
    st.tuples(st.just("file"), st.sampled_from(list(PEOPLE)),
              st.tuples(st.sampled_from(["a.pdf", "b.docx", "c.xlsx", "d.txt", ""]), st.binary(max_size=300))),
), min_size=1, max_size=8)

# What each role may leave in the event log (focal points: for their own unit only).
FOCAL_KINDS = {"acknowledged", "progress", "extension_requested", "done_reported", "files_added", "language_changed",
               "group_registered"}
VIEWER_KINDS = {"language_changed"}


async def _seed(rt, people) -> None:
    """Directives in several states for the presses to aim at."""
    spec = svc.NewDirective("Rà soát các dự án", ["SXD"], ["STC"], date(2026, 12, 15))
    cards = await svc.create_directives(rt, people.leader, [spec, spec, spec], now=NOW)
    await svc.report_done(rt, people.sxd, cards[1].code, "Xong", now=NOW)
    await svc.request_extension(rt, people.sxd, cards[2].code, date(2027, 1, 15), "Chờ số liệu", now=NOW)
    await svc.create_directives(rt, people.leader, [spec], now=NOW, as_draft=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(script=steps)
async def test_nothing_anyone_sends_breaks_the_chat_or_writes_what_their_role_may_not(chat, rt, people, script):
    async with rt.sessions() as s:
        if await s.scalar(select(Event.id).where(Event.kind == "assigned")) is None:
            await _seed(rt, people)
    for kind, who, what in script:
        calls = len(chat.request.calls)
        if kind == "say":
            await chat.say(who, what)
        elif kind == "file":
            name, content = what
            file_id = f"fuzz-{len(chat.request.files)}"
            chat.request.files[file_id] = content
            await chat.send_file(who, name or "photo", photo=not name, caption="Báo cáo kèm tệp", file_id=file_id)
        else:
            data = what
            if kind == "own":  # one of the buttons the bot really showed this person, as it is
                shown = [b["callback_data"] for p in chat.messages(who)
                         for row in (p.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
                if not shown:
                    continue
                data = shown[what % len(shown)]
            await chat.press(who, data)
        chat.check_clean()
        answered = chat.request.calls[calls:]
        if kind in ("press", "own"):
            assert any(n == "answerCallbackQuery" for n, _ in answered), f"press {what!r} was never answered"
        else:
            assert any(n in ("sendMessage", "editMessageText") for n, _ in answered), f"{kind} {what!r} got no answer"

    async with rt.sessions() as s:
        rows = (await s.execute(select(Event.kind, Event.data, Person.role, Person.unit_id, Person.telegram_id)
                                .join(Person, Person.id == Event.actor_id))).all()
        units = {p.telegram_id: p.unit.code if p.unit else None for p in (await s.scalars(select(Person))).all()}
    for kind, data, role, _unit_id, telegram_id in rows:
        if kind == "registered":
            continue
        if role == "viewer":
            assert kind in VIEWER_KINDS, (kind, role)
        elif role == "focal":
            assert kind in FOCAL_KINDS, (kind, role)
            assert data.get("unit") in (None, units[telegram_id]), (kind, data, "another unit's work")
    assert 999 not in units, "a stranger was never registered"
