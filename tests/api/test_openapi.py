"""The OpenAPI document and the interactive docs, served from our own origin."""

from __future__ import annotations

import json
import re

import pytest
from playwright import sync_api

from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.django_db


def no_duplicate_keys(pairs):
    keys = [k for k, _v in pairs]
    assert len(keys) == len(set(keys)), keys  # Swagger UI's YAML parser refuses duplicates
    return dict(pairs)


def test_openapi_document(client):
    res = client.get("/api/v1/openapi.json")
    assert res.status_code == 200
    doc = json.loads(res.content, object_pairs_hook=no_duplicate_keys)
    assert doc["info"]["version"] == "1" and doc["openapi"].startswith("3.")
    assert {"TokenAuth", "SessionAuth"} <= set(doc["components"]["securitySchemes"])
    assert doc["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    names = set(doc["components"]["schemas"])
    assert {"ErrorOut", "SchoolPage", "SchoolDetailOut", "FactValueOut", "ResultPage", "RunOut",
            "PlanOut", "ImportOut"} <= names
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert {"401", "422", "429"} <= set(op["responses"]), (method, path)
            for code, response in op["responses"].items():
                if code.startswith("4"):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}


def test_docs_page_loads_nothing_from_a_cdn(client):
    res = client.get("/api/v1/docs")
    assert res.status_code == 200
    html = res.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/ninja/") for u in urls), urls
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    assert '"validatorUrl": null' in html  # Swagger UI's online validator badge is off


@pytest.mark.browser
def test_swagger_ui_renders_from_our_origin_only(live_server):
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: r.url.startswith(live_server.url) or outside.append(r.url))
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".opblock", timeout=15000)
        assert page.locator(".opblock").count() >= 30
        assert "campusplan API" in page.locator(".title").first.inner_text()
        browser.close()
    assert not [u for u in outside if not u.startswith("data:")], outside
