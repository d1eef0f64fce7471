"""The audit trail callers cannot forget.

A ContextVar carries who is acting (user, source web/api/cli/import, request id): middleware
sets it for HTTP, the CLI and importer set it too. Services call `record(...)` for every change
they write — `QuerySet.update()` and `bulk_create()` send no signals, so the audit is written by
the services themselves, in the same transaction as the change.
"""

from __future__ import annotations

import ipaddress
import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from campusplan.accounts import chain
from campusplan.accounts.choices import AuditSource, Outcome
from campusplan.accounts.models import AuditEntry
from campusplan.accounts.versions import FIRST_VALUES, audit_key
from campusplan.schools.bulk import insert_rows, prep


@dataclass(frozen=True)
class Actor:
    """Who acts. Every use case takes one; `user` None is the operator of the command line
    (full scope), named by `label` (e.g. the --user option), else by the source."""

    user: object | None
    source: str
    request_id: str = ""
    label: str = ""
    address: str = ""  # the client's address (HTTP doors), "" at the command line

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
              name: str = "", address: str | None = None) -> Actor:
    """Who acts: a signed-in user (else nobody: the operator at the command line, named by
    `name`), from which door, under which request id, from which address (by default the
    current request's, which the middleware knows)."""
    user = user if getattr(user, "is_authenticated", False) else None
    address = current().address if address is None else address
    return Actor(user, source, request_id or str(uuid.uuid4()), name, address)


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
           field: str = "", before=None, after=None, note: str = "", outcome: str = "",
           user=None, name: str = "") -> AuditEntry:
    """One audit row as the current actor (or as `user`/`name`, e.g. the account a login
    attempt named), chained and sealed when its transaction commits."""
    actor = current()
    if school is not None and not district_code:
        district_code = school.district.code
    user = user if user is not None else actor.user
    values = {"at": timezone.now(), "actor": (name or (user.get_username() if user else "")
                                              or actor.name)[:150],
              "source": actor.source, "request_id": actor.request_id[:36],
              "district_code": district_code[:12], "object_type": object_type[:40],
              "object_key": object_key[:200], "field": field[:80], "before": _plain(before),
              "after": _plain(after), "note": note[:300], "address": actor.address[:45],
              "outcome": outcome}
    batch = chain.Batch()
    entry = AuditEntry.objects.create(user=user, school=school, batch=batch.id,
                                      digest=batch.digest(values), **values)
    batch.seal_on_commit()
    return entry


SECURITY = "security"  # object_type of security events; `field` says which event


def event(kind: str, outcome: str = Outcome.OK, *, subject: str = "", user=None, name: str = "",
          note: str = "", detail=None) -> AuditEntry:
    """A security event (login, logout, lockout, denied access, token use, export, admin
    change…): who, from where, when, on what, with what outcome."""
    return record(object_type=SECURITY, object_key=subject, field=kind, outcome=outcome,
                  user=user, name=name, note=note, after=detail)


REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,35}")


def request_id_of(request) -> str:
    """The client's X-Request-ID when it is a plain token of at most 36 characters (a UUID, a
    proxy's id), else a new one: what is stored and echoed is never the client's raw text."""
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.fullmatch(given) else str(uuid.uuid4())


def address_of(request) -> str:
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).compressed
    except ValueError:
        return ""


DENIED = {401, 403, 404, 405, 429}


