"""Writes of stored schools. Every fact — from a survey workbook, a CSV, JSON, Snipe-IT, the web
form or the API — goes through `import_bundle`: merge with what is stored, validate with the
engine's own input validator, diff, and write only the differences, with provenance, in one
transaction. `fact_bundle` makes one value into a bundle so it takes the same path.

These are the domain steps; the use cases (campusplan.usecases) compose them with the scope
policy, the audit trail and the re-assessment, and are what the web, the API and the CLI call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from campusplan.catalog.codes import districts as district_codes
from campusplan.catalog.loader import Catalog
from campusplan.catalog.vocabulary import WORKBOOK_KIND, label
from campusplan.exchange.bundle import Bundle, Entry, Val, add_document
from campusplan.exchange.documents import SEP, Change, Plan, plan_import, snipeit_codes
from campusplan.exchange.inventory import DeviceKinds
from campusplan.exchange.layout import build_layout
from campusplan.exchange.limits import DEFAULT_LIMITS, Limits
from campusplan.exchange.problems import ExchangeError, Location, Problem
from campusplan.exchange.readers import read_any
from campusplan.exchange.workbook import TEMPLATE, dictionary_checksum
from campusplan.schools.bulk import insert_rows, prep
from campusplan.schools.models import (
    STAGE_COLUMNS,
    Device,
    District,
    FactValue,
    PurchasedService,
    Room,
    School,
    Source,
)
from campusplan.schools.selectors import school_names, stored_for

CHUNK = 900  # ids per UPDATE … WHERE id IN (…), under SQLite's parameter limit


class ImportInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportReport:
    files: list[str]
    plan: Plan
    dry_run: bool
    source: Source | None = None
    notes: list[Problem] = field(default_factory=list)
    schools: dict[str, School] = field(default_factory=dict)  # stored schools it wrote

    @property
    def ok(self) -> bool:
        return not self.plan.problems

    @property
    def problems(self) -> list[Problem]:
        return self.plan.problems


# --- entry points (the use cases in campusplan.usecases call these) -----------------------


def read_bundle(*, paths: Iterable[Path], catalog: Catalog, kinds: DeviceKinds,
                limits: Limits = DEFAULT_LIMITS, progress: Callable | None = None) -> Bundle:
    """Read every file once into one Bundle; unreadable files become located problems."""
    layout = build_layout(catalog, kinds.labels())
    bundle, problems = Bundle(), []
    for path in paths:
        try:
            doc = read_any(Path(path), limits, progress or _quiet)
        except ExchangeError as exc:
            problems += exc.problems
            continue
        add_document(bundle, doc, layout, kinds)
    bundle.problems[:0] = problems
    bundle.notes += template_notes(bundle, catalog)
    return bundle


def source_fields(*, paths: list[Path], bundle: Bundle, kind: str, user, actor: str) -> dict:
    digest = hashlib.sha256()
    for p in paths:
        if p.is_file() and p.stat().st_size <= DEFAULT_LIMITS.max_file_bytes:
            digest.update(p.read_bytes())
    meta = bundle.templates[0] if bundle.templates else {}
    template = f"{meta.get('template', '')}@{meta.get('dictionary_version', '')}" if meta else ""
    return {"kind": kind, "file_name": ", ".join(p.name for p in paths)[:255],
            "file_sha256": digest.hexdigest(), "template": template, "user": user,
            "actor": actor or getattr(user, "username", "")}


def import_bundle(*, bundle: Bundle, catalog: Catalog, kinds: DeviceKinds, source: dict | Source,
                  dry_run: bool = False, progress: Callable | None = None,
                  names: dict[str, str] | None = None) -> ImportReport:
    """Plan the bundle against what is stored and, unless dry_run or invalid, write the changes
    with their provenance in one transaction. The caller records the audit trail in the same
    transaction (campusplan.usecases.imports). `names`: the schools a Snipe-IT Company may
    name (default every stored school)."""
    if names is None:
        names = school_names() if bundle.snipeit else {}
    codes = set(bundle.schools) | snipeit_codes(bundle, names)
    stored = stored_for(codes=codes, districts={k[0] for k in bundle.district_services},
                        catalog=catalog)
    stored.names = names
    plan = plan_import(bundle, stored, catalog, kinds)
    report = ImportReport(files=bundle.files, plan=plan, dry_run=dry_run, notes=plan.notes)
    if plan.problems or dry_run or not plan.changes:
        return report
    return write_report(report=report, source=source, progress=progress)


def write_report(*, report: ImportReport, source: dict | Source,
                 progress: Callable | None = None) -> ImportReport:
    """Write a planned (dry-run) report's changes; the use case decides it may (conflicts)."""
    source = Source(**source) if isinstance(source, dict) else source
    report.schools = apply_in_transaction(plan=report.plan, source=source, progress=progress)
    report.source, report.dry_run = source, False
    return report


