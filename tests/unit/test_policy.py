"""One rule says who may do what on a directive now; the services enforce it and cards draw buttons
from it."""

import pytest

from bot.domain.lifecycle import Move, State
from bot.domain.policy import Role, Standing, allowed, check
from bot.errors import DomainError

ASSIGNED = Standing("CD-2026-0001", State.ASSIGNED, leads=frozenset({"SXD"}), supports=frozenset({"STC"}))


def refused(role, move, standing, unit=None) -> str:
    with pytest.raises(DomainError) as error:
        check(role, move, standing, unit)
    return error.value.key


def test_a_support_unit_acknowledges_and_reports_progress_but_only_the_lead_reports_done_or_asks_for_time():
    assert allowed(Role.FOCAL, ASSIGNED, "STC") == {Move.ACKNOWLEDGE, Move.PROGRESS}
    assert allowed(Role.FOCAL, ASSIGNED, "SXD") == {Move.ACKNOWLEDGE, Move.PROGRESS, Move.REQUEST_EXTENSION,
                                                    Move.REPORT_DONE}
    assert refused(Role.FOCAL, Move.REPORT_DONE, ASSIGNED, "STC") == "auth.not_your_unit"


def test_another_units_focal_point_and_a_viewer_may_do_nothing():
    assert allowed(Role.FOCAL, ASSIGNED, "SYT") == frozenset()
    assert allowed(Role.VIEWER, ASSIGNED) == frozenset()
    assert refused(Role.FOCAL, Move.ACKNOWLEDGE, ASSIGNED, "SYT") == "auth.not_your_unit"
    assert refused(Role.VIEWER, Move.ACKNOWLEDGE, ASSIGNED) == "auth.forbidden"


@pytest.mark.parametrize("role", [Role.FOCAL, Role.VIEWER])
def test_only_the_office_and_leaders_decide(role):
    awaiting = Standing("CD-2026-0001", State.AWAITING, leads=frozenset({"SXD"}), reported=frozenset({"SXD"}))
    assert refused(role, Move.CONFIRM, awaiting, "SXD") == "auth.forbidden"
    assert allowed(Role.LEADER, awaiting) == {Move.CONFIRM, Move.SEND_BACK, Move.CANCEL}


def test_what_was_done_already_is_not_offered_again():
    acknowledged = Standing("CD-2026-0001", State.IN_PROGRESS, leads=frozenset({"SXD"}),
                            acknowledged=frozenset({"SXD"}), extension_pending=True)
    moves = allowed(Role.FOCAL, acknowledged, "SXD")
    assert Move.ACKNOWLEDGE not in moves and Move.REQUEST_EXTENSION not in moves
    assert refused(Role.FOCAL, Move.ACKNOWLEDGE, acknowledged, "SXD") == "ack.already"
    assert refused(Role.FOCAL, Move.REQUEST_EXTENSION, acknowledged, "SXD") == "extension.pending_exists"
    assert Move.DECIDE_EXTENSION in allowed(Role.ADMIN, acknowledged)


def test_a_draft_without_a_lead_unit_can_be_corrected_but_not_assigned():
    draft = Standing("CD-2026-0001", State.DRAFT, leads=frozenset())
    assert allowed(Role.LEADER, draft) == {Move.EDIT_DRAFT, Move.DISCARD}
    assert refused(Role.LEADER, Move.CONFIRM_DRAFT, draft) == "directive.no_lead"


def test_the_office_acts_for_a_unit_only_when_it_names_one():
    assert allowed(Role.ADMIN, ASSIGNED) == {Move.CANCEL}
    assert Move.REPORT_DONE in allowed(Role.ADMIN, ASSIGNED, "SXD")


def test_a_finished_directive_can_only_be_reopened_and_a_cancelled_one_not_at_all():
    done = Standing("CD-2026-0001", State.DONE, leads=frozenset({"SXD"}))
    assert allowed(Role.ADMIN, done) == {Move.REOPEN}
    assert allowed(Role.FOCAL, done, "SXD") == frozenset()
    cancelled = Standing("CD-2026-0001", State.CANCELLED, leads=frozenset({"SXD"}))
    assert allowed(Role.ADMIN, cancelled) == frozenset()
    assert refused(Role.ADMIN, Move.REOPEN, cancelled) == "lifecycle.illegal"
