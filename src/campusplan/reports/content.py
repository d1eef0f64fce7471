"""What the reports say, computed once from an assessment and its phased plan.

`make_planned()` runs the planning core (`plan_lines` → `phase`); the selectors below turn the
result into plain rows (dicts) that the .docx and .xlsx builders lay out. Keeping the numbers
here means the Word report, the workbooks and their tests agree by construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from campusplan.catalog import vocabulary
from campusplan.catalog.codes import districts, school_types
from campusplan.catalog.schema import Stage, Text
from campusplan.engine.assessment import Assessment
from campusplan.engine.costs import purchase_unit_fact, service_costs
from campusplan.engine.evaluate import specs
from campusplan.engine.rollup import rollup
from campusplan.planning.phasing import Budget, phase
from campusplan.planning.plan import IDS_SEP, plan_lines, tier_names
from campusplan.planning.prices import PriceBook, PriceCatalog

MONEY_COLS = ("scheduled", "unfunded", "unpriced", "priced_total", "lines")


@dataclass(frozen=True)
class Planned:
    """An assessment, its phased plan lines and the assumptions they were made under."""

    assessment: Assessment
    lines: pl.DataFrame
    budget: Budget
    prices: PriceCatalog
    as_of: dt.date
    lang: str = "zh"
    run: int | None = None  # the stored run the results come from (None: assessed from files)

    @cached_property
    def services(self) -> pl.DataFrame:
        return service_costs(self.assessment.frames, self.assessment.catalog)

    def purchase_unit(self, value: str | None) -> str:
        """学校.年度 as the report's language calls it (per school per year); — when unknown."""
        if not value:
            return "—"
        return purchase_unit_fact(self.assessment.catalog).choice_label(value, self.lang)

    @cached_property
    def tiers(self) -> dict[int, Text]:
        return tier_names(self.assessment.catalog)

    @cached_property
    def schools(self) -> dict[str, dict]:
        return {s["school_id"]: s for s in self.assessment.frames.schools.iter_rows(named=True)}

    @cached_property
    def item_labels(self) -> dict[str, str]:
        """Requirement id → 「10 教师用计算机」, or 「正文 5.3」 for a body-text rule."""
        zh = self.lang.startswith("zh")
        return {s.req.id: f"{s.item.number} {s.item.title_in(self.lang)}" if s.item else
                (f"正文 {s.req.source.section}" if zh else f"§{s.req.source.section}")
                if s.req.source and s.req.source.section else ""
                for s in specs(self.assessment.catalog)}

    def item_label(self, requirement_id: str | None) -> str:
        """The item a line closes; a merged line (「9-r1、9-r2」) names its first requirement's."""
        return self.item_labels.get((requirement_id or "").split(IDS_SEP)[0], "")


def make_planned(assessment: Assessment, prices: PriceCatalog, budget: Budget, lang: str = "zh",
                 as_of: dt.date | None = None, run: int | None = None,
                 book: PriceBook | None = None, lines: pl.DataFrame | None = None) -> Planned:
    """`lines` (unphased plan lines made earlier from the same assessment and prices) skips
    pricing again: a new budget only re-phases."""
    as_of = as_of or dt.date.today()
    if lines is None:
        lines = plan_lines(assessment, prices, lang, as_of, book)
    return Planned(assessment, phase(lines, budget), budget, prices, as_of, lang, run)


def district_name(code: str | None, lang: str) -> str:
    d = districts().get(code or "")
    return (d["zh"] if lang.startswith("zh") else d["en"]) if d else (code or "—")


def type_name(code: str | None, lang: str) -> str:
    t = school_types().get(code or "")
    return (t["zh"] if lang.startswith("zh") else t["en"]) if t else (code or "—")


def profile(p: Planned, school_id: str) -> dict:
    """The school's 基本情况: names, codes, teachers and one row per 学段 it has."""
    s = p.schools[school_id]
    stages = [{"stage": vocabulary.label(vocabulary.STAGE, st.value, p.lang),
               **{k: s[f"stage.{st.value}.{k}"] for k in ("classes", "students", "max_class_size")}}
              for st in Stage if s.get(f"school.has_{st.value}")]
    return {"school_id": school_id, "name": s["name"], "district": s["district"],
            "district_name": district_name(s["district"], p.lang), "type": s["school.type"],
            "type_name": type_name(s["school.type"], p.lang), "teachers": s["school.teachers"],
            "smart_phase": s.get("school.smart_phase"), "stages": stages,
            "classes": s.get("school.classes"), "students": s.get("school.students")}


