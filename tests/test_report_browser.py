"""The report opened in headless Chromium, as a reader would (and printed to PDF)."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
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


def need(tool: str, package: str) -> None:
    if not (shutil.which(tool) or os.path.exists(tool)):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{tool} is required (apt-get install {package})")
        pytest.skip(f"{tool} not installed (apt-get install {package})")


@pytest.fixture(scope="module")
def browser(ran):
    need(CHROMIUM, "chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_page(browser, ran, width=1400, height=900, fragment=""):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto((ran / "reports/report.html").as_uri() + fragment)
    page.wait_for_load_state("load")
    page.errors, page.requests = errors, requests
    return page


@pytest.fixture(scope="module")
def page(browser, ran):
    page = open_page(browser, ran)
    yield page
    page.close()


@pytest.fixture(scope="module")
def claims(ran):
    return pd.read_csv(ran / "reports/claims.csv", dtype=str, keep_default_na=False)


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def test_no_console_errors_and_no_other_host(page):
    # a script blocked by the Content-Security-Policy would be reported here
    assert page.errors == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests


def test_csp_hashes_the_script_and_allows_no_inline_script(page):
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_src and script_src.startswith("'sha256-")
    # the script ran (under that policy): the claim counter was filled in
    assert page.locator("#claim-count").inner_text().strip() != ""


def test_bottom_line_is_fully_visible_on_the_first_screen(page, claims):
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator("#bottom-line").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 900 and box["x"] + box["width"] <= 1400
    sentences = page.locator("#bottom-line li:visible")
    assert 3 <= sentences.count() <= 6
    first = sentences.first.inner_text()
    assert f"We checked {len(claims)} numerical statements" in first
    reproduced = int((claims["verdict"] == "reproduced").sum())
    assert f": {reproduced} reproduce" in first


def test_every_figure_is_visible_and_decoded(page):
    images = page.locator("figure img")
    assert images.count() >= 6
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        assert image.is_visible()
        width = image.evaluate("img => img.complete ? img.naturalWidth : 0")
        assert width > 0, image.get_attribute("alt")


def test_claim_table_has_one_row_per_claim_and_the_page_scrolls(page, claims):
    assert page.locator("#claims-table tbody tr").count() == len(claims)
    # no ancestor of the table is a scroll box: the page itself scrolls
    boxes = page.evaluate(
        """() => { const out = []; let el = document.getElementById('claims-table').parentElement;
        while (el && el !== document.body) { const s = getComputedStyle(el);
          if (/(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight) out.push(el.tagName);
          el = el.parentElement; } return out; }"""
    )
    assert boxes == []


def test_filtering_by_verdict(page, claims):
    for verdict, expected in claims["verdict"].value_counts().items():
        page.select_option("#filter-verdict", verdict)
        visible = page.locator("#claims-table tbody tr:visible")
        assert visible.count() == expected
        assert set(visible.evaluate_all("rows => rows.map(r => r.dataset.verdict)")) == {verdict}
    page.select_option("#filter-verdict", "")
    assert page.locator("#claims-table tbody tr:visible").count() == len(claims)


def test_download_is_byte_identical_to_claims_csv(page, ran):
    link = page.locator("a[download]")
    assert link.get_attribute("download") == "claims.csv"
    href = link.get_attribute("href")
    assert href.startswith("data:text/csv")
    content = base64.b64decode(href.split(",", 1)[1])
    assert content == (ran / "reports/claims.csv").read_bytes()


def test_evidence_link_clears_filters_and_lands_on_its_row(page, claims):
    link = page.locator("#summary a.evidence-link[href^='#claim-']").last
    target = link.get_attribute("href")
    verdict = page.locator(target).get_attribute("data-verdict")
    other = next(v for v in claims["verdict"].unique() if v != verdict)
    page.select_option("#filter-verdict", other)  # hides the target row
    page.fill("#filter-text", "zzz-no-match")
    assert not page.locator(target).is_visible()
    page.evaluate("window.scrollTo(0, 0)")
    link.click()
    page.wait_for_timeout(200)
    assert page.locator(target).is_visible()
    assert "flash" in page.locator(target).get_attribute("class")
    assert in_viewport(page, target)
    assert page.locator("#filter-verdict").input_value() == ""
    assert page.locator("#claims-table tbody tr:visible").count() == len(claims)


def test_each_time_series_link_goes_to_its_own_target(page):
    links = page.locator("#summary a.evidence-link:not([href^='#claim-'])")
    hrefs = links.evaluate_all("ls => ls.map(l => l.getAttribute('href'))")
    # one target per finding (a row of the estimates or sensitivity table), not a section top
    assert hrefs and len(set(hrefs)) == len(hrefs)
    assert all(h.startswith(("#est-", "#sens-")) for h in hrefs), hrefs
    for href in sorted(set(hrefs)):
        assert page.locator(href).count() == 1
    links.first.click()
    page.wait_for_timeout(200)
    box = page.locator(hrefs[0]).bounding_box()
    assert box["y"] < 900 and box["y"] + box["height"] > 0


def test_search_matches_chinese(page, claims):
    if "label_zh" in claims.columns and claims["label_zh"].str.len().gt(0).any():
        term = claims.loc[claims["label_zh"].str.len() > 0, "label_zh"].iloc[0]
        expected = int(claims["label_zh"].str.contains(term, regex=False).sum())
    else:  # before the ledger carries Chinese labels: the Chinese verdict names
        term = "不符"
        expected = int((claims["verdict"] == "discrepant").sum())
    page.fill("#filter-text", term)
    visible = page.locator("#claims-table tbody tr:visible").count()
    page.fill("#filter-text", "")
    assert visible >= expected > 0


def test_dois_are_links(page):
    assert page.locator("a[href^='https://doi.org/10.']").count() >= 1


def test_language_switch_and_url_fragment(browser, page, ran, claims):
    page.evaluate("window.scrollTo(0, 0)")
    page.click("#lang-switch")
    bottom = page.locator("#bottom-line").inner_text()
    assert "结论" in bottom and "共核查" in bottom and f"{len(claims)}个数字论断" in bottom
    assert "We checked" not in bottom
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.click("#lang-switch")
    assert "We checked" in page.locator("#bottom-line").inner_text()
    chinese = open_page(browser, ran, fragment="#lang=zh")
    try:
        assert "共核查" in chinese.locator("#bottom-line").inner_text()
        assert chinese.locator("#its h2").inner_text().startswith("中断时间序列")
        assert chinese.errors == []
    finally:
        chinese.close()


def test_printed_pdf_has_every_claim_and_every_section_open(browser, ran, claims, tmp_path):
    need("pdftotext", "poppler-utils")
    page = open_page(browser, ran)
    try:
        hidden_first_cells = page.evaluate(
            """() => Array.from(document.querySelectorAll('details')).map(d => {
                 const cell = d.querySelector('tbody tr td'); return cell ? cell.innerText : ''; })"""
        )
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=False)
    finally:
        page.close()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    missing = [c for c in claims["claim_id"] if c not in flat]
    assert missing == [], missing[:10]
    assert hidden_first_cells and all(re.sub(r"\s+", "", c) in flat for c in hidden_first_cells)


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_screenshots_of_every_section(browser, ran, width, lang):
    # outside the project copy: the byte-identity test hashes everything under reports/
    folder = Path(os.environ.get("SCREENSHOT_DIR", ran.parent / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    page = open_page(
        browser,
        ran,
        width=width,
        height=900 if width > 500 else 844,
        fragment="#lang=zh" if lang == "zh" else "",
    )
    try:
        for section in ("bottom-line", "summary", "claims", "data", "growth", "its", "methods"):
            page.locator(f"#{section}").scroll_into_view_if_needed()
            page.evaluate(f"document.getElementById('{section}').scrollIntoView()")
            path = folder / f"{section}_{width}_{lang}.png"
            page.screenshot(path=str(path), timeout=120_000)
            assert path.stat().st_size > 5_000
        # nothing wider than the screen (a phone must not scroll sideways)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        assert page.errors == []
    finally:
        page.close()


def test_element_ids_are_unique(page):
    ids = page.evaluate("() => Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids))


def test_no_table_header_covers_its_first_row(page):
    """A sticky header inside a sideways-scrolling box once sat over the first row of
    the summary tables (the 'table' evidence row vanished): every table's first body
    row starts below its header."""
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('table')].filter(t => t.tBodies[0]?.rows.length)
            .map(t => [t.id, t.tHead?.getBoundingClientRect().bottom ?? 0,
                       t.tBodies[0].rows[0].getBoundingClientRect().top])
            .filter(([id, headBottom, rowTop]) => rowTop < headBottom - 0.5)"""
    )
    assert overlaps == []
