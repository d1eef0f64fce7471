"""Assessment runs and their results, scoped row by row; POST runs the engine over a school or
a district the caller may edit (through `usecases.runs.assess`).

A run is listed when it judged at least one school the caller sees; for anyone but the city its
counts are recomputed over those schools only, so no other school's figures leak.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import Exists, OuterRef, QuerySet
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import ConfigDict, model_validator

from campusplan.accounts import scope
from campusplan.accounts.choices import Level
from campusplan.api.auth import actor, school_of, user_of, whole_district
from campusplan.api.errors import ApiError
from campusplan.api.listing import listing_of
from campusplan.api.schemas import (
    DistrictCode,
    LevelName,
    PageIn,
    RequirementId,
    SchoolCode,
    Search,
    StatusName,
    order,
    orderings,
    page_of,
    paginate,
    responses,
)
from campusplan.assessments import dashboards
from campusplan.assessments.models import AssessmentRun, ResultRow, SchoolScore
from campusplan.assessments.selectors import (
    as_rows,
    current_matrix,
    current_runs,
    explanations,
    run_counts,
)
from campusplan.catalog.loader import load_catalog
from campusplan.usecases import runs, scoping
from campusplan.usecases.filters import RESULT_ORDER

router = Router(tags=["assessments 达标评估"])


class RunOut(Schema):
    id: int
    catalog_version: str
    catalog_checksum: str
    as_of: dt.date
    created_at: dt.datetime
    actor: str
    scope_kind: Literal["district", "school", "all"]
    scope_code: str
    schools: int = Field(description="您可见的被评估学校数")
    results: int = Field(description="您可见的结果行数")
    counts: dict[str, int] = Field(description="状态 → 行数（您可见的学校）")


class ResultOut(Schema):
    run: int
    school: str
    school_name: str
    district: str
    requirement_id: str
    item: int | None
    level: LevelName
    status: StatusName
    actual: float | None
    required: float | None
    shortfall: float | None
    basis: float | None
    rows_short: float | None  # rooms/services of a per-room check failing or missing
    explanation: str | None


class RateOut(Schema):
    met: int
    gaps: int
    violations: int
    judged: int = Field(description="判定所依据的必配要求数（达标 + 未达标 + 违规） / required "
                        "requirements judged: the rate's denominator")
    applicable: int
    unknown: int
    optional_gaps: int
    rate: float | None = Field(description="必配达标率 = met ÷ judged；无可判定时为 null")
    completeness: float | None = Field(description="数据完整度")
    comparable: bool | None = Field(description="数据完整度达到目录阈值（campusplan 的设定）时为 "
                                    "true；低于阈值为 false（不可比）；无适用要求时为 null")


class SchoolScoreOut(RateOut):
    school: str
    school_name: str
    district: str
    run: int


class DistrictScoreOut(RateOut):
    district: str
    schools: int


class ScoreFilter(Schema):
    district: DistrictCode | None = None
    school: SchoolCode | None = None


class RunIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"school": "1101080101"},
                                                              {"district": "110108"}]})

    school: SchoolCode | None = Field(None, description="评估一所学校")
    district: DistrictCode | None = Field(None, description="或评估一个区的全部学校")
    as_of: dt.date | None = Field(None, description="评估日期（默认今天）")
    explain: bool = Field(False, description="已不再使用：说明在读取时按语言生成 / ignored: "
                          "explanations are rendered when read")
    lang: Literal["zh", "en"] = "zh"

    @model_validator(mode="after")
    def _one_scope(self) -> RunIn:
        if (self.school is None) == (self.district is None):
            raise ValueError("give exactly one of school or district / school 与 district 二选一")
        if self.as_of is not None and not dt.date(2000, 1, 1) <= self.as_of <= dt.date(2100, 1,
                                                                                        1):
            raise ValueError("as_of must be between 2000 and 2100")
        return self


class RunFilter(Schema):
    scope_kind: Literal["district", "school", "all"] | None = None
    district: DistrictCode | None = Field(None, description="评估过该区学校的批次")
    school: SchoolCode | None = Field(None, description="评估过该校的批次")
    ordering: orderings("created_at", "as_of", "id") = "-id"


class ResultFilter(Schema):
    """The parameters of the web's result list (usecases.filters.ResultFilter), same names."""

    q: Search | None = Field(None, description="学校名称或标识码包含")
    district: DistrictCode | None = None
    school: SchoolCode | None = None
    item: int | None = Field(None, ge=1, le=1000)
    area: Literal[tuple(a.key for a in load_catalog().standard.areas)] | None = Field(
        None, description="领域 / area of the standard")
    requirement: RequirementId | None = None
    status: Literal["gap", "violation", "unknown", "failing"] | None = Field(
        None, description="状态；failing = 未达标或违规。结果列表只含需关注的行（未达标、违规、未知），"
                          "达标与不适用见 GET /schools/{code}/results / gap, violation, unknown; "
                          "failing = gap or violation. The lists hold the rows that need "
                          "attention; a school's every row: GET /schools/{code}/results")
    level: LevelName | None = None
    ordering: orderings(*RESULT_ORDER) = "school"
    lang: Literal["zh", "en"] = Field("zh", description="说明的语言 / language of explanations")




