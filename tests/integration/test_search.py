"""Word search, index-served on each database (FTS5 on SQLite, GIN on PostgreSQL)."""

from __future__ import annotations

from datetime import date

from bot.services import directives as svc
from bot.services import queries
from tests.conftest import NOW


async def _assign(rt, people, content: str, **extra):  # noqa: ANN001, ANN202
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(content, ["SXD"], [],
                                                                              date(2026, 12, 15))], now=NOW, **extra)
    return card


async def _found(rt, people, text: str) -> list[str]:  # noqa: ANN001
    return [c.code for c in (await queries.search(rt, people.viewer, text, now=NOW)).items]


async def test_every_word_must_begin_a_word_accents_optional_newest_first(rt, people):
    first = await _assign(rt, people, "Rà soát các dự án chậm tiến độ")
    second = await _assign(rt, people, "Rà soát hồ sơ thủ tục hành chính")
    await _assign(rt, people, "Kiểm tra an toàn thực phẩm")
    assert await _found(rt, people, "ra soat") == [second.code, first.code]
    assert await _found(rt, people, "rà soát dự án") == [first.code]
    assert await _found(rt, people, "thu tu") == [second.code], "a word may be typed in part"
    assert await _found(rt, people, "oat") == [], "inside a word is not a word"


async def test_only_the_last_word_may_be_cut_short_as_a_syllable_is_typed_whole(rt, people):
    reservoir = await _assign(rt, people, "Nạo vét hồ chứa nước Ayun Hạ")
    finished = await _assign(rt, people, "Hoàn thành chỉ tiêu chuẩn nông thôn mới")
    assert await _found(rt, people, "hồ chứa") == [reservoir.code]
    assert await _found(rt, people, "ho chu") == [reservoir.code]
    assert await _found(rt, people, "ho") == [finished.code, reservoir.code], "the last word may be cut short"
    assert await _found(rt, people, "ho chuan") == [], "'hoàn' is not 'hồ': only the last word is cut short"


async def test_a_code_finds_its_directive_and_a_draft_is_never_found(rt, people):
    card = await _assign(rt, people, "Kiểm tra an toàn thực phẩm")
    draft = await _assign(rt, people, "Kiểm tra nháp", as_draft=True)
    assert await _found(rt, people, card.code.lower()) == [card.code]
    number = int(card.code.rsplit("-", 1)[1])
    assert await _found(rt, people, f"CD-2026-{number}") == [card.code]
    assert await _found(rt, people, f"cd 2026 {number}") == [card.code]
    assert await _found(rt, people, "kiem tra") == [card.code]
    assert await _found(rt, people, draft.code) == []


async def test_corrected_content_is_found_by_its_new_words(rt, people):
    draft = await _assign(rt, people, "Nội dung cũ", as_draft=True)
    await svc.edit_draft(rt, people.leader, draft.code, now=NOW, content="Tổng hợp giải ngân vốn đầu tư")
    assigned = await svc.confirm_draft(rt, people.leader, draft.code, now=NOW)
    assert await _found(rt, people, "giai ngan") == [assigned.code] != [draft.code]  # assigned: its CD code
    assert await _found(rt, people, "noi dung cu") == []


async def test_both_ways_of_reading_matches_give_the_same_newest_first_pages(rt, people):
    from storage import search as search_index

    newest_first = [(await _assign(rt, people, f"Rà soát hồ sơ số {n}")).id for n in range(7)][::-1]
    for many in (True, False):
        async with rt.sessions() as session:
            pages = [await search_index.matching_ids(session, ["ra", "soat"], limit=3, offset=o, many=many)
                     for o in (0, 3, 6)]
        assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:7]], (many, pages)


async def test_a_count_stops_past_its_bound_and_a_draft_is_not_counted(rt, people):
    from storage import search as search_index

    for n in range(5):
        await _assign(rt, people, f"Rà soát hồ sơ số {n}")
    await _assign(rt, people, "Rà soát nháp", as_draft=True)
    async with rt.sessions() as session:
        assert await search_index.count(session, ["ra", "soat"], at_most=3) == 4
        assert await search_index.count(session, ["ra", "soat"], at_most=10) == 5
        assert await search_index.count(session, ["nhap"], at_most=10) == 0


async def test_a_last_word_cut_short_finds_the_same_whether_spelt_out_or_left_to_the_index(rt, people, monkeypatch):
    from storage import search as search_index

    reservoir = await _assign(rt, people, "Nạo vét hồ chứa nước Ayun Hạ")
    finished = await _assign(rt, people, "Hoàn thành hồ sơ chỉ tiêu")
    meeting = await _assign(rt, people, "Họp giao ban hồ sơ tháng")
    for spelt_out in (search_index.SPELT_OUT, 2, 1):  # 3 words begin with "ho"; fewer: FTS5's prefix query
        monkeypatch.setattr(search_index, "SPELT_OUT", spelt_out)
        assert await _found(rt, people, "ho") == [meeting.code, finished.code, reservoir.code], spelt_out
        assert await _found(rt, people, "ho so h") == [meeting.code, finished.code], spelt_out
        assert await _found(rt, people, "ho so hz") == [], spelt_out
    monkeypatch.undo()
    if rt.engine.dialect.name == "sqlite":  # the words a beginning is spelt out as, read from the index
        async with rt.sessions() as session:
            assert await search_index._spelt_out(session, "ho") == ["ho", "hoan", "hop"]
            assert await search_index._spelt_out(session, "hoa") == ["hoan"]
            assert await search_index._spelt_out(session, "hz") == []
        monkeypatch.setattr(search_index, "SPELT_OUT", 2)
        async with rt.sessions() as session:
            assert await search_index._spelt_out(session, "ho") is None, "too many: FTS5's own prefix query"
