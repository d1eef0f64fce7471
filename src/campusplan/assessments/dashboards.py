"""Reads for the city and district dashboards, always within the user's scope.

Per-school figures come from SchoolScore (one current row per school, stored with each run);
per-requirement figures add the RequirementTally rows the engine counted per (run, district)
when each run was stored, corrected by the few schools a later run has judged since — never a
GROUP BY over every result row. Both are cached under a key made of the runs that judged the
viewer's scope (the newest of its schools' current runs and how many schools have one) and the
scope itself, so a run in one district leaves every other district's entry warm and no two
scopes ever share an entry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import polars as pl
from django.core.cache import cache
from django.db.models import Count, Exists, F, Max, OuterRef, Sum

from campusplan.accounts.scope import district_for, profile_of, visible_schools
from campusplan.assessments.choices import Level
from campusplan.assessments.models import (
    AssessmentRun,
    CurrentRun,
    DistrictScore,
    EquitySum,
    EquityUnit,
    RequirementTally,
    SchoolScore,
)
from campusplan.assessments.selectors import (
    current_matrix,
    current_scores,
    current_units,
    run_matrix,
)
from campusplan.catalog import load_catalog
from campusplan.catalog.codes import school_types
from campusplan.engine.equity import Spread, spread_of_sums
from campusplan.engine.rollup import comparable, completeness, compliance_rate
from campusplan.schools.models import STAGE_COLUMNS, District, School

RATIOS = SchoolScore.RATIO_FIELDS
TIMEOUT = 600


def _every_school(schools) -> bool:
    """Whether the scope is every school (the city's): then its pointers, districts and runs are
    read without a subquery of every school's id, which cost 40–50 ms a query at 210,000
    schools (docs/scale.md)."""
    return schools.model is School and not schools.query.where and not schools.query.is_sliced


def _pointers(schools):
    """The current-run pointers of these schools."""
    return CurrentRun.objects.all() if _every_school(schools) else \
        CurrentRun.objects.filter(school__in=schools)


def _version(schools) -> str:
    """What judged these schools: the newest of their current runs (ids only grow, so any new
    run of one of them moves it) and how many have one (a deleted run takes its pointers)."""
    got = _pointers(schools).aggregate(last=Max("run_id"), n=Count("school_id"))
    return f"{got['last'] or 0}.{got['n']}"


def _scope_key(user) -> str:
    p = profile_of(user)
    return "none" if p is None else f"{p.level}:{p.district_id}:{p.school_id}"


def _cached(name: str, user, schools, build):
    """The built figures, with the `version` they were built at (the pages' fragment caches
    key on it too)."""
    version = _version(schools)
    key = f"dash:{name}:{version}:{_scope_key(user)}"
    value = cache.get(key)
    if value is None:
        value = build() | {"version": version}
        cache.set(key, value, TIMEOUT)
    return value


def _scores(schools):
    return current_scores(schools=schools)


def _group_scores(schools, by: str) -> list[dict]:
    rows = (_scores(schools).values(by).annotate(
        schools=Count("id"), met=Sum("met"), judged=Sum("judged"), gaps=Sum("gaps"),
        violations=Sum("violations"), unknown=Sum("unknown"), applicable=Sum("applicable"),
        optional_gaps=Sum("optional_gaps")))
    return [rated(r) for r in rows]


@dataclass
class Whole:
    """A scope of whole districts (every school of each): the runs its schools point at, and
    the score rows of those runs in its districts that a later run has judged since (`stale`,
    their few rows read once) — what the stored per-district sums of those runs are corrected
    by. Each row counts under the district the run judged the school in (SchoolScore.district),
    the district the sums counted it under, even if the school has moved since."""

    districts: set[int]
    runs: set[int]
    stale: list[dict]

    @classmethod
    def of(cls, schools) -> Whole | None:
        every = _every_school(schools)
        if every:  # every school of every district that has one: nothing to count
            districts = set(District.objects.filter(Exists(School.objects.filter(
                district=OuterRef("pk")))).values_list("pk", flat=True))
        else:
            # DISTINCT in the database: a row per district and per run, not one per school
            districts = set(schools.order_by().values_list("district_id", flat=True)
                            .distinct())
            if schools.count() != School.objects.filter(district_id__in=districts).count():
                return None
        runs = set(_pointers(schools).order_by().values_list("run_id", flat=True).distinct())
        # not current: the school points at another run, or at none (the newer run that
        # judged it was deleted, and its pointer with it)
        current = CurrentRun.objects.filter(school_id=OuterRef("school_id"),
                                            run_id=OuterRef("run_id"))
        stale = list(SchoolScore.objects.filter(
            ~Exists(current), run_id__in=_maybe_stale(runs) if every else runs,
            district_id__in=districts).values("run_id", "school_id", "district_id", *COUNTS))
        return cls(districts, runs, stale)


def _maybe_stale(runs: set[int]) -> set[int]:
    """Of these runs, those that may have stale score rows, for the scope of every school: a
    run with as many pointers as schools it judged has none (each pointer at a run is a school
    it judged and scored). A run that a later run re-judged entirely or in part is compared
    row by row; the rest cost a count, not an anti-join of every score row of the run (85 ms at
    210,000 schools). Not for a part of the country: a school moved in or out of it would make
    the counts meet by chance."""
    judged = dict(DistrictScore.objects.filter(run_id__in=runs).order_by().values("run_id")
                  .annotate(n=Sum("schools")).values_list("run_id", "n"))
    pointed = dict(CurrentRun.objects.filter(run_id__in=runs).order_by().values("run_id")
                   .annotate(n=Count("school_id")).values_list("run_id", "n"))
    return {r for r in runs if judged.get(r) != pointed.get(r)}


def _district_scores(whole: Whole) -> list[dict]:
    """Per district, the sums of its schools' current scores: the stored sums of the runs they
    point at, less the stale rows (`Whole`); rows keyed as `_group_scores` keys them."""
    sums: dict[int, dict] = defaultdict(lambda: dict.fromkeys(("schools", *COUNTS), 0))
    for row in DistrictScore.objects.filter(run_id__in=whole.runs,
                                            district_id__in=whole.districts).values(
            "district_id", "schools", *COUNTS):
        for k in ("schools", *COUNTS):
            sums[row["district_id"]][k] += row[k]
    for row in whole.stale:
        sums[row["district_id"]]["schools"] -= 1
        for k in COUNTS:
            sums[row["district_id"]][k] -= row[k]
    codes = dict(District.objects.filter(pk__in=list(sums)).values_list("pk", "code"))
    return [rated({"school__district__code": codes[d]} | c) for d, c in sums.items()
            if c["schools"] > 0]


def _totals(schools, whole: Whole | None) -> list[dict]:
    return _district_scores(whole) if whole is not None else \
        _group_scores(schools, "school__district__code")


def school_scores(*, schools):
    """Each school's current roll-up, in code order (read them with `score_dict`)."""
    return _scores(schools).select_related("school__district").order_by("school__code")


def score_dict(s: SchoolScore) -> dict:
    """One school's roll-up with its rate's comparability."""
    return rated({"school": s.school.code, "school_name": s.school.name,
                  "district": s.school.district.code, "run": s.run_id,
                  **{k: getattr(s, k) for k in COUNTS}})


def district_scores(*, schools) -> list[dict]:
    """Per district (code order), the roll-up of its schools' current scores."""
    return sorted(_totals(schools, Whole.of(schools)),
                  key=lambda r: r["school__district__code"])


COUNTS = DistrictScore.COUNTS  # a school's roll-up counts, as a district's sums keep them


def rated(counts: dict) -> dict:
    """Counts with their rate, completeness and whether the rate is comparable (the catalog's
    completeness threshold, engine.rollup.comparable)."""
    share = completeness(counts["unknown"], counts["applicable"])
    return counts | {"rate": compliance_rate(counts["met"], counts["judged"]),
                     "completeness": share,
                     "comparable": comparable(share, load_catalog().standard.min_completeness())}


TALLIED = ("gap", "violation", "met", "unknown")


def _grouped(rows: pl.DataFrame) -> list[dict]:
    """Required rows' status counts per requirement, of matrix rows (selectors.current_matrix:
    met rows are in the runs' files, not in the database)."""
    return rows.filter(pl.col("level") == Level.REQUIRED).group_by("requirement_id", "item") \
        .agg(*[(pl.col("status") == s).sum().alias(s) for s in TALLIED]).to_dicts()


def _requirement_tallies(schools, whole: Whole | None) -> list[dict]:
    """Per required requirement, how many of the schools' current results are met, gap,
    violation, unknown. For whole districts (the city's and a district's dashboards): the sum
    of the stored tallies of the runs the schools currently point at, less the rows of those
    runs' schools that a later run has judged since (`Whole.stale`, their few rows, read by the
    unique index). A scope that is part of a district is grouped over its current rows."""
    if whole is None:
        return _grouped(current_matrix(schools=schools))
    sums: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(TALLIED, 0))
    for t in RequirementTally.objects.filter(run_id__in=whole.runs,
                                             district_id__in=whole.districts,
                                             level=Level.REQUIRED).values(
            "requirement_id", "item", *TALLIED):
        for s in TALLIED:
            sums[t["requirement_id"], t["item"]][s] += t[s]
    stale: dict[int, list[int]] = defaultdict(list)
    for row in whole.stale:
        stale[row["run_id"]].append(row["school_id"])
    if stale:
        for t in _grouped(run_matrix(stale)):
            for s in TALLIED:
                sums[t["requirement_id"], t["item"]][s] -= t[s]
    return [{"requirement_id": r, "item": i, **c} for (r, i), c in sorted(sums.items(), key=lambda kv: kv[0][0])]


