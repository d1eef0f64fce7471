"""A district's current school and room facts, pivoted once and kept (`FactSnapshot`), so a
large stored run reads the fact table only for the schools whose data changed since.

A stored run pivots every current fact value of its schools into the engine's columns
(schools/frames.py). At 10,000 schools that is 3.8 M values, read and pivoted in ≈ 6.3 s of a
≈ 20 s run, and a national run read the country's ≈ 80 M values again each time although a
night's edits touch a few schools (docs/scale.md). Here each district's pivoted facts are kept
in the database as two Arrow IPC (zstd) blobs — the schools' fact columns with each school's
data version (`School.version`), and its rooms with their fact columns — and a run takes from
them every school whose version is the one stored; the others are read from the fact table and
the district's snapshot written again.

Why it stays true:
* every write of a school's facts, rooms or profile bumps its version in the same transaction
  (accounts/versions.py `bump`, called by every use case that writes), so a school's data
  differs from its snapshot only if its version does;
* the versions are read *before* the facts: a write committed in between makes the stored
  version older than the facts it sits beside — the school is read again next time — never
  newer;
* the snapshot is a table, not a file: a run inside an import's transaction that rolls back
  takes its snapshot with it (a version is reused after a rollback, so a file could hold data
  that never existed under that version);
* the key names the fact dictionary it was pivoted by (and this module's format): a changed
  catalog reads everything again;
* a snapshot is written only by the transaction holding its district's advisory lock on
  PostgreSQL (`pg_try_advisory_xact_lock`, not waited for): two runs never wait on each other's
  snapshot, one of them just leaves it for the next run. SQLite has one writer anyway.

Services, devices and the profile columns are not kept: they are small and read as before.
tests/schools/test_snapshots.py proves a run's frames equal to the fact table's after writes
through each door, after a rollback, and under a changed dictionary.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import polars as pl
from django.db import connection

from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import FactType, Scope
from campusplan.engine.frames import DTYPES
from campusplan.schools.bulk import read_frame
from campusplan.schools.models import FactSnapshot, FactValue, Room, School

FORMAT = "1"  # bump when what is kept changes shape: every snapshot is then read again
# the column a fact's value is stored in, by its type
STORED_IN = {FactType.bool: "flag", FactType.int: "num", FactType.float: "num",
             FactType.enum: "text"}
LONG = {"owner": pl.Int64, "key": pl.Utf8, "num": pl.Float64, "flag": pl.Boolean,
        "text": pl.Utf8}
ROOMS = {"owner": pl.Int64, "school": pl.Int64, "room_code": pl.Utf8, "room_type": pl.Utf8}
LOCK_SPACE = 0x43500001  # the advisory locks' first key: campusplan's fact snapshots


@dataclass
class Pivoted:
    """Schools' current facts as the frames' inputs: `schools` one row per school (`owner`, its
    `version`, one `fact.<key>` column per school fact), `rooms` one row per room (`owner` the
    room, `school`, code, type, one `room.<key>` column per room fact), a school's rooms
    together in the order the table gives them (by code)."""

    schools: pl.DataFrame
    rooms: pl.DataFrame


def pivoted(schools: list[School], catalog: Catalog) -> Pivoted:
    """The schools' current facts, from their districts' snapshots where those are current,
    from the fact table for the rest; the snapshots of the districts read again are written.
    Each school's rooms in the order the table gives them (the caller orders the schools)."""
    ids = [s.pk for s in schools]
    # first, before any fact: see the module's docstring
    version = dict(School.objects.filter(pk__among=ids).values_list("pk", "version"))
    key = snapshot_key(catalog)
    kept = _kept(key, {s.district_id for s in schools}, catalog)
    fresh: dict[int, list[int]] = {}
    stale: list[int] = []
    for s in schools:
        held = kept.get(s.district_id)
        if held is not None and s.pk in held.version and held.version[s.pk] == version.get(s.pk):
            fresh.setdefault(s.district_id, []).append(s.pk)
        else:
            stale.append(s.pk)
    read = read_pivoted(stale, catalog, version)
    # a school's rows from its own district's snapshot (a school that moved may still sit in
    # its old district's) or from the table, never both
    out = Pivoted(
        schools=pl.concat([*(kept[d].schools.filter(pl.col("owner").is_in(pks))
                             for d, pks in fresh.items()), read.schools]),
        rooms=pl.concat([*(kept[d].rooms.filter(pl.col("school").is_in(pks))
                           for d, pks in fresh.items()), read.rooms]))
    if stale:
        gone = set(stale)
        changed = {s.district_id for s in schools if s.pk in gone}
        _write(key, changed, out, kept, {s.pk for s in schools})
    return out


