"""Reads: stored schools as typed school documents, and as engine input.

`_documents_json` is the one place the database turns into the document's JSON form; the typed
models (engine/document.py) validate it, as they validate every file: `school_documents` and
`district_services` for the exchange layer, `schools_as_inputs` (with devices) for the engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from campusplan.catalog.codes import school_types, stages_of
from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import FactType
from campusplan.engine.document import DistrictServiceDoc, Inputs, SchoolDoc, is_school_code
from campusplan.engine.inputs import validate_inputs
from campusplan.exchange.documents import Stored
from campusplan.exchange.inventory import DeviceRow, engine_devices, load_kinds
from campusplan.exchange.layout import normal
from campusplan.exchange.problems import Location
from campusplan.schools.bulk import raw_rows
from campusplan.schools.models import (
    STAGE_COLUMNS,
    Device,
    FactValue,
    PurchasedService,
    Room,
    School,
)


def school_list(*, district: str | None = None, codes: Iterable[str] | None = None) -> QuerySet:
    qs = School.objects.select_related("district")
    if district:
        qs = qs.filter(district__code=district)
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return qs.order_by("code")


def fact_types(catalog: Catalog) -> dict[tuple[str, str], FactType]:
    return {(f.scope.value, f.key): f.type for f in catalog.facts.facts}


def fact_value(num, flag, text, ftype: FactType | None):
    """A stored value (FactValue's num, flag and text columns) as its fact's type reads it."""
    if flag is not None:
        return flag
    if num is not None:
        return int(num) if ftype == FactType.int else num
    return text


def school_documents(*, schools: QuerySet | list[School],
                     catalog: Catalog) -> dict[str, SchoolDoc]:
    """The schools' typed documents (code → document), rooms with names."""
    docs = validate_inputs({"schools": list(_documents_json(schools, catalog).values())},
                           catalog)
    return {d.code: d for d in docs.schools}


def _documents_json(schools: QuerySet | list[School], catalog: Catalog) -> dict[str, dict]:
    schools = list(schools)
    ids = {s.id: s for s in schools}
    facts, room_facts, svc_facts = _current_facts(ids, catalog)
    docs = {s.code: _profile(s) | {"facts": facts.get(s.id, {})} for s in schools}
    rooms = Room.objects.filter(school_id__in=ids).order_by("school_id", "code") \
        .values_list("id", "school_id", "code", "room_type", "name")
    for room_id, school_id, code, room_type, name in raw_rows(rooms):
        doc = docs[ids[school_id].code]
        if doc["rooms"] is None:
            doc["rooms"] = []
        doc["rooms"].append({"code": code, "type": room_type, "name": name or None}
                            | room_facts.get(room_id, {}))
    for svc in PurchasedService.objects.filter(school_id__in=ids).order_by("school_id", "id"):
        doc = docs[ids[svc.school_id].code]
        doc["services"] = (doc["services"] or []) + [_service(svc, svc_facts)]
    return docs


def stored_stages(s: School) -> dict[str, dict]:
    """The school's 学段 with their known counts. The type's stages are present even when all
    their counts are unknown (the document refuses a type's stage that is absent:
    engine/plausibility.py)."""
    stages: dict[str, dict] = {st: {} for st in stages_of(s.school_type)
                               if s.school_type in school_types()}
    for (st, k), col in STAGE_COLUMNS.items():
        if getattr(s, col) is not None:
            stages.setdefault(st, {})[k] = getattr(s, col)
    return stages


def _profile(s: School) -> dict:
    stages = stored_stages(s)
    phase = {"phase": s.smart_phase, "since": s.smart_phase_since.isoformat()
             if s.smart_phase_since else None} if s.smart_phase else None
    return {"code": s.code, "name": s.name, "district": s.district.code, "type": s.school_type,
            "teachers": s.teachers, "stages": stages, "smart_phase": phase,
            "approved_data_center": s.approved_data_center,
            "rooms": [] if s.rooms_inventoried else None,
            "services": [] if s.services_inventoried else None}


def _service(svc: PurchasedService, svc_facts: dict) -> dict:
    return {"category": svc.category, "name": svc.name, "vendor": svc.vendor,
            "provided_by": svc.provided_by} | svc_facts.get(svc.id, {})


def _current_facts(ids: dict, catalog: Catalog):
    types = fact_types(catalog)
    school, room, svc = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    rows = FactValue.objects.filter(school_id__in=list(ids), superseded_at__isnull=True) \
        .values_list("school_id", "room_id", "service_id", "key", "num", "flag", "text")
    for school_id, room_id, service_id, key, num, flag, text in raw_rows(rows):
        if flag is not None:
            flag = bool(flag)  # SQLite gives 0/1
        if room_id:
            room[room_id][key] = fact_value(num, flag, text, types.get(("room", key)))
        elif service_id:
            svc[service_id][key] = fact_value(num, flag, text, types.get(("service", key)))
        else:
            school[school_id][key] = fact_value(num, flag, text, types.get(("school", key)))
    return school, room, svc


def district_services(*, districts: Iterable[str],
                      catalog: Catalog) -> list[DistrictServiceDoc]:
    raw = _district_services_json(districts, catalog)
    return validate_inputs({"schools": [], "district_services": raw}, catalog).district_services


def _district_services_json(districts: Iterable[str], catalog: Catalog) -> list[dict]:
    types = fact_types(catalog)
    services = list(PurchasedService.objects.filter(district__code__in=list(districts))
                    .select_related("district").order_by("district__code", "category", "name"))
    facts: dict[int, dict] = defaultdict(dict)
    rows = FactValue.objects.filter(service__in=services, superseded_at__isnull=True) \
        .values_list("service_id", "key", "num", "flag", "text")
    for service_id, key, num, flag, text in rows:
        facts[service_id][key] = fact_value(num, flag, text, types.get(("service", key)))
    return [{"district": s.district.code, "category": s.category, "name": s.name,
             "vendor": s.vendor} | facts[s.id] for s in services]


def devices_of(*, schools: QuerySet | list[School]) -> list[DeviceRow]:
    rows = Device.objects.filter(school__in=list(schools)).order_by("school__code", "asset_tag") \
        .values_list("school__code", "asset_tag", "kind", "room__code", "model", "purchase_date",
                     "cost")
    return [DeviceRow(code, tag, kind, room, model, day, None if cost is None else float(cost),
                      Location())
            for code, tag, kind, room, model, day, cost in rows.iterator(chunk_size=10000)]


def stored_for(*, codes: Iterable[str], districts: Iterable[str], catalog: Catalog,
               with_names: bool = False) -> Stored:
    """What an import of these schools (and district services) compares against. A code that
    is no school code cannot be stored (the validator refuses it, located) and is not looked
    up: PostgreSQL refuses a NUL in a query."""
    schools = list(school_list(codes=[c for c in codes if is_school_code(c)]))
    stored = Stored(schools=school_documents(schools=schools, catalog=catalog))
    for svc in district_services(districts=districts, catalog=catalog):
        stored.district_services[svc.district, svc.category, svc.name] = svc
    for d in devices_of(schools=schools):
        stored.devices.setdefault(d.school, {})[d.asset_tag] = d
    if with_names:
        stored.names = school_names()
    return stored


def school_names(schools: QuerySet[School] | None = None) -> dict[str, str]:
    """Normalised school code and name → code, for matching Snipe-IT's Company column (of the
    given schools: those the importing actor reaches; default all)."""
    out = {}
    for code, name in (School.objects if schools is None else schools).values_list("code", "name"):
        out[normal(name)] = out[normal(code)] = code
    return out


def schools_as_inputs(*, schools: QuerySet | list[School], catalog: Catalog) -> Inputs:
    """Stored schools (and their districts' services) as validated engine input; the inventory's
    devices become the engine's `devices` (price line, quantity, date) for refresh planning."""
    schools = list(schools)
    docs = _documents_json(schools, catalog)
    by_school: dict[str, list[DeviceRow]] = defaultdict(list)
    for d in devices_of(schools=schools):
        by_school[d.school].append(d)
    kinds = load_kinds(catalog)
    for code, doc in docs.items():
        doc["devices"] = engine_devices(by_school.get(code, []), kinds)
    docs = list(docs.values())
    dsv = _district_services_json({s.district.code for s in schools}, catalog)
    return validate_inputs({"schools": docs, "district_services": dsv}, catalog)

