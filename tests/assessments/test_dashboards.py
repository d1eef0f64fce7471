"""Dashboard reads: right figures, only within scope, refreshed by every new run."""

from __future__ import annotations

import polars as pl
import pytest
from django.http import Http404

from campusplan.assessments.dashboards import city_overview, district_overview
from campusplan.assessments.models import ResultRow, SchoolScore
from campusplan.assessments.selectors import current_matrix, is_current
from campusplan.schools.models import School
from campusplan.usecases.facts import set_fact
from tests import factories
from tests.actors import operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """The examples imported (and so assessed), then assessed again city-wide."""
    factories.stored(paths=factories.example_files())
    factories.assessed(schools=School.objects.all())
    return {"city": factories.user(username="city", role="city"),
            "hd": factories.user(username="hd", role="district", district="110108")}


def test_city_sees_every_district_with_rates_from_the_results(world):
    data = city_overview(user=world["city"])
    assert {d["code"] for d in data["districts"]} == {"110108", "110112", "110105", "110106"}
    hd = next(d for d in data["districts"] if d["code"] == "110108")
    rows = current_matrix(schools=School.objects.filter(district__code="110108")).filter(
        pl.col("level") == "required")
    met = rows.filter(pl.col("status") == "met").height
    judged = rows.filter(pl.col("status").is_in(["met", "gap", "violation"])).height
    assert hd["rate"] == pytest.approx(met / judged)
    assert sum(a["violation"] for a in data["areas"]) == ResultRow.objects.filter(
        is_current(), status="violation", level="required").count()  # the database keeps these


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
    assert SchoolScore.objects.filter(is_current()).filter(school=school).count() == 1
    assert SchoolScore.objects.filter(school=school).count() == 3  # history kept (import, all, edit)
    assert current_matrix(schools=[school]).height == 247  # 192 table requirements + 55 rules
    after = city_overview(user=world["city"])
    rate = {d["code"]: d["rate"] for d in after["districts"]}
    old = {d["code"]: d["rate"] for d in before["districts"]}
    assert rate["110108"] > old["110108"]


def test_district_table_sorts_and_filters(world):
    data = district_overview(user=world["city"], code="110108", sort="name", q="不存在")
    assert data["schools"] == []
    assert sum(b["count"] for b in data["distribution"]) == 1
