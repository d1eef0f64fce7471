"""What a stored run keeps: a pointer per school (older runs never rewritten), the tallies the
dashboards add (equal to grouping the current rows), the Parquet matrix, and caches keyed on
the runs that judged the viewer's scope."""

from __future__ import annotations

import polars as pl
import pytest

from campusplan.assessments import dashboards, matrix
from campusplan.assessments.models import (
    AssessmentRun,
    CurrentRun,
    RequirementTally,
    ResultRow,
)
from campusplan.assessments.selectors import current_matrix, current_rows
from campusplan.schools.models import School
from campusplan.usecases.facts import set_fact
from tests import factories
from tests.actors import operator

pytestmark = pytest.mark.django_db

HD, FT = "110108", "110106"
EXAMPLES = ("complete-secondary.json", "nine-year-school.json", "small-primary.json",
            "violations.json")


@pytest.fixture
def world(tmp_path):
    """Three schools in Haidian and two in Fengtai, imported (one run each import) and then
    assessed district by district."""
    docs = [factories.school_doc(example=e, code=f"{HD}0{i}01", name=f"海淀{i}", district=HD)
            for i, e in enumerate(EXAMPLES[:3], start=1)]
    docs += [factories.school_doc(example=e, code=f"{FT}0{i}01", name=f"丰台{i}", district=FT)
             for i, e in enumerate(EXAMPLES[2:], start=1)]
    factories.stored(paths=[factories.write_file(path=tmp_path / "s.json", schools=docs)])
    runs = {d: factories.assessed(schools=School.objects.filter(district__code=d))
            for d in (HD, FT)}
    return {"runs": runs, "city": factories.user(username="city", role="city")}


def _rows(run) -> list[tuple]:
    return sorted(ResultRow.objects.filter(run=run).values_list(
        "school_id", "requirement_id", "status", "actual", "shortfall"))


def test_a_new_run_moves_the_pointer_and_rewrites_no_row_of_older_runs(world):
    old = world["runs"][HD]
    before = _rows(old)
    school = School.objects.get(code=f"{HD}0101")
    set_fact(actor=operator(), school=school, key="video_retention_days", value=12)
    assert _rows(old) == before  # the older run's rows as they were
    pointers = dict(CurrentRun.objects.values_list("school__code", "run_id"))
    assert pointers[school.code] > old.pk
    assert {c: r for c, r in pointers.items() if c.startswith(HD) and c != school.code} \
        == {f"{HD}0201": old.pk, f"{HD}0301": old.pk}
    assert set(current_rows(schools=[school]).values_list("run_id", flat=True)) \
        == {pointers[school.code]}


def _nonzero(tallies) -> dict:
    return {(t["requirement_id"], t["item"]): {k: t[k] for k in dashboards.TALLIED}
            for t in tallies if any(t[k] for k in dashboards.TALLIED)}


def test_the_stored_tallies_equal_the_current_rows_grouped_after_partial_runs(world):
    school = School.objects.get(code=f"{HD}0201")
    set_fact(actor=operator(), school=school, key="video_retention_days", value=12)
    set_fact(actor=operator(), school=school, key="video_retention_days", value=40)
    for scope in (School.objects.all(), School.objects.filter(district__code=HD),
                  School.objects.filter(district__code=FT)):
        expected = _nonzero(dashboards._grouped(current_matrix(schools=scope)))
        assert _nonzero(dashboards._requirement_tallies(
            scope, dashboards.Whole.of(scope))) == expected
        assert expected  # the comparison is not of two empty sets
    # the tallies a run stored are its own rows counted per district
    run = world["runs"][FT]
    stored = RequirementTally.objects.filter(run=run)
    assert sum(t.met + t.gap + t.violation + t.unknown + t.not_applicable for t in stored) \
        == run.results


def _sums_equal_grouping(scope) -> None:
    """The district figures from the runs' stored sums equal the current rows grouped: score
    totals per district, 差异系数 cells, requirement tallies."""
    whole = dashboards.Whole.of(scope)
    assert whole is not None

    def by_code(rows):
        return sorted(rows, key=lambda r: r["school__district__code"])

    grouped = by_code(dashboards._group_scores(scope, "school__district__code"))
    assert by_code(dashboards._district_scores(whole)) == grouped and grouped
    expected = dashboards.equity_rows(scope)
    got = dashboards.equity_rows(scope, whole)
    assert [(r["code"], r["stage"], {m: c["n"] for m, c in r["cells"].items()}) for r in got] \
        == [(r["code"], r["stage"], {m: c["n"] for m, c in r["cells"].items()})
            for r in expected] and expected
    for g, e in zip(got, expected, strict=True):
        for m, cell in g["cells"].items():
            assert cell["value"] == pytest.approx(e["cells"][m]["value"], rel=1e-9)
            # a CV near 0 is the sums' rounding either way (engine.equity.spread_of_sums): the
            # page shows 3 decimals
            assert cell["cv"] == pytest.approx(e["cells"][m]["cv"], rel=1e-9, abs=1e-6)
            assert cell["ok"] == e["cells"][m]["ok"]
    assert _nonzero(dashboards._requirement_tallies(scope, whole)) == _nonzero(
        dashboards._grouped(current_matrix(schools=scope)))


