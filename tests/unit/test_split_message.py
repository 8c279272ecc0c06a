"""Long answers are cut into Telegram messages between lines, and a line longer than a message is never
cut inside an HTML entity or tag."""

from handlers.common import split_message


def test_lines_are_kept_whole_when_they_fit():
    parts = split_message("a" * 3000 + "\n" + "b" * 3000)
    assert parts == ["a" * 3000, "b" * 3000]


def test_a_line_longer_than_a_message_is_cut_before_an_entity_it_would_split():
    parts = split_message("x" * 4090 + "&amp;&lt;" + "y" * 10)
    assert all(len(p) <= 4096 for p in parts)
    assert parts[0].endswith("&amp;") and parts[1].startswith("&lt;")
    assert "".join(parts) == "x" * 4090 + "&amp;&lt;" + "y" * 10


def test_a_line_is_not_cut_inside_a_tag():
    parts = split_message("x" * 4094 + "<b>y</b>")
    assert parts[0] == "x" * 4094 and parts[1] == "<b>y</b>"
