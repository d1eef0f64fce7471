"""Assess stored schools with the engine and store the run with its result rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone

from campusplan.assessments import matrix, partitions
from campusplan.assessments.models import (
    AssessmentRun,
    CurrentRun,
    DistrictScore,
    EquitySum,
    EquityUnit,
    RequirementTally,
    ResultRow,
    SchoolScore,
)
from campusplan.catalog.loader import Catalog, load_catalog
from campusplan.engine.assessment import Assessment, assess_frames
from campusplan.engine.document import SmartPhaseDoc
from campusplan.engine.indicators import equity_units, indicator_frame
from campusplan.schools import tailoring
from campusplan.schools.bulk import insert_frame
from campusplan.schools.choices import DeviationKind
from campusplan.schools.frames import stored_frames
from campusplan.schools.models import Deviation, School

COLUMNS = ("school_id", "requirement_id", "item", "status", "level", "actual", "required",
           "shortfall", "basis", "rows_short")


def assessment_run_create(*, schools, scope_kind: str, scope_code: str = "",
                          catalog: Catalog | None = None, as_of: dt.date | None = None,
                          user=None, actor: str = "", kind: str = "working", label: str = "",
                          progress: Callable | None = None
                          ) -> tuple[AssessmentRun, Assessment | None]:
    """Run the engine over stored schools; store the run: its full matrix as a file, in the
    database its gaps, violations, unknowns and waived rows, per-school scores and
    per-district tallies (assessments/matrix.py).

    More schools than `CAMPUSPLAN_RUN_BATCH` are assessed and written a few whole districts at
    a time (every rule the engine knows judges a school or its district), so memory is bounded
    by the batch, not the country; the Assessment is then not returned (None) — it would be the
    country's. Rows keep numbers only; explanations are rendered from them when read, in the
    reader's language (assessments/selectors.py). The use case (campusplan.usecases.runs)
    audits it."""
    catalog = catalog or load_catalog()
    schools = list(schools)
    day = as_of or timezone.localdate()
    params, in_force = tailoring.school_params(schools)
    batches = district_batches(schools, settings.CAMPUSPLAN_RUN_BATCH)
    counts: Counter[str] = Counter()
    result = None
    with transaction.atomic():
        record = AssessmentRun.objects.create(
            catalog_key=catalog.standard.key, catalog_version=catalog.version,
            catalog_checksum=catalog.checksum, as_of=day, created_by=user,
            actor=actor or getattr(user, "username", ""), scope_kind=scope_kind,
            scope_code=scope_code, schools=len(schools), kind=kind, label=label, parameters={
                d: {k: {"value": v, "level": lvl} for k, (v, lvl) in p.items()}
                for d, p in in_force.items()})
        _point(record, schools)
        writer = matrix.Writer(record.pk)
        table = partitions.create(record.pk) if partitions.wanted(len(schools)) else None
        try:
            for batch in batches:
                result = _store_batch(record, batch, catalog, day, params, writer, counts,
                                      progress, table)
            record.matrix_file = writer.close()
        except BaseException:
            writer.discard()
            raise
        record.results, record.counts = sum(counts.values()), dict(counts)
        record.save(update_fields=["matrix_file", "results", "counts"])
        if table:
            partitions.analyse()
            partitions.attach(record.pk)  # last: it locks the small runs' rows until commit
    return record, result if len(batches) == 1 else None


def district_batches(schools: list[School], size: int) -> list[list[School]]:
    """The schools in batches of whole districts, each of at most `size` schools unless one
    district alone is larger (at least one batch, possibly empty)."""
    by_district: dict[int, list[School]] = {}
    for s in schools:
        by_district.setdefault(s.district_id, []).append(s)
    batches: list[list[School]] = [[]]
    for group in by_district.values():
        if batches[-1] and len(batches[-1]) + len(group) > size:
            batches.append([])
        batches[-1].extend(group)
    return batches


def _store_batch(record: AssessmentRun, schools: list[School], catalog: Catalog,
                 day: dt.date, params: dict, writer: matrix.Writer, counts: Counter,
                 progress: Callable | None, table: str | None) -> Assessment:
    deviations = tailoring.valid_deviations(schools, day)
    frames = stored_frames(schools=schools, catalog=catalog, as_of=day,
                           approvals=approvals(deviations))
    result = assess_frames(catalog, frames, params={s.code: params[s.code] for s in schools
                                                    if s.code in params})
    waivers = {(d.school.code, d.requirement_id): d.pk for d in deviations
               if d.kind == DeviationKind.WAIVER}
    waived = {pair: waivers[pair] for pair in result.waive(set(waivers))}
    rows = result.annotated.select(*COLUMNS).with_columns(pl.col("status", "level").cast(pl.Utf8))
    counts.update(dict(rows.group_by("status").len().iter_rows()))
    by_code = {s.code: s for s in schools}
    full = _full_rows(rows, by_code, waived)
    writer.add(full)
    _store_rows(record, full, progress, table)
    _store_tallies(record, rows, by_code)
    _store_scores(record, result, by_code)
    _store_units(record, result, by_code)
    return result


def approvals(deviations: list[Deviation]) -> dict[str, dict]:
    """Per school code, what its valid approvals change in its profile: a data-centre approval
    (5.3 获批后开展建设) sets `approved_data_center`; a phase application granted (5.11 可申请增加)
    puts the school in that phase from the day it was granted. An expired one adds nothing, so
    the school is judged on its own profile again (schools/frames.py `stored_frames`)."""
    by_school: dict[str, dict] = {}
    for d in deviations:
        update = by_school.setdefault(d.school.code, {})
        if d.kind == DeviationKind.DATA_CENTER:
            update["approved_data_center"] = True
        elif d.kind == DeviationKind.SMART_PHASE and d.phase:
            update["smart_phase"] = SmartPhaseDoc(phase=d.phase, since=d.granted_on)
    return {code: update for code, update in by_school.items() if update}


def _point(record: AssessmentRun, schools: list[School]) -> None:
    """The schools' current run becomes this one: one pointer row each, upserted — the earlier
    runs' rows stay as they are, as history (nothing of them is rewritten). One statement, the
    ids as one parameter (`__among`, schools/lookups.py): Django's upsert of a model each took
    0.9 s for 10,000 schools (docs/scale.md)."""
    if not schools:
        return
    chosen = School.objects.filter(pk__among=[s.pk for s in schools]).order_by() \
        .annotate(run=Value(record.pk)).values_list("pk", "run")
    sql, params = chosen.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(CurrentRun._meta.db_table)} "
                       f"(school_id, run_id) {sql} "
                       "ON CONFLICT (school_id) DO UPDATE SET run_id = excluded.run_id", params)


TALLY_FIELDS = ("run", "district", "requirement_id", "item", "level", *RequirementTally.STATUSES)


def _store_tallies(record: AssessmentRun, rows: pl.DataFrame, by_code: dict[str, School]) -> None:
    """The run's status counts per (district, requirement, level), from the engine's frame."""
    districts = pl.DataFrame({"school_id": list(by_code),
                              "district": [s.district_id for s in by_code.values()]},
                             schema={"school_id": pl.Utf8, "district": pl.Int64})
    counts = (rows.select("school_id", "requirement_id", "item", "level", "status")
              .join(districts, on="school_id")
              .group_by("district", "requirement_id", "level")
              .agg(pl.col("item").min(),
                   *[(pl.col("status") == s).sum().alias(s) for s in RequirementTally.STATUSES]))
    insert_frame(RequirementTally, TALLY_FIELDS,
                 counts.select(pl.lit(record.pk).alias("run"), *TALLY_FIELDS[1:]))


def _store_scores(record: AssessmentRun, result: Assessment, by_code: dict[str, School]) -> None:
    """Each school's roll-up, with the district the run judged it in, and their sums per
    district (what the city dashboard adds)."""
    summary = result.summary(("school_id",)).join(key_ratios(result), on="school_id", how="left")
    names = set(summary.columns)  # a ratio the catalog does not define stays empty
    scores = summary.select(
        pl.lit(record.pk).alias("run"), _school_ids("school_id", by_code).alias("school"),
        _school_ids("school_id", by_code, "district_id").alias("district"),
        *[pl.col(k) if k in names else pl.lit(None, dtype=pl.Float64).alias(k)
          for k in SCORE_FIELDS])
    insert_frame(SchoolScore, ("run", "school", "district", *SCORE_FIELDS), scores)
    insert_frame(DistrictScore, ("run", "district", "schools", *DistrictScore.COUNTS),
                 scores.group_by("district").agg(
                     pl.len().alias("schools"), *[pl.col(k).sum() for k in DistrictScore.COUNTS])
                 .select(pl.lit(record.pk).alias("run"), "district", "schools",
                         *DistrictScore.COUNTS))


UNIT_FIELDS = ("run", "school", "stage", "measure", "amount", "base")


def _store_units(record: AssessmentRun, result: Assessment, by_code: dict[str, School]) -> None:
    """The schools' 差异系数 units, for the dashboards' weighted CV per district and 学段."""
    units = equity_units(result.catalog, result.frames)
    insert_frame(EquityUnit, UNIT_FIELDS, units.select(
        pl.lit(record.pk).alias("run"), _school_ids("school_id", by_code).alias("school"),
        *UNIT_FIELDS[2:]))
    # what the dashboards' 差异系数 read: the known units' sums per (district, 学段, measure)
    known = units.filter(pl.col("amount").is_not_null() & (pl.col("base") > 0))
    insert_frame(EquitySum, SUM_FIELDS, known.group_by(
        _school_ids("school_id", by_code, "district_id").alias("district"), "stage", "measure").agg(
        pl.len().alias("n"), pl.col("amount").sum().alias("x"), pl.col("base").sum().alias("p"),
        (pl.col("amount") * pl.col("amount") / pl.col("base")).sum().alias("x2p"))
        .select(pl.lit(record.pk).alias("run"), *SUM_FIELDS[1:]))


SUM_FIELDS = ("run", "district", "stage", "measure", "n", "x", "p", "x2p")


def _school_ids(column: str, by_code: dict[str, School], key: str = "pk") -> pl.Expr:
    """A column of school codes as the schools' ids (or another id of theirs: `district_id`)."""
    return pl.col(column).replace_strict({code: getattr(s, key) for code, s in by_code.items()},
                                         return_dtype=pl.Int64)


