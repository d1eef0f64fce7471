"""Schools, their facts (read with provenance, written through `usecases.facts.set_fact`), rooms, devices
and services — always from `accounts.scope`: 404 outside it, 403 for an auditor's write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import Count
from ninja import Field, Path, Query, Router, Schema

from campusplan.accounts import scope
from campusplan.accounts.choices import Level
from campusplan.api.auth import actor, school_of, user_of
from campusplan.api.errors import ApiError
from campusplan.api.listing import listing_of
from campusplan.api.schemas import (
    ChangeOut,
    DistrictCode,
    FactKey,
    OutValue,
    PageIn,
    RequirementId,
    RoomCode,
    SchoolCode,
    Search,
    SourceOut,
    StageOut,
    Value,
    WhereOut,
    change_out,
    conflict_out,
    order,
    orderings,
    page_of,
    paginate,
    responses,
)
from campusplan.catalog.loader import load_catalog
from campusplan.catalog.schema import FactType, Scope
from campusplan.schools.models import (
    STAGE_COLUMNS,
    STAGES,
    Device,
    FactValue,
    PurchasedService,
    Room,
    School,
)
from campusplan.usecases.facts import FactConflict, clear_fact, set_fact
from campusplan.usecases.filters import SCHOOL_ORDER

router = Router(tags=["schools 学校"])
Subject = Literal["school", "room", "service"]


# --- schemas --------------------------------------------------------------------------------


class SchoolOut(Schema):
    code: str
    name: str
    district: str
    district_name: str
    type: str = Field(description="办学类型代码")
    teachers: int | None
    smart_phase: str
    updated_at: dt.datetime
    version: int = Field(description="数据版本：每次写入加一；写入指标时回传以发现冲突")


class SchoolRowOut(SchoolOut):
    rate: float | None = Field(description="达标率（必配，0–1）；未评估为空")
    completeness: float | None
    gaps: int | None
    violations: int | None
    unknown: int | None


class SchoolDetailOut(SchoolOut):
    stages: dict[str, StageOut]
    smart_phase_since: dt.date | None
    approved_data_center: bool
    rooms_inventoried: bool
    services_inventoried: bool
    rooms: int
    devices: int
    services: int
    facts: int = Field(description="当前的学校级指标数")


class FactValueOut(Schema):
    key: str
    value: OutValue
    subject: Subject
    room: str | None = Field(description="房间编号（房间指标）")
    service: int | None = Field(description="服务 id（服务指标）")
    recorded_at: dt.datetime
    superseded_at: dt.datetime | None
    source: SourceOut
    where: WhereOut
    derived_from: str


class FactIn(Schema):
    value: Value
    version: int | None = Field(None, ge=0, description="读取时学校的数据版本（version）；"
                                "此后该值被他人修改则 409，不写入")
    force: bool = Field(False, description="即使冲突也写入")


class FactWriteOut(Schema):
    changed: bool
    changes: list[ChangeOut]
    fact: FactValueOut | None


class RoomOut(Schema):
    code: str
    type: str
    name: str
    campus: str | None
    facts: dict[str, OutValue]


class DeviceOut(Schema):
    asset_tag: str
    kind: str
    room: str | None
    model: str
    purchase_date: dt.date | None
    cost: float | None


class ServiceOut(Schema):
    id: int
    category: str
    name: str
    vendor: str
    provided_by: str
    facts: dict[str, OutValue]


Percent = Annotated[float, Field(ge=0, le=100, description="百分数 / percent")]


class SchoolFilter(Schema):
    """The parameters of the web's school list (usecases.filters.SchoolFilter), same names."""

    district: DistrictCode | None = None
    type: str | None = Field(None, pattern=r"^[0-9]{3}$", description="办学类型代码")
    smart_phase: Literal["none", "exploration", "pilot", "general"] | None = None
    q: Search | None = Field(None, description="名称或标识码包含")
    status: Literal["violation", "gap", "failing", "met", "unknown", "unassessed"] | None = Field(
        None, description="有违规 / 有未达标 / 二者之一 / 必配全部达标 / 有未知 / 未评估")
    rate_from: Percent | None = Field(None, description="达标率 ≥（%）")
    rate_to: Percent | None = Field(None, description="达标率 <（%）")
    completeness_from: Percent | None = Field(None, description="数据完整度 ≥（%）")
    completeness_to: Percent | None = Field(None, description="数据完整度 <（%）")
    failing_requirement: RequirementId | None = Field(
        None, description="该配置要求未达标或违规的学校 / schools failing this requirement")
    failing_item: int | None = Field(None, ge=1, le=1000,
                                     description="该配置项有必配要求未达标或违规的学校")
    ordering: orderings(*SCHOOL_ORDER) = "code"


