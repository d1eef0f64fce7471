"""A real headless Chromium (Debian's, never a downloaded build) opens the catalog page."""

import os
from pathlib import Path

import pytest
from playwright import sync_api

from campusplan.catalog import load_catalog
from campusplan.web import catalog_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots go to the test's tmp dir; `make screenshots` sets this to docs/img to refresh them.
SHOTS = os.environ.get("CAMPUSPLAN_SCREENSHOTS")


def screenshot(page, tmp_path: Path, name: str, keep: bool = True) -> Path:
    folder = Path(SHOTS) if SHOTS and keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=False)
    return path


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    yield page
    context.close()
    assert not errors, errors


def test_catalog_page_in_chromium(live_server, page, tmp_path):
    page.goto(f"{live_server.url}/catalog/")
    assert page.locator("h1").inner_text() == "北京市中小学校信息化建设规范（试行）"
    assert page.locator("#area-infrastructure h2").inner_text().endswith("基础设施")
    assert page.locator("tbody#item-6 .title").inner_text().startswith("计算机教室")

    canvas = page.locator("#area-chart canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    assert page.evaluate("() => echarts.getInstanceByDom(document.getElementById('area-chart'))")

    assert screenshot(page, tmp_path, "catalog-fixture.png", keep=False).stat().st_size > 10_000


def test_product_catalog_in_chromium(live_server, page, tmp_path, monkeypatch):
    """The real Beijing catalog: all 46 items render, Chinese included."""
    monkeypatch.setattr(catalog_source, "get_catalog", load_catalog)
    page.goto(f"{live_server.url}/catalog/")
    assert page.locator("tbody[id^=item-]").count() == 46
    assert "录像存储时间不小于30天" in page.locator("tbody#item-22").inner_text()
    page.locator("#area-chart canvas").wait_for()
    assert screenshot(page, tmp_path, "catalog.png").stat().st_size > 10_000


def test_filter_swaps_the_list_with_htmx(live_server, page):
    page.goto(f"{live_server.url}/catalog/")
    page.select_option("select[name=level]", "optional")
    page.wait_for_url("**/catalog/?*level=optional*")
    page.locator("#catalog-items .badge-required").first.wait_for(state="detached")
    assert page.locator("#catalog-items .badge-optional").count() == 6
    assert page.locator("#area-chart canvas").count() == 1  # the chart was not re-rendered
