"""A pasted notice's drafts on the web's drafts list (web/batches.py): shown together under one header, with the
chat's two batch presses as forms — «Giữ đơn vị như đã đọc (N nháp)» answers the doubted-unit questions of the
batch, «Giao tất cả (N)» assigns the drafts with no open question — each a CSRF-checked POST, redirected back to
the list with what it did. Zalo sends its officials here for this, having no buttons. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx

from bot.domain.lifecycle import State
from bot.services import directives as svc
from tests.conftest import NOW
from tests.integration.web_client import WebClient, page_text

CHAT, MESSAGE = 1002, 77  # the leader's private chat with the bot, and the pasted message's id there
DOUBTED, VAGUE, DATE = ("lead:Sở Y tế",), ("vague_unit:các địa phương",), ("past_date:trước ngày 01/01/2026",)
DAY = date(2026, 12, 31)
KEEP, ASSIGN = "Giữ đơn vị như đã đọc (2 nháp)", "✅ Giao tất cả (4)"
FORM = re.compile(r'<form method="post" action="(/lists/drafts/batch/\w+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


async def _paste(rt, people, *questions: tuple[str, ...]) -> list[str]:  # noqa: ANN001
    """A notice pasted in the chat and read as one draft per entry (each its draft's questions), as the chat
    keeps it: the drafts with the message they were read from."""
    specs = [svc.NewDirective(f"Nhiệm vụ {n}: rà soát hồ sơ dự án", ["SXD"], deadline=DAY, questions=asked)
             for n, asked in enumerate(questions, 1)]
    cards = await svc.create_directives(rt, people.leader, specs, now=NOW, as_draft=True, origin=(CHAT, MESSAGE))
    return [card.code for card in cards]


async def _typed(rt, people) -> str:  # noqa: ANN001
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Sở Tài chính bố trí kinh phí", ["STC"], deadline=DAY)], now=NOW, as_draft=True)
    return card.code


async def _state(rt, code: str) -> tuple[State, tuple[str, ...], int]:  # noqa: ANN001
    async with rt.uow(read_only=True) as uow:
        d = await uow.directives.get(code)
        return d.state, d.questions, d.version


def _forms(html: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """The page's batch forms by action: where each posts and its hidden fields (the versions a list)."""
    found = {}
    for action, body in FORM.findall(html):
        fields: dict[str, Any] = {}
        for name, value in HIDDEN.findall(body):
            if name == "v":
                fields.setdefault("v", []).append(value)
            else:
                fields[name] = value
        found[action.rsplit("/", 1)[1]] = (action, fields)
    return found


async def _press(web: WebClient, action: str, html: str | None = None) -> httpx.Response:
    """Submit a batch form as the page (drawn now, or `html` drawn before) shows it."""
    html = html if html is not None else (await web.get("/lists/drafts")).text
    path, fields = _forms(html)[action]
    return await web.post(path, {k: v for k, v in fields.items() if k != "csrf"}, csrf=fields["csrf"])


async def _notice(web: WebClient, answer: httpx.Response) -> str:
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith("/lists/drafts?")
    return page_text((await web.get(location)).text)


async def test_a_pasted_notice_is_one_group_with_both_presses_and_a_typed_draft_stays_apart(rt, people):
    codes = await _paste(rt, people, DOUBTED, VAGUE, DATE, ())
    typed = await _typed(rt, people)
    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        html = (await web.get("/lists/drafts")).text
        [group] = re.findall(r'<tbody class="batch"[^>]*>(.*?)</tbody>', html, re.S)
        assert re.findall(r'<tr data-code="([^"]+)"', group) == codes, "the message's drafts, by their place"
        assert "4 bản nháp đọc từ một tin nhắn dán lúc 20/11/2026 09:00" in page_text(group)
        assert KEEP in page_text(group) and ASSIGN in page_text(group)
        assert f'data-code="{typed}"' in html and f'data-code="{typed}"' not in group
        _, keep = _forms(html)["keep"]
        assert (keep["chat"], keep["message"]) == (str(CHAT), str(MESSAGE))
        assert sorted(keep["v"]) == ["0:1", "1:1"], "only the doubted drafts, at their versions"
    finally:
        await web.close()


async def test_keep_answers_only_the_unit_questions_and_assign_all_only_what_is_ready(rt, people):
    codes = await _paste(rt, people, DOUBTED, VAGUE, DOUBTED + DATE, ())
    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        kept = await _notice(web, await _press(web, "keep"))
        assert "Đã giữ đơn vị như đã đọc cho 3 bản nháp: Nháp 1, Nháp 2, Nháp 3" in kept
        assert "2 bản đã sẵn sàng" in kept and "1 bản còn câu hỏi khác" in kept and "Nháp 3." in kept
        assert [(await _state(rt, c))[1] for c in codes] == [(), (), DATE, ()], "the date question stays open"
        html = (await web.get("/lists/drafts")).text
        assert "keep" not in _forms(html) and ASSIGN in page_text(html), "nothing left to keep; assign-all stays"

        said = await _notice(web, await _press(web, "assign", html))
        assert re.search(r"Đã giao 3 nhiệm vụ: CD-2026-\d+, CD-2026-\d+, CD-2026-\d+\.", said)
        assert "Còn 1 bản nháp chưa giao" in said and "Nháp 3" in said
        assert (await _state(rt, codes[2]))[0] == State.DRAFT
        async with rt.uow(read_only=True) as uow:
            assert [p for p, _ in await uow.origins.of_message(CHAT, MESSAGE)] == [0, 1, 2, 3]
            assigned = [code for _, code in await uow.origins.of_message(CHAT, MESSAGE)]
        assert all(code.startswith("CD-") for i, code in enumerate(assigned) if i != 2)
        html = (await web.get("/lists/drafts")).text
        assert 'class="batch"' not in html and f'data-code="{codes[2]}"' in html, "the one left is listed alone"
    finally:
        await web.close()


async def test_a_second_press_changes_nothing_and_says_so(rt, people):
    codes = await _paste(rt, people, DOUBTED, VAGUE, DATE)
    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        html = (await web.get("/lists/drafts")).text  # the page as drawn: both forms, pressed twice each
        await _notice(web, await _press(web, "keep", html))
        before = [await _state(rt, c) for c in codes]
        again = await _notice(web, await _press(web, "keep", html))
        assert "Không còn bản nháp nào cần giữ đơn vị" in again
        await _notice(web, await _press(web, "assign", html))
        after_first = [await _state(rt, c) for c in codes[2:]]
        again = await _notice(web, await _press(web, "assign", html))
        assert "Không có bản nháp nào của tin nhắn này được giao thêm" in again
        assert "Còn 1 bản nháp chưa giao" in again and "Nháp 3" in again
        assert [await _state(rt, c) for c in codes[2:]] == after_first == before[2:]
    finally:
        await web.close()


async def test_who_may_not_assign_is_refused_and_nothing_changes(rt, people):
    codes = await _paste(rt, people, DOUBTED, VAGUE, ())
    leader = WebClient(rt)
    try:
        await leader.sign_in(people.leader)
        html = (await leader.get("/lists/drafts")).text
    finally:
        await leader.close()
    before = [await _state(rt, c) for c in codes]
    for person in (people.sxd, people.viewer):
        web = WebClient(rt)
        try:
            await web.sign_in(person)
            token = await web.csrf()
            for action in ("keep", "assign"):
                path, fields = _forms(html)[action]
                refused = await web.post(path, {k: v for k, v in fields.items() if k != "csrf"}, csrf=token)
                assert refused.status_code == 403, refused.text
                assert "Bạn không có quyền thực hiện thao tác này" in page_text(refused.text)
        finally:
            await web.close()
    assert [await _state(rt, c) for c in codes] == before


async def test_a_press_without_the_session_token_is_refused(rt, people):
    codes = await _paste(rt, people, DOUBTED, VAGUE)
    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        _, fields = _forms((await web.get("/lists/drafts")).text)["keep"]
        forged = await web.post("/lists/drafts/batch/keep", {k: v for k, v in fields.items() if k != "csrf"},
                                csrf="0" * 64)
        assert forged.status_code == 403
        assert [(await _state(rt, c))[1] for c in codes] == [DOUBTED, VAGUE]
    finally:
        await web.close()


async def test_a_draft_changed_since_the_page_was_drawn_is_left_whole_and_named(rt, people):
    codes = await _paste(rt, people, DOUBTED, DOUBTED, VAGUE)
    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        html = (await web.get("/lists/drafts")).text
        await svc.edit_draft(rt, people.leader, codes[1], now=NOW, content="Nhiệm vụ 2: rà soát lại toàn bộ hồ sơ")
        said = await _notice(web, await _press(web, "keep", html))
        assert "Đã giữ đơn vị như đã đọc cho 2 bản nháp: Nháp 1, Nháp 3" in said
        assert "1 bản đã thay đổi sau khi trang được mở nên chưa giữ đơn vị" in said and "Nháp 2" in said
        assert [(await _state(rt, c))[1] for c in codes] == [(), DOUBTED, ()], "the changed draft keeps its question"
    finally:
        await web.close()


async def test_a_notice_longer_than_a_page_is_grouped_on_each_page_and_the_presses_cover_it_all(rt, people):
    codes = await _paste(rt, people, *[DOUBTED] * 7)
    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        first = (await web.get("/lists/drafts")).text
        second = (await web.get("/lists/drafts?page=2")).text
        shown = [re.findall(r'<tr data-code="([^"]+)"', page) for page in (first, second)]
        assert shown == [codes[2:], codes[:2]], "newest first across pages, by place within the page's group"
        assert "2 bản ở trang khác" in page_text(first) and "5 bản ở trang khác" in page_text(second)
        assert "Giữ đơn vị như đã đọc (7 nháp)" in page_text(second) and "Giao tất cả (7)" in page_text(second)
        answer = await _press(web, "keep", second)
        assert answer.headers["location"].startswith("/lists/drafts?page=2&")
        said = await _notice(web, answer)
        assert "Đã giữ đơn vị như đã đọc cho 7 bản nháp" in said
    finally:
        await web.close()


async def test_the_groups_cost_the_same_statements_however_many_batches_a_page_holds(rt, people):
    """The page's origins in one statement, their drafts in one more (each read by its key): never one a batch."""
    from tests.integration.test_statement_counts import _statements, counting

    async def drawn(web: WebClient) -> int:
        with counting(rt) as seen:
            html = (await web.get("/lists/drafts")).text
        return len(_statements(seen)), html.count('<tbody class="batch"')

    web = WebClient(rt)
    try:
        await web.sign_in(people.leader)
        await _paste(rt, people, DOUBTED, ())
        one, groups = await drawn(web)
        assert groups == 1
        for message in (78, 79):
            specs = [svc.NewDirective(f"Việc {n} của tin {message}", ["STC"], deadline=DAY) for n in (1, 2)]
            await svc.create_directives(rt, people.leader, specs, now=NOW, as_draft=True, origin=(CHAT, message))
        three, groups = await drawn(web)
        assert groups == 3 and three == one, (one, three)
    finally:
        await web.close()