SCORE_FIELDS = ("met", "gaps", "violations", "judged", "applicable", "unknown", "optional_gaps",
                "rate", "completeness", *SchoolScore.RATIO_FIELDS)


def key_ratios(result: Assessment) -> pl.DataFrame:
    """Per school, the standard's key ratios (`indicators:` in the catalog YAML: 生机比, teacher
    computers per teacher, multimedia rooms per 100 students), in columns named by their keys;
    SchoolScore stores those it has a column for. Unknown inputs give unknown ratios."""
    return indicator_frame(result.catalog, result.frames)


ROW_FIELDS = ("run", "school", "requirement_id", "item", "status", "level", "actual",
              "required", "shortfall", "basis", "rows_short", "waived_by")


def _full_rows(rows: pl.DataFrame, by_code: dict[str, School],
               waived: dict[tuple[str, str], int]) -> pl.DataFrame:
    """The run's every row with the school's id and the waiver that set it aside, a school's
    rows together (in the catalog's order), as the (run, school, requirement) and (school, run,
    …) indexes have them, so each insert lands beside the one before instead of anywhere in the
    B-trees (≈2× on SQLite). A stable sort on the school's id alone: with the requirement too it
    took 0.65–0.8 s of 2.47 M rows, this 0.06 s."""
    waivers = pl.DataFrame([(c, r, pk) for (c, r), pk in waived.items()], orient="row",
                           schema={"school_id": pl.Utf8, "requirement_id": pl.Utf8,
                                   "waived_by": pl.Int64})
    return rows.with_columns(_school_ids("school_id", by_code).alias("school")) \
        .join(waivers, on=["school_id", "requirement_id"], how="left", maintain_order="left") \
        .sort("school", maintain_order=True)


def _store_rows(record: AssessmentRun, full: pl.DataFrame, progress: Callable | None,
                table: str | None) -> None:
    kept = full.filter(matrix.in_database()).select(
        pl.lit(record.pk).alias("run"), *ROW_FIELDS[1:])
    insert_frame(ResultRow, ROW_FIELDS, kept, progress, table)