def fact_bundle(*, school: School, key: str, value, where: Location, room: Room | None = None,
                service: PurchasedService | None = None, into: Bundle | None = None) -> Bundle:
    """One value of a school, room or service as a bundle, so it takes the import path; `into`
    adds it to a bundle of several (a bulk edit: one value for many rooms or schools)."""
    bundle = into if into is not None else Bundle()
    entry = bundle.school(school.code, where)
    if room is not None:
        entry.rooms[room.code] = Entry(room.code, where, {f"room.{key}": Val(value, where)})
    elif service is not None:
        svc = Entry(service.name, where, {f"service.{key}": Val(value, where)})
        entry.services[service.category, service.name] = svc
    else:
        entry.values[f"fact.{key}"] = Val(value, where)
    return bundle


def clear_plan(*, school: School, key: str, where: Location, room: Room | None = None,
               service: PurchasedService | None = None) -> Plan:
    """Making a known value unknown again: the one change a file cannot say (a blank cell
    changes nothing). Nothing to change when the value is not known."""
    current = FactValue.objects.filter(school=school, key=key, room=room, service=service,
                                       superseded_at__isnull=True).first()
    if current is None or current.value is None:
        return Plan()
    if room is not None:
        target, ref, name = "room", room.code, f"room.{key}"
    elif service is not None:
        target, ref, name = "service", SEP.join((service.category, service.name)), \
            f"service.{key}"
    else:
        target, ref, name = "school", "", f"fact.{key}"
    return Plan(changes=[Change(school.code, target, ref, name, current.value, None, where)])


def apply_in_transaction(*, plan: Plan, source: Source,
                         progress: Callable | None = None) -> dict[str, School]:
    """Save the source (with the plan's counts) and write the plan, in one transaction."""
    with transaction.atomic():
        if source.pk is None:
            source.summary = plan.counts()
            source.save()
        return apply_plan(plan, source, progress)


def _quiet(stage: str, done: int, total: int | None) -> None:
    return None


def source_create(*, kind: str, user=None, actor: str = "", file_name: str = "") -> Source:
    return Source.objects.create(kind=kind, user=user, actor=actor, file_name=file_name)


def template_notes(bundle: Bundle, catalog: Catalog) -> list[Problem]:
    """Which template and version each workbook is; a different dictionary is only a note:
    columns are matched by their names, and unknown ones are reported as problems."""
    out = []
    checksum = dictionary_checksum(catalog)
    for meta in bundle.templates:
        if meta.get("template") != TEMPLATE:
            continue
        same = meta.get("dictionary_checksum") == checksum
        kind = {lang: label(WORKBOOK_KIND, meta.get("kind"), lang) for lang in ("zh", "en")}
        out.append(Problem(
            f"模板：{kind['zh']} {meta.get('scope')}，指标字典 {meta.get('dictionary_version')}"
            + ("" if same else "（与当前字典不同，按列名导入）"),
            f"template: {kind['en']} {meta.get('scope')}, dictionary "
            f"{meta.get('dictionary_version')}" + ("" if same else " (differs from the current "
                                                    "dictionary: matched by column names)")))
    return out


# --- applying a plan -----------------------------------------------------------------------


