"""Assess stored schools and keep the run — from every door, audited the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db import transaction

from campusplan.accounts import audit
from campusplan.accounts.audit import Actor
from campusplan.assessments.models import AssessmentRun
from campusplan.assessments.services import assessment_run_create
from campusplan.catalog.loader import Catalog, load_catalog
from campusplan.engine.assessment import Assessment
from campusplan.schools.models import School


def run_scope(schools: list[School]) -> tuple[str, str]:
    """The run's scope: one school, one district, or all."""
    if len(schools) == 1:
        return "school", schools[0].code
    districts = {s.district.code for s in schools}
    return ("district", districts.pop()) if len(districts) == 1 else ("all", "")


def assess(*, actor: Actor, schools: Iterable[School], as_of: dt.date | None = None,
           catalog: Catalog | None = None, progress: Callable | None = None,
           run_kind: str = "working", label: str = "") -> tuple[AssessmentRun, Assessment]:
    """Judge the schools on their stored facts now; store and audit the run. They must be
    inside the actor's scope (the doors resolve them through usecases.scoping)."""
    schools = list(schools)
    kind, code = run_scope(schools)
    with audit.acting_as(actor), transaction.atomic():
        run, result = assessment_run_create(
            schools=schools, scope_kind=kind, scope_code=code, catalog=catalog or load_catalog(),
            as_of=as_of, user=actor.user, actor=actor.name, progress=progress, kind=run_kind,
            label=label)
        audit.record(object_type="assessment_run", object_key=str(run.pk),
                     district_code=code if kind == "district" else "",
                     school=schools[0] if kind == "school" else None, field="created",
                     after={"results": run.results, "counts": run.counts, "kind": run.kind},
                     note=f"{kind} {code} {label}".strip())
    return run, result


def reassess(*, actor: Actor, codes: set[str], catalog: Catalog | None = None,
             districts: set[str] = frozenset()) -> AssessmentRun | None:
    """After a change: assess the schools it touched (and every school of a district whose
    district-level services changed), so no page, plan or report reads a stale run."""
    schools = School.objects.select_related("district").filter(code__in=codes)
    if districts:
        schools = schools | School.objects.select_related("district").filter(
            district__code__in=districts)
    schools = list(schools.distinct().order_by("code"))
    if not schools:
        return None
    return assess(actor=actor, schools=schools, catalog=catalog)[0]
