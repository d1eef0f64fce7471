"""The REST lists take the web lists' filters: the same names, the same rows, the same order."""

from __future__ import annotations

import pytest

from campusplan.api.assessments import ResultFilter as ResultQuery
from campusplan.api.schools import SchoolFilter as SchoolQuery
from campusplan.assessments.models import ResultRow
from campusplan.assessments.selectors import is_current
from campusplan.catalog import load_catalog
from campusplan.usecases.filters import ResultFilter, SchoolFilter
from campusplan.usecases.lists import listing
from tests.actors import as_user
from tests.api.world import HD, VISIBLE

pytestmark = pytest.mark.django_db


def test_the_api_takes_exactly_the_filtersets_parameters():
    assert set(SchoolQuery.model_fields) == set(SchoolFilter.base_filters)
    assert set(ResultQuery.model_fields) - {"lang"} == set(ResultFilter.base_filters)


def get(client, world, role, url):
    res = client.get("/api/v1" + url, **world.headers(role))
    assert res.status_code == 200, res.content[:300]
    return res.json()


@pytest.mark.parametrize("role", ["city", "district"])
def test_failing_requirement_is_the_same_rows_as_the_web_list(client, world, role):
    row = ResultRow.objects.filter(is_current(), status__in=("gap", "violation"),
                                   level="required").order_by("requirement_id").first()
    query = f"failing_requirement={row.requirement_id}&ordering=-rate"
    page = get(client, world, role, f"/schools?{query}&limit=500")
    expected = set(ResultRow.objects.filter(
        is_current(), requirement_id=row.requirement_id, status__in=("gap", "violation"))
        .values_list("school__code", flat=True)) & VISIBLE[role]
    assert {s["code"] for s in page["items"]} == expected
    web = listing(actor=as_user(world.users[role]), kind="schools",
                  params={"failing_requirement": row.requirement_id, "ordering": "-rate"})
    assert [s["code"] for s in page["items"]] == [s.code for s in web.rows]


def test_status_and_rate_filters(client, world):
    page = get(client, world, "city", "/schools?status=violation&limit=500")
    assert page["items"] and all(s["violations"] > 0 for s in page["items"])
    low = get(client, world, "city", "/schools?rate_from=0&rate_to=60&ordering=rate")
    rates = [s["rate"] for s in low["items"]]
    assert all(r < 0.6 for r in rates) and rates == sorted(rates)


def test_results_by_area_and_failing(client, world):
    page = get(client, world, "district", f"/results?district={HD}&status=failing&limit=500")
    assert page["count"] > 0 and {r["status"] for r in page["items"]} <= {"gap", "violation"}
    ids = {r.id for a, _i, r in load_catalog().standard.requirements() if a.key == "resources"}
    area = get(client, world, "district", "/results?area=resources&limit=500")
    assert area["count"] > 0 and {r["requirement_id"] for r in area["items"]} <= ids


@pytest.mark.parametrize("query", ["failing_requirement=99-99", "failing_item=999",
                                   "rate_from=101", "status=bad", "ordering=-password"])
def test_a_refused_filter_is_422(client, world, query):
    res = client.get(f"/api/v1/schools?{query}", **world.headers("city"))
    assert res.status_code == 422 and res.json()["code"] == "validation_error"