# --- scoping --------------------------------------------------------------------------------


def _is_city(request) -> bool:
    p = scope.profile_of(user_of(request))
    return p is not None and p.level == Level.CITY


def _visible_runs(request, schools=None) -> QuerySet:
    visible = schools if schools is not None else scope.visible_schools(user_of(request))
    rows = SchoolScore.objects.filter(run=OuterRef("pk"), school__in=visible.values("pk"))
    runs = AssessmentRun.objects.all()
    if schools is None and _is_city(request):
        return runs
    return runs.filter(Exists(rows))


def _run_out(runs: list[AssessmentRun], request) -> list[dict[str, Any]]:
    if _is_city(request):
        return [_run_dict(r, r.schools, r.results, r.counts) for r in runs]
    user = user_of(request)
    profile = scope.profile_of(user)
    district = profile.district if profile is not None and profile.level == Level.DISTRICT \
        else None
    counts = run_counts(runs=runs, schools=scope.visible_schools(user).values("pk"),
                        district=district)
    return [_run_dict(r, counts[r.pk][0], sum(counts[r.pk][1].values()), counts[r.pk][1])
            for r in runs]


def _run_dict(r: AssessmentRun, schools: int, results: int, counts: dict) -> dict[str, Any]:
    return {"id": r.pk, "catalog_version": r.catalog_version,
            "catalog_checksum": r.catalog_checksum, "as_of": r.as_of,
            "created_at": r.created_at, "actor": r.actor, "scope_kind": r.scope_kind,
            "scope_code": r.scope_code, "schools": schools, "results": results,
            "counts": dict(counts)}


def _run(request, run_id: int) -> AssessmentRun:
    run = _visible_runs(request).filter(pk=run_id).first()
    if run is None:
        raise ApiError(404, "not_found")
    return run


def _filtered(request, rows: QuerySet, f: ResultFilter) -> QuerySet:
    """The rows through the web result list's FilterSet (one definition of every filter)."""
    return listing_of(request, "results", f, rows.select_related("school__district")).rows


def _result_out(r: ResultRow, said: dict) -> dict[str, Any]:
    return {"run": r.run_id, "school": r.school.code, "school_name": r.school.name,
            "district": r.school.district.code, "requirement_id": r.requirement_id,
            "item": r.item, "level": r.level, "status": r.status, "actual": r.actual,
            "required": r.required, "shortfall": r.shortfall, "basis": r.basis,
            "rows_short": r.rows_short, "explanation": said.get((r.school.code, r.requirement_id))}


def _results_page(rows: QuerySet, page: PageIn, lang: str) -> dict[str, Any]:
    """A page of result rows, each explained from its numbers in `lang` — for the current
    run (older runs' rows carry their numbers; their explanation is null)."""
    out = paginate(rows, page)
    now = current_runs(school_ids={r.school_id for r in out["items"]})
    current = [r for r in out["items"] if now.get(r.school_id) == r.run_id]
    schools = list({r.school_id: r.school for r in current}.values())
    said = explanations(schools=schools, catalog=load_catalog(), lang=lang) if schools else {}
    out["items"] = [_result_out(r, said if now.get(r.school_id) == r.run_id else {})
                    for r in out["items"]]
    return out


# --- endpoints ------------------------------------------------------------------------------


@router.get("/runs", response=responses(page_of(RunOut, "RunPage")),
            summary="评估批次 / assessment runs")
def run_list(request, filters: Query[RunFilter], page: Query[PageIn]):
    schools = None
    if filters.district or filters.school:
        schools = scope.visible_schools(user_of(request))
        if filters.district:
            schools = schools.filter(district__code=filters.district)
        if filters.school:
            schools = schools.filter(code=filters.school)
    runs = _visible_runs(request, schools)
    if filters.scope_kind:
        runs = runs.filter(scope_kind=filters.scope_kind)
    runs = order(runs, filters.ordering, {"created_at": "created_at", "as_of": "as_of",
                                          "id": "id"})
    out = paginate(runs, page)
    out["items"] = _run_out(out["items"], request)
    return out


