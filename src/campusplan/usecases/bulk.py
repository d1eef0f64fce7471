"""Bulk edit: one fact set to one value for many selected rooms or schools, in one step.

The same path as a single edit (usecases.facts.set_fact): every target's value joins one import
bundle, validated by the engine's input validator, written with its provenance and audited in
one transaction — all or nothing — and the schools it changed are re-assessed once, in one run.
Every target is resolved through the actor's scope first (404 outside it, 403 for a reader), so
a selection cannot reach beyond what the actor may change. An empty value (None) makes the
value unknown again for every target, as usecases.facts.clear_fact does for one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from campusplan.accounts import audit, versions
from campusplan.accounts.audit import Actor
from campusplan.assessments.models import AssessmentRun
from campusplan.campaigns.services import assert_unlocked
from campusplan.catalog.loader import load_catalog
from campusplan.catalog.schema import Scope
from campusplan.exchange.bundle import Bundle
from campusplan.exchange.documents import Change, Plan
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.problems import Location, Problem
from campusplan.schools.models import Room, School
from campusplan.schools.services import (
    ImportInvalid,
    apply_in_transaction,
    clear_plan,
    fact_bundle,
    import_bundle,
)
from campusplan.usecases import runs, scoping
from campusplan.usecases.facts import source_for

MAX_TARGETS = 5000  # a district's rooms fit; a request naming more is refused, not truncated


@dataclass(frozen=True)
class BulkResult:
    targets: int  # rooms or schools selected
    changes: list[Change]  # only the values that differed
    run: AssessmentRun | None  # None when nothing changed

    @property
    def changed(self) -> int:
        return len(self.changes)


def _refuse(zh: str, en: str, value=None) -> ImportInvalid:
    return ImportInvalid([Problem(zh, en, Location(), value)])


def _check_key(key: str, scope: Scope) -> None:
    keys = {f.key for f in load_catalog().facts.facts if f.scope == scope}
    if key not in keys:
        what = ("房间指标", "room fact") if scope == Scope.room else ("学校指标", "school fact")
        raise _refuse(f"未知的{what[0]}", f"unknown {what[1]}", key)


def _targets(actor: Actor, schools: Sequence[str], rooms: Sequence[tuple[str, str]],
             ) -> list[tuple[School, Room | None]]:
    """The selection as stored objects, each school inside the actor's scope (editable)."""
    if len(schools) + len(rooms) > MAX_TARGETS:
        raise _refuse(f"一次最多修改 {MAX_TARGETS} 项", f"at most {MAX_TARGETS} targets at once",
                      len(schools) + len(rooms))
    codes = dict.fromkeys([*schools, *(code for code, _room in rooms)])
    found = {code: scoping.school(actor, code, edit=True) for code in codes}
    out: list[tuple[School, Room | None]] = [(found[c], None) for c in dict.fromkeys(schools)]
    wanted = dict.fromkeys(rooms)
    stored = {(r.school.code, r.code): r for r in Room.objects.select_related("school").filter(
        school__in=[found[c] for c, _r in wanted], code__in={r for _c, r in wanted})}
    missing = [f"{c}/{r}" for c, r in wanted if (c, r) not in stored]
    if missing:
        raise _refuse("房间不存在", "no such room", "、".join(missing[:20]))
    return out + [(found[c], stored[c, r]) for c, r in wanted]


def set_fact_many(*, actor: Actor, key: str, value, schools: Sequence[str] = (),
                  rooms: Sequence[tuple[str, str]] = (), via: str = "") -> BulkResult:
    """Set `key` to `value` (None: unknown) for the schools (codes) or the rooms ((school code,
    room code) pairs) selected — one of the two. Raises ImportInvalid (located, bilingual) when
    anything is refused, Http404 / PermissionDenied outside the actor's scope."""
    if bool(schools) == bool(rooms):
        raise _refuse("请选择学校或房间（二选一）", "select schools or rooms (one of the two)")
    _check_key(key, Scope.room if rooms else Scope.school)
    targets = _targets(actor, schools, rooms)
    source = source_for(actor, via)
    # a school submitted in a campaign is locked for every write path, bulk edits included
    assert_unlocked(codes={s.code for s, _r in targets},
                    where={s.code: Location(sheet=source.kind, path=s.code) for s, _r in targets})
    if value is None:
        with audit.acting_as(actor), transaction.atomic():
            versions.lock(codes={s.code for s, _r in targets})  # plan after it: "before" chains
            plan = _clear_plan(targets, key, source)
            if plan.changes:
                stored = apply_in_transaction(plan=plan, source=source)
                _audited(plan, stored, source)
        return _reassessed(actor, len(targets), plan.changes, targets)
    return _set(actor, targets, key, value, source)


def _set(actor: Actor, targets, key: str, value, source) -> BulkResult:
    catalog = load_catalog()
    bundle = Bundle()
    for school, room in targets:
        where = Location(file=source.file_name, sheet=source.kind,
                         path=school.code if room is None else f"{school.code}/{room.code}")
        fact_bundle(school=school, key=key, value=value, where=where, room=room, into=bundle)
    with audit.acting_as(actor), transaction.atomic():
        versions.lock(codes={s.code for s, _r in targets})
        report = import_bundle(bundle=bundle, catalog=catalog, kinds=load_kinds(catalog),
                               source=source)
        if not report.ok:
            raise ImportInvalid(report.problems)
        if report.source is not None:
            _audited(report.plan, report.schools, report.source)
    return _reassessed(actor, len(targets), report.plan.changes, targets)


def _audited(plan: Plan, stored: dict, source) -> None:
    """Inside the locked transaction: the changed schools' new versions and the audit rows."""
    new = versions.bump({c.school for c in plan.changes if c.school})
    audit.record_changes(plan.changes, stored, source=source, versions=new)


def _clear_plan(targets, key: str, source) -> Plan:
    plan = Plan()
    for school, room in targets:
        where = Location(file=source.file_name, sheet=source.kind)
        plan.changes += clear_plan(school=school, key=key, room=room, where=where).changes
    return plan


def _reassessed(actor: Actor, n: int, changes: list[Change], targets) -> BulkResult:
    if not changes:
        return BulkResult(n, [], None)
    touched = {c.school for c in changes}
    schools = list({s.code: s for s, _r in targets if s.code in touched}.values())
    return BulkResult(n, changes, runs.assess(actor=actor, schools=schools)[0])
