"""Report use cases: the figures (bot/reports/numbers.py, the one written rule) and the files made of them.
Any registered person may read reports; the admin CLI (actor None) may too. The figures are async
database I/O; the workbook, chart and Word file are CPU work and run in a worker thread, so other chat
updates never wait behind them."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.deadlines import local_date
from bot.domain.periods import compact_period, period_range
from bot.domain.text import clean_for_message
from bot.errors import DomainError
from bot.parsing.normalise import Analysed
from bot.parsing.queries import read_period
from bot.reports import counts, numbers
from bot.reports.listing import listing
from bot.runtime import Runtime
from bot.services.common import load_actor
from bot.services.units import catalog
from storage import tallies
from storage.models import Event

REPORT_CACHE, REPORTS_KEPT = "reports", 16
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "png": "image/png",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclass(frozen=True)
class ReportFile:
    name: str
    data: bytes
    mime: str


def scope_for(rt: Runtime, *, now: datetime, period: str | None = None, unit_code: str | None = None,
              as_of: date | None = None) -> counts.Scope:
    """The scope a request names; the period defaults to the current month."""
    today = local_date(now, rt.settings.tz)
    period = (period or f"{today:%Y-%m}").strip()
    start, end = period_range(period, today)
    return counts.make_scope(start, end, today, as_of, unit_code, compact_period(period, today))


async def read_request(rt: Runtime, words: str, *, now: datetime) -> tuple[str | None, str | None]:
    """(unit code, period) from `/thongke`'s words in any order: a period typed compactly (2026-11, 11/2026,
    T11, 2026-q4) or in words (quý 4, từ 1/10 đến 15/11/2026), and a unit's code or name, read as chat
    questions read them. What is neither is refused, named as typed, never dropped."""
    msg = Analysed.of(words)
    reading = read_period(msg, local_date(now, rt.settings.tz))
    start, end = reading.span or (0, 0)
    if reading.unread:
        raise DomainError("period.unread", period=clean_for_message(msg.text[start:end], 40))
    rest = f"{msg.text[:start]} {msg.text[end:]}".strip()
    if not rest:
        return None, reading.period
    index = (await catalog(rt)).index
    code = index.resolve(rest) or (rest.upper() if rest.upper() in index.units else None)
    if code is None or code.startswith("#"):
        # Unit names carry no digits save a few ("Phường 1", tried above): words with digits are a period.
        if unread := " ".join(w for w in rest.split() if any(ch.isdigit() for ch in w)):
            raise DomainError("period.unread", period=clean_for_message(unread, 40))
        raise DomainError("unit.unknown", code=clean_for_message(rest, 40))
    return code, reading.period


async def report(rt: Runtime, actor_id: int | None, scope: counts.Scope, *, leaders: bool = True,
                 overdue: bool = True) -> counts.Report:
    """The report's figures; `overdue=False`: without the overdue list (the API's table shows none)."""
    async with rt.sessions() as session:
        if actor_id is not None:
            await load_actor(session, actor_id)
        return await _figures(rt, session, scope, leaders, overdue)


async def _figures(rt: Runtime, session: AsyncSession, scope: counts.Scope, leaders: bool,
                   overdue: bool = True) -> counts.Report:
    """The report's figures, computed once for the state the event log is in: the summary and its chart,
    Excel and Word buttons ask for the same numbers, and any change to a directive writes an event (so a
    new event id means new figures). A report with the leaders' rows (or the overdue list) serves one
    without them."""
    version = await session.scalar(select(func.max(Event.id))) or 0
    cache: OrderedDict[tuple[object, ...], Any] = rt.cache.setdefault(REPORT_CACHE, OrderedDict())
    wanted = [(version, scope, with_leaders, with_overdue) for with_leaders in {True, leaders}
              for with_overdue in {True, overdue}]
    for key in wanted:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    figures = await numbers.compute(session, scope, leaders=leaders, overdue=overdue)
    cache[(version, scope, leaders, overdue)] = figures
    while len(cache) > REPORTS_KEPT:
        cache.popitem(last=False)
    return figures


async def rates(rt: Runtime, scope: counts.Scope) -> counts.Rates:
    """The on-time rates of `report`'s figures alone (the dashboard's period before), kept like the figures
    until the event log moves; a report of the scope already kept serves them."""
    async with rt.sessions() as session:
        version = await session.scalar(select(func.max(Event.id))) or 0
        cache: OrderedDict[tuple[object, ...], Any] = rt.cache.setdefault(REPORT_CACHE, OrderedDict())
        for key in [(version, scope, "rates", None)] + [(version, scope, leaders, overdue)
                                                         for leaders in (True, False) for overdue in (True, False)]:
            if key in cache:
                cache.move_to_end(key)
                found = cache[key]
                if isinstance(found, counts.Rates):
                    return found
                return counts.Rates(scope, found.total.rate, {u.code: u.lead.rate for u in found.units})
        found = await numbers.rates(session, scope)
    cache[(version, scope, "rates", None)] = found
    while len(cache) > REPORTS_KEPT:
        cache.popitem(last=False)
    return found


def file_name(scope: counts.Scope, fmt: str) -> str:
    unit = f"_{scope.unit_code}" if scope.unit_code else ""
    return f"bao-cao_{scope.start:%Y%m%d}-{scope.end:%Y%m%d}{unit}_den-{scope.as_of:%Y%m%d}.{fmt}"


async def report_file(rt: Runtime, actor_id: int | None, scope: counts.Scope, fmt: str, lang: str,
                      *, now: datetime, figures: counts.Report | None = None) -> ReportFile:
    """One report file: xlsx (with the directive list), png or docx."""
    if fmt not in FORMATS:
        raise DomainError("action.stale")
    async with rt.sessions() as session:
        if actor_id is not None:
            await load_actor(session, actor_id)
        figures = figures or await _figures(rt, session, scope, True)
        if fmt == "xlsx":
            rows = await listing(session, scope)
    # openpyxl, matplotlib and python-docx load when a file is first asked for, not at start-up.
    if fmt == "xlsx":
        from bot.reports.excel import workbook

        data = await asyncio.to_thread(workbook, figures, rows, lang)
    elif fmt == "png":
        from bot.reports.chart import chart

        data = await asyncio.to_thread(chart, figures, lang)
    else:
        from bot.reports.word import report_docx

        data = await asyncio.to_thread(report_docx, figures, lang, rt.settings.document_names(),
                                       local_date(now, rt.settings.tz))
    return ReportFile(file_name(scope, fmt), data, FORMATS[fmt])


async def merge_tallies(rt: Runtime, _now: datetime) -> int:
    """The daily merge of the report tallies' rows (storage/tallies.py), so a year's figures read one row
    per unit, class and month however many changes were made."""
    async with rt.transaction() as session:
        return await session.run_sync(lambda s: tallies.compact(s.connection()))
