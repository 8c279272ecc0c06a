"""The access matrix of the chat holds through the web: every role × every action on a directive, pressed in
the chat and submitted on the web, changes the directive in exactly the same cases; the forms a card shows
are the chat's buttons. And one reading rule for both: a focal point opens the card, history and files only
of directives their unit takes part in; counts and statistics stay open to everyone registered."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from bot.domain.policy import allowed
from bot.services import access, queries
from bot.services import directives as svc
from bot.services.replies import moves_for
from storage.models import Directive, Event
from tests.conftest import NOW
from tests.integration.web_client import WebClient, page_text
from web.pages import ACTIONS as WEB_ACTIONS

SPEC = dict(content="Rà soát các dự án chậm tiến độ", lead=["SXD"], support=["STC"], deadline=date(2026, 12, 15))
ROLES = {"admin": 1001, "leader": 1002, "sxd": 2001, "stc": 2002, "syt": 2003, "viewer": 3001}
READ_REFUSED = "chỉ mở được thẻ, lịch sử và tệp của nhiệm vụ mà đơn vị mình chủ trì hoặc phối hợp"

# action: (the state it is tried in, what the web form sends, what the chat asks to be typed after the press)
ACTIONS = {
    "ack": ("assigned", {}, []),
    "prog": ("assigned", {"text": "Đã rà soát 12/20 dự án"}, ["Đã rà soát 12/20 dự án"]),
    "done": ("assigned", {"text": "Đã hoàn thành"}, ["Đã hoàn thành"]),
    "ext": ("assigned", {"date": "2027-01-20", "text": "Chờ số liệu"}, ["20/01/2027", "Chờ số liệu"]),
    "canc": ("assigned", {"text": "Không còn phù hợp"}, ["Không còn phù hợp"]),
    "conf": ("awaiting", {}, []),
    "back": ("awaiting", {"text": "Chưa đủ hồ sơ"}, ["Chưa đủ hồ sơ"]),
    "exta": ("extension", {}, []),
    "extr": ("extension", {"text": "Không thể lùi thêm"}, ["Không thể lùi thêm"]),
    "reop": ("done", {"text": "Phát sinh vướng mắc"}, ["Phát sinh vướng mắc"]),
    "dok": ("draft", {}, []),
    "ddel": ("draft", {}, []),
}
# Who may make each move (the chat's tests say the same): the office may act for the lead unit it names.
MAY = {
    "ack": {"admin", "sxd", "stc"}, "prog": {"admin", "sxd", "stc"}, "done": {"admin", "sxd"},
    "ext": {"admin", "sxd"}, "canc": {"admin", "leader"}, "conf": {"admin", "leader"}, "back": {"admin", "leader"},
    "exta": {"admin", "leader"}, "extr": {"admin", "leader"}, "reop": {"admin", "leader"},
    "dok": {"admin", "leader"}, "ddel": {"admin", "leader"},
}


async def directive_in(rt, people, state: str) -> str:
    draft = state == "draft"
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(**SPEC)], now=NOW, as_draft=draft)
    if state in ("awaiting", "done"):
        await svc.report_done(rt, people.sxd, card.code, "Xong", now=NOW)
    if state == "done":
        await svc.confirm_done(rt, people.admin, card.code, now=NOW)
    if state == "extension":
        await svc.request_extension(rt, people.sxd, card.code, date(2027, 1, 15), "Chờ số liệu", now=NOW)
    return card.code


_IDS: dict[str, int] = {}  # a draft's number -> its directive's id (assigned, it takes a CD code)


async def events_of(rt, code: str) -> int:
    async with rt.sessions() as s:
        found = await s.scalar(select(Directive.id).where(Directive.code == code))
        if found is not None:
            _IDS[code] = found
        directive_id = found if found is not None else _IDS.get(code)
        return await s.scalar(select(func.count()).select_from(Event).where(Event.directive_id == directive_id)) or 0


async def by_chat(chat, rt, telegram_id: int, action: str, code: str) -> bool:
    version = (await queries.card(rt, None, code, now=NOW)).version if action not in ("dok", "ddel") else None
    if version is None:
        async with rt.sessions() as s:
            version = await s.scalar(select(Directive.version).where(Directive.code == code))
    before = await events_of(rt, code)
    await chat.press(telegram_id, f"{action}|{code}|{version}|")
    for typed in ACTIONS[action][2]:
        await chat.say(telegram_id, typed)
    await chat.say(telegram_id, "/huy")
    return await events_of(rt, code) > before


async def by_web(web: WebClient, rt, action: str, code: str) -> tuple[bool, int]:
    before = await events_of(rt, code)
    answer = await web.act(code, action, **ACTIONS[action][1])
    return await events_of(rt, code) > before, answer.status_code


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_action_changes_a_directive_on_the_web_exactly_when_it_does_in_the_chat(chat, rt, people, role):
    web = WebClient(rt)
    try:
        await web.sign_in(getattr(people, role))
        for action, (state, _, _) in ACTIONS.items():
            in_chat = await by_chat(chat, rt, ROLES[role], action, await directive_in(rt, people, state))
            on_web, status = await by_web(web, rt, action, await directive_in(rt, people, state))
            assert on_web == in_chat == (role in MAY[action]), (role, action, in_chat, on_web)
            assert status == (303 if on_web else status) and (on_web or status in (400, 403, 404, 409)), (role, action)
    finally:
        await web.close()


@pytest.mark.parametrize("role", list(ROLES))
async def test_a_card_shows_the_forms_of_exactly_the_buttons_the_chat_shows(rt, people, role):
    web = WebClient(rt)
    try:
        await web.sign_in(getattr(people, role))
        actor = next(p for p in await access.list_users(rt) if p.id == getattr(people, role))
        for state in ("assigned", "awaiting", "extension", "done"):
            code = await directive_in(rt, people, state)
            page = await web.get(f"/d/{code}")
            if role == "syt":
                assert page.status_code == 403
                continue
            card = await queries.card(rt, actor.id, code, now=NOW)
            shown = {a for a in ACTIONS if f'id="form-{a}"' in page.text}
            chat_moves = moves_for(card, actor)
            expected = {a for a, (move, _, _) in WEB_ACTIONS.items() if move in chat_moves}
            assert shown == expected, (role, state)
            assert chat_moves == allowed(actor.role, card.standing, actor.unit_code if role in ("sxd", "stc") else None)
    finally:
        await web.close()


async def test_a_focal_point_opens_only_the_cards_of_their_units_work_in_the_chat(chat, rt, people):
    code = await directive_in(rt, people, "assigned")
    for who in (1001, 1002, 2001, 2002, 3001):
        assert code in await chat.say(who, f"/xem {code}"), who
    refused = await chat.say(2003, f"/xem {code}")
    assert READ_REFUSED in refused and "Rà soát" not in refused
    await chat.press(2003, f"hist|{code}||")
    assert READ_REFUSED in chat.alert()
    await chat.press(2003, f"files|{code}||")
    assert READ_REFUSED in chat.alert()
    assert "quá hạn" in (await chat.say(2003, "/thongke")).lower() or "Thống kê" in await chat.say(2003, "/thongke")


async def test_a_focal_point_opens_only_the_cards_of_their_units_work_on_the_web(rt, people):
    code = await directive_in(rt, people, "assigned")
    await svc.report_progress(rt, people.sxd, code, "Đã gửi phụ lục", now=NOW,
                              files=[svc.FileRef("document", "tg-file-1", "u1", "phu-luc.pdf", "application/pdf", 10)])
    web = WebClient(rt)
    try:
        await web.sign_in(people.syt)
        card = await web.get(f"/d/{code}")
        assert card.status_code == 403 and READ_REFUSED in page_text(card.text)
        assert "Rà soát" not in page_text(card.text)
        async with rt.sessions() as s:
            from storage.models import Attachment

            file_id = await s.scalar(select(Attachment.id))
        download = await web.get(f"/d/{code}/files/{file_id}")
        assert download.status_code == 403
        refused = await web.act(code, "ack")
        assert refused.status_code == 403 and await events_of(rt, code) == 2
        # The statistics and lists stay open (they are published).
        assert (await web.get("/")).status_code == 200
        assert (await web.get("/lists/overdue")).status_code == 200
        assert (await web.get("/?unit=SXD&class=open_on_time")).status_code == 200
    finally:
        await web.close()


async def test_a_draft_is_opened_only_by_leaders_and_the_office(rt, people):
    code = await directive_in(rt, people, "draft")
    for person, status in ((people.leader, 200), (people.admin, 200), (people.viewer, 404), (people.sxd, 404)):
        web = WebClient(rt)
        try:
            await web.sign_in(person)
            assert (await web.get(f"/d/{code}")).status_code == status
        finally:
            await web.close()


async def test_a_refused_action_says_why_and_keeps_what_was_typed(rt, people):
    code = await directive_in(rt, people, "assigned")
    web = WebClient(rt)
    try:
        await web.sign_in(people.sxd)
        answer = await web.act(code, "ext", date="2026-12-10", text="Lý do <b>dài</b>")
        assert answer.status_code == 400
        text = page_text(answer.text)
        assert "Hạn mới phải sau hạn hiện tại (15/12/2026)" in text
        assert "Lý do &lt;b&gt;dài&lt;/b&gt;" in answer.text, "the reason comes back, escaped"
        assert await events_of(rt, code) == 1
    finally:
        await web.close()
