"""The demo's districts get a 优质均衡 readiness whose figures this test recomputes from the
synthetic facts by its own reading of the method (youzhi-junheng.md §3)."""

from __future__ import annotations

import dataclasses
import math

import polars as pl
import pytest

from campusplan.catalog.loader import load_catalog
from campusplan.demo.synthetic import population
from campusplan.engine.assessment import Assessment
from campusplan.engine.evaluate import assess
from campusplan.engine.readiness import readiness
from tests.youzhi.helpers import CATALOG

WEIGHTS = {"primary": 1.0, "junior": 1.1, "senior": 1.32}  # §3.2: 1 : 1.1 : 1.32


@pytest.fixture(scope="module")
def demo():
    frames = population(CATALOG, 600, seed=11, mix="beijing")
    return frames, readiness(Assessment(CATALOG, frames, assess(CATALOG, frames)))


def recomputed(schools: pl.DataFrame, district: str, stage: str) -> tuple[int, float | None]:
    """(schools meeting L7, CV of L7) for one district and 学段, or CV None if any is blank."""
    amounts, heads, met = [], [], 0
    limit = {"primary": 2.3, "junior": 2.4}[stage]
    for s in schools.filter((pl.col("district") == district)
                            & pl.col(f"school.has_{stage}")).iter_rows(named=True):
        rooms, students = s["fact.multimedia_classrooms"], s[f"stage.{stage}.students"]
        weighted = {st: WEIGHTS[st] * (s[f"stage.{st}.students"] or 0)
                    for st in WEIGHTS if s[f"school.has_{st}"]}
        if rooms is None:
            return met, None
        x = rooms * weighted[stage] / sum(weighted.values()) * 100
        met += x / students >= limit
        amounts.append(x)
        heads.append(students)
    total = sum(heads)
    mean = sum(amounts) / total
    var = sum(p / total * (x / p - mean) ** 2 for x, p in zip(amounts, heads, strict=True))
    return met, math.sqrt(var) / mean


def test_every_demo_district_has_the_seven_indicators_per_stage(demo):
    _frames, rows = demo
    by = {(r["group"], r["stage"]) for r in rows}
    for group, stage in by:
        items = sorted(r["item"] for r in rows if (r["group"], r["stage"]) == (group, stage))
        base = 100 if stage == "primary" else 200
        assert items == [base + n for n in range(1, 8)]
    assert any(r["verdict"] == "met" for r in rows)


def test_the_multimedia_figures_are_what_the_method_gives(demo):
    frames, rows = demo
    checked = 0
    for r in (r for r in rows if r["item"] in (107, 207)):
        met, cv = recomputed(frames.schools, r["group"], r["stage"])
        if cv is None:
            assert r["verdict"] == "unknown"
            continue
        assert r["met"] == met
        assert r["figure"] == pytest.approx(cv, rel=1e-5)
        limit = 0.50 if r["stage"] == "primary" else 0.45
        assert r["verdict"] == ("met" if cv <= limit else "gap")
        checked += 1
    assert checked >= 10


def test_the_beijing_demo_is_not_touched_by_the_second_standard():
    """The new facts come from their own random stream: a dictionary without them gives the
    very same Beijing demo, figure for figure."""
    beijing = load_catalog()
    own = [f.key for f in beijing.facts.facts if f.synthetic is not None]
    assert len(own) == 10
    without = dataclasses.replace(beijing, facts=beijing.facts.model_copy(update={
        "facts": [f for f in beijing.facts.facts if f.synthetic is None]}))
    a = population(beijing, 300, seed=4, mix="beijing")
    b = population(without, 300, seed=4, mix="beijing")
    assert all(a.schools[f"fact.{k}"].null_count() < 300 for k in own)
    assert a.schools.drop([f"fact.{k}" for k in own]).equals(b.schools)
    assert a.rooms.equals(b.rooms) and a.services.equals(b.services)
