"""Roll-ups of result rows: per school, item, area, district.

Compliance rate counts required requirements only: met / (met + gap + violation). Data
completeness is the share of applicable requirements (all levels) whose status is not unknown.
A group with nothing to judge has a null rate, never 0 or 100%.
"""

from __future__ import annotations

import polars as pl

from campusplan.catalog.loader import Catalog
from campusplan.engine.evaluate import requirement_table
from campusplan.engine.frames import Frames


def annotate(results: pl.DataFrame, catalog: Catalog, frames: Frames) -> pl.DataFrame:
    """Results with requirement id, item, area and the school's id, name, district, type."""
    schools = frames.schools.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("school_idx"), "school_id", "name",
        "district", pl.col("school.type").alias("type"))
    reqs = requirement_table(catalog).drop("level")
    return results.join(reqs, on="req", how="left", maintain_order="left").join(
        schools, on="school_idx", how="left", maintain_order="left")


def _counts() -> list[pl.Expr]:
    st, req = pl.col("status"), pl.col("level") == "required"
    judged = st.is_in(["met", "gap", "violation"])
    applicable = st != "not_applicable"
    return [
        (req & (st == "met")).sum().alias("met"),
        (req & (st == "gap")).sum().alias("gaps"),
        (st == "violation").sum().alias("violations"),
        (req & judged).sum().alias("judged"),
        applicable.sum().alias("applicable"),
        (st == "unknown").sum().alias("unknown"),
        (~req & (st == "gap")).sum().alias("optional_gaps"),
    ]


def compliance_rate(met, judged):
    """met ÷ judged (required requirements met, gap or violation); None when nothing is judged.

    The one definition of the rate: numbers give a float or None, Polars columns give a column
    that is null where nothing is judged. The roll-ups, dashboards and reports all call it."""
    if isinstance(judged, pl.Expr):
        return pl.when(judged > 0).then(met / judged)
    return met / judged if judged else None


def completeness(unknown, applicable):
    """The share of applicable requirements that could be judged; None when none applies."""
    if isinstance(applicable, pl.Expr):
        return pl.when(applicable > 0).then(1 - unknown / applicable)
    return 1 - unknown / applicable if applicable else None


def comparable(completeness_, threshold):
    """Whether a rate may be compared with others: its data completeness reaches the catalog's
    threshold (inclusive; `Standard.min_completeness()`). None when the completeness is unknown
    (nothing applies); every judged rate is comparable without a threshold.

    The one definition: pages, workbooks, reports, the API and the CLI all call it."""
    # 1 − unknown/applicable is a float: 4 of 20 unknown must read as 80%, not 79.999…%
    if isinstance(completeness_, pl.Expr):
        if threshold is None:
            return pl.when(completeness_.is_not_null()).then(True)
        return completeness_ >= threshold - EPSILON
    if completeness_ is None:
        return None
    return threshold is None or completeness_ >= threshold - EPSILON


EPSILON = 1e-9


def rollup(annotated: pl.DataFrame, by: list[str],
           min_completeness: float | None = None) -> pl.DataFrame:
    """Counts, compliance rate, completeness and comparability per group (e.g. ["school_id"],
    ["district"])."""
    out = annotated.group_by(by, maintain_order=True).agg(_counts())
    out = out.with_columns(
        compliance_rate(pl.col("met"), pl.col("judged")).alias("rate"),
        completeness(pl.col("unknown"), pl.col("applicable")).alias("completeness"),
    )
    return out.with_columns(comparable(pl.col("completeness"), min_completeness)
                            .alias("comparable"))
