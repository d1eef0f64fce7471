"""Columnar frames the engine reads: schools × facts, rooms × facts, services × facts.

Column names carry the check language's namespaces (`fact.x`, `school.x`, `stage.primary.x`,
`room.x`, `service.x`) so compiling a reference is a column lookup. Unknown is null everywhere.
`finish()` derives the profile totals and room counts; the input loader and the synthetic
population generator both go through it, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import polars as pl

from campusplan.catalog.loader import Catalog
from campusplan.catalog.profile import NO_PHASE
from campusplan.catalog.schema import FactType, Scope
from campusplan.engine.document import STAGE_KEYS, STAGES, Inputs, SchoolDoc, ServiceDoc

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

DTYPES = {FactType.bool: pl.Boolean, FactType.int: pl.Int64, FactType.float: pl.Float64,
          FactType.enum: pl.Utf8}


DEVICE_SCHEMA = {"school_id": pl.Utf8, "kind": pl.Utf8, "quantity": pl.Int64,
                 "purchased": pl.Date}


@dataclass
class Frames:
    schools: pl.DataFrame
    rooms: pl.DataFrame
    services: pl.DataFrame
    # devices are not read by checks; planning uses their age for end-of-life refresh
    devices: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=DEVICE_SCHEMA))


def fact_schema(catalog: Catalog, scope: Scope, prefix: str) -> dict[str, pl.DataType]:
    return {f"{prefix}.{f.key}": DTYPES[f.type] for f in catalog.facts.facts if f.scope == scope}


def school_base_schema(catalog: Catalog) -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {
        "school_id": pl.Utf8, "name": pl.Utf8, "district": pl.Utf8, "school.type": pl.Utf8,
        "school.teachers": pl.Int64, "school.smart_phase": pl.Utf8,
        "school.smart_phase_years": pl.Float64, "school.approved_data_center": pl.Boolean,
        "rooms_inventoried": pl.Boolean, "services_inventoried": pl.Boolean,
    }
    for st in STAGES:
        schema[f"school.has_{st}"] = pl.Boolean
        schema |= {f"stage.{st}.{k}": pl.Int64 for k in STAGE_KEYS}
    return schema | fact_schema(catalog, Scope.school, "fact")


def room_schema(catalog: Catalog) -> dict[str, pl.DataType]:
    base = {"school_id": pl.Utf8, "room_type": pl.Utf8, "room_code": pl.Utf8}
    return base | fact_schema(catalog, Scope.room, "room")


def service_schema(catalog: Catalog) -> dict[str, pl.DataType]:
    base = {"school_id": pl.Utf8, "category": pl.Utf8, "name": pl.Utf8, "vendor": pl.Utf8}
    return base | fact_schema(catalog, Scope.service, "service")


def from_inputs(inputs: Inputs, catalog: Catalog, as_of: dt.date | None = None) -> Frames:
    as_of = as_of or dt.date.today()
    s_schema, r_schema, v_schema = (school_base_schema(catalog), room_schema(catalog),
                                    service_schema(catalog))
    school_rows, room_rows, svc_rows, device_rows = [], [], [], []
    by_district: dict[str, list[ServiceDoc]] = {}
    for svc in inputs.district_services:
        by_district.setdefault(svc.district, []).append(svc)
    for s in inputs.schools:
        school_rows.append(_school_row(s, as_of))
        for room in s.rooms or []:
            room_rows.append({"school_id": s.code, "room_type": room.type, "room_code": room.code}
                             | {f"room.{k}": v for k, v in room.facts().items()})
        for svc in (s.services or []) + by_district.get(s.district, []):
            svc_rows.append(_service_row(s.code, svc))
        device_rows += [{"school_id": s.code, "kind": d.kind, "quantity": d.quantity,
                         "purchased": d.purchased} for d in s.devices]
    return finish(Frames(
        schools=pl.DataFrame(school_rows, schema=s_schema, orient="row") if not school_rows
        else pl.from_dicts(school_rows, schema=s_schema),
        rooms=pl.from_dicts(room_rows, schema=r_schema) if room_rows else pl.DataFrame(schema=r_schema),
        services=pl.from_dicts(svc_rows, schema=v_schema) if svc_rows else pl.DataFrame(schema=v_schema),
        devices=pl.DataFrame(device_rows, schema=DEVICE_SCHEMA, orient="row") if device_rows
        else pl.DataFrame(schema=DEVICE_SCHEMA),
    ), catalog)


def _school_row(s: SchoolDoc, as_of: dt.date) -> dict:
    stages = {st: {k: getattr(stage, k) for k in STAGE_KEYS} for st, stage in s.stages.items()
              if stage is not None}
    return school_row(
        code=s.code, name=s.name, district=s.district, type=s.type, teachers=s.teachers,
        phase=s.smart_phase.phase if s.smart_phase else None,
        since=s.smart_phase.since if s.smart_phase else None,
        approved_data_center=s.approved_data_center, rooms_inventoried=s.rooms is not None,
        services_inventoried=s.services is not None, stages=stages, as_of=as_of) | {
        f"fact.{k}": v for k, v in s.facts.known().items()}


def school_row(*, code: str, name: str, district: str, type: str, teachers: int | None,
               phase: str | None, since: dt.date | None, approved_data_center: bool,
               rooms_inventoried: bool, services_inventoried: bool,
               stages: Mapping[str, Mapping[str, int | None]], as_of: dt.date) -> dict:
    """A school's profile columns (without its facts), from a document or from the store
    (schools/frames.py): one definition, so the two cannot disagree. `stages`: the 学段 the
    school has, each with its counts (unknown is None)."""
    row = {
        "school_id": code, "name": name, "district": district,
        "school.type": type, "school.teachers": teachers,
        # no phase declared means the school has not started smart classrooms (5.11 is opt-in)
        "school.smart_phase": phase or NO_PHASE,
        "school.smart_phase_years": round((as_of - since).days / 365.25, 2) if since else None,
        "school.approved_data_center": approved_data_center,
        "rooms_inventoried": rooms_inventoried,
        "services_inventoried": services_inventoried,
    }
    for st in STAGES:
        stage = stages.get(st)
        row[f"school.has_{st}"] = stage is not None
        for k in STAGE_KEYS:
            row[f"stage.{st}.{k}"] = stage.get(k) if stage is not None else None
    return row


def _service_row(school_id: str, svc: ServiceDoc) -> dict:
    return {"school_id": school_id, "category": svc.category, "name": svc.name,
            "vendor": svc.vendor, "service.provided_by": svc.provided_by} | {
        f"service.{k}": v for k, v in svc.facts().items()}


def finish(frames: Frames, catalog: Catalog) -> Frames:
    """Derive `school.classes/students/max_class_size`, `school.n_<room type>` and
    `service.district_provides` from the base columns.

    One lazy plan per frame, collected together; the room counts are one pivot instead of a
    join per room type (the demo city's frames 1.61–1.79 → 1.43–1.47 s with the lazy pivots of
    schools/frames.py)."""
    derived = [c for c in frames.schools.columns if c.startswith("school.n_")
               or (c.startswith("stage.") and c.endswith(".share"))]
    keys = [rt.key for rt in catalog.facts.room_types]
    counts = (frames.rooms.lazy().filter(pl.col("room_type").is_in(keys))
              .group_by("school_id", "room_type").len()
              .pivot(on="room_type", on_columns=keys, index="school_id", values="len")
              .select("school_id", *[pl.col(k).cast(pl.Int64).alias(f"school.n_{k}")
                                     for k in keys]))
    schools = (derive_profile(frames.schools.lazy().drop(derived))  # idempotent: re-finishable
               .with_columns(stage_shares(catalog))
               .join(counts, on="school_id", how="left", maintain_order="left")
               .with_columns(pl.when(pl.col("rooms_inventoried")).then(pl.col(c).fill_null(0))
                             .alias(c) for c in (f"school.n_{k}" for k in keys)))
    index = schools.select("school_id", pl.int_range(pl.len(), dtype=pl.UInt32).alias("school_idx"))
    rooms = _indexed(frames.rooms.lazy(), index)
    services = _indexed(frames.services.lazy(), index)
    district = services.filter(pl.col("service.provided_by") == "district").select(
        "school_id", "category").unique().with_columns(pl.lit(True).alias("service.district_provides"))
    services = services.drop("service.district_provides", strict=False).join(
        district, on=["school_id", "category"], how="left", maintain_order="left").with_columns(
        pl.col("service.district_provides").fill_null(False))
    schools, rooms, services = pl.collect_all([schools, rooms, services])
    return Frames(schools=schools, rooms=rooms, services=services, devices=frames.devices)


def with_params(frames: Frames, catalog: Catalog,
                values: Mapping[str, Mapping[str, float]]) -> Frames:
    """The frames with a column `param.<key>` for each parameter some school's district set
    differently (tailoring): `values` maps a school code to {key: value}; a school not named,
    or a key it does not set, reads the standard's value. The engine reads such a parameter
    per school; every other parameter stays one literal, so an untailored run costs nothing."""
    defaults = catalog.standard.param_values()
    keys = sorted({k for v in values.values() for k, x in v.items() if x != defaults.get(k)})
    if not keys:
        return frames
    codes = frames.schools["school_id"].to_list()
    cols = [pl.Series(f"param.{k}", [values.get(c, {}).get(k, defaults[k]) for c in codes],
                      dtype=pl.Float64) for k in keys]
    schools = frames.schools.drop([c.name for c in cols], strict=False).with_columns(cols)
    return Frames(schools=schools, rooms=frames.rooms, services=frames.services,
                  devices=frames.devices)


def stage_shares(catalog: Catalog) -> list[pl.Expr]:
    """`stage.<st>.share`: the part of a whole-school resource a 学段 carries, w_st·P_st over
    Σ w·P of the school's stages (a 九年一贯制's 小学部 A/(A+1.1B)), by the standard's per-pupil
    weights; unknown when the standard gives none or a stage's students are unknown."""
    equity = catalog.standard.indicators.equity
    weights = equity.stage_weights if equity is not None else {}
    if not all(st in weights for st in STAGES):
        return [pl.lit(None, dtype=pl.Float64).alias(f"stage.{st}.share") for st in STAGES]
    parts = {st: pl.when(pl.col(f"school.has_{st}"))
             .then(pl.col(f"stage.{st}.students").cast(pl.Float64) * weights[st]).otherwise(0.0)
             for st in STAGES}
    total = pl.sum_horizontal(list(parts.values()))
    unknown = pl.any_horizontal([pl.col(f"school.has_{st}") & pl.col(f"stage.{st}.students")
                                 .is_null() for st in STAGES])
    return [pl.when(unknown | (total <= 0) | ~pl.col(f"school.has_{st}")).then(None)
            .otherwise(parts[st] / total).alias(f"stage.{st}.share") for st in STAGES]