@router.get("/runs/{run_id}", response=responses(RunOut, 404), summary="一个评估批次 / one run")
def run_detail(request, run_id: int = Path(..., ge=1, le=2**62)):
    return _run_out([_run(request, run_id)], request)[0]


@router.get("/runs/{run_id}/results", response=responses(page_of(ResultOut, "ResultPage"), 404),
            summary="一个批次的结果 / the results of one run")
def run_results(request, filters: Query[ResultFilter], page: Query[PageIn],
                run_id: int = Path(..., ge=1, le=2**62)):
    run = _run(request, run_id)
    visible = scope.visible_schools(user_of(request)).values("pk")
    rows = ResultRow.objects.filter(run=run, school__in=visible)
    return _results_page(_filtered(request, rows, filters), page, filters.lang)


@router.get("/results", response=responses(page_of(ResultOut, "LatestResultPage")),
            summary="每所学校最近一次的评估结果 / each school's latest results")
def result_list(request, filters: Query[ResultFilter], page: Query[PageIn]):
    found = listing_of(request, "results", filters)  # the caller's current rows, filtered
    return _results_page(found.rows, page, filters.lang)


class SchoolResultFilter(Schema):
    model_config = ConfigDict(extra="forbid")

    status: StatusName | None = None
    requirement: RequirementId | None = None
    lang: Literal["zh", "en"] = Field("zh", description="说明的语言 / language of explanations")


@router.get("/schools/{code}/results",
            response=responses(page_of(ResultOut, "SchoolResultPage"), 404),
            summary="一所学校当前的全部结果（含达标、不适用）/ a school's every current result")
def school_results(request, code: SchoolCode, filters: Query[SchoolResultFilter],
                   page: Query[PageIn]):
    """What the school page shows: every requirement's current result, met and not applicable
    too (read from the run's file), in the standard's order, explained in `lang`."""
    school = school_of(request, code)
    rows = as_rows(current_matrix(schools=[school]))
    rows = [r for r in rows if filters.status in (None, r.status)
            and filters.requirement in (None, r.requirement_id)]
    order_of = {r.id: n for n, (_a, _i, r) in enumerate(load_catalog().standard.requirements())}
    rows.sort(key=lambda r: (order_of.get(r.requirement_id, 10_000), r.requirement_id))
    for r in rows:
        r.school = school
    out = paginate(rows, page)
    said = explanations(schools=[school], catalog=load_catalog(), lang=filters.lang) \
        if out["items"] else {}
    out["items"] = [_result_out(r, said) for r in out["items"]]
    return out


@router.get("/scores", response=responses(page_of(SchoolScoreOut, "SchoolScorePage")),
            summary="每所学校当前的达标率 / each school's current rate")
def score_list(request, filters: Query[ScoreFilter], page: Query[PageIn]):
    """The rate with the number of required requirements it rests on (`judged`) and whether
    it is `comparable` (data completeness at the catalog's threshold), as the pages show it."""
    return paginate(dashboards.school_scores(schools=_score_schools(request, filters)), page,
                    dashboards.score_dict)


@router.get("/scores/districts",
            response=responses(page_of(DistrictScoreOut, "DistrictScorePage")),
            summary="各区当前的达标率 / each district's current rate")
def district_score_list(request, filters: Query[ScoreFilter], page: Query[PageIn]):
    rows = dashboards.district_scores(schools=_score_schools(request, filters))
    return paginate([r | {"district": r["school__district__code"]} for r in rows], page)


def _score_schools(request, filters: ScoreFilter):
    schools = scope.visible_schools(user_of(request))
    if filters.district:
        schools = schools.filter(district__code=filters.district)
    if filters.school:
        schools = schools.filter(code=filters.school)
    return schools


@router.post("/runs", response=responses(RunOut, 400, 403, 404, 409, status=201),
             summary="评估一所学校或一个区 / assess a school or a district")
def run_create(request, payload: RunIn):
    """Runs the engine over the stored facts now and stores the run (school: your own scope;
    district: city accounts, or that district's own)."""
    who = actor(request)
    if payload.school:
        schools = [school_of(request, payload.school, edit=True)]
    else:
        whole_district(request, payload.district, edit=True)
        schools = scoping.district_schools(who, payload.district, edit=True)
    if not schools:
        raise ApiError(422, "invalid_data", "该区没有已登记的学校", "the district has no stored schools")
    run, _result = runs.assess(actor=who, schools=schools, as_of=payload.as_of)
    return Status(201, _run_out([run], request)[0])
