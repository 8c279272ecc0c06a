"""The Word report names its province: PROVINCE_NAME and PROVINCE_PLACE give the issuing body, the office
and the date line's place; OFFICE_* override them; the signer is a setting; contents read as sentences.
Every such setting is documented in .env.example."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from bot.reports.counts import Counts, OverdueItem, Report, Scope, UnitRow
from bot.reports.word import report_docx
from tests.conftest import make_settings

NOVEMBER = Scope(date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30))
LATE = UnitRow("SXD", "Sở Xây dựng", Counts(new=2, overdue=1, on_time=1))
REPORT = Report(NOVEMBER, None, LATE.lead, (LATE,), (), (
    OverdueItem("CD-2026-0007", "rà soát các dự án chậm tiến độ", ("Sở Xây dựng",), date(2026, 11, 20),
                date(2026, 11, 20), 6, False),))


def read(names: dict[str, str]) -> tuple[str, str, str, str]:
    document = Document(BytesIO(report_docx(REPORT, "vi", names, date(2026, 12, 5))))
    header, closing = document.tables[0], document.tables[-1]
    left, right = header.rows[0].cells
    body = "\n".join(p.text for p in document.paragraphs)
    signature = closing.rows[0].cells[1].text
    return left.text, right.text, body, signature


def test_the_province_gives_the_issuing_body_the_office_and_the_place():
    names = make_settings(province_name="Quảng Trị", province_place="Đông Hà").document_names()
    left, right, body, _ = read(names)
    assert left.split("\n")[:2] == ["UBND TỈNH QUẢNG TRỊ", "VĂN PHÒNG"]
    assert "Đông Hà, ngày 05 tháng 12 năm 2026" in right
    assert body.count("Văn phòng UBND tỉnh Quảng Trị báo cáo") == 1


def test_without_a_place_the_date_line_names_the_province():
    names = make_settings(province_name="Quảng Trị").document_names()
    assert names["place"] == "Quảng Trị" and "Quảng Trị, ngày 05 tháng 12 năm 2026" in read(names)[1]


def test_the_office_settings_still_override_the_province():
    names = make_settings(province_name="Quảng Trị", province_place="Đông Hà", office_parent_name="UBND thành phố Huế",
                          office_name="Văn phòng UBND thành phố", office_place="Huế").document_names()
    left, right, body, _ = read(names)
    assert left.split("\n")[:2] == ["UBND THÀNH PHỐ HUẾ", "VĂN PHÒNG UBND THÀNH PHỐ"]
    assert "Huế, ngày 05 tháng 12 năm 2026" in right and "Văn phòng UBND thành phố báo cáo" in body


def test_with_nothing_set_the_report_leaves_the_place_to_be_filled_in():
    names = make_settings().document_names()
    left, right, _, _ = read(names)
    assert left.split("\n")[:2] == ["UBND TỈNH", "VĂN PHÒNG"] and "……, ngày 05 tháng 12 năm 2026" in right


def test_the_signer_is_a_setting():
    _, _, _, default = read(make_settings().document_names())
    assert default.startswith("CHÁNH VĂN PHÒNG")
    names = make_settings(report_signer_title="Phó Chánh Văn phòng", report_signer_name="Nguyễn Văn An").document_names()
    signature = read(names)[3]
    assert signature.startswith("PHÓ CHÁNH VĂN PHÒNG") and signature.rstrip().endswith("Nguyễn Văn An")


def test_task_contents_start_with_a_capital_letter():
    document = Document(BytesIO(report_docx(REPORT, "vi", make_settings().document_names(), date(2026, 12, 5))))
    overdue = document.tables[2]
    assert overdue.rows[1].cells[2].text == "Rà soát các dự án chậm tiến độ"


@pytest.mark.parametrize("name", ["PROVINCE_NAME", "PROVINCE_PLACE", "OFFICE_PARENT_NAME", "OFFICE_NAME", "OFFICE_PLACE",
                                  "REPORT_SIGNER_TITLE", "REPORT_SIGNER_NAME"])
def test_every_province_setting_is_in_the_example_configuration_and_the_readme(name):
    root = Path(__file__).resolve().parents[2]
    assert re.search(rf"^{name}=", (root / ".env.example").read_text(encoding="utf-8"), re.MULTILINE)
    assert name in (root / "README.md").read_text(encoding="utf-8")
