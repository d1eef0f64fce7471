"""Tailoring: the parameter values in force for a district and who set them; the city sets a
value for every district, a district only a stricter one (usecases.tailoring; audited)."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Path, Router, Schema

from campusplan.api.auth import actor
from campusplan.api.schemas import DistrictCode, responses
from campusplan.usecases import tailoring

router = Router(tags=["parameters 参数"])
ParamKey = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,59}$", description="参数键名")]


class ParamOut(Schema):
    key: str
    label: str
    unit: str
    standard: float | int | str | None = Field(description="the standard's own value")
    city: float | None
    district: float | None
    value: float | int | str | None = Field(description="the value in force")
    level: str = Field(description="standard 标准默认 · city 城市 · district 区")
    tighter: str | None = Field(description="higher / lower: which way a district may go; "
                                            "null: not tailorable")


class ParamsOut(Schema):
    district: str | None
    parameters: list[ParamOut]


class ParamIn(Schema):
    value: float | None = Field(..., ge=0, le=1e9, allow_inf_nan=False,
                                description="null: back to the level above")
    note: str = Field("", max_length=300)


class ParamWriteOut(Schema):
    key: str
    district: str | None
    before: float | None
    after: float | None
    dropped: list[str] = Field(description="districts whose looser value a city change ended")


def _rows(forced, lang: str) -> list[dict]:
    return [{"key": f.param.key, "label": f.param.label.get(lang), "unit": f.param.unit_in(lang),
             "standard": f.standard, "city": f.city, "district": f.district, "value": f.value,
             "level": f.level, "tighter": f.tighter} for f in forced]


@router.get("/parameters", response=responses(ParamsOut, 403, 404),
            summary="现行参数取值及设定层级 / parameters in force")
def parameter_list(request, district: DistrictCode | None = None, lang: str = "zh"):
    """For `district` (default: the caller's own; the city sees its own values)."""
    where, forced = tailoring.parameters_in_force(actor=actor(request), district=district or "")
    return {"district": where.code if where else None,
            "parameters": _rows(forced, "en" if lang == "en" else "zh")}


def _write(request, key: str, payload: ParamIn, district: str) -> dict:
    who = actor(request)
    if payload.value is None:
        change = tailoring.clear_parameter(actor=who, key=key, district=district)
    else:
        change = tailoring.set_parameter(actor=who, key=key, value=payload.value,
                                         district=district, note=payload.note)
    return {"key": key, "district": district or None, "before": change.before,
            "after": change.after, "dropped": list(change.dropped)}


@router.put("/parameters/{key}", response=responses(ParamWriteOut, 403, 404, 422),
            summary="设定全市参数（市级）/ set the city's value")
def city_parameter_write(request, key: ParamKey, payload: ParamIn):
    return _write(request, key, payload, "")


@router.put("/parameters/{key}/{district}", response=responses(ParamWriteOut, 403, 404, 422),
            summary="收紧本区参数 / tighten a district's value")
def district_parameter_write(request, key: ParamKey, district: DistrictCode, payload: ParamIn):
    """403 with the reason when the value would loosen the city's."""
    return _write(request, key, payload, district)
