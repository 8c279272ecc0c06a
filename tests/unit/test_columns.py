"""A clerk's own column titles are read by meaning: the template's words, the words offices use, with or
without diacritics, in any case, with hints and typos; and a title that means nothing known is left out."""

from __future__ import annotations

import pytest

from bot.imports.columns import read_row, understand
from bot.imports.sheet import HEADERS


@pytest.mark.parametrize("title, field", [
    ("Số, ký hiệu", "source_number"),
    ("Số/Ký hiệu văn bản", "source_number"),
    ("Ngày ban hành", "source_date"),
    ("Nội dung chỉ đạo", "content"),
    ("NỘI DUNG CHỈ ĐẠO", "content"),
    ("Noi dung chi dao", "content"),
    ("Ý kiến chỉ đạo", "content"),
    ("Cơ quan chủ trì", "lead"),
    ("Đơn vị chủ trì (*)", "lead"),
    ("Đơn vị\nthực hiện", "lead"),
    ("Cơ quan phối hợp", "support"),
    ("Thời hạn", "deadline"),
    ("Thời hạn hoàn thành theo kết luận", "deadline"),
    ("Hạn xử lí", "deadline"),
    ("Ngày hoàn thành thực tế", "completed_on"),
    ("Tình trạng", "status"),
    ("Tiến độ thực hiện", "status"),
    ("Lãnh đạo UBND tỉnh chỉ đạo", "leader"),
    ("Nội dug chỉ đạo", "content"),
    ("Đơn vị chủ trỉ", "lead"),
    ("Ghi chú", "note"),
    ("TT", "no"),
])
def test_a_clerks_column_title_is_understood_by_its_meaning(title, field):
    assert understand(title) is not None and understand(title)[0] == field


@pytest.mark.parametrize("title", ["Người theo dõi", "Ngày", "Kết quả thực hiện", "",
                                   "Danh sách các nhiệm vụ do Văn phòng UBND tỉnh theo dõi đôn đốc trong năm 2026"])
def test_a_title_that_means_no_known_column_is_left_out(title):
    assert understand(title) is None


def test_every_title_of_the_template_is_read_as_its_own_column():
    found = read_row(list(HEADERS))
    assert [c.field for c in sorted(found.values(), key=lambda c: c.index)] == [
        "no", "source_number", "source_date", "leader", "content", "lead", "support", "deadline", "assigned_on",
        "completed_on", "status", "note"]
    assert {c.how for c in found.values()} == {"name"}


def test_where_two_columns_claim_one_field_the_surer_reading_wins():
    found = read_row(["Thời hạn hoàn thành theo kết luận", "Nội dung", "Hạn xử lý"])
    assert found["deadline"].index == 2 and found["content"].index == 1
