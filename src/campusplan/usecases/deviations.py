"""Approved deviations that expire (InSpec waivers with justification and expiry): the approval
a school at or under the class threshold needs for its own data centre (5.3 获批后开展建设), a
smart-classroom phase application (5.11 可申请增加), and a waiver of one requirement.

Each has a justification, an approver, an optional attachment (an evidence file of the school)
and an expiry date. The assessment reads validity as of its run date
(assessments.services.approvals, `Assessment.waive`), so when a deviation expires the next
assessment judges the school on its own profile again — no job has to remember it. Granting
and revoking are district (or city) acts, audited, and re-assess the school at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from campusplan.accounts import audit, scope
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import Level
from campusplan.catalog.loader import load_catalog
from campusplan.i18n import Refused
from campusplan.schools.choices import DeviationKind, SmartPhase
from campusplan.schools.models import Deviation, Evidence, School
from campusplan.usecases import runs, scoping

SOON_DAYS = 30  # what "expires soon" means on the district page
MAX_YEARS = 10


class DeviationInvalid(Refused):
    status = 422


@dataclass(frozen=True)
class Expiring:
    deviation: Deviation
    days_left: int  # negative: expired that many days ago


def _bad(zh: str, en: str) -> DeviationInvalid:
    return DeviationInvalid(zh, en)


def _granter(actor: Actor, code: str) -> School:
    """The school, for a district or city officer who may write (a school may not approve
    itself): 404 outside the scope, 403 for a school user or an auditor."""
    school = scoping.school(actor, code, edit=True)
    if not scoping.is_operator(actor):
        p = scope.profile_of(actor.user)
        if p is None or p.level == Level.SCHOOL:
            raise PermissionDenied
    return school


def _day(raw, field_zh: str, field_en: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise _bad(f"{field_zh}应为 YYYY-MM-DD", f"{field_en} must be YYYY-MM-DD") from None


def _check(kind: str, requirement_id: str, phase: str, justification: str, approver: str,
           granted: dt.date, expires: dt.date) -> None:
    if kind not in DeviationKind.values:
        raise _bad("类型应为 data_center / smart_phase / waiver",
                   "kind must be data_center, smart_phase or waiver")
    if kind == DeviationKind.WAIVER and requirement_id not in {
            r.id for _a, _i, r in load_catalog().standard.requirements()}:
        raise _bad(f"规范中没有要求“{requirement_id}”", f"the standard has no requirement "
                                                     f"“{requirement_id}”")
    if kind == DeviationKind.SMART_PHASE and phase not in (SmartPhase.PILOT, SmartPhase.GENERAL):
        raise _bad("阶段申请应为 pilot（试点期）或 general（普适应用期）",
                   "a phase application is for pilot or general")
    if not justification.strip() or not approver.strip():
        raise _bad("理由和审批人必填", "a justification and an approver are required")
    if expires < granted or (expires - granted).days > 366 * MAX_YEARS:
        raise _bad(f"有效期至须不早于批准日期，且不超过 {MAX_YEARS} 年",
                   f"the expiry must be on or after the grant and within {MAX_YEARS} years")


def grant(*, actor: Actor, school: str, kind: str, justification: str, approver: str,
          granted_on, expires_on, requirement_id: str = "", phase: str = "",
          attachment: int | None = None) -> Deviation:
    target = _granter(actor, school)
    granted = _day(granted_on, "批准日期", "granted_on")
    expires = _day(expires_on, "有效期至", "expires_on")
    requirement_id = requirement_id.strip() if kind == DeviationKind.WAIVER else ""
    phase = phase.strip() if kind == DeviationKind.SMART_PHASE else ""
    _check(kind, requirement_id, phase, justification, approver, granted, expires)
    evidence = None
    if attachment:
        evidence = Evidence.objects.filter(pk=attachment, school=target).first()
        if evidence is None:  # another school's file is not named, nor said to exist
            raise _bad("附件不是本校的佐证材料", "the attachment is not an evidence file of this "
                                              "school")
    with audit.acting_as(actor), transaction.atomic():
        deviation = Deviation.objects.create(
            school=target, kind=kind, requirement_id=requirement_id, phase=phase,
            justification=justification.strip()[:4000], approver=approver.strip()[:150],
            granted_on=granted, expires_on=expires, attachment=evidence, created_by=actor.user)
        audit.record(object_type="deviation", object_key=str(deviation.pk), school=target,
                     field="granted", after={
                         "kind": kind, "requirement_id": requirement_id, "phase": phase,
                         "approver": deviation.approver, "granted_on": granted.isoformat(),
                         "expires_on": expires.isoformat(),
                         "attachment": evidence.pk if evidence else None},
                     note=deviation.justification[:200])
    runs.reassess(actor=actor, codes={target.code})
    return deviation


def revoke(*, actor: Actor, pk: int, on: dt.date | None = None) -> Deviation:
    """End a deviation before its expiry (from `on`, default today); audited, re-assessed."""
    deviation = Deviation.objects.select_related("school").filter(pk=pk).first()
    if deviation is None:
        raise Http404
    _granter(actor, deviation.school.code)
    day = on or timezone.localdate()
    if deviation.revoked_on is not None:
        return deviation
    with audit.acting_as(actor), transaction.atomic():
        deviation.revoked_on = day
        deviation.save(update_fields=["revoked_on"])
        audit.record(object_type="deviation", object_key=str(deviation.pk),
                     school=deviation.school, field="revoked_on", after=day.isoformat())
    runs.reassess(actor=actor, codes={deviation.school.code})
    return deviation


def of_school(*, actor: Actor, school: str) -> list[Deviation]:
    target = scoping.school(actor, school)
    return list(Deviation.objects.filter(school=target).select_related("attachment")
                .order_by("-expires_on"))


def expiring(*, actor: Actor, district: str, today: dt.date | None = None,
             within: int = SOON_DAYS) -> list[Expiring]:
    """The district's deviations that expire within `within` days, or expired in the last
    `within` days (their schools fall back at the next assessment), soonest first."""
    # the district's schools as a subquery: the page showed them by the thousand before this
    # read only those with a deviation (1,033 School instances, ≈ 150 ms of a cold page)
    place = scoping.whole_district(actor, district)
    schools = scoping.schools_of(actor).filter(district=place)
    today = today or timezone.localdate()
    rows = Deviation.objects.select_related("school").filter(
        school__in=schools, revoked_on__isnull=True,
        expires_on__gte=today - dt.timedelta(days=within),
        expires_on__lte=today + dt.timedelta(days=within)).order_by("expires_on", "pk")
    return [Expiring(d, (d.expires_on - today).days) for d in rows]
