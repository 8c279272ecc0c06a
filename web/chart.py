"""The dashboard's stacked bars as SVG geometry (drawn by the template, no script, no library): one bar per
lead unit in the four official classes, the units with most directives first, as the PNG chart
(bot/reports/chart.py) draws them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.units import short_name
from bot.reports.counts import Report
from bot.reports.labels import CLASS_KEYS

MAX_BARS = 20
# The four classes' colours: each at least 3:1 against white (WCAG 1.4.11) and white text on it 4.5:1
# (tests/unit/test_web_contrast.py computes both).
COLOURS = {"done_on_time": "#1e6b23", "done_late": "#5b6e0b", "on_time": "#1556a8", "overdue": "#b3261e"}


@dataclass(frozen=True)
class Segment:
    cls: str
    x: float  # percent of the bar area
    width: float
    value: int


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    total: int
    rate: float | None
    segments: tuple[Segment, ...]


def bars(report: Report) -> list[Bar]:
    units = [u for u in report.units if u.lead.total - u.lead.standing > 0]
    units = sorted(units, key=lambda u: (-(u.lead.total - u.lead.standing), u.code))[:MAX_BARS]
    widest = max((u.lead.total - u.lead.standing for u in units), default=1) or 1
    result = []
    for unit in units:
        x, segments = 0.0, []
        for attr, _ in CLASS_KEYS:
            value = getattr(unit.lead, attr)
            width = 100.0 * value / widest
            if value:
                segments.append(Segment(attr, round(x, 3), round(width, 3), value))
            x += width
        result.append(Bar(unit.code, short_name(unit.name, 30), unit.lead.total - unit.lead.standing,
                          unit.lead.rate, tuple(segments)))
    return result
