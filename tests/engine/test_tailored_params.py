"""A tailored parameter is read per school: one district's stricter value changes that
district's results only, in the vectorized engine and the reference loop alike."""

from __future__ import annotations

import polars as pl

from campusplan.engine.assessment import run
from campusplan.engine.evaluate import tailored
from campusplan.engine.inputs import validate_inputs
from campusplan.engine.reference import assess_all
from tests.engine.helpers import AS_OF, CATALOG, school

REQ = "22-7"  # 录像存储时间不小于30天: required: param.video_retention_days


ROOMS = [{"type": "ordinary_classroom", "code": f"R{i}", "info_points": 5} for i in range(3)]


def _two(params):
    a = school(code="A001", district="110101", facts={"video_retention_days": 40}, rooms=ROOMS)
    b = school(code="B001", district="110102", facts={"video_retention_days": 40}, rooms=ROOMS)
    doc = validate_inputs({"schools": [a, b], "district_services": []}, CATALOG)
    return run(CATALOG, doc, AS_OF, params=params)


def _status(result, code: str) -> tuple[str, float]:
    rows = {r["school_id"]: r for r in result.explained(lang="zh")
            if r["requirement_id"] == REQ}
    return rows[code]["status"], rows[code]["required"]


def test_a_tightened_value_changes_that_district_only():
    result = _two({"A001": {"video_retention_days": 45}})
    assert _status(result, "A001") == ("gap", 45.0)
    assert _status(result, "B001") == ("met", 30.0)
    assert tailored(result.frames) == {"video_retention_days"}


def test_untailored_runs_keep_parameters_as_literals():
    result = _two({"A001": {"video_retention_days": 30}})  # the standard's own value
    assert tailored(result.frames) == frozenset()
    assert _status(result, "A001") == ("met", 30.0)


def test_vectorized_equals_reference_with_a_room_condition_tailored():
    # a per-room condition (5-1: 网络信息口不少于4个) read through a tailored column
    params = {"A001": {"info_points_ordinary_classroom": 6, "video_retention_days": 45}}
    result = _two(params)
    ref = pl.DataFrame(assess_all(CATALOG, result.frames)).select("school_idx", "req", "status")
    got = result.results.select("school_idx", "req", pl.col("status").cast(pl.Utf8))
    joined = got.join(ref, on=["school_idx", "req"], suffix="_ref")
    assert joined.height == got.height
    rooms = {r["school_id"]: r["status"] for r in result.explained(lang="zh")
             if r["requirement_id"] == "5-1"}
    assert rooms == {"A001": "gap", "B001": "met"}  # 5 outlets: short of 6, enough for 4
    assert joined.filter(pl.col("status") != pl.col("status_ref")).height == 0
