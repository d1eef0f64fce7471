"""The audit trail callers cannot forget.

A ContextVar carries who is acting (user, source web/api/cli/import, request id): middleware
sets it for HTTP, the CLI and importer set it too. Services call `record(...)` for every change
they write — `QuerySet.update()` and `bulk_create()` send no signals, so the audit is written by
the services themselves, in the same transaction as the change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection
from django.db.models import JSONField
from django.utils import timezone

from campusplan.accounts.choices import AuditSource
from campusplan.accounts.models import AuditEntry
from campusplan.accounts.versions import audit_key
from campusplan.schools.bulk import insert_rows, prep


@dataclass(frozen=True)
class Actor:
    """Who acts. Every use case takes one; `user` None is the operator of the command line
    (full scope), named by `label` (e.g. the --user option), else by the source."""

    user: object | None
    source: str
    request_id: str = ""
    label: str = ""

    @property
    def name(self) -> str:
        user = self.user
        if user is not None:
            return user.get_username()
        return self.label or self.source


_current: ContextVar[Actor | None] = ContextVar("campusplan_actor", default=None)
SYSTEM = Actor(None, AuditSource.SYSTEM)


def current() -> Actor:
    return _current.get() or SYSTEM


def actor_for(user=None, source: str = AuditSource.CLI, request_id: str = "",
              name: str = "") -> Actor:
    """Who acts: a signed-in user (else nobody: the operator at the command line, named by
    `name`), from which door, under which request id."""
    user = user if getattr(user, "is_authenticated", False) else None
    return Actor(user, source, request_id or str(uuid.uuid4()), name)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Everything recorded inside is recorded as `actor` (the use cases wrap their writes)."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def acting(user=None, source: str = AuditSource.CLI, request_id: str = ""):
    return acting_as(actor_for(user, source, request_id))


def record(*, object_type: str, object_key: str, school=None, district_code: str = "",
           field: str = "", before=None, after=None, note: str = "") -> AuditEntry:
    actor = current()
    if school is not None and not district_code:
        district_code = school.district.code
    return AuditEntry.objects.create(
        user=actor.user, actor=actor.name, source=actor.source, request_id=actor.request_id,
        school=school, district_code=district_code, object_type=object_type,
        object_key=object_key, field=field, before=before, after=after, note=note)


class AuditMiddleware:
    """Every request acts as its user, from the web (or the API under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.WEB
        rid = request.headers.get("X-Request-ID", "")[:36] or str(uuid.uuid4())
        with acting(getattr(request, "user", None), source, rid):
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


def _json(value):
    """A JSON-safe copy of a value (dates and decimals as text)."""
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def record_changes(changes, schools: dict, source=None, versions: dict | None = None) -> int:
    """The audit rows of an applied import plan, in one fast insert (every change, before → after).

    `changes` are exchange Change records; `schools` maps school codes to stored schools;
    `versions` the school versions the write produced (accounts.versions).
    """
    versions = versions or {}
    actor, now = current(), timezone.now()
    at = prep(AuditEntry, "at", now)
    fields = ("at", "user", "actor", "source", "request_id", "school", "district_code",
              "object_type", "object_key", "field", "before", "after", "note", "import_source",
              "school_version")
    source_id = getattr(source, "pk", None)
    json_field = JSONField()

    def as_json(v):
        return json_field.get_db_prep_save(_json(v), connection)

    def rows():
        for c in changes:
            school = schools.get(c.school) if c.school else None
            # a district-level service's ref starts with its district code
            district = school.district.code if school is not None \
                else c.ref.split("\x1f")[0][:12]
            target, key, field = audit_key(c)
            yield (at, getattr(actor.user, "pk", None), actor.name, actor.source,
                   actor.request_id, getattr(school, "pk", None), district, target,
                   key, field, as_json(c.old), as_json(c.new), "", source_id,
                   versions.get(c.school))

    return insert_rows(AuditEntry, fields, rows())
