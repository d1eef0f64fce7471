"""The engine's front door: inputs → frames → results, with roll-ups and explanations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from campusplan.catalog.loader import Catalog
from campusplan.engine.evaluate import assess, specs
from campusplan.engine.explain import Explainer
from campusplan.engine.frames import Frames, from_inputs
from campusplan.engine.inputs import Inputs
from campusplan.engine.rollup import annotate, rollup


@dataclass
class Assessment:
    catalog: Catalog
    frames: Frames
    results: pl.DataFrame

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


def run(catalog: Catalog, inputs: Inputs, as_of: dt.date | None = None) -> Assessment:
    frames = from_inputs(inputs, catalog, as_of)
    return Assessment(catalog, frames, assess(catalog, frames))
