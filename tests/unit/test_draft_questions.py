"""Ask, don't guess: a draft read from a text the parser was unsure of carries its questions, and no one can
assign it («Giao việc», or a batch assigned at once) until they are answered. Through the real use cases on
the in-memory unit of work, with drafts read by the real parser."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.calendar import WorkingCalendar
from bot.domain.lifecycle import Move, State
from bot.domain.policy import allowed
from bot.errors import DomainError
from bot.parsing import DraftDirective, UnitIndex, parse_message
from bot.services import directives as svc
from tests.conftest import make_settings
from tests.unit.memory import NOW, MemoryRuntime
from tests.unit.parsing.conftest import GROUPS, UNITS

LEADER = 2


@pytest.fixture
def rt() -> MemoryRuntime:
    rt = MemoryRuntime(make_settings())
    for unit in UNITS:
        rt.unit(unit.code, unit.name)
    rt.person("admin", "Chuyên viên VP", "VP")
    rt.person("leader", "Phó Chủ tịch")
    return rt


def _read(text: str) -> list[DraftDirective]:
    result = parse_message(text, at=NOW, calendar=WorkingCalendar(), index=UnitIndex(UNITS, GROUPS))
    assert result.kind == "directives", result
    return list(result.directives)


def _spec(draft: DraftDirective) -> svc.NewDirective:
    """What the chat makes of a draft (handlers/understand.py: _spec)."""
    deadline = draft.deadline if "deadline_in_past" not in draft.problems else None
    index = UnitIndex(UNITS, GROUPS)
    return svc.NewDirective(draft.content, list(index.expand(draft.lead)), list(index.expand(draft.support)), deadline,
                            draft.recurrence if deadline else None, questions=draft.questions)


async def _drafts(rt: MemoryRuntime, text: str) -> list[svc.Card]:
    return await svc.create_directives(rt, LEADER, [_spec(d) for d in _read(text)], now=NOW,  # type: ignore[arg-type]
                                       as_draft=True)


async def test_an_impossible_date_is_asked_and_never_becomes_a_standing_task(rt: MemoryRuntime) -> None:
    [card] = await _drafts(rt, "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027.")
    assert card.deadline is None and card.questions == ("impossible_date:trước ngày 31/2/2027",)
    assert Move.CONFIRM_DRAFT not in allowed("leader", card.standing), "«Giao việc» is not offered"
    with pytest.raises(DomainError) as refused:
        await svc.confirm_draft(rt, LEADER, card.code, now=NOW)  # type: ignore[arg-type]
    assert refused.value.key == "draft.open_questions"
    assert rt.province.directives[card.code].state == State.DRAFT

    card = await svc.edit_draft(rt, LEADER, card.code, now=NOW, deadline=date(2027, 2, 28))  # type: ignore[arg-type]
    assert card.questions == () and Move.CONFIRM_DRAFT in allowed("leader", card.standing)
    card = await svc.confirm_draft(rt, LEADER, card.code, now=NOW)  # type: ignore[arg-type]
    assert card.state == State.ASSIGNED and card.deadline == date(2027, 2, 28)


async def test_choosing_no_deadline_is_an_answer_too(rt: MemoryRuntime) -> None:
    [card] = await _drafts(rt, "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027.")
    card = await svc.edit_draft(rt, LEADER, card.code, now=NOW, deadline=None)  # type: ignore[arg-type]
    assert card.questions == ()
    assert (await svc.confirm_draft(rt, LEADER, card.code, now=NOW)).state == State.ASSIGNED  # type: ignore[arg-type]


async def test_a_batch_assigned_at_once_is_refused_while_any_question_is_open(rt: MemoryRuntime) -> None:
    specs = [_spec(d) for d in _read("1. Giao Sở Tài chính rà soát nguồn vốn, hoàn thành trước ngày 15/12/2026.\n"
                                     "2. Giao Sở Tư pháp thẩm định dự thảo, hoàn thành trước ngày 30/2/2027.")]
    assert [bool(s.questions) for s in specs] == [False, True]
    with pytest.raises(DomainError) as refused:
        await svc.create_directives(rt, LEADER, specs, now=NOW)  # type: ignore[arg-type]
    assert refused.value.key == "draft.open_questions"
    assert rt.province.directives == {}, "all or none: nothing was assigned"


async def test_two_candidate_deadlines_are_asked(rt: MemoryRuntime) -> None:
    [card] = await _drafts(rt, "Giao Sở Xây dựng kiểm tra các công trình, báo cáo kết quả bước đầu trước ngày "
                               "10/12/2026, hoàn thành trước ngày 31/12/2026.")
    assert card.questions == ("two_deadlines:2026-12-31 2026-12-10",)
    with pytest.raises(DomainError):
        await svc.confirm_draft(rt, LEADER, card.code, now=NOW)  # type: ignore[arg-type]
    card = await svc.edit_draft(rt, LEADER, card.code, now=NOW, deadline=date(2026, 12, 10))  # type: ignore[arg-type]
    assert card.questions == () and card.deadline == date(2026, 12, 10)


async def test_a_deadline_only_the_headline_gives_is_proposed_and_asked(rt: MemoryRuntime) -> None:
    [card] = await _drafts(rt, "Kiên quyết xử lý các chung cư vi phạm phòng cháy trước ngày 31/12/2026\n\nChủ tịch UBND "
                               "tỉnh vừa yêu cầu Sở Xây dựng tổ chức kiểm tra việc chấp hành quy định về phòng cháy, chữa "
                               "cháy tại các khu chung cư, nhà cao tầng.")
    assert card.deadline == date(2026, 12, 31) and card.questions == ("headline_deadline:2026-12-31",)
    assert Move.CONFIRM_DRAFT not in allowed("leader", card.standing), "«Giao việc» waits for the answer"
    card = await svc.edit_draft(rt, LEADER, card.code, now=NOW, deadline=date(2026, 12, 31))  # type: ignore[arg-type]
    assert card.questions == () and Move.CONFIRM_DRAFT in allowed("leader", card.standing)


def test_the_headline_question_reads_well_in_both_languages() -> None:
    from bot.render import question_days, question_text
    assert question_days("headline_deadline:2026-12-31") == [date(2026, 12, 31)]
    vi = str(question_text("headline_deadline:2026-12-31", "vi"))
    assert "31/12/2026" in vi and "tiêu đề" in vi
    assert "headline" in str(question_text("headline_deadline:2026-12-31", "en"))


async def test_a_unit_the_list_lacks_is_asked_until_answered(rt: MemoryRuntime) -> None:
    [card] = await _drafts(rt, "Giao Sở Y tế chủ trì, phối hợp với Sở Ngoại vụ tổ chức đón đoàn công tác.")
    assert card.questions == ("unit:Sở Ngoại vụ",)
    with pytest.raises(DomainError):
        await svc.confirm_draft(rt, LEADER, card.code, now=NOW)  # type: ignore[arg-type]
    card = await svc.edit_draft(rt, LEADER, card.code, now=NOW, answered=("unit",))  # type: ignore[arg-type]
    assert card.questions == ()
    assert (await svc.confirm_draft(rt, LEADER, card.code, now=NOW)).state == State.ASSIGNED  # type: ignore[arg-type]


async def test_a_sentence_that_may_be_background_waits_for_the_leader(rt: MemoryRuntime) -> None:
    spec = svc.NewDirective("Sở Y tế đã có nhiều văn bản chỉ đạo", ["SYT"], questions=("background",))
    [card] = await svc.create_directives(rt, LEADER, [spec], now=NOW, as_draft=True)  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        await svc.confirm_draft(rt, LEADER, card.code, now=NOW)  # type: ignore[arg-type]
    card = await svc.edit_draft(rt, LEADER, card.code, now=NOW, content="Sở Y tế rà soát văn bản")  # type: ignore[arg-type]
    assert card.questions == ("background",), "another correction does not answer it"
    card = await svc.edit_draft(rt, LEADER, card.code, now=NOW, answered=("background",))  # type: ignore[arg-type]
    assert (await svc.confirm_draft(rt, LEADER, card.code, now=NOW)).state == State.ASSIGNED  # type: ignore[arg-type]


async def test_a_question_of_an_unknown_kind_is_refused(rt: MemoryRuntime) -> None:
    spec = svc.NewDirective("Rà soát", ["SYT"], questions=("whatever",))
    with pytest.raises(DomainError) as refused:
        await svc.create_directives(rt, LEADER, [spec], now=NOW, as_draft=True)  # type: ignore[arg-type]
    assert refused.value.key == "draft.bad_question"


async def test_the_log_rebuilds_the_questions_and_their_answers(rt: MemoryRuntime) -> None:
    import json

    from bot.domain.replay import Logged, replay

    [card] = await _drafts(rt, "Giao Sở Y tế rà soát các cơ sở khám bệnh, hoàn thành trước ngày 31/2/2027.")
    await svc.edit_draft(rt, LEADER, card.code, now=NOW, content="Rà soát các cơ sở khám bệnh")  # type: ignore[arg-type]
    events = [e.event for e in rt.province.log if e.code == card.code]
    stored = [Logged(n, e.kind, e.at, json.loads(json.dumps(e.data())), e.actor_id) for n, e in enumerate(events, 1)]
    rebuilt = replay(card.code, stored, rt.rules).directive
    assert rebuilt is not None and rebuilt.questions == ("impossible_date:trước ngày 31/2/2027",)
    await svc.edit_draft(rt, LEADER, card.code, now=NOW, deadline=date(2027, 2, 28))  # type: ignore[arg-type]
    events = [e.event for e in rt.province.log if e.code == card.code]
    stored = [Logged(n, e.kind, e.at, json.loads(json.dumps(e.data())), e.actor_id) for n, e in enumerate(events, 1)]
    rebuilt = replay(card.code, stored, rt.rules).directive
    assert rebuilt is not None and rebuilt.questions == ()


async def test_a_phrase_that_may_mean_the_districts_before_2025_asks_which_units(rt: MemoryRuntime) -> None:
    from datetime import datetime

    result = parse_message("Yêu cầu các địa phương rà soát các điểm sạt lở.", calendar=WorkingCalendar(),
                           at=datetime.fromisoformat("2020-10-01T09:00:00+07:00"), index=UnitIndex(UNITS, GROUPS))
    [draft] = result.directives
    assert draft.lead == ("#dia-phuong",) and draft.questions == ("vague_unit:các địa phương",)
    assert _read("Yêu cầu các địa phương rà soát các điểm sạt lở.")[0].questions == (), "after 7/2025: communes"
    [card] = await svc.create_directives(rt, LEADER, [_spec(draft)], now=NOW, as_draft=True)  # type: ignore[arg-type]
    with pytest.raises(DomainError):
        await svc.confirm_draft(rt, LEADER, card.code, now=NOW)  # type: ignore[arg-type]
    card = await svc.edit_draft(rt, LEADER, card.code, now=NOW, lead=["P-THUANAN"])  # type: ignore[arg-type]
    assert card.questions == () and card.lead_codes == ["P-THUANAN"]


async def test_a_lead_the_doubt_check_finds_likely_wrong_waits_until_kept_or_chosen(rt: MemoryRuntime) -> None:
    from dataclasses import replace

    from bot.parsing.result import PROBLEM_UNSURE_LEAD

    [read] = _read("Giao Sở Y tế rà soát các cơ sở khám bệnh trên địa bàn.")
    doubted = replace(read, problems=(PROBLEM_UNSURE_LEAD,), doubted_lead="Sở Y tế")
    assert doubted.questions == ("lead:Sở Y tế",)
    first, second = await svc.create_directives(rt, LEADER, [_spec(doubted), _spec(doubted)], now=NOW,  # type: ignore[arg-type]
                                                as_draft=True)
    assert first.questions == ("lead:Sở Y tế",)
    assert Move.CONFIRM_DRAFT not in allowed("leader", first.standing), "«Giao việc» is not offered"
    with pytest.raises(DomainError) as refused:
        await svc.confirm_draft(rt, LEADER, first.code, now=NOW)  # type: ignore[arg-type]
    assert refused.value.key == "draft.open_questions"
    card = await svc.edit_draft(rt, LEADER, first.code, now=NOW, answered=("lead",))  # type: ignore[arg-type]
    assert card.questions == () and card.lead_codes == ["SYT"], "«Giữ đơn vị như trên» keeps the lead read"
    assert (await svc.confirm_draft(rt, LEADER, card.code, now=NOW)).state == State.ASSIGNED  # type: ignore[arg-type]
    card = await svc.edit_draft(rt, LEADER, second.code, now=NOW, lead=["STC"])  # type: ignore[arg-type]
    assert card.questions == () and card.lead_codes == ["STC"], "choosing the lead with «Sửa» answers it"


def test_the_lead_question_reads_well_in_both_languages() -> None:
    from bot.render import question_text

    vi, en = question_text("lead:Sở Y tế", "vi"), question_text("lead:Sở Y tế", "en")
    assert "«Sở Y tế»" in vi and "Sửa" in vi and "«Sở Y tế»" in en and "Edit" in en