def _worst(tallies: list[dict], n: int = 10) -> list[dict]:
    texts = {r.id: r.text for _a, _i, r in load_catalog().standard.requirements()}
    out = []
    for t in tallies:
        judged = t["met"] + t["gap"] + t["violation"]
        if judged and t["gap"] + t["violation"]:
            out.append(t | {"judged": judged, "share": (t["gap"] + t["violation"]) / judged,
                            "text": texts.get(t["requirement_id"], "")})
    return sorted(out, key=lambda t: (-(t["gap"] + t["violation"]), -t["share"]))[:n]


def _areas(tallies: list[dict]) -> list[dict]:
    std = load_catalog().standard
    area_of = {r.id: a.key for a, _i, r in std.requirements()}
    sums: dict[str, dict] = defaultdict(lambda: {"met": 0, "gap": 0, "violation": 0,
                                                 "unknown": 0})
    for t in tallies:
        for k in ("met", "gap", "violation", "unknown"):
            sums[area_of[t["requirement_id"]]][k] += t[k]
    return [{"key": a.key, "name_zh": a.name.zh, "name_en": a.name.en, **sums[a.key]}
            for a in std.areas]


def equity_rows(schools, whole: Whole | None = None) -> list[dict]:
    """差异系数 by the official method (engine/equity.py) from the units stored with each run:
    one row per (district, 学段), a cell per measure with the district's figure, the weighted
    CV, its threshold and the verdict (CV ≤ threshold). Rows in district code, stage order.
    From sums (`spread_of_sums`): for whole districts the sums stored with the runs the schools
    point at, less the stale schools' units (`Whole`); for a part of a district grouped in the
    database over its current units. Never every school's units."""
    eq = load_catalog().standard.indicators.equity
    if eq is None:
        return []
    cvs: dict[str, dict[tuple[str, str], Spread]] = defaultdict(dict)
    for code, stage, measure, n, amount, base, square in _equity_sums(schools, whole):
        cvs[measure][code, stage] = spread_of_sums(n, amount, base, square,
                                                   eq.thresholds.get(stage))
    names = dict(District.objects.filter(
        code__in={code for by in cvs.values() for code, _st in by}).values_list("code", "name"))
    rows = []
    for code in sorted(names):
        for stage in eq.stages:
            cells = {m.key: _cell(m, stage, cvs[m.key].get((code, stage))) for m in eq.measures}
            if any(c["n"] for c in cells.values()):
                rows.append({"code": code, "name": names[code], "stage": stage, "cells": cells})
    return rows


