"""Yearly cost of purchased services from their purchase unit (items 35–43 ②).

The fact dictionary says what one unit of each purchase-unit choice is bought for
(`billed_per`): once a year per school (学校.年度), or once per class (班级.年度, the school's
classes), and which fact holds the unit's price (`priced_by`). Output columns: billing_unit,
price_per_unit, units, yearly_cost. Unknown price, unit or classes → unknown cost, never 0. Services the district provides
are listed with `provided_by = district` so a district can total its own spend.
"""

from __future__ import annotations

import polars as pl

from campusplan.catalog.loader import Catalog, load_catalog
from campusplan.catalog.schema import Fact, Scope
from campusplan.engine.frames import Frames

PER = {"school": pl.lit(1, dtype=pl.Int64), "class": pl.col("school.classes")}


def purchase_unit_fact(catalog: Catalog) -> Fact:
    """The service fact whose choices are purchase units (the one declaring `billed_per`)."""
    return next(f for f in catalog.facts.by_key(Scope.service).values() if f.billed_per)


def service_costs(frames: Frames, catalog: Catalog | None = None) -> pl.DataFrame:
    fact = purchase_unit_fact(catalog or load_catalog())
    classes = frames.schools.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("school_idx"), "school.classes")
    unit, price = pl.col(f"service.{fact.key}"), pl.col(f"service.{fact.priced_by}")
    units = pl.lit(None, dtype=pl.Int64)
    for choice, per in reversed(list((fact.billed_per or {}).items())):
        units = pl.when(unit == choice).then(PER[per]).otherwise(units)
    return (frames.services.join(classes, on="school_idx", how="left", maintain_order="left")
            .select("school_id", "category", "name", "vendor",
                    pl.col("service.provided_by").alias("provided_by"),
                    unit.alias("billing_unit"), price.alias("price_per_unit"),
                    units.alias("units"))
            .with_columns((pl.col("price_per_unit") * pl.col("units")).alias("yearly_cost")))
