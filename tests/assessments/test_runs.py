"""Assessing stored schools equals assessing the same JSON files; the run is stored."""

import polars as pl
import pytest

from campusplan.assessments.models import AssessmentRun, ResultRow
from campusplan.assessments.selectors import current_matrix, current_rows, explanations
from campusplan.assessments.services import assessment_run_create
from campusplan.engine.assessment import run
from campusplan.engine.evaluate import specs
from campusplan.engine.inputs import load_json_files
from campusplan.schools.selectors import school_list, schools_as_inputs
from campusplan.usecases.imports import import_files
from tests.actors import operator
from tests.exchange.helpers import EXAMPLES

pytestmark = pytest.mark.django_db
FILES = sorted(EXAMPLES.glob("*.json"))


@pytest.fixture
def stored():
    assert import_files(actor=operator("test"), paths=FILES).ok


def _statuses(assessment) -> dict:
    df = assessment.annotated.select("school_id", "requirement_id",
                                     pl.col("status").cast(pl.Utf8))
    return {(a, b): c for a, b, c in df.iter_rows()}


def test_stored_schools_assess_like_their_files(stored, catalog):
    import datetime as dt

    day = dt.date(2026, 6, 1)
    from_files = run(catalog, load_json_files(FILES, catalog), day)
    from_db = run(catalog, schools_as_inputs(schools=school_list(), catalog=catalog), day)
    assert _statuses(from_db) == _statuses(from_files)


def test_run_is_stored_with_catalog_identity(stored, catalog):
    record, _result = assessment_run_create(schools=school_list(district="110112"),
                                            scope_kind="district", scope_code="110112",
                                            actor="wang")
    record = AssessmentRun.objects.get(pk=record.pk)
    assert (record.catalog_version, record.catalog_checksum) == (catalog.version, catalog.checksum)
    assert record.schools == 1 and record.results == len(specs(catalog))
    assert sum(record.counts.values()) == record.results
    # the database keeps the gaps, violations and unknowns; the run's file keeps every row
    assert ResultRow.objects.filter(run=record).count() == sum(
        record.counts.get(s, 0) for s in ("gap", "violation", "unknown"))
    assert ResultRow.objects.filter(run=record).exclude(
        status__in=("gap", "violation", "unknown")).count() == 0
    assert current_matrix(schools=school_list(district="110112")).height == record.results
    assert ResultRow.objects.filter(run=record, status="gap").exists()
    # rows keep numbers; the explanation is rendered when read, in the reader's language
    said = explanations(schools=school_list(district="110112"), catalog=catalog, lang="en")
    gap = ResultRow.objects.filter(run=record, status="gap").select_related("school").first()
    assert said[gap.school.code, gap.requirement_id]


def test_latest_results_per_school(stored):
    assessment_run_create(schools=school_list(), scope_kind="all")
    second, _ = assessment_run_create(schools=school_list(district="110108"),
                                      scope_kind="district", scope_code="110108")
    rows = current_rows(schools=school_list(district="110108")).select_related("school")
    assert rows and {r.school.code for r in rows} == {"1101080101"}
    assert {r.run_id for r in rows} == {second.pk}
    full = current_matrix(schools=school_list(district="110108"))
    assert set(full["run_id"]) == {second.pk} and full.height == second.results


def test_schools_judged_on_different_days_read_back_as_their_runs_saw_them(stored, catalog):
    """One reader over schools whose current runs are of different days: each school's frame
    row is the one its own run day gives (a smart-classroom phase's years depend on it), the
    schools stay in the caller's order, and each result sits on its own school."""
    import datetime as dt

    from campusplan.assessments.selectors import stored_assessment
    from campusplan.schools.frames import stored_frames

    schools = list(school_list())
    phased = [s for s in schools if s.smart_phase_since]
    later = next(s for s in schools if not s.smart_phase_since)
    assert phased
    early, late = dt.date(2024, 9, 1), dt.date(2026, 6, 1)
    assessment_run_create(schools=schools, scope_kind="all", as_of=early)
    assessment_run_create(schools=[later], scope_kind="district",
                          scope_code=later.district.code, as_of=late)
    assessment, info = stored_assessment(schools=schools, catalog=catalog)
    assert assessment.frames.schools["school_id"].to_list() == [s.code for s in schools]
    assert len(info.ids) == 2
    stored_statuses = {(c, r): s for c, r, s in current_matrix(schools=schools)
                       .select("code", "requirement_id", "status").iter_rows()}
    assert _statuses(assessment) == stored_statuses
    for school in schools:
        day = late if school == later else early
        alone = stored_frames(schools=[school], catalog=catalog, as_of=day).schools
        row = assessment.frames.schools.filter(pl.col("school_id") == school.code)
        assert row.to_dicts() == alone.to_dicts()
