"""Every import has caps, checked while the file is read (bot/imports/limits.py): rows and cells of a
spreadsheet, paragraphs of a Word file, pages of a PDF, the text of a notice and the directives found in it.
A file past a cap is refused with a clear answer, in chat and from the CLI, and nothing is kept. (How fast and
how small: benchmarks/bench_import_caps.py.)"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.errors import DomainError
from bot.imports import limits
from bot.services import imports
from storage.models import Directive, ImportBatch
from tests import hostile_files
from tests.conftest import NOW

ADMIN = 1001


async def refusal(rt, name: str, data: bytes) -> str:
    """The catalogue key a file is refused with."""
    try:
        preview = await imports.read_file(rt, name, data, now=NOW)
    except DomainError as error:
        return error.key
    assert preview.problems and not preview.items, preview
    return preview.problems[0].key


async def test_a_sheet_is_refused_at_its_rows_read_cap_and_nothing_after_it_is_read(rt, people):
    # Past the cap, a cell naming a shared string that does not exist: reading it would be "damaged".
    broken = b'<row><c t="s"><v>999</v></c></row>'
    data = hostile_files.xlsx_number_rows(limits.MAX_SHEET_ROWS_READ + 10, tail=broken)
    assert await refusal(rt, "so-thu-tu.xlsx", data) == "import.sheet_too_long"
    assert await refusal(rt, "hong.xlsx", hostile_files.xlsx_number_rows(10, tail=broken)) == "import.unreadable_sheet"


async def test_a_sheet_is_refused_at_its_cells_read_cap(rt, people, monkeypatch):
    monkeypatch.setattr("bot.imports.sheet.MAX_SHEET_CELLS_READ", 4_000)  # the real cap's file takes long to build
    width = 40
    rows = 4_000 // width + 10
    assert await refusal(rt, "rong.xlsx", hostile_files.xlsx_number_rows(rows, width)) == "import.sheet_too_wide"
    assert width * limits.MAX_SHEET_ROWS_READ > limits.MAX_SHEET_CELLS_READ, "rows this wide meet the real cap"


async def test_a_word_file_is_refused_at_its_paragraph_cap_before_it_is_built_in_memory(rt, people, monkeypatch):
    import docx

    def never(*_args, **_kwargs):
        raise AssertionError("the whole document was parsed")

    data = hostile_files.docx_with_paragraphs(limits.MAX_PARAGRAPHS + 1, "Đoạn {n}")
    monkeypatch.setattr(docx, "Document", never)
    assert await refusal(rt, "dai.docx", data) == "import.too_many_paragraphs"


async def test_a_word_file_is_refused_at_its_text_cap(rt, people):
    line = "Rà soát các dự án chậm tiến độ, báo cáo UBND tỉnh kết quả thực hiện. " * 20
    paragraphs = limits.MAX_NOTICE_CHARS // len(line) + 2
    assert paragraphs < limits.MAX_PARAGRAPHS
    data = hostile_files.docx_with_paragraphs(paragraphs, line)
    assert await refusal(rt, "dai.docx", data) == "import.text_too_long"


async def test_a_pdf_is_refused_at_its_page_cap_and_at_its_text_cap(rt, people, monkeypatch):
    data = hostile_files.pdf_with_pages(limits.MAX_PAGES + 1)
    assert await refusal(rt, "dai.pdf", data) == "import.too_many_pages"
    monkeypatch.setattr("bot.imports.notice.MAX_NOTICE_CHARS", 2_000)  # pypdf reads dense pages slowly
    lines = ["Rà soát các dự án chậm tiến độ, báo cáo UBND tỉnh kết quả thực hiện"] * 30
    assert await refusal(rt, "chu.pdf", hostile_files.pdf_with_pages(2, lines)) == "import.text_too_long"


async def test_a_notice_with_more_directives_than_any_notice_holds_is_refused(rt, people):
    data = hostile_files.notice_with_items(limits.MAX_NOTICE_ITEMS + 1)
    assert await refusal(rt, "ket-luan.docx", data) == "import.too_many_items"
    ok = await imports.read_file(rt, "ket-luan.docx", hostile_files.notice_with_items(3), now=NOW)
    assert len(ok.items) == 3 and not ok.problems


async def test_parts_a_reader_takes_into_memory_whole_are_refused_past_their_cap_before_any_is_read(rt, people):
    """A 150 KB Word file holding a 48 MB styles part took 8 s and 1 GB; a sheet's shared strings are read whole."""
    big = hostile_files.docx_with_big_styles(limits.MAX_DOCX_XML_BYTES // 2**20 + 1)
    assert len(big) < 2**20
    assert await refusal(rt, "kieu-chu.docx", big) == "import.too_much_inside"
    strings = hostile_files.xlsx_with_big_shared_strings(limits.MAX_XLSX_WHOLE_BYTES // 2**20 + 1)
    assert await refusal(rt, "chuoi.xlsx", strings) == "import.too_much_inside"
    ok = await imports.read_file(rt, "kieu-chu.docx", hostile_files.docx_with_big_styles(1), now=NOW)
    assert ok.items and not ok.problems


@pytest.mark.parametrize("name, make", [
    ("ket-luan.docx", lambda: hostile_files.notice_with_items(limits.MAX_NOTICE_ITEMS + 1)),
    ("dai.pdf", lambda: hostile_files.pdf_with_pages(limits.MAX_PAGES + 1)),
    ("so-thu-tu.xlsx", lambda: hostile_files.xlsx_number_rows(limits.MAX_SHEET_ROWS_READ + 1)),
])
async def test_in_chat_a_file_past_a_cap_gets_a_clear_answer_and_no_confirm_button(chat, rt, people, name, make):
    data = make()
    chat.request.files["big"] = data
    answer = await chat.send_file(ADMIN, name, file_id="big", size=len(data))
    assert ("Chưa nhập được tệp" in answer or name in answer) and ("hơn" in answer or "dài quá" in answer), answer
    assert not chat.request.sent()[-1].get("reply_markup")
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert await s.scalar(select(func.count()).select_from(Directive)) == 0
