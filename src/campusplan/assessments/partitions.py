"""A large run's result rows in a partition of their own (PostgreSQL).

Migration 0014 partitions `assessments_resultrow` by run (LIST on run_id); the rows of most runs
— a fact edit's one school, a district of a few hundred — go to its DEFAULT partition. A run of
at least `CAMPUSPLAN_PARTITION_SCHOOLS` schools is written into a table of its own with no
index (`create`), and attached when its rows are in (`attach`): PostgreSQL then builds the
partition's indexes once, sorted, instead of inserting each row into every B-tree of a table
that holds every earlier run — 646,603 rows: 12.3 s into a table of 6.5 M, 4.4 s loaded then
indexed (docs/scale.md). An old large run is dropped as a table (`drop`), not deleted row by row.

Attaching takes an ACCESS EXCLUSIVE lock on the DEFAULT partition (PostgreSQL scans it for rows
of the new run; there are none) until the run's transaction commits: `attach` is the run's last
statement. SQLite has no partitions: there every function here does nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from campusplan.assessments.models import (
    CurrentRun,
    EquityUnit,
    RequirementTally,
    ResultRow,
    SchoolScore,
)

ATTACH_MEMORY = "512MB"


def wanted(schools: int) -> bool:
    return connection.vendor == "postgresql" and schools >= settings.CAMPUSPLAN_PARTITION_SCHOOLS


def name(run_id: int) -> str:
    return f"{ResultRow._meta.db_table}_run{int(run_id)}"


def create(run_id: int) -> str:
    """An empty table for the run's rows (the parent's columns and defaults, ids from its
    sequence), checked to hold this run only, so that attaching it needs no scan of it."""
    parent, table, run = ResultRow._meta.db_table, name(run_id), int(run_id)
    with connection.cursor() as c:
        # a table left by a run of the same id (a database flushed without resetting its
        # partitions, as Django's test flush does) holds nothing of this run: replace it
        c.execute(f"DROP TABLE IF EXISTS {table}")
        c.execute(f"CREATE TABLE {table} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        c.execute(f"ALTER TABLE {table} ADD CONSTRAINT {table}_only CHECK (run_id = {run})")
    return table


def attach(run_id: int) -> None:
    """The run's table becomes its partition: its indexes and foreign key are built now. Its
    statistics first: the pages read the new run at once, before autovacuum would analyse it
    (PostgreSQL plans its rows as an empty table until then)."""
    with connection.cursor() as c:
        c.execute(f"ANALYZE {name(run_id)}")
        # more memory for the index builds' sorts than PostgreSQL's default 64 MB, whose sorts
        # of a 10,000-school run spill to disk: attach 4.1–4.5 → 3.7–3.9 s (docs/scale.md).
        # Until the run's transaction ends, which the attach is the last statement of.
        c.execute(f"SET LOCAL maintenance_work_mem = '{ATTACH_MEMORY}'")
        c.execute(f"ALTER TABLE {ResultRow._meta.db_table} ATTACH PARTITION {name(run_id)} "
                  f"FOR VALUES IN ({int(run_id)})")


def analyse() -> None:
    """Fresh statistics for the tables a large run added to (scores, tallies, equity units,
    pointers): the dashboards read them as soon as the run commits, and until autovacuum's
    analyse PostgreSQL would plan them as the tables were before the run (the city page's
    first build right after a 10,000-school run: 731 ms before, 321 ms with it;
    docs/scale.md). Each samples at most 30,000 rows."""
    tables = (SchoolScore, RequirementTally, EquityUnit, CurrentRun)
    with connection.cursor() as c:
        c.execute("ANALYZE " + ", ".join(m._meta.db_table for m in tables))


def drop(run_ids) -> int:
    """Drop the partitions of these runs (those that have one); how many were dropped."""
    if connection.vendor != "postgresql":
        return 0
    tables = [name(r) for r in run_ids]
    with connection.cursor() as c:
        c.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'",
                  [tables])
        found = [r[0] for r in c.fetchall()]
        for table in found:
            c.execute(f"DROP TABLE {table}")
    return len(found)
