"""The web app in a real browser (headless Chromium) against the real bot process (`python -m bot run` with
WEB_PORT set, polling the Bot API emulator): a leader opens the dashboard as a Telegram Mini App would, a
focal point signs in with the link /web sent and reports with a file, the office sees it in the chat and on
the web; every refusal is a clear page. Screenshots of the dashboard at 360 px and 1280 px are written as
artefacts."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.domain.calendar import WorkingCalendar
from bot.runtime import Runtime
from bot.services import access, web_auth
from bot.services import directives as svc
from bot.settings import Settings
from tests.e2e.bot_process import BotProcess, ShowBotLog, html_faults
from tests.e2e.browser import A11Y_SCRIPT, artefacts, chromium, text_of, wait_until
from tests.e2e.harness import DEADLINE, Emulator, free_port

pytestmark = pytest.mark.e2e

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WAIT = DEADLINE
INVITES = {"admin": ("admin", "VP"), "leader": ("leader", None), "sxd": ("focal", "SXD"), "stc": ("focal", "STC"),
           "syt": ("focal", "SYT")}
IDS = {"admin": 1001, "leader": 1002, "sxd": 2001, "stc": 2002, "syt": 2003}
NAMES = {"admin": "Chuyên viên VP", "leader": "Phó Chủ tịch", "sxd": "Đầu mối Sở XD", "stc": "Đầu mối Sở TC",
         "syt": "Đầu mối Sở YT"}
PDF = b"%PDF-1.4\n% bao cao tien do\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
READ_REFUSED = "chỉ mở được thẻ, lịch sử và tệp của nhiệm vụ mà đơn vị mình chủ trì hoặc phối hợp"


class WebBot(BotProcess):
    """The bot with its web app on a free port of this machine."""

    def __init__(self, emulator: Emulator, workdir: Path) -> None:
        super().__init__(emulator, workdir, token="7000000019:dondoc-e2e-web-token")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in super().env().items() if not k.startswith("WEB_")}
        env.update(WEB_HOST="127.0.0.1", WEB_PORT=str(self.port), WEB_BASE_URL=self.base)
        return env

    def ready(self) -> bool:
        if not super().ready():
            return False
        try:
            return httpx.get(f"{self.base}/healthz", timeout=2, trust_env=False).status_code in (200, 503)
        except httpx.HTTPError:
            return False

    def settings(self) -> Settings:
        return Settings(_env_file=None, telegram_bot_token=self.token,  # type: ignore[call-arg]
                        database_url=f"sqlite+aiosqlite:///{self.db_path}", web_base_url=self.base)


@pytest.fixture(scope="module")
def bot(request: pytest.FixtureRequest, emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebBot]:
    plugin = ShowBotLog("bot")
    request.config.pluginmanager.register(plugin)
    process = WebBot(emulator, tmp_path_factory.mktemp("web-bot"))
    try:
        process.prepare(INVITES).start()
        for name, (telegram_id, first) in {k: (IDS[k], NAMES[k]) for k in IDS}.items():
            user = process.user(telegram_id, first)
            before = len(user.messages())
            user.send_text(f"/start {process.invites[name]}")
            emulator.wait_for_sync(lambda u=user, b=before: len(u.messages()) > b, timeout=WAIT)
        yield process
    finally:
        code = process.stop()
        request.config.pluginmanager.unregister(plugin)
    assert code in (0, -15), f"the bot exited with {code} after SIGTERM:\n{process.log_tail()}"
    assert not html_faults(process), html_faults(process)[:10]
    assert not process.errors_logged(), process.errors_logged()[:10]


@pytest.fixture(scope="module")
def world(bot: WebBot) -> dict[str, str]:
    """Directives written 30 days ago (so that some are overdue today), through the services, on the bot's
    database: one led by SXD and overdue, one led by SXD due later, one led by SYT alone."""
    now = datetime.now(UTC)
    calendar = WorkingCalendar()
    then = now - timedelta(days=30)
    day = then.astimezone(TZ).date() + timedelta(days=5)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    later = now.astimezone(TZ).date() + timedelta(days=40)

    async def write() -> dict[str, str]:
        rt = Runtime.build(bot.settings())
        try:
            found = await access.identify(rt, IDS["leader"])
            assert found is not None
            leader = found.id
            specs = [svc.NewDirective("Rà soát các dự án đầu tư công chậm tiến độ", ["SXD"], ["STC"], day),
                     svc.NewDirective("Báo cáo tình hình giải ngân vốn đầu tư", ["SXD"], [], later),
                     svc.NewDirective("Kiểm tra an toàn thực phẩm dịp Tết", ["SYT"], [], later)]
            cards = await svc.create_directives(rt, leader, specs, now=then)
            return {"overdue": cards[0].code, "later": cards[1].code, "other": cards[2].code,
                    "due": day.isoformat()}
        finally:
            await rt.close()

    return asyncio.run(write())


@pytest.fixture
def browser() -> Iterator[object]:
    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()


def init_data(telegram_id: int, token: str, age: timedelta = timedelta(0), **changes: str) -> str:
    fields = {"auth_date": str(int(time.time() - age.total_seconds())), "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
              "user": json.dumps({"id": telegram_id, "first_name": "Người dùng", "language_code": "vi"})}
    signed = web_auth.sign_init_data(fields, token)
    for old, new in changes.items():
        signed = signed.replace(old, new)
    return signed


def open_as_mini_app(driver, bot: WebBot, data: str, path: str = "/") -> None:  # noqa: ANN001
    """As Telegram opens a Mini App: the page's URL with the signed initData in its fragment."""
    driver.delete_all_cookies()
    driver.get("about:blank")  # a URL that differs only in its fragment would not load the page again
    driver.get(f"{bot.base}{path}#tgWebAppData={quote(data)}&tgWebAppVersion=8.0&tgWebAppPlatform=android")


