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
from campusplan.engine import equity
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


def _with_counts(catalog: Catalog, frames: Frames) -> pl.DataFrame:
    """The schools frame with one `school.<key>` column per declared count."""
    schools = frames.schools
    for count in catalog.standard.indicators.counts:
        col = f"school.{count.key}"
        schools = schools.join(_count(count, frames, catalog), on="school_id", how="left",
                               maintain_order="left").with_columns(
            pl.when(pl.col("rooms_inventoried")).then(pl.col(col).fill_null(0)).alias(col))
    return schools


def indicator_frame(catalog: Catalog, frames: Frames) -> pl.DataFrame:
    """One row per school: `school_id` and one column per indicator, named by its key."""
    ind, resolve = catalog.standard.indicators, _resolver(catalog)
    return _with_counts(catalog, frames).select("school_id", *(
        to_polars(ex.parse(r.value), resolve).cast(pl.Float64).alias(r.key) for r in ind.ratios))


UNIT_COLUMNS = ("school_id", "stage", "measure", "amount", "base")


def equity_units(catalog: Catalog, frames: Frames) -> pl.DataFrame:
    """The 差异系数 units of every school (engine/equity.py): one row per (school, 学段 judged,
    measure) with the school's share of the resource (`amount`, x_i) and the head count it is
    per (`base`, P_i: the stage's students, or its share of the teachers). Empty without an
    `indicators.equity` section."""
    eq = catalog.standard.indicators.equity
    if eq is None or not eq.measures:
        return pl.DataFrame(schema=dict.fromkeys(UNIT_COLUMNS, pl.Float64) | {
            "school_id": pl.Utf8, "stage": pl.Utf8, "measure": pl.Utf8})
    resolve = _resolver(catalog)
    amounts = _with_counts(catalog, frames).select(
        "school_id", "school.teachers",
        *(pl.col(f"stage.{st}.students") for st in eq.stage_weights),
        *(pl.col(f"school.has_{st}") for st in eq.stage_weights),
        *(to_polars(ex.parse(m.amount), resolve).cast(pl.Float64).alias(f"amount.{m.key}")
          for m in eq.measures))
    rows = [unit for school in amounts.iter_rows(named=True)
            for unit in _school_units(school, eq)]
    return pl.DataFrame(rows, schema={"school_id": pl.Utf8, "stage": pl.Utf8,
                                      "measure": pl.Utf8, "amount": pl.Float64,
                                      "base": pl.Float64}, orient="row")


def _school_units(school: dict, eq) -> list[tuple]:
    students = {st: school[f"stage.{st}.students"] for st in eq.stage_weights
                if school[f"school.has_{st}"]}
    shares = equity.stage_shares(students, eq.stage_weights)
    teachers = school["school.teachers"]
    per_stage = {"students": students, "teachers": {
        st: None if shares is None or teachers is None else teachers * shares[st]
        for st in students}}
    out = []
    for m in eq.measures:
        for u in equity.school_units(school["school_id"], school[f"amount.{m.key}"], students,
                                     eq.stage_weights, eq.stages, per_stage[m.per]):
            out.append((u.group, u.stage, m.key, u.amount, u.base))
    return out
