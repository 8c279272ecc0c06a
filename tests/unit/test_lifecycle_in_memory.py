"""Every move of a directive's life, for every role, through the real use cases on the in-memory unit of
work: who may make it in which state (a table written out by hand, not derived from the rule), the events
it records, the dates it sets, who is told and which reminders it plans or voids."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest

from bot.domain.lifecycle import State
from bot.errors import DomainError
from bot.services import directives as svc
from bot.services import lifecycle
from tests.conftest import make_settings
from tests.unit.memory import NOW, MemoryRuntime

DAY = timedelta(days=1)
ROLES = ("admin", "leader", "lead", "support", "other", "viewer")


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
    rt.person("viewer", "Người xem")
    return rt


WHO = {"admin": 1, "leader": 2, "lead": 3, "support": 4, "other": 5, "viewer": 6}


async def in_state(rt: MemoryRuntime, state: str) -> str:
    """A directive led by Sở XD, supported by Sở TC, due 15/12/2026, brought to `state` by real moves."""
    spec = svc.NewDirective("Rà soát dự án", ["SXD"], ["STC"], date(2026, 12, 15))
    [card] = await svc.create_directives(rt, WHO["leader"], [spec], now=NOW, as_draft=state == "draft")  # type: ignore[arg-type]
    code = card.code
    at = NOW + DAY
    if state in ("in_progress", "awaiting", "done", "pending_extension"):
        await svc.report_progress(rt, WHO["lead"], code, "Đang làm", now=at)  # type: ignore[arg-type]
    if state in ("awaiting", "done"):
        await svc.report_done(rt, WHO["lead"], code, "Xong", now=at)  # type: ignore[arg-type]
    if state == "done":
        await svc.confirm_done(rt, WHO["admin"], code, now=at)  # type: ignore[arg-type]
    if state == "cancelled":
        await svc.cancel(rt, WHO["admin"], code, "Không còn phù hợp", now=at)  # type: ignore[arg-type]
    if state == "pending_extension":
        await svc.request_extension(rt, WHO["lead"], code, date(2026, 12, 31), "Chờ số liệu", now=at)  # type: ignore[arg-type]
    return code


Move = Callable[[Any, int, str], Awaitable[Any]]
LATER = NOW + 2 * DAY
MOVES: dict[str, tuple[Move, str]] = {
    "acknowledge": (lambda rt, who, code: svc.acknowledge(rt, who, code, now=LATER), "acknowledged"),
    "progress": (lambda rt, who, code: svc.report_progress(rt, who, code, "Tiến độ", now=LATER), "progress"),
    "report_done": (lambda rt, who, code: svc.report_done(rt, who, code, "Hoàn thành", now=LATER), "done_reported"),
    "request_extension": (lambda rt, who, code: svc.request_extension(rt, who, code, date(2027, 1, 15), "Lý do",
                                                                      now=LATER), "extension_requested"),
    "approve_extension": (lambda rt, who, code: svc.decide_extension(rt, who, code, True, now=LATER),
                          "extension_approved"),
    "refuse_extension": (lambda rt, who, code: svc.decide_extension(rt, who, code, False, note="Không", now=LATER),
                         "extension_refused"),
    "confirm": (lambda rt, who, code: svc.confirm_done(rt, who, code, now=LATER), "confirmed"),
    "send_back": (lambda rt, who, code: svc.send_back(rt, who, code, "Thiếu", now=LATER), "sent_back"),
    "reopen": (lambda rt, who, code: svc.reopen(rt, who, code, "Làm lại", now=LATER), "reopened"),
    "cancel": (lambda rt, who, code: svc.cancel(rt, who, code, "Thôi", now=LATER), "cancelled"),
    "confirm_draft": (lambda rt, who, code: svc.confirm_draft(rt, who, code, now=LATER), "assigned"),
    "discard": (lambda rt, who, code: svc.discard_draft(rt, who, code, now=LATER), "discarded"),
    "edit": (lambda rt, who, code: svc.edit_draft(rt, who, code, content="Sửa", now=LATER), "edited"),
}
UNIT_WORK = {"admin", "lead"}  # the office records a report it received for the first lead unit
DECIDERS = {"admin", "leader"}
# Who may make each move in each state: written out, so the rule is checked against it, not against itself.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("draft", "confirm_draft"): DECIDERS, ("draft", "discard"): DECIDERS, ("draft", "edit"): DECIDERS,
    ("assigned", "acknowledge"): UNIT_WORK | {"support"}, ("assigned", "progress"): UNIT_WORK | {"support"},
    ("assigned", "report_done"): UNIT_WORK, ("assigned", "request_extension"): UNIT_WORK,
    ("assigned", "cancel"): DECIDERS,
    # The lead unit acknowledged by reporting progress; the support unit has not.
    ("in_progress", "acknowledge"): {"support"}, ("in_progress", "progress"): UNIT_WORK | {"support"},
    ("in_progress", "report_done"): UNIT_WORK, ("in_progress", "request_extension"): UNIT_WORK,
    ("in_progress", "cancel"): DECIDERS,
    ("pending_extension", "acknowledge"): {"support"}, ("pending_extension", "progress"): UNIT_WORK | {"support"},
    ("pending_extension", "report_done"): UNIT_WORK, ("pending_extension", "approve_extension"): DECIDERS,
    ("pending_extension", "refuse_extension"): DECIDERS, ("pending_extension", "cancel"): DECIDERS,
    ("awaiting", "acknowledge"): {"support"}, ("awaiting", "confirm"): DECIDERS,
    ("awaiting", "send_back"): DECIDERS, ("awaiting", "cancel"): DECIDERS,
    ("done", "reopen"): DECIDERS,
}
STATES = ("draft", "assigned", "in_progress", "pending_extension", "awaiting", "done", "cancelled")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("move", list(MOVES))
async def test_each_role_may_make_a_move_exactly_when_the_table_says_and_it_records_its_event(rt, state, move):
    code = await in_state(rt, state)
    run, kind = MOVES[move]
    for role in ROLES:
        before = rt.events(code)
        snapshot = rt.province
        try:
            card = await run(rt, WHO[role], code)
        except DomainError as refused:
            assert role not in ALLOWED.get((state, move), set()), f"{role} refused {move} in {state}: {refused!r}"
            assert rt.events(code) == before and rt.province is snapshot, "a refusal changes nothing"
            continue
        assert role in ALLOWED.get((state, move), set()), f"{role} was let {move} in {state}"
        assert rt.events(card.code) == [*before, kind]  # a draft assigned takes its CD code
        rt.province = snapshot  # each role tries from the same state


async def test_a_draft_has_its_own_number_and_only_an_assigned_directive_takes_a_code_without_gaps(rt):
    specs = [svc.NewDirective(f"Việc {n}", ["SXD"], [], date(2026, 12, 15)) for n in range(3)]
    drafts = await svc.create_directives(rt, WHO["leader"], specs, now=NOW, as_draft=True)  # type: ignore[arg-type]
    assert [c.code for c in drafts] == ["NHAP-1", "NHAP-2", "NHAP-3"]
    await svc.discard_draft(rt, WHO["leader"], drafts[0].code, now=NOW)  # type: ignore[arg-type]
    second = await svc.confirm_draft(rt, WHO["leader"], "Nháp 2", now=NOW)  # type: ignore[arg-type]
    third = await svc.confirm_draft(rt, WHO["admin"], "nhap 3", now=NOW)  # type: ignore[arg-type]
    assert (second.code, third.code) == ("CD-2026-0001", "CD-2026-0002"), "the abandoned draft used no code"
    assert rt.events("CD-2026-0001") == ["drafted", "assigned"]
    with pytest.raises(DomainError, match="not_found"):
        await svc.confirm_draft(rt, WHO["leader"], "NHAP-2", now=NOW)  # type: ignore[arg-type]


async def test_assignment_plans_every_reminder_and_tells_each_unit_in_its_role_but_not_the_leader(rt):
    code = await in_state(rt, "assigned")
    assert rt.told(WHO["lead"]) == ["notify.assigned"] and rt.told(WHO["support"]) == ["notify.assigned"]
    assert rt.told(WHO["leader"]) == [] and rt.told(WHO["other"]) == []
    roles = [r.payload["params"]["role"]["key"] for r in rt.province.outbox.values() if r.kind == "notify"]
    assert sorted(roles) == ["unit_role.lead", "unit_role.support"]
    kinds = sorted({r.kind for r in rt.province.outbox.values() if r.directive == code and r.kind != "notify"})
    assert kinds == ["escalation", "remind_before", "remind_overdue"]


async def test_a_report_is_told_to_the_office_and_the_assigning_leader_with_its_files_and_not_to_the_reporter(rt):
    code = await in_state(rt, "assigned")
    files = [svc.FileRef("document", "file-1", "u1", "bao-cao.pdf", "application/pdf", 10)]
    await svc.report_progress(rt, WHO["lead"], code, "Đã làm một nửa", now=LATER, files=files)  # type: ignore[arg-type]
    assert rt.told(WHO["admin"]) == ["notify.progress"] and rt.told(WHO["leader"]) == ["notify.progress"]
    assert rt.told(WHO["lead"]) == ["notify.assigned"]
    [notice] = [r for r in rt.province.outbox.values() if r.payload["text"] == "notify.progress"][:1]
    assert notice.payload["files"] == [{"attachment": 1, "kind": "document", "name": "bao-cao.pdf"}]
    assert notice.payload["params"]["unit"] == "Sở Xây dựng"


async def test_confirmation_sets_the_completion_day_to_the_lead_units_report_and_voids_the_reminders(rt):
    code = await in_state(rt, "awaiting")
    card = await svc.confirm_done(rt, WHO["leader"], code, now=NOW + 5 * DAY)  # type: ignore[arg-type]
    assert card.state == State.DONE and card.completed_on == date(2026, 11, 21)
    pending = [r for r in rt.province.outbox.values() if r.directive == code and r.kind != "notify"
               and r.status == "pending"]
    assert pending == []
    assert rt.told(WHO["lead"])[-1] == "notify.confirmed" and rt.told(WHO["support"])[-1] == "notify.confirmed"


async def test_a_report_sent_back_clears_every_report_bumps_the_plan_and_plans_the_reminders_again(rt):
    code = await in_state(rt, "awaiting")
    card = await svc.send_back(rt, WHO["admin"], code, "Thiếu số liệu", now=LATER)  # type: ignore[arg-type]
    stored = rt.province.directives[code]
    assert card.state == State.IN_PROGRESS and stored.reported_on is None and stored.deadline_version == 2
    assert all(p.reported_done_at is None for p in stored.parts)
    versions = {r.deadline_version for r in rt.province.outbox.values()
                if r.directive == code and r.kind == "remind_before" and r.status == "pending"}
    assert versions == {2}


async def test_an_approved_extension_moves_the_deadline_and_the_day_it_ends_and_tells_everyone(rt):
    code = await in_state(rt, "pending_extension")
    card = await svc.decide_extension(rt, WHO["leader"], code, True, now=LATER)  # type: ignore[arg-type]
    stored = rt.province.directives[code]
    assert (stored.deadline, stored.due_on, stored.deadline_version) == (date(2026, 12, 31), date(2026, 12, 31), 2)
    assert card.pending_extension is None
    for who in ("admin", "lead", "support"):
        assert rt.told(WHO[who])[-1] == "notify.extension_approved", who


async def test_a_refused_extension_is_told_to_the_unit_that_asked_and_the_office_only(rt):
    code = await in_state(rt, "pending_extension")
    await svc.decide_extension(rt, WHO["leader"], code, False, note="Chưa đủ căn cứ", now=LATER)  # type: ignore[arg-type]
    assert rt.told(WHO["lead"])[-1] == "notify.extension_refused"
    assert rt.told(WHO["admin"])[-1] == "notify.extension_refused"
    assert "notify.extension_refused" not in rt.told(WHO["support"]) + rt.told(WHO["leader"])


async def test_a_decision_on_an_extension_names_the_request_it_was_about(rt):
    code = await in_state(rt, "pending_extension")
    with pytest.raises(DomainError, match="action.stale"):
        await svc.decide_extension(rt, WHO["admin"], code, False, note="x", now=LATER, request_id=99)  # type: ignore[arg-type]


async def test_cancelling_keeps_the_reason_and_the_day_and_voids_a_pending_request(rt):
    code = await in_state(rt, "pending_extension")
    await svc.cancel(rt, WHO["admin"], code, "Không còn phù hợp", now=LATER)  # type: ignore[arg-type]
    stored = rt.province.directives[code]
    assert (stored.state, stored.cancel_reason, stored.cancelled_on) == (State.CANCELLED, "Không còn phù hợp",
                                                                         date(2026, 11, 22))
    assert stored.extension is not None and stored.extension.status == "void"


async def test_two_lead_units_await_confirmation_only_once_both_have_reported(rt):
    [card] = await svc.create_directives(rt, WHO["leader"], [svc.NewDirective("Chung", ["SXD", "STC"], [],  # type: ignore[arg-type]
                                                                              date(2026, 12, 15))], now=NOW)
    first = await svc.report_done(rt, WHO["lead"], card.code, "Xong phần XD", now=LATER)  # type: ignore[arg-type]
    assert first.state == State.IN_PROGRESS and rt.province.directives[card.code].reported_on is None
    second = await svc.report_done(rt, WHO["support"], card.code, "Xong phần TC", now=LATER + DAY)  # type: ignore[arg-type]
    assert second.state == State.AWAITING and rt.province.directives[card.code].reported_on == date(2026, 11, 23)


async def test_a_recurring_directive_confirmed_gets_its_next_occurrence_announced_in_office_hours(rt):
    spec = svc.NewDirective("Báo cáo tháng", ["SXD"], [], date(2026, 11, 30), recurrence="monthly")
    [card] = await svc.create_directives(rt, WHO["leader"], [spec], now=NOW)  # type: ignore[arg-type]
    await svc.report_done(rt, WHO["lead"], card.code, "Xong", now=LATER)  # type: ignore[arg-type]
    saturday_night = NOW + 1 * DAY + timedelta(hours=13)  # Sat 21/11 22:00
    await svc.confirm_done(rt, WHO["admin"], card.code, now=saturday_night)  # type: ignore[arg-type]
    [following] = [d for d in rt.province.directives.values() if d.previous_id is not None]
    assert following.deadline == date(2026, 12, 31) and rt.events(following.code) == ["recurred"]
    [notice] = [r for r in rt.province.outbox.values() if r.directive == following.code and r.kind == "notify"][:1]
    assert notice.due_at.astimezone(rt.settings.tz).strftime("%a %H:%M") == "Mon 07:30"
    assert await lifecycle.roll_recurring(rt, NOW + 45 * DAY) == 1, "the next one, unfinished, rolls on"  # type: ignore[arg-type]


async def test_a_refusal_leaves_the_province_untouched_even_after_the_first_writes(rt):
    code = await in_state(rt, "awaiting")
    before = rt.province
    with pytest.raises(DomainError):
        await svc.send_back(rt, WHO["admin"], code, "   ", now=LATER)  # type: ignore[arg-type]
    assert rt.province is before


async def test_a_button_pressed_on_an_older_card_is_refused_as_stale(rt):
    code = await in_state(rt, "assigned")
    card = await svc.acknowledge(rt, WHO["support"], code, now=LATER)  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="action.stale"):
        await svc.acknowledge(rt, WHO["lead"], code, now=LATER, expected_version=card.version - 1)  # type: ignore[arg-type]
