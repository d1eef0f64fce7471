"""Properties of the engine on random schools (hypothesis)."""

from __future__ import annotations

import copy

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campusplan.catalog.codes import stages_of
from campusplan.catalog.schema import FactType, Scope
from campusplan.demo.synthetic import population
from campusplan.engine import reference
from campusplan.engine.evaluate import assess, specs
from campusplan.engine.frames import Frames, finish, from_inputs
from campusplan.engine.inputs import validate_inputs
from tests.engine.helpers import AS_OF, CATALOG

FACTS = {s: [f for f in CATALOG.facts.facts if f.scope == s] for s in Scope}
ROOM_TYPES = [r.key for r in CATALOG.facts.room_types]
CATEGORIES = [c.key for c in CATALOG.facts.service_categories]
SPECS = specs(CATALOG)
PROFILE = settings(max_examples=40, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def value_of(fact):
    if fact.type == FactType.bool:
        return st.booleans()
    if fact.type == FactType.enum:
        return st.sampled_from(fact.choices)
    hi = min(fact.max or 100, 200)
    if fact.type == FactType.int:
        return st.integers(0, int(hi))
    return st.integers(0, int(hi)).map(float)


def facts_of(scope, max_size):
    return st.lists(st.sampled_from(FACTS[scope]), max_size=max_size, unique_by=lambda f: f.key) \
        .flatmap(lambda fs: st.fixed_dictionaries({f.key: value_of(f) for f in fs}))


@st.composite
def schools(draw, code="X1"):
    stype = draw(st.sampled_from(["211", "311", "312", "341", "342", "345"]))
    stages = {}
    for stage in stages_of(stype):
        classes = draw(st.integers(1, 40))
        students = draw(st.integers(classes, classes * 50))
        average = -(-students // classes)  # a plausible largest class: average to +10, ≤ students
        stages[stage] = {"classes": classes, "students": students,
                         "max_class_size": draw(st.one_of(st.none(), st.integers(
                             average, min(students, average + 10))))}
    rooms = draw(st.one_of(st.none(), st.lists(
        st.tuples(st.sampled_from(ROOM_TYPES), facts_of(Scope.room, 8))
        .map(lambda t: {"type": t[0], **t[1]}), max_size=8)))
    services = draw(st.one_of(st.none(), st.lists(
        st.tuples(st.sampled_from(CATEGORIES), facts_of(Scope.service, 8))
        .map(lambda t: {"category": t[0], **{k: v for k, v in t[1].items()
                                             if k != "provided_by"}}), max_size=3)))
    phase = draw(st.one_of(st.none(), st.fixed_dictionaries({
        "phase": st.sampled_from(["exploration", "pilot", "general"]),
        "since": st.sampled_from(["2023-09-01", "2025-09-01", "2026-09-01"])})))
    return {"code": code, "name": code, "district": "110108", "type": stype, "stages": stages,
            "teachers": draw(st.one_of(st.none(), st.integers(1, 300))),
            "smart_phase": phase, "approved_data_center": draw(st.booleans()),
            "facts": draw(facts_of(Scope.school, 60)), "rooms": rooms, "services": services}


def frames_of(school_list, district_services=()):
    doc = {"schools": school_list, "district_services": list(district_services)}
    return from_inputs(validate_inputs(doc, CATALOG), CATALOG, AS_OF)


def statuses(school_list, district_services=()) -> dict:
    res = assess(CATALOG, frames_of(school_list, district_services))
    return {(r["school_idx"], r["req"]): r["status"] for r in res.iter_rows(named=True)}


def _rows(res: pl.DataFrame) -> list[dict]:
    res = res.with_columns(pl.col("status").cast(pl.Utf8)).drop("level").sort("school_idx", "req")
    return [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}
            for r in res.iter_rows(named=True)]


@PROFILE
@given(st.lists(schools(), min_size=1, max_size=4), st.booleans())
def test_vectorized_equals_reference(school_list, with_district):
    for i, s in enumerate(school_list):
        s["code"] = f"X{i}"
    dsv = [{"district": "110108", "category": "svc37", "vendor_years": 9,
            "daily_active_users": 90000, "purchase_unit": "学校.年度"}] if with_district else []
    frames = frames_of(school_list, dsv)
    vectorized = _rows(assess(CATALOG, frames))
    ref = [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}
           for r in reference.assess_all(CATALOG, frames)]
    assert vectorized == ref


NUMERIC = [f.key for f in FACTS[Scope.school] if f.type in (FactType.int, FactType.float)]
MINIMUMS = {f: [s.index for s in SPECS if s.req.check.kind in ("minimum", "ratio")
                and s.req.check.actual == f"fact.{f}"] for f in NUMERIC}


@PROFILE
@given(schools(), st.sampled_from([f for f in NUMERIC if MINIMUMS[f]]), st.integers(1, 500))
def test_raising_a_count_never_breaks_a_minimum(school, key, extra):
    fact = next(f for f in FACTS[Scope.school] if f.key == key)
    school["facts"][key] = min(school["facts"].get(key, 0) + extra, fact.max)
    before = statuses([school])
    raised = copy.deepcopy(school)
    raised["facts"][key] = min(school["facts"][key] + extra, fact.max)
    after = statuses([raised])
    for idx in MINIMUMS[key]:
        if before[(0, idx)] == "met":
            assert after[(0, idx)] == "met"


CAPS = {rt: [s.index for s in SPECS if s.req.check.kind == "maximum"
             and s.req.check.actual == f"school.n_{rt}"] for rt in ROOM_TYPES}


@PROFILE
@given(schools(), st.sampled_from([rt for rt in ROOM_TYPES if CAPS[rt]]), st.integers(1, 4))
def test_adding_rooms_never_lifts_a_cap_violation(school, room_type, extra):
    school["rooms"] = school["rooms"] or []
    before = statuses([school])
    more = copy.deepcopy(school)
    more["rooms"] += [{"type": room_type}] * extra
    after = statuses([more])
    for idx in CAPS[room_type]:
        if before[(0, idx)] == "violation":
            assert after[(0, idx)] == "violation"


@PROFILE
@given(schools(), st.data())
def test_removing_a_fact_only_ever_makes_results_unknown(school, data):
    places = [("school", k) for k in school["facts"]]
    places += [("room", (i, k)) for i, r in enumerate(school["rooms"] or [])
               for k in r if k != "type"]
    if not places:
        return
    where, key = data.draw(st.sampled_from(places))
    less = copy.deepcopy(school)
    if where == "school":
        del less["facts"][key]
    else:
        del less["rooms"][key[0]][key[1]]
    before, after = statuses([school]), statuses([less])
    for k, status in before.items():
        assert after[k] in (status, "unknown"), (SPECS[k[1]].req.id, status, after[k])


@pytest.fixture(scope="module")
def crowd() -> Frames:
    return population(CATALOG, 10_000, seed=7, mix="beijing")


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(school=schools(code="ALONE"))
def test_same_result_alone_or_among_ten_thousand(crowd, school):
    alone = frames_of([school])
    together = finish(Frames(
        schools=pl.concat([crowd.schools, alone.schools], how="diagonal_relaxed"),
        rooms=pl.concat([crowd.rooms, alone.rooms], how="diagonal_relaxed"),
        services=pl.concat([crowd.services, alone.services], how="diagonal_relaxed"),
    ), CATALOG)
    mine = together.schools.height - 1
    a = _rows(assess(CATALOG, alone))
    b = _rows(assess(CATALOG, together).filter(pl.col("school_idx") == mine)
              .with_columns(pl.lit(0, dtype=pl.UInt32).alias("school_idx")))
    assert a == b
