"""The typed callbacks: every kind reads back what it packs, buttons already sent in chats (the format before
the kinds were typed) still read as the same press, and anything out of shape or out of range is refused."""

from datetime import date

import pytest

from bot.domain.lifecycle import Move
from bot.texts import CATALOGUES
from handlers import callbacks as cb
from handlers.actions import BUTTONS, CARD_BUTTONS, CardPress
from handlers.callbacks import (
    MAX_BYTES,
    MAX_INT,
    CardFiles,
    CardHistory,
    DeadlinePick,
    EditPart,
    ImportAnswer,
    KeepUnitsAll,
    ListPage,
    OpenCard,
    ReportFile,
    Resend,
    ResolveUnit,
    SkipSource,
    UnitPick,
    unpack,
)

# Data strings as the previous release wrote them, and the press each is now.
OLD_BUTTONS = [
    ("ack|CD-2026-0012|3|", CardPress("ack", "CD-2026-0012", 3)),
    ("conf|CD-2026-0012|17|", CardPress("conf", "CD-2026-0012", 17)),
    ("exta|CD-2026-0012|0|", CardPress("exta", "CD-2026-0012", 0)),
    ("extr|CD-2026-12345678|999999999|", CardPress("extr", "CD-2026-12345678", 999999999)),
    ("dok|CD-2026-0001|1|", CardPress("dok", "CD-2026-0001", 1)),
    ("ded|CD-2026-0001|1|", CardPress("ded", "CD-2026-0001", 1)),
    ("open|CD-2026-0012||", OpenCard("CD-2026-0012")),
    ("files|CD-2026-0012||", CardFiles("CD-2026-0012")),
    ("pg|over|1|", ListPage("over", 1)),
    ("pg|my|3|SYT", ListPage("my", 3, unit="SYT")),
    ("pg|find|2|tiem chung", ListPage("find", 2, words="tiem chung")),
    ("asg|Ab_c-9xY.l|2|t:P-HUONGTHUY", UnitPick("Ab_c-9xY", "l", 2, "unit", "P-HUONGTHUY")),
    ("asg|Ab_c-9xY.s|2|pg", UnitPick("Ab_c-9xY", "s", 2, "pg")),
    ("asg|Ab_c-9xY.s|1|abort", UnitPick("Ab_c-9xY", "s", 1, "abort")),
    ("asd|Ab_c-9xY||w5", DeadlinePick("w5", token="Ab_c-9xY")),
    ("asd|Ab_c-9xY||r:quarterly", DeadlinePick("r", token="Ab_c-9xY", recurrence="quarterly")),
    ("asd|CD-2026-0001|4|eow+monthly", DeadlinePick("eow", code="CD-2026-0001", version=4, along="monthly")),
    ("asd|CD-2026-0001|4|type+none", DeadlinePick("type", code="CD-2026-0001", version=4, along="none")),
    ("asd|CD-2026-0001|4|rec", DeadlinePick("rec", code="CD-2026-0001", version=4)),
    ("asks|Ab_c-9xY||", SkipSource("Ab_c-9xY")),
    ("dedp|CD-2026-0001|4|deadline", EditPart("CD-2026-0001", 4, "deadline")),
    ("res|CD-2026-0001|4|L:SYT", ResolveUnit("CD-2026-0001", 4, "L", "SYT")),
    ("res|CD-2026-0001|4|S:", ResolveUnit("CD-2026-0001", 4, "S")),
    ("rsnd|||12345", Resend(12345)),
    ("rpx|2026-11|20261115|SYT", ReportFile("xlsx", "2026-11", date(2026, 11, 15), "SYT")),
    ("rpc|2026-11-01..2026-11-15|20261115|", ReportFile("png", "2026-11-01..2026-11-15", date(2026, 11, 15))),
    ("rpw||20261231|", ReportFile("docx", "", date(2026, 12, 31))),
    ("impok|17||a1b2c3d4", ImportAnswer(True, 17, "a1b2c3d4")),
    ("impno|17||a1b2c3d4", ImportAnswer(False, 17, "a1b2c3d4")),
]


@pytest.mark.parametrize(("data", "press"), OLD_BUTTONS, ids=[d for d, _ in OLD_BUTTONS])
def test_a_button_already_in_a_chat_reads_as_the_same_press_and_is_packed_the_same_way(data, press):
    assert unpack(data) == press
    assert press.pack() == data  # new buttons are written exactly as the old ones were


def test_an_old_history_button_with_the_cards_version_still_opens_the_history():
    assert unpack("hist|CD-2026-0012|5|") == CardHistory("CD-2026-0012")
    assert CardHistory("CD-2026-0012").pack() == "hist|CD-2026-0012||"


