"""A large run's result rows in a partition of their own on PostgreSQL (assessments/partitions.py,
migration 0014): stored, read and deleted as any run's rows are; the migration keeps every row
both ways. On SQLite there are no partitions and the same runs store the same rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campusplan.assessments import partitions
from campusplan.assessments.models import AssessmentRun, CurrentRun, ResultRow
from campusplan.assessments.selectors import current_matrix, current_rows
from campusplan.schools.models import School
from tests import factories
from tests.exchange.helpers import EXAMPLES

FILES = sorted(EXAMPLES.glob("*.json"))


def _rows(run) -> list[tuple]:
    return sorted(ResultRow.objects.filter(run=run).values_list(
        "school_id", "requirement_id", "item", "status", "level", "actual", "required",
        "shortfall", "basis", "rows_short", "waived_by_id"))


def _judged(school) -> list[tuple]:
    return sorted(current_matrix(schools=[school]).select(
        "requirement_id", "status", "actual", "required").iter_rows())


def _partitions() -> set[str]:
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as c:
        c.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                  "WHERE i.inhparent = %s::regclass", [ResultRow._meta.db_table])
        return {r[0] for r in c.fetchall()}


@pytest.fixture
def stored(db):
    factories.stored(paths=FILES)
    return list(School.objects.select_related("district").order_by("code"))


def test_a_large_run_stores_in_its_partition_what_a_small_run_stores(stored, settings):
    settings.CAMPUSPLAN_PARTITION_SCHOOLS = 10**6
    small = factories.assessed(schools=stored)
    settings.CAMPUSPLAN_PARTITION_SCHOOLS = len(stored)
    large = factories.assessed(schools=stored)
    on_pg = connection.vendor == "postgresql"
    assert partitions.wanted(len(stored)) == on_pg
    assert (partitions.name(large.pk) in _partitions()) == on_pg
    assert partitions.name(small.pk) not in _partitions()
    rows = _rows(large)
    assert rows and rows == _rows(small)
    # the large run is current: lists read its rows through the parent table
    assert set(current_rows(schools=stored).values_list("run_id", flat=True)) == {large.pk}
    assert current_rows(schools=stored).count() == len(rows)


def test_deleting_a_large_run_drops_its_partition_and_keeps_the_others(stored, settings):
    settings.CAMPUSPLAN_PARTITION_SCHOOLS = 1
    first, second = factories.assessed(schools=stored), factories.assessed(schools=stored)
    kept = _rows(first)
    AssessmentRun.objects.filter(pk=second.pk).delete()
    assert partitions.name(second.pk) not in _partitions()
    assert not ResultRow.objects.filter(run_id=second.pk).exists()
    assert _rows(first) == kept and kept
    assert (partitions.name(first.pk) in _partitions()) == (connection.vendor == "postgresql")


def test_a_run_replaces_a_partition_left_by_a_run_of_the_same_id(stored, settings):
    """A flushed database (Django's test flush truncates the rows, not the partitions) may
    give a new run the id of a partition's: the empty table is replaced."""
    settings.CAMPUSPLAN_PARTITION_SCHOOLS = 1
    run = factories.assessed(schools=stored)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute(f"CREATE TABLE {partitions.name(run.pk + 1)} PARTITION OF "
                      f"{ResultRow._meta.db_table} FOR VALUES IN ({run.pk + 1})")
    again = factories.assessed(schools=stored)
    assert again.pk == run.pk + 1
    assert _rows(again) == _rows(run)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_row_both_ways(settings):
    factories.stored(paths=FILES)
    schools = list(School.objects.select_related("district").order_by("code"))
    settings.CAMPUSPLAN_PARTITION_SCHOOLS = 1
    large = factories.assessed(schools=schools)
    settings.CAMPUSPLAN_PARTITION_SCHOOLS = 10**6
    small = factories.assessed(schools=schools)
    runs = list(AssessmentRun.objects.order_by("pk"))  # the import's run too
    before = {r.pk: _rows(r) for r in runs}
    assert {large.pk, small.pk} <= set(before)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("assessments", "0013_result_row_keys_unchecked")])
        with connection.cursor() as c:
            c.execute(f"SELECT run_id, count(*) FROM {ResultRow._meta.db_table} GROUP BY run_id")
            assert dict(c.fetchall()) == {pk: len(rows) for pk, rows in before.items()}
        assert not _partitions()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    # back on the partitioned table: the rows as they were, and a large run partitions again
    assert {r.pk: _rows(r) for r in runs} == before
    settings.CAMPUSPLAN_PARTITION_SCHOOLS = 1
    again = factories.assessed(schools=schools)
    assert _rows(again) == before[large.pk]
    assert (partitions.name(again.pk) in _partitions()) == (connection.vendor == "postgresql")


@pytest.mark.django_db(transaction=True)
def test_a_large_run_and_a_fact_edit_at_once_both_land(settings):
    """The large run attaches its partition last, locking the DEFAULT partition where the
    edit's one-school run writes: one waits for the other, neither fails, and the school's
    current run is the one that committed last."""
    from campusplan.usecases.facts import set_fact
    from tests.actors import operator
    from tests.usecases.test_concurrency import _together

    factories.stored(paths=FILES)
    schools = list(School.objects.select_related("district").order_by("code"))
    one = schools[0]
    settings.CAMPUSPLAN_PARTITION_SCHOOLS = len(schools)
    large, edit = _together(lambda: factories.assessed(schools=schools),
                            lambda: set_fact(actor=operator(), school=one,
                                             key="video_retention_days", value=33))
    assert isinstance(large, AssessmentRun), large
    assert not isinstance(edit, Exception), edit
    assert CurrentRun.objects.get(school=one).run_id in {large.pk, edit.run.pk}
    # whichever committed last, the school's current result is that of its facts now
    judged = _judged(one)
    factories.assessed(schools=[one])
    assert _judged(one) == judged
    assert _rows(large)
    assert (partitions.name(large.pk) in _partitions()) == (connection.vendor == "postgresql")
