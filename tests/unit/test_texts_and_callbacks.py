import re
from pathlib import Path

import pytest

from bot.texts import CATALOGUES, placeholders, t
from handlers.actions import CardPress
from handlers.callbacks import MAX_BYTES, UnitPick, unpack

ROOT = Path(__file__).resolve().parents[2]


def test_every_key_exists_in_vietnamese_and_english_with_the_same_placeholders():
    vi, en = CATALOGUES["vi"], CATALOGUES["en"]
    assert set(vi) == set(en)
    for key in vi:
        assert placeholders(vi[key]) == placeholders(en[key]), key


def test_every_literal_key_the_code_uses_is_in_the_catalogue_with_the_params_it_passes():
    arg = r"(?:[^,()]|\([^()]*\))+"  # one argument, allowing one level of call parentheses
    pattern = re.compile(rf"""\b[th]\(\s*"([a-z_]+\.[a-z_.]+)"\s*,\s*{arg}((?:,\s*\w+={arg})*)\)""")
    found = 0
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("handlers").rglob("*.py"),
                 *ROOT.joinpath("web").rglob("*.py")]:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            key, args = match.group(1), match.group(2) or ""
            assert key in CATALOGUES["vi"], f"{path.name}: {key}"
            passed = set(re.findall(r"(\w+)=", args))
            assert placeholders(CATALOGUES["vi"][key]) <= passed, f"{path.name}: {key} needs {placeholders(CATALOGUES['vi'][key])}"
            found += 1
    assert found > 50


def test_every_literal_key_the_web_pages_use_is_in_the_catalogue():
    pattern = re.compile(r"""\b(?:t|html)\(\s*'([a-z_]+\.[a-z_.]*[a-z_])'\s*[,)]""")
    found = 0
    for path in ROOT.joinpath("web", "templates").glob("*.html"):
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            assert key in CATALOGUES["vi"], f"{path.name}: {key}"
            found += 1
    assert found > 80


def test_vietnamese_is_the_default_and_dates_read_dd_mm_yyyy():
    from datetime import date

    assert t("deadline.past", None, date=date(2026, 1, 2)).startswith("Hạn 02/01/2026")


def test_callback_data_round_trips_within_64_bytes():
    data = CardPress("exta", "CD-2026-0012", 1234).pack()
    assert len(data.encode()) <= MAX_BYTES
    assert unpack(data) == CardPress("exta", "CD-2026-0012", 1234)


@pytest.mark.parametrize("forged", ["", "x" * 70, "ack|CD|notanumber|", "onlyone", "a|b|c", "ack|CD-1|1|x|y"])
def test_forged_callback_data_is_rejected(forged):
    assert unpack(forged) is None


def test_oversized_callback_data_cannot_be_built():
    with pytest.raises(ValueError):
        UnitPick("x" * 40, "l", 1, "unit", "Y" * 30).pack()


def test_numbers_and_percentages_are_written_the_readers_way():
    from bot.texts import fmt_percent

    assert fmt_percent(1 / 3, "vi") == "33,3 %" and fmt_percent(1 / 3, "en") == "33.3%"
    assert fmt_percent(None, "vi") == "—" and fmt_percent(1.0, "vi") == "100,0 %"
    assert t("list.count", "vi", total=12345, page=1, pages=2470) == "12.345 nhiệm vụ, trang 1/2.470"


def test_html_texts_escape_what_people_typed_but_keep_the_catalogues_own_tags():
    from bot.texts import Html, h

    text = h("line.source", "vi", source="1/TB <b>&")
    assert "&lt;b&gt;&amp;" in text
    assert h("history.title", "vi", code=Html("<i>x</i>")).startswith("<b>Lịch sử <i>x</i>")


def test_callback_data_accepts_only_plain_ascii_digits_and_the_shapes_our_buttons_use():
    for forged in ("ack|CD-2026-0001|²|", "ack|CD-2026-0001|١|", "ack|CD\x00|1|", "ACK|CD-2026-0001|1|",
                   "ack|CD-2026-0001|1|<b>"):
        assert unpack(forged) is None, forged
