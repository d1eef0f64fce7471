"""Vectorized == reference for the group and k-of-n rules, on random districts (hypothesis)."""

from __future__ import annotations

import math

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campusplan.catalog.codes import stages_of
from campusplan.engine import reference
from campusplan.engine.evaluate import assess
from campusplan.engine.frames import from_inputs
from campusplan.engine.inputs import validate_inputs
from tests.engine.helpers import AS_OF
from tests.youzhi.helpers import CATALOG, FACT

KEYS = [f"{FACT[n]}_{st}" for n in (1, 2, 3) for st in ("primary", "junior")] + \
    [FACT[n] for n in (4, 5, 6, 7)]
FACTS = {f.key: f for f in CATALOG.facts.facts}


def value(key):
    fact = FACTS[key]
    hi = {"equipment_value_yuan": 5_000_000, "teaching_space_m2": 20_000,
          "sports_venue_m2": 30_000}.get(key, 80)
    ints = st.integers(0, hi)
    return ints if fact.type == "int" else ints.map(float)


@st.composite
def school(draw, i):
    stype = draw(st.sampled_from(["211", "311", "312", "341", "345"]))
    stages = {}
    for stage in stages_of(stype):
        students = draw(st.integers(1, 1500))
        classes = max(1, -(-students // 40))
        stages[stage] = {"classes": classes, "students": students,
                         "max_class_size": min(40, students)}
    facts = draw(st.fixed_dictionaries({}, optional={k: value(k) for k in KEYS}))
    return {"code": f"X{i}", "name": f"X{i}", "type": stype, "stages": stages,
            "district": draw(st.sampled_from(["110108", "110105"])), "teachers": 60,
            "facts": facts, "rooms": [], "services": []}


districts = st.integers(1, 7).flatmap(lambda n: st.tuples(*(school(i) for i in range(n))))


def close(a, b) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-4)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(districts)
def test_vectorized_equals_reference(school_list):
    doc = {"schools": list(school_list), "district_services": []}
    frames = from_inputs(validate_inputs(doc, CATALOG), CATALOG, AS_OF)
    vec = assess(CATALOG, frames).with_columns(pl.col("status").cast(pl.Utf8)).drop("level") \
        .sort("school_idx", "req").iter_rows(named=True)
    ref = sorted(reference.assess_all(CATALOG, frames), key=lambda r: (r["school_idx"], r["req"]))
    for v, r in zip(vec, ref, strict=True):
        assert v.keys() == r.keys()
        assert all(close(v[k], r[k]) for k in v), (v, r)
