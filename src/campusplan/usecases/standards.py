"""Which standards are active (the setting), and a district judged against one of them.

The stored runs are judged by the first active standard (the Beijing one by default); another
active standard is judged on demand from the same stored facts, never stored, so the pages
that read stored runs are unchanged. Readiness (优质均衡 and any standard with group rules) is
engine/readiness.py over that on-demand assessment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404

from campusplan.accounts.audit import Actor
from campusplan.catalog import Catalog, load_catalog
from campusplan.catalog.loader import standard_keys
from campusplan.engine.assessment import run
from campusplan.engine.readiness import overall, readiness
from campusplan.schools.selectors import schools_as_inputs
from campusplan.usecases import scoping


def active() -> list[str]:
    """The active standards' keys, in the setting's order (unknown keys are left out)."""
    known = set(standard_keys())
    return [k for k in settings.CAMPUSPLAN_STANDARDS if k in known]


def active_catalog(key: str | None) -> Catalog:
    """An active standard's catalog (the first when none is asked); 404 for any other key, so
    a page never shows a standard the deployment did not turn on."""
    keys = active()
    key = key or keys[0]
    if key not in keys:
        raise Http404
    return load_catalog(key)


@dataclass(frozen=True)
class Readiness:
    catalog: Catalog
    district: str
    schools: int
    rows: list[dict]  # per item with a group rule: schools, met, figure (CV), limit, verdict
    overall: list[dict]  # per rule over rules (6 of 7): schools, met


def district_readiness(*, actor: Actor, code: str, standard: str) -> Readiness:
    """The district's stored schools judged against `standard`, summarised per indicator."""
    schools = scoping.district_schools(actor, code)  # 404 outside the scope, 403 for a school
    catalog = active_catalog(standard)
    if not schools:
        return Readiness(catalog, code, 0, [], [])
    assessment = run(catalog, schools_as_inputs(schools=schools, catalog=catalog))
    return Readiness(catalog, code, len(schools), readiness(assessment), overall(assessment))
