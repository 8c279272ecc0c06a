"""The chart: one horizontal stacked bar per lead unit in the four classes, sized for a phone screen.
Uses matplotlib's Agg canvas directly (no pyplot state, safe in a worker thread); its bundled DejaVu Sans
has every Vietnamese diacritic. CPU-bound: call it through `asyncio.to_thread`."""

from __future__ import annotations

from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.domain.units import short_name
from bot.reports.counts import Report, UnitRow
from bot.reports.labels import CLASS_KEYS, period_name, subject
from bot.texts import fmt_percent, t

WIDTH_PX, DPI = 1080, 100
MAX_UNITS = 20
MAX_NAME = 26
MIN_NAME = 10  # what is left of a name beside a long code
COLOURS = ("#2e7d32", "#9ccc65", "#42a5f5", "#e53935")


def chart_size(units: int) -> tuple[int, int]:
    """Pixel size of the chart for `units` bars (at most MAX_UNITS are drawn)."""
    return WIDTH_PX, 260 + 56 * max(min(units, MAX_UNITS), 1)


def bar_labels(units: list[UnitRow]) -> list[str]:
    """Each unit's short name; units whose short names coincide (long names sharing their start) carry
    their code too, so a reader can tell their bars apart."""
    short = [short_name(u.name, MAX_NAME) for u in units]
    shared = {label for label in short if short.count(label) > 1}
    return [f"{short_name(u.name, max(MAX_NAME - len(u.code) - 3, MIN_NAME))} ({u.code})" if label in shared
            else label for u, label in zip(units, short, strict=True)]


def chart(report: Report, lang: str) -> bytes:
    out = BytesIO()
    drawing(report, lang).savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def drawing(report: Report, lang: str) -> Figure:
    """The chart before it is rendered, for `chart` and for tests that read its bars back."""
    units = [u for u in report.units if u.lead.total - u.lead.standing > 0]
    units = sorted(units, key=lambda u: (-(u.lead.total - u.lead.standing), u.code))[:MAX_UNITS]
    width, height = chart_size(len(units))
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.30, 120 / height, 0.66, 1 - 200 / height))
    # Bars stand at numeric positions, labelled afterwards: bars given by label would share one
    # position whenever two labels are equal.
    rows = range(len(units))
    left = [0] * len(units)
    for (attr, key), colour in zip(CLASS_KEYS, COLOURS, strict=True):
        values = [getattr(u.lead, attr) for u in reversed(units)]
        ax.barh(rows, values, left=left, color=colour, label=t(key, lang), height=0.65)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(rows, bar_labels(units[::-1]))
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
    figure.legend(loc="lower center", ncols=2, fontsize=12, frameon=False, bbox_to_anchor=(0.5, 4 / height))
    return figure
