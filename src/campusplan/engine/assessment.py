"""The engine's front door: inputs → frames → results, with roll-ups and explanations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from campusplan.catalog.loader import Catalog
from campusplan.engine import reference
from campusplan.engine.evaluate import RESULT_SCHEMA, STATUS, assess, specs
from campusplan.engine.explain import Explainer
from campusplan.engine.frames import Frames, from_inputs, with_params
from campusplan.engine.inputs import Inputs
from campusplan.engine.rollup import annotate, rollup


@dataclass
class Assessment:
    catalog: Catalog
    frames: Frames
    results: pl.DataFrame

    def waive(self, pairs: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
        """Set aside the failing rows of the (school code, requirement id) pairs an approved
        waiver covers: they become not applicable, so no rate counts them. Before `annotated`
        is read. The pairs actually set aside (a met row needs no waiver)."""
        if not pairs:
            return set()
        idx = {c: i for i, c in enumerate(self.frames.schools["school_id"].to_list())}
        req = {s.req.id: s.index for s in specs(self.catalog)}
        keys = [(idx[c], req[r]) for c, r in pairs if c in idx and r in req]
        if not keys:
            return set()
        marks = pl.DataFrame(keys, schema={"school_idx": pl.UInt32, "req": pl.UInt16},
                             orient="row").unique().with_columns(pl.lit(True).alias("_waived"))
        joined = self.results.join(marks, on=["school_idx", "req"], how="left",
                                   maintain_order="left")
        hit = pl.col("_waived").fill_null(False) & pl.col("status").is_in(
            ["gap", "violation", "unknown"])
        waived = joined.filter(hit).select("school_idx", "req").rows()
        self.results = joined.with_columns(
            pl.when(hit).then(pl.lit("not_applicable", dtype=STATUS)).otherwise(pl.col("status"))
            .alias("status"),
            pl.when(hit).then(None).otherwise(pl.col("shortfall")).alias("shortfall"),
        ).drop("_waived")
        codes, ids = list(idx), {i: r for r, i in req.items()}
        return {(codes[i], ids[r]) for i, r in waived}

    @cached_property
    def annotated(self) -> pl.DataFrame:
        return annotate(self.results, self.catalog, self.frames)

    def summary(self, by: tuple[str, ...] = ("school_id", "name")) -> pl.DataFrame:
        return rollup(self.annotated, list(by), self.catalog.standard.min_completeness())

    def explained(self, school_ids: list[str] | None = None, lang: str = "zh",
                  statuses: tuple[str, ...] | None = None) -> list[dict]:
        """Annotated rows with an `explanation`, for the schools (all if None) and statuses asked."""
        rows = self.annotated
        if school_ids is not None:
            rows = rows.filter(pl.col("school_id").is_in(school_ids))
        if statuses is not None:
            rows = rows.filter(pl.col("status").is_in(statuses))
        by_index = {s.index: s for s in specs(self.catalog)}
        schools = {s["school_id"]: s for s in self.frames.schools.iter_rows(named=True)}
        explain = Explainer(self.catalog, lang, self.frames)
        out = []
        for row in rows.with_columns(pl.col("status", "level").cast(pl.Utf8)).iter_rows(named=True):
            row["explanation"] = explain(by_index[row["req"]], row, schools[row["school_id"]])
            out.append(row)
        return out


# Below this many schools the plain-Python reference evaluator is faster than the vectorized
# engine, whose fixed cost (planning and running ≈ a thousand column expressions, ≈ 0.2 s here) is
# paid whatever the number of schools. Measured by benchmarks/small_bench.py (docs/scale.md):
# reference / vectorized is 0.80 at 60 schools and 1.30 at 100 (crossover ≈ 75) on the Beijing mix.
SMALL_RUN = 60


def results(catalog: Catalog, frames: Frames, small_run: int = SMALL_RUN) -> pl.DataFrame:
    """The engine's result frame, from whichever evaluator is faster at this size. Both give
    the same rows (tests/engine/test_properties.py proves it on random schools); the reference
    rows are put in the vectorized engine's order and types, so no reader can tell them apart."""
    if frames.schools.height >= small_run:
        return assess(catalog, frames)
    return reference_results(catalog, frames)


def reference_results(catalog: Catalog, frames: Frames) -> pl.DataFrame:
    """The reference evaluator's rows as the vectorized engine's frame: requirement-major, one
    block of schools per requirement, with each requirement's level."""
    levels = {s.index: s.req.level.value for s in specs(catalog)}
    rows = reference.assess_all(catalog, frames)
    for r in rows:
        r["level"] = levels[r["req"]]
    frame = pl.DataFrame(rows, schema=RESULT_SCHEMA, strict=False) if rows \
        else pl.DataFrame(schema=RESULT_SCHEMA)
    return frame.sort("req", "school_idx", maintain_order=True)


def run(catalog: Catalog, inputs: Inputs, as_of: dt.date | None = None,
        params: Mapping[str, Mapping[str, float]] | None = None,
        small_run: int = SMALL_RUN) -> Assessment:
    """`params`: per school code, the parameter values its district set (tailoring).
    `small_run`: below it, the reference evaluator judges (0: always the vectorized engine)."""
    return assess_frames(catalog, from_inputs(inputs, catalog, as_of), params, small_run)


def assess_frames(catalog: Catalog, frames: Frames,
                  params: Mapping[str, Mapping[str, float]] | None = None,
                  small_run: int = SMALL_RUN) -> Assessment:
    """`run` on frames already built (a stored run builds them from the tables:
    schools/frames.py)."""
    if params:
        frames = with_params(frames, catalog, params)
    return Assessment(catalog, frames, results(catalog, frames, small_run))