def test_the_as_of_date_travels_as_a_date_in_its_own_field():
    press = unpack("rpx|2026-Q4|20261115|")
    assert isinstance(press, ReportFile) and press.as_of == date(2026, 11, 15) and press.format == "xlsx"
    assert not hasattr(press, "version")


@pytest.mark.parametrize("forged", [
    "ack|CD-2026-0001||",  # a card button without the version it was drawn at
    "ack|CD-2026-0001|1|SYT",  # a field in a slot the kind does not use
    "ack|SYT|1|",  # not a directive code
    "open|CD-2026-0001|1|", "files|CD-2026-0001||x",
    "rsnd|||0", "rsnd|||9223372036854775808", "rsnd|||", "rsnd|1||2",  # ids past their column's range
    "impok|2147483648||abcd", "impok|0||abcd", "impok|17||", "impok|17|1|abcd",
    "rpx|2026-11|20261332|", "rpx|2026-11|20260229|", "rpx|2026-11|2026111|", "rpx|2026-11||",
    "asg|tok|1|pg",  # no step
    "asg|tok.l|1|t:", "asg|tok.l|1|jump", "asd|tok||", "asd|CD-2026-0001||w5",
    "res|CD-2026-0001|4|X:SYT", "res|CD-2026-0001|4|SYT", "dedp|CD-2026-0001|4|",
    "pg|find|1|<b>", "pg|my|1|syt", "zzz|CD-2026-0001|1|",
])
def test_a_press_out_of_shape_or_range_reads_as_nothing(forged):
    assert unpack(forged) is None


def test_a_press_that_would_not_read_back_cannot_be_built():
    with pytest.raises(ValueError):
        Resend(0).pack()
    with pytest.raises(ValueError):
        CardPress("ack", "not a code", 1).pack()
    with pytest.raises(ValueError):
        ListPage("find", 1, words="x" * 60).pack()


def test_the_longest_presses_fit_in_64_bytes():
    longest = [CardPress("extr", "CD-2026-12345678", 999999999),
               UnitPick("Ab_c-9xY", "s", 999, "unit", "X" * 32),
               DeadlinePick("type", code="CD-2026-12345678", version=999999999, along="quarterly"),
               ResolveUnit("CD-2026-123456", 99999, "S", "X" * 32),
               ListPage("find", 9999, words="w" * 40), Resend(2**63 - 1),
               ReportFile("xlsx", "2026-11-01..2026-11-15", date(2026, 11, 15), "X" * 20)]
    for press in longest:
        assert len(press.pack().encode()) <= MAX_BYTES
        assert unpack(press.pack()) == press


def test_keep_units_all_carries_each_covered_drafts_version_by_its_place_in_the_message():
    press = KeepUnitsAll.of(4123, {0: 1, 2: 35}, 4)
    assert press is not None and press.pack() == "dkeep|4123||1-z-"
    assert unpack("dkeep|4123||1-z-") == press and press.offered == {0: 1, 2: 35}
    longest = KeepUnitsAll.of(MAX_INT, {p: 9 for p in range(30)}, 30)  # a notice of MAX_BATCH drafts
    assert longest is not None and len(longest.pack().encode()) <= MAX_BYTES


def test_keep_units_all_is_not_offered_when_it_cannot_say_every_version():
    assert KeepUnitsAll.of(1, {0: 36}, 2) is None, "past one base-36 digit: the drafts are asked one by one"
    assert KeepUnitsAll.of(1, {}, 3) is None, "no draft to cover"


@pytest.mark.parametrize("forged", ["dkeep|1||", "dkeep|1||---", "dkeep|1|2|1", "dkeep|0||1", "dkeep|1||A",
                                    "dkeep|x||1", "dkeep|1||" + "1" * 49])
def test_a_keep_units_all_press_out_of_shape_reads_as_nothing(forged):
    assert unpack(forged) is None


def test_one_table_maps_each_card_button_to_its_move_and_what_it_does():
    assert len(BUTTONS) == len(CARD_BUTTONS)
    assert set(CardPress.TAGS) == set(BUTTONS)
    for button in CARD_BUTTONS:
        assert button.label in CATALOGUES["vi"] and button.label in CATALOGUES["en"]
        if button.command is not None:
            assert button.prompt is None and button.command().move == button.move
            assert f"done.{button.tag}" in CATALOGUES["vi"]
        elif button.prompt is not None:
            assert button.prompt in CATALOGUES["vi"] and button.prompt in CATALOGUES["en"]
        else:
            assert button.move == Move.EDIT_DRAFT  # the correction flow (handlers/assign.py)


def test_each_tag_names_one_kind_and_a_taken_tag_cannot_be_registered_again():
    with pytest.raises(ValueError):
        @cb.kind
        class Again(cb.Press):
            TAGS = ("ack",)
