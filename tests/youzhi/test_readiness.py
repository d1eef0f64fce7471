"""The 优质均衡 readiness page of a district: its figures recomputed here from the stored facts."""

from __future__ import annotations

import math
import re

import pytest
from django.test import override_settings

from campusplan.catalog import vocabulary
from tests import factories
from tests.youzhi.helpers import meeting, school

pytestmark = pytest.mark.django_db
BOTH = override_settings(CAMPUSPLAN_STANDARDS=["beijing", "youzhi"])

# three 初中 of one district: students, multimedia rooms (L7), and the rest at the thresholds
JUNIOR = [("Y1", 1000, 30), ("Y2", 2000, 40), ("Y3", 3000, 60)]


def official_cv(amounts, students) -> float:
    total = sum(students)
    mean = sum(amounts) / total
    var = sum(p / total * (x / p - mean) ** 2 for x, p in zip(amounts, students, strict=True))
    return math.sqrt(var) / mean


@pytest.fixture
def district_user(tmp_path):
    factories.district(code="110108", name="海淀区")
    docs = []
    for code, students, rooms in JUNIOR:
        facts = meeting("junior", students) | {"multimedia_classrooms": rooms}
        docs.append(school(code, "junior", students, facts))
    factories.stored(paths=[factories.write_file(path=tmp_path / "y.json", schools=docs)])
    return factories.user(username="hd", role="district", district="110108")


def row_of(html: str, stage: str, item: int) -> dict[str, str]:
    section = re.search(rf'data-stage="{stage}".*?</section>', html, re.S).group(0)
    tr = re.search(rf'<tr data-item="{item}">(.*?)</tr>', section, re.S).group(1)
    cells = re.findall(r'<td class="([^"]*)">(.*?)</td>', tr, re.S)
    return {cls.split()[-1]: re.sub(r"<[^>]+>", "", text).strip() for cls, text in cells}


def test_the_readiness_view_shows_each_indicator_with_cv_and_verdict(client, district_user):
    client.force_login(district_user)
    with BOTH:
        page = client.get("/district/110108/readiness/youzhi/")
        district = client.get("/district/110108/")
    assert page.status_code == 200
    assert "/district/110108/readiness/youzhi/" in district.content.decode()
    html = page.content.decode()
    students = [p for _c, p, _r in JUNIOR]
    rooms = [r for _c, _p, r in JUNIOR]
    cv = official_cv([r * 100 for r in rooms], students)
    row = row_of(html, "junior", 207)
    assert row["cv"] == f"{cv:.3f}"
    assert row["mean"] == f"{sum(rooms) * 100 / sum(students):.2f}".rstrip("0").rstrip(".")
    met = sum(r * 100 / p >= 2.4 for _c, p, r in JUNIOR)
    assert row["met"] == str(met)
    assert row["verdict"] == vocabulary.label(vocabulary.STATUS, "met" if cv <= 0.45 else "gap", "zh")
    # every other indicator sits exactly at its threshold: CV 0, all schools meet it
    other = row_of(html, "junior", 201)
    assert other["cv"] == "0" and other["met"] == "3"
    assert 'data-stage="primary"' not in html  # no 小学 in this district


def test_the_readiness_view_is_off_unless_the_standard_is_active(client, district_user):
    client.force_login(district_user)
    assert client.get("/district/110108/readiness/youzhi/").status_code == 404
    with BOTH:
        assert client.get("/district/110108/readiness/nosuch/").status_code == 404


def test_another_district_is_out_of_scope(client, district_user):
    factories.district(code="110105", name="朝阳区")
    other = factories.user(username="cy", role="district", district="110105")
    client.force_login(other)
    with BOTH:
        assert client.get("/district/110108/readiness/youzhi/").status_code == 404


def test_the_api_gives_the_same_figures(client, district_user):
    secret = factories.token(user=district_user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    with BOTH:
        res = client.get("/api/v1/districts/110108/readiness/youzhi", **auth)
        missing = client.get("/api/v1/districts/110108/readiness/nosuch", **auth)
    assert missing.status_code == 404
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["standard"] == "youzhi" and body["schools"] == 3
    row = next(r for r in body["indicators"] if r["item"] == 207)
    students = [p for _c, p, _r in JUNIOR]
    rooms = [r * 100 for _c, _p, r in JUNIOR]
    assert row["figure"] == pytest.approx(official_cv(rooms, students), rel=1e-5)
    assert row["met"] == sum(x / p >= 2.4 for x, p in zip(rooms, students, strict=True))
    assert [o["rule"] for o in body["overall"]] == ["s1.2-2"]
    assert client.get("/api/v1/districts/110108/readiness/youzhi", **auth).status_code == 404


def test_a_school_account_may_not_read_its_districts_readiness(client, district_user):
    from campusplan.schools.models import School

    account = factories.user(username="y1", role="school", school=School.objects.get(code="Y1"))
    secret = factories.token(user=account)
    with BOTH:
        res = client.get("/api/v1/districts/110108/readiness/youzhi",
                         HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert res.status_code == 403
