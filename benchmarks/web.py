"""The web app's figures for benchmarks/run.py (issue 19), on the same dataset as the chat's:

- in process (the ASGI app over httpx, no network), p50 and p95 of K runs after a warm-up, at the dataset's
  09:00: the API's report of the last full year (the dashboard's JSON: the table by unit and the chart):
  `web_dashboard`; the dashboard page of that year for a leader (the table, the chart, the previous year's
  rates, the overdue list and the list below): `web_dashboard_page`; each report computed afresh; a filtered
  directive list: the busiest unit's overdue lead work with a word, the same for one assigning leader (API),
  the unit's list page, and its work done late in the last full year (API; read from the report's scope,
  not from the lists' index): the worst is `web_list`; a directive's card page (a different directive each
  run): `web_card`;
- in headless Chromium against the app served by uvicorn on a loopback port: the dashboard's first render
  (navigation start to the load event, the worst of 3 cold loads in a new browser profile):
  `web_first_render_s`; and the page's weight (HTML, CSS, JS, without any user file): `web_page_kb`.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx

from benchmarks.dataset import LEADERS, TZ
from benchmarks.figures import Timing, bench_settings, cast, sample_codes, timed
from bot import heap
from bot.runtime import Runtime
from bot.services import reports, web_auth

WORD = "rà soát"


async def _signed_in(rt: Runtime, http: httpx.AsyncClient, person_id: int, now: datetime) -> str:
    link = await web_auth.create_link(rt, person_id=person_id, now=now)
    answer = await http.post("/auth/link", data={"token": link.url.split("token=", 1)[1]})
    assert answer.status_code == 303, answer.text[:300]
    return http.cookies[web_auth.SESSION_COOKIE]


async def measure_web(url: str, today: date, runs: int, budget: float, *, browser: bool = True) -> dict[str, Any]:
    from web.app import create_app

    rt = Runtime.build(bench_settings(), url)
    now = datetime(today.year, today.month, today.day, 9, tzinfo=TZ).astimezone(UTC)
    found: dict[str, Timing] = {}
    try:
        who = await cast(rt)
        codes = await sample_codes(rt, runs + 1, seed=19)
        year = today.year - 1
        app = create_app(rt, clock=lambda: now)
        heap.settle()  # as the bot does once started (bot/heap.py)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:
            await _signed_in(rt, http, who.leader_id, now)
            token = await web_auth.create_api_client(rt, f"bench-{time.monotonic_ns()}", now=now)
            auth = {"Authorization": f"Bearer {token}"}

            async def get(path: str, **kwargs: Any) -> httpx.Response:
                answer = await http.get(path, **kwargs)
                if answer.status_code != 200:
                    raise RuntimeError(f"GET {path}: {answer.status_code} {answer.text[:300]}")
                return answer

            async def fresh(path: str, **kwargs: Any) -> httpx.Response:
                rt.cache.pop(reports.REPORT_CACHE, None)  # a kept report would measure nothing
                return await get(path, **kwargs)

            async def run(name: str, call: Callable[[int], Awaitable[Any]]) -> None:
                found[name] = await timed(call, runs, budget)
                print(f"    {name:28} p50 {found[name].p50 * 1000:9.2f} ms   p95 {found[name].p95 * 1000:9.2f} ms"
                      f"   ({len(found[name].seconds)} runs)", flush=True)

            unit = who.unit_code
            await run("web.dashboard", lambda _: fresh("/", params={"period": str(year)}))
            await run("web.report_api", lambda _: fresh("/api/v1/report", params={"period": str(year)}, headers=auth))
            await run("web.list_filtered", lambda _: get("/api/v1/directives", headers=auth, params={
                "unit": unit, "class": "open_late", "q": WORD}))
            await run("web.list_leader", lambda _: get("/api/v1/directives", headers=auth, params={
                "unit": unit, "class": "open_late", "leader": LEADERS[0]}))
            await run("web.list_page", lambda _: get("/lists/overdue", params={"unit": unit}))
            await run("web.list_year", lambda _: get("/api/v1/directives", headers=auth, params={
                "unit": unit, "class": "done_late", "period": str(year)}))
            await run("web.card", lambda n: get(f"/d/{codes[n]}"))
            page = await fresh("/", params={"period": str(year)})
            weight = len(page.content)
            for asset in ("/static/app.css", "/static/app.js"):
                weight += len((await get(asset)).content)
        result: dict[str, Any] = {"web_timings": found, "web_page_kb": round(weight / 1024, 1)}
        print(f"    web page weight              {result['web_page_kb']:.1f} KB (HTML, CSS, JS)", flush=True)
        if browser:
            try:
                result["web_first_render_s"] = await first_render(rt, who.leader_id, now, year)
            except Exception as error:  # noqa: BLE001 - one figure missing must not lose the others
                print(f"    web first render             not measured: {error!r}", flush=True)
                result["web_first_render_s"] = None
        return result
    finally:
        await rt.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def first_render(rt: Runtime, person_id: int, now: datetime, year: int, loads: int = 3) -> float | None:
    """The dashboard's first render in headless Chromium (the worst of `loads`, each in a new browser), with
    the app served by uvicorn in a thread of its own (its own event loop and connections)."""
    import shutil

    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("    web first render             not measured: Chromium is missing", flush=True)
        return None
    import uvicorn

    from tests.e2e.browser import chromium
    from web.app import create_app

    port = _free_port()
    url = rt.engine.url.render_as_string(hide_password=False)
    served = Runtime.build(rt.settings, url)
    server = uvicorn.Server(uvicorn.Config(create_app(served, clock=lambda: now), host="127.0.0.1", port=port,
                                           lifespan="off", log_level="warning", access_log=False))
    thread = threading.Thread(target=_serve, args=(server, served), daemon=True)
    thread.start()
    try:
        await asyncio.to_thread(_wait_started, server)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=120) as http:
            cookie = await _signed_in(rt, http, person_id, now)
            await http.get("/", params={"period": str(year)})  # the app's first report is not the browser's
        seconds = []
        for _ in range(loads):
            seconds.append(await asyncio.to_thread(_load_once, chromium, port, cookie, year))
        print(f"    web first render             {', '.join(f'{s:.2f}' for s in seconds)} s", flush=True)
        return round(max(seconds), 3)
    finally:
        server.should_exit = True
        thread.join(30)


def _serve(server: Any, served: Runtime) -> None:
    """The server's thread: its own event loop, whose connections are closed in it (closed from the caller's
    loop, asyncpg's and aiosqlite's raised «attached to a different loop» / «Event loop is closed»)."""

    async def main() -> None:
        try:
            await server.serve()
        finally:
            await served.close()

    asyncio.run(main())


def _wait_started(server: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not server.config:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)


def _load_once(chromium: Callable[..., Any], port: int, cookie: str, year: int) -> float:
    driver = chromium()
    try:
        driver.get(f"http://127.0.0.1:{port}/robots.txt")
        driver.add_cookie({"name": web_auth.SESSION_COOKIE, "value": cookie, "path": "/"})
        driver.get(f"http://127.0.0.1:{port}/?period={year}")
        timing = driver.execute_script(
            "var n = performance.getEntriesByType('navigation')[0]; return [n.loadEventEnd, n.responseEnd];")
        if not driver.find_elements("id", "unit-table"):
            raise RuntimeError("the dashboard did not render: " + driver.page_source[:300])
        return float(timing[0]) / 1000
    finally:
        driver.quit()
