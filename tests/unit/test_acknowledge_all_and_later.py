"""«Nhận tất cả» (one press, one Acknowledge move per directive, each checked by the rule) and notices that
may wait for their reader's next message (when they go at the latest; which notices wait)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.domain.calendar import WorkingCalendar
from bot.domain.reminders import Policy, later_until
from bot.errors import DomainError
from bot.outbox import Delivery
from bot.services import directives as svc
from bot.services import lifecycle
from bot.texts import h
from handlers.actions import CardPress, ack_codes
from handlers.notifier import messages, render
from tests.conftest import make_settings
from tests.unit.memory import NOW, MemoryRuntime

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WHO = {"admin": 1, "leader": 2, "lead": 3, "support": 4, "other": 5}


@pytest.fixture
def rt() -> MemoryRuntime:
    rt = MemoryRuntime(make_settings())
    for code, name in (("VP", "Văn phòng UBND tỉnh"), ("SXD", "Sở Xây dựng"), ("STC", "Sở Tài chính"),
                       ("SYT", "Sở Y tế")):
        rt.unit(code, name)
    rt.person("admin", "Chuyên viên VP", "VP")
    rt.person("leader", "Phó Chủ tịch")
    rt.person("focal", "Đầu mối Sở XD", "SXD")
    rt.person("focal", "Đầu mối Sở TC", "STC")
    rt.person("focal", "Đầu mối Sở YT", "SYT")
    return rt


async def _assign(rt: MemoryRuntime, *specs: svc.NewDirective) -> list[str]:
    return [c.code for c in await svc.create_directives(rt, WHO["leader"], list(specs), now=NOW)]  # type: ignore[arg-type]


async def test_acknowledge_all_makes_one_move_per_directive_the_unit_may_acknowledge_and_skips_the_rest(rt):
    one, two, theirs = await _assign(rt, svc.NewDirective("Rà soát dự án", ["SXD"], [], date(2026, 12, 15)),
                                     svc.NewDirective("Kiểm tra công trình", ["STC"], ["SXD"], date(2026, 12, 15)),
                                     svc.NewDirective("Lập dự toán", ["STC"], [], date(2026, 12, 15)))
    result = await lifecycle.acknowledge_all(rt, WHO["lead"], [one, two, theirs, one], now=NOW)  # type: ignore[arg-type]
    assert result.acknowledged == [one, two], "its own lead task and the task it supports, each once"
    assert result.skipped == [(theirs, "auth.not_your_unit")]
    assert rt.events(one)[-1] == "acknowledged" and rt.events(two)[-1] == "acknowledged"
    assert "acknowledged" not in rt.events(theirs)
    again = await lifecycle.acknowledge_all(rt, WHO["lead"], [one, two], now=NOW)  # type: ignore[arg-type]
    assert again.acknowledged == [] and [key for _, key in again.skipped] == ["ack.already", "ack.already"]


@pytest.mark.parametrize("who", ["admin", "leader"])
async def test_only_a_units_focal_point_acknowledges_all(rt, who):
    [one] = await _assign(rt, svc.NewDirective("Rà soát dự án", ["SXD"], [], date(2026, 12, 15)))
    with pytest.raises(DomainError) as refused:
        await lifecycle.acknowledge_all(rt, WHO[who], [one], now=NOW)  # type: ignore[arg-type]
    assert refused.value.key == "auth.forbidden"
    assert "acknowledged" not in rt.events(one)


async def test_a_finished_directive_is_not_acknowledged_with_the_others(rt):
    one, two = await _assign(rt, svc.NewDirective("Rà soát dự án", ["SXD"], [], date(2026, 12, 15)),
                             svc.NewDirective("Kiểm tra công trình", ["SXD"], [], date(2026, 12, 15)))
    await svc.cancel(rt, WHO["leader"], two, "Không còn phù hợp", now=NOW)  # type: ignore[arg-type]
    result = await lifecycle.acknowledge_all(rt, WHO["lead"], [one, two], now=NOW)  # type: ignore[arg-type]
    assert result.acknowledged == [one] and [c for c, _ in result.skipped] == [two]


def _notice(number: int, code: str) -> Delivery:
    return Delivery(number, 7, "notify", {"text": "notify.assigned", "code": code,
                                         "params": {"code": code, "content": "Việc", "deadline": "2026-12-15",
                                                    "role": {"key": "unit_role.lead"}}}, 0)


def _ack(code: str) -> list[list[InlineKeyboardButton]]:
    return [[InlineKeyboardButton(f"✅ Đã nhận {code}", callback_data=CardPress("ack", code, 1).pack())]]


def test_a_notice_about_several_acknowledgeable_tasks_has_acknowledge_all_first_and_each_tasks_buttons():
    items = [_notice(1, "CD-2026-0001"), _notice(2, "CD-2026-0002")]
    _, markup = render(items, "vi", {"CD-2026-0001": _ack("CD-2026-0001"), "CD-2026-0002": _ack("CD-2026-0002")})
    assert markup is not None
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert labels[0] == "✅ Nhận tất cả (2)"
    assert ack_codes(markup) == ["CD-2026-0001", "CD-2026-0002"], "the codes the press acts on, from the buttons"
    # One task the reader may still acknowledge: its own button only.
    _, markup = render(items, "vi", {"CD-2026-0001": _ack("CD-2026-0001")})
    assert markup is not None and not any("Nhận tất cả" in b.text for row in markup.inline_keyboard for b in row)


def test_ack_codes_reads_only_acknowledge_buttons():
    markup = InlineKeyboardMarkup([*_ack("CD-2026-0003"), [InlineKeyboardButton(
        "Báo cáo", callback_data=CardPress("prog", "CD-2026-0004", 1).pack())]])
    assert ack_codes(markup) == ["CD-2026-0003"] and ack_codes(None) == []


CAL = WorkingCalendar()
POLICY = Policy()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ).astimezone(UTC)


@pytest.mark.parametrize(("sent", "expected"), [
    (_at(date(2026, 11, 20), 9), _at(date(2026, 11, 20), 16)),  # in the morning: 16:00 the same day
    (_at(date(2026, 11, 20), 16, 30), _at(date(2026, 11, 20), 16, 30)),  # after 16:00: at once
    (_at(date(2026, 11, 20), 21, 5), _at(date(2026, 11, 23), 7, 30)),  # Friday night: Monday's opening
    (_at(date(2026, 11, 21), 10), _at(date(2026, 11, 23), 7, 30)),  # a Saturday
])
def test_a_notice_that_may_wait_goes_at_the_latest_an_hour_before_the_window_closes(sent, expected):
    assert later_until(sent, POLICY, CAL, TZ) == expected


def test_without_a_send_window_nothing_waits():
    sent = _at(date(2026, 11, 21), 22)
    assert later_until(sent, Policy(window=False), CAL, TZ) == sent


async def test_what_asks_nothing_waits_and_what_asks_something_goes_at_once(rt):
    near, far = await _assign(rt, svc.NewDirective("Báo cáo gấp", ["SXD"], ["STC"], NOW.date() + timedelta(days=1)),
                              svc.NewDirective("Rà soát dự án", ["SXD"], ["STC"], date(2026, 12, 15)))
    await svc.report_progress(rt, WHO["lead"], far, "Đã làm một nửa số dự án", now=NOW)  # type: ignore[arg-type]
    await svc.report_done(rt, WHO["lead"], near, "Đã hoàn thành báo cáo gửi kèm", now=NOW)  # type: ignore[arg-type]
    await svc.confirm_done(rt, WHO["admin"], near, now=NOW)  # type: ignore[arg-type]
    later = {(r.payload["text"], r.payload["code"], r.payload["params"].get("role", {}).get("key")): r.later
             for r in rt.province.outbox.values() if r.kind == "notify"}
    assert later == {
        ("notify.assigned", near, "unit_role.lead"): False, ("notify.assigned", near, "unit_role.support"): False,
        ("notify.assigned", far, "unit_role.lead"): False, ("notify.assigned", far, "unit_role.support"): True,
        ("notify.progress", far, None): True, ("notify.done_reported", near, None): False,
        ("notify.confirmed", near, None): True}


def _report(code: str) -> list[list[InlineKeyboardButton]]:
    return [[InlineKeyboardButton("📝 Báo cáo tiến độ", callback_data=CardPress("prog", code, 1).pack())]]


def test_a_notice_about_one_task_with_report_buttons_says_a_reply_is_the_report():
    hint = "Có thể trả lời (reply) tin này để báo cáo tiến độ"
    [text], _ = render([_notice(1, "CD-2026-0001")], "vi", {"CD-2026-0001": _report("CD-2026-0001")})
    assert text.endswith(hint + "; bắt đầu bằng «hoàn thành» để báo cáo hoàn thành.")
    [text], _ = render([_notice(1, "CD-2026-0001")], "vi", {"CD-2026-0001": _ack("CD-2026-0001")})
    assert hint not in text, "no report button, no hint"
    chunks, _ = render([_notice(1, "CD-2026-0001"), _notice(2, "CD-2026-0002")], "vi",
                       {"CD-2026-0001": _report("CD-2026-0001"), "CD-2026-0002": _report("CD-2026-0002")})
    assert hint not in "".join(chunks), "about several: a reply would be asked which, so no hint"


def test_the_reply_hint_of_a_long_notice_is_on_the_part_that_carries_the_buttons_and_no_part_is_too_long():
    """The hint is a line of the notice before it is split (handlers/notifier.py: render): a notice just short
    of Telegram's 4,096 characters goes in two parts, the hint and the buttons on the second, neither too long."""
    notice = _notice(1, "CD-2026-0001")
    filler = [{"key": "history.detail", "params": {"text": "x" * 1400}} for _ in range(2)]
    short = len(render([dataclasses.replace(notice, payload={**notice.payload, "lines": filler})], "vi")[0][0])
    pad = {"key": "history.detail", "params": {"text": "y" * (4090 - short - 4)}}  # 4,090 characters in all
    long = dataclasses.replace(notice, payload={**notice.payload, "lines": [*filler, pad]})
    assert len(render([long], "vi")[0][0]) == 4090

    parts = messages([long], "vi", {"CD-2026-0001": _report("CD-2026-0001")})
    assert len(parts) == 2 and all(len(text) <= MessageLimit.MAX_TEXT_LENGTH for text, _ in parts)
    (first, no_buttons), (last, markup) = parts
    assert no_buttons is None and markup is not None and any(
        b.callback_data == CardPress("prog", "CD-2026-0001", 1).pack() for row in markup.inline_keyboard for b in row)
    assert last == h("reply.hint", "vi") and "Có thể trả lời (reply)" not in first
