"""Small runs go through the reference evaluator (engine.assessment.SMALL_RUN): the Assessment a
reader gets is the same, row for row, whichever evaluator judged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from campusplan.catalog import load_catalog
from campusplan.demo.synthetic import population
from campusplan.engine import assessment
from campusplan.engine.assessment import SMALL_RUN, reference_results, results, run
from campusplan.engine.evaluate import assess
from campusplan.engine.inputs import load_json_files

CATALOG = load_catalog()
AS_OF = dt.date(2026, 11, 1)
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))


def _rounded(frame: pl.DataFrame) -> list[tuple]:
    # the two evaluators sum floats in different orders: equal to the third decimal
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row)
            for row in frame.rows()]


def _same(a: pl.DataFrame, b: pl.DataFrame) -> None:
    assert a.schema == b.schema
    assert _rounded(a) == _rounded(b)


def test_the_threshold_is_between_one_school_and_a_district():
    assert 1 < SMALL_RUN < 300


def test_a_few_example_files_give_the_same_assessment_either_way():
    inputs = load_json_files(EXAMPLES, CATALOG, AS_OF)
    small = run(CATALOG, inputs, AS_OF)  # the default: under SMALL_RUN, the reference
    big = run(CATALOG, inputs, AS_OF, small_run=0)  # always the vectorized engine
    _same(small.results, big.results)
    _same(small.summary(), big.summary())
    assert small.explained(lang="en") == big.explained(lang="en")


def test_a_synthetic_district_corner_gives_the_same_rows_either_way():
    frames = population(CATALOG, 12, seed=5, mix="beijing")
    _same(reference_results(CATALOG, frames), assess(CATALOG, frames))


def test_tailored_parameters_reach_the_reference_path():
    inputs = load_json_files(EXAMPLES, CATALOG, AS_OF)
    key = next(p.key for p in CATALOG.standard.parameters if isinstance(p.value, int | float)
               and not isinstance(p.value, bool) and p.value > 1)
    params = {s.code: {key: 1} for s in inputs.schools}
    _same(run(CATALOG, inputs, AS_OF, params).results,
          run(CATALOG, inputs, AS_OF, params, small_run=0).results)


@pytest.mark.parametrize(("n", "reference"), [(1, True), (SMALL_RUN - 1, True), (SMALL_RUN, False)])
def test_which_evaluator_judges_depends_only_on_the_size(monkeypatch, n, reference):
    used = []
    monkeypatch.setattr(assessment, "reference_results",
                        lambda *a: used.append("reference") or reference_results(*a))
    monkeypatch.setattr(assessment, "assess", lambda *a: used.append("vectorized") or assess(*a))
    frames = population(CATALOG, n, seed=3, mix="beijing")
    out = results(CATALOG, frames)
    assert used == ["reference" if reference else "vectorized"]
    assert out.height == n * len(CATALOG.standard.requirements())
