"""Migration 0009 sets each school's current-run pointer from the `current` flags of an existing
database, and the tallies of the runs pointed at, before 0010 drops the flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("assessments", "0008_run_parameters_waivers")]
AFTER = [("assessments", "0010_drop_current_flags")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_pointers_and_tallies_come_from_the_current_flags():
    apps = _migrate(BEFORE)
    try:
        District = apps.get_model("schools", "District")
        School = apps.get_model("schools", "School")
        Run = apps.get_model("assessments", "AssessmentRun")
        Row = apps.get_model("assessments", "ResultRow")
        Score = apps.get_model("assessments", "SchoolScore")
        d = District.objects.create(code="110108", name="海淀区")
        a, b = (School.objects.create(code=c, name=c, district=d, school_type="211")
                for c in ("1101080101", "1101080102"))
        old, new = (Run.objects.create(catalog_key="k", catalog_version="v",
                                       catalog_checksum="c", as_of=dt.date(2026, 9, 1),
                                       scope_kind="district", scope_code="110108")
                    for _ in range(2))
        # old judged both; new judged only a, so b's current rows are still old's
        for run, school, status, current in ((old, a, "gap", False), (old, b, "met", True),
                                             (new, a, "met", True)):
            Row.objects.create(run=run, school=school, requirement_id="5-1", item=5,
                               status=status, level="required", current=current)
            Score.objects.create(run=run, school=school, current=current)
        apps = _migrate(AFTER)
        CurrentRun = apps.get_model("assessments", "CurrentRun")
        Tally = apps.get_model("assessments", "RequirementTally")
        assert dict(CurrentRun.objects.values_list("school__code", "run_id")) == {
            "1101080101": new.pk, "1101080102": old.pk}
        assert sorted(Tally.objects.values_list("run_id", "requirement_id", "met", "gap")) \
            == [(old.pk, "5-1", 1, 1), (new.pk, "5-1", 1, 0)]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
