"""Reads of stored runs. One definition of "current": the rows, scores and equity units of the
run each school's `CurrentRun` names — the latest run that judged it (assessment_run_create moves
the pointer; no older row is rewritten). Every reader goes through `current_rows`,
`current_scores`, `current_units` or `is_current`.

A run's gaps, violations, unknowns and waived rows are in the database (`current_rows`, what
lists and filters query); all its rows, met and not applicable too, are in its matrix file
(`current_matrix`, `run_matrix`; assessments/matrix.py), which every reader of a school's whole
result goes through.

`stored_assessment` turns the current rows back into the engine's `Assessment` (results as
numbers, frames from the stored facts), so pages, exports, plans and reports read what the
dashboards read — the run, not a new engine pass — and explanations are rendered when read, in
the reader's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

import polars as pl
from django.db.models import F, Q, QuerySet

from campusplan.assessments import matrix
from campusplan.assessments.models import (
    AssessmentRun,
    CurrentRun,
    EquityUnit,
    RequirementTally,
    ResultRow,
    SchoolScore,
)
from campusplan.assessments.services import approvals
from campusplan.catalog.loader import Catalog
from campusplan.engine.assessment import Assessment
from campusplan.engine.evaluate import LEVEL, NUM, NUMBERS, STATUS, requirement_table
from campusplan.engine.frames import Frames, finish, with_params
from campusplan.schools.frames import stored_frames
from campusplan.schools.models import Deviation
from campusplan.schools.tailoring import valid_deviations

VALUES = ("school_id", "requirement_id", "status", "level", "actual", "required", "shortfall",
          "basis", "rows_short")


def is_current(prefix: str = "") -> Q:
    """The condition that a run-and-school row (result, score, equity unit; through `prefix`,
    e.g. "scores__" from School) belongs to its school's current run."""
    return Q(**{f"{prefix}run_id": F(f"{prefix}school__current_run__run_id")})


def current_rows(*, schools) -> QuerySet[ResultRow]:
    """The current result rows of these schools that the database keeps: gaps, violations,
    unknowns and waived rows (a QuerySet of schools or a list). Met and not-applicable rows:
    `current_matrix`."""
    return ResultRow.objects.filter(is_current(), school__in=schools)


MATRIX = {"run_id": pl.Int64, "school": pl.Int64, "code": pl.Utf8, "requirement_id": pl.Utf8,
          "item": pl.Int64, "status": pl.Utf8, "level": pl.Utf8, "actual": pl.Float64,
          "required": pl.Float64, "shortfall": pl.Float64, "basis": pl.Float64,
          "rows_short": pl.Float64, "waived_by": pl.Int64}
_FROM_DB = ("run_id", "school_id", "school__code", "requirement_id", "item", "status", "level",
            "actual", "required", "shortfall", "basis", "rows_short", "waived_by_id")
_CHUNK = 5000  # school ids per query of the database fallback (SQLite's bound parameters)


def current_matrix(*, schools) -> pl.DataFrame:
    """Every current result row of these schools, met and not applicable included (columns of
    MATRIX), from their runs' files; schools never assessed have none."""
    ids = [s.pk for s in schools] if isinstance(schools, list) else list(
        schools.values_list("pk", flat=True))
    by_run: dict[int, list[int]] = defaultdict(list)
    for school, run in current_runs(school_ids=ids).items():
        by_run[run].append(school)
    return run_matrix(by_run)


def run_matrix(schools_of: dict[int, Collection[int]]) -> pl.DataFrame:
    """Run id → school ids: those schools' every row in those runs. From each run's file; from
    the database for a run without one (its rows are all there) or whose file is gone (then
    only the rows the database keeps)."""
    files = dict(AssessmentRun.objects.filter(pk__in=list(schools_of))
                 .values_list("pk", "matrix_file"))
    parts = [pl.DataFrame(schema=MATRIX)]
    for run, ids in schools_of.items():
        frame = matrix.read(files.get(run, ""), ids)
        if frame is not None:
            parts.append(frame.select(pl.lit(run, pl.Int64).alias("run_id"), "school",
                                      pl.col("school_id").alias("code"), *list(MATRIX)[3:]))
            continue
        ids = sorted(ids)
        for start in range(0, len(ids), _CHUNK):
            rows = ResultRow.objects.filter(run_id=run, school_id__in=ids[start:start + _CHUNK])
            parts.append(pl.DataFrame(list(rows.values_list(*_FROM_DB)), schema=MATRIX,
                                      orient="row"))
    return pl.concat(parts, how="vertical_relaxed")


