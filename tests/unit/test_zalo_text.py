"""Zalo's plain text: HTML made plain, messages cut at 2,000 characters between lines and never inside a
word, the numbered replies line, a notice rendered with its replies, and how typed replies are read."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bot.domain.lifecycle import State, Status, StatusView
from bot.outbox import Delivery
from bot.services import replies
from bot.services.views import Actor, Card, ExtensionView, UnitPart
from zalo.bot import _CODE, _CODE_NUMBER, _NUMBER, _START, _TOKEN, chat_key, incoming
from zalo.sender import render
from zalo.text import MAX_CHARS, plain, replies_line, split


def test_plain_drops_tags_and_decodes_entities() -> None:
    assert plain("<b>CD-2026-0001</b> · Sở A &amp; B &lt;3 <code>x</code>") == "CD-2026-0001 · Sở A & B <3 x"


def test_a_short_text_is_one_message_and_nothing_is_empty() -> None:
    assert split("Xin chào") == ["Xin chào"]
    assert split("") == [] and split("\n\n") == []


@pytest.mark.parametrize("seed", range(20))
def test_long_texts_are_cut_between_lines_and_at_spaces_and_lose_nothing(seed: int) -> None:
    rng = random.Random(seed)
    words = ["việc", "hạn", "Sở Xây dựng", "báo", "cáo", "CD-2026-0012", "x" * rng.randint(1, 60)]
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 400))) for _ in range(rng.randint(1, 40))]
    text = "\n".join(lines)
    parts = split(text)
    assert all(0 < len(p) <= MAX_CHARS for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())  # whole, in order
    assert not any(p.startswith(" ") or p.endswith(" ") for p in parts)  # cut at a space, which is dropped
    source = set(text.split())
    assert all(w in source for p in parts for w in p.split())  # never inside a word


def test_a_line_is_kept_whole_when_it_fits_in_the_next_message() -> None:
    first, second = "a " * 900, "b" * 1500
    parts = split(first.strip() + "\n" + second)
    assert parts == [first.strip(), second]


def test_a_word_longer_than_a_message_is_cut_as_a_last_resort() -> None:
    parts = split("u" * 4500)
    assert [len(p) for p in parts] == [2000, 2000, 500]


def test_the_replies_line_numbers_from_one() -> None:
    line = replies_line(["ack", "prog", "ext", "done"], "vi")
    assert line == "Trả lời: 1 – Đã nhận · 2 – Báo cáo tiến độ · 3 – Xin gia hạn · 4 – Hoàn thành"
    assert replies_line(["exta", "extr"], "vi", "CD-2026-0012") == \
        "Trả lời «CD-2026-0012 số»: 1 – Đồng ý · 2 – Từ chối"
    assert replies_line(["conf", "back"], "en") == "Reply: 1 – Confirm · 2 – Send back"


def _card(state: State = State.ASSIGNED, acknowledged: bool = False, pending: bool = False,
          reported: bool = False) -> Card:
    extension = ExtensionView(1, "SXD", "Sở Xây dựng", date(2026, 12, 4), date(2026, 12, 30), "vật tư", "pending") \
        if pending else None
    return Card(id=1, code="CD-2026-0012", content="Rà soát", state=state,
                status=StatusView(Status.ON_TIME), deadline=date(2026, 12, 4), original_deadline=None,
                recurrence=None, source_number=None, source_date=None, leader_name=None,
                parts=(UnitPart("SXD", "Sở Xây dựng", "lead", acknowledged, reported, None, None),), version=1,
                pending_extension=extension)


FOCAL = Actor(3, None, "Đầu mối", "focal", "SXD", "Sở Xây dựng", "vi")
LEADER = Actor(2, 1002, "Phó Chủ tịch", "leader", None, None, "vi")
ADMIN = Actor(1, 1001, "Văn phòng", "admin", "VP", "Văn phòng", "vi")


def test_the_replies_offered_follow_the_rule_for_the_reader() -> None:
    assert replies.options(_card(), FOCAL) == ["ack", "prog", "ext", "done"]
    assert replies.options(_card(acknowledged=True), FOCAL) == ["prog", "ext", "done"]
    assert replies.options(_card(acknowledged=True, pending=True), LEADER)[-2:] == ["exta", "extr"]
    assert replies.options(_card(state=State.AWAITING, reported=True), ADMIN)[:2] == ["conf", "back"]
    other = Actor(4, None, "Đầu mối khác", "focal", "STC", "Sở Tài chính", "vi")
    assert replies.options(_card(), other) == []


def _notice(number: int, code: str, kind: str = "notify") -> Delivery:
    return Delivery(number, 7, kind, {"text": "notify.assigned", "code": code, "params": {
        "code": code, "content": "Rà soát <dự án> & báo cáo", "deadline": "2026-12-04",
        "role": {"key": "unit_role.lead"}}}, 0)


def test_a_notice_ends_with_its_replies_and_is_the_one_a_bare_number_answers() -> None:
    messages, last = render([_notice(1, "CD-2026-0012")], "vi", {1: ["ack", "prog"]})
    assert len(messages) == 1
    assert "Rà soát <dự án> & báo cáo" in messages[0]  # plain: no HTML escapes shown
    assert messages[0].endswith("Trả lời: 1 – Đã nhận · 2 – Báo cáo tiến độ")
    assert last == ("CD-2026-0012", ["ack", "prog"])


def test_in_a_batch_earlier_notices_name_their_directive_and_the_last_one_is_answered_by_number() -> None:
    items = [_notice(1, "CD-2026-0012"), _notice(2, "CD-2026-0013")]
    [message], last = render(items, "vi", {1: ["ack"], 2: ["ack", "done"]})
    assert "Trả lời «CD-2026-0012 số»: 1 – Đã nhận" in message
    assert message.endswith("Trả lời: 1 – Đã nhận · 2 – Hoàn thành")
    assert last == ("CD-2026-0013", ["ack", "done"])


def test_a_notice_without_replies_offers_nothing() -> None:
    messages, last = render([_notice(1, "CD-2026-0012")], "vi", {})
    assert "Trả lời" not in messages[0] and last is None


@pytest.mark.parametrize(("text", "number"), [("1", "1"), ("2.", "2"), ("12)", "12")])
def test_a_bare_number_is_a_reply(text: str, number: str) -> None:
    found = _NUMBER.match(text)
    assert found and found.group(1) == number


@pytest.mark.parametrize("text", ["123", "1 2", "một", "1a", ""])
def test_other_text_is_not_a_bare_number(text: str) -> None:
    assert _NUMBER.match(text) is None


@pytest.mark.parametrize("text", ["CD-2026-0012 2", "cd-2026-0012 2", "CD-2026-0012: 2", "CD-2026-0012 – 2"])
def test_a_code_and_a_number_name_a_directive_and_a_reply(text: str) -> None:
    found = _CODE_NUMBER.match(text)
    assert found and found.group(1).upper() == "CD-2026-0012" and found.group(2) == "2"


def test_a_code_alone_or_after_xem_shows_the_card() -> None:
    assert _CODE.match("CD-2026-0012") and _CODE.match("/xem cd-2026-0012")
    assert _CODE.match("CD-2026-0012 2") is None


def test_an_invite_code_is_read_from_start_or_alone() -> None:
    assert _START.match("/start abcDEF_123-xyz456789").group(1) == "abcDEF_123-xyz456789"
    assert _START.match("/start").group(1) is None
    assert _TOKEN.match("abcDEF_123-xyz456789") and not _TOKEN.match("xin chào")


def test_an_update_is_read_as_the_reference_describes_it() -> None:
    update = {"message": {"chat": {"id": "u1", "chat_type": "PRIVATE"}, "text": "1", "message_id": "m",
                          "date": 1, "from": {"id": "u1", "first_name": "Lan"}}}
    assert incoming(update).chat_id == "u1" and incoming(update).text == "1"
    assert incoming({"message": {"chat": {"id": "g", "chat_type": "GROUP"}, "text": "1"}}) is None
    assert incoming({"message": {"chat": {"id": "u1"}, "sticker": "x"}}).text is None
    assert incoming({"event_name": "x"}) is None and incoming([]) is None  # type: ignore[arg-type]


def test_a_zalo_chat_key_never_meets_a_telegram_chat_id() -> None:
    assert chat_key(1) < -(10**14) and chat_key(1) != chat_key(2)


def test_a_limiter_with_a_margin_books_the_rate_that_much_slower() -> None:
    from bot.ratelimit import SendLimiter

    limiter = SendLimiter(10, private_per_second=1000, margin=0.03)
    moments = [limiter.reserve(n, 0.0) for n in range(11)]
    assert moments[10] == pytest.approx(1.03)  # ten gaps of 0.103 s: 97 % of the rate, not 90 %
    assert SendLimiter(10, private_per_second=1000).reserve(1, 0.0) == 0.0


def test_a_digest_goes_as_plain_text_of_its_own_with_no_replies() -> None:
    digest = Delivery(5, 7, "digest", {"text": "weekly", "lines": [
        ["digest.weekly_title", {"as_of": "2026-11-23"}],
        ["digest.weekly_rate", {"rate": 0.5, "previous": None}],
        ["digest.unit_line", {"unit": "Sở A & B", "overdue": 3}]], "buttons": []}, 0)
    messages, last = render([_notice(1, "CD-2026-0012"), digest], "vi", {1: ["ack"]})
    assert len(messages) == 2 and last == ("CD-2026-0012", ["ack"])
    assert "23/11/2026" in messages[1] and "Sở A & B" in messages[1] and "50" in messages[1]
    assert "<" not in messages[1] and "Trả lời" not in messages[1]