def test_the_stored_district_sums_equal_grouping_after_partial_runs(world):
    """A city-wide run, then one school edited twice (its own one-school runs): each scope's
    district totals and 差异系数 read from the runs' stored sums less the stale school."""
    factories.assessed(schools=School.objects.all())
    school = School.objects.get(code=f"{HD}0201")
    set_fact(actor=operator(), school=school, key="video_retention_days", value=12)
    set_fact(actor=operator(), school=school, key="video_retention_days", value=40)
    for scope in (School.objects.all(), School.objects.filter(district__code=HD),
                  School.objects.filter(district__code=FT)):
        _sums_equal_grouping(scope)
    assert dashboards.Whole.of(School.objects.all()).stale  # the edited school's older rows


def test_the_city_compares_row_by_row_only_the_runs_that_may_be_stale(world):
    """For every school's scope a run with as many pointers as schools it judged has no stale
    rows (its score rows are not compared one by one); a run a later run re-judged in part is
    compared, and so is one whose schools lost their pointer to a newer run that was deleted —
    the figures equal the current rows grouped in each case."""
    full = factories.assessed(schools=School.objects.all())
    assert dashboards._maybe_stale({full.pk}) == set()
    assert dashboards.Whole.of(School.objects.all()).stale == []
    school = School.objects.get(code=f"{HD}0201")
    set_fact(actor=operator(), school=school, key="video_retention_days", value=12)
    edit = CurrentRun.objects.get(school=school).run_id
    assert dashboards._maybe_stale({full.pk, edit}) == {full.pk}
    _sums_equal_grouping(School.objects.all())
    AssessmentRun.objects.filter(pk=edit).delete()  # its pointer goes with it
    assert not CurrentRun.objects.filter(school=school).exists()
    assert dashboards._maybe_stale({full.pk}) == {full.pk}
    whole = dashboards.Whole.of(School.objects.all())
    assert [r["school_id"] for r in whole.stale] == [school.pk]
    _sums_equal_grouping(School.objects.all())


def test_a_school_that_moved_counts_in_its_new_district_once(world):
    """Re-assessed after moving (as every write re-assesses the schools it touched), a school
    counts in its new district's figures, and no longer in its old one's, though the run that
    judged it in the old district is still current for that district's other schools."""
    factories.assessed(schools=School.objects.all())
    school = School.objects.get(code=f"{HD}0201")
    School.objects.filter(pk=school.pk).update(district=School.objects.get(
        code=f"{FT}0101").district)
    factories.assessed(schools=School.objects.filter(pk=school.pk))
    for scope in (School.objects.all(), School.objects.filter(district__code=HD),
                  School.objects.filter(district__code=FT)):
        _sums_equal_grouping(scope)
    totals = {r["school__district__code"]: r["schools"]
              for r in dashboards._district_scores(dashboards.Whole.of(School.objects.all()))}
    assert totals == {HD: 2, FT: 3}


def test_a_part_of_a_district_is_grouped_over_its_rows(world):
    part = School.objects.filter(code=f"{HD}0101")
    assert dashboards.Whole.of(part) is None
    assert _nonzero(dashboards._requirement_tallies(part, None)) == _nonzero(
        dashboards._grouped(current_matrix(schools=part)))


def test_each_run_writes_its_matrix_as_parquet(world):
    run = world["runs"][FT]
    frame = matrix.read(run.matrix_file)
    assert frame is not None and frame.height == run.results
    assert dict(frame.group_by("status").len().iter_rows()) == run.counts
    assert matrix.path(run.matrix_file).suffix == ".parquet"
    assert matrix.read("") is None and matrix.read("run-0-gone.parquet") is None


