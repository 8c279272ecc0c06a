"""The chart: one horizontal stacked bar per lead unit in the four classes and its standing tasks, sized for
a phone screen; a unit's name is wrapped over lines, never cut, and the legend shows every class's colour
even when nothing is drawn. Uses matplotlib's Agg canvas directly (no pyplot state, safe in a worker
thread); its bundled DejaVu Sans has every Vietnamese diacritic. CPU-bound: call it through
`asyncio.to_thread`."""

from __future__ import annotations

import textwrap
from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from bot.domain.units import short_name
from bot.reports.counts import Report, UnitRow
from bot.reports.labels import CLASS_KEYS, period_name, subject
from bot.texts import fmt_percent, t

WIDTH_PX, DPI = 1080, 100
MAX_UNITS = 20
LINE_CHARS = 26  # a label's line; longer names wrap
MAX_LINES = 3  # past this a name is cut (no real unit name comes near)
CLASSES = (*CLASS_KEYS, ("standing", "status.standing"))
COLOURS = ("#2e7d32", "#9ccc65", "#42a5f5", "#e53935", "#9e9e9e")


def chart_size(units: int, lines: int = 2) -> tuple[int, int]:
    """Pixel size of the chart for `units` bars (at most MAX_UNITS are drawn) whose labels take at most
    `lines` lines."""
    per_bar = max(56, 20 * min(lines, MAX_LINES) + 16)
    return WIDTH_PX, 260 + per_bar * max(min(units, MAX_UNITS), 1)


def bar_labels(units: list[UnitRow]) -> list[str]:
    """Each unit's name with the usual abbreviations ('UBND phường' → 'P.'), wrapped over lines; units whose
    names coincide carry their code too, so a reader can tell their bars apart."""
    names = [short_name(u.name, 10_000) for u in units]
    shared = {name for name in names if names.count(name) > 1}
    labels = [f"{name} ({u.code})" if name in shared else name for u, name in zip(units, names, strict=True)]
    return [textwrap.fill(label, LINE_CHARS, break_long_words=False, max_lines=MAX_LINES, placeholder=" …")
            for label in labels]


def chart(report: Report, lang: str) -> bytes:
    out = BytesIO()
    drawing(report, lang).savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def drawing(report: Report, lang: str) -> Figure:
    """The chart before it is rendered, for `chart` and for tests that read its bars back."""
    units = [u for u in report.units if u.lead.total > 0]
    units = sorted(units, key=lambda u: (-u.lead.total, u.code))[:MAX_UNITS]
    labels = bar_labels(units[::-1])
    width, height = chart_size(len(units), max((label.count("\n") + 1 for label in labels), default=1))
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.30, 120 / height, 0.66, 1 - 200 / height))
    # Bars stand at numeric positions, labelled afterwards: bars given by label would share one
    # position whenever two labels are equal.
    rows = range(len(units))
    left = [0] * len(units)
    for (attr, _), colour in zip(CLASSES, COLOURS, strict=True):
        values = [getattr(u.lead, attr) for u in reversed(units)]
        ax.barh(rows, values, left=left, color=colour, height=0.65)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(rows, labels)
    for y, unit in enumerate(reversed(units)):
        ax.text(left[y], y, f"  {fmt_percent(unit.lead.rate, lang)}", va="center", fontsize=11)
    if not units:
        ax.text(0.5, 0.5, t("chart.empty", lang), ha="center", va="center", transform=ax.transAxes, fontsize=14)
    ax.set_xlim(0, max(left or [1]) * 1.18 + 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="y", labelsize=13)
    ax.tick_params(axis="x", labelsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel(t("chart.xlabel", lang), fontsize=12)
    title = t("chart.title", lang, unit=subject(report, lang), period=period_name(report.scope, lang),
              as_of=report.scope.as_of)
    figure.suptitle(title[:1].upper() + title[1:], fontsize=15, fontweight="bold", y=1 - 20 / height, va="top")
    # The legend's keys are drawn from the classes, not from the bars: with no bar they keep their colours.
    keys = [Patch(facecolor=colour, label=t(key, lang)) for (_, key), colour in zip(CLASSES, COLOURS, strict=True)]
    figure.legend(handles=keys, loc="lower center", ncols=3, fontsize=12, frameon=False,
                  bbox_to_anchor=(0.5, 4 / height))
    return figure
