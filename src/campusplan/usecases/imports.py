"""Import files — the one path of the web upload, `POST /api/v1/imports` and `campusplan import`.

Read every file once; refuse (before anything stored is shown) what lies outside the actor's
scope; plan against what is stored; unless a dry run or invalid, write the changes and their
audit rows in one transaction; then re-assess the schools the import changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from campusplan.accounts import audit, versions
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import AuditSource
from campusplan.accounts.scope import Refusal, Touched
from campusplan.accounts.versions import Conflict
from campusplan.assessments.models import AssessmentRun
from campusplan.campaigns.services import SchoolLocked, assert_unlocked
from campusplan.catalog.loader import load_catalog
from campusplan.exchange.bundle import Bundle
from campusplan.exchange.documents import SEP, Plan, snipeit_codes
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.limits import DEFAULT_LIMITS, Limits
from campusplan.exchange.problems import Problem
from campusplan.schools.choices import SourceKind
from campusplan.schools.selectors import school_names
from campusplan.schools.services import (
    ImportReport,
    import_bundle,
    read_bundle,
    source_fields,
    write_report,
)
from campusplan.usecases import runs, scoping

SOURCE_KIND = {AuditSource.API: SourceKind.API}  # provenance of an import, by door


@dataclass
class ImportResult:
    files: list[str]
    dry_run: bool
    refused: list[Refusal] = field(default_factory=list)
    report: ImportReport | None = None  # None when refused: nothing was planned
    conflicts: list[Conflict] = field(default_factory=list)  # cells changed since the file
    unresolved: list[Conflict] = field(default_factory=list)  # without a choice: none written
    run: AssessmentRun | None = None  # the re-assessment of what it changed
    locked: bool = False  # it names a school whose campaign submission is locked

    @property
    def ok(self) -> bool:
        return not self.refused and self.report is not None and self.report.ok \
            and not self.unresolved

    @property
    def written(self) -> bool:
        return self.report is not None and self.report.source is not None

    @property
    def plan(self) -> Plan:
        return self.report.plan if self.report is not None else Plan()

    @property
    def problems(self) -> list[Problem]:
        return self.plan.problems

    @property
    def notes(self) -> list[Problem]:
        return self.report.notes if self.report is not None else []


def touched(bundle: Bundle, names: dict[str, str]) -> Touched:
    """What a bundle names, for the one scope policy (accounts.scope.import_refusals)."""
    named = {code: _district_in(entry) for code, entry in bundle.schools.items()}
    matched = snipeit_codes(bundle, names) - set(named) if bundle.snipeit else set()
    return Touched(named, matched, {d for d, _c, _n in bundle.district_services})


def _district_in(entry) -> str | None:
    val = entry.values.get("district")
    return None if val is None or val.value in (None, "") else str(val.value)


def import_files(*, actor: Actor, paths: Iterable[Path], dry_run: bool = False,
                 kinds_path: Path | None = None, limits: Limits = DEFAULT_LIMITS,
                 progress: Callable | None = None, choices: dict[str, str] | None = None,
                 on_conflict: str | None = None, inventory_complete: bool = False,
                 also: Callable[[Plan], list[Conflict]] | None = None) -> ImportResult:
    """`choices` (conflict id → "file" | "stored") settles conflicts one by one, `on_conflict`
    all the others at once; a conflict left open writes nothing (docs/data-exchange.md).
    `also` names more conflicts of the plan (made after the lock), settled the same way — a
    campaign's values changed since the last acceptance."""
    catalog, paths = load_catalog(), [Path(p) for p in paths]
    kinds = load_kinds(catalog, kinds_path)
    bundle = read_bundle(paths=paths, catalog=catalog, kinds=kinds, limits=limits,
                         progress=progress)
    result = ImportResult(files=bundle.files or [p.name for p in paths], dry_run=dry_run)
    # a Snipe-IT Company is matched only against the schools the actor reaches: one naming a
    # school elsewhere is skipped exactly like one naming no school, so the answer never tells
    # whether that school exists
    names = school_names(scoping.schools_of(actor)) if bundle.snipeit else {}
    named = touched(bundle, names)
    result.refused = scoping.import_refusals(actor, named)
    if result.refused or _locked(result, bundle, named):
        return result
    source = source_fields(paths=paths, bundle=bundle, user=actor.user, actor=actor.name,
                           kind=SOURCE_KIND.get(actor.source, SourceKind.IMPORT))
    with audit.acting_as(actor), transaction.atomic():
        current = versions.lock(codes=set(named.schools) | named.matched,
                                districts={d for d in named.schools.values() if d}
                                | named.districts)
        result.report = import_bundle(bundle=bundle, catalog=catalog, kinds=kinds,
                                      source=source, dry_run=True, names=names)
        if not result.report.ok:
            return result
        result.conflicts = versions.conflicts(
            result.plan, expected=versions.versions_in(bundle.templates), current=current,
            inventory_complete=inventory_complete)
        if also is not None:
            seen = {id(k.change) for k in result.conflicts}
            result.conflicts += [k for k in also(result.plan) if id(k.change) not in seen]
        result.unresolved = versions.resolve(result.plan, result.conflicts, choices or {},
                                             on_conflict)
        if not dry_run and not result.unresolved and result.plan.changes:
            write(result.report, source, progress)
    if result.written:
        result.run = reassess_after(actor=actor, plan=result.plan)
    return result


def write(report: ImportReport, source, progress: Callable | None = None) -> None:
    """Inside the locked transaction: the changes, the schools' new versions, the audit rows."""
    write_report(report=report, source=source, progress=progress)
    new = versions.bump({c.school for c in report.plan.changes if c.school})
    audit.record_changes(report.plan.changes, report.schools, source=report.source,
                         versions=new, first_values_by_school=True)


def _locked(result: ImportResult, bundle: Bundle, names: Touched) -> bool:
    """A school submitted in a campaign is refused whole (campaigns.services.assert_unlocked)."""
    try:
        assert_unlocked(codes=set(names.schools) | names.matched,
                        where={code: e.where for code, e in bundle.schools.items()})
    except SchoolLocked as exc:
        result.report = ImportReport(result.files, Plan(problems=exc.problems),
                                     result.dry_run)
        result.locked = True
    return result.locked


def reassess_after(*, actor: Actor, plan: Plan) -> AssessmentRun | None:
    codes = {c.school for c in plan.changes if c.school}
    districts = {c.ref.split(SEP)[0] for c in plan.changes if not c.school}
    return runs.reassess(actor=actor, codes=codes, districts=districts)
