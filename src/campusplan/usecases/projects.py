"""Construction projects (建设项目): a plan line taken up, followed to completion.

A project is made from a line of the school's current plan (its quantity, cost and the list
that priced it are copied, never typed in). Completing it writes what was delivered into the
school's facts through the same path as an import (usecases.facts, provenance 建设项目 #N), so
the school is re-assessed at once and the gap it was made for closes on every page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from campusplan.accounts import audit
from campusplan.accounts.audit import Actor
from campusplan.catalog.loader import load_catalog
from campusplan.engine.evaluate import specs
from campusplan.exchange.problems import Location, Problem
from campusplan.planning.plan import IDS_SEP
from campusplan.projects import selectors, services
from campusplan.projects.choices import FundingSource, ProjectStatus
from campusplan.projects.models import Project
from campusplan.schools.choices import SourceKind
from campusplan.usecases import facts, scoping
from campusplan.usecases.plans import planned

FINAL = (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED)


class ProjectInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _bad(zh: str, en: str, field: str = "", value=None) -> ProjectInvalid:
    return ProjectInvalid([Problem(zh, en, Location(sheet=field), value)])


@dataclass(frozen=True)
class Completion:
    project: Project
    facts: dict  # fact key → the value written
    run: object | None  # the re-assessment


def projects_in(*, actor: Actor, district: str = "", school: str = ""):
    if school:
        return selectors.projects_of(schools=[scoping.school(actor, school)])
    if district:
        return selectors.projects_of(schools=scoping.district_schools(actor, district))
    return selectors.projects_of(schools=scoping.schools_of(actor))


def project_of(*, actor: Actor, pk: int, edit: bool = False) -> Project:
    project = Project.objects.select_related("school", "district").filter(pk=pk).first()
    if project is None:
        raise Http404
    scoping.school(actor, project.school.code, edit=edit)  # 404 outside the scope
    return project


def create_project(*, actor: Actor, school: str, requirement_id: str = "", line: str = "",
                   funding_source: str = FundingSource.DISTRICT, owner: str = "") -> Project:
    """Take up one line of the school's current plan. `requirement_id` (as the plan shows it,
    「9-r1、9-r2」 for a merged line) and `line` (the price line) name it."""
    target = scoping.school(actor, school, edit=True)
    if not scoping.can_edit(actor):
        raise PermissionDenied
    if funding_source not in FundingSource.values:
        raise _bad("资金来源无效", "unknown funding source", "funding_source", funding_source)
    lines = planned(actor=actor, schools=[target]).lines
    match = [r for r in lines.to_dicts() if (r["requirement_id"] or "") == requirement_id
             and (r["line"] or "") == line]
    if not match:
        raise _bad("本校当前规划中没有这一项", "no such line in the school's current plan",
                   "requirement_id", requirement_id or line)
    r = match[0]
    values = {"school": target, "district": target.district, "line": r["line"] or "",
              "requirement_ids": r["requirement_id"] or "", "title": (r["label"] or
                                                                       r["action"])[:200],
              "quantity": r["quantity"], "unit": r["unit"] or "",
              "planned_cost": None if r["cost"] is None else Decimal(str(r["cost"])),
              "price_list": r["priced_by"] or "", "funding_source": funding_source,
              "owner": owner[:100]}
    with audit.acting_as(actor), transaction.atomic():
        return services.project_create(values=values, user=actor.user)


def _money(raw, field: str):
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", ""))
    except InvalidOperation:
        raise _bad("不是金额", "not an amount", field, raw) from None
    if not value.is_finite() or value < 0 or value > Decimal("1e12"):
        raise _bad("金额需为 0 以上", "the amount must be at least 0", field, raw)
    return value.quantize(Decimal("0.01"))


def _date(raw, field: str):
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise _bad("日期格式应为 YYYY-MM-DD", "a date as YYYY-MM-DD is required", field,
                   raw) from None


def _clean(values: dict) -> dict:
    out = {}
    for f, raw in values.items():
        if f == "status" and raw not in ProjectStatus.values:
            raise _bad("状态无效", "unknown status", f, raw)
        if f == "funding_source" and raw not in FundingSource.values:
            raise _bad("资金来源无效", "unknown funding source", f, raw)
        if f == "contract_amount":
            raw = _money(raw, f)
        elif f in ("start_on", "due_on", "completed_on"):
            raw = _date(raw, f)
        elif f in ("supplier", "owner", "title"):
            raw = str(raw or "").strip()[:200 if f != "owner" else 100]
        out[f] = raw
    return out


def update_project(*, actor: Actor, pk: int, values: dict) -> Completion:
    """Change the fields given; moving to 已完成 writes the delivered facts and re-assesses.
    A completed or cancelled project keeps its status (its facts are already written)."""
    project = project_of(actor=actor, pk=pk, edit=True)
    if not scoping.can_edit(actor):
        raise PermissionDenied
    values = _clean({k: v for k, v in values.items() if k in services.PROJECT_FIELDS})
    if project.status in FINAL and values.get("status", project.status) != project.status:
        raise _bad("项目已完成或已取消，状态不能再改", "a completed or cancelled project keeps its "
                   "status", "status", values["status"])
    completing = values.get("status") == ProjectStatus.COMPLETED and \
        project.status != ProjectStatus.COMPLETED
    if completing:
        values.setdefault("completed_on", None)
        values["completed_on"] = values["completed_on"] or timezone.localdate()
    with audit.acting_as(actor), transaction.atomic():
        services.project_update(project=project, values=values)
    if not completing:
        return Completion(project, {}, None)
    return _complete(actor, project)


def delivered(project: Project) -> dict:
    """What completing the project adds to the school's facts, read from the checks of the
    requirements it closes: a count or measure (`minimum`, `ratio` of a school fact) grows by the
    quantity bought; a yes/no fact (`presence`) becomes yes. Rooms, services and conditions are
    not guessed: the school reports them (an import or the fact form)."""
    ids = set((project.requirement_ids or "").split(IDS_SEP)) - {""}
    counts, flags = set(), set()
    for s in specs(load_catalog()):
        if s.req.id not in ids:
            continue
        what = s.req.check.delivered()  # the kind says (catalog/kinds)
        if what is not None:
            (counts if what[0] == "count" else flags).add(what[1])
    current = selectors.fact_numbers(school=project.school, keys=counts | flags)
    out = {k: (current.get(k) or 0) + project.quantity for k in sorted(counts)
           if current.get(k) is not None}
    return out | {k: True for k in sorted(flags)}


def _complete(actor: Actor, project: Project) -> Completion:
    values = delivered(project)
    values = {k: int(v) if isinstance(v, float) and v.is_integer() else v
              for k, v in values.items()}
    result, source = facts.set_facts(actor=actor, school=project.school, values=values,
                                     via=f"建设项目 #{project.pk}", kind=SourceKind.PROJECT)
    if source is not None:
        project.facts = source
        project.save(update_fields=["facts"])
    return Completion(project, values, result.run)
