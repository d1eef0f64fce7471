"""等保 level 3 authentication through the real login: password rules and history, the TOTP
second factor when CAMPUSPLAN_REQUIRE_2FA is on, the admin for the system administrator only,
the 三员 apart and unable to grant themselves anything, and the security events of it all."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from typer.testing import CliRunner

from campusplan.accounts import roles, throttle
from campusplan.accounts.models import AdminGrant, Profile
from campusplan.cli import app
from tests import factories
from tests.actors import as_user, operator
from tests.factories import PASSWORD, audit_events, audit_mark

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _login(client, username: str, password: str = PASSWORD, path: str = "/accounts/login/"):
    return client.post(path, {"username": username, "password": password,
                              "next": "/admin/" if path.startswith("/admin") else ""})


# --- passwords ------------------------------------------------------------------------------


@pytest.mark.parametrize(("password", "code"), [
    ("short-A1", "password_too_short"),
    ("alllowercaseletters", "password_too_simple"),
    ("ALLUPPER12345", "password_too_simple"),
    ("1234567890123", "password_entirely_numeric"),
])
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as caught:
        password_validation.validate_password(password)
    assert code in [e.code for e in caught.value.error_list]


def test_a_complex_password_passes_and_the_last_five_cannot_return():
    user = get_user_model().objects.create_user("hist")
    used = [f"Tree-{n}-leaves-green" for n in range(6)]
    for pw in used:
        password_validation.validate_password(pw, user)
        user.set_password(pw)
        user.save()
    for pw in used[1:]:  # the current one and the four before it
        with pytest.raises(ValidationError) as caught:
            password_validation.validate_password(pw, user)
        assert caught.value.error_list[0].code == "password_reused"
    password_validation.validate_password(used[0], user)  # six changes ago: allowed again


# --- the second factor ----------------------------------------------------------------------


@pytest.fixture
def district_admin(settings):
    settings.CAMPUSPLAN_REQUIRE_2FA = True
    factories.district(code="110108", name="海淀区")
    return factories.user(username="hd-admin", role="district", district="110108",
                          password=PASSWORD)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_totp_is_required_for_a_district_administrator(client, district_admin):
    mark = audit_mark()
    assert _login(client, "hd-admin").status_code == 302
    page = client.get("/catalog/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/second-factor/")
    api = client.get("/api/v1/schools")
    assert api.status_code == 403 and api.json()["error"] == "second_factor_required"
    enrol = client.get("/accounts/second-factor/", follow=True)
    assert enrol.redirect_chain[-1][0].startswith("/accounts/second-factor/enrol/")
    uri = enrol.content.decode()
    assert "otpauth://totp/" in uri and "campusplan" in uri
    device = TOTPDevice.objects.get(user=district_admin)
    assert not device.confirmed
    wrong = client.post("/accounts/second-factor/enrol/", {"token": "000000", "next": "/"})
    assert wrong.status_code == 400 and client.get("/catalog/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    ok = client.post("/accounts/second-factor/enrol/", {"token": _code(device), "next": "/"})
    assert ok.status_code == 302
    assert client.get("/catalog/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    kinds = list(audit_events(after=mark).values_list("field", "outcome"))
    assert kinds == [("login", "ok"), ("denied", "denied"),  # the API's 403
                     ("second_factor_enrolled", "failed"), ("second_factor_enrolled", "ok")]


def test_a_second_login_asks_for_the_code_of_the_confirmed_device(client, district_admin):
    device = TOTPDevice.objects.create(user=district_admin, name="phone", confirmed=True)
    _login(client, "hd-admin")
    assert client.get("/catalog/")["Location"].startswith("/accounts/second-factor/")
    assert client.get("/accounts/second-factor/enrol/")["Location"].startswith(
        "/accounts/second-factor/?")  # no second device behind the first one's back
    assert client.post("/accounts/second-factor/", {"token": _code(device)}).status_code == 302
    assert client.get("/catalog/").status_code == 200


def test_without_the_setting_or_for_a_school_account_no_second_factor(client, settings):
    factories.district(code="110108", name="海淀区")
    admin = factories.user(username="hd", role="district", district="110108", password=PASSWORD)
    _login(client, "hd")
    assert client.get("/catalog/").status_code == 200
    settings.CAMPUSPLAN_REQUIRE_2FA = True
    auditor = factories.user(username="aud", role="auditor", district="110108")
    assert roles.requires_second_factor(admin) and not roles.requires_second_factor(auditor)


# --- the 三员 and the admin -----------------------------------------------------------------


@pytest.fixture
def three():
    return {r: factories.administrator(username=f"{r}-admin", role=r, password=PASSWORD)
            for r in ("system", "security", "audit")}


def test_only_the_system_administrator_enters_the_admin(client, three):
    factories.district(code="110108", name="海淀区")
    city = factories.user(username="city", role="city", password=PASSWORD)
    city.is_staff = True  # even a staff flag set by hand does not open it
    city.save()
    for name in ("security-admin", "audit-admin", "city"):
        client.logout()
        _login(client, name)
        assert client.get("/admin/").status_code == 302, name
    client.logout()
    _login(client, "system-admin")
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "/admin/accounts/profile/" in page.content.decode()
    assert "otp_totp" not in page.content.decode()  # the second factor is the security policy's


@pytest.mark.parametrize("role", ["system", "security", "audit"])
@pytest.mark.parametrize("wanted", ["system", "security", "audit"])
def test_no_administrator_can_grant_themselves_or_anyone_a_role(three, role, wanted):
    me = three[role]
    with pytest.raises(roles.RoleRefused) as caught:
        roles.grant(actor=as_user(me), user=me, role=wanted)
    assert caught.value == roles.SELF
    other = get_user_model().objects.create_user(f"new-{role}-{wanted}")
    with pytest.raises(roles.RoleRefused) as caught:
        roles.grant(actor=as_user(me), user=other, role=wanted)
    assert caught.value == roles.NOT_OPERATOR
    assert AdminGrant.objects.get(user=me).role == role
    assert not AdminGrant.objects.filter(user=other).exists()
    assert audit_events(kind="role_refused").count() == 2


def test_one_role_per_user_and_none_beside_a_business_profile(three):
    with pytest.raises(roles.RoleRefused) as caught:
        roles.grant(actor=operator(), user=three["audit"], role="security")
    assert caught.value == roles.HAS_ROLE
    business = factories.user(username="biz", role="city")
    with pytest.raises(roles.RoleRefused) as caught:
        roles.grant(actor=operator(), user=business, role="audit")
    assert caught.value == roles.HAS_PROFILE


def test_the_system_administrator_cannot_give_themselves_a_business_profile(client, three):
    _login(client, "system-admin")
    res = client.post("/admin/accounts/profile/add/", {
        "user": three["system"].pk, "level": "city", "read_only": ""})
    assert res.status_code == 200 and "不能修改自己的角色" in res.content.decode()
    res = client.post("/admin/accounts/profile/add/", {
        "user": three["audit"].pk, "level": "city", "read_only": ""})
    assert res.status_code == 200 and "管理员账户不能拥有业务范围" in res.content.decode()
    assert not Profile.objects.exists()
    user_page = client.get(f"/admin/auth/user/{three['system'].pk}/change/")
    assert 'name="is_superuser"' not in user_page.content.decode()
    other = get_user_model().objects.create_user("teacher")
    mark = audit_mark()
    res = client.post("/admin/accounts/profile/add/", {
        "user": other.pk, "level": "city", "read_only": ""})
    assert res.status_code == 302 and Profile.objects.get(user=other).level == "city"
    (change,) = audit_events(after=mark, kind="admin_change")
    assert (change.actor, change.after["action"]) == ("system-admin", "added")


def test_roles_from_the_command_line(three):
    get_user_model().objects.create_user("ops")
    result = runner.invoke(app, ["role", "grant", "ops", "audit", "--user", "installer"])
    assert result.exit_code == 0, result.output
    assert roles.has_role(get_user_model().objects.get(username="ops"), roles.AUDIT)
    again = runner.invoke(app, ["role", "grant", "ops", "security", "--lang", "en"])
    assert again.exit_code == 2 and "already holds" in again.output
    assert runner.invoke(app, ["role", "grant", "nobody", "audit"]).exit_code == 2
    assert runner.invoke(app, ["role", "revoke", "ops"]).exit_code == 0
    assert roles.role_of(get_user_model().objects.get(username="ops")) is None


# --- the security events of a session -------------------------------------------------------


def test_login_failure_logout_denied_and_token_events(client, settings):
    factories.district(code="110108", name="海淀区")
    factories.user(username="hd", role="district", district="110108", password=PASSWORD)
    mark = audit_mark()
    assert _login(client, "hd", "Wrong-password-1").status_code == 200
    assert _login(client, "hd").status_code == 302
    assert client.get("/school/9999999999/").status_code == 404
    client.post("/accounts/tokens/", {"name": "sync"})
    client.post("/accounts/logout/")
    events = list(audit_events(after=mark).values_list("field", "outcome", "actor", "address"))
    assert events[:2] == [("login", "failed", "hd", "127.0.0.1"), ("login", "ok", "hd", "127.0.0.1")]
    assert ("denied", "denied", "hd", "127.0.0.1") in events
    assert events[-1] == ("logout", "ok", "hd", "127.0.0.1")
    denied = audit_events(after=mark, kind="denied").get()
    assert (denied.object_key, denied.note) == ("GET /school/9999999999/", "404")
    assert audit_events(after=mark).filter(object_type="api_token").count() == 0  # a change row
    assert factories.audit_changes(after=mark).filter(field="created").count() == 1


@pytest.mark.parametrize(("given", "kept"), [
    ("req-7f3a", True), ("3b241101-e2bb-4255-8caf-4136c566a962", True),
    ("<script>alert(1)</script>", False), ("a" * 37, False), ("bad id", False),
    ("\u202eevil", False), ("", False)])
def test_the_request_id_is_validated_before_it_is_stored(client, given, kept):
    res = client.get("/api/v1/schools", HTTP_X_REQUEST_ID=given)  # 401: a denied request
    stored = audit_events(kind="denied").latest("id").request_id
    assert stored == res["X-Request-ID"]
    assert (stored == given) is kept and len(stored) <= 36


def test_each_administrator_has_their_own_page_and_no_other(client, three):
    factories.district(code="110108", name="海淀区")
    pages = {"security": "/accounts/security/", "audit": "/accounts/audit/"}
    for role, user in three.items():
        client.force_login(user)
        for owner, url in pages.items():
            assert client.get(url).status_code == (200 if owner == role else 404), (role, url)
    client.force_login(three["audit"])
    assert "role_granted" in client.get("/accounts/audit/?kind=role_granted").content.decode()
    assert client.get("/city/").status_code in (403, 404)  # no business scope


def test_the_security_administrator_unlocks_and_resets_a_second_factor(client, three):
    for _ in range(5):
        throttle.begin("victim", "10.0.0.9")
    assert throttle.locked("victim", "10.0.0.9")
    (lock,) = [c for c in throttle.active_locks() if c.count >= 5]
    victim = get_user_model().objects.create_user("victim")
    TOTPDevice.objects.create(user=victim, name="phone", confirmed=True)
    client.force_login(three["security"])
    assert client.post(f"/accounts/security/locks/{lock.pk}/unlock/").status_code == 302
    assert not throttle.locked("victim", "10.0.0.9")
    assert client.post(f"/accounts/security/users/{victim.pk}/second-factor/reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=victim).exists()
    assert [e.field for e in audit_events(kind=None).filter(
        field__in=["login_unlocked", "second_factor_reset"])] == [
        "login_unlocked", "second_factor_reset"]
