"""The typed school document every layer speaks: files → document → stored facts → document →
frames.

`SchoolDoc` (profile, `StageDoc` per 学段, `SmartPhaseDoc`, facts, `RoomDoc`s, `ServiceDoc`s,
`DeviceDoc`s), `DistrictServiceDoc` and the container `Inputs` are strict pydantic models
(`extra="forbid"`). Which facts a school, a room or a service may carry is data (the fact
dictionary), so `models_for(catalog)` derives subclasses whose fact fields are generated from
the catalog — each fact's type, min/max and choices — cached per catalog checksum. They are the
one validator (engine/inputs.py turns their errors into located bilingual messages) and the
source of the published JSON Schema (engine/input_schema.py).

Errors raised here are `PydanticCustomError`s whose type names the problem and whose context
carries the values; their wording (Chinese and English) lives in engine/inputs.py.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from campusplan.catalog.codes import districts, school_types, stages_of
from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import SMART_PHASES
from campusplan.catalog.schema import Fact, FactType, Scope
from campusplan.engine import plausibility

STAGES = ("primary", "junior", "senior")
STAGE_KEYS = ("classes", "students", "max_class_size")
COUNT_MAX = 100000
# Plausibility ceilings of the profile: campusplan settings, not the standard's. Generous (far
# above any Beijing school) so that only a typing slip is refused; the survey workbook's data
# validation reads the same numbers (exchange/layout.py).
PROFILE_MAX = {"classes": 500, "students": 50000, "max_class_size": 200, "teachers": 10000}
# Text bounds: the database columns' max_length (schools/models.py; a test keeps them equal), so
# an over-long text is a located input error, not a database error on PostgreSQL.
TEXT_MAX = {"school.code": 20, "school.name": 200, "room.code": 60, "room.name": 200,
            "service.name": 200, "service.vendor": 200, "device.kind": 40}
Stage = Literal["primary", "junior", "senior"]
Phase = Literal[tuple(SMART_PHASES)]  # type: ignore[valid-type]
NOT_INVENTORIED = "absent/null: not inventoried (rules on them are unknown)"


# --- value checks (before pydantic's own, so the messages say what the hand format means) ----


def _finite(value: Any) -> bool:
    """A number that is neither inf nor nan (1e999 in JSON reads as inf); an int of any length
    is finite, and math.isfinite would overflow on it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _number(lo: float, hi: float, whole: bool):
    def check(value: Any) -> Any:
        if value is None:
            return None
        if not _finite(value):
            raise PydanticCustomError("number", "must be a number", {"value": value})
        if whole and value != int(value):
            raise PydanticCustomError("whole", "must be a whole number", {"value": value})
        if not lo <= value <= hi:
            raise PydanticCustomError("range", "out of range", {"value": value, "lo": lo, "hi": hi})
        return int(value) if whole else float(value)
    return check


def _flag(value: Any) -> Any:
    """Only true/false: pydantic would also take "yes", 1 or "true"."""
    if value is None or isinstance(value, bool):
        return value
    raise PydanticCustomError("flag", "must be true or false", {"value": value})


def _choice(choices: tuple[str, ...]):
    def check(value: Any) -> Any:
        if value is None or value in choices:
            return value
        raise PydanticCustomError("choice", "not one of the choices",
                                  {"value": value, "choices": list(choices)})
    return check


def _iso_date(value: Any) -> Any:
    """A date or its ISO text (YYYY-MM-DD); pydantic would also take a Unix timestamp."""
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PydanticCustomError("date", "date must be YYYY-MM-DD", {"value": value}) from None


# 学校标识码: the national code is 10 digits; imports also carry local codes, so the rule is
# ASCII letters and digits, then also '-' or '_', at most 20 (docs/data-exchange.md). It refuses
# what cannot be a code and would break a URL, a file name or a spreadsheet: '/', '.', '<',
# spaces, full-width digits, control and bidirectional characters, a leading '=' or '-'.
SCHOOL_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,19}", re.ASCII)