def h1(driver) -> str:  # noqa: ANN001
    return text_of(driver, "h1")


def cookies_of(driver) -> dict[str, str]:  # noqa: ANN001
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def test_a_leader_opens_the_dashboard_from_telegram_filters_to_a_unit_and_opens_an_overdue_directive(
        bot: WebBot, world: dict[str, str], browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_as_mini_app(browser, bot, init_data(IDS["leader"], bot.token))
    wait_until(browser, lambda d: "Thống kê" in h1(d) and d.find_elements(By.ID, "unit-table"), WAIT,
               "the dashboard did not open from the Mini App's initData")
    assert "toàn tỉnh" in h1(browser)
    for width, height in ((360, 800), (1280, 900)):
        browser.set_window_size(width, height)
        shot = artefacts() / f"dashboard-{width}.png"
        browser.save_screenshot(str(shot))
        print(f"screenshot: {shot}")
        assert shot.stat().st_size > 5000
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page is wider than a {width} px screen by {overflow} px"
    # Filter to one unit.
    Select(browser.find_element(By.ID, "unit")).select_by_value("SXD")
    browser.find_element(By.CSS_SELECTOR, "#period-form button[type=submit]").click()
    wait_until(browser, lambda d: "Sở Xây dựng" in h1(d), WAIT, "filtering to one unit did not change the page")
    rows = [r.get_attribute("data-unit") for r in browser.find_elements(By.CSS_SELECTOR, "#unit-table tbody tr")]
    assert rows == ["SXD"]
    # The overdue list names the overdue directive with its days late; click through to its card.
    due = date.fromisoformat(world["due"])
    today = datetime.now(UTC).astimezone(TZ).date()
    overdue = browser.find_element(By.CSS_SELECTOR, "ol.overdue").text
    assert world["overdue"] in overdue and f"quá hạn {(today - due).days} ngày" in overdue
    browser.find_element(By.LINK_TEXT, world["overdue"]).click()
    wait_until(browser, lambda d: world["overdue"] in h1(d), WAIT)

    async def stored() -> tuple[str, date | None]:
        rt = Runtime.build(bot.settings())
        try:
            from bot.services import queries

            card = await queries.card(rt, None, world["overdue"], now=datetime.now(UTC))
            return card.content, card.deadline
        finally:
            await rt.close()

    content, deadline = asyncio.run(stored())
    assert text_of(browser, "#card-content") == content
    assert deadline is not None and deadline.strftime("%d/%m/%Y") in text_of(browser, "#card-deadline")
    assert f"quá hạn {(today - due).days} ngày" in text_of(browser, "#card-status")
    assert "Sở Xây dựng" in text_of(browser, "#card-lead") and "Sở Tài chính" in text_of(browser, "#card-support")
    # A leader may cancel it (a reason asked for); nobody asked the leader to acknowledge anything.
    assert browser.find_elements(By.ID, "form-canc") and not browser.find_elements(By.ID, "form-ack")


def test_the_pages_pass_the_accessibility_basics(bot: WebBot, world: dict[str, str], browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_as_mini_app(browser, bot, init_data(IDS["sxd"], bot.token))
    wait_until(browser, lambda d: d.find_elements(By.ID, "unit-table"), WAIT)
    for path in ("/?unit=&class=open_late", f"/d/{world['overdue']}", "/lists/my", "/me"):
        browser.get(bot.base + path)
        found = browser.execute_script(A11Y_SCRIPT)
        assert found["problems"] == [], (path, found["problems"])
    browser.get(bot.base + "/?unit=&class=open_on_time")
    assert browser.execute_script(A11Y_SCRIPT)["contrasts"], "the list shows its class badges"
    # The keyboard: the first Tab reaches the skip link, which is shown with a focus outline; more Tabs walk on.
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.get_attribute("class") == "skip"
    assert browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", first) != "none"
    seen = set()
    for _ in range(6):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        seen.add(browser.switch_to.active_element.tag_name)
    assert "a" in seen


def test_a_focal_point_signs_in_with_the_link_reports_with_a_file_and_the_office_sees_it(
        bot: WebBot, world: dict[str, str], browser, tmp_path: Path) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    emu, code = bot.emulator, world["later"]
    focal = bot.user(IDS["sxd"], NAMES["sxd"])
    before = len(focal.messages())
    focal.send_text("/web")
    message = emu.wait_for_sync(lambda: next((m for m in focal.messages()[before:] if m.text and "/auth/link" in m.text),
                                             None), timeout=WAIT)
    link = re.search(r"http://\S+/auth/link\?token=\S+", message.text).group(0)
    browser.delete_all_cookies()
    browser.get(link)
    browser.find_element(By.ID, "signin-button").click()
    wait_until(browser, lambda d: "Thống kê" in h1(d), WAIT, "the link did not sign in")
    browser.get(f"{bot.base}/d/{code}")
    upload = tmp_path / "Phụ lục tiến độ.pdf"
    upload.write_bytes(PDF)
    browser.find_element(By.ID, "text-prog").send_keys("Đã rà soát 12/20 dự án, phụ lục kèm theo")
    browser.find_element(By.ID, "files-prog").send_keys(str(upload))
    browser.find_element(By.CSS_SELECTOR, "#form-prog button[type=submit]").click()
    wait_until(browser, lambda d: d.find_elements(By.ID, "done"), WAIT)
    assert "Đã gửi báo cáo tiến độ" in text_of(browser, "#done")
    assert "Phụ lục tiến độ.pdf" in text_of(browser, "#card-files")
    # The office hears it in the chat: the notice, then the file itself.
    office = bot.user(IDS["admin"], NAMES["admin"])
    notice = emu.wait_for_sync(lambda: next((m for m in office.messages() if m.text and code in m.text
                                             and "12/20" in m.text), None), timeout=WAIT)
    assert "Sở Xây dựng" in notice.text
    document = emu.wait_for_sync(lambda: next((m for m in office.messages() if m.document), None), timeout=WAIT)
    assert emu.file_bytes(document.document["file_id"]) == PDF
    assert document.document.get("file_name") == "Phụ lục tiến độ.pdf"
    # And on the web: the report and its file, downloaded with the office's session.
    open_as_mini_app(browser, bot, init_data(IDS["admin"], bot.token), f"/d/{code}")
    wait_until(browser, lambda d: code in h1(d), WAIT)
    assert "Đã rà soát 12/20 dự án" in browser.find_element(By.TAG_NAME, "main").text
    href = browser.find_element(By.PARTIAL_LINK_TEXT, "Phụ lục tiến độ.pdf").get_attribute("href")
    got = httpx.get(href, cookies=cookies_of(browser), trust_env=False, timeout=10)
    assert got.status_code == 200 and got.content == PDF


def test_a_file_a_unit_sent_in_telegram_opens_on_the_web(bot: WebBot, world: dict[str, str], browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    emu, code = bot.emulator, world["overdue"]
    focal = bot.user(IDS["sxd"], NAMES["sxd"])
    before = len(focal.messages())
    focal.send_text(f"/xem {code}")
    card = emu.wait_for_sync(lambda: next((m for m in focal.messages()[before:] if any(  # not a digest in between
        "Báo cáo tiến độ" in b["text"] for b in m.buttons)), None), timeout=WAIT)
    data = next(b["callback_data"] for b in card.buttons if "Báo cáo tiến độ" in b["text"])
    before = len(focal.messages())
    focal.press(data, card.message_id)
    # In a private chat the report's question is asked under the pressed card (an edit of it).
    emu.wait_for_sync(lambda: len(focal.messages()) > before or any(
        m.message_id == card.message_id and m.edited for m in focal.messages()), timeout=WAIT)
    content = PDF.replace(b"tien do", b"qua Telegram")
    before = len(focal.messages())
    focal.send_document(content, "Bao cao qua Telegram.pdf", "application/pdf", caption="Báo cáo gửi qua Telegram")
    emu.wait_for_sync(lambda: any("Đã gửi báo cáo tiến độ" in (m.text or "") and "Báo cáo gửi qua Telegram" in m.text
                                  for m in focal.messages()),  # the card that asked, updated
                      timeout=WAIT)
    open_as_mini_app(browser, bot, init_data(IDS["leader"], bot.token), f"/d/{code}")
    wait_until(browser, lambda d: code in h1(d), WAIT)
    href = browser.find_element(By.PARTIAL_LINK_TEXT, "Bao cao qua Telegram.pdf").get_attribute("href")
    got = httpx.get(href, cookies=cookies_of(browser), trust_env=False, timeout=10)
    assert got.status_code == 200 and got.content == content


def test_forged_and_stale_init_data_are_refused_with_a_clear_message(bot: WebBot, world, browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    cases = {
        "không hợp lệ": init_data(IDS["leader"], bot.token, **{"%22id%22%3A+1002": "%22id%22%3A+1001"}),
        "đã cũ": init_data(IDS["leader"], bot.token, age=timedelta(hours=25)),
        "chưa được đăng ký": init_data(555, bot.token),
    }
    for expected, data in cases.items():
        open_as_mini_app(browser, bot, data)
        error = wait_until(browser, lambda d: (e := d.find_element(By.ID, "signin-error")).is_displayed() and e, WAIT)
        assert expected in error.text
        assert "dondoc_session" not in cookies_of(browser)


def test_an_expired_link_is_refused_with_a_clear_page(bot: WebBot, world, browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    async def old_link() -> str:
        rt = Runtime.build(bot.settings())
        try:
            made = await web_auth.create_link(rt, telegram_id=IDS["stc"], now=datetime.now(UTC) - timedelta(minutes=11))
            return made.url
        finally:
            await rt.close()

    browser.delete_all_cookies()
    browser.get(asyncio.run(old_link()))
    browser.find_element(By.ID, "signin-button").click()
    wait_until(browser, lambda d: d.find_elements(By.ID, "error-message"), WAIT)
    assert "đã hết hạn" in text_of(browser, "#error-message") and "/web" in text_of(browser, "#error-message")


def test_a_person_deactivated_mid_session_is_signed_out_at_once(bot: WebBot, world, browser) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    open_as_mini_app(browser, bot, init_data(IDS["stc"], bot.token))
    wait_until(browser, lambda d: d.find_elements(By.ID, "unit-table"), WAIT)
    bot.cli("deactivate", str(IDS["stc"]))
    browser.get(bot.base + "/lists/my")
    wait_until(browser, lambda d: d.find_elements(By.ID, "signin"), WAIT)
    assert "Đăng nhập" in h1(browser) and "/web" in browser.find_element(By.TAG_NAME, "main").text
    assert not browser.find_elements(By.ID, "list")


def test_a_unit_opening_another_units_card_is_refused_with_a_clear_page(bot: WebBot, world, browser) -> None:  # noqa: ANN001
    open_as_mini_app(browser, bot, init_data(IDS["syt"], bot.token), f"/d/{world['overdue']}")
    wait_until(browser, lambda d: d.find_elements("id", "error-message"), WAIT)
    assert READ_REFUSED in text_of(browser, "#error-message")
    assert "Rà soát" not in browser.find_element("tag name", "main").text
    browser.get(f"{bot.base}/d/{world['other']}")
    wait_until(browser, lambda d: world["other"] in h1(d), WAIT)


def test_a_leader_keeps_a_pasted_notices_units_with_one_press_on_the_drafts_list(
        bot: WebBot, world: dict[str, str], browser) -> None:  # noqa: ANN001
    """What a Zalo official is sent to the web for: the drafts of one pasted notice together, and «Giữ đơn vị như
    đã đọc» answering their doubted-unit questions at once (web/batches.py)."""
    from selenium.webdriver.common.by import By

    message = 9001  # the pasted message, as the chat would have kept it with its drafts

    async def paste() -> list[str]:
        rt = Runtime.build(bot.settings())
        try:
            found = await access.identify(rt, IDS["leader"])
            assert found is not None
            later = datetime.now(UTC).astimezone(TZ).date() + timedelta(days=40)
            specs = [svc.NewDirective(f"Rà soát hồ sơ đất đai đợt {n}", ["SXD"], [], later, questions=asked)
                     for n, asked in enumerate((("lead:Sở Xây dựng",), ("vague_unit:các địa phương",), ()), 1)]
            cards = await svc.create_directives(rt, found.id, specs, now=datetime.now(UTC), as_draft=True,
                                                origin=(IDS["leader"], message))
            return [card.code for card in cards]
        finally:
            await rt.close()

    codes = asyncio.run(paste())
    open_as_mini_app(browser, bot, init_data(IDS["leader"], bot.token), "/lists/drafts")
    group = f"#batch-{IDS['leader']}-{message}"
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, group), WAIT, "the pasted notice is no group")
    assert browser.execute_script(A11Y_SCRIPT)["problems"] == []
    rows = [r.get_attribute("data-code") for r in browser.find_elements(By.CSS_SELECTOR, f"{group} tr[data-code]")]
    assert rows == codes
    keep = browser.find_element(By.CSS_SELECTOR, f"{group} form[action$='/keep'] button")
    assert keep.text == "Giữ đơn vị như đã đọc (2 nháp)"
    keep.click()
    wait_until(browser, lambda d: d.find_elements(By.ID, "batch-notice"), WAIT, "no notice after the press")
    assert "Đã giữ đơn vị như đã đọc cho 2 bản nháp" in text_of(browser, "#batch-notice")
    assert not browser.find_elements(By.CSS_SELECTOR, f"{group} form[action$='/keep']")
    assert "Giao tất cả (3)" in browser.find_element(By.CSS_SELECTOR, f"{group} form[action$='/assign']").text


def test_in_webhook_mode_one_server_carries_telegrams_calls_and_the_web_app(emulator: Emulator, tmp_path: Path) -> None:
    """WEBHOOK_URL and WEB_PORT together: Telegram's calls reach POST /telegram on the web app's port (its
    secret header checked), and the same port serves the pages and GET /healthz."""

    class WebhookWebBot(WebBot):
        def env(self) -> dict[str, str]:
            env = super().env()
            env["WEBHOOK_URL"] = f"{self.base}/telegram"
            return env

        def ready(self) -> bool:
            if not self.emulator.calls("setWebhook", token=self.token):
                return False
            try:
                return httpx.get(f"{self.base}/healthz", timeout=2, trust_env=False).status_code in (200, 503)
            except httpx.HTTPError:
                return False

    bot = WebhookWebBot(emulator, tmp_path)
    bot.token = "7000000020:dondoc-e2e-web-webhook"
    try:
        bot.prepare({"leader": ("leader", None)}).start()
        leader = bot.user(IDS["leader"], NAMES["leader"])
        leader.send_text(f"/start {bot.invites['leader']}")
        welcome = emulator.wait_for_sync(lambda: next(iter(leader.messages()), None), timeout=WAIT)
        assert "Phó Chủ tịch" in (welcome.text or "")
        forged = httpx.post(f"{bot.base}/telegram", json={"update_id": 1}, trust_env=False, timeout=10)
        assert forged.status_code == 403
        page = httpx.get(f"{bot.base}/", trust_env=False, timeout=10)
        assert page.status_code == 401 and "/web" in page.text
        assert httpx.get(f"{bot.base}/healthz", trust_env=False, timeout=10).status_code in (200, 503)
        signed = httpx.post(f"{bot.base}/auth/telegram", data={"init_data": init_data(IDS["leader"], bot.token)},
                            trust_env=False, timeout=10)
        assert signed.status_code == 200
        dashboard = httpx.get(f"{bot.base}/", cookies=dict(signed.cookies), trust_env=False, timeout=30)
        assert dashboard.status_code == 200 and "Thống kê" in dashboard.text
    finally:
        code = bot.stop()
    assert code in (0, -15), bot.log_tail()
    assert not bot.errors_logged(), bot.errors_logged()
