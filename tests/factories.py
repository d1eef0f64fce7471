"""Factories for the tests: districts, school documents made from the examples under new codes
and names, users with a profile per role, API tokens, and stored worlds built through the use
cases (import, assess), never by writing rows behind their back.

Every factory takes keyword-only arguments and keeps the invariants the product relies on: a
stored school's district exists (the import creates it from the school's own document), and a
user's profile matches its role (a city user has no district or school, a district user and an
auditor one district, a school user one school). Breaking one is a ValueError here, before the
database's own constraint would answer with an IntegrityError.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.contrib.auth import get_user_model

from campusplan.accounts import audit, roles
from campusplan.accounts.audit import Actor
from campusplan.accounts.models import AuditEntry, Profile
from campusplan.accounts.tokens import token_create, token_revoke
from campusplan.assessments.models import AssessmentRun
from campusplan.schools.models import District, School
from campusplan.usecases import runs
from campusplan.usecases.imports import ImportResult, import_files
from tests.actors import operator

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PASSWORD = "x-Strong-pass-1"

# role → (profile level, read-only): an auditor (督导) sees a district and changes nothing
ROLES = {"city": ("city", False), "district": ("district", False),
         "school": ("school", False), "auditor": ("district", True)}


# --- districts and school documents ---------------------------------------------------------


def district(*, code: str, name: str) -> District:
    """A stored district (the same one again if it exists)."""
    return District.objects.get_or_create(code=code, defaults={"name": name})[0]


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json"))


def school_doc(*, example: str, code: str, name: str, district: str | None = None,
               **fields) -> dict:
    """One example school's document under a new code and name (and district, if given); any
    other top-level field replaced by `fields`."""
    doc = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
    doc = doc["schools"][0] if "schools" in doc else doc
    new = {"code": code, "name": name} | ({"district": district} if district else {})
    return doc | new | fields


def write_file(*, path: Path, schools: Sequence[dict], devices: Sequence[dict] = ()) -> Path:
    """An import file: one school document as it is, several as a {"schools": [...]} batch."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict = dict(schools[0]) if len(schools) == 1 and not devices else {
        "schools": list(schools)} | ({"devices": list(devices)} if devices else {})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- stored worlds, through the use cases ---------------------------------------------------


def stored(*, paths: Iterable[Path], actor: Actor | None = None) -> ImportResult:
    """Import the files as the operator (or `actor`), which stores and re-assesses them."""
    result = import_files(actor=actor or operator(), paths=list(paths))
    assert result.ok, [p.message() for p in result.problems] or result.refused
    return result


def assessed(*, schools: Iterable[School], actor: Actor | None = None) -> AssessmentRun:
    """A stored, audited assessment run of the schools (scoped as the doors scope one)."""
    return runs.assess(actor=actor or operator(), schools=schools)[0]


def current_result(*, code: str, requirement: str):
    """The school's current result row of one requirement, whatever its status (met and not
    applicable rows are in the run's file, not the database: assessments/matrix.py)."""
    from campusplan.assessments.selectors import as_rows, current_matrix

    frame = current_matrix(schools=[School.objects.get(code=code)])
    rows = [r for r in as_rows(frame) if r.requirement_id == requirement]
    assert len(rows) == 1, (code, requirement, len(rows))
    return rows[0]


# --- users and tokens -----------------------------------------------------------------------


def _scope(role: str, district, school) -> tuple[District | None, School | None]:
    level = ROLES[role][0]
    if (level == "district") != (district is not None) or (level == "school") != (
            school is not None):
        raise ValueError(f"a {role} user needs exactly its own scope: "
                         f"district={district!r}, school={school!r}")
    if isinstance(district, str):
        district = District.objects.get(code=district)
    if isinstance(school, str):
        school = School.objects.get(code=school)
    return district, school


def user(*, username: str, role: str, district: District | str | None = None,
         school: School | str | None = None, password: str | None = None):
    """A user with the profile of `role` (city, district, school, auditor); district and school
    as models or codes. Without a password the user has none (Argon2 is slow on purpose; tokens
    and force_login need none)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: one of {sorted(ROLES)}")
    district, school = _scope(role, district, school)
    account = get_user_model().objects.create_user(username, password=password)
    level, read_only = ROLES[role]
    Profile.objects.create(user=account, level=level, district=district, school=school,
                           read_only=read_only)
    return account


def token(*, user, name: str = "token", revoked: bool = False) -> str:
    """The secret of a new API token of `user` (revoked at once if asked)."""
    record, secret = token_create(user=user, name=name)
    if revoked:
        token_revoke(token=record)
    return secret


def administrator(*, username: str, role: str, password: str | None = None):
    """A user holding one of the 三员 roles (system, security, audit), granted as the
    command line's operator does, with no business profile."""
    account = get_user_model().objects.create_user(username, password=password)
    roles.grant(actor=operator("installer"), user=account, role=role)
    account.refresh_from_db()
    return account


# --- the audit trail (append-only: tests read what came after a mark) ------------------------


def audit_mark() -> int:
    """The newest audit row's id now; `audit_changes(after=…)` reads what came after it."""
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def audit_changes(*, after: int = 0):
    """The change rows (not security events) written after a mark, oldest first."""
    return AuditEntry.objects.filter(pk__gt=after).exclude(
        object_type=audit.SECURITY).order_by("id")


def audit_events(*, after: int = 0, kind: str | None = None):
    """The security events written after a mark, oldest first (of one kind if given)."""
    rows = AuditEntry.objects.filter(pk__gt=after, object_type=audit.SECURITY).order_by("id")
    return rows.filter(field=kind) if kind else rows


def login(client, *, user, password: str = PASSWORD) -> None:
    """Log the test client in through the real login (a password set for the purpose)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    assert client.login(username=user.get_username(), password=password)
