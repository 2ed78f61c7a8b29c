"""The release page in a real browser: Debian's headless Chromium driven by Playwright (no browser download)."""
import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from assets.lib.release import cut_release
from tests.conftest import ROOT
from tests.test_pipeline import build

CHROMIUM = "/usr/bin/chromium"  # installed from Debian's packages by `make test` (see the Makefile)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts"))

HOSTILE_PLAN = """西湖区优化营商环境措施<script>window.__pwned = 1</script>
一、优化政务服务
1.推进<img src=x onerror="window.__pwned=2">一网通办。政务服务事项全程网办率达到95%以上。（牵头单位：区政务服务局</td><script>window.__pwned=3</script>）
2.压缩企业开办时间。企业开办时间压缩至1个工作日以内。（牵头单位：区市场监管局）
"""


@pytest.fixture
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def open_page(browser, release: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(f"network request {request.url}")
            if not request.url.startswith(("file://", "data:", "about:")) else None)
    page.goto((release / "index.html").as_uri())
    page.wait_for_load_state("load")
    return page, errors


def test_page_loads_filters_charts_and_links(browser, seed_release):
    _, release = seed_release
    page, errors = open_page(browser, release)
    rows = page.locator("#measures-table tbody tr")
    total = rows.count()
    assert total > 100
    page.fill("#search", "企业开办")
    filtered = rows.count()
    assert 0 < filtered < total
    assert all("企业开办" in text for text in rows.all_inner_texts())
    assert "of" in page.locator("#match-count").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "release_page.png"), full_page=True)  # the whole page, table filtered to 企业开办
    page.select_option("#indicator-filter", "getting_electricity")
    page.fill("#search", "")
    assert 0 < rows.count() < filtered + total
    page.select_option("#indicator-filter", "")
    bars = page.locator("#chart-indicators rect.bar")
    assert bars.count() >= 5
    box = bars.first.bounding_box()
    assert box and box["width"] > 10 and box["height"] > 5
    assert page.locator("svg[data-metric='business_registration_time'] rect.bar").count() >= 2
    links = page.locator("a.download")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"data/measures.parquet", "csv/targets.csv", "policy_measures.duckdb", "datapackage.json"} <= set(hrefs)
    for href in hrefs:
        assert (release / href).is_file(), href
    assert "First release." in page.locator("#changelog").inner_text()
    assert errors == []


@pytest.fixture
def hostile_release(tmp_path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "xihu-district_2025_measures.txt").write_text(HOSTILE_PLAN, encoding="utf-8")
    warehouse = tmp_path / "w"
    build(raw, warehouse)
    return cut_release(warehouse / "current", warehouse / "releases", dt.date(2026, 11, 22))


def test_document_text_is_escaped(hostile_release, browser):  # built before the browser starts its event loop
    page, errors = open_page(browser, hostile_release)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    page.fill("#search", "一网通办")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    body = page.locator("body").inner_text()
    assert "<script>" in body or "<img" in body  # shown as text, not run
    assert dialogs == [] and errors == []
