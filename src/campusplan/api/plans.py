"""Plans: the priced, phased work that closes a school's or a district's gaps, from their stored
run (usecases.plans: the judgement the dashboards show), under `budget` × `years`."""

from __future__ import annotations

import math
from typing import Any, Literal

from ninja import Field, Query, Router, Schema
from pydantic import model_validator

from campusplan.api.auth import actor, school_of, whole_district
from campusplan.api.schemas import DistrictCode, PageIn, SchoolCode, page_of, responses
from campusplan.catalog.loader import load_catalog
from campusplan.planning.phasing import yearly_totals
from campusplan.planning.prices import default_prices
from campusplan.reports.content import totals as plan_totals
from campusplan.usecases import scoping
from campusplan.usecases.plans import budget_of, planned

router = Router(tags=["plans 建设规划"])


class PlanIn(Schema):
    school: SchoolCode | None = Field(None, description="一所学校")
    district: DistrictCode | None = Field(None, description="或一个区（需能看到全区）")
    budget: float = Field(1_000_000, ge=0, le=1e12, allow_inf_nan=False,
                          description="预算（元）：每年，或 basis=total 时为各年合计")
    basis: Literal["year", "total"] = Field("year", description="year: 每年 · total: 总额")
    years: int = Field(3, ge=1, le=20, description="规划年数")
    per: Literal["school", "all"] = Field("school", description="school: 每校预算; all: 共用")
    lang: Literal["zh", "en"] = "zh"

    @model_validator(mode="after")
    def _one_scope(self) -> PlanIn:
        if (self.school is None) == (self.district is None):
            raise ValueError("give exactly one of school or district / school 与 district 二选一")
        return self


class PlanLineOut(Schema):
    school_id: str
    school: str | None
    district: str | None
    kind: str = Field(description="gap | violation | refresh")
    requirement_id: str | None
    item: int | None
    level: str | None
    status: str | None
    tier: int
    line: str | None
    label: str
    unit: str
    quantity: float
    unit_price: float | None
    cost: float | None
    priced: bool
    action: str
    explanation: str | None
    priced_by: str = Field(description="city: 市级默认单价 · district: 区协议供货价 · 空: 未定价")
    year: int | None
    funding: Literal["scheduled", "unfunded", "unpriced"]


class PlanTotalOut(Schema):
    funding: Literal["scheduled", "unfunded", "unpriced"]
    year: int | None
    cost: float | None
    lines: int


class BudgetOut(Schema):
    per_year: float
    years: int
    per: Literal["school", "all"]


class PlanOut(page_of(PlanLineOut, "PlanLinePage")):
    catalog: str
    prices: str
    run: int | None = Field(description="规划所依据的评估批次 / the stored run it plans from")
    schools: int
    budget: BudgetOut
    totals: list[PlanTotalOut]
    unpriced: int = Field(description="待定价 N 项")
    coverage: float | None = Field(description="价格覆盖率：已定价的规划行占比")


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: None if isinstance(v, float) and not math.isfinite(v) else v
            for k, v in row.items()}


def _total(row: dict[str, Any]) -> dict[str, Any]:
    """Unpriced lines have no cost yet: null, never 0."""
    return _clean(row) | ({"cost": None} if row["funding"] == "unpriced" else {})


@router.get("/plans", response=responses(PlanOut, 403, 404),
            summary="建设规划与分年度预算 / plan lines phased under a budget")
def plan(request, params: Query[PlanIn], page: Query[PageIn]):
    """The plan of the schools' current stored run (the one the dashboards show; `run`)."""
    who = actor(request)
    if params.school:
        schools = [school_of(request, params.school)]
    else:
        whole_district(request, params.district)
        schools = scoping.district_schools(who, params.district)
    budget = budget_of(amount=params.budget, years=params.years, basis=params.basis,
                       per=params.per)
    p = planned(actor=who, schools=schools, budget=budget, lang=params.lang) if schools else None
    rows = p.lines.to_dicts() if p is not None else []
    totals = yearly_totals(p.lines).to_dicts() if p is not None and p.lines.height else []
    tot = plan_totals(p.lines) if p is not None else {"unpriced": 0, "coverage": None}
    return {"catalog": load_catalog().version,
            "prices": p.prices.version if p is not None else default_prices().version,
            "unpriced": tot["unpriced"], "coverage": tot["coverage"],
            "run": p.run if p is not None else None, "schools": len(schools),
            "budget": budget.__dict__, "totals": [_total(t) for t in totals],
            "count": len(rows), "limit": page.limit, "offset": page.offset,
            "items": [_clean(r) for r in rows[page.offset:page.offset + page.limit]]}
