"""The class colours of the web app, computed as WCAG 2.1 does: white text on each badge at least 4.5:1
(1.4.3), each chart bar at least 3:1 against the white page (1.4.11), and the chart's colours are the CSS's."""

import re
from pathlib import Path

from web.chart import COLOURS

CSS = (Path(__file__).resolve().parents[2] / "web" / "static" / "app.css").read_text(encoding="utf-8")


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def class_colours() -> dict[str, str]:
    found = {}
    for selectors, colour in re.findall(r"^(\.(?:cls|st)-[^{]+)\{\s*background:\s*(#[0-9a-f]{6})", CSS, re.M):
        for selector in selectors.split(","):
            found[selector.strip()] = colour
    return found


def test_white_text_on_every_class_badge_reads_at_4_5_to_1_or_more():
    colours = class_colours()
    assert len(colours) >= 14
    for selector, colour in colours.items():
        assert contrast(colour, "#ffffff") >= 4.5, (selector, colour, round(contrast(colour, "#ffffff"), 2))


def test_the_chart_bars_stand_out_from_the_page_and_match_the_badges():
    colours = class_colours()
    for cls, colour in COLOURS.items():
        assert contrast(colour, "#ffffff") >= 3.0, cls
        assert colours[f".cls-{cls}"] == colour, cls


def test_body_text_and_links_read_at_4_5_to_1_or_more():
    variables = dict(re.findall(r"--(\w+):\s*(#[0-9a-f]{6})", CSS))
    for name in ("ink", "muted", "accent"):
        assert contrast(variables[name], "#ffffff") >= 4.5, name
        assert contrast(variables[name], variables["soft"]) >= 4.5, name
