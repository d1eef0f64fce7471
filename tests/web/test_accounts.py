"""Accounts: a district creates one account per school in bulk (a sheet of initial passwords,
changed at the first sign-in), resets and deactivates; everyone changes their own password;
nobody creates or raises a user above their own scope — on the pages, in the API and in the
Django admin; every account action is in the audit trail."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from openpyxl import load_workbook

from campusplan.accounts import roles
from campusplan.accounts.models import AuditEntry, Notification, Profile
from tests import factories
from tests.actors import operator
from tests.factories import PASSWORD
from tests.web.world import HAIDIAN, XICHENG, A, B, C

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Kq7-campus-plan-2026"


def _sheet(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    return [r for r in ws.iter_rows(min_row=2, values_only=True) if r and r[2]]


def test_bulk_school_accounts_sheet_and_first_sign_in_forces_a_change(world, login):
    client = login(world["haidian"])
    rows = _sheet(client.post("/users/school-accounts/", {"district": HAIDIAN}))
    # one per school of 海淀 without an account (A has school_a), none of 西城
    assert [r[0] for r in rows] == [B]
    _code, _name, username, password, level = rows[0]
    assert level == "school" and len(password) >= 12 and username == B
    user = get_user_model().objects.get(username=username)
    assert user.profile.school.code == B and user.profile.must_change_password
    assert AuditEntry.objects.filter(object_type="user", object_key=username,
                                     field="create").exists()
    assert "password" not in str(list(AuditEntry.objects.values_list("after", flat=True)))
    # a second run makes none (every school has one)
    assert client.post("/users/school-accounts/", {"district": HAIDIAN}).status_code == 302

    school = Client()
    assert school.login(username=username, password=password)
    page = school.get(f"/school/{B}/")
    assert page.status_code == 302 and page["Location"].startswith("/password/")
    assert school.get("/api/v1/me").status_code == 403
    bad = school.post("/password/", {"old_password": "wrong", "new_password": NEW_PASSWORD,
                                      "new_password2": NEW_PASSWORD})
    assert bad.status_code == 422
    done = school.post("/password/", {"old_password": password, "new_password": NEW_PASSWORD,
                                       "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert school.get(f"/school/{B}/").status_code == 200
    user.refresh_from_db()
    assert not user.profile.must_change_password and user.check_password(NEW_PASSWORD)
    assert Notification.objects.filter(user=user, kind="account_created").exists()


def test_reset_and_deactivate_inside_the_scope_only(world, login):
    client = login(world["haidian"])
    page = client.post("/users/school_a/reset/")
    assert page.status_code == 200
    issued = page.context["issued"][0]
    assert Client().login(username="school_a", password=issued.password)
    assert Profile.objects.get(user__username="school_a").must_change_password
    assert client.post("/users/school_a/active/", {"active": "0"}).status_code == 302
    assert not get_user_model().objects.get(username="school_a").is_active
    assert not Client().login(username="school_a", password=issued.password)
    fields = set(AuditEntry.objects.filter(object_key="school_a").values_list("field",
                                                                              flat=True))
    assert {"reset_password", "deactivate"} <= fields
    # 西城's accounts and the city's are not 海淀's to manage: 404, nothing changed
    factories.user(username="xicheng_school", role="school", school=C)
    for name in ("xicheng_school", "city"):
        assert client.post(f"/users/{name}/reset/").status_code == 404
        assert client.post(f"/users/{name}/active/", {"active": "0"}).status_code == 404
    assert get_user_model().objects.get(username="city").is_active


@pytest.mark.parametrize(("fields", "status"), [
    ({"level": "city"}, 403),  # above the district's own scope
    ({"level": "district", "district": XICHENG}, 404),  # another district
    ({"level": "school", "school": C}, 404),  # a school of another district
])
def test_a_district_cannot_create_above_or_outside_its_scope(world, login, fields, status):
    client = login(world["haidian"])
    response = client.post("/users/", {"username": "escalated"} | fields)
    assert response.status_code == status
    api = client.post("/api/v1/users", {"username": "escalated2"} | fields,
                      content_type="application/json")
    assert api.status_code == status
    assert not get_user_model().objects.filter(username__startswith="escalated").exists()


def test_a_district_creates_accounts_inside_its_scope_web_and_api(world, login):
    client = login(world["haidian"])
    page = client.post("/users/", {"username": "haidian2", "level": "district",
                                   "district": HAIDIAN})
    assert page.status_code == 200 and page.context["issued"][0].username == "haidian2"
    api = client.post("/api/v1/users", {"username": "school_b2", "level": "school",
                                        "school": B}, content_type="application/json")
    assert api.status_code == 201 and len(api.json()["password"]) >= 12
    listed = {u["username"] for u in client.get("/api/v1/users").json()}
    assert {"haidian2", "school_b2", "school_a"} <= listed and "city" not in listed


@pytest.mark.parametrize("role", ["school", "auditor"])
def test_school_accounts_and_auditors_manage_nobody(world, login, role):
    client = login(world[role])
    assert client.get("/users/").status_code == 403
    assert client.post("/users/", {"username": "x", "level": "school",
                                   "school": A}).status_code == 403
    assert client.get("/api/v1/users").status_code == 403


def test_everyone_changes_their_own_password(world):
    client = Client()
    assert client.login(username="auditor", password=PASSWORD)
    assert client.post("/api/v1/me/password", {"old_password": PASSWORD,
                                               "new_password": NEW_PASSWORD},
                       content_type="application/json").status_code == 204
    assert Client().login(username="auditor", password=NEW_PASSWORD)
    assert AuditEntry.objects.filter(object_key="auditor", field="change_password").exists()


def test_the_admin_is_for_system_administrators_only_and_audited(world):
    staff = world["haidian"]
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=[
        "change_profile", "view_profile"]))
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # to the admin's login: not allowed
    profile = staff.profile
    response = client.post(f"/admin/accounts/profile/{profile.pk}/change/",
                           {"user": staff.pk, "level": "city", "read_only": ""})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.level == "district"  # it could not make itself 市级

    # the admin is the 系统管理员's (accounts.roles, granted by the command line's operator)
    root = get_user_model().objects.create_user("root", password=PASSWORD)
    roles.grant(actor=operator(), user=root, role=roles.SYSTEM)
    admin = Client()
    admin.force_login(root)
    assert admin.get("/admin/").status_code == 200
    changed = admin.post(f"/admin/accounts/profile/{profile.pk}/change/", {
        "user": staff.pk, "level": "city", "district": "", "school": "", "read_only": ""})
    assert changed.status_code == 302, changed.content[:500]
    entry = AuditEntry.objects.filter(field="admin_change").latest("id")
    assert entry.actor == "root" and entry.object_key == f"profile:{profile.pk}"
