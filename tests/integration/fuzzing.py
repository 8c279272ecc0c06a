"""What the chat fuzz sends, and how a step is played and checked: shared by the short fuzz in CI
(tests/integration/test_chat_fuzz.py, hypothesis) and the long run (tests/reliability/fuzz_chat.py, thousands of
updates on both databases). Every category of input a person or an attacker can send: typed text (directives,
questions, commands, answers, text that looks like a spreadsheet formula), our own buttons pressed as shown,
buttons altered or forged (ids past their column's range, codes that do not exist), edits of earlier messages,
files (a valid template and notice, damaged ones, random bytes) and the updates the bot has no handler for
(stickers, locations, the bot blocked…)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from bot.services import directives as svc
from bot.services import reports
from storage.models import Event, Person
from tests import hostile_files
from tests.conftest import NOW
from tests.integration.chatbot import ChatBot
from tests.integration.offline import OTHER_UPDATES

PEOPLE = {1001: "admin", 1002: "leader", 2001: "focal", 2002: "focal", 2003: "focal", 2004: "focal",
          3001: "viewer", 999: "stranger"}
GROUP = -700  # a unit's group chat
ACTIONS = ["ack", "conf", "exta", "extr", "dok", "ddel", "prog", "done", "ext", "back", "canc", "reop", "pg", "open",
           "hist", "files", "asg", "asd", "asks", "ded", "dedp", "res", "ans", "rsnd", "rpc", "rpx", "rpw", "impok", "impno",
           "dall", "zzz"]
CODES = ["CD-2026-0001", "CD-2026-0002", "CD-2026-0003", "CD-2026-0004", "CD-2026-0005", "CD-2026-99999999", "x", "",
         "0", "1", "2147483648", "99999999999999999999", "9223372036854775808", "2026-11", "2026-13", "over", "my",
         "NHAP-1", "NHAP-2", "NHAP-5", "NHAP-0", "NHAP-999999999", "NHAP-2147483648", "NHAP-x", "nhap-1"]
VERSIONS = ["", "1", "2", "3", "4", "5", "²", "99", "999999999", "20261130", "20261120"]
ARGS = ["", "t:SXD", "t:STC", "next", "abort", "pg", "all", "w5", "none", "type", "eom", "lead", "support", "deadline",
        "content", "source", "L:SYT", "S:STC", "L:", "my", "SXD", "NOPE", "x", "2147483648", "99999999999999999999",
        "r:monthly", "rec", "w5+monthly",
        "bg", "u", "l", "d:", "d:2026-12-15", "d:2026-13-01", "d:x"]
# Whole forged or stale presses of the newer kinds, whose slots the random mix above seldom gets right: a draft's
# question answered («ans»), «Giao tất cả» («dall», the origin a chat message id), card and notice buttons on a
# draft's code («NHAP-n») or an old version, ids past their column's range.
FORGED = [
    *(f"ans|{c}|{v}|{a}" for c in ("NHAP-1", "NHAP-5", "NHAP-999999999", "CD-2026-0001", "CD-2026-99999999")
      for v in ("0", "1", "99") for a in ("bg", "u", "l", "d:", "d:2026-12-15", "d:2026-02-30")),
    *(f"dall|{o}||" for o in ("0", "1", "2", "50", "2147483648", "9223372036854775808", "99999999999999999999", "x")),
    "dall|1|1|", "dall|||",
    *(f"{b}|{c}|{v}|" for b in ("dok", "ded", "ddel", "ack", "prog", "done", "ext", "conf", "back", "exta", "extr",
                                 "canc", "reop")
      for c in ("NHAP-1", "NHAP-2", "NHAP-999999999", "CD-2026-0001", "CD-2026-0002", "CD-2026-0003")
      for v in ("0", "1", "2", "9")),
    *(f"{k}|NHAP-{n}||" for k in ("open", "hist", "files") for n in ("1", "2", "999999999")),
    "asd|NHAP-1|0|w5", "asd|NHAP-1|0|r:monthly", "asks|NHAP-1|0|", "dedp|NHAP-1|0|", "res|NHAP-1|0|",
]
FORMULAS = ['=HYPERLINK("http://evil.example/x","bấm")', "+1+1", "-2+3", "@SUM(A1:A2)", "=cmd|' /C calc'!A0"]
PHRASES = [
    "Giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát các dự án, báo cáo trước ngày 15/12/2026.",
    "1. Giao Sở Y tế chủ trì kiểm tra an toàn thực phẩm trước ngày 30/12/2026.\n2. Giao Sở Tài chính chủ trì rà soát "
    "dự toán trước ngày 25/12/2026.",
    "Sở Y tế còn bao nhiêu việc quá hạn?", "thống kê tháng 11", "việc sắp đến hạn tuần này", "30/6/2027",
    "30 tháng 6 năm 2027", "31/02/2027", "hằng tháng báo cáo trước ngày 25", "📋 Việc của đơn vị", "⚠️ Quá hạn",
    "📝 Giao việc", "🔍 Tìm kiếm", "📥 Chờ xử lý", "📊 Thống kê", "❓ Trợ giúp", "<b>x", "A&B", "x" * 2500,
    "Giao Sở Abc chủ trì kiểm tra trước ngày 1/12/2026", "245/TB-UBND ngày 19/11/2026", "rà soát",
    # Drafts with questions (their answers are «ans» buttons) and a pasted notice of several tasks («Giao tất cả»).
    "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027.",
    "Giao Sở Xây dựng kiểm tra các công trình, báo cáo kết quả bước đầu trước ngày 10/12/2026, hoàn thành trước ngày "
    "31/12/2026.",
    "Giao Sở Y tế chủ trì, phối hợp với Sở Ngoại vụ tổ chức đón đoàn công tác.",
    "Sở Xây dựng đã chỉ đạo rà soát các công trình trước ngày 15/12/2026.",
    "Thông báo số 215/TB-UBND ngày 18/11/2026 kết luận của Phó Chủ tịch UBND tỉnh:\n"
    "1. Giao Sở Xây dựng rà soát các dự án chậm tiến độ, báo cáo trước ngày 15/12/2026.\n"
    "2. Giao Sở Tài chính tổng hợp nhu cầu vốn, hoàn thành trước ngày 20/12/2026.\n"
    "3. Giao Sở Du lịch Quảng Trị kiểm tra các điểm du lịch, báo cáo trước ngày 30/12/2026.",
    *FORMULAS,
    *(f"Giao Sở Xây dựng chủ trì {f} trước ngày 15/12/2026." for f in FORMULAS),
    "Đồng chí =1+1 Nguyễn Văn An kết luận: giao Sở Tài chính chủ trì @SUM(1) rà soát, báo cáo trước ngày 20/12/2026.",
]
COMMANDS = ["/start", "/viec", "/viec SXD", "/sapden", "/quahan", "/quahan <u>", "/choxuly", "/giaoviec",
            "/xem CD-2026-0001", "/xem CD-2026-0002", "/xem CD-2026-99999999", "/xem <b>", "/timkiem",
            "/timkiem rà soát", "/timkiem =1+1", "/thongke", "/thongke SXD 2026-11", "/thongke A&B", "/dangkynhom",
            "/ngonngu en", "/ngonngu vi", "/trogiup", "/huy", "/abc", "/xem", "/start abc", "/mauexcel"]
FILE_NAMES = ["a.pdf", "b.docx", "c.xlsx", "d.txt", "e.xls", ""]
# What each role may leave in the event log (focal points: for their own unit only).
FOCAL_KINDS = {"acknowledged", "progress", "extension_requested", "done_reported", "files_added", "language_changed",
               "group_registered"}
VIEWER_KINDS = {"language_changed"}


def _formula_sheet() -> bytes:
    """A clerk's sheet whose texts look like formulas (typed as text, as Excel keeps them)."""
    from openpyxl import Workbook

    from bot.imports.sheet import HEADERS

    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    for n, text in enumerate(FORMULAS, 2):
        for column, value in enumerate([n - 1, f"{text[:10]}/TB", "02/11/2026", text, text, "SXD", "STC", "15/12/2026",
                                        "03/11/2026", None, "Đang thực hiện", text], 1):
            cell = ws.cell(row=n, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, as Excel keeps what a clerk typed after an apostrophe
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


FILES: dict[str, Callable[[], bytes]] = {
    **hostile_files.DAMAGED,
    "cong-thuc.xlsx": _formula_sheet,
    "ket-luan.docx": lambda: hostile_files.notice_with_items(2),
    "mau.xlsx": lambda: hostile_files.template_sheet(hostile_files.GOOD_ROW),
}


@functools.cache
def file_content(name: str) -> bytes:
    return FILES[name]()


async def seed(rt, people) -> None:  # noqa: ANN001 - the integration conftest's fixtures
    """Directives in several states for the presses to aim at."""
    async with rt.sessions() as s:
        if await s.scalar(select(Event.id).where(Event.kind == "assigned")) is not None:
            return
    spec = svc.NewDirective("Rà soát các dự án", ["SXD"], ["STC"], date(2026, 12, 15))
    cards = await svc.create_directives(rt, people.leader, [spec, spec, spec], now=NOW)
    await svc.report_done(rt, people.sxd, cards[1].code, "Xong", now=NOW)
    await svc.request_extension(rt, people.sxd, cards[2].code, date(2027, 1, 15), "Chờ số liệu", now=NOW)
    await svc.create_directives(rt, people.leader, [spec], now=NOW, as_draft=True)


def _shown(chat: ChatBot, who: int) -> list[str]:
    return [b["callback_data"] for p in chat.messages(who)
            for row in (p.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def play(chat: ChatBot, step: tuple[str, int, Any]) -> str | None:
    """One step; a problem found (an update left unanswered that needed an answer), or None. The chat
    itself records presses answered twice or never, invalid HTML and apologies for unhandled errors."""
    kind, who, what = step
    calls = len(chat.request.calls)
    private = True
    if kind == "say":
        text, in_group = what
        private = not in_group
        await chat.say(who, text, chat_id=GROUP if in_group else None)
    elif kind == "file":
        name, content = what
        if isinstance(content, str):  # a named file of FILES
            name, content = content, file_content(content)
        file_id = f"fuzz-{len(chat.request.files)}"
        chat.request.files[file_id] = content
        await chat.send_file(who, name or "photo", photo=not name, caption="Báo cáo kèm tệp", file_id=file_id,
                             size=len(content))
    elif kind == "edit":
        sent = chat.said_by.get(who)
        if not sent:
            return None
        index, text = what
        await chat.edit(who, sent[index % len(sent)], text)
        return None  # an edit is answered only when it changes a draft
    elif kind == "other":
        await chat.send_other(who, what)
        return None
    else:
        data = what
        if kind == "own":  # one of the buttons the bot really showed this person, as it is
            shown = _shown(chat, who)
            if not shown:
                return None
            # even: one of the newest buttons (a draft's questions, «Giao tất cả»), odd: one of the oldest (stale)
            data = shown[-1 - what % len(shown)] if what % 2 == 0 else shown[what % len(shown)]
        await chat.press(who, data)
        return None  # ChatBot.press checks the press was answered exactly once
    answered = chat.request.calls[calls:]
    if private and not any(n in ("sendMessage", "editMessageText", "sendDocument") for n, _ in answered):
        return f"{kind} {str(what)[:80]!r} from {who} got no answer"
    return None


async def formulas_in_reports(rt, units: tuple[str | None, ...] = (None,)) -> list[tuple[str, str, object]]:  # noqa: ANN001
    """Every formula cell in the year's workbook, the province's and each of `units`' (goal: none)."""
    from openpyxl import load_workbook

    found = []
    for unit in units:
        scope = reports.scope_for(rt, now=NOW, period="2026", unit_code=unit)
        file = await reports.report_file(rt, None, scope, "xlsx", "vi", now=NOW)
        book = load_workbook(io.BytesIO(file.data))
        found += [(ws.title, c.coordinate, c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                  if c.data_type == "f"]
    return found


async def writes_out_of_role(rt) -> list[tuple[Any, ...]]:  # noqa: ANN001
    """Events someone's role does not allow them to cause (focal points: for their own unit only)."""
    async with rt.sessions() as s:
        rows = (await s.execute(select(Event.kind, Event.data, Person.role, Person.unit_id, Person.telegram_id)
                                .join(Person, Person.id == Event.actor_id))).all()
        units = {p.telegram_id: p.unit.code if p.unit else None for p in (await s.scalars(select(Person))).all()}
    wrong: list[tuple[Any, ...]] = []
    for kind, data, role, _unit_id, telegram_id in rows:
        if kind == "registered":
            continue
        if role == "viewer" and kind not in VIEWER_KINDS:
            wrong.append((kind, role))
        elif role == "focal" and (kind not in FOCAL_KINDS or data.get("unit") not in (None, units[telegram_id])):
            wrong.append((kind, role, data.get("unit")))
    if 999 in units:
        wrong.append(("a stranger was registered",))
    return wrong


OTHER = list(OTHER_UPDATES)
