"""The one entry point: what a chat message means (directives, a query, or neither)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar
from bot.domain.units import Unit, UnitGroup
from bot.parsing.dates import stated_date
from bot.parsing.directives import parse_directives
from bot.parsing.english import looks_english, read_english_query
from bot.parsing.mood import read_mood
from bot.parsing.normalise import Analysed, is_blank
from bot.parsing.queries import read_query
from bot.parsing.result import (
    REASON_EMPTY,
    REASON_NOT_UNDERSTOOD,
    REASON_TOO_LONG,
    DraftDirective,
    ParseResult,
    Query,
)
from bot.parsing.signoff import sign_off
from bot.parsing.unit_index import UnitIndex

# Telegram's own limit for one message; longer text is a pasted document, which has its own import.
MAX_MESSAGE_CHARS = 4096
OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def office_day(at: datetime) -> date:
    """The office's calendar day at `at`; a naive time is taken as office time."""
    return (at.astimezone(OFFICE_TZ) if at.tzinfo else at.replace(tzinfo=OFFICE_TZ)).date()


def _dated(drafts: list[DraftDirective], text: str, today: date) -> list[DraftDirective]:
    """A pasted notice that states its date gives it to the drafts read from it («Ngày văn bản»)."""
    source = drafts[0].source
    day = stated_date(text, source, today) if source and not drafts[0].source_date else None
    if day is None:
        return drafts
    return [replace(d, source_date=day) if d.source == source and d.source_date is None else d for d in drafts]


def _either(drafts: list[DraftDirective], query: Query) -> ParseResult:
    """A message that reads as directives and as a question: both, for the person to choose."""
    return ParseResult("directives", directives=tuple(drafts), query=query)


def parse_message(text: str, *, at: datetime, units: list[Unit] | None = None,
                  groups: list[UnitGroup] | None = None, calendar: WorkingCalendar,
                  index: UnitIndex | None = None) -> ParseResult:
    """Understand one message sent at `at`. Pass a prebuilt `index` to skip rebuilding it from
    `units` and `groups`. Never raises for any text: what cannot be used comes back with a reason."""
    if len(text) > MAX_MESSAGE_CHARS:
        return ParseResult.unknown(REASON_TOO_LONG)
    if is_blank(text):
        return ParseResult.unknown(REASON_EMPTY)
    msg = Analysed.of(text)
    if not msg.text:
        return ParseResult.unknown(REASON_NOT_UNDERSTOOD)
    if index is None:
        index = UnitIndex(units or [], groups or [])
    today = office_day(at)
    if looks_english(msg):
        english = read_english_query(msg, index, today)
        if english:
            return ParseResult("query", query=english)
    mood = read_mood(msg)
    question = read_query(msg, index, today, mood)
    drafts: list[DraftDirective] | None = None
    if mood.commanded:  # «Giao …», «Yêu cầu …», «Đề nghị …»: an instruction, unless it is put as a question too
        drafts = parse_directives(msg, index, today, calendar)
        if drafts and question and question.asked and not any(d.deadline_phrase for d in drafts):
            return _either(drafts, question.query)
    if question and question.asked and not drafts:
        return ParseResult("query", query=question.query)
    if msg.text.rstrip().endswith("?") and not drafts:  # a question we cannot read is never a directive to assign
        return ParseResult.unknown(REASON_NOT_UNDERSTOOD)
    if drafts is None:
        drafts = parse_directives(msg, index, today, calendar)
    deadline = any(d.deadline_phrase for d in drafts)
    # «Sở Y tế báo cáo tình hình thực hiện nhiệm vụ»: a unit told to report on how its work goes, or a question
    # about its work; no command, no deadline, no interrogative tells which.
    if (question and mood.progress and not (deadline or mood.commanded or mood.roles)
            and any(d.lead for d in drafts)):
        return _either(drafts, question.query)
    # "so y te qua han" reads as "Sở Y tế: quá hạn" with no deadline: a question typed tersely.
    if question and question.only_query_words and not deadline and not mood.commanded:
        return ParseResult("query", query=question.query)
    if drafts:
        if (leader := sign_off(msg.text)) is not None:  # a pasted notice's sign-off: who directed it
            drafts = [replace(d, leader=d.leader or leader) for d in drafts]
        return ParseResult("directives", directives=tuple(_dated(drafts, text, today)))
    if question and (mood.chat or question.asked):
        return ParseResult("query", query=question.query)
    # a pasted text (several lines, or long) in which no task was found is not a question for the statistics
    # because it names a unit and a month ("… giao UBND thành phố X … trong tháng 12/2023")
    return ParseResult.unknown(REASON_NOT_UNDERSTOOD)