def _indexed(rows: pl.LazyFrame, index: pl.LazyFrame) -> pl.LazyFrame:
    """Rows with `school_idx`, the row of their school: the engine groups and gathers by it."""
    return rows.drop("school_idx", strict=False).join(index, on="school_id", how="inner",
                                                      maintain_order="left")


def derive_profile(schools: FrameT) -> FrameT:
    """`school.classes/students/max_class_size` from the per-stage columns."""
    return schools.with_columns(_stage_total("classes"), _stage_total("students"),
                                _stage_max("max_class_size"))


def _over_stages(key: str, agg, name: str) -> pl.Expr:
    """Combine a stage value over the school's stages; unknown if any of its stages is unknown."""
    parts = [pl.when(pl.col(f"school.has_{st}")).then(pl.col(f"stage.{st}.{key}")).otherwise(0)
             for st in STAGES]
    unknown = pl.any_horizontal([pl.col(f"school.has_{st}") & pl.col(f"stage.{st}.{key}").is_null()
                                 for st in STAGES])
    return pl.when(unknown).then(None).otherwise(agg(parts)).alias(name)


def _stage_total(key: str) -> pl.Expr:
    return _over_stages(key, pl.sum_horizontal, f"school.{key}")


def _stage_max(key: str) -> pl.Expr:
    return _over_stages(key, pl.max_horizontal, f"school.{key}")
