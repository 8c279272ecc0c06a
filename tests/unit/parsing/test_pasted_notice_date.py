"""A pasted conclusion notice that states its date gives it to its drafts («Ngày văn bản»): after its
number, or in its place-and-date line; a deadline is never taken for it, nor a day still to come."""

from __future__ import annotations

from datetime import date

import pytest

TASK = "1. Giao Sở Y tế kiểm tra an toàn thực phẩm, báo cáo trước ngày 30/11/2026.\n2. Giao Sở Xây dựng rà soát."


@pytest.mark.parametrize("head", [
    "Thông báo số 215/TB-UBND ngày 02/11/2026 kết luận của Chủ tịch UBND tỉnh:",
    "THÔNG BÁO 215/TB-UBND, ngày 2 tháng 11 năm 2026",
    "Thong bao so 215/TB-UBND ngay 2/11/2026",
    "UBND TỈNH QUẢNG TRỊ\nSố: 215/TB-UBND\nQuảng Trị, ngày 02 tháng 11 năm 2026\nTHÔNG BÁO",
])
def test_the_notices_own_date_reaches_every_draft(parse, head):
    result = parse(f"{head}\n{TASK}")
    assert [(d.source, d.source_date) for d in result.directives] == [("215/TB-UBND", date(2026, 11, 2))] * 2


@pytest.mark.parametrize("text", [
    "Giao Sở Y tế kiểm tra an toàn thực phẩm, báo cáo trước ngày 30/11/2026.",
    "Thông báo số 215/TB-UBND: Giao Sở Y tế kiểm tra, báo cáo trước ngày 30 tháng 11 năm 2026.",
    "Thông báo số 215/TB-UBND ngày 25/11/2026: Giao Sở Y tế kiểm tra, báo cáo trước ngày 30/11/2026.",
])
def test_a_deadline_or_a_day_to_come_is_not_the_notices_date(parse, text):
    assert all(d.source_date is None for d in parse(text).directives)
