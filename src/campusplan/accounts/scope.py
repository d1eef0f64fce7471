"""One scope function used everywhere: what a user may see and change.

Every selector, view, export and API endpoint starts from `visible_schools(user)` /
`visible_districts(user)`; single objects go through `school_for(user, code, edit=...)`, which
answers 404 for anything outside the scope (never revealing that it exists) and 403 for a
read-only auditor trying to change something inside it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from campusplan.accounts.choices import Level
from campusplan.schools.models import District, School


def profile_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "profile", None)


def visible_schools(user) -> QuerySet[School]:
    p = profile_of(user)
    qs = School.objects.select_related("district")
    if p is None:
        return qs.none()
    if p.level == Level.CITY:
        return qs
    if p.level == Level.DISTRICT:
        return qs.filter(district_id=p.district_id)
    return qs.filter(pk=p.school_id)


def visible_districts(user) -> QuerySet[District]:
    p = profile_of(user)
    if p is None:
        return District.objects.none()
    if p.level == Level.CITY:
        return District.objects.all()
    district_id = p.district_id if p.level == Level.DISTRICT else p.school.district_id
    return District.objects.filter(pk=district_id)


def can_edit(user) -> bool:
    p = profile_of(user)
    return p is not None and not p.read_only


def school_for(user, code: str, edit: bool = False) -> School:
    school = visible_schools(user).filter(code=code).first()
    if school is None:
        raise Http404
    if edit and not can_edit(user):
        raise PermissionDenied
    return school


def district_for(user, code: str) -> District:
    district = visible_districts(user).filter(code=code).first()
    if district is None:
        raise Http404
    return district
