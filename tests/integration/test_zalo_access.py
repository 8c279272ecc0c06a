"""The access matrix on Zalo: every role × every reply on a directive, typed through the Zalo channel (over real
HTTP against the Zalo emulator), changes the directive exactly when the chat and the web do
(tests/integration/test_web_access.py's table), and every refusal is a clear Vietnamese answer that changes
nothing.

Three ways in: «CODE N» reaches exactly the replies the role may make (one beyond is refused); a bare «N»
against an offer listing every reply (a draft's: «Giao việc», «Huỷ nháp») (as if it had been offered before the directive or the person changed, or
the row were forged) reaches each reply, and the services refuse those the role may not make; and the writes
a text can ask for outside replies (a directive typed by someone who may not assign, a card outside one's
units, the office's desk moves) are refused too."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from bot.errors import DomainError
from bot.services import access, queries, replies
from bot.services.replies import moves_for
from bot.texts import CATALOGUES, error_html, t
from storage.models import Address, Directive
from tests.conftest import NOW
from tests.integration import test_zalo
from tests.integration.conftest import People
from tests.integration.test_web_access import ACTIONS, MAY, READ_REFUSED, directive_in, events_of
from tests.integration.test_zalo import Zalo, join
from zalo.text import plain

zalo = test_zalo.zalo  # the Zalo channel fixture
ROLES = ("admin", "leader", "sxd", "stc", "syt", "viewer")
REPLY_ACTIONS = [action for action, _ in replies.REPLIES]  # what a number can name on a directive
DRAFT_ACTIONS = [action for action, _ in replies.DRAFT_REPLIES]  # ... and on a typed directive's draft
STATES = ("assigned", "awaiting", "extension", "done")
FORBIDDEN = plain(error_html(DomainError("auth.forbidden"), "vi"))  # «Bạn không có quyền …»
NOT_YOUR_UNIT = plain(error_html(DomainError("auth.not_your_unit"), "vi"))
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)


def zalo_id(role: str) -> str:
    return f"zalo-{role}"


async def on_zalo(zalo: Zalo, rt, people: People, role: str) -> None:
    """The person of `role` (registered on Telegram) adds Zalo with an invite made for them."""
    person = next(p for p in await access.list_users(rt) if p.id == getattr(people, role))
    await join(zalo, rt, zalo_id(role), role=person.role, unit=None, person_id=person.id)


async def address_of(rt, role: str) -> int:
    async with rt.sessions() as s:
        found = await s.scalar(select(Address.id).where(Address.channel == "zalo",
                                                        Address.external_id == zalo_id(role)))
    assert found is not None
    return found


async def state_of(rt, code: str) -> tuple[str, int]:
    async with rt.sessions() as s:
        row = (await s.execute(select(Directive.state, Directive.version).where(Directive.code == code))).one()
    return row.state, row.version


def refusal(answer: str) -> None:
    """A refusal: Vietnamese, no success line, no internal error."""
    assert VIETNAMESE.search(answer), answer
    assert not any(answer.startswith(done.split("{")[0]) for key, done in CATALOGUES["vi"].items()
                   if key.startswith("done.") and key != "done.already_reported"), answer
    assert t("error.generic", "vi") not in answer, answer


async def by_number(zalo: Zalo, rt, role: str, action: str, code: str) -> tuple[bool, list[str]]:
    """`N` against an offer of every reply, then what the reply asks to be typed, then /huy: did the directive
    change, and what the bot answered."""
    listed = DRAFT_ACTIONS if action in DRAFT_ACTIONS else REPLY_ACTIONS
    await replies.remember(rt, await address_of(rt, role), code, listed, now=NOW)
    before = await events_of(rt, code)
    answers = [await zalo.say(zalo_id(role), str(listed.index(action) + 1))]
    for typed in ACTIONS[action][2]:  # typed even after a refusal: then it is plain text, and writes nothing
        answers.append(await zalo.say(zalo_id(role), typed))
    await zalo.say(zalo_id(role), "/huy")
    return await events_of(rt, code) > before, answers


@pytest.mark.parametrize("role", ROLES)
async def test_every_reply_changes_a_directive_on_zalo_exactly_when_the_role_may_make_it(
        rt, people: People, zalo: Zalo, role: str) -> None:
    await on_zalo(zalo, rt, people, role)
    for action in REPLY_ACTIONS + DRAFT_ACTIONS:
        code = await directive_in(rt, people, ACTIONS[action][0])
        before = await state_of(rt, code)
        wrote, answers = await by_number(zalo, rt, role, action, code)
        assert wrote == (role in MAY[action]), (role, action, answers)
        if not wrote:
            assert await state_of(rt, code) == before, (role, action)
            refusal(answers[0])
            assert answers[0] in (FORBIDDEN, NOT_YOUR_UNIT) or READ_REFUSED in answers[0], (role, action, answers)


@pytest.mark.parametrize("role", ROLES)
async def test_code_and_number_reach_exactly_the_replies_the_role_may_make(rt, people: People, zalo: Zalo,
                                                                          role: str) -> None:
    await on_zalo(zalo, rt, people, role)
    for state in STATES:
        code = await directive_in(rt, people, state)
        card_answer = await zalo.say(zalo_id(role), code)
        if role == "syt":  # not its unit's work: neither the card nor a reply
            assert READ_REFUSED in card_answer and "Rà soát" not in card_answer
            events = await events_of(rt, code)
            answer = await zalo.say(zalo_id(role), f"{code} 1")
            assert READ_REFUSED in answer and await events_of(rt, code) == events
            continue
        actor = next(p for p in await access.list_users(rt) if p.id == getattr(people, role))
        card = await queries.card(rt, actor.id, code, now=NOW)
        # The Telegram card's buttons, as numbered replies ...
        buttons = moves_for(card, actor)
        may = [a for a, move in replies.REPLIES if move in buttons
               and (card.standing.extension_pending or a not in ("exta", "extr"))]
        assert replies.options(card, actor) == may, (role, state)
        # ... and in the state the matrix tries each reply in, exactly those it allows.
        assert {a for a in may if ACTIONS[a][0] == state} <= {a for a in REPLY_ACTIONS if role in MAY[a]}, may
        shown = [line for line in card_answer.splitlines() if line.startswith("Trả lời")]
        assert shown == ([f"Trả lời: {' · '.join(f'{n} – {label}' for n, label in enumerate(labels(may), 1))}"]
                         if may else []), (role, state, card_answer[-200:])
        before = await state_of(rt, code)
        events = await events_of(rt, code)
        answer = await zalo.say(zalo_id(role), f"{code} {len(may) + 1}")
        refusal(answer)
        assert (f"chỉ có {len(may)} lựa chọn" in answer) if may else ("không có thao tác nào" in answer), answer
        assert await state_of(rt, code) == before and await events_of(rt, code) == events


def labels(actions: list[str]) -> list[str]:
    return [t(f"reply.{a}", "vi") for a in actions]


async def test_what_a_text_asks_outside_the_replies_is_refused_to_who_may_not(rt, people: People,
                                                                             zalo: Zalo) -> None:
    for role in ROLES:
        await on_zalo(zalo, rt, people, role)
    async with rt.sessions() as s:
        directives = await s.scalar(select(func.count()).select_from(Directive))
    for role in ("sxd", "stc", "syt", "viewer"):  # typing a directive: only leaders and the office assign
        answer = await zalo.say(zalo_id(role), "Giao Sở Xây dựng rà soát các dự án chậm tiến độ, hạn 15/12/2026")
        refusal(answer)
        assert "Chỉ lãnh đạo và Văn phòng được giao việc" in answer, (role, answer)
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Directive)) == directives

    # The office's desk moves (cancel, reopen) are not replies: even a forged offer naming them does nothing.
    for role in ROLES:
        for action in ("canc", "reop"):
            code = await directive_in(rt, people, ACTIONS[action][0])
            before, events = await state_of(rt, code), await events_of(rt, code)
            await replies.remember(rt, await address_of(rt, role), code, [action], now=NOW)
            answer = await zalo.say(zalo_id(role), "1")
            refusal(answer)
            assert await state_of(rt, code) == before and await events_of(rt, code) == events, (role, action)

    # A person deactivated on Telegram's side is a stranger on Zalo: nothing they type writes.
    code = await directive_in(rt, people, "assigned")
    await replies.remember(rt, await address_of(rt, "sxd"), code, REPLY_ACTIONS, now=NOW)
    await access.deactivate(rt, now=NOW, person_id=people.sxd)
    events = await events_of(rt, code)
    for typed in ("1", f"{code} 1", "/viec"):
        refusal(await zalo.say(zalo_id("sxd"), typed))
    assert await events_of(rt, code) == events
