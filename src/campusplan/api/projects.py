"""Construction projects (建设项目): made from a line of a school's current plan, followed to
completion; completing one writes the delivered facts and re-assesses (usecases.projects)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Path, Query, Router, Schema

from campusplan.api.auth import actor, whole_district
from campusplan.api.errors import ApiError, problem_details
from campusplan.api.schemas import DistrictCode, PageIn, SchoolCode, page_of, paginate, responses
from campusplan.usecases import projects as cases

router = Router(tags=["projects 建设项目"])
Status = Literal["planned", "approved", "procuring", "completed", "cancelled"]
Funding = Literal["city", "district", "school"]


class ProjectOut(Schema):
    id: int
    school: str
    district: str
    title: str
    line: str
    requirement_ids: str
    quantity: float
    unit: str
    planned_cost: float | None
    price_list: str
    status: Status
    funding_source: Funding
    contract_amount: float | None
    supplier: str
    owner: str
    start_on: dt.date | None
    due_on: dt.date | None
    completed_on: dt.date | None


class ProjectIn(Schema):
    school: SchoolCode
    requirement_id: str = Field("", max_length=200, description="规划行的要求编号，如 10-1")
    line: str = Field("", max_length=60, description="规划行的单价条目，如 teacher_laptop")
    funding_source: Funding = "district"
    owner: str = Field("", max_length=100)


class ProjectPatch(Schema):
    status: Status | None = None
    funding_source: Funding | None = None
    contract_amount: float | None = Field(None, ge=0, le=1e12, allow_inf_nan=False)
    supplier: str | None = Field(None, max_length=200)
    owner: str | None = Field(None, max_length=100)
    start_on: dt.date | None = None
    due_on: dt.date | None = None
    completed_on: dt.date | None = None


class CompletionOut(Schema):
    project: ProjectOut
    facts: dict[str, float | bool | str] = Field(description="完成时写入的学校指标")
    run: int | None


def out(p) -> dict:
    return {"id": p.pk, "school": p.school.code, "district": p.district.code, "title": p.title,
            "line": p.line, "requirement_ids": p.requirement_ids, "quantity": p.quantity,
            "unit": p.unit, "planned_cost": None if p.planned_cost is None else
            float(p.planned_cost), "price_list": p.price_list, "status": p.status,
            "funding_source": p.funding_source, "contract_amount": None if p.contract_amount
            is None else float(p.contract_amount), "supplier": p.supplier, "owner": p.owner,
            "start_on": p.start_on, "due_on": p.due_on, "completed_on": p.completed_on}


def _invalid(exc: cases.ProjectInvalid) -> ApiError:
    return ApiError(422, "invalid_data", details=problem_details(exc.problems))


@router.get("/projects", response=responses(page_of(ProjectOut, "ProjectPage"), 403, 404),
            summary="建设项目 / projects in scope")
def project_list(request, page: Query[PageIn], district: DistrictCode | None = None,
                 school: SchoolCode | None = None):
    if district:
        whole_district(request, district)
    rows = cases.projects_in(actor=actor(request), district=district or "", school=school or "")
    return paginate(rows.order_by("id"), page, out)


@router.post("/projects", response=responses(ProjectOut, 403, 404, 422, status=201),
             summary="由规划行立项 / make a project from a plan line")
def project_create(request, payload: ProjectIn):
    try:
        p = cases.create_project(actor=actor(request), school=payload.school,
                                 requirement_id=payload.requirement_id, line=payload.line,
                                 funding_source=payload.funding_source, owner=payload.owner)
    except cases.ProjectInvalid as exc:
        raise _invalid(exc) from None
    return 201, out(p)


@router.patch("/projects/{pk}", response=responses(CompletionOut, 403, 404, 422),
              summary="更新项目（完成时更新学校数据并重新评估）/ update a project")
def project_update(request, payload: ProjectPatch, pk: int = Path(..., ge=1, le=2**62)):
    values = payload.dict(exclude_unset=True)
    values = {k: v for k, v in values.items() if v is not None or k in (
        "contract_amount", "start_on", "due_on", "completed_on")}
    try:
        done = cases.update_project(actor=actor(request), pk=pk, values=values)
    except cases.ProjectInvalid as exc:
        raise _invalid(exc) from None
    return {"project": out(done.project), "facts": done.facts,
            "run": done.run.pk if done.run is not None else None}
