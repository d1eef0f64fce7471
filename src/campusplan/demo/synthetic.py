"""Synthetic school populations, built column-wise (numpy) straight into engine frames.

Two mixes of 办学类型, both from ../shared/data/statistics.md:
- `national`: 2022 教育部 counts (小学 149,117; 初级中学 34,304; 九年一贯制 18,168;
  完全中学 5,285; 高级中学 7,978; 十二年一贯制 1,763) — about 216,600 schools.
- `beijing`: ≈1,000 小学-type schools and a secondary mix in the 2007 proportions
  (完全中学 262, 高级中学 66, 初级中学 300, 九年一贯制 61) — labelled an estimate.

Sizes: students per class 36.8 (小学), 32.2 (初中), 31.3 (高中) and students per 专任教师 17.1
(小学) are derived from the 2015 通州 statistics. Everything else here (the spread of classes,
the share of schools with each fact, missing data) is an ASSUMPTION made to exercise the engine
with realistic gaps; none of it is a published figure.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from campusplan.catalog import expr
from campusplan.catalog.codes import districts, stages_of
from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import FactType, Scope
from campusplan.engine.frames import (
    Frames,
    derive_profile,
    finish,
    room_schema,
    school_base_schema,
    service_schema,
)
from campusplan.engine.inputs import STAGES

NATIONAL_MIX = {"211": 149_117, "311": 34_304, "312": 18_168, "341": 5_285, "342": 7_978,
                "345": 1_763}
BEIJING_MIX = {"211": 1_000, "341": 262, "342": 66, "311": 300, "312": 61}
STUDENTS_PER_CLASS = {"primary": 36.8, "junior": 32.2, "senior": 31.3}  # 通州 2015, derived
STUDENTS_PER_TEACHER = {"primary": 17.1, "junior": 12.5, "senior": 12.5}  # junior/senior: ASSUMPTION
# classes per stage: 建标〔2002〕102号 school sizes (6 added for small village schools: ASSUMPTION)
CLASS_SIZES = {"primary": [6, 12, 18, 24, 30, 36], "junior": [6, 9, 12, 18, 24],
               "senior": [9, 12, 18, 24, 30]}
MISSING = 0.04  # ASSUMPTION: share of facts a school leaves blank
ROOM_SHARE = {  # ASSUMPTION: expected rooms per school of each optional type
    "computer_room": 1.6, "recording_classroom": 0.8, "smart_classroom": 0.6, "inquiry_lab": 0.5,
    "innovation_lab": 0.9, "maker_room": 0.4, "venue": 2.0,
}


def population(catalog: Catalog, n: int, seed: int = 0, mix: str = "national",
               district_codes: list[str] | None = None, with_rooms: bool = True,
               district_weights: list[float] | None = None) -> Frames:
    rng = np.random.default_rng(seed)
    weights = NATIONAL_MIX if mix == "national" else BEIJING_MIX
    types = np.array(list(weights))
    p = np.array(list(weights.values()), dtype=float)
    school_type = rng.choice(types, size=n, p=p / p.sum())
    codes = district_codes or list(districts())
    cols: dict[str, object] = {
        "school_id": [f"S{seed:02d}{i:07d}" for i in range(n)],
        "district": rng.choice(codes, size=n, p=None if district_weights is None else
                               np.array(district_weights) / sum(district_weights)),
        "school.type": school_type,
    }
    cols["name"] = cols["school_id"]
    # ASSUMPTION: districts differ in how far they are along; a school's chance of having each
    # thing (and of filling in its facts) follows its district's level
    level = dict(zip(codes, rng.uniform(0.55, 0.92, len(codes)), strict=True))
    quality = np.array([level[d] for d in cols["district"]]) * rng.uniform(0.9, 1.08, n)
    teachers = np.zeros(n)
    for st in STAGES:
        has = np.isin(school_type, [t for t in types if st in stages_of(t)])
        classes = rng.choice(CLASS_SIZES[st], size=n)
        per_class = rng.normal(STUDENTS_PER_CLASS[st], 4.0, size=n).clip(15, 50)
        students = (classes * per_class).round()
        max_size = (per_class + rng.integers(1, 8, size=n)).round().clip(20, 55)
        teachers += np.where(has, students / STUDENTS_PER_TEACHER[st], 0)
        cols[f"school.has_{st}"] = has
        for key, values in (("classes", classes), ("students", students), ("max_class_size", max_size)):
            cols[f"stage.{st}.{key}"] = np.where(has, values, np.nan)
    cols["school.teachers"] = np.where(rng.random(n) < MISSING, np.nan, teachers.round())
    phase = rng.choice(["none", "exploration", "pilot", "general"], size=n, p=[0.7, 0.12, 0.1, 0.08])
    cols["school.smart_phase"] = phase
    cols["school.smart_phase_years"] = np.where(phase == "none", np.nan, rng.uniform(0, 3, n).round(2))
    cols["school.approved_data_center"] = rng.random(n) < 0.02
    cols["rooms_inventoried"] = np.full(n, with_rooms)
    cols["services_inventoried"] = rng.random(n) < 0.9
    for fact in catalog.facts.facts:
        if fact.scope == Scope.school and fact.synthetic is None:
            cols[f"fact.{fact.key}"] = _fact_values(rng, fact, n, cols, quality)
    # facts with a synthetic range (another standard's) come from their own stream, so adding
    # a standard leaves every other demo figure as it was
    extra = np.random.default_rng([seed, 2017])
    for fact in catalog.facts.facts:
        if fact.scope == Scope.school and fact.synthetic is not None:
            cols[f"fact.{fact.key}"] = _synthetic_values(extra, fact, n, cols, quality)
    schools = _frame(cols, school_base_schema(catalog))
    rooms = _rooms(rng, catalog, derive_profile(schools), quality) if with_rooms else pl.DataFrame(schema=room_schema(catalog))
    services = _services(rng, catalog, schools)
    return finish(Frames(schools=schools, rooms=rooms, services=services), catalog)


def _frame(cols: dict, schema: dict) -> pl.DataFrame:
    series = []
    for name, dtype in schema.items():
        values = cols.get(name)
        if values is None:
            series.append(pl.Series(name, [None] * len(cols["school_id"]), dtype=dtype))
            continue
        s = pl.Series(name, values, nan_to_null=True) if isinstance(values, np.ndarray) \
            else pl.Series(name, values)
        series.append(s.cast(dtype) if s.dtype != dtype else s)
    return pl.DataFrame(series)


def _fact_values(rng, fact, n: int, cols, quality) -> np.ndarray | pl.Series:
    missing = rng.random(n) < MISSING * 2 * (1 - quality)
    if fact.type == FactType.bool:
        share = (1 - quality) / 3 if fact.key in ("own_data_center", "self_built_website") \
            else quality
        values = pl.Series(rng.random(n) < share)
        return values.set(pl.Series(missing), None) if missing.any() else values
    if fact.type == FactType.enum:
        return pl.Series(rng.choice(fact.choices, size=n)).set(pl.Series(missing), None)
    hi = fact.max if fact.max is not None else 1000
    if fact.key == "internet_bandwidth_mbps":
        v = rng.choice([50, 100, 200, 500, 1000, 2000], size=n, p=[.05, .15, .2, .3, .25, .05])
    elif fact.key == "video_retention_days":
        v = rng.choice([7, 15, 30, 60, 90], size=n, p=[.05, .15, .5, .2, .1])
    elif fact.key == "teacher_computers_total":
        v = (cols["school.teachers"] * rng.uniform(0.8, 1.2, n)).round()
    elif fact.key == "student_computers_total":
        students = sum(np.nan_to_num(cols[f"stage.{st}.students"]) for st in STAGES)
        v = (students / rng.uniform(5, 14, n)).round()
    else:
        v = rng.integers(0, int(min(hi, 12)) + 1, size=n)
    return np.where(missing, np.nan, v.astype(float))


def _synthetic_values(rng, fact, n: int, cols, quality) -> np.ndarray:
    """Heads × U(low, high) (fact.synthetic), blank as often as other facts; whole for counts."""
    spec = fact.synthetic
    if spec.stage is None:
        heads = sum(np.nan_to_num(cols[f"stage.{st}.students"]) for st in STAGES)
    else:
        heads = np.where(cols[f"school.has_{spec.stage.value}"],
                         np.nan_to_num(cols[f"stage.{spec.stage.value}.students"]), np.nan)
    v = heads * rng.uniform(spec.low, spec.high, n) * rng.uniform(0.9, 1.1, n) ** (1 - quality)
    if fact.type == FactType.int:
        v = np.round(v)
    missing = rng.random(n) < MISSING * 2 * (1 - quality)
    return np.where(missing, np.nan, v.astype(float))


def _rooms(rng, catalog: Catalog, schools: pl.DataFrame, quality: np.ndarray) -> pl.DataFrame:
    n = schools.height
    classes = schools["school.classes"].fill_null(0).to_numpy()
    counts = {"ordinary_classroom": np.maximum(classes - rng.integers(0, 3, n) * (rng.random(n) < .2), 0)}
    for rt, mean in ROOM_SHARE.items():
        counts[rt] = rng.poisson(mean, n)
    idx, types = [], []
    for rt, c in counts.items():
        idx.append(np.repeat(np.arange(n), c))
        types.append(np.full(int(c.sum()), rt))
    sidx, rtype = np.concatenate(idx), np.concatenate(types)
    sid, m = schools["school_id"].to_numpy()[sidx], len(sidx)
    cols: dict[str, object] = {"school_id": sid, "room_type": rtype,
                               "room_code": np.arange(m).astype(str)}
    need = schools["school.max_class_size"].fill_null(40).to_numpy()[sidx]
    relevant = room_facts_by_type(catalog)
    for fact in catalog.facts.facts:
        if fact.scope != Scope.room:
            continue
        # a room only has the facts its type's checks read (a classroom has no camera positions)
        applies = np.isin(rtype, [t for t, keys in relevant.items() if fact.key in keys])
        missing = (rng.random(m) < MISSING) | ~applies
        if fact.type == FactType.bool:  # better-equipped districts equip more rooms
            v = pl.Series(rng.random(m) < 0.8 + 0.2 * quality[sidx] ** 2).set(
                pl.Series(missing), None)
        else:
            v = _room_number(rng, fact.key, m, need)
            v = np.where(missing, np.nan, v)
        cols[f"room.{fact.key}"] = v
    return _frame(cols, room_schema(catalog))


def room_facts_by_type(catalog: Catalog) -> dict[str, set[str]]:
    """The room facts each room type's per-room conditions read."""
    out: dict[str, set[str]] = {rt.key: set() for rt in catalog.facts.room_types}
    for _a, _i, req in catalog.standard.requirements():
        source = req.check.row_source()
        if source is not None and source.collection.of == "rooms":
            out.setdefault(source.type, set()).update(
                n for ns, n in expr.refs(expr.parse(source.condition)) if ns == "room")
    return out


