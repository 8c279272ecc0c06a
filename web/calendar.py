"""A person's deadlines as an iCalendar feed (RFC 5545) at a secret URL, so they appear in the calendar
people already use: all-day events on the day each deadline ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.errors import DomainError
from bot.services import web_auth, web_views
from bot.texts import t
from web.context import now, state

router = APIRouter(include_in_schema=False)


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545 §3.1), never inside a character."""
    out: list[str] = []
    current = b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def ical(items: list[web_views.CalendarItem], base_url: str, lang: str, stamp: datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Don Doc//Directives//VI", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(t('web.calendar.name', lang))}",
             "X-WR-TIMEZONE:Asia/Ho_Chi_Minh"]
    for item in items:
        summary = f"{item.code}: {item.content}"
        role = f" ({t(f'unit_role.{item.role}', lang)})" if item.role else ""
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.code}@dondoc",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"LAST-MODIFIED:{item.updated_at.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{item.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due_on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary[:200])}{_escape(role)}",
            f"DESCRIPTION:{_escape(t('web.calendar.event', lang, state=t(f'state.{item.state}', lang), content=item.content[:1000]))}",
            f"URL:{base_url}/d/{item.code}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


@router.get("/calendar/{secret}.ics")
async def feed(request: Request, secret: str) -> Response:
    rt = state(request).rt
    person = await web_auth.calendar_person(rt, secret)
    if person is None:
        raise DomainError("web.calendar_unknown")
    at = now(request)
    items = await web_views.calendar_items(rt, person, now=at)
    body = ical(items, rt.settings.web_url, person.language, at.astimezone(UTC))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="dondoc.ics"'})
