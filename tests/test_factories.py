"""The factories keep their invariants: a user's profile matches its role, a stored school's
district exists, a revoked token is refused."""

from __future__ import annotations

import pytest

from campusplan.schools.models import School
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "scope"), [
    ("city", {"district": "110108"}),
    ("district", {}),
    ("auditor", {"school": "1101080101"}),
    ("school", {"district": "110108"}),
    ("principal", {}),
])
def test_a_user_needs_exactly_the_scope_of_its_role(role, scope):
    with pytest.raises(ValueError):
        factories.user(username="u", role=role, **scope)


def test_each_role_gets_its_profile(tmp_path):
    doc = factories.school_doc(example="small-primary.json", code="1101089001", name="新甲小学",
                               district="110102")
    factories.stored(paths=[factories.write_file(path=tmp_path / "a.json", schools=[doc])])
    school = School.objects.get(code="1101089001")
    assert (school.name, school.district.code) == ("新甲小学", "110102")  # the import made it
    made = {role: factories.user(username=role, role=role, **scope).profile for role, scope in (
        ("city", {}), ("district", {"district": "110102"}), ("auditor", {"district": "110102"}),
        ("school", {"school": school}))}
    assert {r: (p.level, p.read_only, p.district_id, p.school_id) for r, p in made.items()} == {
        "city": ("city", False, None, None),
        "district": ("district", False, school.district_id, None),
        "auditor": ("district", True, school.district_id, None),
        "school": ("school", False, None, school.pk)}


def test_a_revoked_token_is_refused(client):
    user = factories.user(username="city", role="city")
    live, dead = factories.token(user=user), factories.token(user=user, revoked=True)
    status = [client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {s}").status_code
              for s in (live, dead)]
    assert status == [200, 401]