def is_school_code(value: object) -> bool:
    return isinstance(value, str) and SCHOOL_CODE.fullmatch(value) is not None


def _school_code(value: Any) -> Any:
    if isinstance(value, str) and not is_school_code(value):
        raise PydanticCustomError("school_code", "school code must be ASCII letters/digits",
                                  {"value": value})
    return value


def _code_text(value: Any) -> Any:
    """Codes typed as numbers (110108 from a spreadsheet) are codes all the same."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _none_is(default_factory):
    return BeforeValidator(lambda v: default_factory() if v is None else v)


def _bounded(kind: type, lo: float | None, hi: float | None) -> Any:
    return Annotated[kind, Field(ge=lo, le=hi)] | None


def _count(hi: int) -> Any:
    return Annotated[_bounded(int, 0, hi), BeforeValidator(_number(0, hi, True))]


def _text(key: str, **kw) -> Any:
    return Field(max_length=TEXT_MAX[key], **kw)


Count = _count(COUNT_MAX)
Flag = Annotated[bool, BeforeValidator(_flag)]
Day = Annotated[dt.date, BeforeValidator(_iso_date)]
Code = Annotated[str, BeforeValidator(_code_text)]


# --- the models --------------------------------------------------------------------------


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


ROOM_FIELDS = ("type", "code", "name")
SERVICE_FIELDS = ("category", "name", "vendor", "provided_by", "district")


def _known(doc: Doc, skip: tuple[str, ...]) -> dict[str, Any]:
    """Non-null fields but `skip`, in field order; `__dict__` holds exactly the fields (extra
    keys are forbidden) and reading it is several times faster than `model_dump` per room."""
    return {k: v for k, v in doc.__dict__.items() if v is not None and k not in skip}


class FactSet(Doc):
    """Facts keyed by the fact dictionary; the fields are generated by `models_for`."""

    def known(self) -> dict[str, Any]:
        """The facts given (absent or null is unknown), in dictionary order."""
        return _known(self, ())


class StageDoc(Doc):
    classes: _count(PROFILE_MAX["classes"]) = None
    students: _count(PROFILE_MAX["students"]) = None
    max_class_size: _count(PROFILE_MAX["max_class_size"]) = None


class SmartPhaseDoc(Doc):
    phase: Phase
    since: Day | None = None


class DeviceDoc(Doc):
    """Devices counted by price line, for end-of-life refresh planning."""

    kind: str = _text("device.kind", min_length=1, description="a price line key")
    quantity: Annotated[_bounded(int, 1, COUNT_MAX), BeforeValidator(_number(1, COUNT_MAX, True))] = 1
    purchased: Day


class RoomDoc(Doc):
    """A room; the dictionary's room facts are fields beside type, code and name."""

    type: str
    code: Annotated[str | None, BeforeValidator(_code_text)] = _text("room.code", default=None)
    name: str | None = _text("room.name", default=None)

    def facts(self) -> dict[str, Any]:
        return _known(self, ROOM_FIELDS)


class ServiceDoc(Doc):
    """A purchased internet service; the dictionary's service facts are fields beside these."""

    category: str
    name: str | None = _text("service.name", default=None)
    vendor: Annotated[str, _none_is(str)] = _text("service.vendor", default="")
    provided_by: Literal["school", "district"] = "school"

    @model_validator(mode="after")
    def _named(self) -> ServiceDoc:
        self.name = self.name or self.category
        return self

    def facts(self) -> dict[str, Any]:
        return _known(self, SERVICE_FIELDS)


class DistrictServiceDoc(ServiceDoc):
    """A service a district provides to all its schools."""

    district: Code

    @model_validator(mode="after")
    def _by_district(self) -> DistrictServiceDoc:
        self.provided_by = "district"
        return self