class AuditMiddleware:
    """Every request acts as its user, from the web (or the API under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = AuditSource.API if request.path.startswith("/api/") else AuditSource.WEB
        rid = request_id_of(request)
        user = getattr(request, "user", None)
        user = user if getattr(user, "is_authenticated", False) else None
        with acting_as(Actor(user, source, rid, "", address_of(request))):
            response = self.get_response(request)
            if response.status_code in DENIED:
                self._denied(request, response)
        response["X-Request-ID"] = rid
        return response

    @staticmethod
    def _denied(request, response) -> None:
        """A refused request (403/404 on a scoped object, 401, 429…) in the trail, named by the
        user the request ended with (an API token names its user after this middleware ran)."""
        user = getattr(request, "user", None)
        user = user if getattr(user, "is_authenticated", False) else None
        event("denied", Outcome.DENIED, subject=f"{request.method} {request.path}"[:200],
              user=user, note=str(response.status_code))


def _plain(value):
    """A JSON value as the database will return it (tuples as lists, dates as text)."""
    return None if value is None else json.loads(json.dumps(value, default=str))


def _json(value):
    """A JSON-safe copy of a value (dates and decimals as text)."""
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)




def first_time(c, schools: dict) -> bool:
    """A first value of a school's or a room's fact: it has a provenance row to point at."""
    return (c.old is None and c.new is not None and c.school in schools
            and ((c.target == "school" and c.key.startswith("fact."))
                 or (c.target == "room" and c.key.startswith("room."))))


def record_changes(changes, schools: dict, source=None, versions: dict | None = None,
                   first_values_by_school: bool = False) -> int:
    """The audit rows of an applied import plan, in one fast insert (every change, before → after).

    `changes` are exchange Change records; `schools` maps school codes to stored schools;
    `versions` the school versions the write produced (accounts.versions).
    `first_values_by_school` (an import with a Source): a school's first-time fact values get
    one row, field FIRST_VALUES, after = how many, pointing at their provenance rows through
    `import_source`; changed values keep a before → after row each.
    """
    versions = versions or {}
    if first_values_by_school and source is not None:
        firsts: dict[str, int] = {}
        kept = []
        for c in changes:
            if first_time(c, schools):
                firsts[c.school] = firsts.get(c.school, 0) + 1
            else:
                kept.append(c)
        changes = kept + [_FirstValues(code, n) for code, n in firsts.items()]
    actor, now = current(), timezone.now()
    at = prep(AuditEntry, "at", now)
    fields = ("at", "user", "actor", "source", "request_id", "school", "district_code",
              "object_type", "object_key", "field", "before", "after", "note", "import_source",
              "address", "outcome", "batch", "digest", "school_version")
    source_id = getattr(source, "pk", None)
    batch = chain.Batch()
    name, rid, address = actor.name[:150], actor.request_id[:36], actor.address[:45]
    adapt = connection.ops.adapt_json_value

    def as_json(v):  # v is already JSON-safe (_json, or _plain for a first-values count);
        # None is SQL NULL, as JSONField.get_db_prep_save has it (the field's path: 2 calls a row)
        return None if v is None else adapt(v, None)

    def rows():
        for c in changes:
            school = schools.get(c.school) if c.school else None
            # a district-level service's ref starts with its district code
            district = school.district.code if school is not None \
                else c.ref.split("\x1f")[0][:12]
            target, key, field = (c.target, c.school, FIRST_VALUES) \
                if isinstance(c, _FirstValues) else audit_key(c)
            old, new = _json(c.old), _plain(c.new) if isinstance(c, _FirstValues) else _json(c.new)
            digest = batch.digest({
                "at": now, "actor": name, "source": actor.source, "request_id": rid,
                "district_code": district, "object_type": target, "object_key": key,
                "field": field, "before": old, "after": new, "note": "",
                "address": address, "outcome": ""})
            yield (at, getattr(actor.user, "pk", None), name, actor.source, rid,
                   getattr(school, "pk", None), district, target, key, field,
                   as_json(old), as_json(new), "", source_id, address, "", batch.id, digest,
                   versions.get(c.school))

    done = insert_rows(AuditEntry, fields, rows())
    batch.seal_on_commit()
    return done


@dataclass(frozen=True)
class _FirstValues:
    """The one audit row of a school's first-time values from one import."""

    school: str
    values: int
    target: str = "school"
    old: None = None

    @property
    def new(self) -> dict:
        return {"values": self.values}
