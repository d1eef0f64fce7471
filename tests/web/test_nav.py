"""The header by role: the user, the role, logout, and links to the workspaces the scope allows."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.web.world import HAIDIAN, A

pytestmark = pytest.mark.django_db
CAMPAIGNS = "/campaigns/"


def links(html: str) -> dict[str, str]:
    return {key: url for url, key in re.findall(r'<a href="([^"]+)" data-nav="(\w+)"', html)}


@pytest.mark.parametrize(("role_key", "expected", "label"), [
    ("city", {"city": "/city/", "lists": "/lists/schools/", "plan": "/plan/",
              "campaigns": CAMPAIGNS, "catalog": "/catalog/", "import": "/import/",
              "audit": "/audit/", "users": "/users/"}, "市级"),
    ("haidian", {"district": f"/district/{HAIDIAN}/", "lists": "/lists/schools/",
                 "plan": f"/district/{HAIDIAN}/plan/", "campaigns": CAMPAIGNS,
                 "catalog": "/catalog/", "import": "/import/", "audit": "/audit/",
                 "users": "/users/"}, "区级"),
    ("school", {"school": f"/school/{A}/", "lists": "/lists/schools/",
                "plan": f"/school/{A}/plan/", "campaigns": CAMPAIGNS, "catalog": "/catalog/",
                "import": "/import/", "audit": "/audit/"}, "校级"),
    ("auditor", {"district": f"/district/{HAIDIAN}/", "lists": "/lists/schools/",
                 "plan": f"/district/{HAIDIAN}/plan/", "campaigns": CAMPAIGNS,
                 "catalog": "/catalog/", "audit": "/audit/"}, "督导（区级）"),
])
def test_links_by_role(world, login, role_key, expected, label):
    html = login(world[role_key]).get("/catalog/").content.decode()
    assert links(html) == expected
    assert f'<span class="user-name">{world[role_key].username}</span>' in html
    assert f'<span class="chip role">{label}</span>' in html
    assert 'action="/accounts/logout/"' in html


def test_current_page_is_marked(world, login):
    html = login(world["haidian"]).get(f"/district/{HAIDIAN}/").content.decode()
    assert f'<a href="/district/{HAIDIAN}/" data-nav="district" aria-current="page">' in html


def test_english_role_label(world, login):
    client = login(world["auditor"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Auditor (District)" in client.get("/catalog/").content.decode()


def test_logout_is_a_post(world, login):
    client = login(world["haidian"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/city/").status_code == 302


def test_login_page_is_public_and_shows_no_workspace_links(world):
    html = Client().get("/accounts/login/").content.decode()
    assert 'name="username"' in html and "data-nav=" not in html
