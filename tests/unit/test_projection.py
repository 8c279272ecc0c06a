"""A directive rebuilt from its events: every kind the services write, and what cannot be accounted for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.projection import LoggedEvent, Part, Projected, compare, project

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def log(*entries: tuple[str, dict]) -> list[LoggedEvent]:
    return [LoggedEvent(n, kind, T0 + timedelta(hours=n), data) for n, (kind, data) in enumerate(entries, 1)]


ASSIGNED = ("assigned", {"after": {"state": "assigned", "deadline": "2026-12-15", "lead": ["SXD"],
                                   "support": ["STC"], "content": "Rà soát dự án"}})


def test_a_full_life_rebuilds_state_deadline_version_completion_and_each_units_part():
    p = project(log(
        ASSIGNED,
        ("acknowledged", {"unit": "SXD", "before": {"state": "assigned"}, "after": {"state": "in_progress"}}),
        ("progress", {"unit": "STC", "text": "Đã phối hợp", "before": {"state": "in_progress"},
                      "after": {"state": "in_progress"}}),
        ("extension_requested", {"unit": "SXD", "new_deadline": "2026-12-31", "reason": "Chờ số liệu"}),
        ("extension_approved", {"before": {"deadline": "2026-12-15"}, "after": {"deadline": "2026-12-31"}}),
        ("done_reported", {"unit": "SXD", "text": "Xong", "before": {"state": "in_progress"},
                           "after": {"state": "awaiting_confirmation"}}),
        ("sent_back", {"reason": "Thiếu số liệu", "before": {"state": "awaiting_confirmation"},
                       "after": {"state": "in_progress", "completed_on": None}}),
        ("done_reported", {"unit": "SXD", "text": "Đã bổ sung", "before": {"state": "in_progress"},
                           "after": {"state": "awaiting_confirmation"}}),
        ("confirmed", {"before": {"state": "awaiting_confirmation"},
                       "after": {"state": "done", "completed_on": "2026-11-20"}}),
    ))
    assert (p.state, p.deadline, p.original_deadline, p.deadline_version) == (
        "done", date(2026, 12, 31), date(2026, 12, 15), 2)
    assert p.completed_on == date(2026, 11, 20) and p.content == "Rà soát dự án"
    assert p.parts == {
        "SXD": Part("lead", T0 + timedelta(hours=2), T0 + timedelta(hours=8), "Đã bổ sung", T0 + timedelta(hours=8)),
        "STC": Part("support", T0 + timedelta(hours=3), None, "Đã phối hợp", T0 + timedelta(hours=3)),
    }
    assert not p.unknown and not p.inconsistent


def test_a_draft_edited_then_confirmed_takes_its_last_units_and_deadline():
    p = project(log(
        ("drafted", {"after": {"state": "draft", "deadline": "2026-12-01", "lead": ["SXD"], "support": [],
                               "content": "A"}}),
        ("edited", {"before": {"state": "draft"}, "after": {"state": "draft", "deadline": "2026-12-10",
                                                            "lead": ["STC"], "support": ["SXD"], "content": "B"}}),
        ("assigned", {"before": {"state": "draft"}, "after": {"state": "assigned", "deadline": "2026-12-10",
                                                              "lead": ["STC"], "support": ["SXD"], "content": "B"}}),
    ))
    assert (p.state, p.deadline, p.content) == ("assigned", date(2026, 12, 10), "B")
    assert p.parts == {"STC": Part("lead"), "SXD": Part("support")}


def test_a_cancellation_keeps_its_reason_and_a_recurrence_starts_a_new_assigned_directive():
    cancelled = project(log(ASSIGNED, ("cancelled", {"reason": "Không còn phù hợp", "before": {"state": "assigned"},
                                                     "after": {"state": "cancelled", "completed_on": None}})))
    assert (cancelled.state, cancelled.cancel_reason) == ("cancelled", "Không còn phù hợp")
    recurred = project(log(("recurred", {"previous": "CD-2026-0001", "after": {"deadline": "2026-12-31"}})))
    assert (recurred.state, recurred.deadline) == ("assigned", date(2026, 12, 31))


def test_an_unknown_kind_is_reported_by_name_and_the_rest_still_rebuilt():
    p = project(log(ASSIGNED, ("imported_from_excel", {"rows": 3}),
                    ("acknowledged", {"unit": "SXD", "before": {"state": "assigned"}, "after": {"state": "in_progress"}})))
    assert p.unknown == ["event 2: unknown kind 'imported_from_excel'"]
    assert p.state == "in_progress"
    assert compare(p, p) == p.unknown, "an unknown kind is a finding even when everything else agrees"


def test_a_before_state_that_contradicts_the_log_and_an_unassigned_unit_are_inconsistencies():
    p = project(log(ASSIGNED, ("acknowledged", {"unit": "SYT", "before": {"state": "in_progress"},
                                                "after": {"state": "in_progress"}})))
    assert len(p.inconsistent) == 2
    assert "says the state was in_progress" in p.inconsistent[0] and "names unit SYT" in p.inconsistent[1]


def test_compare_names_each_field_and_unit_that_differs():
    rebuilt = project(log(ASSIGNED))
    row = Projected(state="done", deadline=date(2026, 12, 15), original_deadline=date(2026, 12, 15),
                    content="Rà soát dự án", parts={"SXD": Part("lead"), "SYT": Part("support")})
    assert compare(rebuilt, row) == [
        "state: log 'assigned', row 'done'",
        "unit STC: only in the log",
        "unit SYT: only in the row",
    ]
    assert compare(project([]), row) == ["no event creates this directive"]
