"""Chromium against the production stack (gunicorn, whitenoise, DEBUG off, CSP on): a city user
signs in, the dashboard is styled by its CSS and draws its charts, htmx swaps a table, the
error page is the app's own — and no CSP violation, console error or missing asset on the way
(tests/browser.py); the pages that are not the app's own templates, the API's Swagger UI and
the Django admin, run under the same policy."""

from __future__ import annotations

import pytest
from playwright import sync_api

from tests.browser import CHROMIUM, CHROMIUM_ARGS, watch
from tests.production.seed import SYSADMIN
from tests.web.world import HAIDIAN, NAMES, PASSWORD, ROLES, B

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    watch(page, errors)
    return context, page, errors


@pytest.fixture(scope="module")
def page(browser):
    context, page, errors = _watched(browser)
    yield page, errors
    context.close()


@pytest.fixture
def fresh(browser):
    """A page of its own, signed in as nobody yet."""
    context, page, errors = _watched(browser)
    yield page, errors
    context.close()


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


def test_the_api_docs_run_under_the_csp(stack, fresh):
    """Swagger UI (django-ninja's, from /static/ninja/) draws every operation, opens one and
    tries it — with no CSP violation, console error or missing asset."""
    page, errors = fresh
    page.goto(f"{stack.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 30
    assert "campusplan API" in page.locator(".title").first.inner_text()
    page.locator(".opblock-get .opblock-summary").first.click()
    page.locator(".opblock-body").first.wait_for()
    page.locator(".try-out__btn").first.click()
    page.locator(".execute").first.click()
    page.locator(".responses-wrapper .live-responses-table").first.wait_for()
    assert not errors, errors


ADMIN_PAGES = ("/admin/", "/admin/auth/user/", "/admin/auth/user/add/",
               "/admin/accounts/profile/", "/admin/accounts/profile/add/")


def test_the_admin_runs_under_the_csp(stack, fresh):
    """The system administrator's admin pages load their scripts and styles under the policy:
    the change list's select-all (actions.js) works, a change form opens with its widgets."""
    page, errors = fresh
    page.goto(f"{stack.url}/admin/login/?next=/admin/")
    page.fill("input[name=username]", SYSADMIN)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_url(f"{stack.url}/admin/")
    for path in ADMIN_PAGES:
        assert page.goto(f"{stack.url}{path}").status == 200, path
    page.goto(f"{stack.url}/admin/auth/user/")
    page.check("#action-toggle")  # actions.js checks every row
    rows = page.locator(".action-select").count()
    assert rows >= len(ROLES) and page.locator(".action-select:checked").count() == rows
    page.click(f"#result_list a:text-is('{ROLES['haidian'].name}')")
    page.wait_for_url("**/change/")
    assert page.locator("input[name=username]").input_value() == ROLES["haidian"].name
    assert not errors, errors
