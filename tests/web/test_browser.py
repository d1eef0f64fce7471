"""A real headless Chromium (Debian's, never a downloaded build) drives the site: the catalog,
each role's workspace, an inline fact edit re-assessing the school, and an import with an error.

Screenshots go to the test's tmp dir; `make screenshots` sets CAMPUSPLAN_SCREENSHOTS=docs/img to
refresh docs/img/{catalog,city,district,school,import}.png.
"""

import os
from pathlib import Path

import pytest
from playwright import sync_api

from campusplan.catalog import load_catalog
from campusplan.web import catalog_source
from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch
from tests.web.world import HAIDIAN, NAMES, PASSWORD, ROLES, XICHENG, A, B, C

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

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


def _context(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    watch(page, errors)  # exceptions, console errors, CSP violations, static files not served
    return context, page, errors


@pytest.fixture
def page(browser):
    context, page, errors = _context(browser)
    yield page
    context.close()
    assert not errors, errors


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def reader(django_user_model):
    return django_user_model.objects.create_user("reader", password=PASSWORD)


# --- the catalog -------------------------------------------------------------------------------


def test_catalog_page_in_chromium(live_server, page, tmp_path, reader):
    log_in(page, live_server.url, "reader")
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


def test_product_catalog_in_chromium(live_server, page, tmp_path, monkeypatch, reader):
    """The real Beijing catalog: all 46 items render, Chinese included."""
    monkeypatch.setattr(catalog_source, "get_catalog", load_catalog)
    log_in(page, live_server.url, "reader")
    page.goto(f"{live_server.url}/catalog/")
    assert page.locator("tbody[id^=item-]").count() == 46
    assert "录像存储时间不小于30天" in page.locator("tbody#item-22").inner_text()
    page.locator("#area-chart canvas").wait_for()
    assert screenshot(page, tmp_path, "catalog.png").stat().st_size > 10_000


def test_filter_swaps_the_list_with_htmx(live_server, page, reader):
    log_in(page, live_server.url, "reader")
    page.goto(f"{live_server.url}/catalog/")
    page.select_option("select[name=level]", "optional")
    page.wait_for_url("**/catalog/?*level=optional*")
    page.locator("#catalog-items .badge-required").first.wait_for(state="detached")
    assert page.locator("#catalog-items .badge-optional").count() == 6
    assert page.locator("#area-chart canvas").count() == 1  # the chart was not re-rendered


# --- the workspaces ------------------------------------------------------------------------------


LANDING = {"city": "/city/", "haidian": f"/district/{HAIDIAN}/", "school": f"/school/{A}/",
           "auditor": f"/district/{HAIDIAN}/"}


def test_each_role_lands_in_its_workspace_and_sees_only_its_scope(live_server, browser, world,
                                                                  tmp_path):
    for key, role in ROLES.items():
        context, page, errors = _context(browser)
        log_in(page, live_server.url, role.name)
        assert page.url == f"{live_server.url}{LANDING[key]}", key
        text = page.locator("body").inner_text()
        assert role.name in text
        hidden = [s for s in role.hidden_strings() if s in page.content()]
        assert not hidden, (key, hidden)
        visible = [NAMES[c] for c in role.visible()] if key != "city" else ["海淀区", "西城区"]
        assert all(name in text for name in visible), (key, visible)
        _look_around(page, live_server.url, key, tmp_path)
        context.close()
        assert not errors, (key, errors)


def _look_around(page, base: str, key: str, tmp_path: Path) -> None:
    if key == "city":
        page.locator("#district-chart canvas").wait_for()
        page.locator(".area-charts canvas").first.wait_for()
        screenshot(page, tmp_path, "city.png")
        page.click(f"a[href='/district/{XICHENG}/']")
        page.wait_for_url(f"**/district/{XICHENG}/")
        assert NAMES[C] in page.locator("#district-schools").inner_text()
    elif key == "haidian":
        page.locator("#distribution-chart canvas").wait_for()
        assert page.locator("#district-schools tbody tr").count() == 2
        page.click("a[data-sort=students]")  # htmx: the table alone is swapped
        page.wait_for_url("**sort=students**")
        page.click("a[data-sort=students]")
        page.wait_for_url("**order=desc**")
        page.locator("#district-schools tbody tr").first.filter(has_text=NAMES[B]).wait_for()
        screenshot(page, tmp_path, "district.png")
    elif key == "school":
        response = page.goto(f"{base}/school/{B}/")
        assert response.status == 404 and NAMES[B] not in page.content()
        assert page.goto(f"{base}/city/").status == 403
    else:  # the auditor reads a school of the district but has nothing to edit
        page.goto(f"{base}/school/{A}/")
        assert page.locator("#facts form").count() == 0
        assert page.locator("a[data-nav=import]").count() == 0


def test_edit_a_fact_and_watch_the_result_change(live_server, page, world, tmp_path):
    log_in(page, live_server.url, ROLES["school"].name)
    page.select_option("#result-filters select[name=status]", "all")
    page.wait_for_url("**status=all**")
    row = page.locator("#result-22-7")
    assert row.locator(".badge.status-gap").inner_text() == "未达标"
    rate_before = page.locator("#school-score .stat").first.inner_text()

    field = page.locator("#f-video_retention_days")
    field.scroll_into_view_if_needed()
    field.fill("30")
    page.locator("#fact-video_retention_days button[type=submit]").click()
    page.locator("#result-22-7.status-row-met").wait_for()
    assert page.locator("#result-22-7 .badge.status-met").inner_text() == "达标"
    assert page.locator("#school-score .stat").first.inner_text() != rate_before
    assert page.locator("#fact-video_retention_days").inner_text().count("网页表单") == 1
    assert page.locator("#school-history tbody tr").count() == 2

    page.select_option("#f-ipv6_dual_stack", "是")  # a yes/no fact saves on change
    page.locator("#fact-ipv6_dual_stack .fact-source", has_text="网页表单").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, tmp_path, "school.png")


def test_import_a_workbook_with_an_error(live_server, page, world, tmp_path, product_catalog):
    from tests.web.test_import import bad_workbook

    path = tmp_path / "调查表.xlsx"
    path.write_bytes(bad_workbook(tmp_path, product_catalog))
    log_in(page, live_server.url, ROLES["haidian"].name)
    page.goto(f"{live_server.url}/import/")
    page.set_input_files("#import-file", str(path))
    page.click("#upload-form button[type=submit]")
    problem = page.locator(".problems-table tbody tr.problem")
    problem.wait_for()
    text = problem.inner_text()
    assert "调查表.xlsx" in text and "基础设施" in text and "99999" in text
    assert "超出范围 0–3650：99999" in text
    assert "未导入任何数据" in page.locator("#import-result").inner_text()
    screenshot(page, tmp_path, "import.png")