def test_the_database_keeps_what_lists_read_and_the_file_the_rest(world):
    """Only gaps, violations, unknowns (and waived rows) are rows in the database; a school's
    every row — met and not applicable too — is read back from the file, equal to the engine's."""
    run = world["runs"][FT]
    stored = list(ResultRow.objects.filter(run=run).values_list(
        "school_id", "requirement_id", "status", "actual", "shortfall"))
    assert stored and {r[2] for r in stored} <= {"gap", "violation", "unknown"}
    full = matrix.read(run.matrix_file)
    assert set(full["status"]) >= {"met", "not_applicable", "gap"}
    kept = full.filter(matrix.in_database()).select(
        "school", "requirement_id", "status", "actual", "shortfall")
    assert sorted(kept.iter_rows()) == sorted(stored)
    one = School.objects.get(code=f"{FT}0101")
    rows = current_matrix(schools=[one])
    assert rows.height == full.filter(pl.col("school") == one.pk).height > 0
    assert set(rows["run_id"]) == {run.pk}


def test_a_school_s_rows_fall_back_to_the_database_when_the_file_is_gone(world):
    run = world["runs"][FT]
    matrix.path(run.matrix_file).unlink()
    one = School.objects.get(code=f"{FT}0101")
    rows = current_matrix(schools=[one])
    assert set(rows["status"]) <= {"gap", "violation", "unknown"}
    assert rows.height == ResultRow.objects.filter(run=run, school=one).count() > 0


def test_a_run_in_one_district_leaves_the_other_districts_dashboard_warm(world, monkeypatch):
    built = []
    real = dashboards._school_rows
    monkeypatch.setattr(dashboards, "_school_rows", lambda s: built.append(1) or real(s))
    user = world["city"]
    dashboards.district_overview(user=user, code=FT)
    dashboards.district_overview(user=user, code=HD)
    assert len(built) == 2
    set_fact(actor=operator(), school=School.objects.get(code=f"{HD}0101"),
             key="video_retention_days", value=12)
    dashboards.district_overview(user=user, code=FT)
    assert len(built) == 2  # Fengtai's entry is still warm
    dashboards.district_overview(user=user, code=HD)
    assert len(built) == 3  # Haidian's was rebuilt from the new run


def test_a_deleted_run_takes_its_matrix_file(world, django_capture_on_commit_callbacks):
    run = world["runs"][FT]
    target = matrix.path(run.matrix_file)
    assert target.exists()
    with django_capture_on_commit_callbacks(execute=True):
        run.delete()
    assert not target.exists()
    assert matrix.path(world["runs"][HD].matrix_file).exists()  # another run's file stays


def test_a_run_in_batches_of_districts_stores_what_one_batch_stores(world, settings):
    """CAMPUSPLAN_RUN_BATCH bounds a run's memory by assessing whole districts at a time; the
    stored run is the same as in one batch: file, database rows, tallies and scores."""
    from campusplan.assessments.models import SchoolScore
    from campusplan.assessments.services import district_batches

    schools = list(School.objects.select_related("district").order_by("code"))
    assert [len(b) for b in district_batches(schools, 1)] == [2, 3]  # whole districts (Fengtai, Haidian)
    assert [len(b) for b in district_batches(schools, 5)] == [5]
    whole = factories.assessed(schools=schools)
    settings.CAMPUSPLAN_RUN_BATCH = 1
    parts = factories.assessed(schools=schools)

    def stored(run):
        frame = matrix.read(run.matrix_file).drop("school").sort("school_id", "requirement_id")
        tallies = sorted(RequirementTally.objects.filter(run=run).values_list(
            "district_id", "requirement_id", "level", *RequirementTally.STATUSES))
        scores = sorted(SchoolScore.objects.filter(run=run).values_list(
            "school_id", "met", "gaps", "violations", "judged", "rate"))
        return (frame.rows(), _rows(run), tallies, scores, run.results, run.counts)

    one, two = stored(whole), stored(parts)
    assert one[0] and one[1] and one[2]
    assert [len(x) if isinstance(x, list) else x for x in one] == \
        [len(x) if isinstance(x, list) else x for x in two]
    assert one == two


@pytest.mark.parametrize("batch", [1, 10_000])
def test_a_run_whose_file_cannot_be_written_stores_nothing(world, settings, monkeypatch, batch):
    """The file's parts are written in a thread beside the run: a part that fails fails the
    run — no run, no rows, no part left behind — in one batch or several."""
    settings.CAMPUSPLAN_RUN_BATCH = batch
    schools = list(School.objects.select_related("district").order_by("code"))
    before = (AssessmentRun.objects.count(), ResultRow.objects.count(),
              sorted(p.name for p in matrix.path("").rglob("*")))

    def full(part, rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matrix, "_write_part", full)
    with pytest.raises(OSError, match="No space"):
        factories.assessed(schools=schools)
    assert (AssessmentRun.objects.count(), ResultRow.objects.count(),
            sorted(p.name for p in matrix.path("").rglob("*"))) == before