def apply_plan(plan: Plan, source: Source, progress: Callable | None = None) -> dict[str, School]:
    """Write a plan's changes; returns the stored schools they touched (code → School)."""
    now = timezone.now()
    schools, fresh = _apply_schools(plan, source)
    rooms = _apply_rooms(plan, schools)
    services = _apply_services(plan, schools)
    _apply_facts(plan, Owners(schools, fresh, rooms, services), source, now, progress)
    _apply_devices(plan, schools, rooms.ids, source)
    return schools | {s.code: s for s in School.objects.select_related("district")
                      .filter(code__in={c.school for c in plan.changes if c.school})}


@dataclass
class Owned:
    """The rooms (or services) a plan names, by (school code, ref) → id, and the ids it created:
    those have no current facts to supersede."""

    ids: dict[tuple[str | None, str], int]
    created: set[int]


@dataclass
class Owners:
    """What a plan's facts belong to, as ids (a fact row needs nothing else of them)."""

    schools: dict[str, School]
    fresh: set[int]  # the schools the plan created
    rooms: Owned
    services: Owned


def _district(code: str, cache: dict[str, District]) -> District:
    if code not in cache:
        name = district_codes().get(code, {}).get("zh", code)
        cache[code] = District.objects.get_or_create(code=code, defaults={"name": name})[0]
    return cache[code]


PROFILE_FIELDS = {"name": "name", "type": "school_type", "teachers": "teachers",
                  "approved_data_center": "approved_data_center",
                  "rooms_inventoried": "rooms_inventoried",
                  "services_inventoried": "services_inventoried"}


def _set_profile(school: School, key: str, value, cache: dict) -> None:
    if key == "district":
        school.district = _district(value, cache)
    elif key.startswith("stage."):
        _, st, k = key.split(".")
        setattr(school, STAGE_COLUMNS[st, k], value)
    elif key == "smart_phase":
        school.smart_phase = "" if value == "none" else value
        if value == "none":
            school.smart_phase_since = None
    elif key == "smart_since":
        school.smart_phase_since = dt.date.fromisoformat(str(value))
    else:
        setattr(school, PROFILE_FIELDS[key], value)


def _apply_schools(plan: Plan, source: Source) -> tuple[dict[str, School], set[int]]:
    """The schools the plan names (code → School) and the ids of those it created."""
    codes = {c.school for c in plan.changes if c.school}
    schools = {s.code: s for s in School.objects.filter(code__in=codes)}
    cache: dict[str, District] = {}
    changed: dict[str, School] = {}
    for c in plan.changes:
        if c.target != "school" or c.key.startswith("fact."):
            continue
        school = schools.get(c.school)
        if school is None:  # not setdefault: it would build a School for each change
            school = schools[c.school] = School(code=c.school, profile_source=source)
        if c.key != "+":
            _set_profile(school, c.key, c.new, cache)
            school.profile_source = source
            changed[c.school] = school
    # split before bulk_create: it sets the new ones' keys where the backend returns them, and
    # they were then saved a second time, one UPDATE each
    new = [s for s in changed.values() if s.pk is None]
    old = [s for s in changed.values() if s.pk is not None]
    School.objects.bulk_create(new, batch_size=500)
    for s in old:
        s.save()
    if not new:
        return schools, set()
    # bulk_create does not set primary keys on every backend: read them back
    created = {s.code: s for s in School.objects.filter(code__in=[s.code for s in new])}
    schools.update(created)
    return schools, {s.pk for s in created.values()}


ROOM_FIELDS = ("school", "code", "room_type", "name")


