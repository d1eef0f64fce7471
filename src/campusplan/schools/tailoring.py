"""Reads of tailored parameters and approved deviations, as every assessment needs them.

`in_force(districts)`: per district, the values that are not the standard's own and which level
set them (a district's own value over the city's). `valid_deviations(schools, day)`: what is
approved on the run date — the assessment reads validity then, so an expiry needs no job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from campusplan.schools.models import Deviation, ParameterSetting, School

InForce = dict[str, dict[str, tuple[float, str]]]  # district → key → (value, level)


def city_values() -> dict[str, float]:
    return dict(ParameterSetting.objects.filter(district__isnull=True)
                .values_list("key", "value"))


def in_force(districts: Iterable[str]) -> InForce:
    codes = set(districts)
    city = {k: (v, "city") for k, v in city_values().items()}
    out: InForce = {c: dict(city) for c in codes}
    for code, key, value in ParameterSetting.objects.filter(
            district__code__in=codes).values_list("district__code", "key", "value"):
        out[code][key] = (value, "district")
    return out


def school_params(schools: list[School]) -> tuple[dict[str, dict[str, float]], InForce]:
    """Per school code, the values its district has in force (for the engine); and the same per
    district with their levels (kept on the run)."""
    forced = in_force({s.district.code for s in schools})
    per_school = {s.code: {k: v for k, (v, _lvl) in forced[s.district.code].items()}
                  for s in schools if forced.get(s.district.code)}
    return per_school, {d: p for d, p in forced.items() if p}


def valid_deviations(schools: list[School], day: dt.date) -> list[Deviation]:
    ids = [s.pk for s in schools]
    out: list[Deviation] = []
    for i in range(0, len(ids), 900):
        out += list(Deviation.objects.select_related("school").filter(
            school_id__in=ids[i:i + 900], granted_on__lte=day, expires_on__gte=day).filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=day)))
    return out
