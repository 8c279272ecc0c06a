"""One date reader for every prompt that asks for a day: the same phrases a directive's deadline may be
written in ("30/6/2027", "30-6", "30 tháng 6 năm 2027", "cuối tháng 12", "trong 10 ngày làm việc",
"tuần sau"), resolved against the office's day."""

from __future__ import annotations

from datetime import date

from bot.domain.calendar import WorkingCalendar
from bot.errors import DomainError
from bot.parsing.deadlines import find_deadline
from bot.parsing.normalise import clean_text, fold_same_length

MAX_DATE_CHARS = 80


def read_date(text: str, today: date, calendar: WorkingCalendar) -> date:
    """The day `text` names, or DomainError('deadline.unreadable' | 'deadline.impossible'). A past day is
    returned as read: whether it may be used is the caller's rule."""
    shown = " ".join(text.split())[:40]
    folded = fold_same_length(clean_text(text)).strip()
    if not folded or len(folded) > MAX_DATE_CHARS:
        raise DomainError("deadline.unreadable", text=shown)
    # A bare date is what a deadline phrase would introduce: read it as if it followed "hạn".
    probe = "han " + folded
    found = find_deadline(probe, 0, len(probe), today, calendar)
    if found is None or found.recurrence is not None:
        raise DomainError("deadline.unreadable", text=shown)
    if found.day is None or found.problem == "impossible_date":
        raise DomainError("deadline.impossible", text=shown)
    return found.day