def _equity_sums(schools, whole: Whole | None) -> list[tuple]:
    """(district code, 学段, measure, n, Σx, ΣP, Σx²/P) of the schools' current known units."""
    if whole is None:
        known = current_units(schools=schools).filter(amount__isnull=False, base__gt=0)
        return list(known.values("school__district__code", "stage", "measure").annotate(
            n=Count("id"), x=Sum("amount"), p=Sum("base"),
            x2p=Sum(F("amount") * F("amount") / F("base"))).order_by().values_list(
            "school__district__code", "stage", "measure", "n", "x", "p", "x2p"))
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for d, stage, measure, n, x, p, x2p in EquitySum.objects.filter(
            run_id__in=whole.runs, district_id__in=whole.districts).values_list(
            "district_id", "stage", "measure", "n", "x", "p", "x2p"):
        cell = sums[d, stage, measure]
        cell[0], cell[1], cell[2], cell[3] = cell[0] + n, cell[1] + x, cell[2] + p, cell[3] + x2p
    counted = {(r["run_id"], r["school_id"]): r["district_id"] for r in whole.stale}
    if counted:
        for run, school, stage, measure, x, p in EquityUnit.objects.filter(
                run_id__in={r for r, _s in counted}, school_id__in={s for _r, s in counted},
                amount__isnull=False, base__gt=0).values_list(
                "run_id", "school_id", "stage", "measure", "amount", "base"):
            if (run, school) in counted:
                cell = sums[counted[run, school], stage, measure]
                cell[0], cell[1], cell[2], cell[3] = \
                    cell[0] - 1, cell[1] - x, cell[2] - p, cell[3] - x * x / p
    codes = dict(District.objects.filter(pk__in={d for d, _s, _m in sums})
                 .values_list("pk", "code"))
    return [(codes[d], stage, measure, *cell) for (d, stage, measure), cell in sums.items()
            if cell[0] > 0]