def snapshot_key(catalog: Catalog) -> str:
    """What a snapshot was pivoted by: this module's format and the facts' keys, scopes and
    types (a fact's label or help text changes nothing here)."""
    facts = sorted((f.scope.value, f.key, f.type.value) for f in catalog.facts.facts)
    return f"{FORMAT}:{hashlib.sha256(repr(facts).encode()).hexdigest()[:32]}"


def read_pivoted(ids: list[int], catalog: Catalog, version: dict[int, int]) -> Pivoted:
    """The schools' current facts from the fact table, pivoted by Polars."""
    school_schema = _schema(catalog, Scope.school, "fact", {"owner": pl.Int64,
                                                            "version": pl.Int64})
    room_schema = _schema(catalog, Scope.room, "room", ROOMS)
    if not ids:
        return Pivoted(pl.DataFrame(schema=school_schema), pl.DataFrame(schema=room_schema))
    school_facts = FactValue.objects.filter(
        school_id__among=ids, room__isnull=True, service__isnull=True,
        superseded_at__isnull=True).values_list("school_id", "key", "num", "flag", "text")
    owners = pl.DataFrame({"owner": ids, "version": [version.get(i, 0) for i in ids]},
                          schema={"owner": pl.Int64, "version": pl.Int64})
    schools = owners.lazy().join(_facts(school_facts, catalog, Scope.school, "fact"),
                                 on="owner", how="left", maintain_order="left")
    rooms = Room.objects.filter(school_id__among=ids).order_by("school_id", "code") \
        .values_list("id", "school_id", "code", "room_type")
    # a room's values carry its school too (schools/services.py `_fact_row`): read by the
    # school, as the school's own values are, not through a join with the rooms
    room_facts = FactValue.objects.filter(school_id__among=ids, room__isnull=False,
                                          superseded_at__isnull=True) \
        .values_list("room_id", "key", "num", "flag", "text")
    room_frame = read_frame(rooms, ROOMS).lazy().join(
        _facts(room_facts, catalog, Scope.room, "room"), on="owner", how="left",
        maintain_order="left")
    return Pivoted(schools=typed(schools, school_schema), rooms=typed(room_frame, room_schema))


def _facts(rows, catalog: Catalog, scope: Scope, prefix: str) -> pl.LazyFrame:
    """(owner, key, num, flag, text) rows → one row per owner, one typed column per fact of the
    dictionary (unknown: null). Lazy: the caller's joins and casts are collected with it, once."""
    long = read_frame(rows, LONG).lazy()
    out = long.select("owner").unique()
    # one pivot per stored column (integers and floats are both in `num`), each key cast to
    # its own type
    types = {f.key: f.type for f in catalog.facts.facts if f.scope == scope}
    for column in dict.fromkeys(STORED_IN.values()):
        keys = [k for k, t in types.items() if STORED_IN[t] == column]
        if not keys:
            continue
        wide = (long.filter(pl.col("key").is_in(keys) & pl.col(column).is_not_null())
                .pivot(on="key", on_columns=keys, index="owner", values=column,
                       aggregate_function="last")
                .select("owner", *[pl.col(k).cast(DTYPES[types[k]]).alias(f"{prefix}.{k}")
                                   for k in keys]))
        out = out.join(wide, on="owner", how="left")
    return out


