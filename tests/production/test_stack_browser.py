"""Chromium against the production stack (gunicorn, whitenoise, DEBUG off, CSP on): a city user
signs in, the dashboard is styled by its CSS and draws its charts, htmx swaps a table, the
error page is the app's own — and no CSP violation, console error or missing asset on the way
(tests/browser.py)."""

from __future__ import annotations

import pytest
from playwright import sync_api

from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch
from tests.web.world import HAIDIAN, NAMES, PASSWORD, ROLES, B

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        errors: list[str] = []
        watch(page, errors)
        yield page, errors
        browser.close()


def test_the_production_stack_in_chromium(stack, page):
    page, errors = page
    page.goto(f"{stack.url}/accounts/login/")
    page.fill("input[name=username]", ROLES["city"].name)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{stack.url}/city/")

    # the stylesheets applied: Pico's container and the app's own header rule
    assert page.evaluate("() => [...document.styleSheets].filter(s => s.cssRules.length).length") \
        == 3  # pico, ours, print
    assert page.evaluate("() => getComputedStyle(document.querySelector('main'))"
                         ".paddingLeft") != "0px"
    # the charts drew (ECharts from /static/, data from JSON blocks, no inline script)
    page.locator("#district-chart canvas").wait_for()
    box = page.locator("#district-chart canvas").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 100
    page.locator(".area-charts canvas").first.wait_for()

    page.goto(f"{stack.url}/district/{HAIDIAN}/")
    page.locator("#distribution-chart canvas").wait_for()
    page.click("a[data-sort=students]")  # htmx swaps the table alone, no eval needed
    page.wait_for_url("**sort=students**")
    assert NAMES[B] in page.locator("#district-schools").inner_text()

    response = page.goto(f"{stack.url}/no/such/page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "404 · 页面不存在"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.error-page'))"
                         ".maxWidth") != "none"
    assert not errors, errors


def test_a_csp_violation_is_caught(stack, page):
    """The watch is real: an inline script on a page of the stack is refused and reported."""
    page, errors = page
    page.goto(f"{stack.url}/accounts/login/")
    page.evaluate("() => { const s = document.createElement('script');"
                  " s.textContent = 'window.pwned = 1'; document.body.appendChild(s); }")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.pwned") is None
    assert any(e.startswith("CSP violation: script-src") for e in errors), errors
    errors.clear()
