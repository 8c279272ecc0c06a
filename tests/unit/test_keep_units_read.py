"""«Giữ đơn vị như đã đọc» on a pasted notice's drafts (bot.services.directives.keep_units_read): one press answers
every draft's doubted lead and «các địa phương» questions, leaves its other questions open, and never writes a draft
changed since the press was offered. Through the real use cases on the in-memory unit of work."""

from __future__ import annotations

import pytest

from bot.domain.lifecycle import State
from bot.errors import DomainError
from bot.services import directives as svc
from tests.conftest import make_settings
from tests.unit.memory import NOW, MemoryRuntime
from tests.unit.parsing.conftest import UNITS

LEADER, FOCAL = 2, 3
CHAT, MESSAGE = 2002, 77
DOUBTED = ("lead:Sở Y tế",)
VAGUE = ("vague_unit:các địa phương",)


@pytest.fixture
def rt() -> MemoryRuntime:
    rt = MemoryRuntime(make_settings())
    for unit in UNITS:
        rt.unit(unit.code, unit.name)
    rt.person("admin", "Chuyên viên VP", "VP")
    rt.person("leader", "Phó Chủ tịch")
    rt.person("focal", "Đầu mối Sở Y tế", "SYT")
    return rt


async def _pasted(rt: MemoryRuntime, *questions: tuple[str, ...]) -> list[svc.Card]:
    """A pasted notice read as one draft per entry of `questions` (each its draft's questions)."""
    specs = [svc.NewDirective(f"Nhiệm vụ {n} rà soát hồ sơ", ["SYT"], questions=asked)
             for n, asked in enumerate(questions, 1)]
    return await svc.create_directives(rt, LEADER, specs, now=NOW, as_draft=True,  # type: ignore[arg-type]
                                       origin=(CHAT, MESSAGE))


async def _keep(rt: MemoryRuntime, actor: int = LEADER, **kwargs: object) -> svc.KeptUnits:
    return await svc.keep_units_read(rt, actor, CHAT, MESSAGE, now=NOW, **kwargs)  # type: ignore[arg-type]


def _questions(rt: MemoryRuntime, code: str) -> tuple[str, ...]:
    return rt.province.directives[code].questions


async def test_one_press_answers_the_doubted_leads_and_vague_units_of_every_draft(rt: MemoryRuntime) -> None:
    cards = await _pasted(rt, DOUBTED, VAGUE, DOUBTED + VAGUE, ())
    kept = await _keep(rt)
    assert [card.code for card, _ in kept.answered] == [c.code for c in cards[:3]] and kept.left == []
    assert all(card.questions == () for card, _ in kept.answered)
    assert all(_questions(rt, c.code) == () for c in cards)
    assert rt.events(cards[2].code).count("edited") == 1, "one correction per draft, both questions in it"
    assigned, remaining = await svc.assign_drafts(rt, LEADER, CHAT, MESSAGE, now=NOW)  # type: ignore[arg-type]
    assert len(assigned) == 4 and remaining == [], "«Giao tất cả» takes them all now"


async def test_date_background_and_unknown_unit_questions_stay_open(rt: MemoryRuntime) -> None:
    others = ("past_date:trước ngày 01/01/2026", "background", "unit:Sở Ngoại vụ")
    [card] = await _pasted(rt, DOUBTED + others)
    kept = await _keep(rt)
    assert [c.questions for c, _ in kept.answered] == [others]
    assert _questions(rt, card.code) == others
    assert rt.province.directives[card.code].state == State.DRAFT


async def test_the_answered_drafts_come_with_their_preview_messages(rt: MemoryRuntime) -> None:
    await _pasted(rt, DOUBTED, DOUBTED)
    await svc.remember_previews(rt, LEADER, CHAT, MESSAGE, {1: 901})  # type: ignore[arg-type]
    kept = await _keep(rt)
    assert [preview for _, preview in kept.answered] == [None, 901]


async def test_a_second_press_finds_nothing_to_do_and_changes_nothing(rt: MemoryRuntime) -> None:
    cards = await _pasted(rt, DOUBTED, VAGUE)
    await _keep(rt)
    versions = [rt.province.directives[c.code].version for c in cards]
    again = await _keep(rt)
    assert again.answered == [] and again.left == []
    assert [rt.province.directives[c.code].version for c in cards] == versions


async def test_a_draft_changed_since_the_press_was_offered_is_left_whole_and_named(rt: MemoryRuntime) -> None:
    cards = await _pasted(rt, DOUBTED, DOUBTED + ("background",), DOUBTED)
    offered = {place: card.version for place, card in enumerate(cards)}
    await svc.edit_draft(rt, LEADER, cards[1].code, now=NOW, answered=("background",))  # type: ignore[arg-type]
    kept = await _keep(rt, versions=offered)
    assert [c.code for c, _ in kept.answered] == [cards[0].code, cards[2].code]
    assert [c.code for c in kept.left] == [cards[1].code]
    assert {place: (c.code, c.version) for place, c in kept.changed.items()} == {1: (cards[1].code, 2)}, \
        "by its place, at its version now: a new press may cover it"
    assert _questions(rt, cards[1].code) == DOUBTED, "the draft changed since keeps its question"


async def test_a_draft_not_offered_is_not_answered(rt: MemoryRuntime) -> None:
    """Read again from an edited message, a notice may have more drafts than the press was offered for."""
    cards = await _pasted(rt, DOUBTED, DOUBTED)
    kept = await _keep(rt, versions={0: cards[0].version})
    assert [c.code for c, _ in kept.answered] == [cards[0].code] and kept.left == []
    assert _questions(rt, cards[1].code) == DOUBTED


async def test_an_assigned_or_discarded_draft_is_passed_over(rt: MemoryRuntime) -> None:
    cards = await _pasted(rt, DOUBTED, DOUBTED, DOUBTED)
    await svc.edit_draft(rt, LEADER, cards[0].code, now=NOW, answered=("lead",))  # type: ignore[arg-type]
    await svc.confirm_draft(rt, LEADER, cards[0].code, now=NOW)  # type: ignore[arg-type]
    await svc.discard_draft(rt, LEADER, cards[1].code, now=NOW)  # type: ignore[arg-type]
    kept = await _keep(rt)
    assert [c.code for c, _ in kept.answered] == [cards[2].code] and kept.left == []


async def test_a_unit_focal_point_may_not_keep_the_units_and_nothing_changes(rt: MemoryRuntime) -> None:
    cards = await _pasted(rt, DOUBTED, VAGUE)
    with pytest.raises(DomainError) as refused:
        await _keep(rt, FOCAL)
    assert refused.value.key.startswith("auth.")
    assert [_questions(rt, c.code) for c in cards] == [DOUBTED, VAGUE]
