"""Set one fact of a school, a room or a service — the web form and `PUT …/facts/{key}`.

The value takes the import path (same validation as a file's cell), is audited, and the school
is re-assessed at once, whichever door it came through.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from campusplan.accounts import audit
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import AuditSource
from campusplan.assessments.models import AssessmentRun
from campusplan.catalog.loader import load_catalog
from campusplan.exchange.documents import Change
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.problems import Location
from campusplan.schools.choices import SourceKind
from campusplan.schools.models import PurchasedService, Room, School, Source
from campusplan.schools.services import (
    ImportInvalid,
    apply_in_transaction,
    clear_plan,
    fact_bundle,
    import_bundle,
)
from campusplan.usecases import runs

SOURCE_KIND = {AuditSource.API: SourceKind.API, AuditSource.CLI: SourceKind.CLI}


@dataclass(frozen=True)
class FactResult:
    changes: list[Change]
    run: AssessmentRun | None  # None when nothing changed


def _source(actor: Actor, via: str, kind: str | None = None) -> Source:
    return Source(kind=kind or SOURCE_KIND.get(actor.source, SourceKind.FORM), user=actor.user,
                  actor=actor.name, file_name=via)


def set_fact(*, actor: Actor, school: School, key: str, value, room: Room | None = None,
             service: PurchasedService | None = None, via: str = "") -> FactResult:
    """Raises ImportInvalid (located, bilingual problems) when the value is refused. `via`
    names the channel in the value's provenance (e.g. the API token's name)."""
    catalog = load_catalog()
    source = _source(actor, via)
    where = Location(file=source.file_name, sheet=source.kind)
    bundle = fact_bundle(school=school, key=key, value=value, where=where, room=room,
                         service=service)
    with audit.acting_as(actor), transaction.atomic():
        report = import_bundle(bundle=bundle, catalog=catalog, kinds=load_kinds(catalog),
                               source=source)
        if not report.ok:
            raise ImportInvalid(report.problems)
        if report.source is not None:
            audit.record_changes(report.plan.changes, report.schools, source=report.source)
    if not report.plan.changes:
        return FactResult([], None)
    return FactResult(report.plan.changes, runs.assess(actor=actor, schools=[school])[0])


def set_facts(*, actor: Actor, school: School, values: dict, via: str,
              kind: str | None = None) -> tuple[FactResult, Source | None]:
    """Several school facts at once, through the same import path as set_fact (one source
    naming `via` — e.g. 建设项目 #12 — and `kind`); the school is re-assessed once."""
    catalog = load_catalog()
    source = _source(actor, via, kind)
    where = Location(file=source.file_name, sheet=source.kind)
    bundle = None
    for key, value in values.items():
        one = fact_bundle(school=school, key=key, value=value, where=where)
        if bundle is None:
            bundle = one
        else:
            bundle.schools[school.code].values.update(one.schools[school.code].values)
    if bundle is None:
        return FactResult([], None), None
    with audit.acting_as(actor), transaction.atomic():
        report = import_bundle(bundle=bundle, catalog=catalog, kinds=load_kinds(catalog),
                               source=source)
        if not report.ok:
            raise ImportInvalid(report.problems)
        if report.source is not None:
            audit.record_changes(report.plan.changes, report.schools, source=report.source)
    if not report.plan.changes:
        return FactResult([], None), None
    run = runs.assess(actor=actor, schools=[school])[0]
    return FactResult(report.plan.changes, run), report.source


def clear_fact(*, actor: Actor, school: School, key: str, room: Room | None = None,
               service: PurchasedService | None = None, via: str = "") -> FactResult:
    """Make a known value unknown again (recorded with its provenance, audited, the school
    re-assessed): the result that read it becomes unknown, never zero."""
    source = _source(actor, via)
    plan = clear_plan(school=school, key=key, room=room, service=service,
                      where=Location(file=source.file_name, sheet=source.kind))
    if not plan.changes:
        return FactResult([], None)
    with audit.acting_as(actor), transaction.atomic():
        stored = apply_in_transaction(plan=plan, source=source)
        audit.record_changes(plan.changes, stored, source=source)
    return FactResult(plan.changes, runs.assess(actor=actor, schools=[school])[0])