def run_counts(*, runs: list[AssessmentRun], schools,
               district=None) -> dict[int, tuple[int, dict[str, int]]]:
    """Run id → (schools of `schools` it judged, their rows per status). A whole district's
    counts are its stored tallies; a school's are read from the run's file."""
    judged: dict[int, list[int]] = defaultdict(list)
    for run, school in SchoolScore.objects.filter(run__in=runs, school__in=schools) \
            .values_list("run_id", "school_id"):
        judged[run].append(school)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if district is not None:
        for t in RequirementTally.objects.filter(run__in=runs, district=district).values(
                "run_id", *RequirementTally.STATUSES):
            for status in RequirementTally.STATUSES:
                if t[status]:
                    counts[t["run_id"]][status] = counts[t["run_id"]].get(status, 0) + t[status]
    elif judged:
        for run, status, n in run_matrix(judged).group_by("run_id", "status").len().iter_rows():
            counts[run][status] = n
    return {r.pk: (len(judged.get(r.pk, [])), counts.get(r.pk, {})) for r in runs}


def as_rows(frame: pl.DataFrame) -> list[ResultRow]:
    """Matrix rows as (unsaved) ResultRow objects, for the pages that show a school's rows."""
    fields = [k for k in MATRIX if k != "code"]
    return [ResultRow(**{("school_id" if k == "school" else "waived_by_id" if k == "waived_by"
                          else k): v for k, v in zip(fields, r, strict=True)})
            for r in frame.select(fields).iter_rows()]


def current_scores(*, schools) -> QuerySet[SchoolScore]:
    return SchoolScore.objects.filter(is_current(), school__in=schools)


def current_units(*, schools) -> QuerySet[EquityUnit]:
    return EquityUnit.objects.filter(is_current(), school__in=schools)


def current_runs(*, school_ids) -> dict[int, int]:
    """School id → the id of its current run (schools never assessed are absent)."""
    return dict(CurrentRun.objects.filter(school_id__among=list(school_ids))
                .values_list("school_id", "run_id"))


@dataclass(frozen=True)
class RunInfo:
    """Which run(s) a page, plan or report reads: the newest one first."""

    ids: tuple[int, ...]
    as_of: object  # datetime.date of the newest run
    catalog_version: str

    @property
    def id(self) -> int:
        return self.ids[0]


def run_info(*, run_ids) -> RunInfo | None:
    runs = list(AssessmentRun.objects.filter(pk__in=set(run_ids)).order_by("-pk"))
    if not runs:
        return None
    return RunInfo(tuple(r.pk for r in runs), runs[0].as_of, runs[0].catalog_version)


def run_parameters(*, run_ids) -> dict[int, dict]:
    """Run id → the tailored parameter values it judged with, per district (see the model)."""
    return dict(AssessmentRun.objects.filter(pk__in=set(run_ids)).values_list("pk", "parameters"))


def waiver_ends(*, ids) -> dict[int, str]:
    """Deviation id → the day its waiver runs through (ISO), for the rows it set aside."""
    return {pk: day.isoformat() for pk, day in
            Deviation.objects.filter(pk__in=set(ids)).values_list("pk", "expires_on")}


def stored_assessment(*, schools, catalog: Catalog, rows: pl.DataFrame | None = None
                      ) -> tuple[Assessment, RunInfo | None]:
    """The current run of these schools as an Assessment (schools never assessed are left out),
    with the run(s) it comes from. `rows`: their `current_matrix`, when the caller has read it."""
    schools = list(schools)
    rows = current_matrix(schools=schools) if rows is None else rows
    rows = list(rows.select("run_id", "code", *VALUES[1:]).iter_rows())
    judged = {r[1] for r in rows}
    stored = [s for s in schools if s.code in judged]
    frames = _as_judged(stored, catalog, {r[1]: r[0] for r in rows})
    results = _results(frames.schools.get_column("school_id"), rows, catalog)
    return Assessment(catalog, frames, results), run_info(run_ids={r[0] for r in rows})


def _as_judged(schools: list, catalog: Catalog, run_of: dict[str, int]) -> Frames:
    """The frames as each school's run saw them: built from the stored facts (schools/frames.py,
    as a stored run builds them) on the run's date with the approvals valid then, and with the
    parameter values its district had in force, so explanations read what judged the row."""
    meta = {pk: (params or {}, day) for pk, params, day in AssessmentRun.objects.filter(
        pk__in=set(run_of.values())).values_list("pk", "parameters", "as_of")}
    parts = []
    for day in sorted({d for _p, d in meta.values()}):
        group = [s for s in schools if meta[run_of[s.code]][1] == day]
        parts.append(stored_frames(schools=group, catalog=catalog, as_of=day,
                                   approvals=approvals(valid_deviations(group, day))))
    frames = parts[0] if len(parts) == 1 else _in_order(parts, schools, catalog)
    params = {s.code: {k: x["value"] for k, x in
                       meta[run_of[s.code]][0].get(s.district.code, {}).items()}
              for s in schools}
    return with_params(frames, catalog, params)


