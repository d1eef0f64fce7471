"""A real headless Chromium (Debian's, never a downloaded build) opens the catalog page."""

from pathlib import Path

import pytest

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
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "catalog.png"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
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


def test_catalog_page_in_chromium(live_server, page):
    page.goto(f"{live_server.url}/catalog/")
    assert page.locator("h1").inner_text() == "北京市中小学校信息化建设规范（试行）"
    assert page.locator("#area-infrastructure h2").inner_text().endswith("基础设施")
    assert page.locator("tbody#item-6 .title").inner_text().startswith("计算机教室")

    canvas = page.locator("#area-chart canvas")
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    assert page.evaluate("() => echarts.getInstanceByDom(document.getElementById('area-chart'))")

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_filter_swaps_the_list_with_htmx(live_server, page):
    page.goto(f"{live_server.url}/catalog/")
    page.select_option("select[name=level]", "optional")
    page.wait_for_url("**/catalog/?*level=optional*")
    page.locator("#catalog-items .badge-required").first.wait_for(state="detached")
    assert page.locator("#catalog-items .badge-optional").count() == 6
    assert page.locator("#area-chart canvas").count() == 1  # the chart was not re-rendered
