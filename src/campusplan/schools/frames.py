"""Stored schools as the engine's frames, straight from the tables.

A stored run reads every current fact value of its schools — 656,000 for the demo city. Through
the typed documents (schools/selectors.py `schools_as_inputs`) each value is put in a dict, then
validated by pydantic once more, then read back out of the documents into rows: 2.4 s of a 5.8 s
run (docs/scale.md). What is stored was validated when it was written (every door goes through
the documents), so a run builds its frames here instead: the fact values are read in one query
per owner (school, room, service) and pivoted by Polars into one column per fact, typed by the
fact dictionary. The profile columns come from `engine.frames.school_row`, which the documents'
path uses too, and both paths end in `engine.frames.finish`; tests/schools/test_frames.py proves
the two give equal frames and equal results. Above SMALL schools the pivoted facts come from the
districts' snapshots where a school's version is the one kept (schools/snapshots.py), so a run
reads the fact table only for the schools written since.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

import polars as pl
from django.db.models import QuerySet

from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import FactType, Scope
from campusplan.engine.document import SmartPhaseDoc
from campusplan.engine.frames import (
    DEVICE_SCHEMA,
    Frames,
    finish,
    room_schema,
    school_base_schema,
    school_row,
    service_schema,
)
from campusplan.exchange.inventory import engine_devices, load_kinds
from campusplan.schools.bulk import raw_rows
from campusplan.schools.models import FactValue, PurchasedService, Room, School
from campusplan.schools.selectors import devices_of, fact_types, fact_value, stored_stages
from campusplan.schools.snapshots import STORED_IN, Pivoted, pivoted, typed

# Up to this many schools the values are pivoted in Python, row dicts into one frame (≈ 0.5 ms):
# Polars plans a query over the ≈ 180 fact columns in ≈ 25 ms whatever the rows, which was most
# of building one school's frames for its page or a fact edit. Above it, Polars' pivot wins
# (the demo city: 656,000 values). tests/schools/test_frames.py proves both paths equal.
SMALL = 60


def stored_frames(*, schools: list[School], catalog: Catalog, as_of: dt.date,
                  approvals: Mapping[str, Mapping] | None = None) -> Frames:
    """The schools (their districts' services too) as the engine's frames on `as_of`.
    `approvals`: per school code, what valid approvals change (`approved_data_center`,
    `smart_phase` as a SmartPhaseDoc) — assessments/services.py `approvals`."""
    approvals = approvals or {}
    ids = {s.pk: s for s in schools}
    index = pl.DataFrame({"owner": list(ids), "school_id": [s.code for s in schools],
                          "pos": range(len(schools))},
                         schema={"owner": pl.Int64, "school_id": pl.Utf8, "pos": pl.Int64})
    # above SMALL the facts come pivoted, from the districts' snapshots where current
    facts = pivoted(schools, catalog) if len(schools) > SMALL else None
    rooms = _rooms(ids, index, catalog, facts)
    services, served = _services(schools, catalog)
    # a school with rooms (services) stored has them inventoried, as in its document
    with_rooms = set(rooms["school_id"].unique().to_list())
    return finish(Frames(schools=_schools(schools, catalog, as_of, approvals, with_rooms, served,
                                          facts),
                         rooms=rooms, services=services, devices=_devices(schools, catalog)),
                  catalog)


def _facts_by_owner(rows: QuerySet, catalog: Catalog, scope: Scope,
                    prefix: str) -> dict[int, dict]:
    """The small path of the pivot (schools/snapshots.py `read_pivoted`): owner → {column:
    value}, each value read from the column
    its fact's type is stored in and typed as the frame's column is."""
    pick = {f.key: (f"{prefix}.{f.key}", STORED_IN[f.type], f.type)
            for f in catalog.facts.facts if f.scope == scope}
    out: dict[int, dict] = defaultdict(dict)
    for owner, key, num, flag, text in raw_rows(rows):
        if key not in pick:
            continue
        column, stored, ftype = pick[key]
        value = num if stored == "num" else flag if stored == "flag" else text
        if value is not None:
            out[owner][column] = int(value) if ftype == FactType.int else \
                bool(value) if ftype == FactType.bool else value
    return out


def _schools(schools: list[School], catalog: Catalog, as_of: dt.date,
             approvals: Mapping[str, Mapping], with_rooms: set[str],
             served: set[str], facts: Pivoted | None) -> pl.DataFrame:
    schema = school_base_schema(catalog)
    profiles = [_profile(s, as_of, approvals.get(s.code, {}), s.code in with_rooms,
                         s.code in served) for s in schools]
    if facts is None:
        values = FactValue.objects.filter(
            school_id__among=[s.pk for s in schools], room__isnull=True, service__isnull=True,
            superseded_at__isnull=True).values_list("school_id", "key", "num", "flag", "text")
        wide = _facts_by_owner(values, catalog, Scope.school, "fact")
        return pl.from_dicts([p | wide.get(s.pk, {}) for s, p in zip(schools, profiles,
                                                                       strict=True)],
                             schema=schema) if schools else pl.DataFrame(schema=schema)
    base = pl.from_dicts([{"owner": s.pk} | p for s, p in zip(schools, profiles, strict=True)],
                         schema={"owner": pl.Int64} | {
                             c: t for c, t in schema.items() if not c.startswith("fact.")})
    return typed(base.lazy().join(facts.schools.lazy().drop("version"), on="owner",
                                  how="left", maintain_order="left"), schema)


def _profile(s: School, as_of: dt.date, approved: Mapping, has_rooms: bool,
             has_services: bool) -> dict:
    """The school's profile columns, as its document would give them."""
    stages = stored_stages(s)
    phase: SmartPhaseDoc | None = approved.get("smart_phase") or (
        SmartPhaseDoc(phase=s.smart_phase, since=s.smart_phase_since) if s.smart_phase else None)
    return school_row(
        code=s.code, name=s.name or s.code, district=s.district.code, type=s.school_type,
        teachers=s.teachers, phase=phase.phase if phase else None,
        since=phase.since if phase else None,
        approved_data_center=bool(approved.get("approved_data_center")
                                  or s.approved_data_center),
        rooms_inventoried=s.rooms_inventoried or has_rooms,
        services_inventoried=s.services_inventoried or has_services,
        stages=stages, as_of=as_of)


def _rooms(ids: dict[int, School], index: pl.DataFrame, catalog: Catalog,
           facts: Pivoted | None) -> pl.DataFrame:
    """Each school's rooms in code order, the schools in the run's order."""
    schema = room_schema(catalog)
    if facts is not None:
        frame = facts.rooms.lazy().join(
            index.lazy().select(pl.col("owner").alias("school"), "school_id", "pos"),
            on="school", how="inner", maintain_order="left").sort("pos", maintain_order=True)
        return typed(frame, schema)
    rooms = Room.objects.filter(school_id__among=list(ids)).order_by("school_id", "code") \
        .values_list("id", "school_id", "code", "room_type")
    # a room's values carry its school too (schools/services.py `_fact_row`): read by the
    # school, as the school's own values are, not through a join with the rooms
    facts_of = FactValue.objects.filter(school_id__among=list(ids), room__isnull=False,
                                        superseded_at__isnull=True) \
        .values_list("room_id", "key", "num", "flag", "text")
    wide = _facts_by_owner(facts_of, catalog, Scope.room, "room")
    pos = {pk: n for n, pk in enumerate(ids)}
    rows = [{"school_id": ids[school].code, "room_type": kind, "room_code": code}
            | wide.get(owner, {})
            for owner, school, code, kind in sorted(raw_rows(rooms), key=lambda r: pos[r[1]])]
    return pl.from_dicts(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def _services(schools: list[School], catalog: Catalog) -> tuple[pl.DataFrame, set[str]]:
    """A school's own services, then its district's (provided by the district), as the
    documents have them (a service's name defaults to its category); and the codes of the
    schools with services of their own."""
    schema, types = service_schema(catalog), fact_types(catalog)
    # ids as one parameter (schools/lookups.py), not instances: Django checks every instance
    # of an `__in` list (0.8 s for 10,000); tuples, not models: 10,500 services' instances were
    # a third of this frame at 10,000 schools
    fields = ("pk", "school_id", "district_id", "category", "name", "vendor", "provided_by")
    own = list(raw_rows(PurchasedService.objects.filter(school_id__among=[s.pk for s in schools])
                        .order_by("school_id", "id").values_list(*fields)))
    districts = {s.district_id for s in schools}
    shared = list(raw_rows(PurchasedService.objects.filter(district_id__in=districts)
                           .order_by("district__code", "category", "name").values_list(*fields)))
    facts: dict[int, dict] = defaultdict(dict)
    values = FactValue.objects.filter(service_id__among=[svc[0] for svc in own + shared],
                                      superseded_at__isnull=True) \
        .values_list("service_id", "key", "num", "flag", "text")
    for service_id, key, num, flag, text in raw_rows(values):
        ftype = types.get(("service", key))
        if ftype is not None:
            flag = None if flag is None else bool(flag)  # SQLite gives 0/1
            facts[service_id][f"service.{key}"] = fact_value(num, flag, text, ftype)
    ids = {s.pk: s for s in schools}

    def row(svc: tuple) -> dict:
        pk, school, _district, category, name, vendor, provided_by = svc
        return {"category": category, "name": name or category, "vendor": vendor or "",
                "service.provided_by": "district" if school is None else provided_by} | facts[pk]

    by_school: dict[int, list[dict]] = defaultdict(list)
    for svc in own:
        by_school[svc[1]].append(row(svc))
    by_district: dict[int, list[dict]] = defaultdict(list)
    for svc in shared:
        by_district[svc[2]].append(row(svc))
    rows = [{"school_id": s.code} | row for s in schools
            for row in by_school[s.pk] + by_district[s.district_id]]
    frame = pl.from_dicts(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    return typed(frame.lazy(), schema), {ids[pk].code for pk in by_school if by_school[pk]}


def _devices(schools: list[School], catalog: Catalog) -> pl.DataFrame:
    """The inventory's devices by price line and purchase date, for refresh planning."""
    by_school = defaultdict(list)
    for d in devices_of(schools=schools):
        by_school[d.school].append(d)
    if not by_school:
        return pl.DataFrame(schema=DEVICE_SCHEMA)
    kinds = load_kinds(catalog)
    rows = [(code, d["kind"], d["quantity"], dt.date.fromisoformat(d["purchased"]))
            for code in (s.code for s in schools) if code in by_school
            for d in engine_devices(by_school[code], kinds)]
    return pl.DataFrame(rows, schema=DEVICE_SCHEMA, orient="row")
