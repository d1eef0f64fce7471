"""District price lists (协议供货价): the city's default with sources, a district's list over
it, and one line set at a time (usecases.prices; every change audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Path, Router, Schema

from campusplan.api.auth import actor
from campusplan.api.errors import ApiError, problem_details
from campusplan.api.schemas import DistrictCode, responses
from campusplan.planning.prices import default_prices
from campusplan.usecases import prices as cases

router = Router(tags=["prices 单价"])
PriceKey = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,59}$",
                               description="单价条目代码（见 GET /prices）")]


class PriceLineOut(Schema):
    key: str
    label: str
    unit: str
    unit_price: float | None = Field(description="null: 待定价 / unpriced (never 0)")
    service_life_years: int | None
    basis: str
    source: str
    priced_on: str | None
    list: str = Field(description="city: 市级默认 · district: 区协议供货价")


class PriceListOut(Schema):
    district: str | None
    version: str
    priced: int
    lines: list[PriceLineOut]


class PriceIn(Schema):
    unit_price: float | None = Field(None, ge=0, le=1e11, allow_inf_nan=False,
                                     description="null: 待定价 / unpriced")
    unit: str = Field("", max_length=20)
    service_life_years: int | None = Field(None, ge=1, le=100)
    source: str = Field("", max_length=300, description="价格来源（定价时必填）")
    priced_on: dt.date | None = None


class PriceWriteOut(Schema):
    changed: bool
    line: PriceLineOut


def _lines(catalog, own: set[str], dates: dict[str, str], lang: str) -> list[dict]:
    return [{"key": x.key, "label": x.label.get(lang), "unit": x.unit.get(lang),
             "unit_price": x.unit_price, "service_life_years": x.service_life_years,
             "basis": x.basis, "source": x.source, "priced_on": dates.get(x.key),
             "list": "district" if x.key in own else "city"} for x in catalog.lines]


@router.get("/prices", response=responses(PriceListOut, 403, 404),
            summary="单价表（市级默认或本区协议供货价）/ price list")
def price_list(request, district: DistrictCode | None = None, lang: str = "zh"):
    """Without `district`: the city's default catalog, with the source of every figure."""
    lang = "en" if lang == "en" else "zh"
    if district is None:
        cat = default_prices()
        lines = _lines(cat, set(), {}, lang)
    else:
        plist = cases.price_list(actor=actor(request), district=district)
        cat, lines = plist.catalog, _lines(plist.catalog, plist.own, plist.priced_on, lang)
    return {"district": district, "version": cat.version, "priced": cat.coverage()[0],
            "lines": lines}


@router.put("/prices/{district}/{key}", response=responses(PriceWriteOut, 403, 404, 422),
            summary="设定本区一条单价 / set one line of the district's list")
def price_write(request, district: DistrictCode, key: PriceKey, payload: PriceIn):
    who = actor(request)
    try:
        changed = cases.set_price(actor=who, district=district, key=key,
                                  unit_price=payload.unit_price, unit=payload.unit.strip(),
                                  service_life_years=payload.service_life_years,
                                  source=payload.source, priced_on=payload.priced_on)
    except cases.PriceInvalid as exc:
        raise ApiError(422, "invalid_data", details=problem_details(exc.problems)) from None
    plist = cases.price_list(actor=who, district=district)
    line = next(x for x in _lines(plist.catalog, plist.own, plist.priced_on, "zh")
                if x["key"] == key)
    return {"changed": changed, "line": line}
