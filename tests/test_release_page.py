"""The release page in a real browser: Debian's headless Chromium driven by Playwright (no browser download)."""

import datetime as dt
import json
import os
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import sync_playwright

from assets.publishing.release_bundle import cut_release
from tests.helpers import ROOT, build

pytestmark = pytest.mark.slow  # the browser, on built releases

CHROMIUM = "/usr/bin/chromium"  # installed from Debian's packages by `make test` (see the Makefile)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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


def open_page(browser, release: Path, width: int = 1280, touch: bool = False):
    context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=touch, is_mobile=touch)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            errors.append(f"network request {request.url}") if not request.url.startswith(("file://", "data:", "about:")) else None
        ),
    )
    page.goto((release / "index.html").as_uri())
    page.wait_for_load_state("load")
    return page, errors


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all("#measures-table tbody tr", "rows => rows.map(r => r.getAttribute('data-measure-id'))")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


PAGE_SIZE = 20


@pytest.mark.parametrize("width", [400, 1400])
def test_page_at_phone_and_desktop_widths(browser, seed_release, width):
    _, release = seed_release
    page, errors = open_page(browser, release, width, touch=width < 700)
    with duckdb.connect(str(release / "policy_measures.duckdb"), read_only=True) as con:
        kinds = dict(con.execute("SELECT kind, count(*) FROM measures_overview GROUP BY kind").fetchall())
        hits = con.execute(
            "SELECT s.measure_id, o.kind FROM search_measures('企业开办') s JOIN measures_overview o USING (measure_id) "
            "ORDER BY s.score DESC, s.measure_id"
        ).fetchall()
        without_units = [
            r[0]
            for r in con.execute(
                "SELECT region FROM unique_documents d WHERE NOT EXISTS (SELECT 1 FROM measures m "
                "JOIN measure_units USING (measure_id) WHERE m.doc_id = d.doc_id) ORDER BY region"
            ).fetchall()
        ]
        province, level = con.execute(
            "SELECT province, admin_level FROM unique_documents WHERE admin_level = 'prefecture' LIMIT 1"
        ).fetchone()
        in_province = con.execute("SELECT count(*) FROM measures_overview WHERE kind = 'measure' AND province = ?", [province]).fetchone()[
            0
        ]
        at_level = con.execute("SELECT count(*) FROM measures_overview WHERE kind = 'measure' AND admin_level = ?", [level]).fetchone()[0]
    # navigation and downloads at the top; no sideways scroll; the table paged, so the page stays short
    assert page.locator("nav.top a[href='#downloads']").is_visible() and page.locator("nav.top a[href='#measures']").is_visible()
    assert page.locator("#downloads").bounding_box()["y"] < 2 * 900
    assert page.locator("#downloads a.button.download[href='policy_measures.duckdb']").is_visible()
    assert no_sideways_scroll(page)
    rows = page.locator("#measures-table tbody tr")
    assert rows.count() == PAGE_SIZE and f"{kinds['measure']} of {sum(kinds.values())}" in page.locator("#match-count").inner_text()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < (25_000 if width < 700 else 15_000), height  # 59,885 px at 1,400 px when every row was drawn
    page.click("#next-page")
    assert rows.count() == PAGE_SIZE and "page 2 of" in page.locator("#page-info").inner_text()
    # search over whole provisions: the same provisions, in the same order, as search_measures in DuckDB
    page.fill("#search", "企业开办")
    assert shown_ids(page) == [m for m, kind in hits if kind == "measure"][:PAGE_SIZE]
    page.select_option("#kind-filter", "")
    assert shown_ids(page) == [m for m, _ in hits][:PAGE_SIZE] and len(hits) >= 8
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"release_page_{width}.png"), full_page=True)
    page.fill("#search", "")
    page.select_option("#kind-filter", "measure")
    # filters: province, level, indicator, region
    page.select_option("#province-filter", province)
    assert page.locator("#match-count").inner_text().startswith(f"{in_province} of")
    page.select_option("#province-filter", "")
    page.select_option("#level-filter", level)
    assert page.locator("#match-count").inner_text().startswith(f"{at_level} of")
    page.select_option("#level-filter", "")
    page.select_option("#indicator-filter", "getting_electricity")
    assert 0 < rows.count() < PAGE_SIZE
    page.select_option("#indicator-filter", "")
    # targets with their metric (and scope)
    page.fill("#search", "0.5个工作日")
    assert any("企业开办时间" in t and "0.5" in t for t in page.locator("#measures-table tbody td[data-label='Targets']").all_inner_texts())
    page.fill("#search", "")
    # plans that name no units are explained where their empty columns are
    note = page.locator("#no-units-note").inner_text()
    assert without_units and all(region in note for region in without_units)
    page.select_option("#region-filter", without_units[0])
    assert "none named" in rows.first.locator("td[data-label='Lead']").inner_text()
    page.select_option("#region-filter", "")
    # charts reflow: every bar and its label inside the page, text readable
    bars = page.locator("#chart-indicators .bar")
    assert bars.count() >= 5
    for i in range(bars.count()):
        box = bars.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 10
    sizes = page.eval_on_selector_all(".bars .label, .bars .value", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert min(sizes) >= 12
    assert page.locator(".bars[data-metric='business_registration_time'] .bar").count() >= 2
    # tooltips work on touch (and with a mouse): inside the viewport
    first = bars.first
    first.evaluate("bar => bar.scrollIntoView({block: 'center'})")  # not under the sticky navigation
    first.tap() if width < 700 else first.hover()
    tip = page.locator("#tooltip")
    assert tip.is_visible() and "measures" in tip.inner_text()
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert no_sideways_scroll(page)
    links = page.locator("a.download")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"data/measures.parquet", "csv/targets.csv", "policy_measures.duckdb", "datapackage.json"} <= set(hrefs)
    for href in hrefs + [page.locator("a.archive").get_attribute("href")]:
        assert (release / href).is_file(), href
    assert "First release." in page.locator("#changelog").inner_text()
    assert errors == []


def test_page_search_agrees_with_duckdb_on_the_labelled_queries(browser, seed_release):
    _, release = seed_release
    page, errors = open_page(browser, release)
    queries = [
        json.loads(line)["query"] for line in (ROOT / "tests" / "data" / "search_queries.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    with duckdb.connect(str(release / "policy_measures.duckdb"), read_only=True) as con:
        for query in queries + ["企业开办 0.5个工作日", "容缺", "12345"]:
            expected = [list(row) for row in con.execute("SELECT measure_id, score FROM search_measures(?)", [query]).fetchall()]
            assert page.evaluate("q => window.searchProvisions(q)", query) == expected, query
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
