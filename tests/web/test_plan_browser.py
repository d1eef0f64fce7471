"""Issue 13's walk through, in a real headless Chromium: a district officer enters a budget and
sees the phases change, prices three unpriced lines in the district list and sees the coverage
rise, turns a plan line into a project, completes it, and sees the school's result go from gap
to met on the school and district pages."""

import re

import pytest

from tests.web.test_browser import browser, log_in, page, screenshot  # noqa: F401
from tests.web.world import HAIDIAN, ROLES, A

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _percent(text: str) -> int:
    return int(re.search(r"(\d+)%", text).group(1))


def test_budget_prices_project_closes_the_gap(live_server, page, world, tmp_path):  # noqa: F811
    base = live_server.url
    log_in(page, base, ROLES["haidian"].name)
    gaps_cell = page.locator(f"#school-{A} td").nth(7)
    gaps_before = int(gaps_cell.inner_text())
    page.click("nav [data-nav=plan]")
    page.wait_for_url(f"**/district/{HAIDIAN}/plan/")
    phases_before = page.locator("#phases").inner_text()
    assert page.locator("[data-chart=phases] canvas").count() == 1  # ECharts drew the phases

    page.fill("#budget-form input[name=amount]", "100000")
    page.wait_for_url("**amount=100000**")
    page.wait_for_function("before => document.querySelector('#phases').innerText !== before",
                           arg=phases_before)
    assert "200,000" in page.locator("#phases").inner_text()  # 2 schools × 100,000 a year
    assert page.locator("[data-chart=phases] canvas").count() == 1  # redrawn after the swap
    unpriced_before = page.locator("#unpriced-count").inner_text()
    coverage_before = _percent(page.locator("#coverage").inner_text())
    screenshot(page, tmp_path, "plan.png")

    page.goto(f"{base}/district/{HAIDIAN}/prices/")
    keys = [a.get_attribute("href").removeprefix("#price-") for a in
            page.locator("#unpriced-lines a[href^='#price-']").all()[:3]]
    assert len(keys) == 3
    for n, key in enumerate(keys):
        row = page.locator(f"#price-{key}")
        row.locator("input[name=unit_price]").fill(str(1000 + n))
        row.locator("input[name=source]").fill("海淀区2026年协议供货价")
        with page.expect_response(lambda r, k=key: r.url.endswith(f"/prices/{k}/")):
            row.locator("button[type=submit]").click()
        page.locator(f"#price-{key}", has_text="区协议供货价").wait_for()
    assert not page.locator("#price-error").count()

    page.goto(f"{base}/district/{HAIDIAN}/plan/?amount=100000&basis=year&years=3&per=school")
    assert _percent(page.locator("#coverage").inner_text()) > coverage_before
    assert page.locator("#unpriced-count").inner_text() != unpriced_before
    assert page.locator("#plan-lines td", has_text="区协议供货价").count() >= 3

    line = page.locator(f"#plan-lines tr[data-school='{A}'][data-requirement='10-1']")
    line.locator("[data-action=make-project]").click()
    page.wait_for_url("**/projects/*/")
    assert page.locator("#result-10-1 .badge").inner_text() == "未达标"
    page.select_option("select[name=status]", "completed")
    page.fill("input[name=contract_amount]", "20500")
    page.fill("input[name=supplier]", "示例供应商")
    page.click("form.project-form button[type=submit]")
    page.locator("#project-saved").wait_for()
    assert page.locator("#result-10-1 .badge").inner_text() == "达标"

    page.goto(f"{base}/school/{A}/?status=all")
    assert page.locator("#result-10-1").get_attribute("data-status") == "met"
    assert page.locator("#result-10-1 .badge.status-met").inner_text() == "达标"
    page.goto(f"{base}/district/{HAIDIAN}/")
    assert int(page.locator(f"#school-{A} td").nth(7).inner_text()) == gaps_before - 1
    assert "20,500" in page.locator("#project-money").inner_text()
    page.goto(f"{base}/district/{HAIDIAN}/projects/")
    assert page.locator("#projects td", has_text="已完成").count() == 1