class SchoolDoc(Doc):
    code: Annotated[str, BeforeValidator(_school_code)] = _text("school.code", title="学校标识码")
    name: str | None = _text("school.name", default=None, title="学校名称")
    district: Code = Field(title="行政区划代码")
    type: Code = Field(title="办学类型代码")
    stages: Annotated[dict[Stage, StageDoc], _none_is(dict)] = Field(default_factory=dict)
    teachers: _count(PROFILE_MAX["teachers"]) = Field(None, title="专任教师数")
    smart_phase: SmartPhaseDoc | None = None
    approved_data_center: Annotated[Flag, _none_is(bool)] = Field(
        False, title="自建数据中心已获批")
    facts: Annotated[FactSet, _none_is(dict)] = Field(default_factory=FactSet)
    rooms: list[RoomDoc] | None = Field(None, description=NOT_INVENTORIED)
    services: list[ServiceDoc] | None = None
    devices: Annotated[list[DeviceDoc], _none_is(list)] = Field(
        default_factory=list, description="for end-of-life refresh planning")

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> SchoolDoc:
        """Refuse an implausible profile (every problem at once); then the name defaults to the
        code, rooms are numbered, and a school given without stages has its type's stages,
        unknown."""
        as_of = (info.context or {}).get("as_of") or dt.date.today()
        problems = self.implausible(as_of)
        if problems:
            raise ValidationError.from_exception_data(type(self).__name__, [
                {"type": PydanticCustomError(kind, kind, ctx), "loc": loc, "input": None}
                for kind, loc, ctx in problems])
        self.name = self.name or self.code
        for i, room in enumerate(self.rooms or []):
            room.code = room.code or str(i + 1)
        implied = set(stages_of(self.type)) if self.type in school_types() else set()
        self.stages = {st: self.stages.get(st) or StageDoc() for st in STAGES
                       if st in self.stages or st in implied}
        return self

    def implausible(self, as_of: dt.date) -> list[plausibility.Problem]:
        students = sum(s.students or 0 for s in self.stages.values() if s is not None)
        out = plausibility.type_problems(self.type, set(self.stages))
        for st, stage in self.stages.items():
            out += plausibility.stage_problems(st, stage or StageDoc())
        out += plausibility.teacher_problems(self.teachers, students)
        since = self.smart_phase.since if self.smart_phase else None
        return out + plausibility.phase_problems(since, as_of)

    def as_json(self) -> dict[str, Any]:
        """The document in the JSON input format (dates as text, unknowns left out)."""
        return self.model_dump(mode="json", exclude_none=True)