def _in_order(parts: list[Frames], schools: list, catalog: Catalog) -> Frames:
    """Frames of schools judged on different days, as one, the schools in the callers' order."""
    order = pl.DataFrame({"school_id": [s.code for s in schools],
                          "pos": range(len(schools))}, schema={"school_id": pl.Utf8,
                                                               "pos": pl.Int64})

    def ordered(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(order, on="school_id", how="left").sort("pos", maintain_order=True) \
            .drop("pos")

    return finish(Frames(**{name: ordered(pl.concat([getattr(p, name) for p in parts],
                                                     how="vertical_relaxed"))
                            for name in ("schools", "rooms", "services", "devices")}), catalog)


def _results(school_ids: pl.Series, rows: list[tuple], catalog: Catalog) -> pl.DataFrame:
    """Stored rows in the engine's result shape (school_idx, req, status, level, numbers)."""
    index = {code: i for i, code in enumerate(school_ids.to_list())}
    reqs = dict(requirement_table(catalog).select("requirement_id", "req").iter_rows())
    known = [r for r in rows if r[2] in reqs]  # a requirement the catalog no longer has: dropped
    frame = pl.DataFrame({
        "school_idx": pl.Series([index[r[1]] for r in known], dtype=pl.UInt32),
        "req": pl.Series([reqs[r[2]] for r in known], dtype=pl.UInt16),
        "status": pl.Series([r[3] for r in known], dtype=STATUS),
        "level": pl.Series([r[4] for r in known], dtype=LEVEL),
        **{k: pl.Series([r[i] for r in known], dtype=NUM)
           for i, k in enumerate(NUMBERS, start=5)},
    })
    return frame.sort("req", "school_idx")


def explanations(*, schools, catalog: Catalog, lang: str) -> dict[tuple[str, str], str]:
    """(school code, requirement id) → the explanation of the current result, in `lang`."""
    assessment, _info = stored_assessment(schools=schools, catalog=catalog)
    return {(r["school_id"], r["requirement_id"]): r["explanation"]
            for r in assessment.explained(lang=lang)}


# --- comparing runs ------------------------------------------------------------------------------

FAILING = ("gap", "violation")


@dataclass
class SchoolDiff:
    """What changed for one school between two runs, by requirement id."""

    code: str
    name: str
    district: str
    improved: list[str]
    regressed: list[str]
    new_violations: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.improved or self.regressed or self.new_violations)


def _statuses(run_ids, schools) -> dict[tuple[str, str], str]:
    judged: dict[int, list[int]] = defaultdict(list)
    for run, school in SchoolScore.objects.filter(run_id__in=list(run_ids), school__in=schools) \
            .values_list("run_id", "school_id"):
        judged[run].append(school)
    rows = run_matrix(judged).select("code", "requirement_id", "status")
    return {(code, req): status for code, req, status in rows.iter_rows()}


def run_diff(*, old_runs, new_runs, schools) -> list[SchoolDiff]:
    """Per school judged by both: requirements improved (gap/violation → met), regressed
    (met → gap/violation) and new violations (→ violation from anything else). Sets of runs,
    so a city compares the district runs of two campaigns at once."""
    old, new = _statuses(old_runs, schools), _statuses(new_runs, schools)
    both = {code for code, _r in old} & {code for code, _r in new}
    names = {s.code: (s.name, s.district.code) for s in schools.select_related("district")
             .filter(code__in=both)}
    out: dict[str, SchoolDiff] = {c: SchoolDiff(c, *names[c], [], [], []) for c in sorted(both)}
    for (code, req), after in sorted(new.items()):
        before = old.get((code, req))
        if code not in out or before is None:
            continue
        d = out[code]
        if before in FAILING and after == "met":
            d.improved.append(req)
        if before == "met" and after in FAILING:
            d.regressed.append(req)
        if after == "violation" and before != "violation":
            d.new_violations.append(req)
    return list(out.values())


def run_rate(*, run_ids, schools) -> float | None:
    """The required-requirement compliance rate of runs (met / judged over their schools)."""
    scores = SchoolScore.objects.filter(run_id__in=list(run_ids), school__in=schools)
    met = judged = 0
    for m, j in scores.values_list("met", "judged"):
        met, judged = met + m, judged + j
    return met / judged if judged else None
