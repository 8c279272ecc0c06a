from datetime import date

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
    assert len(ax.patches) == 3 * len(COLOURS), "one stacked bar of four classes per unit"
    assert sorted({round(bar.get_y(), 3) for bar in ax.patches}) == [-0.325, 0.675, 1.675]


def test_a_long_name_is_shortened_and_carries_its_code_only_when_another_unit_shortens_to_the_same():
    assert bar_labels([CIVIL, HEALTH]) == ["BQL dự án đầu tư xây dựng…", "Sở Y tế"]
    civil, roads = bar_labels([CIVIL, ROADS])
    assert civil.endswith("(BQLDA-DD)") and roads.endswith("(BQLDA-GT)") and len(civil) <= 26
