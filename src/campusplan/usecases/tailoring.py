"""Tailoring (OSCAL profiles that set parameters): the city sets parameter values for its
districts; a district may only tighten them (录像存储 ≥ 45 天 where the city keeps 30), never
loosen. Which way is tighter is the catalog's word (catalog/tailoring.py reads it from the
comparisons of the checks), not this module's. Every change is audited and re-assesses the
schools it reaches, and each run keeps the values it judged with and the level that set them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from campusplan.accounts import audit, scope
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Level
from campusplan.catalog import tailoring
from campusplan.catalog import vocabulary as v
from campusplan.catalog.loader import Catalog, load_catalog
from campusplan.catalog.schema import Parameter
from campusplan.i18n import Refused
from campusplan.schools import tailoring as stored
from campusplan.schools.choices import ParamLevel
from campusplan.schools.models import District, ParameterSetting, School
from campusplan.usecases import runs, scoping

MAX_VALUE = 1e9


class ParamRefused(Refused):
    """A district tried to loosen a value (403), or a level may not set it."""

    status = 403


class ParamInvalid(Refused):
    """Not a parameter that can be tailored, or not a usable number (422)."""

    status = 422


@dataclass(frozen=True)
class InForce:
    """One parameter as the viewer's district has it, and who set it."""

    param: Parameter
    standard: float | int | str | None
    city: float | None
    district: float | None
    value: float | int | str | None
    level: str  # standard / city / district
    tighter: str | None  # higher / lower / None: cannot be tailored

    def level_label(self, lang: str) -> str:
        return v.label(v.PARAM_LEVEL, self.level, lang)

    def tighter_label(self, lang: str) -> str:
        return v.label(v.TIGHTER, self.tighter, lang) if self.tighter else ""


@dataclass(frozen=True)
class Change:
    key: str
    district: str  # "" for the city
    before: float | None
    after: float | None
    dropped: tuple[str, ...] = ()  # districts whose value the city's new one made looser
    run: object | None = None


def viewer_district(actor: Actor) -> District | None:
    """The district a user works in (a school's too); None for the city and the operator."""
    p = scope.profile_of(actor.user)
    if p is None or p.level == Level.CITY:
        return None
    return p.district if p.level == Level.DISTRICT else p.school.district


def parameters_in_force(*, actor: Actor, district: str = "",
                        catalog: Catalog | None = None) -> tuple[District | None, list[InForce]]:
    """Every parameter with the value in force for `district` (default: the viewer's own)."""
    catalog = catalog or load_catalog()
    where = scoping.whole_district(actor, district) if district else viewer_district(actor)
    if district and where is None:
        raise Http404
    if not district and where is not None:
        scope.district_for(actor.user, where.code)  # a school user sees its own district's
    city = stored.city_values()
    own = {} if where is None else dict(
        ParameterSetting.objects.filter(district=where).values_list("key", "value"))
    dirs = tailoring.directions(catalog.standard)
    rows = []
    for p in catalog.standard.parameters:
        level, value = "standard", p.value
        if p.key in city:
            level, value = "city", city[p.key]
        if p.key in own:
            level, value = "district", own[p.key]
        rows.append(InForce(p, p.value, city.get(p.key), own.get(p.key), _plain(value), level,
                            dirs[p.key].tighter))
    return where, rows


