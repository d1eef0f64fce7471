"""The standard as data: identity, items, requirements, parameters, the fact dictionary."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Path, Query, Router, Schema

from campusplan.api.errors import ApiError
from campusplan.api.schemas import PageIn, Text, page_of, paginate, responses
from campusplan.catalog.loader import Catalog, load_catalog
from campusplan.catalog.schema import Item, Requirement

router = Router(tags=["catalog 规范目录"])
StageName = Literal["primary", "junior", "senior"]


class IdentityOut(Schema):
    title: str
    issuer: str
    date: str
    version: str
    scope_note: str


class CatalogOut(Schema):
    key: str
    version: str = Field(description="目录版本（含校验和），每条评估结果都记录它")
    checksum: str
    identity: IdentityOut
    items: int
    requirements: int
    parameters: int
    facts: int


class ItemOut(Schema):
    number: int
    section: str
    heading: str = Field("", description="所属节标题（原文）")
    title: str
    title_en: str
    audience: str
    stages: list[StageName]
    area: str
    remarks: list[str]
    requirements: int = Field(description="配置要求与规则条数")


class RequirementOut(Schema):
    id: str
    item: int | None
    area: str
    marker: str | None
    text: str
    level: Literal["required", "optional"]
    applies: str | None
    check: dict[str, Any]
    remedy: dict[str, Any] | None
    note: str | None


class ItemDetailOut(ItemOut):
    requirement_list: list[RequirementOut]


class SpecRefOut(Schema):
    item: int | None
    section: str | None
    quote: str


class ParameterOut(Schema):
    key: str
    value: float | int | str | None
    unit: Text = Field(description="单位（中英文，无单位为空）/ the unit in both languages")
    label: Text
    source: SpecRefOut


class FactDefinitionOut(Schema):
    key: str
    scope: Literal["school", "room", "service"]
    label: Text
    help: Text | None
    type: Literal["bool", "int", "float", "enum"]
    unit: Text | None = Field(None, description="单位（中英文）/ the unit in both languages")
    min: float | None
    max: float | None
    choices: list[str] | None
    area: str


class KeyLabelOut(Schema):
    key: str
    label: Text
    item: int | None
    section: str | None = None


class ItemFilter(Schema):
    area: str | None = Field(None, max_length=40, pattern=r"^[a-z_]+$")
    stage: StageName | None = None


class RequirementFilter(Schema):
    item: int | None = Field(None, ge=1, le=1000)
    area: str | None = Field(None, max_length=40, pattern=r"^[a-z_]+$")
    level: Literal["required", "optional"] | None = None


class FactFilter(Schema):
    scope: Literal["school", "room", "service"] | None = None
    area: str | None = Field(None, max_length=40, pattern=r"^[a-z_]+$")


def _catalog() -> Catalog:
    return load_catalog()


def _item(area_key: str, it: Item) -> dict[str, Any]:
    return {"number": it.number, "section": it.section, "heading": it.heading,
            "title": it.title,
            "title_en": it.title_en,
            "audience": it.audience, "stages": [s.value for s in it.stages], "area": area_key,
            "remarks": it.remarks, "requirements": len(it.requirements) + len(it.rules)}


def _requirement(area_key: str, item: int | None, r: Requirement) -> dict[str, Any]:
    return {"id": r.id, "item": item, "area": area_key, "marker": r.marker, "text": r.text,
            "level": r.level.value, "applies": r.applies, "check": r.check.model_dump(),
            "remedy": r.remedy.model_dump() if r.remedy else None, "note": r.note}


@router.get("/catalog", response=responses(CatalogOut), summary="规范目录概况 / the catalog")
def catalog_info(request):
    cat = _catalog()
    std = cat.standard
    return {"key": std.key, "version": cat.version, "checksum": cat.checksum,
            "identity": std.identity.model_dump(), "items": len(std.items()),
            "requirements": len(std.requirements()), "parameters": len(std.parameters),
            "facts": len(cat.facts.facts)}


@router.get("/catalog/items", response=responses(page_of(ItemOut, "ItemPage")),
            summary="配置项 / items")
def item_list(request, filters: Query[ItemFilter], page: Query[PageIn]):
    std = _catalog().standard
    rows = [_item(a.key, it) for a in std.areas for it in a.items
            if filters.area in (None, a.key)
            and (filters.stage is None or filters.stage in {s.value for s in it.stages})]
    return paginate(rows, page)


@router.get("/catalog/items/{number}", response=responses(ItemDetailOut, 404),
            summary="一个配置项及其要求 / one item")
def item_detail(request, number: int = Path(..., ge=1, le=1000)):
    std = _catalog().standard
    for area in std.areas:
        for it in area.items:
            if it.number == number:
                reqs = [_requirement(area.key, it.number, r) for r in it.requirements + it.rules]
                return _item(area.key, it) | {"requirement_list": reqs}
    raise ApiError(404, "not_found", f"没有序号 {number}", f"no item {number}")


@router.get("/catalog/requirements", response=responses(page_of(RequirementOut,
                                                                "RequirementPage")),
            summary="配置要求 / requirements")
def requirement_list(request, filters: Query[RequirementFilter], page: Query[PageIn]):
    rows = [_requirement(a.key, it.number if it else None, r)
            for a, it, r in _catalog().standard.requirements()
            if filters.area in (None, a.key) and filters.level in (None, r.level.value)
            and (filters.item is None or (it is not None and it.number == filters.item))]
    return paginate(rows, page)


@router.get("/catalog/parameters", response=responses(page_of(ParameterOut, "ParameterPage")),
            summary="参数 / parameters")
def parameter_list(request, page: Query[PageIn]):
    return paginate([p.model_dump() for p in _catalog().standard.parameters], page)


@router.get("/catalog/facts", response=responses(page_of(FactDefinitionOut, "FactDefinitionPage")),
            summary="指标字典 / the fact dictionary")
def fact_list(request, filters: Query[FactFilter], page: Query[PageIn]):
    rows = [f.model_dump(mode="json") for f in _catalog().facts.facts
            if filters.scope in (None, f.scope.value) and filters.area in (None, f.area)]
    return paginate(rows, page)


@router.get("/catalog/room-types", response=responses(page_of(KeyLabelOut, "RoomTypePage")),
            summary="房间类型 / room types")
def room_type_list(request, page: Query[PageIn]):
    return paginate([r.model_dump() for r in _catalog().facts.room_types], page)


@router.get("/catalog/service-categories",
            response=responses(page_of(KeyLabelOut, "ServiceCategoryPage")),
            summary="服务类别 / service categories")
def service_category_list(request, page: Query[PageIn]):
    return paginate([s.model_dump() for s in _catalog().facts.service_categories], page)
