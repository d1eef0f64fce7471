"""Set one fact of a school, a room or a service — the web form and `PUT …/facts/{key}`.

The value takes the import path (same validation as a file's cell), is audited, and the school
is re-assessed at once, whichever door it came through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from campusplan.accounts import audit, versions
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import AuditSource
from campusplan.accounts.versions import Conflict
from campusplan.assessments.models import AssessmentRun
from campusplan.campaigns.services import assert_unlocked
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

if TYPE_CHECKING:
    from campusplan.engine.assessment import Assessment

SOURCE_KIND = {AuditSource.API: SourceKind.API, AuditSource.CLI: SourceKind.CLI}


@dataclass(frozen=True)
class FactResult:
    changes: list[Change]
    run: AssessmentRun | None  # None when nothing changed
    # the run's judgement as the engine made it (what `run` stored): a page answering the edit
    # explains the new results from it instead of rebuilding the school from the database
    assessment: Assessment | None = None


def source_for(actor: Actor, via: str, kind: str | None = None) -> Source:
    """A web-form (or API, CLI, project) source for values an actor sets by hand."""
    return Source(kind=kind or SOURCE_KIND.get(actor.source, SourceKind.FORM), user=actor.user,
                  actor=actor.name, file_name=via)


class FactConflict(Exception):
    """The value changed since the form was made (its version): nothing was written."""

    def __init__(self, conflicts: list[Conflict], version: int):
        super().__init__(f"{len(conflicts)} conflict(s)")
        self.conflicts, self.version = conflicts, version


def _write(plan, source: Source, school: School, current: dict[str, int],
           version: int | None, force: bool) -> dict:
    """Inside the locked transaction: refuse a write over a newer value, else write and audit."""
    if version is not None and not force:
        found = versions.conflicts(plan, expected={school.code: version}, current=current)
        if found:
            raise FactConflict(found, current.get(school.code, 0))
    stored = apply_in_transaction(plan=plan, source=source)
    new = versions.bump([school.code])
    audit.record_changes(plan.changes, stored, source=source, versions=new)
    return stored


def set_fact(*, actor: Actor, school: School, key: str, value, room: Room | None = None,
             service: PurchasedService | None = None, via: str = "",
             version: int | None = None, force: bool = False) -> FactResult:
    """Raises ImportInvalid (located, bilingual problems) when the value is refused, and
    FactConflict when `version` (the school's, when the form was made) is older than the
    value's last write, unless `force`. `via` names the channel in the value's provenance
    (e.g. the API token's name)."""
    catalog = load_catalog()
    source = source_for(actor, via)
    where = Location(file=source.file_name, sheet=source.kind)
    assert_unlocked(codes=[school.code], where={school.code: where})
    bundle = fact_bundle(school=school, key=key, value=value, where=where, room=room,
                         service=service)
    return _import_one(actor, bundle, catalog, source, school, version, force)


def _import_one(actor: Actor, bundle, catalog, source: Source, school: School,
                version: int | None, force: bool) -> FactResult:
    """One school's values through the import path: planned after the row lock (so the audit's
    "before" values chain), refused whole when invalid or conflicting, re-assessed once."""
    with audit.acting_as(actor), transaction.atomic():
        current = versions.lock(codes=[school.code])
        report = import_bundle(bundle=bundle, catalog=catalog, kinds=load_kinds(catalog),
                               source=source, dry_run=True)
        if not report.ok:
            raise ImportInvalid(report.problems)
        if report.plan.changes:
            _write(report.plan, source, school, current, version, force)
    if not report.plan.changes:
        return FactResult([], None)
    return FactResult(report.plan.changes, *runs.assess(actor=actor, schools=[school]))


def set_facts(*, actor: Actor, school: School, values: dict, via: str,
              kind: str | None = None) -> tuple[FactResult, Source | None]:
    """Several school facts at once, through the same import path as set_fact (one source
    naming `via` — e.g. 建设项目 #12 — and `kind`): locked, versioned and audited like it; the
    school is re-assessed once."""
    catalog = load_catalog()
    source = source_for(actor, via, kind)
    where = Location(file=source.file_name, sheet=source.kind)
    assert_unlocked(codes=[school.code], where={school.code: where})
    bundle = None
    for key, value in values.items():
        one = fact_bundle(school=school, key=key, value=value, where=where)
        if bundle is None:
            bundle = one
        else:
            bundle.schools[school.code].values.update(one.schools[school.code].values)
    if bundle is None:
        return FactResult([], None), None
    result = _import_one(actor, bundle, catalog, source, school, None, False)
    return result, (source if result.changes else None)


def clear_fact(*, actor: Actor, school: School, key: str, room: Room | None = None,
               service: PurchasedService | None = None, via: str = "",
               version: int | None = None, force: bool = False) -> FactResult:
    """Make a known value unknown again (recorded with its provenance, audited, the school
    re-assessed): the result that read it becomes unknown, never zero."""
    source = source_for(actor, via)
    assert_unlocked(codes=[school.code], where={school.code: Location(sheet=source.kind)})
    with audit.acting_as(actor), transaction.atomic():
        current = versions.lock(codes=[school.code])
        plan = clear_plan(school=school, key=key, room=room, service=service,
                          where=Location(file=source.file_name, sheet=source.kind))
        if plan.changes:
            _write(plan, source, school, current, version, force)
    if not plan.changes:
        return FactResult([], None)
    return FactResult(plan.changes, *runs.assess(actor=actor, schools=[school]))
