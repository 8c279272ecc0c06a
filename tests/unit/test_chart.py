from datetime import date

from matplotlib.colors import to_rgba

from bot.reports.chart import COLOURS, bar_labels, drawing
from bot.reports.counts import Counts, Report, Scope, UnitRow

NOVEMBER = Scope(date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30))
CIVIL = UnitRow("BQLDA-DD", "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng",
                Counts(new=5, done_on_time=5))
ROADS = UnitRow("BQLDA-GT", "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông",
                Counts(new=3, overdue=3))
HEALTH = UnitRow("SYT", "Sở Y tế", Counts(new=2, on_time=2))


def test_two_units_whose_long_names_share_their_start_get_a_bar_and_a_label_each():
    units = (CIVIL, ROADS, HEALTH)
    report = Report(NOVEMBER, None, CIVIL.lead + ROADS.lead + HEALTH.lead, units, (), ())
    ax = drawing(report, "vi").axes[0]
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert len(labels) == len(set(labels)) == 3, labels
    assert len(ax.patches) == 3 * len(COLOURS), "one stacked bar of five classes per unit"
    assert sorted({round(bar.get_y(), 3) for bar in ax.patches}) == [-0.325, 0.675, 1.675]


def test_a_long_name_is_wrapped_over_lines_not_cut():
    civil, health = bar_labels([CIVIL, HEALTH])
    assert civil.replace("\n", " ") == "BQL dự án đầu tư xây dựng các công trình dân dụng" and "…" not in civil
    assert all(len(line) <= 26 for line in civil.split("\n")) and health == "Sở Y tế"
    economic = UnitRow("BQLKKT", "Ban Quản lý Khu kinh tế và các Khu công nghiệp tỉnh", Counts(new=1))
    assert bar_labels([economic])[0].replace("\n", " ").endswith("KCN tỉnh"), "the usual abbreviations, nothing cut"


def test_two_units_of_the_same_name_carry_their_codes():
    twin = UnitRow("SYT2", "Sở Y tế", Counts(new=1))
    assert bar_labels([HEALTH, twin]) == ["Sở Y tế (SYT)", "Sở Y tế (SYT2)"]


def test_standing_tasks_are_drawn_and_a_unit_with_only_standing_tasks_has_its_bar():
    standing = UnitRow("SNV", "Sở Nội vụ", Counts(new=4, standing=4))
    report = Report(NOVEMBER, None, HEALTH.lead + standing.lead, (HEALTH, standing), (), ())
    ax = drawing(report, "vi").axes[0]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["Sở Y tế", "Sở Nội vụ"]
    grey = [bar for bar in ax.patches if bar.get_width() and bar.get_facecolor() == to_rgba(COLOURS[4])]
    assert [bar.get_width() for bar in grey] == [4]


def test_an_empty_charts_legend_shows_each_class_in_its_own_colour():
    report = Report(NOVEMBER, None, Counts(), (), (), ())
    figure = drawing(report, "vi")
    [legend] = figure.legends
    colours = [handle.get_facecolor() for handle in legend.legend_handles]
    assert colours == [to_rgba(c) for c in COLOURS] and len(set(colours)) == 5
    assert [text.get_text() for text in legend.get_texts()][-1] == "Thường xuyên"
