"""Headless Chromium for the web journeys: Debian's /usr/bin/chromium driven through its own chromedriver by
Selenium (no browser is downloaded). Without Chromium the tests are skipped with the reason, except in CI
(CI=true), where that is a failure. Screenshots go to the artefacts folder (ARTEFACTS_DIR, or
tmp/artefacts/web in the checkout), whose path each test that writes one prints."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage")
IN_CI = os.environ.get("CI", "").lower() == "true"


def artefacts() -> Path:
    folder = Path(os.environ.get("ARTEFACTS_DIR") or REPO / "tmp" / "artefacts" / "web")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"Chromium is required in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests need Chromium: {reason}")


def chromium(width: int = 1280, height: int = 900) -> Any:
    """A new headless Chromium (Selenium WebDriver)."""
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        _unavailable(f"{CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("the selenium package is missing (pip install -e '.[test]')")
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to fetch a driver
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which(CHROMIUM) or CHROMIUM
    for flag in (*FLAGS, f"--window-size={width},{height}", "--lang=vi"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "vi-VN,vi"})
    driver = webdriver.Chrome(service=Service(shutil.which(CHROMEDRIVER) or CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


def browser_fixture() -> Iterator[Any]:
    driver = chromium()
    try:
        yield driver
    finally:
        driver.quit()


def wait_until(driver: Any, condition: Callable[[Any], Any], timeout: float = 10.0, message: str = "") -> Any:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # A page being replaced by the next one answers for a moment with elements that are gone: look again.
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, poll_frequency=0.05, ignored_exceptions=ignored).until(condition, message)


def text_of(driver: Any, css: str) -> str:
    """The shown text of the first element `css` finds, read in one step in the page: finding the element and
    then asking its text are two steps, and a page replaced between them answers «Node with given id does not
    belong to the document» (a WebDriverException no wait ignores). NoSuchElementException when none is there."""
    from selenium.common.exceptions import NoSuchElementException

    found = driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e === null ? null : e.innerText;", css)
    if found is None:
        raise NoSuchElementException(f"no element matches {css}")
    return str(found)


# The accessibility basics, checked in the page: every visible control has a label, every table has
# header cells, the class colours' text contrast is at least 4.5:1, and Tab moves a visible focus.
A11Y_SCRIPT = r"""
function lum(rgb) {
  var c = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(function (v) {
    v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function ratio(a, b) { var x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
var problems = [];
document.querySelectorAll("input, select, textarea").forEach(function (el) {
  if (el.type === "hidden") return;
  var labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.getAttribute("aria-label")
    || el.closest("label");
  if (!labelled) problems.push("no label: " + (el.name || el.id));
});
document.querySelectorAll("table").forEach(function (table) {
  if (!table.querySelector("th")) problems.push("a table without header cells");
});
var contrasts = [];
document.querySelectorAll(".badge").forEach(function (el) {
  var style = getComputedStyle(el);
  var r = ratio(style.color, style.backgroundColor);
  contrasts.push(r);
  if (r < 4.5) problems.push("contrast " + r.toFixed(2) + " on " + el.className);
});
return {problems: problems, contrasts: contrasts};
"""
