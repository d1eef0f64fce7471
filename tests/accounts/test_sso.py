"""Single sign-on round trips against local identity providers (tests/accounts/idp.py): the
real client libraries (mozilla-django-oidc, django-cas-ng) over real HTTP, the identity's
claims or attributes giving the role and scope, refused when they give none."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from campusplan.accounts.models import Profile
from tests import factories
from tests.accounts import idp
from tests.factories import audit_events, audit_mark

pytestmark = pytest.mark.django_db
HD, SCHOOL = "110108", "1101080101"


@pytest.fixture(scope="module")
def provider():
    p, stop = idp.start()
    yield p
    stop()


@pytest.fixture
def scoped():
    factories.stored(paths=[factories.EXAMPLES / "small-primary.json"])  # 1101080101 in 110108


@pytest.fixture
def oidc(settings, provider, scoped):
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = idp.CLIENT_ID, idp.CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO, settings.OIDC_RP_SCOPES = "RS256", "openid profile"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "campusplan.accounts.sso.OIDCBackend"]
    return provider


@pytest.fixture
def cas(settings, provider, scoped):
    settings.CAS_SERVER_URL = f"{provider.url}/cas/"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "campusplan.accounts.sso.CASBackend"]
    return provider


def _follow_provider(location: str) -> str:
    """The browser's visit to the provider: its redirect back to us, as a local path."""
    back = requests.get(location, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.status_code
    url = urlsplit(back.headers["Location"])
    assert url.netloc == "testserver"
    return f"{url.path}?{url.query}"


def _oidc_round_trip(client, provider, claims: dict, sub: str = "u-42"):
    provider.identity = {"sub": sub, "claims": claims}
    start = client.get("/oidc/authenticate/", {"next": "/catalog/"})
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize")
    return client.get(_follow_provider(start["Location"]))


def test_oidc_round_trip_signs_in_a_district_user(client, oidc):
    mark = audit_mark()
    done = _oidc_round_trip(client, oidc, {"campusplan_role": "district", "district_code": HD})
    assert done.status_code == 302 and done["Location"] == "/catalog/"
    assert {"/authorize", "/token", "/jwks", "/userinfo"} <= set(oidc.calls)
    user = get_user_model().objects.get(username="oidc-u-42")
    assert not user.has_usable_password()
    profile = Profile.objects.get(user=user)
    assert (profile.level, profile.district.code, profile.read_only) == ("district", HD, False)
    assert client.get(f"/district/{HD}/").status_code == 200
    assert audit_events(after=mark, kind="login").get().actor == "oidc-u-42"


def test_oidc_takes_the_scope_from_every_sign_in(client, oidc):
    _oidc_round_trip(client, oidc, {"campusplan_role": "district", "district_code": HD})
    client.logout()
    done = _oidc_round_trip(client, oidc, {"campusplan_role": "school", "school_code": SCHOOL})
    assert done.status_code == 302
    profile = Profile.objects.get(user__username="oidc-u-42")
    assert (profile.level, profile.school.code, profile.district) == ("school", SCHOOL, None)


@pytest.mark.parametrize("claims", [
    {}, {"campusplan_role": "superuser"}, {"campusplan_role": "district", "district_code": "999999"},
    {"campusplan_role": "school", "school_code": SCHOOL, "district_code": "110102"},
    {"campusplan_role": "system"}])
def test_oidc_refuses_an_identity_without_a_valid_role_and_scope(client, oidc, claims):
    mark = audit_mark()
    done = _oidc_round_trip(client, oidc, claims, sub="stranger")
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert not Profile.objects.filter(user__username="oidc-stranger").exists()
    assert audit_events(after=mark, kind="login").get().outcome == "failed"


def test_oidc_rejects_a_forged_callback(client, oidc):
    oidc.identity = {"sub": "u-1", "claims": {"campusplan_role": "city"}}
    client.get("/oidc/authenticate/")
    done = client.get("/oidc/callback/", {"code": "made-up", "state": "made-up"})
    assert done.status_code in (302, 400) and "_auth_user_id" not in client.session


def test_cas_round_trip_signs_in_a_school_user(client, cas):
    cas.identity = {"user": "zhang", "attributes": {"campusplan_role": "school",
                                                     "school_code": SCHOOL}}
    start = client.get("/cas/login/", {"next": "/catalog/"})
    assert start.status_code == 302 and start["Location"].startswith(cas.url + "/cas/login")
    done = client.get(_follow_provider(start["Location"]))
    assert done.status_code == 302 and done["Location"] == "/catalog/"
    assert "/cas/p3/serviceValidate" in cas.calls
    profile = Profile.objects.get(user__username="cas-zhang")
    assert (profile.level, profile.school.code) == ("school", SCHOOL)
    assert client.get(f"/school/{SCHOOL}/").status_code == 200


def test_cas_refuses_an_identity_without_a_scope_and_a_replayed_ticket(client, cas):
    cas.identity = {"user": "li", "attributes": {"campusplan_role": "district"}}
    start = client.get("/cas/login/")
    back = _follow_provider(start["Location"])
    client.get(back)
    assert "_auth_user_id" not in client.session
    assert not Profile.objects.filter(user__username="cas-li").exists()
    cas.identity = {"user": "li", "attributes": {"campusplan_role": "city"}}
    client.get(back)  # the same ticket again: the server has spent it
    assert "_auth_user_id" not in client.session


def test_sso_pages_are_404_while_not_configured(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/cas/login/").status_code == 404
