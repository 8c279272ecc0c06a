"""The log rebuilds exactly what the live changes made: random lives of a directive, each event stored as
the log stores it (`data()`, dates as text) and read back, replay to the same directive field for field;
records of the previous release are read with the dates the code of the time set; a drifted row, an
unknown kind and an event out of order are reported."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import directive as dom
from bot.domain.calendar import WorkingCalendar
from bot.domain.lifecycle import State
from bot.domain.replay import Logged, compare, replay
from bot.errors import DomainError

RULES = dom.Rules(WorkingCalendar(), ZoneInfo("Asia/Ho_Chi_Minh"))
START = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
OFFICE = dom.Actor(1, "admin", "VP")
LEADER = dom.Actor(2, "leader")
SXD = dom.Actor(3, "focal", "SXD")
STC = dom.Actor(4, "focal", "STC")
SYT = dom.Actor(5, "focal", "SYT")

COMMANDS = [
    (SXD, dom.Acknowledge()), (STC, dom.Acknowledge()), (SYT, dom.Acknowledge()),
    (SXD, dom.ReportProgress(text="Tiến độ XD")), (STC, dom.ReportProgress(text="Tiến độ TC")),
    (SXD, dom.ReportDone(text="Xong XD")), (SYT, dom.ReportDone(text="Xong YT")),
    (OFFICE, dom.ReportDone(text="Văn phòng ghi nhận", unit="SYT")),
    (SXD, dom.RequestExtension(date(2027, 1, 15), "Chờ số liệu")),
    (SYT, dom.RequestExtension(date(2027, 2, 1), "Thiếu người")),
    (LEADER, dom.DecideExtension(True)), (OFFICE, dom.DecideExtension(False, "Chưa đủ căn cứ")),
    (OFFICE, dom.Confirm()), (LEADER, dom.SendBack("Thiếu số liệu")), (LEADER, dom.Reopen("Làm lại")),
    (OFFICE, dom.Cancel("Không còn phù hợp")), (SXD, dom.AddFiles(("phu-luc.pdf",))),
]


def _stored(events: list) -> list[Logged]:
    """Each event as the log keeps it: its kind and its data through JSON, as a database returns it."""
    return [Logged(n, e.kind, e.at, json.loads(json.dumps(e.data())), e.actor_id) for n, e in enumerate(events, 1)]


def _born(draft: bool = False) -> tuple[dom.Directive, list]:
    spec = dom.Spec("Rà soát dự án", ("SXD", "SYT"), ("STC",), date(2026, 12, 15), source_number="12/TB-UBND",
                    leader_name="PCT Lê Quang Minh")
    directive, created = dom.create("CD-2026-0001", spec, LEADER, START, RULES, draft=draft)
    return directive, [created]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(COMMANDS) - 1), st.integers(1, 60)), max_size=25), st.booleans())
def test_a_random_life_replays_from_its_log_to_the_same_directive(moves, draft_first):
    directive, events = _born(draft=draft_first)
    at = START
    if draft_first:
        events += dom.apply(directive, dom.EditDraft(content="Đã sửa", lead=("SXD", "SYT"), support=("STC",)),
                            LEADER, at, RULES)
        events += dom.apply(directive, dom.ConfirmDraft(), LEADER, at, RULES)
    for index, hours in moves:
        at += timedelta(hours=hours)
        actor, command = COMMANDS[index]
        try:
            events += dom.apply(directive, command, actor, at, RULES)
        except DomainError:
            continue  # refused: nothing happened
    rebuilt = replay(directive.code, _stored(events), RULES)
    assert compare(rebuilt, directive) == []
    assert rebuilt.directive is not None and rebuilt.directive.reported_on == directive.reported_on


def test_a_record_of_the_previous_release_gets_the_dates_the_code_of_the_time_set():
    at = datetime(2026, 11, 27, 9, tzinfo=UTC)  # a Friday; the deadline below is a Saturday
    records = [
        Logged(1, "assigned", at, {"after": {"state": "assigned", "deadline": "2026-11-28", "lead": ["SXD"],
                                             "support": [], "content": "Báo cáo"}}),
        Logged(2, "done_reported", at + timedelta(days=3),
               {"unit": "SXD", "text": "Xong", "before": {"state": "assigned"},
                "after": {"state": "awaiting_confirmation"}}),
        Logged(3, "sent_back", at + timedelta(days=4),
               {"reason": "Thiếu", "before": {"state": "awaiting_confirmation"},
                "after": {"state": "in_progress", "completed_on": None, "deadline_version": 2}}),
        Logged(4, "cancelled", at + timedelta(days=5),
               {"reason": "Thôi", "before": {"state": "in_progress"},
                "after": {"state": "cancelled", "completed_on": None, "deadline_version": 2}}),
    ]
    rebuilt = replay("CD-2026-0007", records, RULES).directive
    assert rebuilt is not None
    assert rebuilt.due_on == date(2026, 11, 30), "a Saturday deadline runs to Monday"
    assert rebuilt.assigned_on == date(2026, 11, 27) and rebuilt.cancelled_on == date(2026, 12, 2)
    assert rebuilt.reported_on is None and rebuilt.deadline_version == 2 and rebuilt.state == State.CANCELLED


def test_an_unknown_kind_an_event_out_of_order_and_a_drifted_row_are_each_reported():
    directive, events = _born()
    events += dom.apply(directive, dom.Acknowledge(), SXD, START, RULES)
    stored = _stored(events) + [Logged(9, "imported_from_excel", START, {})]
    stored.insert(0, Logged(0, "acknowledged", START, {"unit": "SXD", "before": {"state": "assigned"},
                                                         "after": {"state": "in_progress"}}))
    rebuilt = replay(directive.code, stored, RULES)
    drifted = dom.Directive(**{**directive.__dict__, "state": State.DONE, "parts": directive.parts})
    found = compare(rebuilt, drifted)
    assert "event 0 (acknowledged) comes before the directive was created" in found
    assert "event 9: unknown kind 'imported_from_excel'" in found
    assert "state: log 'in_progress', row 'done'" in found