class FactFilter(Schema):
    subject: Subject | None = None
    key: FactKey | None = None
    room: RoomCode | None = None
    ordering: orderings("key", "recorded_at") = "key"


class RoomFilter(Schema):
    type: FactKey | None = None
    ordering: orderings("code", "type") = "code"


class DeviceFilter(Schema):
    kind: FactKey | None = None
    room: RoomCode | None = None
    ordering: orderings("asset_tag", "kind", "purchase_date") = "asset_tag"


# --- helpers --------------------------------------------------------------------------------


def _types() -> dict[tuple[str, str], FactType]:
    return {(f.scope.value, f.key): f.type for f in load_catalog().facts.facts}


def typed(fv: FactValue, types: dict) -> OutValue:
    v = fv.value
    if isinstance(v, float) and types.get((_subject(fv), fv.key)) == FactType.int:
        return int(v)
    return v


def _subject(fv: FactValue) -> str:
    return "room" if fv.room_id else "service" if fv.service_id else "school"


def fact_out(fv: FactValue, types: dict, hidden: set[int] = frozenset()) -> dict[str, Any]:
    s = fv.source
    return {"key": fv.key, "value": typed(fv, types), "subject": _subject(fv),
            "room": fv.room.code if fv.room_id else None, "service": fv.service_id,
            "recorded_at": fv.recorded_at, "superseded_at": fv.superseded_at,
            "source": {"id": s.pk, "kind": s.kind, "actor": s.actor, "created_at": s.created_at,
                       "file_name": "" if s.pk in hidden else s.file_name},
            "where": {"sheet": fv.sheet, "row": fv.row, "column": fv.column, "path": fv.path},
            "derived_from": fv.derived_from}


def hidden_sources(request, sources: set[int]) -> set[int]:
    """Sources whose file names must not be shown: a batch import also wrote schools outside
    the caller's scope, and its file names (often school codes or names) would reveal them."""
    user = user_of(request)
    profile = scope.profile_of(user)
    if profile is not None and profile.level == Level.CITY:
        return set()
    visible = scope.visible_schools(user).values("pk")
    return {pk for pk in sources if _wrote_outside(pk, visible)}


def _wrote_outside(source_id: int, visible) -> bool:
    return (FactValue.objects.filter(source_id=source_id).exclude(school__in=visible).exists()
            or School.objects.filter(profile_source_id=source_id).exclude(pk__in=visible)
            .exists()
            or Device.objects.filter(source_id=source_id).exclude(school__in=visible).exists())


def _facts_page(request, rows, page: PageIn) -> dict[str, Any]:
    out = paginate(rows, page)
    types = _types()
    hidden = hidden_sources(request, {fv.source_id for fv in out["items"]})
    out["items"] = [fact_out(fv, types, hidden) for fv in out["items"]]
    return out


def _facts_by(rows, field: str, types: dict) -> dict[int, dict[str, OutValue]]:
    out: dict[int, dict[str, OutValue]] = {}
    for fv in rows:
        out.setdefault(getattr(fv, field), {})[fv.key] = typed(fv, types)
    return out


def school_out(s: School) -> dict[str, Any]:
    return {"code": s.code, "name": s.name, "district": s.district.code,
            "district_name": s.district.name, "type": s.school_type, "teachers": s.teachers,
            "smart_phase": s.smart_phase or "none", "updated_at": s.updated_at,
            "version": s.version}


def _stages(s: School) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for st in STAGES:
        vals = {k: getattr(s, STAGE_COLUMNS[st, k]) for (st2, k) in STAGE_COLUMNS if st2 == st}
        if any(v is not None for v in vals.values()):
            out[st] = vals
    return out


def _via(request) -> str:
    name = getattr(getattr(request, "api_token", None), "name", "")
    return f"api:{name}" if name else "api"


def _written(request, school: School, key: str, payload: FactIn, **subject) -> dict[str, Any]:
    try:
        changes = set_fact(actor=actor(request), school=school, key=key, value=payload.value,
                           via=_via(request), version=payload.version, force=payload.force,
                           **subject).changes
    except FactConflict as exc:
        raise ApiError(409, "conflict", f"该值在版本 {payload.version} 之后已被修改，未写入",
                       f"the value changed after version {payload.version}; nothing written",
                       details=[conflict_out(c) | {"version": exc.version}
                                for c in exc.conflicts]) from None
    return _fact_answer(request, school, key, changes, subject)


def _cleared(request, school: School, key: str, scope: Scope, **subject) -> dict[str, Any]:
    if key not in load_catalog().facts.by_key(scope):
        raise ApiError(404, "not_found")
    changes = clear_fact(actor=actor(request), school=school, key=key, via=_via(request),
                         **subject).changes
    return _fact_answer(request, school, key, changes, subject)


