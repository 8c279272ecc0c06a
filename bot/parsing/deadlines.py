"""Deadline phrases ("trước ngày 15/12", "trong 5 ngày làm việc", "hằng tháng"…) and the date they mean.

Only a date that a deadline phrase introduces is a deadline: "cuộc họp ngày 19/11" or "Chỉ thị số
15/CT-UBND" are not. Rules run on the folded text (lower case, no diacritics), whose offsets are those
of the typed text. Conventions: shared/corpus/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.domain.calendar import WorkingCalendar, end_of_month, end_of_quarter, friday_of_week

Problem = str  # "impossible_date" | "deadline_in_past"


@dataclass(frozen=True, slots=True)
class Deadline:
    """What a deadline phrase at text[start:end] means."""

    day: date | None
    start: int
    end: int
    recurrence: str | None = None
    problem: Problem | None = None
    # The pieces of text the phrase is made of, when it is not one span ("hằng tháng báo cáo … trước
    # ngày 25"): the words between them are the task's and stay in its content.
    pieces: tuple[tuple[int, int], ...] = ()
    # "trong 6 tháng đầu năm" may be the period a report covers rather than its deadline: a dated phrase
    # elsewhere in the sentence wins over it.
    weak: bool = False
    # Other days the same span gives as firmly ("báo cáo trước 10/5 …, hoàn thành trước 30/6"): the last
    # one is taken, and the draft asks which is meant.
    alternatives: tuple[date, ...] = ()

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return self.pieces or ((self.start, self.end),)


@dataclass(frozen=True, slots=True)
class _Context:
    today: date
    calendar: WorkingCalendar


# "hoàn thành (vào) ngày D" sets a deadline as surely as "trước ngày D"; a bare "ngày D" never does.
# After the weak words "ngày" is required, for "trong 3/5 xã" and "hoàn thành 15/20 hạng mục" are not dates.
_INTRO = (r"\b(?:truoc|han(?:\s+chot)?|thoi\s+han|(?:cham|muon)\s+nhat(?:\s+den)?|den\s+het|khong\s+qua"
          r"|(?:trong|hoan\s+thanh|xong)(?=\s+(?:vao\s+)?(?:(?:buoi\s+)?(?:sang|chieu|toi|trua)\s+)?ngay\b)"
          # "(đến ngày 31.1.2021)": a day the work runs up to; "từ ngày … đến ngày …" and "tính đến ngày" are not
          r"|(?<!ke\s)den(?=\s+ngay\b))")
# A time of day may come between: "trước 14 giờ, ngày 05/12", "trước 16h00 ngày 10/12/2026", "vào 10h00' ngày".
_TIME = r"(?:\s*\d{1,2}\s*(?:gio|h)(?:\s*\d{2})?(?:\s*(?:phut|'|’|′))?\s*,?)?"
# "chậm nhất trong ngày 29/9", "trước 17 giờ chiều ngày 5/3", "trong buổi chiều ngày 22/02/2021"
_FILL = r"(?:\s*:)?(?:\s+(?:la|vao|trong))?" + _TIME + r"(?:\s+(?:buoi\s+)?(?:sang|chieu|toi|trua)(?=\s+ngay\b))?(?:\s*ngay)?\s*"
_YEAR = r"(?:\s*(?:/|-|\.|nam)\s*(?P<y>\d{4}))?"
_NUM_DATE = re.compile(
    _INTRO + _FILL + r"(?<![\d/.])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<y>\d{4}|\d{2})|\s+(?P<y2>20\d{2})\b)?(?!\d|/\s*\w|\.\d)")  # "2/9/;": a stray slash
_WORD_DATE = re.compile(_INTRO + _FILL + r"(?P<d>\d{1,2})\s+thang\s+(?P<m>\d{1,2})"
                        r"(?:\s*,?\s*(?:nam\s+)?(?P<y>\d{4}))?\b")
_DAY_ONLY = re.compile(r"\b(?:truoc|han|cham\s+nhat)(?:\s+la)?\s+ngay\s+(?P<d>\d{1,2})\b"
                       r"(?!\s*[/.-]\s*\d)(?!\s+(?:thang|hang|moi))")
_END_WORDS = r"\b(?:trong|truoc\s+cuoi|den\s+cuoi|truoc\s+het|den\s+het|cuoi)\s+"
# "trong tháng 8 và 9 tới": the later month's end, the earlier one a candidate (asked)
_MONTH_END = re.compile(_END_WORDS + r"thang\s+(?:(?P<m0>\d{1,2})\s*(?:va|den|-|–)\s*(?:thang\s+)?(?=\d{1,2}\b(?!\s*(?:tuan|ngay|thang)\b)))?"
                        r"(?P<m>\d{1,2})\b" + _YEAR)
_MONTH_BEFORE = re.compile(r"\btruoc\s+thang\s+(?P<m>\d{1,2})\b" + _YEAR)
_MONTH_NAMED = re.compile(_END_WORDS + r"thang\s+(?P<which>nay|sau|toi)\b|\b(?:trong|cuoi|truoc\s+cuoi|den\s+cuoi|den\s+het|vao\s+cuoi)\s+thang(?=\s*[,.;]|\s*$)")
_QUARTER_END = re.compile(_END_WORDS + r"quy\s+(?P<q>iv|i{1,3}|[1-4])\b" + _YEAR)
_QUARTER_NAMED = re.compile(_END_WORDS + r"quy\s+(?P<which>nay|sau|toi)\b")
_YEAR_END = re.compile(_END_WORDS + r"nam\s+(?P<y>\d{4}|nay|sau|toi)\b")
_HALF_YEAR = re.compile(_END_WORDS + r"(?:6|sau)\s+thang\s+(?P<half>dau|cuoi)\s+nam\b(?:\s*(?:/|-)?\s*(?P<y>\d{4})\b)?")
_WEEK = re.compile(r"\b(?:(?:trong|truoc\s+cuoi|cuoi)\s+)?tuan\s+(?P<which>nay|sau|toi)\b")
_RELATIVE = re.compile(r"\b(?:trong|cham\s+nhat|khong\s+qua)\s+(?:vong\s+|thoi\s+han\s+|thoi\s+gian\s+)?"
                       r"(?P<n>\d{1,3})\s+(?P<unit>ngay(?P<wd>\s+lam\s+viec)?|tuan|thang|nam)\b"
                       # "trong 2 ngày 08 và 09/11": the days named after it, a period told, no time allowed
                       r"(?!\s+(?:dau|cuoi|qua|gan\s+day|tiep\s+theo|con\s+lai|\d))")
# "… trong sáng mai (29/9) phải có báo cáo", "trước chiều mai", "trong ngày mai": tomorrow
_TOMORROW = re.compile(r"\b(?:trong|truoc|cham\s+nhat|han|cham\s+nhat\s+la)\s+(?:buoi\s+)?(?:sang|chieu|ngay)\s+(?:ngay\s+)?mai\b")
# "hoàn thành trước 10 giờ": a time of day with no day after it is today's
_HOUR = re.compile(r"\b(?:truoc|cham\s+nhat|muon\s+nhat|han)\s+(?P<h>\d{1,2})\s*(?:gio|h)(?:\s*\d{2})?\b"
                   r"(?!\s*(?:\d|phut|'|’|′)|\s*,?\s*(?:ngay|mai|hom|thu|sang\s+mai|chieu\s+mai|toi\s+mai|dem|nay"
                   r"|cung\s+ngay)\b)")  # "trước 12 giờ cùng ngày": the day named before, not today
_TET = re.compile(r"\b(?:truoc|den|truoc\s+dip)\s+tet(?P<solar>\s+duong\s+lich)?(?:\s+nguyen\s+dan)?\b")
_WEEKDAYS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5, "2": 0, "3": 1, "4": 2, "5": 3,
             "6": 4, "7": 5}
_WEEKDAY = r"(?:thu\s+(?P<wd>hai|ba|tu|nam|sau|bay|[2-7])|(?P<sun>chu\s+nhat))"
_EVERY = r"(?:hang|moi)"
_PERIODIC = r"(?:dinh\s+ky\s+)?"
_RECUR_MONTH_DAY = re.compile(r"\b" + _PERIODIC + r"(?:(?:truoc|han|cham\s+nhat|vao)\s+)?(?:ngay\s+)?(?P<d>\d{1,2})\s+"
                              + _EVERY + r"\s+thang\b")
_RECUR_QUARTER_DAY = re.compile(r"\b" + _PERIODIC + r"(?:(?:truoc|han|cham\s+nhat|vao)\s+)?(?:ngay\s+)?(?P<d>\d{1,2})"
                                r"\s+(?:cua\s+)?thang\s+cuoi\s+(?:cua\s+)?(?:moi\s+|hang\s+)?quy\b")
_RECUR_WEEKDAY = re.compile(r"\b(?:(?:truoc|vao|han)\s+)?" + _WEEKDAY + r"\s+" + _EVERY + r"\s+tuan\b")
_RECUR_WEEK_ON = re.compile(r"\b" + _EVERY + r"\s+tuan\s+(?:vao\s+|truoc\s+)?(?:ngay\s+)?" + _WEEKDAY + r"\b")
# "mỗi năm, mỗi vụ, mỗi xã phải …": «mỗi» repeated over a list distributes the task, it sets no schedule
_RECUR_PLAIN = re.compile(r"\b" + _PERIODIC + _EVERY + r"\s+(?P<per>tuan|thang|quy|nam)\b(?!\s*,\s*moi\b)")
_PERIODS = {"tuan": "weekly", "thang": "monthly", "quy": "quarterly", "nam": "yearly"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


# "… đề xuất họp Ban Chỉ đạo định kỳ hằng tháng để nghe báo cáo …": the schedule of a meeting, not of the task
_MEETS_EVERY = re.compile(r"(?<!tong\s)(?<!phoi\s)(?<!phu\s)(?<!ket\s)(?<!thich\s)(?<!hon\s)(?<!tich\s)\b(?:hop|giao\s+ban)\b"
                          r"(?!\s+(?:tac|dong|le|nhat|ly|phap|thanh))(?:\s+[^\W\d]+){0,4}\s*$")


# "… không để xảy ra tình trạng chậm đóng, đóng không đủ hằng tháng": what must not happen every month, no schedule
_NOT_LET = re.compile(r"\bkhong\s+de\b[^.;]*$")


def find_deadline(folded: str, start: int, end: int, today: date, calendar: WorkingCalendar) -> Deadline | None:
    """The deadline that folded[start:end] sets, or None. With several phrases the last one wins
    (a later "báo cáo trước …" closes the task); a recurrence wins over a one-off date."""
    ctx = _Context(today, calendar)
    found: list[Deadline] = []
    for pattern, read in _ONE_OFF:
        for m in pattern.finditer(folded, start, end):
            if _lasts_until(folded, m.start(), start) or _REMAINING.search(folded, max(start, m.start() - 12), m.start()):
                continue  # "… những tháng còn lại trong năm 2023": the time left, not a deadline
            if folded.startswith("den", m.start()) and _AS_OF.search(folded, max(start, m.start() - 30), m.start()) \
                    and not _PROVINCE.search(
                    folded, max(start, m.start() - 30), m.start()):
                continue  # "số liệu tính đến ngày 30/6": the day figures are counted at, not a deadline
            if (folded.startswith("den", m.start()) or folded.startswith("trong", m.start()) and " ngay " in m.group()) \
                    and _OPENS_SENTENCE.search(folded, max(0, m.start() - 4), m.start()):
                # "Đến ngày 1-8-2016, huyện Tiền Hải đã hỗ trợ …": where things stood on a day; "Trong chiều ngày 20/11,
                # Chủ tịch UBND tỉnh đã kiểm tra …": when it happened ("Trong tháng 9, UBND tỉnh đề nghị …" still sets one)
                continue
            if _OCCASION.search(folded, max(start, m.start() - 40), m.start()) and not _DUE_BY.match(folded, m.start()):
                continue  # "hàng hóa bình ổn thị trường dịp cuối năm", "tăng trưởng hai con số trong năm 2026": no deadline
            if _GONE_BY.match(folded, m.end()):
                continue  # "trong tháng 10 vừa qua, số hồ sơ trễ hạn …": a period past, told as background
            found.append(read(m, ctx))
    found = _outermost(found)
    recurring = _outermost([_read_recurrence(m, ctx, kind) for kind, pattern in _RECURRING
                            for m in pattern.finditer(folded, start, end)
                            if not _MEETS_EVERY.search(folded, max(start, m.start() - 40), m.start())
                            and not _NOT_LET.search(folded, max(start, m.start() - 80), m.start())])
    if recurring:
        dated = [r for r in recurring if r.day is not None and not r.problem]
        if dated and len(recurring) > 1:
            # "định kỳ hằng tháng báo cáo … trước ngày 28 hằng tháng": one recurrence said twice, the dated
            # phrase gives the day, and every phrase of it leaves the content.
            rec = dated[-1]
            same = [r for r in recurring if r.recurrence == rec.recurrence]
            return Deadline(rec.day, min(r.start for r in same), max(r.end for r in same), rec.recurrence,
                            pieces=tuple(sorted((r.start, r.end) for r in same)))
        rec = recurring[0]
        if rec.day is None or rec.problem:  # no day in the recurrence itself: take it from a date phrase
            day_phrase = next((d for d in found if d.day is not None), None)
            yearly = [r for r in recurring if r.recurrence == "yearly"]
            said = next((d for d in found for r in yearly if d.day is not None and 0 <= r.start - d.end <= 8), None)
            if rec.recurrence == "yearly" and said is not None and said.day:
                # "báo cáo … trước ngày 15/12 hằng năm": the year's day is the one the date phrase right before names
                pieces = tuple(sorted([(r.start, r.end) for r in yearly] + [(said.start, said.end)]))
                return Deadline(said.day, min(p[0] for p in pieces), max(p[1] for p in pieces), "yearly", pieces=pieces)
            if day_phrase and day_phrase.day and rec.recurrence == "monthly":
                pieces = tuple(sorted(((rec.start, rec.end), (day_phrase.start, day_phrase.end))))
                return Deadline(_next_monthly(day_phrase.day.day, today), min(rec.start, day_phrase.start),
                                max(rec.end, day_phrase.end), "monthly", pieces=pieces)
            return Deadline(_period_end(rec.recurrence or "", today), rec.start, rec.end, rec.recurrence)
        return rec
    strong = [d for d in found if not d.weak]
    if not found:
        return None
    chosen = (strong or found)[-1]
    others = tuple(dict.fromkeys(d.day for d in strong if d.day is not None and d.day != chosen.day))
    return replace(chosen, alternatives=others) if others and chosen.day is not None else chosen


_OCCASION = re.compile(r"\bdip\s+$|\btang\s+truong\b[^.;,]{0,30}$")
_DUE_BY = re.compile(r"(?:truoc|cham\s+nhat|han|den\s+ngay)\b")  # "… kịch bản tăng trưởng gửi UBND tỉnh trước ngày …" is due
_GONE_BY = re.compile(r"\s*(?:vua\s+qua|vua\s+roi)\b")
_REMAINING = re.compile(r"\bcon\s+lai\s*$")
_OPENS_SENTENCE = re.compile(r"(?:^|[.;:!?\n])\s*$")
_AS_OF = re.compile(r"\btinh\s+$")  # "tính đến ngày …" (folded "tinh" is also "tỉnh": see _PROVINCE)
_PROVINCE = re.compile(r"\b(?:ubnd|nhan\s+dan|cap|toan|trong|ngoai|cua|va|tai|ve)\s+tinh\s+$")
_UNTIL = re.compile(r"(?:den\s+het|cho\s+den|den\s+ngay)\b")
_DONE_BY = re.compile(r"\b(?:hoan\s+thanh|xong|nop|gui|bao\s+cao|trinh)\b[^.;]{0,25}$")
_MEASURE = re.compile(r"\b(?:tu\s+(?:ngay|nay|\d)|ap\s+dung|keo\s+dai|duy\s+tri|tam\s+(?:dung|ngung|hoan)|gian\s+cach"
                      r"|phong\s+toa|cach\s+ly|hop\s+dong|cam\b|dong\s+cua|nghi\b|hieu\s+luc|trien\s+khai\s+thuc\s+hien)[^.;]*$")


def _lasts_until(folded: str, at: int, start: int) -> bool:
    """"(từ ngày 30/4) đến hết ngày 03/5", "áp dụng giãn cách đến hết ngày 1/8": how long a measure lasts, not a
    deadline; "hoàn thành … đến hết ngày 15/8" still sets one, and so does a task with no measure before it ("rà
    soát hồ sơ đến hết tháng")."""
    if not _UNTIL.match(folded, at) and not (folded.startswith("den ", at) and folded[max(0, at - 4):at] == "cho "):
        return False  # ("từ nay cho đến Tết …": the phrase found begins at "đến")
    if _DONE_BY.search(folded, max(start, at - 40), at):
        return False
    return _MEASURE.search(folded, max(start, at - 120), at) is not None


def _outermost(found: list[Deadline]) -> list[Deadline]:
    """Drop phrases that lie inside a longer one ("trước ngày 25" inside "trước ngày 25/12")."""
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[Deadline] = []
    for d in found:
        if kept and d.start < kept[-1].end:
            continue
        kept.append(d)
    return kept


def _checked(day: date | None, m: re.Match[str], ctx: _Context, explicit_year: bool) -> Deadline:
    if day is None:
        return Deadline(None, m.start(), m.end(), problem="impossible_date")
    problem = "deadline_in_past" if explicit_year and day < ctx.today else None
    return Deadline(day, m.start(), m.end(), problem=problem)


def _day_month(m: re.Match[str], ctx: _Context) -> Deadline:
    d, mo, y = int(m["d"]), int(m["m"]), m["y"] or (m.groupdict().get("y2"))
    if y:
        year = int(y) + (2000 if len(y) == 2 else 0)
        return _checked(_safe_date(year, mo, d), m, ctx, explicit_year=True)
    this_year = _safe_date(ctx.today.year, mo, d)
    if this_year is not None and timedelta(0) < ctx.today - this_year <= _LATELY:
        # "… trước ngày 22-7" in a text of 26 July: this year's day just gone (a late copy, a slip), asked, not next year's
        return Deadline(this_year, m.start(), m.end(), problem="deadline_in_past")
    return _checked(_next_date(d, mo, ctx.today), m, ctx, explicit_year=False)


# A day and month without a year, this long before the message at most, is this year's, gone by; longer, next year's.
_LATELY = timedelta(days=45)


def _day_only(m: re.Match[str], ctx: _Context) -> Deadline:
    return _checked(_next_monthly(int(m["d"]), ctx.today), m, ctx, explicit_year=False)


def _month_end(m: re.Match[str], ctx: _Context) -> Deadline:
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        return _checked(None, m, ctx, False)
    year = int(m["y"]) if m["y"] else _year_of_coming(mo, ctx.today)
    found = _checked(end_of_month(year, mo), m, ctx, explicit_year=bool(m["y"]))
    if m["m0"] and 1 <= int(m["m0"]) < mo <= int(m["m0"]) + 2 and found.day is not None:
        found = replace(found, alternatives=(end_of_month(year, int(m["m0"])),))
    return found


def _month_before(m: re.Match[str], ctx: _Context) -> Deadline:
    mo = int(m["m"])
    if not 1 <= mo <= 12:
        return _checked(None, m, ctx, False)
    year = int(m["y"]) if m["y"] else _year_of_coming(mo, ctx.today)
    return _checked(date(year, mo, 1) - timedelta(days=1), m, ctx, explicit_year=bool(m["y"]))


def _month_named(m: re.Match[str], ctx: _Context) -> Deadline:
    year, mo = ctx.today.year, ctx.today.month
    if m["which"] in ("sau", "toi"):
        year, mo = (year + 1, 1) if mo == 12 else (year, mo + 1)
    return _checked(end_of_month(year, mo), m, ctx, False)


def _quarter_end(m: re.Match[str], ctx: _Context) -> Deadline:
    q = _ROMAN.get(m["q"]) or int(m["q"])
    year = int(m["y"]) if m["y"] else ctx.today.year + (q < (ctx.today.month + 2) // 3)
    return _checked(end_of_quarter(year, q), m, ctx, explicit_year=bool(m["y"]))


def _quarter_named(m: re.Match[str], ctx: _Context) -> Deadline:
    year, q = ctx.today.year, (ctx.today.month + 2) // 3
    if m["which"] in ("sau", "toi"):
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return _checked(end_of_quarter(year, q), m, ctx, False)


def _year_end(m: re.Match[str], ctx: _Context) -> Deadline:
    y = m["y"]
    year = int(y) if y.isdigit() else ctx.today.year + (y != "nay")
    return _checked(date(year, 12, 31), m, ctx, explicit_year=y.isdigit())


def _half_year(m: re.Match[str], ctx: _Context) -> Deadline:
    """"trong 6 tháng đầu năm 2027" ends on 30 June, "6 tháng cuối năm" on 31 December: of the year named,
    else of the first such half not yet over."""
    month = 6 if m["half"] == "dau" else 12
    year = int(m["y"]) if m["y"] else ctx.today.year + (ctx.today.month > month)
    return replace(_checked(date(year, month, 30 if month == 6 else 31), m, ctx, explicit_year=bool(m["y"])),
                   weak=True)


def _week(m: re.Match[str], ctx: _Context) -> Deadline:
    weeks = 0 if m["which"] == "nay" else 1
    return _checked(friday_of_week(ctx.today) + timedelta(weeks=weeks), m, ctx, False)


def _relative(m: re.Match[str], ctx: _Context) -> Deadline:
    n, unit = int(m["n"]), m["unit"]
    if m["wd"]:
        day = ctx.calendar.add_working_days(ctx.today, n)
    elif unit == "tuan":
        day = ctx.today + timedelta(weeks=n)
    elif unit in ("thang", "nam"):
        day = _add_months(ctx.today, n * (12 if unit == "nam" else 1))
    else:
        day = ctx.today + timedelta(days=n)
    return _checked(day, m, ctx, False)


def _tet(m: re.Match[str], ctx: _Context) -> Deadline:
    if m["solar"]:
        return _checked(date(ctx.today.year, 12, 31), m, ctx, False)
    new_year = ctx.calendar.lunar_new_year(ctx.today.year)
    if new_year <= ctx.today:
        new_year = ctx.calendar.lunar_new_year(ctx.today.year + 1)
    return _checked(new_year - timedelta(days=1), m, ctx, False)


def _hour(m: re.Match[str], ctx: _Context) -> Deadline:
    if int(m["h"]) > 23:
        return Deadline(None, m.start(), m.end(), problem="impossible_date")
    return Deadline(ctx.today, m.start(), m.end())


_ONE_OFF: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], _Context], Deadline]], ...] = (
    (_NUM_DATE, _day_month), (_WORD_DATE, _day_month), (_DAY_ONLY, _day_only),
    (_MONTH_END, _month_end), (_MONTH_BEFORE, _month_before), (_MONTH_NAMED, _month_named),
    (_QUARTER_END, _quarter_end), (_QUARTER_NAMED, _quarter_named), (_YEAR_END, _year_end),
    (_HALF_YEAR, _half_year), (_WEEK, _week), (_RELATIVE, _relative), (_TET, _tet),
    (_HOUR, lambda m, ctx: _hour(m, ctx)),
    (_TOMORROW, lambda m, ctx: Deadline(ctx.today + timedelta(days=1), m.start(), m.end())),
)
_RECURRING = (("month_day", _RECUR_MONTH_DAY), ("quarter_day", _RECUR_QUARTER_DAY), ("weekday", _RECUR_WEEKDAY),
              ("weekday", _RECUR_WEEK_ON), ("plain", _RECUR_PLAIN))