def area_rows(p: Planned, school_ids: list[str] | None = None) -> list[dict]:
    """One row per area of the standard (in its order) with counts, rate and completeness."""
    ann = p.assessment.annotated
    if school_ids is not None:
        ann = ann.filter(pl.col("school_id").is_in(school_ids))
    by_area = {r["area"]: r for r in rollup(ann, ["area"], _threshold(p)).iter_rows(named=True)}
    out = []
    for area in p.assessment.catalog.standard.areas:
        row = by_area.get(area.key, {})
        out.append({"area": area.key, "name": area.name.get(p.lang), **_counts(row)})
    return out


def overall(p: Planned, school_ids: list[str] | None = None) -> dict:
    ann = p.assessment.annotated
    if school_ids is not None:
        ann = ann.filter(pl.col("school_id").is_in(school_ids))
    rows = rollup(ann.with_columns(pl.lit(1).alias("_all")), ["_all"], _threshold(p)).to_dicts()
    return _counts(rows[0] if rows else {})


def _threshold(p: Planned) -> float | None:
    return p.assessment.catalog.standard.min_completeness()


def _counts(row: dict) -> dict:
    keys = ("met", "gaps", "violations", "judged", "applicable", "unknown", "optional_gaps")
    return {k: row.get(k, 0) for k in keys} | {"rate": row.get("rate"),
                                              "completeness": row.get("completeness"),
                                              "comparable": row.get("comparable")}


def findings(p: Planned, school_id: str, statuses=("violation", "gap")) -> list[dict]:
    """Explained result rows of one school: violations, then required, then optional; by item."""
    rows = p.assessment.explained([school_id], lang=p.lang, statuses=statuses)
    for r in rows:
        r["item_label"] = p.item_label(r["requirement_id"])
    return sorted(rows, key=lambda r: (vocabulary.status_rank(r["status"]), r["level"] != "required",
                                       r["item"] or 99, r["requirement_id"]))


def school_lines(p: Planned, school_id: str) -> pl.DataFrame:
    return p.lines.filter(pl.col("school_id") == school_id)


def totals(lines: pl.DataFrame) -> dict:
    """Scheduled spend per year ({year: (lines, cost)}), unfunded and unpriced: the figures
    under every plan table."""
    f = pl.col("funding")
    scheduled = lines.filter(f == "scheduled")
    by_year = {y: (n, cost) for y, n, cost in scheduled.group_by("year").agg(
        pl.len(), pl.col("cost").sum()).sort("year").iter_rows()}
    unfunded = lines.filter(f == "unfunded")
    unpriced = lines.filter(f == "unpriced").height
    return {"coverage": (lines.height - unpriced) / lines.height if lines.height else None,
            "by_year": by_year, "scheduled": float(scheduled["cost"].sum()),
            "scheduled_lines": scheduled.height, "unfunded": float(unfunded["cost"].sum()),
            "unfunded_lines": unfunded.height,
            "unpriced": unpriced,
            "priced_total": float(lines["cost"].sum()), "lines": lines.height}


def money_by(lines: pl.DataFrame, key: str) -> dict[str, dict]:
    """Plan money per school (key="school_id") or district (key="district")."""
    return {k: totals(g) for (k,), g in lines.group_by(key, maintain_order=True)}


def services_by(p: Planned, key: str) -> dict[str, float]:
    svc = p.services
    if key == "district":
        svc = svc.join(p.assessment.frames.schools.select("school_id", "district"),
                       on="school_id", how="left")
    return dict(svc.group_by(key).agg(pl.col("yearly_cost").sum()).iter_rows())


def school_rows(p: Planned) -> list[dict]:
    """One row per school: profile, roll-up, plan money and yearly services cost."""
    summary = {r["school_id"]: r for r in p.assessment.summary().iter_rows(named=True)}
    money, svc = money_by(p.lines, "school_id"), services_by(p, "school_id")
    out = []
    for sid, s in p.schools.items():
        m = money.get(sid) or totals(p.lines.clear())
        out.append({"school_id": sid, "name": s["name"], "district": s["district"],
                    "type_name": type_name(s["school.type"], p.lang),
                    "classes": s.get("school.classes"), "students": s.get("school.students"),
                    **_counts(summary.get(sid, {})), **{k: m[k] for k in MONEY_COLS},
                    "services": svc.get(sid, 0.0)})
    return out


def district_rows(p: Planned) -> list[dict]:
    """One row per district (in code order): schools, roll-up, plan money, services."""
    summary = {r["district"]: r for r in p.assessment.summary(("district",)).iter_rows(named=True)}
    money, svc = money_by(p.lines, "district"), services_by(p, "district")
    count = p.assessment.frames.schools.group_by("district").len()
    out = []
    for code, n in sorted(count.iter_rows(), key=lambda r: r[0] or ""):
        m = money.get(code) or totals(p.lines.clear())
        out.append({"district": code, "district_name": district_name(code, p.lang), "schools": n,
                    **_counts(summary.get(code, {})), **{k: m[k] for k in MONEY_COLS},
                    "services": svc.get(code, 0.0)})
    return out
