"""The read-only JSON API for the province's other systems (the operations centre, the document system):
the same figures and lists the pages show, behind per-client tokens (`python -m bot api-token`), scoped
like a viewer. Documented by OpenAPI at /api/v1/openapi.json (no documentation UI: it would load from a
CDN)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from bot.errors import DomainError
from bot.reports.counts import Counts
from bot.services import queries, reports, web_auth, web_views
from web.context import now, state

router = APIRouter(prefix="/api/v1", tags=["read-only"])
bearer = HTTPBearer(auto_error=False, description="A token from `python -m bot api-token --name NAME`.")
OPENAPI_PATH = "/api/v1/openapi.json"


async def client(request: Request,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
    name = await web_auth.api_client(state(request).rt, credentials.credentials if credentials else None)
    if name is None:
        raise DomainError("api.unauthorized")
    return name


Client = Annotated[str, Depends(client)]


class Figures(BaseModel):
    unit: str | None = None
    name: str
    total: int
    carried_over: int
    new: int
    done_on_time: int
    done_late: int
    open_on_time: int
    open_late: int
    standing: int
    on_time_rate: float | None  # percent, 0–100, one decimal; null when nothing was due


class ReportOut(BaseModel):
    period: str
    as_of: date
    rows: list[Figures]
    total: Figures


def figures(code: str | None, name: str, c: Counts) -> Figures:
    """A row as the Excel workbook's first sheet writes it (bot/reports/excel.py)."""
    return Figures(unit=code, name=name, total=c.total, carried_over=c.carried, new=c.new,
                   done_on_time=c.done_on_time, done_late=c.done_late, open_on_time=c.on_time, open_late=c.overdue,
                   standing=c.standing, on_time_rate=None if c.rate is None else round(c.rate * 100, 1))


@router.get("/report", response_model=ReportOut)
async def report(request: Request, _client: Client, period: str | None = None, unit: str | None = None, as_of: date | None = None) -> ReportOut:
    """The report of a period (2026-10, 2026-Q4, 2026-H2, 2026 or 2026-10-01..2026-10-15; default the current
    month), optionally of one lead unit, judged as of a day (default the period's end, or today)."""
    rt = state(request).rt
    scope = reports.scope_for(rt, now=now(request), period=period, unit_code=unit, as_of=as_of)
    found = await reports.report(rt, None, scope, leaders=False, overdue=False)
    rows = [figures(u.code, u.name, u.lead) for u in found.units if u.lead.total or u.lead.cancelled]
    return ReportOut(period=scope.period or "", as_of=scope.as_of, rows=rows,
                     total=figures(scope.unit_code, found.unit_name or "", found.total))


class DirectivePage(BaseModel):
    period: str
    as_of: date
    items: list[dict[str, Any]]
    next_after: int | None


@router.get("/directives", response_model=DirectivePage)
async def directives(request: Request, _client: Client, unit: str | None = None, role: str = "lead",
                     class_: Annotated[str | None, Query(alias="class")] = None, leader: str | None = None,
                     q: str | None = None, period: str | None = None, as_of: date | None = None,
                     after: int | None = None, limit: Annotated[int, Query(ge=1, le=web_views.MAX_PAGE)] = web_views.PAGE) -> DirectivePage:
    """The directives of a report's scope (default the current month: everything still open is in it),
    newest first, filtered like the dashboard's list; `class` is one of done_on_time, done_late,
    open_on_time, open_late, awaiting, standing, cancelled. The next page: `after=next_after`."""
    rt = state(request).rt
    scope = reports.scope_for(rt, now=now(request), period=period, as_of=as_of)
    wanted = web_views.ListFilter(unit_code=unit, role=role, leader=leader, cls=class_, text=q)
    page = await web_views.directive_list(rt, None, scope, wanted, now=now(request), after=after, limit=limit)
    items = [{"code": i.code, "content": i.content, "class": i.cls, "lead": list(i.lead), "support": list(i.support),
              "leader": i.leader, "assigned_on": i.assigned_on, "deadline": i.deadline, "due_on": i.due_on,
              "completed_on": i.completed_on, "days_late": i.days_late} for i in page.items]
    return DirectivePage(period=scope.period or "", as_of=scope.as_of, items=items, next_after=page.next_after)


class UnitPartOut(BaseModel):
    code: str
    name: str
    role: str
    acknowledged: bool
    reported_done: bool


class HistoryOut(BaseModel):
    at: str
    kind: str
    actor: str | None
    unit: str | None


class DirectiveOut(BaseModel):
    code: str
    content: str
    state: str
    status: str
    days_late: int
    deadline: date | None
    due_on: date | None
    original_deadline: date | None
    source_number: str | None
    source_date: date | None
    leader: str | None
    completed_on: date | None
    units: list[UnitPartOut]
    history: list[HistoryOut]
    files: list[str]


@router.get("/directives/{code}", response_model=DirectiveOut)
async def directive(request: Request, code: str, _client: Client) -> DirectiveOut:
    """One directive's card and history, as a viewer reads it (no drafts)."""
    rt = state(request).rt
    card = await queries.card(rt, None, code, now=now(request))
    history = await queries.history(rt, None, card.code)
    return DirectiveOut(
        code=card.code, content=card.content, state=card.state.value, status=card.status.status.value,
        days_late=card.status.days_late, deadline=card.deadline, due_on=card.due_on,
        original_deadline=card.original_deadline, source_number=card.source_number, source_date=card.source_date,
        leader=card.leader, completed_on=card.completed_on,
        units=[UnitPartOut(code=p.code, name=p.name, role=p.role, acknowledged=p.acknowledged,
                           reported_done=p.reported_done) for p in card.parts],
        history=[HistoryOut(at=e.at.isoformat(), kind=e.kind, actor=e.actor, unit=e.unit) for e in history],
        files=[f.name or f.kind for f in card.files],
    )


def install_openapi(app: FastAPI) -> None:
    """The API's OpenAPI document (the pages are left out of it)."""

    @app.get(OPENAPI_PATH, include_in_schema=False)
    async def openapi() -> JSONResponse:
        if app.openapi_schema is None:
            app.openapi_schema = get_openapi(title=app.title, version=app.version, routes=router.routes,
                                             description=__doc__)
        return JSONResponse(app.openapi_schema)
