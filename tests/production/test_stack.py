"""The production stack over HTTP (conftest.py: `campusplan serve`, gunicorn, DEBUG off):
static files served by whitenoise under hashed names, the app's own error pages in Chinese and
English, the health check, the security headers, and the API rate limit under 300 parallel
calls across two worker processes."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.production.conftest import RATE_LIMIT
from tests.web.world import PASSWORD, ROLES, B


def test_health_check(stack):
    r = requests.get(f"{stack.url}/healthz", timeout=10)
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"},
                        "pending_migrations": 0}
    assert "no-cache" in r.headers["Cache-Control"]


def test_static_files_are_served_by_the_app(stack):
    page = requests.get(f"{stack.url}/accounts/login/", timeout=10)
    assert page.status_code == 200
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    css = [a for a in assets if a.endswith(".css")]
    assert len(css) == 3 and any("pico.min." in a for a in css)  # pico, ours, print
    assert any("htmx.min." in a for a in assets)
    for asset in assets:
        r = requests.get(stack.url + asset, timeout=10, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200, asset
        assert re.search(r"\.[0-9a-f]{12}\.", asset), f"not a hashed name: {asset}"
        assert "immutable" in r.headers["Cache-Control"], asset
        assert len(r.content) > 100, asset
    assert requests.get(f"{stack.url}/static/vendor/echarts.min.js", timeout=10).ok


def _session(stack, role: str, lang: str = "zh-hans") -> requests.Session:
    s = requests.Session()
    s.cookies.set("django_language", lang)
    s.get(f"{stack.url}/accounts/login/", timeout=10)
    r = s.post(f"{stack.url}/accounts/login/", timeout=30, data={
        "username": ROLES[role].name, "password": PASSWORD,
        "csrfmiddlewaretoken": s.cookies["csrftoken"]}, headers={"Referer": stack.url})
    assert r.ok and "/accounts/login/" not in r.url, r.text[:500]
    return s


@pytest.mark.parametrize(("lang", "words"), [("zh-hans", "页面不存在"), ("en", "Page not found")])
def test_not_found_is_the_apps_page(stack, lang, words):
    s = requests.Session()
    s.cookies.set("django_language", lang)
    r = s.get(f"{stack.url}/no/such/page/", timeout=10)
    assert r.status_code == 404 and words in r.text
    assert "URLconf" not in r.text and "Django" not in r.text and "Traceback" not in r.text
    assert "/static/" in r.text  # styled like every page


def test_outside_scope_is_404_and_forbidden_is_403_in_english(stack):
    s = _session(stack, "school", lang="en")
    r = s.get(f"{stack.url}/school/{B}/", timeout=10)
    assert r.status_code == 404 and "Page not found" in r.text and B not in r.text
    r = s.get(f"{stack.url}/city/", timeout=10)
    assert r.status_code == 403 and "Forbidden" in r.text and "Django" not in r.text


def test_csrf_failure_and_bad_host_are_the_apps_pages(stack):
    r = requests.post(f"{stack.url}/accounts/login/", data={"username": "x"}, timeout=10)
    assert r.status_code == 403 and "CSRF" in r.text and "无权访问" in r.text
    assert "Django" not in r.text and "Help" not in r.text
    r = requests.get(f"{stack.url}/accounts/login/", headers={"Host": "evil.example"},
                     timeout=10)
    assert r.status_code == 400 and "请求无效" in r.text and "DisallowedHost" not in r.text


def test_security_headers(stack):
    r = requests.get(f"{stack.url}/accounts/login/", timeout=10)
    csp = r.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert "unsafe" not in csp
    assert "camera=()" in r.headers["Permissions-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_api_rate_limit_holds_under_300_parallel_calls(stack):
    """Two gunicorn processes × 4 threads, 32 client threads, one token: exactly the limit
    answered, the rest 429 (one daily window, so no window boundary falls inside the burst)."""
    headers = {"Authorization": f"Bearer {stack.tokens['rate']}"}

    def call(_i):
        return requests.get(f"{stack.url}/api/v1/me", headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(32) as pool:
        statuses = list(pool.map(call, range(300)))
    assert statuses.count(200) == RATE_LIMIT, {s: statuses.count(s) for s in set(statuses)}
    assert statuses.count(429) == 300 - RATE_LIMIT
    r = requests.get(f"{stack.url}/api/v1/me", headers=headers, timeout=10)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert r.json()["code"] == "rate_limited"
