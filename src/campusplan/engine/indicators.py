"""The key ratios the dashboards show per school (the standard's `indicators:` section).

Each ratio is an expression of the check language over one school's columns (`school.*`,
`fact.*`, `param.*`), compiled to Polars like the checks; a declared count (`school.<key>`) is
the number of the school's rooms meeting a condition — unknown when the rooms were not
inventoried, 0 when none qualifies. Unknown inputs give unknown ratios; x / 0 is unknown.
"""

from __future__ import annotations

import polars as pl

from campusplan.catalog import expr as ex
from campusplan.catalog.expr_polars import to_polars
from campusplan.catalog.loader import Catalog
from campusplan.catalog.schema import Count
from campusplan.engine.frames import Frames


def _resolver(catalog: Catalog):
    params = catalog.standard.param_values()

    def resolve(ns: str, name: str) -> pl.Expr:
        return pl.lit(params[name]) if ns == "param" else pl.col(f"{ns}.{name}")

    return resolve


def _count(count: Count, frames: Frames, catalog: Catalog) -> pl.DataFrame:
    where = to_polars(ex.parse(count.where), _resolver(catalog))
    return (frames.rooms.filter(where.fill_null(False)).group_by("school_id")
            .len(f"school.{count.key}"))


def indicator_frame(catalog: Catalog, frames: Frames) -> pl.DataFrame:
    """One row per school: `school_id` and one column per indicator, named by its key."""
    ind, resolve = catalog.standard.indicators, _resolver(catalog)
    schools = frames.schools
    for count in ind.counts:
        col = f"school.{count.key}"
        schools = schools.join(_count(count, frames, catalog), on="school_id", how="left",
                               maintain_order="left").with_columns(
            pl.when(pl.col("rooms_inventoried")).then(pl.col(col).fill_null(0)).alias(col))
    return schools.select("school_id", *(
        to_polars(ex.parse(r.value), resolve).cast(pl.Float64).alias(r.key) for r in ind.ratios))
