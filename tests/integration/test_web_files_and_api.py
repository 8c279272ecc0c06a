"""Files on the web (uploaded with a report, kept in the database, forwarded to the office in Telegram,
opened by whoever may read the directive); the read-only API (tokens, the Excel figures, lists, a card);
the calendar feed."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.outbox import Dispatcher
from bot.services import access, reports, web_auth
from bot.services import directives as svc
from handlers.notifier import make_sender
from storage.models import Attachment, FileBlob
from tests.conftest import AFTERNOON, NOW
from tests.integration.web_client import WebClient, page_text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SPEC = dict(content="Rà soát các dự án chậm tiến độ", lead=["SXD"], support=["STC"], deadline=date(2026, 12, 15))


@pytest.fixture
async def web(rt, people):
    client = WebClient(rt)
    yield client
    await client.close()


async def assigned(rt, people, **overrides) -> str:
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(**{**SPEC, **overrides})], now=NOW)
    return card.code


async def test_a_report_with_a_file_uploaded_on_the_web_reaches_the_office_in_telegram(web, rt, people, chat):
    code = await assigned(rt, people)
    await web.sign_in(people.sxd)
    answer = await web.act(code, "prog", text="Đã rà soát, phụ lục kèm theo",
                           files=[("files", ("Phụ lục dự án.pdf", PDF, "application/pdf"))])
    assert answer.status_code == 303
    page = page_text((await web.get(answer.headers["location"])).text)
    assert "Đã gửi báo cáo tiến độ" in page and "Phụ lục dự án.pdf" in page
    async with rt.sessions() as s:
        attachment = await s.scalar(select(Attachment))
        blob = await s.get(FileBlob, int(attachment.file_id.removeprefix("blob:")))
        assert blob.data == PDF and blob.mime_type == "application/pdf"
    # The dispatcher sends the notice and the file's bytes (not a file_id Telegram never saw) to the office
    # (a progress report goes with the readers' next message, at the latest at 16:00).
    await Dispatcher(rt, make_sender(chat.bot, rt), "test").run_once(AFTERNOON)
    uploads = [(m, name, data) for m, name, data in chat.request.uploads if m == "sendDocument"]
    assert ("sendDocument", "Phụ lục dự án.pdf", PDF) in uploads
    recipients = {int(p["chat_id"]) for p in chat.request.sent("sendDocument")}
    assert recipients == {1001, 1002}, "the office and the leader who assigned it"
    # Whoever may read the directive downloads it; the leader too.
    await web.sign_in(people.leader)
    download = await web.get(f"/d/{code}/files/{attachment.id}")
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"


@pytest.mark.parametrize("name, data, reason", [
    ("bao-cao.pdf", b"MZ\x90\x00 not a pdf", "không đúng với phần mở rộng"),
    ("virus.exe", b"MZ\x90\x00", "Loại tệp không được nhận"),
    ("rong.pdf", b"", "Tệp rỗng"),
])
async def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_kept(web, rt, people, name, data, reason):
    code = await assigned(rt, people)
    await web.sign_in(people.sxd)
    answer = await web.act(code, "prog", text="Báo cáo", files=[("files", (name, data, "application/pdf"))])
    assert answer.status_code == 400 and reason in page_text(answer.text)
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Attachment)) == 0
        assert await s.scalar(select(func.count()).select_from(FileBlob)) == 0


async def test_a_file_over_the_size_limit_is_refused(rt, people):
    rt.settings.web_max_upload_mb = 1
    code = await assigned(rt, people)
    web = WebClient(rt)
    try:
        await web.sign_in(people.sxd)
        big = PDF + b"0" * (1024 * 1024)
        answer = await web.act(code, "done", text="Xong", files=[("files", ("lon.pdf", big, "application/pdf"))])
        assert answer.status_code == 400 and "Tệp quá lớn (tối đa 1 MB)" in page_text(answer.text)
    finally:
        await web.close()


async def test_a_refused_report_leaves_no_uploaded_bytes_behind(web, rt, people):
    code = await assigned(rt, people)
    await web.sign_in(people.sxd)
    answer = await web.act(code, "prog", text="", files=[("files", ("a.pdf", PDF, "application/pdf"))])
    assert answer.status_code == 400
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(FileBlob)) == 0


async def test_a_file_sent_in_telegram_opens_on_the_web_through_the_bot_api(rt, people, chat):
    code = await assigned(rt, people)
    chat.request.files["tg-file-7"] = PDF
    await svc.report_progress(rt, people.sxd, code, "Phụ lục", now=NOW,
                              files=[svc.FileRef("document", "tg-file-7", "u7", "phu-luc.pdf", "application/pdf", 9)])
    web = WebClient(rt, bot=chat.bot)
    try:
        await web.sign_in(people.stc)
        async with rt.sessions() as s:
            file_id = await s.scalar(select(Attachment.id))
        download = await web.get(f"/d/{code}/files/{file_id}")
        assert download.status_code == 200 and download.content == PDF
    finally:
        await web.close()


# -- the API -----------------------------------------------------------------------------------------


async def _figures(rt, people) -> None:
    """A province with every class by 31/12/2026: done on time, done late, open on time, open late."""
    late, soon, long = date(2026, 11, 30), date(2026, 12, 15), date(2027, 3, 1)
    codes = [await assigned(rt, people, deadline=d, lead=[u]) for d, u in
             ((late, "SXD"), (late, "SXD"), (soon, "STC"), (long, "STC"), (late, "SYT"), (soon, "SYT"))]
    await svc.report_done(rt, people.sxd, codes[0], "Xong", now=NOW)
    await svc.confirm_done(rt, people.admin, codes[0], now=NOW)
    later = NOW + timedelta(days=15)
    await svc.report_done(rt, people.stc, codes[2], "Xong", now=later)
    await svc.confirm_done(rt, people.admin, codes[2], now=later)
    await svc.create_directives(rt, people.leader, [svc.NewDirective("Thường xuyên", ["SXD"], [], None)], now=NOW)


async def test_the_api_needs_a_token_and_a_revoked_one_no_longer_works(rt, people):
    token = await web_auth.create_api_client(rt, "ioc", now=NOW)
    web = WebClient(rt)
    try:
        assert (await web.get("/api/v1/report")).status_code == 401
        assert (await web.get("/api/v1/report", headers={"Authorization": "Bearer nope"})).status_code == 401
        ok = await web.get("/api/v1/report", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200 and ok.json()["period"] == "2026-11"
        await web_auth.revoke_api_client(rt, "ioc", now=NOW)
        gone = await web.get("/api/v1/report", headers={"Authorization": f"Bearer {token}"})
        assert gone.status_code == 401 and gone.json()["error"] == "api.unauthorized"
    finally:
        await web.close()


async def test_the_api_report_gives_the_figures_of_the_excel_workbooks_first_sheet(rt, people):
    await _figures(rt, people)
    at = NOW + timedelta(days=45)
    token = await web_auth.create_api_client(rt, "qlvb", now=at)
    web = WebClient(rt, clock=lambda: at)
    try:
        answer = await web.get("/api/v1/report", params={"period": "2026-12", "as_of": "2026-12-31"},
                               headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200
        body = answer.json()
        scope = reports.scope_for(rt, now=at, period="2026-12", as_of=date(2026, 12, 31))
        file = await reports.report_file(rt, None, scope, "xlsx", "vi", now=at)
        sheet = load_workbook(BytesIO(file.data)).worksheets[0]
        rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r and r[1]]
        keys = ("total", "carried_over", "new", "done_on_time", "done_late", "open_on_time", "open_late", "standing",
                "on_time_rate")
        excel = {r[1]: dict(zip(keys, r[2:11], strict=True)) for r in rows if r[2] is not None}
        api = {row["name"]: {k: row[k] for k in keys} for row in body["rows"]}
        api["Tổng cộng"] = {k: body["total"][k] for k in keys}
        assert api == excel
        assert body["as_of"] == "2026-12-31" and body["total"]["open_late"] >= 2
        assert {row["unit"] for row in body["rows"]} == {"SXD", "STC", "SYT"}
    finally:
        await web.close()


async def test_the_api_lists_a_units_overdue_directives_and_opens_one(rt, people):
    await _figures(rt, people)
    at = NOW + timedelta(days=45)
    token = await web_auth.create_api_client(rt, "ioc", now=at)
    web = WebClient(rt, clock=lambda: at)
    auth = {"Authorization": f"Bearer {token}"}
    try:
        listed = await web.get("/api/v1/directives", params={"unit": "SXD", "class": "open_late"}, headers=auth)
        assert listed.status_code == 200
        items = listed.json()["items"]
        assert [(i["code"], i["class"], i["days_late"]) for i in items] == [("CD-2026-0002", "open_late", 35)]
        card = await web.get("/api/v1/directives/CD-2026-0002", headers=auth)
        assert card.status_code == 200
        body = card.json()
        assert body["status"] == "in_progress_overdue" and body["units"][0]["code"] == "SXD"
        assert [h["kind"] for h in body["history"]] == ["assigned"]
        for words, found in (("ra soat", ["CD-2026-0001"]), ("khong co", [])):  # a past month: the scope's path
            done = await web.get("/api/v1/directives", headers=auth, params={
                "unit": "SXD", "class": "done_on_time", "period": "2026-11", "q": words})
            assert [i["code"] for i in done.json()["items"]] == found
        by_leader = await web.get("/api/v1/directives", headers=auth, params={
            "unit": "SXD", "period": "2026-11", "leader": "Phó Chủ tịch"})
        assert len(by_leader.json()["items"]) == 3, "assigned in the bot by that leader, no name written"
        bad = await web.get("/api/v1/directives", params={"class": "whatever"}, headers=auth)
        assert bad.status_code == 400
        spec = await web.get("/api/v1/openapi.json")
        assert {"/api/v1/report", "/api/v1/directives", "/api/v1/directives/{code}"} <= set(spec.json()["paths"])
    finally:
        await web.close()


async def test_the_api_reads_as_a_viewer_and_never_sees_a_draft(rt, people):
    [draft] = await svc.create_directives(rt, people.leader, [svc.NewDirective(**SPEC)], now=NOW, as_draft=True)
    token = await web_auth.create_api_client(rt, "ioc", now=NOW)
    web = WebClient(rt)
    try:
        answer = await web.get(f"/api/v1/directives/{draft.code}", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 404
        for method in ("POST", "PUT", "PATCH", "DELETE"):  # read only: no write of any kind
            written = await web.http.request(method, f"/api/v1/directives/{draft.code}",
                                             headers={"Authorization": f"Bearer {token}"})
            assert written.status_code == 405, method
    finally:
        await web.close()


# -- the calendar ------------------------------------------------------------------------------------


async def test_a_calendar_feed_lists_a_units_deadlines_at_a_secret_address(web, rt, people):
    code = await assigned(rt, people)
    other = await assigned(rt, people, lead=["SYT"], support=[])
    url = web_auth.calendar_url(rt.settings, people.stc)
    feed = await web.get(url.removeprefix(rt.settings.web_url))
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    body = feed.text
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    body = body.replace("\r\n ", "")  # unfolded, as a calendar reads it
    assert f"UID:{code}@dondoc" in body and "DTSTART;VALUE=DATE:20261215" in body and "phối hợp" in body
    assert other not in body, "another unit's work is not in this unit's calendar"
    forged = url.removeprefix(rt.settings.web_url).replace(".ics", "0.ics")
    assert (await web.get(forged)).status_code == 404
    await access.deactivate(rt, 2002, now=NOW)
    assert (await web.get(url.removeprefix(rt.settings.web_url))).status_code == 404


@pytest.mark.parametrize("period, as_of", [("2027-01", None), ("2026-Q4", "2026-12-31"), ("2026-12", "2027-01-04")])
async def test_every_class_listed_page_by_page_counts_what_the_report_counts(rt, people, period, as_of):
    """The list and the figures are one rule: paging through a class gives exactly as many directives as the
    report's figure for it, for the province and for a unit (open work judged today is read from the lists'
    index, the rest from the report's scope: both paths)."""
    await _figures(rt, people)
    [extra] = await svc.create_directives(rt, people.leader, [svc.NewDirective(**SPEC)], now=NOW)
    await svc.cancel(rt, people.admin, extra.code, "Không còn phù hợp", now=NOW)
    at = NOW + timedelta(days=45)
    token = await web_auth.create_api_client(rt, "ioc", now=at)
    web = WebClient(rt, clock=lambda: at)
    auth = {"Authorization": f"Bearer {token}"}
    figure = {"done_on_time": "done_on_time", "done_late": "done_late", "open_on_time": "on_time",
              "open_late": "overdue", "awaiting": "awaiting", "standing": "standing", "cancelled": "cancelled"}
    try:
        for unit in (None, "SXD", "STC"):
            params = {"period": period, **({"as_of": as_of} if as_of else {}), **({"unit": unit} if unit else {})}
            report = (await web.get("/api/v1/report", params=params, headers=auth)).json()
            scope = reports.scope_for(rt, now=at, period=period, unit_code=unit,
                                      as_of=date.fromisoformat(as_of) if as_of else None)
            counted = (await reports.report(rt, None, scope)).total
            assert report["total"]["open_late"] == counted.overdue
            for cls, attr in figure.items():
                codes, after = [], None
                while True:
                    page = (await web.get("/api/v1/directives", headers=auth, params={
                        **params, "class": cls, "limit": 2, **({"after": after} if after else {})})).json()
                    codes += [i["code"] for i in page["items"]]
                    after = page["next_after"]
                    if after is None:
                        break
                assert len(codes) == len(set(codes)) == getattr(counted, attr), (unit, cls, codes)
    finally:
        await web.close()
