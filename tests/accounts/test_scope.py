"""Scopes: each level sees exactly its own; auditors change nothing; logins are throttled."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404

from campusplan.accounts import audit, scope
from campusplan.accounts.models import AuditEntry, Profile
from campusplan.schools.models import School
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    hd = factories.district(code="110108", name="海淀区")
    xc = factories.district(code="110102", name="西城区")
    a = School.objects.create(code="A", name="甲", district=hd, school_type="211")
    b = School.objects.create(code="B", name="乙", district=hd, school_type="211")
    c = School.objects.create(code="C", name="丙", district=xc, school_type="311")
    return {"hd": hd, "xc": xc, "a": a, "b": b, "c": c}


def user(name, level, district=None, school=None, read_only=False):
    role = "auditor" if read_only else level
    return factories.user(username=name, role=role, district=district, school=school,
                          password=factories.PASSWORD)


def codes(qs):
    return sorted(s.code for s in qs)


def test_each_level_sees_its_scope(world):
    assert codes(scope.visible_schools(user("city", "city"))) == ["A", "B", "C"]
    assert codes(scope.visible_schools(user("hd", "district", world["hd"]))) == ["A", "B"]
    assert codes(scope.visible_schools(user("a", "school", school=world["a"]))) == ["A"]
    assert codes(scope.visible_districts(user("a2", "school", school=world["a"]))) == ["110108"]


def test_anonymous_and_profileless_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not scope.visible_schools(AnonymousUser()).exists()
    bare = get_user_model().objects.create_user("bare", password="x-Strong-pass-1")
    assert not scope.visible_schools(bare).exists()
    assert not scope.visible_districts(bare).exists()


def test_outside_the_scope_is_404_and_auditors_cannot_edit(world):
    hd_user = user("hd", "district", world["hd"])
    assert scope.school_for(hd_user, "A").code == "A"
    with pytest.raises(Http404):
        scope.school_for(hd_user, "C")
    auditor = user("aud", "district", world["hd"], read_only=True)
    assert scope.school_for(auditor, "A").code == "A"
    with pytest.raises(PermissionDenied):
        scope.school_for(auditor, "A", edit=True)


def test_profile_level_must_match_its_scope(world):
    from django.db import IntegrityError, transaction

    u = get_user_model().objects.create_user("bad", password="x-Strong-pass-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.create(user=u, level="district")  # a district user needs a district


def test_audit_records_who_and_from_where(world):
    u = user("hd", "district", world["hd"])
    with audit.acting(u, "web", "req-1"):
        audit.record(object_type="fact", object_key="A/internet_bandwidth_mbps",
                     school=world["a"], field="value", before=50, after=100)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.source, entry.request_id) == ("hd", "web", "req-1")
    assert (entry.before, entry.after, entry.district_code) == (50, 100, "110108")


def test_login_is_throttled_after_repeated_failures(client, world, settings):
    user("city", "city")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        res = client.post("/accounts/login/", {"username": "city", "password": "wrong"})
        assert res.status_code == 200
    res = client.post("/accounts/login/", {"username": "city", "password": factories.PASSWORD})
    assert res.status_code == 429
    assert "登录失败次数过多" in res.content.decode()


def test_login_works_and_passwords_use_argon2(client, world):
    u = user("city", "city")
    assert u.password.startswith("argon2")
    res = client.post("/accounts/login/", {"username": "city", "password": factories.PASSWORD})
    assert res.status_code == 302
    assert res.cookies["sessionid"]["httponly"]