def _plain(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _number(raw) -> float:
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        raise ParamInvalid(f"“{raw}”不是数值", f"“{raw}” is not a number") from None
    if not math.isfinite(value) or value < 0 or value > MAX_VALUE:
        raise ParamInvalid("取值需为 0 以上的有限数值", "the value must be a finite number ≥ 0")
    return value


def _parameter(catalog: Catalog, key: str) -> tuple[Parameter, tailoring.Direction]:
    param = next((p for p in catalog.standard.parameters if p.key == key), None)
    if param is None:
        raise ParamInvalid(f"没有参数“{key}”", f"no parameter “{key}”")
    direction = tailoring.directions(catalog.standard)[key]
    if direction.tighter is None:
        raise ParamInvalid(
            f"参数“{param.label.zh}”的收紧方向无法从规范的判定规则得出，不能调整",
            f"which way “{param.label.en}” tightens cannot be read from the standard's checks: "
            "it cannot be tailored")
    return param, direction


def _fmt(x) -> str:
    return str(_plain(x))


def _city_actor(actor: Actor) -> None:
    if scoping.is_operator(actor):
        return
    p = scope.profile_of(actor.user)
    if p is None or p.level != Level.CITY:
        raise ParamRefused("只有市级可以设定全市参数", "only the city sets a parameter for every district")
    if p.read_only:
        raise PermissionDenied


def _loosening(param: Parameter, d: tailoring.Direction, new: float, base) -> ParamRefused:
    zh_dir, en_dir = ("不低于", "at least") if d.tighter == "higher" else ("不高于", "at most")
    unit_zh, unit_en = param.unit.get("zh"), param.unit.get("en")
    return ParamRefused(
        f"区级只能收紧参数，不能放宽：“{param.label.zh}”现行值为 {_fmt(base)}{unit_zh}，"
        f"区级取值须{zh_dir} {_fmt(base)}{unit_zh}，{_fmt(new)}{unit_zh} 会放宽要求。",
        f"a district may only tighten a parameter, never loosen it: “{param.label.en}” is "
        f"{_fmt(base)} {unit_en} in force, a district's value must be {en_dir} {_fmt(base)} "
        f"{unit_en}; {_fmt(new)} {unit_en} would loosen it.")


def set_parameter(*, actor: Actor, key: str, value, district: str = "", note: str = "",
                  catalog: Catalog | None = None) -> Change:
    """The city's value (`district` empty) or a district's stricter one; audited, re-assessed."""
    catalog = catalog or load_catalog()
    param, direction = _parameter(catalog, key)
    new = _number(value)
    if district:
        target = scoping.whole_district(actor, district, edit=True)
        base = stored.city_values().get(key, param.value)
        if isinstance(base, int | float) and not direction.allows(new, base):
            raise _loosening(param, direction, new, base)
        return _write(actor, catalog, key, new, target, note)
    _city_actor(actor)
    return _write(actor, catalog, key, new, None, note, direction)


def clear_parameter(*, actor: Actor, key: str, district: str = "",
                    catalog: Catalog | None = None) -> Change:
    """Back to the level above (a district to the city's value, the city to the standard's)."""
    catalog = catalog or load_catalog()
    _parameter(catalog, key)
    target = scoping.whole_district(actor, district, edit=True) if district else None
    if target is None:
        _city_actor(actor)
    row = ParameterSetting.objects.filter(key=key, district=target).first()
    if row is None:
        return Change(key, district, None, None)
    with audit.acting_as(actor), transaction.atomic():
        row.delete()
        _audit(key, target, row.value, None)
    return Change(key, district, row.value, None, run=_reassess(actor, catalog, target))


def _write(actor, catalog, key, new, target: District | None, note: str,
           direction: tailoring.Direction | None = None) -> Change:
    row = ParameterSetting.objects.filter(key=key, district=target).first()
    before = row.value if row else None
    if before == new:
        return Change(key, target.code if target else "", before, new)
    dropped: list[str] = []
    with audit.acting_as(actor), transaction.atomic():
        ParameterSetting.objects.update_or_create(
            key=key, district=target, defaults={
                "value": new, "note": note[:300], "set_by": actor.user,
                "level": ParamLevel.DISTRICT if target else ParamLevel.CITY})
        _audit(key, target, before, new, note)
        if target is None and direction is not None:
            dropped = _drop_looser(key, new, direction)
    change = Change(key, target.code if target else "", before, new, tuple(dropped))
    return Change(**{**change.__dict__, "run": _reassess(actor, catalog, target)})


def _drop_looser(key: str, city: float, direction: tailoring.Direction) -> list[str]:
    """A district's value the city's new one makes looser stops being in force (市级统筹)."""
    dropped = []
    for row in ParameterSetting.objects.select_related("district").filter(
            key=key, district__isnull=False):
        if not direction.allows(row.value, city):
            row.delete()
            _audit(key, row.district, row.value, None, "市级新值更严，区级取值不再生效")
            dropped.append(row.district.code)
    return dropped


def _audit(key: str, district: District | None, before, after, note: str = "") -> None:
    audit.record(object_type="parameter", object_key=f"{district.code if district else 'city'}:"
                                                     f"{key}",
                 district_code=district.code if district else "", field=key,
                 before=before, after=after, note=note)


def _reassess(actor: Actor, catalog: Catalog, district: District | None):
    schools = School.objects.all() if district is None else School.objects.filter(
        district=district)
    codes = set(schools.values_list("code", flat=True))
    return runs.reassess(actor=actor, codes=codes, catalog=catalog) if codes else None


def run_parameters(run, school: School, keys) -> list[tuple[str, float | None, str]]:
    """(key, value, level) for the parameters a result row reads, as its run judged them."""
    forced = (getattr(run, "parameters", None) or {}).get(school.district.code, {})
    defaults = load_catalog().standard.param_values()
    return [(k, _plain(forced[k]["value"]) if k in forced else defaults.get(k),
             forced[k]["level"] if k in forced else "standard") for k in keys]