def _read_recurrence(m: re.Match[str], ctx: _Context, kind: str) -> Deadline:
    if kind == "month_day":
        day = _next_monthly(int(m["d"]), ctx.today)
        return Deadline(day, m.start(), m.end(), "monthly", None if day else "impossible_date")
    if kind == "quarter_day":
        day = _next_quarterly(int(m["d"]), ctx.today)
        return Deadline(day, m.start(), m.end(), "quarterly", None if day else "impossible_date")
    if kind == "weekday":
        weekday = 6 if m["sun"] else _WEEKDAYS[m["wd"]]
        day = ctx.today + timedelta(days=(weekday - ctx.today.weekday()) % 7)
        return Deadline(day, m.start(), m.end(), "weekly")
    return Deadline(None, m.start(), m.end(), _PERIODS[m["per"]])


def _next_quarterly(day: int, today: date) -> date | None:
    """The next date with this day of the month in a quarter's last month, on or after today."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, ((today.month + 2) // 3) * 3
    for _ in range(5):
        found = _safe_date(year, month, day) or end_of_month(year, month)
        if found >= today:
            return found
        year, month = (year + 1, 3) if month == 12 else (year, month + 3)
    return None


def _period_end(recurrence: str, today: date) -> date:
    """First occurrence of a recurring task that names no day: the end of the current period."""
    if recurrence == "weekly":
        friday = friday_of_week(today)
        return friday if friday >= today else friday + timedelta(weeks=1)
    if recurrence == "quarterly":
        return end_of_quarter(today.year, (today.month + 2) // 3)
    if recurrence == "yearly":
        return date(today.year, 12, 31)
    return end_of_month(today.year, today.month)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_date(day: int, month: int, today: date) -> date | None:
    """The next day/month on or after today (29/02 waits for a leap year); None if it never exists."""
    for year in range(today.year, today.year + 9):
        found = _safe_date(year, month, day)
        if found and found >= today:
            return found
    return None


def _next_monthly(day: int, today: date) -> date | None:
    """The next date with this day of the month on or after today."""
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(13):
        found = _safe_date(year, month, day)
        if found and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _year_of_coming(month: int, today: date) -> int:
    return today.year if month >= today.month else today.year + 1


def _add_months(day: date, n: int) -> date:
    total = day.month - 1 + n
    year, month = day.year + total // 12, total % 12 + 1
    return min(date(year, month, 1) + timedelta(days=day.day - 1), end_of_month(year, month))
