"""Each room's own verdict agrees with the vectorized engine's count for its school: the rooms
marked met are the engine's `actual` (rows complying), and every row of the type is judged."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from campusplan.engine.assessment import run
from campusplan.engine.evaluate import requirement_table
from campusplan.engine.inputs import load_json_files
from campusplan.engine.rows import row_facts_read, row_specs, row_verdicts

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_room_verdicts_add_up_to_the_engine_counts(catalog, path):
    assessment = run(catalog, load_json_files([path], catalog))
    school = assessment.frames.schools["school_id"][0]
    verdicts = row_verdicts(catalog, assessment.frames, school)
    ids = dict(requirement_table(catalog).select("req", "requirement_id").iter_rows())
    results = {ids[r["req"]]: r for r in assessment.results.iter_rows(named=True)}
    judged = 0
    for spec in row_specs(catalog):
        mine = [v for vs in verdicts.values() for v in vs if v.requirement_id == spec.req.id]
        row = results[spec.req.id]
        assert len(mine) == (row["basis"] or 0) or not mine, spec.req.id
        met = sum(v.status == "met" for v in mine)
        if mine and row["status"] not in ("not_applicable",):
            assert met == row["actual"], (spec.req.id, met, row["actual"])
            judged += 1
        fails = {v.status for v in mine} - {"met", "unknown"}
        assert fails <= {getattr(spec.req.check, "on_fail", "gap")}
        if any(v.status == "unknown" for v in mine):
            assert all(v.why for v in mine if v.status == "unknown")
    assert judged > 0 or not verdicts


def test_a_failing_room_says_why_in_its_numbers(catalog):
    path = next(p for p in EXAMPLES if p.stem == "small-primary")
    assessment = run(catalog, load_json_files([path], catalog))
    school = assessment.frames.schools["school_id"][0]
    rooms = assessment.frames.rooms.filter(pl.col("room_code") == "106").to_dicts()[0]
    assert rooms["room.info_points"] == 2  # the example's one short classroom
    said = {v.requirement_id: v for v in row_verdicts(catalog, assessment.frames, school)["106"]}
    assert said["5-1"].status == "gap" and "2" in said["5-1"].why and "4" in said["5-1"].why
    english = row_verdicts(catalog, assessment.frames, school, lang="en")["106"]
    assert next(v for v in english if v.requirement_id == "5-1").why.isascii()
    assert said["5-2"].status == "met"


def test_a_room_without_the_fact_is_unknown_and_names_it(catalog):
    path = next(p for p in EXAMPLES if p.stem == "small-primary")
    inputs = load_json_files([path], catalog)
    doc = inputs.schools[0]
    room = next(r for r in doc.rooms if r.code == "106")
    facts = room.facts()
    assert "info_points" in facts
    assessment = run(catalog, inputs)
    frames = assessment.frames
    frames.rooms = frames.rooms.with_columns(
        pl.when(pl.col("room_code") == "106").then(None).otherwise(pl.col("room.info_points"))
        .alias("room.info_points"))
    said = {v.requirement_id: v for v in row_verdicts(catalog, frames, doc.code)["106"]}
    assert said["5-1"].status == "unknown"
    assert "网络信息口数" in said["5-1"].why


def test_skipped_requirements_are_not_judged(catalog):
    path = next(p for p in EXAMPLES if p.stem == "small-primary")
    assessment = run(catalog, load_json_files([path], catalog))
    school = assessment.frames.schools["school_id"][0]
    said = row_verdicts(catalog, assessment.frames, school, skip=frozenset({"5-1"}))
    assert all(v.requirement_id != "5-1" for v in said["106"])
    assert any(v.requirement_id == "5-2" for v in said["106"])


def test_row_facts_read(catalog):
    spec = next(s for s in row_specs(catalog) if s.req.id == "5-1")
    assert row_facts_read(spec) == {"info_points"}