def _cell(measure, stage: str, spread: Spread | None) -> dict:
    """One measure of one (district, 学段): the district's figure in the indicator's own terms
    (Σx·scale / ΣP, or ΣP / Σx for a heads-per ratio such as 生机比), the CV and the verdict."""
    if spread is None:
        return {"n": 0, "value": None, "cv": None, "threshold": None, "ok": None,
                "standard": measure.standard.get(stage)}
    mean = spread.mean
    value = None if not mean else (1 / mean if measure.inverse else mean * measure.scale)
    return {"n": spread.n, "value": value, "cv": spread.cv, "threshold": spread.threshold,
            "ok": spread.ok, "standard": measure.standard.get(stage)}


def _run_info(schools) -> dict | None:
    """The newest run that judged any of these schools (what the page says it shows)."""
    newest = _pointers(schools).aggregate(m=Max("run_id"))["m"]
    run = AssessmentRun.objects.filter(pk=newest).first() if newest else None
    return None if run is None else {"id": run.id, "as_of": run.as_of,
                                     "catalog_version": run.catalog_version}


def city_overview(*, user) -> dict:
    schools = visible_schools(user)

    def build():
        whole = Whole.of(schools)
        districts = _totals(schools, whole)
        # the districts' own rows when the scope is theirs; else without the schools' default
        # order (by code), which DISTINCT would add to its columns: a row per school instead of
        # one per district
        names = dict(District.objects.filter(pk__in=whole.districts).values_list(
            "code", "name") if whole is not None else schools.order_by().values_list(
            "district__code", "district__name").distinct())
        rows = sorted(({"code": d["school__district__code"],
                        "name": names.get(d["school__district__code"], ""), **d}
                       for d in districts),
                      key=lambda d: (d["rate"] is None, -(d["rate"] or 0)))
        tallies = _requirement_tallies(schools, whole)
        return {"districts": rows, "areas": _areas(tallies), "equity": equity_rows(schools, whole),
                "worst": _worst(tallies), "run": _run_info(schools)}

    return _cached("city", user, schools, build)


