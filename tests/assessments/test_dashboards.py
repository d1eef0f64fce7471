"""Dashboard reads: right figures, only within scope, refreshed by every new run."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from campusplan.accounts.models import Profile
from campusplan.assessments.dashboards import _spread, city_overview, district_overview
from campusplan.assessments.models import ResultRow, SchoolScore
from campusplan.assessments.services import assessment_run_create
from campusplan.schools.models import District, School
from campusplan.usecases.facts import set_fact
from campusplan.usecases.imports import import_files
from tests.actors import operator

pytestmark = pytest.mark.django_db
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


@pytest.fixture
def world():
    assert import_files(actor=operator("test"), paths=EXAMPLES).ok
    assessment_run_create(schools=School.objects.all(), scope_kind="all")
    users = {}
    for name, level, code in (("city", "city", None), ("hd", "district", "110108")):
        u = get_user_model().objects.create_user(name, password="x-Strong-pass-1")
        Profile.objects.create(user=u, level=level,
                               district=District.objects.filter(code=code).first())
        users[name] = u
    return users


def test_city_sees_every_district_with_rates_from_the_results(world):
    data = city_overview(user=world["city"])
    assert {d["code"] for d in data["districts"]} == {"110108", "110112", "110105", "110106"}
    hd = next(d for d in data["districts"] if d["code"] == "110108")
    rows = ResultRow.objects.filter(current=True, school__district__code="110108",
                                    level="required")
    met = rows.filter(status="met").count()
    judged = rows.filter(status__in=["met", "gap", "violation"]).count()
    assert hd["rate"] == pytest.approx(met / judged)
    assert sum(a["violation"] for a in data["areas"]) == ResultRow.objects.filter(
        current=True, status="violation", level="required").count()


def test_district_user_sees_only_its_district(world):
    data = city_overview(user=world["hd"])
    assert [d["code"] for d in data["districts"]] == ["110108"]
    assert [s["code"] for s in district_overview(user=world["hd"], code="110108")["schools"]] \
        == ["1101080101"]
    with pytest.raises(Http404):
        district_overview(user=world["hd"], code="110112")


def test_a_new_run_replaces_the_current_results_and_the_cached_view(world):
    before = city_overview(user=world["city"])
    school = School.objects.get(code="1101080101")
    set_fact(actor=operator(), school=school, key="video_retention_days", value=30)  # re-assesses
    assert SchoolScore.objects.filter(school=school, current=True).count() == 1
    assert SchoolScore.objects.filter(school=school).count() == 3  # history kept (import, all, edit)
    assert ResultRow.objects.filter(school=school, current=True).count() == 230
    after = city_overview(user=world["city"])
    rate = {d["code"]: d["rate"] for d in after["districts"]}
    old = {d["code"]: d["rate"] for d in before["districts"]}
    assert rate["110108"] > old["110108"]


def test_district_table_sorts_and_filters(world):
    data = district_overview(user=world["city"], code="110108", sort="name", q="不存在")
    assert data["schools"] == []
    assert sum(b["count"] for b in data["distribution"]) == 1


def test_spread_is_the_coefficient_of_variation():
    s = _spread([2.0, 4.0, 6.0, None])
    assert s["mean"] == 4.0 and s["n"] == 3
    assert s["cv"] == pytest.approx((8 / 3) ** 0.5 / 4)
    assert _spread([None])["cv"] is None
