"""Districts in the caller's scope, with the number of their schools the caller sees."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema

from campusplan.accounts import scope
from campusplan.api.auth import actor, district_of, user_of
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
from campusplan.usecases import reports, standards

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


class ReadinessRow(Schema):
    item: int
    stage: str | None
    title: str
    requirement: str = Field(description="逐校要求 / the per-school requirement")
    rule: str = Field(description="县域规则 / the group rule")
    schools: int
    met: int
    unknown: int
    figure: float | None = Field(description="校际差异系数 / the group rule's figure (CV)")
    limit: float | None
    mean: float | None = Field(description="全区值（学生加权）/ the student-weighted mean")
    verdict: str


class ReadinessOverall(Schema):
    rule: str
    text: str
    schools: int
    met: int
    unknown: int


class ReadinessOut(Schema):
    standard: str
    version: str
    district: str
    schools: int
    indicators: list[ReadinessRow]
    overall: list[ReadinessOverall]


StandardKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,30}$",
                                   description="规范 key（须已启用）", examples=["youzhi"])]


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


@router.get("/districts/{code}/readiness/{standard}", response=responses(ReadinessOut, 403, 404),
            summary="按另一规范的达标情况（优质均衡）/ readiness against an active standard")
def district_readiness(request, code: DistrictCode, standard: StandardKey):
    """Each indicator per 学段: schools meeting it, the 校际差异系数 and the county verdict,
    judged on demand from the stored facts (not stored as a run)."""
    r = standards.district_readiness(actor=actor(request), code=code, standard=standard)
    return {"standard": r.catalog.standard.key, "version": r.catalog.version,
            "district": r.district, "schools": r.schools, "indicators": r.rows,
            "overall": r.overall}


class ReadinessExportIn(Schema):
    format: Literal["xlsx", "docx"] = "xlsx"
    lang: Literal["zh", "en"] = "zh"


READINESS_FILE = {200: {"description": "达标情况文件 / the readiness workbook or Word document",
                        "content": {t: {"schema": {"type": "string", "format": "binary"}}
                                    for t in (reports.XLSX, reports.DOCX)}}}


@router.get("/districts/{code}/readiness/{standard}/export", response=responses(None, 403, 404),
            openapi_extra={"responses": READINESS_FILE},
            summary="达标情况导出（xlsx/docx）/ readiness as a workbook or Word document")
def district_readiness_export(request, code: DistrictCode, standard: StandardKey,
                              params: Query[ReadinessExportIn]):
    """The readiness operation's figures as a file, the same rows as the readiness page."""
    r = reports.readiness_export(actor=actor(request), code=code, standard=standard,
                                 fmt=params.format, lang=params.lang)
    response = HttpResponse(r.content, content_type=r.content_type)
    response["Content-Disposition"] = content_disposition_header(True, r.filename)
    response["Cache-Control"] = "private, no-store"
    return response
