"""How a report's period and figures are named, in the reader's language."""

from __future__ import annotations

import re
from html import escape, unescape

from bot.domain.calendar import end_of_month
from bot.reports.counts import Counts, Report, Scope
from bot.texts import fmt_percent, t

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MAX_UNITS_IN_CHAT = 8
MAX_OVERDUE_IN_CHAT = 5


def period_name(scope: Scope, lang: str) -> str:
    """"tháng 11/2026", "quý IV/2026", "6 tháng cuối năm 2026", "năm 2026" or "từ … đến …"."""
    start, end = scope.start, scope.end
    whole_months = start.day == 1 and end == end_of_month(end.year, end.month) and start.year == end.year
    months = end.month - start.month + 1
    if whole_months and months == 1:
        return t("period.month", lang, month=start.month, year=start.year)
    if whole_months and months == 3 and start.month % 3 == 1:
        return t("period.quarter", lang, quarter=ROMAN[(start.month + 2) // 3], year=start.year)
    if whole_months and months == 6 and start.month in (1, 7):
        return t("period.half1" if start.month == 1 else "period.half2", lang, year=start.year)
    if whole_months and months == 12:
        return t("period.year", lang, year=start.year)
    return t("period.range", lang, start=start, end=end)


def subject(report: Report, lang: str) -> str:
    return report.unit_name or t("stats.all_units", lang)


CLASS_KEYS = (
    ("done_on_time", "status.done_on_time"),
    ("done_late", "status.done_late"),
    ("on_time", "status.in_progress_on_time"),
    ("overdue", "status.in_progress_overdue"),
)


def plain(html_text: str) -> str:
    """A catalogue text without its HTML, for files and the terminal."""
    return unescape(re.sub(r"</?[a-z]+>", "", html_text))


def rate_line(counts: Counts, lang: str, *, html: bool = True) -> str:
    if counts.rate is None:
        line = t("report.rate_none", lang)
    else:
        line = t("report.rate", lang, rate=fmt_percent(counts.rate, lang), on_time=counts.done_on_time,
                 due=counts.due)
    return line if html else plain(line)


def summary(report: Report, lang: str, *, html: bool = True) -> str:
    """The phone-width summary: scope, the four classes, standing, awaiting, cancelled, the rate, the
    units with overdue work and the most overdue directives."""
    esc = escape if html else (lambda s: s)
    c = report.total
    lines = [
        t("report.title", lang, unit=esc(subject(report, lang)), period=period_name(report.scope, lang),
          as_of=report.scope.as_of),
        t("report.scope", lang, total=c.total, carried=c.carried, new=c.new),
    ]
    for attr, key in CLASS_KEYS:
        lines.append(t("report.class_line", lang, label=t(key, lang), count=getattr(c, attr)))
    lines.append(t("report.class_line", lang, label=t("status.standing", lang), count=c.standing))
    if c.awaiting:
        lines.append(t("report.awaiting", lang, count=c.awaiting))
    if c.cancelled:
        lines.append(t("report.cancelled", lang, count=c.cancelled))
    lines.append(rate_line(c, lang))
    if report.scope.unit_code:
        support = next((u.support for u in report.units if u.code == report.scope.unit_code), Counts())
        if support.total:
            lines.append(t("report.support", lang, total=support.total, overdue=support.overdue))
    else:
        late_units = sorted((u for u in report.units if u.lead.overdue), key=lambda u: (-u.lead.overdue, u.code))
        if late_units:
            lines.append("")
            lines.append(t("report.units_overdue", lang))
            for u in late_units[:MAX_UNITS_IN_CHAT]:
                lines.append(t("report.unit_line", lang, unit=esc(u.name), overdue=u.lead.overdue,
                               rate=fmt_percent(u.lead.rate, lang)))
            if len(late_units) > MAX_UNITS_IN_CHAT:
                lines.append(t("report.more_units", lang, count=len(late_units) - MAX_UNITS_IN_CHAT))
    if report.overdue:
        lines.append("")
        lines.append(t("report.overdue_head", lang))
        for item in report.overdue[:MAX_OVERDUE_IN_CHAT]:
            lines.append(t("report.overdue_line", lang, code=item.code, units=esc(", ".join(item.lead)),
                           days=item.days_late))
    text = "\n".join(lines)
    return text if html else plain(text)
