"""Campaigns (填报任务) — the same steps as the web pages and `campusplan campaign`, each one
call of usecases.campaigns: open, list with 上报率 / 及时率, a district's review rows, submit,
approve / return in bulk, unlock, confirm a district, and the diff of two campaigns' official
runs; a school keeps the newer of values changed since its last acceptance (`…/keep`). A step
the state does not allow answers 409; a write to a locked school's facts too."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Query, Router, Schema, Status

from campusplan.accounts import scope
from campusplan.api.auth import actor, user_of
from campusplan.api.schemas import DistrictCode, PageIn, SchoolCode, page_of, paginate, responses
from campusplan.assessments.selectors import run_diff
from campusplan.campaigns import selectors as cs
from campusplan.campaigns.choices import OPEN
from campusplan.catalog.loader import load_catalog
from campusplan.usecases import campaigns as uc

router = Router(tags=["campaigns 填报任务"])


class RatesOut(Schema):
    schools: int
    reported: int
    on_time: int
    report_rate: float | None = Field(description="上报率")
    on_time_rate: float | None = Field(description="及时率")
    states: dict[str, int]


class CampaignOut(Schema):
    id: int
    title: str
    school_year: int
    as_of: dt.date
    deadline: dt.date
    areas: list[str]
    instructions: str
    district: str | None = Field(description="开启的区；null 为市级开启")
    rates: RatesOut


class CampaignIn(Schema):
    school_year: int = Field(ge=2000, le=2100, description="学年，如 2026")
    as_of: dt.date = Field(description="统计时点")
    deadline: dt.date = Field(description="截止日期")
    areas: list[str] = Field([], max_length=20, description="填报的领域（空为全部）")
    instructions: str = Field("", max_length=5000)
    title: str = Field("", max_length=120)
    district: DistrictCode | None = Field(None, description="区级开启时的区；市级开启为空")


class DifferenceOut(Schema):
    key: str
    old: bool | int | float | str | None
    new: bool | int | float | str | None


class WarningOut(Schema):
    key: str
    old: float
    new: float
    note: str


class SinceAcceptedOut(Schema):
    key: str
    accepted: bool | int | float | str | None = Field(description="上次审核通过的值（本次填报的起点）")
    current: bool | int | float | str | None = Field(description="现存值")
    by: str
    at: dt.datetime | None


class SubmissionOut(Schema):
    school: str
    name: str
    district: str
    state: str
    timeliness: str
    completeness: float | None
    submitted_at: dt.datetime | None
    reasons: list[dict[str, str]]
    warnings: list[WarningOut]
    differences: list[DifferenceOut]
    since_accepted: list[SinceAcceptedOut] = Field(
        description="上次审核通过后、本次开启前修改、尚待学校确认的数据（确认前不能提交）")


class ReviewIn(Schema):
    action: Literal["approve", "return"]
    schools: list[SchoolCode] = Field(min_length=1, max_length=1000)
    reasons: list[dict[str, str]] = Field([], max_length=100,
                                          description='退回原因 [{"target": "fact.x", "text": "…"}]')


class ReasonIn(Schema):
    reason: str = Field(max_length=500)


class KeepIn(Schema):
    keys: list[str] = Field([], max_length=500,
                            description="保留现值的数据（fact.x、teachers…）；空为全部")


class ConfirmOut(Schema):
    district: str
    run: int
    label: str


class DiffIn(Schema):
    old: int = Field(ge=1, le=2**31 - 1, description="较早的填报任务 id")
    new: int = Field(ge=1, le=2**31 - 1, description="较新的填报任务 id")


class SchoolDiffOut(Schema):
    school: str
    district: str
    improved: list[str]
    regressed: list[str]
    new_violations: list[str]


def _rates(r: cs.Rates) -> dict[str, Any]:
    return {"schools": r.schools, "reported": r.reported, "on_time": r.on_time,
            "report_rate": r.report_rate, "on_time_rate": r.on_time_rate, "states": r.states}


def _campaign(c, request) -> dict[str, Any]:
    return {"id": c.pk, "title": c.title, "school_year": c.school_year, "as_of": c.as_of,
            "deadline": c.deadline, "areas": c.areas, "instructions": c.instructions,
            "district": c.district.code if c.district_id else None,
            "rates": _rates(cs.rates(c, scope.visible_schools(user_of(request))))}


def _submission(row: cs.ReviewRow) -> dict[str, Any]:
    sub = row.submission
    return {"school": sub.school.code, "name": sub.school.name,
            "district": sub.school.district.code, "state": sub.state,
            "timeliness": row.timeliness.value, "completeness": row.completeness,
            "submitted_at": sub.last_submitted_at, "reasons": sub.reasons,
            "warnings": [{"key": w.key, "old": w.old, "new": w.new, "note": w.rule.note}
                         for w in row.warnings],
            "differences": [{"key": d.key, "old": d.old, "new": d.new} for d in row.differences],
            "since_accepted": [{"key": c.key, "accepted": c.accepted, "current": c.current,
                                "by": c.by, "at": c.at} for c in cs.since_accepted(sub)]
            if sub.state in OPEN else []}


@router.get("/campaigns", response=responses(page_of(CampaignOut, "CampaignPage")),
            summary="填报任务列表 / campaigns")
def campaign_list(request, page: Query[PageIn]):
    return paginate(uc.visible_campaigns(actor(request)), page, lambda c: _campaign(c, request))


@router.post("/campaigns", response=responses(CampaignOut, 403, 404, status=201),
             summary="开启填报任务 / open a campaign")
def campaign_open(request, body: CampaignIn):
    c = uc.open_campaign(actor=actor(request), school_year=body.school_year, as_of=body.as_of,
                         deadline=body.deadline, areas=body.areas,
                         instructions=body.instructions, title=body.title,
                         district=body.district)
    return Status(201, _campaign(c, request))


@router.get("/campaigns/diff", response=responses(list[SchoolDiffOut], 404),
            summary="两次正式评估对比 / diff two campaigns' official runs")
def campaign_diff(request, q: Query[DiffIn]):
    me = actor(request)
    old, new = uc.campaign_of(me, q.old), uc.campaign_of(me, q.new)
    runs = [list(c.districts.filter(run__isnull=False).values_list("run_id", flat=True))
            for c in (old, new)]
    diffs = run_diff(old_runs=runs[0], new_runs=runs[1],
                     schools=scope.visible_schools(user_of(request)))
    return [{"school": d.code, "district": d.district, "improved": d.improved,
             "regressed": d.regressed, "new_violations": d.new_violations} for d in diffs]


@router.get("/campaigns/{campaign_id}", response=responses(CampaignOut, 404),
            summary="填报任务 / one campaign")
def campaign_get(request, campaign_id: int):
    return _campaign(uc.campaign_of(actor(request), campaign_id), request)


@router.get("/campaigns/{campaign_id}/schools",
            response=responses(page_of(SubmissionOut, "SubmissionPage"), 404),
            summary="各校填报状态与审核信息 / each school's submission, for the review")
def campaign_schools(request, campaign_id: int, page: Query[PageIn]):
    campaign = uc.campaign_of(actor(request), campaign_id)
    rows = cs.review_rows(campaign, scope.visible_schools(user_of(request)), load_catalog())
    return paginate(rows, page, _submission)


def _one(request, campaign, code: str) -> dict[str, Any]:
    schools = scope.visible_schools(user_of(request)).filter(code=code)
    return _submission(cs.review_rows(campaign, schools, load_catalog())[0])


@router.post("/campaigns/{campaign_id}/schools/{code}/submit",
             response=responses(SubmissionOut, 403, 404, 409),
             summary="学校提交（锁定数据）/ a school submits (its data locks)")
def campaign_submit(request, campaign_id: int, code: SchoolCode,
                    keep_changed: bool = False):
    """`keep_changed=true` keeps the newer of values changed since the last acceptance that
    are not settled yet; without it such values answer 409."""
    me = actor(request)
    campaign = uc.campaign_of(me, campaign_id)
    uc.submit(actor=me, campaign=campaign, code=code, keep_changed=keep_changed)
    return _one(request, campaign, code)


@router.post("/campaigns/{campaign_id}/schools/{code}/keep",
             response=responses(SubmissionOut, 403, 404, 409),
             summary="保留上次审核通过后修改的现值 / keep values changed since the last acceptance")
def campaign_keep(request, campaign_id: int, code: SchoolCode, body: KeepIn):
    """Taking the accepted value back is an ordinary write of it
    (`PUT /schools/{code}/facts/{key}`)."""
    me = actor(request)
    campaign = uc.campaign_of(me, campaign_id)
    uc.keep_values(actor=me, campaign=campaign, code=code, keys=body.keys or None)
    return _one(request, campaign, code)


@router.post("/campaigns/{campaign_id}/schools/{code}/unlock",
             response=responses(SubmissionOut, 403, 404, 409),
             summary="解锁（须写明原因）/ unlock, with a reason")
def campaign_unlock(request, campaign_id: int, code: SchoolCode, body: ReasonIn):
    me = actor(request)
    campaign = uc.campaign_of(me, campaign_id)
    uc.unlock(actor=me, campaign=campaign, code=code, reason=body.reason)
    return _one(request, campaign, code)


@router.post("/campaigns/{campaign_id}/review",
             response=responses(list[SubmissionOut], 403, 404, 409),
             summary="批量审核通过或退回 / approve or return schools in bulk")
def campaign_review(request, campaign_id: int, body: ReviewIn):
    me = actor(request)
    campaign = uc.campaign_of(me, campaign_id)
    if body.action == "approve":
        uc.approve(actor=me, campaign=campaign, codes=body.schools)
    else:
        uc.return_submissions(actor=me, campaign=campaign, codes=body.schools,
                              reasons=body.reasons)
    schools = scope.visible_schools(user_of(request)).filter(code__in=body.schools)
    return [_submission(r) for r in cs.review_rows(campaign, schools, load_catalog())]


@router.post("/campaigns/{campaign_id}/districts/{code}/confirm",
             response=responses(ConfirmOut, 403, 404, 409),
             summary="市级确认一个区（生成正式评估）/ the city confirms a district")
def campaign_confirm(request, campaign_id: int, code: DistrictCode):
    me = actor(request)
    part = uc.confirm_district(actor=me, campaign=uc.campaign_of(me, campaign_id), district=code)
    return {"district": part.district.code, "run": part.run_id, "label": part.run.label}
