"""No lost edits: the data version of each school, the lock that serialises its writers, and
the conflicts of a write made against an older version.

Every write of a school's data bumps `School.version` and stamps its audit rows with the version
it produced (`AuditEntry.school_version`). A workbook or a form made at version n carries n; when
it comes back, a cell conflicts if the trail shows that very cell written after n (someone
changed it meanwhile). A count derived from a device inventory conflicts with a count the
school stated unless the inventory is declared complete. Conflicting cells are applied only as
the user chooses, per conflict ("file" or "stored"); none by default.

Writers of one school are serialised: `lock()` takes row locks (PostgreSQL, in primary-key
order, so two imports cannot deadlock); on SQLite every transaction is BEGIN IMMEDIATE
(settings: `transaction_mode`), which holds the database's write lock from the start. The plan
is made after the lock, so the audit "before" of a write is the "after" of the previous one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery

from campusplan.accounts.models import AuditEntry
from campusplan.engine.document import is_school_code
from campusplan.exchange.documents import Change, Plan
from campusplan.schools.models import District, FactValue, School

FILE, STORED = "file", "stored"  # a choice per conflict: take the file's value, keep the stored
CHANGED, INVENTORY = "changed", "inventory"  # why a cell conflicts
ACCEPTED = "accepted"  # a campaign's cell changed after the last acceptance (usecases.campaigns)
VERSION_KEY = "version."  # workbook _meta rows: version.<school code> → n


def audit_key(c: Change) -> tuple[str, str, str]:
    """(object_type, object_key, field) of a change, as its audit row names it."""
    key = c.school if not c.ref or c.target == "school" else f"{c.school or ''}/{c.ref}"
    return c.target, (key or "")[:200], c.key[:80]


@dataclass(frozen=True)
class Conflict:
    change: Change  # old: stored now; new: what the file or form would write
    reason: str  # CHANGED or INVENTORY
    then: object = None  # the value when the workbook or form was made
    by: str = ""  # who changed it since
    at: dt.datetime | None = None

    @property
    def id(self) -> str:
        """A readable, stable name of the cell: `<school>[/<room>]:<field>` (CLI --choose)."""
        _t, key, field = audit_key(self.change)
        return f"{key.replace(chr(31), '|')}:{field}"


def versions_in(metas: Iterable[dict]) -> dict[str, int]:
    """School code → the version a generated workbook (its _meta rows) was made at."""
    out: dict[str, int] = {}
    for meta in metas:
        for key, value in meta.items():
            if key.startswith(VERSION_KEY) and (n := _count(value)) is not None:
                out[key[len(VERSION_KEY):]] = n
    return out


def _count(value) -> int | None:
    """A version cell as read back (a spreadsheet gives 3 as 3.0); anything else is none."""
    text = str(value).strip()
    text = text[:-2] if text.endswith(".0") else text
    return int(text) if text.isdigit() else None


def meta_rows(schools: Iterable[School]) -> dict[str, int]:
    return {f"{VERSION_KEY}{s.code}": s.version for s in schools}


def lock(*, codes: Iterable[str], districts: Iterable[str] = ()) -> dict[str, int]:
    """Inside a transaction: hold the writers of these schools (and districts) off until it
    ends; returns code → the version stored now."""
    # a code that is no code (a NUL, a path…) is refused by the import's validation later;
    # it must not reach the database here (PostgreSQL refuses NUL in a query's text)
    codes = {c for c in codes if is_school_code(c)}
    districts = {d for d in districts if isinstance(d, str) and d.isascii() and d.isalnum()}
    schools = School.objects.filter(code__in=codes).order_by("pk")
    dist = District.objects.filter(Q(code__in=districts) | Q(schools__code__in=codes))
    if connection.features.has_select_for_update:
        list(District.objects.filter(pk__in=dist.values("pk")).order_by("pk")
             .select_for_update().values_list("pk", flat=True))
        schools = schools.select_for_update()
    return dict(schools.values_list("code", "version"))


def bump(codes: Iterable[str]) -> dict[str, int]:
    """A write of these schools happened: their new versions."""
    codes = set(codes)
    School.objects.filter(code__in=codes).update(version=F("version") + 1)
    return dict(School.objects.filter(code__in=codes).values_list("code", "version"))


def conflicts(plan: Plan, *, expected: dict[str, int], current: dict[str, int],
              inventory_complete: bool = False) -> list[Conflict]:
    """The plan's changes that would overwrite a cell changed since the expected version, or a
    stated count with an inventory's (unless the inventory is declared complete)."""
    stale = {code: v for code, v in expected.items() if current.get(code, v) > v}
    since = _changed_since(stale)
    stated = {} if inventory_complete else _stated(plan)
    out = []
    for c in plan.changes:
        if c.school in stale and (hit := since.get((c.school, *audit_key(c)))):
            out.append(Conflict(c, CHANGED, hit["before"], hit["actor"], hit["at"]))
        elif _derived(c) and (c.school, c.ref, c.key) in stated:
            out.append(Conflict(c, INVENTORY, c.old, stated[c.school, c.ref, c.key]))
    return out