def _fact_answer(request, school: School, key: str, changes, subject: dict) -> dict[str, Any]:
    current = FactValue.objects.select_related("source", "room").filter(
        school=school, key=key, superseded_at__isnull=True, room=subject.get("room"),
        service=subject.get("service")).first()
    return {"changed": bool(changes), "changes": [change_out(c) for c in changes],
            "fact": fact_out(current, _types(), hidden_sources(request, {current.source_id}))
            if current else None}


def _room(school: School, code: str) -> Room:
    room = Room.objects.filter(school=school, code=code).select_related("campus").first()
    if room is None:
        raise ApiError(404, "not_found")
    return room


def _service(school: School, pk: int) -> PurchasedService:
    svc = PurchasedService.objects.filter(school=school, pk=pk).first()
    if svc is None:
        raise ApiError(404, "not_found")
    return svc


# --- schools --------------------------------------------------------------------------------

def school_row_out(s: School) -> dict[str, Any]:
    return school_out(s) | {k: getattr(s, k) for k in
                            ("rate", "completeness", "gaps", "violations", "unknown")}


@router.get("/schools", response=responses(page_of(SchoolRowOut, "SchoolPage")),
            summary="学校列表 / schools in your scope")
def school_list(request, filters: Query[SchoolFilter], page: Query[PageIn]):
    """The web's school list as JSON: the same filters (usecases.filters), the same rows."""
    found = listing_of(request, "schools", filters)
    return paginate(found.rows, page, school_row_out)


@router.get("/schools/{code}", response=responses(SchoolDetailOut, 404),
            summary="一所学校 / one school")
def school_detail(request, code: SchoolCode):
    s = school_of(request, code)
    counts = School.objects.filter(pk=s.pk).aggregate(
        rooms=Count("rooms", distinct=True), devices=Count("devices", distinct=True),
        services=Count("services", distinct=True))
    facts = FactValue.objects.filter(school=s, room__isnull=True, service__isnull=True,
                                     superseded_at__isnull=True).count()
    return school_out(s) | counts | {
        "stages": _stages(s), "smart_phase_since": s.smart_phase_since,
        "approved_data_center": s.approved_data_center,
        "rooms_inventoried": s.rooms_inventoried,
        "services_inventoried": s.services_inventoried, "facts": facts}


# --- facts ----------------------------------------------------------------------------------


@router.get("/schools/{code}/facts", response=responses(page_of(FactValueOut, "FactPage"), 404),
            summary="当前指标及其来源 / current facts with provenance")
def fact_list(request, code: SchoolCode, filters: Query[FactFilter], page: Query[PageIn]):
    s = school_of(request, code)
    rows = FactValue.objects.filter(school=s, superseded_at__isnull=True) \
        .select_related("source", "room")
    if filters.subject:
        rows = rows.filter(room__isnull=filters.subject != "room",
                           service__isnull=filters.subject != "service")
    if filters.key:
        rows = rows.filter(key=filters.key)
    if filters.room:
        rows = rows.filter(room__code=filters.room)
    rows = order(rows, filters.ordering, {"key": "key", "recorded_at": "recorded_at"})
    return _facts_page(request, rows, page)


@router.get("/schools/{code}/facts/{key}/history",
            response=responses(page_of(FactValueOut, "FactHistoryPage"), 404),
            summary="一个学校级指标的全部历史值 / every value a school fact has had")
def fact_history(request, code: SchoolCode, key: FactKey, page: Query[PageIn]):
    s = school_of(request, code)
    rows = FactValue.objects.filter(school=s, key=key, room__isnull=True, service__isnull=True) \
        .select_related("source").order_by("-recorded_at", "-pk")
    return _facts_page(request, rows, page)


@router.put("/schools/{code}/facts/{key}", response=responses(FactWriteOut, 400, 403, 404, 409),
            summary="写入一个学校级指标 / set a school fact")
def fact_write(request, code: SchoolCode, key: FactKey, payload: FactIn):
    """Validated like an imported value (same service); unchanged values write nothing."""
    school = school_of(request, code, edit=True)
    return _written(request, school, key, payload)


@router.put("/schools/{code}/rooms/{room}/facts/{key}",
            response=responses(FactWriteOut, 400, 403, 404, 409),
            summary="写入一个房间指标 / set a room fact")
def room_fact_write(request, code: SchoolCode, room: RoomCode, key: FactKey, payload: FactIn):
    school = school_of(request, code, edit=True)
    return _written(request, school, key, payload, room=_room(school, room))


