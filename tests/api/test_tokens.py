"""Tokens: created on the web page and by `campusplan token`, used, revoked → 401; only a hash is
stored; the browser's session works too, with CSRF enforced on writes."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from typer.testing import CliRunner

from campusplan.accounts.models import ApiToken, AuditEntry
from campusplan.cli import app
from tests.api.world import HD1
from tests.factories import login

pytestmark = pytest.mark.django_db


def me(client, secret: str):
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_web_page_creates_shows_once_and_revokes(client, world):
    user = world.users["district"]
    login(client, user=user)
    res = client.post("/accounts/tokens/", {"name": "数据中台"})
    assert res.status_code == 201 and res["Cache-Control"] == "no-store"
    secret = re.search(r'id="token-secret">(cp_[\w-]+)<', res.content.decode())[1]
    token = ApiToken.objects.get(user=user, name="数据中台")
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    listing = client.get("/accounts/tokens/").content.decode()
    assert "数据中台" in listing and token.prefix in listing and secret not in listing

    api = Client()
    assert me(api, secret).json()["username"] == "haidian"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    res = me(api, secret)
    assert res.status_code == 401 and res.json()["code"] == "unauthenticated"
    assert list(AuditEntry.objects.filter(object_type="api_token", object_key=str(token.pk))
                .values_list("field", flat=True).order_by("id")) == ["created", "revoked"]


def test_web_page_needs_login_and_keeps_tokens_private(client, world):
    assert client.get("/accounts/tokens/").status_code == 302  # to the login page
    login(client, user=world.users["school"])
    other = ApiToken.objects.get(user=world.users["city"], revoked_at__isnull=True)
    assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert "city token" not in client.get("/accounts/tokens/").content.decode()
    assert client.post("/accounts/tokens/", {"name": ""}).status_code == 400


def test_cli_creates_lists_and_revokes(world):
    runner = CliRunner()
    res = runner.invoke(app, ["token", "create", "school", "--name", "校园平台"])
    assert res.exit_code == 0, res.output
    secret = res.output.strip().splitlines()[-1]
    assert secret.startswith("cp_")
    assert me(Client(), secret).json()["school"] == HD1
    token = ApiToken.objects.get(name="校园平台")
    listing = runner.invoke(app, ["token", "list", "school"])
    assert listing.exit_code == 0 and "校园平台" in listing.output and secret not in listing.output
    assert runner.invoke(app, ["token", "revoke", str(token.pk)]).exit_code == 0
    assert me(Client(), secret).status_code == 401
    assert runner.invoke(app, ["token", "create", "nobody", "--name", "x"]).exit_code == 2
    assert runner.invoke(app, ["token", "revoke", "999999"]).exit_code == 2


@pytest.mark.parametrize("header", ["Bearer cp_not-a-token", "Bearer ", "Basic abc",
                                    "Bearer " + "x" * 300, "cp_only"])
def test_bad_credentials_are_401(client, world, header):
    res = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert res.status_code == 401 and res.json()["code"] == "unauthenticated"


def test_an_inactive_user_token_stops_working(client, world):
    user = world.users["district"]
    user.is_active = False
    user.save()
    assert me(client, world.tokens["district"]).status_code == 401


def test_session_auth_with_csrf(world):
    browser = Client(enforce_csrf_checks=True)
    login(browser, user=world.users["district"])
    assert browser.get("/api/v1/me").json()["username"] == "haidian"
    url = f"/api/v1/schools/{HD1}/facts/video_retention_days"
    res = browser.put(url, '{"value": 25}', content_type="application/json")
    assert res.status_code == 403 and res.json()["code"] == "csrf_failed"
    browser.get("/accounts/tokens/")  # any page with a form sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    res = browser.put(url, '{"value": 25}', content_type="application/json",
                      HTTP_X_CSRFTOKEN=csrf)
    assert res.status_code == 200 and res.json()["changed"]


def test_a_token_needs_no_csrf(world):
    res = Client(enforce_csrf_checks=True).put(
        f"/api/v1/schools/{HD1}/facts/video_retention_days", '{"value": 26}',
        content_type="application/json", **world.headers("school"))
    assert res.status_code == 200