def _changed_since(stale: dict[str, int]) -> dict[tuple, dict]:
    """(school, object_type, object_key, field) → the first write after the version (its
    "before" is what the workbook showed) and the last writer."""
    if not stale:
        return {}
    q = Q()
    for code, v in stale.items():
        q |= Q(school__code=code, school_version__gt=v)
    out: dict[tuple, dict] = {}
    rows = AuditEntry.objects.filter(q).order_by("at", "id").values_list(
        "school__code", "object_type", "object_key", "field", "before", "actor", "at",
        "school_id", "import_source_id")
    for code, typ, key, field, before, actor, at, school_id, source_id in rows:
        cells = first_cells(code, school_id, source_id) if field == FIRST_VALUES \
            else [(typ, key, field)]
        for cell in cells:
            hit = out.setdefault((code, *cell), {"before": before})
            hit |= {"actor": actor, "at": at}
    return out


# The field of the one audit row that stands for a school's first-time values from one import
# (accounts.audit.record_changes): the values, with their cells, are the provenance rows
# (schools.FactValue with source = the row's import_source); one audit row each repeated them.
FIRST_VALUES = "first_values"


def first_values_of(field: str):
    """The provenance rows an audit row's import wrote for one field (`fact.<key>` /
    `room.<key>`) of the row's school, oldest first, correlated to the audit row (OuterRef);
    None for another kind of field."""
    ns, _dot, key = field.partition(".")
    wrote = FactValue.objects.filter(source_id=OuterRef("import_source_id"), key=key)
    if ns == "fact":
        return wrote.filter(school_id=OuterRef("school_id"), room__isnull=True,
                            service__isnull=True).order_by("id")
    if ns == "room":
        return wrote.filter(room__school_id=OuterRef("school_id")).order_by("id")
    return None


FIRST_VALUE_COLUMNS = ("num", "flag", "text", "sheet", "row", "column", "path")


def field_history(field: str) -> Q:
    """The audit rows of one field's history: its own before → after rows and the first-values
    rows of the imports that wrote a value of it."""
    wrote = first_values_of(field)
    if wrote is None:
        return Q(field=field)
    return Q(field=field) | (Q(field=FIRST_VALUES) & Exists(wrote))


def with_first_value(entries, field: str):
    """The audit rows with the first value their import wrote of `field` and its cell, as
    `first_<column>`, in the same query (a page's query count does not grow with its rows)."""
    wrote = first_values_of(field)
    if wrote is None:
        return entries
    return entries.annotate(**{f"first_{c}": Subquery(wrote.values(c)[:1])
                               for c in FIRST_VALUE_COLUMNS})


def first_cells(code: str, school_id: int | None, source_id: int | None) -> list[tuple]:
    """The (object_type, object_key, field) cells a first-values audit row stands for: the
    provenance rows its import wrote for the school and its rooms."""
    if school_id is None or source_id is None:
        return []
    values = FactValue.objects.filter(source_id=source_id).filter(
        Q(school_id=school_id, room__isnull=True, service__isnull=True)
        | Q(room__school_id=school_id)).values_list("room__code", "key")
    return [("room", f"{code}/{room}", f"room.{key}") if room else ("school", code, f"fact.{key}")
            for room, key in values]


def _derived(c: Change) -> bool:
    return bool(c.note) and c.old is not None and c.key.startswith(("fact.", "room."))


def _stated(plan: Plan) -> dict[tuple, str]:
    """(school, room code, key) → the provenance of a stated (not derived) value the plan's
    derived counts would replace."""
    wanted = [c for c in plan.changes if _derived(c)]
    if not wanted:
        return {}
    rows = FactValue.objects.filter(
        superseded_at__isnull=True, derived_from="", service__isnull=True,
        school__code__in={c.school for c in wanted},
        key__in={c.key.split(".", 1)[1] for c in wanted}).values_list(
        "school__code", "room__code", "key", "source__actor")
    return {(code, room or "", f"{'room' if room else 'fact'}.{key}"): actor or ""
            for code, room, key, actor in rows}


def resolve(plan: Plan, found: list[Conflict], choices: dict[str, str],
            default: str | None = None) -> list[Conflict]:
    """Apply the user's choice per conflict to the plan (keeping the stored value drops the
    change); returns the conflicts left without a choice — then nothing may be written."""
    keep, open_ = set(), []
    for conflict in found:
        choice = choices.get(conflict.id, default)
        if choice == STORED:
            keep.add(id(conflict.change))
        elif choice != FILE:
            open_.append(conflict)
    plan.changes = [c for c in plan.changes if id(c) not in keep]
    return open_