def _apply_rooms(plan: Plan, schools: dict[str, School]) -> Owned:
    """Create and rename the plan's rooms; new ones go in one statement (no model instance per
    room: 48,000 of them were ≈ 3 s of the demo's import)."""
    codes = {s.id: code for code, s in schools.items()}
    ids = _room_ids(codes)
    created: dict[tuple[str, str], dict[str, str]] = {}
    updated: dict[int, dict[str, str]] = {}
    for c in plan.changes:
        if c.target != "room" or c.key.startswith("room."):
            continue
        key = (c.school, c.ref)
        fields = updated.setdefault(ids[key], {}) if key in ids else \
            created.setdefault(key, {"room_type": "", "name": ""})
        fields["room_type" if c.key == "room_type" else "name"] = c.new or ""
    if updated:
        rooms = Room.objects.in_bulk(list(updated))
        for pk, fields in updated.items():
            for name, value in fields.items():
                setattr(rooms[pk], name, value)
        Room.objects.bulk_update(rooms.values(), ["room_type", "name"], batch_size=1000)
    if not created:
        return Owned(ids, set())
    insert_rows(Room, ROOM_FIELDS, [(schools[school].pk, code, f["room_type"], f["name"])
                                    for (school, code), f in created.items()])
    before = set(ids.values())
    ids = _room_ids(codes)
    return Owned(ids, set(ids.values()) - before)


def _room_ids(codes: dict[int, str]) -> dict[tuple[str | None, str], int]:
    return {(codes[school], code): pk for pk, school, code in
            Room.objects.filter(school_id__in=codes).values_list("pk", "school_id", "code")}


def _apply_services(plan: Plan, schools: dict[str, School]) -> Owned:
    """Create the plan's services and set their vendor and provider: the stored ones read in
    two queries, the new ones created in one (not a query and a save per service)."""
    wanted: dict[tuple[str | None, str], dict[str, str]] = {}
    for c in plan.changes:
        if c.target != "service":
            continue
        fields = wanted.setdefault((c.school, c.ref), {})
        if c.key in ("vendor", "service.provided_by"):
            fields["vendor" if c.key == "vendor" else "provided_by"] = c.new or ""
    if not wanted:
        return Owned({}, set())
    cache: dict[str, District] = {}
    stored = _stored_services(wanted, schools)
    new, changed = [], []
    for key, fields in wanted.items():
        svc = stored.get(key)
        if svc is None:
            new.append(svc := _new_service(key, schools, cache))
        elif any(getattr(svc, name) != value for name, value in fields.items()):
            changed.append(svc)
        for name, value in fields.items():
            setattr(svc, name, value)
    PurchasedService.objects.bulk_create(new, batch_size=500)
    PurchasedService.objects.bulk_update(changed, ["vendor", "provided_by"], batch_size=500)
    before = {svc.pk for svc in stored.values()}
    if new:  # bulk_create does not set primary keys on every backend: read them back
        stored = _stored_services(wanted, schools)
    ids = {key: svc.pk for key, svc in stored.items()}
    return Owned(ids, set(ids.values()) - before)


def _stored_services(wanted: dict[tuple, dict], schools: dict[str, School]
                     ) -> dict[tuple[str | None, str], PurchasedService]:
    """The stored services of the plan's schools and districts, by the plan's keys: (school
    code, "category␟name") or (None, "district␟category␟name")."""
    codes = {schools[school].pk: school for school, _ref in wanted if school}
    districts = {ref.split(SEP)[0] for school, ref in wanted if not school}
    out: dict[tuple[str | None, str], PurchasedService] = {}
    for svc in PurchasedService.objects.filter(school_id__in=codes).order_by("pk"):
        out.setdefault((codes[svc.school_id], SEP.join((svc.category, svc.name))), svc)
    for svc in PurchasedService.objects.filter(school__isnull=True, district__code__in=districts) \
            .select_related("district").order_by("pk"):
        out.setdefault((None, SEP.join((svc.district.code, svc.category, svc.name))), svc)
    return {key: svc for key, svc in out.items() if key in wanted}


def _new_service(key: tuple[str | None, str], schools: dict[str, School],
                 cache: dict) -> PurchasedService:
    school, ref = key
    if school:
        category, name = ref.split(SEP)
        return PurchasedService(category=category, name=name, school=schools[school],
                                provided_by="school")
    district, category, name = ref.split(SEP)
    return PurchasedService(category=category, name=name, district=_district(district, cache),
                            school=None, provided_by="district")


FACT_FIELDS = ("school", "room", "service", "key", "num", "flag", "text", "source", "sheet",
               "row", "column", "path", "derived_from", "recorded_at")