@router.put("/schools/{code}/services/{service_id}/facts/{key}",
            response=responses(FactWriteOut, 400, 403, 404, 409),
            summary="写入一个服务指标 / set a service fact")
def service_fact_write(request, code: SchoolCode, key: FactKey, payload: FactIn,
                       service_id: int = Path(..., ge=1, le=2**62)):
    school = school_of(request, code, edit=True)
    return _written(request, school, key, payload, service=_service(school, service_id))


@router.delete("/schools/{code}/facts/{key}",
               response=responses(FactWriteOut, 403, 404, 409),
               summary="清除一个学校级指标（变为未知）/ clear a school fact (unknown again)")
def fact_clear(request, code: SchoolCode, key: FactKey):
    """The value becomes unknown (never zero), recorded with its provenance and audited; the
    school is re-assessed. Clearing an unknown value changes nothing."""
    return _cleared(request, school_of(request, code, edit=True), key, Scope.school)


@router.delete("/schools/{code}/rooms/{room}/facts/{key}",
               response=responses(FactWriteOut, 403, 404, 409),
               summary="清除一个房间指标 / clear a room fact")
def room_fact_clear(request, code: SchoolCode, room: RoomCode, key: FactKey):
    school = school_of(request, code, edit=True)
    return _cleared(request, school, key, Scope.room, room=_room(school, room))


@router.delete("/schools/{code}/services/{service_id}/facts/{key}",
               response=responses(FactWriteOut, 403, 404, 409),
               summary="清除一个服务指标 / clear a service fact")
def service_fact_clear(request, code: SchoolCode, key: FactKey,
                       service_id: int = Path(..., ge=1, le=2**62)):
    school = school_of(request, code, edit=True)
    return _cleared(request, school, key, Scope.service, service=_service(school, service_id))


# --- rooms, devices, services ---------------------------------------------------------------


def _rooms_out(rooms: list[Room]) -> list[dict[str, Any]]:
    facts = _facts_by(FactValue.objects.filter(room__in=rooms, superseded_at__isnull=True),
                      "room_id", _types())
    return [{"code": r.code, "type": r.room_type, "name": r.name,
             "campus": r.campus.code if r.campus_id else None, "facts": facts.get(r.pk, {})}
            for r in rooms]


@router.get("/schools/{code}/rooms", response=responses(page_of(RoomOut, "RoomPage"), 404),
            summary="房间 / rooms")
def room_list(request, code: SchoolCode, filters: Query[RoomFilter], page: Query[PageIn]):
    s = school_of(request, code)
    rows = Room.objects.filter(school=s).select_related("campus")
    if filters.type:
        rows = rows.filter(room_type=filters.type)
    out = paginate(order(rows, filters.ordering, {"code": "code", "type": "room_type"}), page)
    out["items"] = _rooms_out(out["items"])
    return out


@router.get("/schools/{code}/rooms/{room}", response=responses(RoomOut, 404),
            summary="一个房间 / one room")
def room_detail(request, code: SchoolCode, room: RoomCode):
    return _rooms_out([_room(school_of(request, code), room)])[0]


def _device_out(d: Device) -> dict[str, Any]:
    cost = float(d.cost) if isinstance(d.cost, Decimal) else d.cost
    return {"asset_tag": d.asset_tag, "kind": d.kind, "room": d.room.code if d.room else None,
            "model": d.model, "purchase_date": d.purchase_date, "cost": cost}


@router.get("/schools/{code}/devices", response=responses(page_of(DeviceOut, "DevicePage"), 404),
            summary="设备 / devices")
def device_list(request, code: SchoolCode, filters: Query[DeviceFilter], page: Query[PageIn]):
    rows = Device.objects.filter(school=school_of(request, code)).select_related("room")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.room:
        rows = rows.filter(room__code=filters.room)
    rows = order(rows, filters.ordering, {"asset_tag": "asset_tag", "kind": "kind",
                                          "purchase_date": "purchase_date"})
    return paginate(rows, page, _device_out)


@router.get("/schools/{code}/services",
            response=responses(page_of(ServiceOut, "ServicePage"), 404),
            summary="学校采购的服务 / services the school buys")
def service_list(request, code: SchoolCode, page: Query[PageIn]):
    rows = PurchasedService.objects.filter(school=school_of(request, code)) \
        .order_by("category", "name", "pk")
    out = paginate(rows, page)
    facts = _facts_by(FactValue.objects.filter(service__in=out["items"],
                                               superseded_at__isnull=True), "service_id",
                      _types())
    out["items"] = [{"id": v.pk, "category": v.category, "name": v.name, "vendor": v.vendor,
                     "provided_by": v.provided_by, "facts": facts.get(v.pk, {})}
                    for v in out["items"]]
    return out
