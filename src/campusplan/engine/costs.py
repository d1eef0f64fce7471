"""Yearly cost of purchased services from their purchase unit (items 35–43 ②).

A 学校.年度 service costs its unit price once a year; a 班级.年度 service costs it per class
(the school's classes). Unknown price, unit or classes → unknown cost, never 0. Services the
district provides are listed with `provided_by = district` so a district can total its own spend.
"""

from __future__ import annotations

import polars as pl

from campusplan.engine.frames import Frames

PER_SCHOOL, PER_CLASS = "学校.年度", "班级.年度"


def service_costs(frames: Frames) -> pl.DataFrame:
    classes = frames.schools.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("school_idx"), "school.classes")
    unit = pl.col("service.purchase_unit")
    units = (pl.when(unit == PER_SCHOOL).then(pl.lit(1, dtype=pl.Int64))
             .when(unit == PER_CLASS).then(pl.col("school.classes")))
    return (frames.services.join(classes, on="school_idx", how="left", maintain_order="left")
            .select("school_id", "category", "name", "vendor",
                    pl.col("service.provided_by").alias("provided_by"),
                    unit.alias("purchase_unit"), pl.col("service.unit_price").alias("unit_price"),
                    units.alias("units"))
            .with_columns((pl.col("unit_price") * pl.col("units")).alias("yearly_cost")))