def _schema(catalog: Catalog, scope: Scope, prefix: str,
            head: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    return head | {f"{prefix}.{f.key}": DTYPES[f.type] for f in catalog.facts.facts
                   if f.scope == scope}


def typed(frame: pl.LazyFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The frame with exactly these columns, in this order, of these types (a missing one:
    null)."""
    names = frame.collect_schema().names()
    return frame.select([pl.col(c).cast(t) if c in names else pl.lit(None, dtype=t)
                         .alias(c) for c, t in schema.items()]).collect()


@dataclass
class _Kept:
    schools: pl.DataFrame
    rooms: pl.DataFrame
    version: dict[int, int]


def _kept(key: str, districts: set[int], catalog: Catalog) -> dict[int, _Kept]:
    """The districts' snapshots pivoted by this key, by district id."""
    out = {}
    school_schema = _schema(catalog, Scope.school, "fact", {"owner": pl.Int64,
                                                            "version": pl.Int64})
    room_schema = _schema(catalog, Scope.room, "room", ROOMS)
    for district, schools, rooms in FactSnapshot.objects.filter(
            district_id__among=sorted(districts), key=key) \
            .values_list("district_id", "schools", "rooms"):
        s = pl.read_ipc(io.BytesIO(bytes(schools)))
        r = pl.read_ipc(io.BytesIO(bytes(rooms)))
        if dict(s.schema) != school_schema or dict(r.schema) != room_schema:
            continue  # written by another shape of the same key: read again
        out[district] = _Kept(s, r, dict(zip(s["owner"].to_list(), s["version"].to_list(),
                                       strict=True)))
    return out


def _write(key: str, districts: set[int], out: Pivoted, kept: dict[int, _Kept],
           covered: set[int]) -> None:
    """The districts' snapshots again: this run's schools of each district as just pivoted, and
    the schools of the district this run did not cover as they were kept, if they still are in
    it. Where another transaction holds a district's lock, its snapshot is left as it is."""
    districts = _locked(districts)
    if not districts:
        return
    members: dict[int, list[int]] = {}
    for pk, district in School.objects.filter(district_id__among=sorted(districts)) \
            .values_list("pk", "district_id"):
        members.setdefault(district, []).append(pk)
    ran = pl.DataFrame([(pk, d) for d, pks in members.items() for pk in pks if pk in covered],
                       orient="row", schema={"school": pl.Int64, "district": pl.Int64})
    schools = _by_district(out.schools.rename({"owner": "school"}), ran)
    rooms = _by_district(out.rooms, ran)
    rows = []
    for district in sorted(districts):
        parts = [schools.get(district, out.schools.clear().rename({"owner": "school"}))
                 .rename({"school": "owner"})]
        room_parts = [rooms.get(district, out.rooms.clear())]
        if district in kept:
            others = [pk for pk in members.get(district, []) if pk not in covered]
            parts.append(kept[district].schools.filter(pl.col("owner").is_in(others)))
            room_parts.append(kept[district].rooms.filter(pl.col("school").is_in(others)))
        rows.append(FactSnapshot(district_id=district, key=key, schools=_blob(pl.concat(parts)),
                                 rooms=_blob(pl.concat(room_parts))))
    FactSnapshot.objects.filter(district_id__among=sorted(districts)).delete()
    FactSnapshot.objects.bulk_create(rows)


def _by_district(frame: pl.DataFrame, ran: pl.DataFrame) -> dict[int, pl.DataFrame]:
    """The frame's rows (a `school` column) by the district of their school, in their order."""
    joined = frame.join(ran, on="school", how="inner", maintain_order="left")
    return {key[0]: part for key, part in
            joined.partition_by("district", as_dict=True, include_key=False).items()}


def _blob(frame: pl.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.write_ipc(out, compression="zstd")
    return out.getvalue()


def _locked(districts: set[int]) -> set[int]:
    """The districts whose snapshot lock this transaction holds now (PostgreSQL: taken if free,
    never waited for, released at commit or rollback); all of them on SQLite."""
    if connection.vendor != "postgresql":
        return set(districts)
    with connection.cursor() as cursor:
        cursor.execute("SELECT d FROM unnest(%s::bigint[]) AS d "
                       "WHERE pg_try_advisory_xact_lock(%s, d::integer)",
                       [sorted(districts), LOCK_SPACE])
        return {d for (d,) in cursor.fetchall()}