SORTS = {"rate", "completeness", "gaps", "violations", "unknown", "code", "name", "students",
         "classes"}


def district_overview(*, user, code: str, sort: str = "rate", type: str | None = None,
                      q: str | None = None, order: str = "asc") -> dict:
    district = district_for(user, code)
    schools = visible_schools(user).filter(district=district)

    def build():
        whole = Whole.of(schools)
        total = _totals(schools, whole)
        rows = _school_rows(schools)
        tallies = _requirement_tallies(schools, whole)
        return {"district": {"code": district.code, "name": district.name,
                             **(total[0] if total else {"schools": 0, "rate": None})},
                "all_schools": rows, "distribution": _histogram(rows),
                "equity": equity_rows(schools, whole),
                "common_gaps": _worst(tallies), "run": _run_info(schools)}

    data = dict(_cached(f"district:{code}", user, schools, build))
    data["schools"] = _filter_sort(data.pop("all_schools"), sort, type, q, order)
    return data


def _school_rows(schools) -> list[dict]:
    threshold = load_catalog().standard.min_completeness()
    scores = {s["school_id"]: s | {"comparable": comparable(s["completeness"], threshold)}
              for s in _scores(schools).values("school_id", "rate", "judged", "completeness",
                                               "gaps", "violations", "unknown")}
    types = school_types()
    stages = ("primary", "junior", "senior")
    counts = {k: [STAGE_COLUMNS[st, k] for st in stages] for k in ("classes", "students")}
    out = []
    # values, not instances: a district's table reads every school (1,033 of the largest)
    for s in schools.order_by("code").values("pk", "code", "name", "school_type",
                                              *counts["classes"], *counts["students"]):
        classes = sum(s[c] or 0 for c in counts["classes"])
        students = sum(s[c] or 0 for c in counts["students"])
        score = scores.get(s["pk"], {})
        out.append({"code": s["code"], "name": s["name"], "type": s["school_type"],
                    "type_name": types.get(s["school_type"], {}).get("zh", s["school_type"]),
                    "classes": classes, "students": students,
                    **{k: score.get(k) for k in ("rate", "judged", "comparable", "completeness",
                                                 "gaps", "violations", "unknown")}})
    return out


def _filter_sort(rows: list[dict], sort: str, type: str | None, q: str | None,
                 order: str) -> list[dict]:
    if type:
        rows = [r for r in rows if r["type"] == type]
    if q:
        rows = [r for r in rows if q in r["name"] or q in r["code"]]
    key = sort if sort in SORTS else "rate"
    missing = [r for r in rows if r[key] is None]
    present = sorted((r for r in rows if r[key] is not None), key=lambda r: r[key],
                     reverse=order == "desc")
    return present + missing  # unknown last, whatever the order


def _histogram(rows: list[dict]) -> list[dict]:
    bins = [(0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01)]
    out = [{"label": f"{int(lo * 100)}–{min(int(hi * 100), 100)}%", "count": 0} for lo, hi in bins]
    out.append({"label": "未评估", "count": 0})
    for r in rows:
        if r["rate"] is None:
            out[-1]["count"] += 1
            continue
        for i, (lo, hi) in enumerate(bins):
            if lo <= r["rate"] < hi:
                out[i]["count"] += 1
    return out
