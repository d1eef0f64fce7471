"""Districts in the caller's scope, with the number of their schools the caller sees."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from ninja import Field, Query, Router, Schema

from campusplan.accounts import scope
from campusplan.api.auth import district_of, user_of
from campusplan.api.schemas import (
    DistrictCode,
    PageIn,
    Search,
    order,
    orderings,
    page_of,
    paginate,
    responses,
)
from campusplan.catalog.loader import load_catalog
from campusplan.schools.selectors import district_services

router = Router(tags=["districts 行政区"])


class DistrictOut(Schema):
    code: str
    name: str
    schools: int = Field(description="您可见的学校数")


class DistrictServiceOut(Schema):
    district: str
    category: str
    name: str
    vendor: str
    facts: dict[str, bool | int | float | str | None]


class DistrictFilter(Schema):
    q: Search | None = Field(None, description="名称或代码包含")
    ordering: orderings("code", "name", "schools") = "code"


def _districts(request):
    user = user_of(request)
    visible = scope.visible_schools(user).values("pk")
    return scope.visible_districts(user).annotate(
        n_schools=Count("schools", filter=Q(schools__in=visible), distinct=True))


def _out(d) -> dict[str, Any]:
    return {"code": d.code, "name": d.name, "schools": d.n_schools}


@router.get("/districts", response=responses(page_of(DistrictOut, "DistrictPage")),
            summary="行政区列表 / districts")
def district_list(request, filters: Query[DistrictFilter], page: Query[PageIn]):
    rows = _districts(request)
    if filters.q:
        rows = rows.filter(Q(name__contains=filters.q) | Q(code__contains=filters.q))
    rows = order(rows, filters.ordering, {"code": "code", "name": "name",
                                          "schools": "n_schools"})
    return paginate(rows, page, _out)


@router.get("/districts/{code}", response=responses(DistrictOut, 404),
            summary="一个行政区 / one district")
def district_detail(request, code: DistrictCode):
    district_of(request, code)
    return _out(_districts(request).get(code=code))


@router.get("/districts/{code}/services",
            response=responses(page_of(DistrictServiceOut, "DistrictServicePage"), 404),
            summary="区级统一提供的服务 / services the district provides")
def district_service_list(request, code: DistrictCode, page: Query[PageIn]):
    district_of(request, code)
    rows = district_services(districts=[code], catalog=load_catalog())
    keys = ("district", "category", "name", "vendor")
    items = [{k: getattr(r, k) for k in keys} | {"facts": r.facts()} for r in rows]
    return paginate(items, page)