def _apply_facts(plan: Plan, owners: Owners, source: Source, now,
                 progress: Callable | None) -> None:
    rows: list[tuple] = []
    stale: dict[str, set[tuple[int, str]]] = {"school": set(), "room": set(), "service": set()}
    when = prep(FactValue, "recorded_at", now)
    ids = {code: s.pk for code, s in owners.schools.items()}
    for c in plan.changes:
        if not c.key.startswith(("fact.", "room.", "service.")) or c.key == "service.provided_by":
            continue
        school = ids[c.school] if c.school else None
        room = service = None
        if c.target == "room":
            kind, owner = "room", (room := owners.rooms.ids[c.school, c.ref])
            created = owners.rooms.created
        elif c.target == "service":
            kind, owner = "service", (service := owners.services.ids[c.school, c.ref])
            created = owners.services.created
        else:
            kind, owner, created = "school", school, owners.fresh
        key = c.key.split(".", 1)[1]
        if owner not in created:
            stale[kind].add((owner, key))
        rows.append(_fact_row(school, room, service, key, c, source.pk, when))
    _supersede(stale, now)
    insert_rows(FactValue, FACT_FIELDS, rows, progress, len(rows))


def _fact_row(school: int | None, room: int | None, service: int | None, key: str, c: Change,
              source_id: int, when) -> tuple:
    v, w = c.new, c.where or Location()
    num = float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
    return (school, room, service, key, num, v if isinstance(v, bool) else None,
            v if isinstance(v, str) else None, source_id, w.sheet[:64], w.row, w.column,
            w.path[:200], c.note[:300], when)


def _supersede(stale: dict[str, set[tuple[int, str]]], now) -> None:
    """Mark the current rows these changes replace (the unique constraints need it first)."""
    for kind, items in stale.items():
        ids = _current_ids(kind, items) if items else []
        for i in range(0, len(ids), CHUNK):
            FactValue.objects.filter(id__in=ids[i:i + CHUNK]).update(superseded_at=now)


def _current_ids(kind: str, wanted: set[tuple[int, str]]) -> list[int]:
    field_ = {"room": "room_id", "service": "service_id", "school": "school_id"}[kind]
    subjects = list({pk for pk, _k in wanted})
    out = []
    for i in range(0, len(subjects), CHUNK):
        qs = FactValue.objects.filter(**{f"{field_}__in": subjects[i:i + CHUNK]},
                                      superseded_at__isnull=True)
        if kind == "school":
            qs = qs.filter(room__isnull=True, service__isnull=True)
        out += [pk for pk, sid, key in qs.values_list("id", field_, "key") if (sid, key) in wanted]
    return out


DEVICE_FIELDS = ("school", "room", "kind", "model", "purchase_date", "cost", "asset_tag",
                 "source")


def _apply_devices(plan: Plan, schools, rooms: dict[tuple, int], source: Source) -> None:
    changes = [c for c in plan.changes if c.target == "device"]
    if not changes:
        return
    existing = {(d.school_id, d.asset_tag): d for d in Device.objects.filter(
        school__in={schools[c.school] for c in changes if c.key == "~"})}
    new, updated = [], []
    for c in changes:
        d, school = c.new, schools[c.school]
        room = rooms.get((c.school, d.room)) if d.room else None  # its id
        cost = None if d.cost is None else Decimal(str(d.cost))
        if c.key == "+":
            new.append((school.pk, room, d.kind, d.model,
                        prep(Device, "purchase_date", d.purchase_date),
                        prep(Device, "cost", cost), d.asset_tag, source.pk))
            continue
        device = existing[school.pk, d.asset_tag]
        device.kind, device.model, device.purchase_date = d.kind, d.model, d.purchase_date
        device.room_id, device.cost, device.source = room, cost, source
        updated.append(device)
    insert_rows(Device, DEVICE_FIELDS, new)
    Device.objects.bulk_update(updated, ["kind", "model", "purchase_date", "room", "cost",
                                         "source"], batch_size=2000)