def _room_number(rng, key: str, m: int, need: np.ndarray) -> np.ndarray:
    if key == "info_points":
        return rng.choice([2, 4, 6, 10], size=m, p=[.1, .4, .3, .2]).astype(float)
    if key == "wifi_clients":
        return rng.choice([30, 50, 64, 128], size=m, p=[.15, .3, .35, .2]).astype(float)
    if key == "display_inch":
        return rng.choice([0, 65, 75, 86, 98], size=m, p=[.01, .1, .37, .42, .1]).astype(float)
    if key in ("student_computers", "student_terminals"):
        return (need + rng.integers(-5, 6, size=m)).clip(0, None).astype(float)
    if key == "recording_cameras":
        return rng.choice([1, 2, 4, 6], size=m).astype(float)
    return rng.integers(0, 4, size=m).astype(float)


def _services(rng, catalog: Catalog, schools: pl.DataFrame) -> pl.DataFrame:
    n = schools.height
    cats = [c.key for c in catalog.facts.service_categories]
    per_school = rng.poisson(1.5, n)
    sid = np.repeat(schools["school_id"].to_numpy(), per_school)
    m = len(sid)
    cols = {
        "school_id": sid, "category": rng.choice(cats, size=m), "name": np.full(m, "服务"),
        "vendor": np.full(m, "供应商"),
        "service.provided_by": rng.choice(["school", "district"], size=m, p=[.7, .3]),
        "service.vendor_years": rng.integers(1, 12, size=m).astype(float),
        "service.daily_active_users": rng.choice([5_000, 20_000, 60_000, 200_000], size=m)
        .astype(float),
        "service.schools_served": rng.integers(50, 3000, size=m).astype(float),
        "service.industry_reputation": rng.random(m) < 0.7,
        "service.industry_brand": rng.random(m) < 0.7,
        "service.purchase_unit": rng.choice(["学校.年度", "班级.年度"], size=m),
        "service.unit_price": rng.integers(1, 100, size=m).astype(float) * 1000,
    }
    return _frame(cols, service_schema(catalog))
