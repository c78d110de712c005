"""The report opened in headless Chromium, as a reader would."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page(ran):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Debian chromium is required (apt-get install chromium)")
        pytest.skip("Debian chromium not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((ran / "reports/report.html").as_uri())
        page.wait_for_load_state("load")
        page.errors, page.requests = errors, requests
        yield page
        browser.close()


def test_no_console_errors_and_no_other_host(page):
    assert page.errors == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests


def test_every_figure_is_visible_and_decoded(page):
    images = page.locator("figure img")
    assert images.count() >= 6
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        assert image.is_visible()
        width = image.evaluate("img => img.complete ? img.naturalWidth : 0")
        assert width > 0, image.get_attribute("alt")


def test_claim_table_has_one_row_per_claim(page, ran):
    claims = pd.read_csv(ran / "reports/claims.csv")
    assert page.locator("#claims-table tbody tr").count() == len(claims)


def test_filtering_by_verdict(page, ran):
    claims = pd.read_csv(ran / "reports/claims.csv")
    for verdict, expected in claims["verdict"].value_counts().items():
        page.select_option("#filter-verdict", verdict)
        visible = page.locator("#claims-table tbody tr:visible")
        assert visible.count() == expected
        assert set(visible.evaluate_all("rows => rows.map(r => r.dataset.verdict)")) == {verdict}
    page.select_option("#filter-verdict", "")
    assert page.locator("#claims-table tbody tr:visible").count() == len(claims)


def test_screenshot_shows_summary_and_claims(page, ran):
    # outside the project copy: the byte-identity test hashes everything under reports/
    folder = Path(os.environ.get("SCREENSHOT_DIR", ran.parent))
    folder.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    assert page.locator("#summary").is_visible()
    page.screenshot(path=str(folder / "report_summary.png"))
    page.locator("#claims").scroll_into_view_if_needed()
    assert page.locator("#claims-table tbody tr").first.is_visible()
    page.screenshot(path=str(folder / "report_claims.png"))
    assert (folder / "report_summary.png").stat().st_size > 10_000