class Inputs(Doc):
    """What the engine assesses. Extra keys beside these are ignored: a campusplan JSON export
    carries `format`, `meta`, inventory `devices` and read-only `results` too."""

    model_config = ConfigDict(extra="ignore")

    schools: list[SchoolDoc] = Field(default_factory=list)
    district_services: Annotated[list[DistrictServiceDoc], _none_is(list)] = Field(
        default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _unique_codes(cls, data: Any, handler) -> Inputs:
        """Duplicate school codes are reported together with every other problem."""
        dupes = _duplicate_codes(data)
        try:
            out = handler(data)
        except ValidationError as exc:
            if not dupes:
                raise
            raise ValidationError.from_exception_data(cls.__name__,
                                                      _details(exc) + dupes) from None
        if dupes:
            raise ValidationError.from_exception_data(cls.__name__, dupes)
        return out


def _duplicate_codes(data: Any) -> list[InitErrorDetails]:
    schools = data.get("schools") if isinstance(data, dict) else getattr(data, "schools", None)
    seen: dict[str, int] = {}
    out: list[InitErrorDetails] = []
    for i, s in enumerate(schools if isinstance(schools, list) else []):
        code = s.get("code") if isinstance(s, dict) else getattr(s, "code", None)
        if isinstance(code, str) and code in seen:
            out.append({"type": PydanticCustomError("duplicate_code", "duplicate school code",
                                                    {"code": code, "first": seen[code] + 1}),
                        "loc": ("schools", i, "code"), "input": code})
        elif isinstance(code, str):
            seen[code] = i
    return out


def _details(exc: ValidationError) -> list[InitErrorDetails]:
    return [{"type": PydanticCustomError(e["type"], "{msg}", {**e.get("ctx", {}), "msg": e["msg"]}),
             "loc": e["loc"], "input": e["input"]} for e in exc.errors()]


# --- the catalog's models ------------------------------------------------------------------


@dataclass(frozen=True)
class DocModels:
    """The document models of one catalog: fact fields generated from its fact dictionary."""

    facts: type[FactSet]
    room: type[RoomDoc]
    service: type[ServiceDoc]
    district_service: type[DistrictServiceDoc]
    school: type[SchoolDoc]
    inputs: type[Inputs]


_MODELS: dict[str, DocModels] = {}


def models_for(catalog: Catalog) -> DocModels:
    if catalog.checksum not in _MODELS:
        _MODELS[catalog.checksum] = _build(catalog)
    return _MODELS[catalog.checksum]


def fact_field(fact: Fact) -> tuple[Any, Any]:
    """A fact as an optional pydantic field: its type, range or choices, label and unit."""
    if fact.type == FactType.bool:
        kind: Any = Annotated[bool | None, BeforeValidator(_flag)]
    elif fact.type == FactType.enum:
        choices = tuple(fact.choices or ())
        kind = Annotated[Literal[choices] | None, BeforeValidator(_choice(choices))]
    else:
        whole = fact.type == FactType.int
        lo = -math.inf if fact.min is None else fact.min
        hi = math.inf if fact.max is None else fact.max
        kind = Annotated[_bounded(int if whole else float, fact.min, fact.max),
                         BeforeValidator(_number(lo, hi, whole))]
    unit = f" ({fact.unit.en})" if fact.unit else ""
    return kind, Field(None, title=fact.label.zh, description=f"{fact.label.en}{unit}")


def _facts(catalog: Catalog, scope: Scope, skip: set[str] = frozenset()) -> dict[str, Any]:
    return {f.key: fact_field(f) for f in catalog.facts.facts
            if f.scope == scope and f.key not in skip}


def _build(catalog: Catalog) -> DocModels:
    room_types = Literal[tuple(r.key for r in catalog.facts.room_types)]
    categories = Literal[tuple(c.key for c in catalog.facts.service_categories)]
    district = Annotated[Literal[tuple(districts())], BeforeValidator(_code_text)]
    service_facts = _facts(catalog, Scope.service, set(ServiceDoc.model_fields))
    facts = create_model("SchoolFacts", __base__=FactSet, **_facts(catalog, Scope.school))
    room = create_model("RoomDoc", __base__=RoomDoc, type=(room_types, ...),
                        **_facts(catalog, Scope.room, set(RoomDoc.model_fields)))
    service = create_model("ServiceDoc", __base__=ServiceDoc, category=(categories, ...),
                           **service_facts)
    dsv = create_model("DistrictServiceDoc", __base__=DistrictServiceDoc,
                       category=(categories, ...), district=(district, ...), **service_facts)
    school = create_model(
        "SchoolDoc", __base__=SchoolDoc,
        district=(district, Field(title="行政区划代码")),
        type=(Annotated[Literal[tuple(school_types())], BeforeValidator(_code_text)],
              Field(title="办学类型代码")),
        facts=(Annotated[facts, _none_is(dict)], Field(default_factory=facts)),
        rooms=(list[room] | None, Field(None, description=NOT_INVENTORIED)),
        services=(list[service] | None, None))
    inputs = create_model("Inputs", __base__=Inputs,
                          schools=(list[school], Field(default_factory=list)),
                          district_services=(Annotated[list[dsv], _none_is(list)],
                                             Field(default_factory=list)))
    return DocModels(facts, room, service, dsv, school, inputs)

