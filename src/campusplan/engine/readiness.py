"""Readiness against a standard with group rules: per group (district) and item, how many
schools meet the item's per-school requirement, and the group rule's figure and verdict.

General, not one standard's: an item whose `rules` hold a group kind (a kind that `judges` "group",
e.g. group_spread) is summarised with its own `requirements`; the rules that judge
other requirements (at_least) are summarised as schools meeting them. For 优质均衡 this is each
indicator per 学段: schools meeting it, the 校际差异系数 and the county verdict.
"""

from __future__ import annotations

import polars as pl

from campusplan.engine.assessment import Assessment
from campusplan.engine.evaluate import specs


def _counts(rows: pl.DataFrame, req: int, by: str) -> pl.DataFrame:
    st = pl.col("status")
    return rows.filter(pl.col("req") == req).group_by(by).agg(
        (st != "not_applicable").sum().alias("schools"), (st == "met").sum().alias("met"),
        (st == "unknown").sum().alias("unknown"))


def readiness(assessment: Assessment, by: str = "district") -> list[dict]:
    """One row per (group, item with a group rule): item, stage, schools, met, unknown,
    figure (the rule's actual, e.g. the CV), limit, mean, verdict; then one row per rule over
    other rules (item None): schools meeting it."""
    rows = assessment.annotated.with_columns(pl.col("status").cast(pl.Utf8))
    out: list[dict] = []
    for s in specs(assessment.catalog):
        if s.req.check.judges != "group" or s.item is None:
            continue
        per_school = next(r for r in specs(assessment.catalog)
                          if r.item is s.item and r.req in s.item.requirements)
        counts = {r[by]: r for r in _counts(rows, per_school.index, by).iter_rows(named=True)}
        verdicts = rows.filter((pl.col("req") == s.index) & (pl.col("status") != "not_applicable")) \
            .group_by(by).agg(pl.col("status").first(), pl.col("actual").first(),
                              pl.col("required").first(), pl.col("basis").first())
        for v in verdicts.sort(by).iter_rows(named=True):
            c = counts.get(v[by], {"schools": 0, "met": 0, "unknown": 0})
            out.append({"group": v[by], "item": s.item.number, "title": s.item.title,
                        "title_en": s.item.title_en, "stage": s.stage,
                        "requirement": per_school.req.id, "rule": s.req.id,
                        "schools": c["schools"], "met": c["met"], "unknown": c["unknown"],
                        "figure": v["actual"], "limit": v["required"], "mean": v["basis"],
                        "verdict": v["status"]})
    return out


def overall(assessment: Assessment, by: str = "district") -> list[dict]:
    """Per group, each rule that judges other rules (at_least): schools it applies to, met."""
    rows = assessment.annotated.with_columns(pl.col("status").cast(pl.Utf8))
    out = []
    for s in specs(assessment.catalog):
        if s.req.check.judges != "requirements":
            continue
        for c in _counts(rows, s.index, by).sort(by).iter_rows(named=True):
            if c["schools"]:
                out.append({"group": c[by], "rule": s.req.id, "text": s.req.text,
                            "area": s.area, "schools": c["schools"], "met": c["met"],
                            "unknown": c["unknown"]})
    return out
