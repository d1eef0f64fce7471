"""Which stored schools an actor reaches. A signed-in user: accounts.scope (404 outside it, 403
for an auditor's write). The command line's operator (no user, source cli/system) runs on the
server itself and reaches every school."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from campusplan.accounts import scope
from campusplan.accounts.audit import Actor
from campusplan.accounts.choices import AuditSource, Level
from campusplan.schools.models import District, School

OPERATOR_SOURCES = (AuditSource.CLI, AuditSource.SYSTEM)


def is_operator(actor: Actor) -> bool:
    return actor.user is None and actor.source in OPERATOR_SOURCES


def schools_of(actor: Actor) -> QuerySet[School]:
    if is_operator(actor):
        return School.objects.select_related("district")
    return scope.visible_schools(actor.user)


def school(actor: Actor, code: str, *, edit: bool = False) -> School:
    if is_operator(actor):
        found = School.objects.select_related("district").filter(code=code).first()
        if found is None:
            raise Http404
        return found
    return scope.school_for(actor.user, code, edit=edit)


def whole_district(actor: Actor, code: str, *, edit: bool = False) -> District:
    """A district whose every school the actor reaches (city or operator, or its own users)."""
    if is_operator(actor):
        found = District.objects.filter(code=code).first()
        if found is None:
            raise Http404
        return found
    district = scope.district_for(actor.user, code)
    profile = scope.profile_of(actor.user)
    if profile.level == Level.SCHOOL or (edit and profile.read_only):
        raise PermissionDenied
    return district


def district_schools(actor: Actor, code: str, *, edit: bool = False) -> list[School]:
    district = whole_district(actor, code, edit=edit)
    return list(schools_of(actor).filter(district=district).order_by("code"))


def can_edit(actor: Actor) -> bool:
    return is_operator(actor) or scope.can_edit(actor.user)


def import_refusals(actor: Actor, touched: scope.Touched) -> list[scope.Refusal]:
    return [] if is_operator(actor) else scope.import_refusals(actor.user, touched)
