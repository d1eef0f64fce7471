"""One scope function used everywhere: what a user may see and change.

Every selector, view, export and API endpoint starts from `visible_schools(user)` /
`visible_districts(user)`; single objects go through `school_for(user, code, edit=...)`, which
answers 404 for anything outside the scope (never revealing that it exists) and 403 for a
read-only auditor trying to change something inside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from campusplan.accounts.choices import Level
from campusplan.accounts.models import AuditEntry
from campusplan.engine.document import is_school_code
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


# --- what an import may touch ----------------------------------------------------------------


@dataclass(frozen=True)
class Touched:
    """What a file names, as the importer reads it: school codes with the district the file
    gives each (None when it gives none), schools a Snipe-IT table names in its Company column
    (matched by name, so their codes came from the database, not the file), and the districts
    of district-level services."""

    schools: dict[str, str | None] = field(default_factory=dict)
    matched: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Refusal:
    """One reason the user may not import a file. `subject` is what the file itself named
    (a school code or a district code), never something read from the database."""

    subject: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        reason = self.zh if lang.startswith("zh") else self.en
        return f"{reason}：{self.subject}" if self.subject and lang.startswith("zh") else (
            f"{reason}: {self.subject}" if self.subject else reason)


OUTSIDE = ("学校不在您的管理范围内", "school outside your scope")
NO_NEW = ("校级用户不能新增学校", "a school account cannot add schools")
MATCHED = ("Snipe-IT 表中的学校不在您的管理范围内", "a Snipe-IT company is a school outside your scope")
SERVICE = ("区级服务不在您的管理范围内", "district service outside your scope")
NO_RIGHT = ("没有导入权限", "you may not import")


def editable_districts(user) -> set[str] | None:
    """District codes where the user may add schools or change district services; None means
    every district (a city account). Auditors and school accounts: none."""
    p = profile_of(user)
    if p is None or p.read_only or p.level == Level.SCHOOL:
        return set()
    return None if p.level == Level.CITY else {p.district.code}


def import_refusals(user, touched: Touched) -> list[Refusal]:
    """Why the user may not import what a file names (empty: everything is inside the scope).

    The one policy of every door. A stored school must be visible (and may move only into a
    district the user runs); a new school and a district service need a district the user runs.
    A school the user cannot see is refused with the same words whether it exists elsewhere or
    not, so a refusal never reveals another district's school."""
    if not can_edit(user):
        return [Refusal("", *NO_RIGHT)]
    allowed = editable_districts(user)
    if allowed is None:
        return []
    codes = {c for c in set(touched.schools) | touched.matched if is_school_code(c)}
    stored = dict(School.objects.filter(code__in=codes).values_list("code", "district__code"))
    visible = set(visible_schools(user).filter(code__in=codes).values_list("code", flat=True))
    out = [r for code, district in sorted(touched.schools.items())
           if (r := _school_refusal(code, district, stored, visible, allowed, user)) is not None]
    if touched.matched - visible:
        out.append(Refusal("", *MATCHED))
    out += [Refusal(d, *SERVICE) for d in sorted(touched.districts) if d not in allowed]
    return out


def _school_refusal(code, district, stored, visible, allowed, user) -> Refusal | None:
    if code in visible:
        moved = district not in (None, stored[code])
        return Refusal(code, *OUTSIDE) if moved and district not in allowed else None
    if code not in stored and profile_of(user).level == Level.SCHOOL:
        return Refusal(code, *NO_NEW)
    if code in stored or district not in allowed:
        return Refusal(code, *OUTSIDE)
    return None


def visible_audit(user):
    """The audit entries a user may read: a city user every entry, a district user those of its
    district (its schools, its runs and services), a school user its school's."""
    from_models = AuditEntry.objects.select_related("school")
    p = profile_of(user)
    if p is None:
        return from_models.none()
    if p.level == Level.CITY:
        return from_models
    if p.level == Level.DISTRICT:
        return from_models.filter(district_code=p.district.code)
    return from_models.filter(school_id=p.school_id)
