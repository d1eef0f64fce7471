"""Phasing: schedule plan lines over N years under an annual budget, by priority.

Lines are taken in plan order (tier, then school and requirement). Each goes into the earliest
year whose remaining budget still holds it (first fit by priority), so a year is never over
budget. A line that fits no year is `unfunded`; a line without a price is `unpriced` — it can
only be scheduled once the district prices it. Actions with nothing to buy are scheduled in
year 1. With `per: "school"` each school has the budget; with `per: "all"` (a district) the
lines of all schools share it.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Budget:
    per_year: float
    years: int
    per: str = "school"  # "school" | "all"


def phase(lines: pl.DataFrame, budget: Budget) -> pl.DataFrame:
    """The lines with `year` (1..N or null) and `funding` (scheduled / unfunded / unpriced)."""
    if lines.height == 0:
        return lines.with_columns(pl.lit(None, pl.Int32).alias("year"),
                                  pl.lit(None, pl.Utf8).alias("funding"))
    indexed = lines.with_row_index("_order")
    groups = indexed.partition_by("school_id", maintain_order=True) if budget.per == "school" \
        else [indexed]
    return pl.concat([_phase_group(g, budget) for g in groups]).sort("_order").drop("_order")


def _phase_group(lines: pl.DataFrame, budget: Budget) -> pl.DataFrame:
    left = [budget.per_year] * budget.years
    years, funding = [], []
    for cost in lines["cost"].to_list():
        if cost is None:
            years.append(None)
            funding.append("unpriced")
            continue
        year = next((y for y, room in enumerate(left) if cost <= room), None)
        if year is None:
            years.append(None)
            funding.append("unfunded")
            continue
        left[year] -= cost
        years.append(year + 1)
        funding.append("scheduled")
    return lines.with_columns(pl.Series("year", years, dtype=pl.Int32),
                              pl.Series("funding", funding, dtype=pl.Utf8))


def yearly_totals(phased: pl.DataFrame) -> pl.DataFrame:
    """Spend per (school or all) and year, plus what remains unfunded or unpriced."""
    return (phased.group_by("funding", "year").agg(pl.col("cost").sum().alias("cost"),
                                                   pl.len().alias("lines"))
            .sort("funding", "year", nulls_last=True))
