"""Benchmark of a stored run of the demo city (not run by the test suite).

    .venv/bin/python benchmarks/store_bench.py                  # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/campusplan_bench .venv/bin/python ...
    PYTHONPATH=<an older checkout>/src .venv/bin/python benchmarks/store_bench.py   # before

Loads the demo (`campusplan demo`: 1,700 schools, 16 districts; its import stores a first run),
then times, in the same process: the engine alone over every school (the baseline), two stored
city runs (`usecases.runs.assess`: engine + rows, scores, tallies, equity units, pointer,
Parquet — the second is where the flags used to be rewritten), and the city dashboard built
cold. Prints each and its ratio to the engine alone; where the tallies exist, also the
dashboards' requirement figures from the tallies against grouping the current rows (the query
they replaced). PostgreSQL's database is flushed first: use a database of its own, migrated by
the checkout being measured.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from _django import setup

CPU: list[float] = []  # this process's CPU seconds of the last timed call


def timed(fn) -> tuple[float, object]:
    """Wall seconds (and, in CPU, this process's CPU seconds: steadier on a shared machine;
    PostgreSQL's own work is in the wall time only)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    CPU[:] = [time.process_time() - c]
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=1700)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp, cache_table=True)
        from django.core.cache import cache
        from django.db import connection
        from django.utils import timezone
        from tests import factories

        from campusplan.accounts import audit
        from campusplan.assessments import dashboards
        from campusplan.catalog import load_catalog
        from campusplan.cli.demo import _load
        from campusplan.engine.assessment import run
        from campusplan.schools.models import School
        from campusplan.schools.selectors import schools_as_inputs
        from campusplan.usecases import runs

        _load(args.schools, 2021)
        catalog = load_catalog()
        schools = list(School.objects.select_related("district").order_by("code"))
        actor = audit.actor_for(None, "cli", name="store_bench")
        engine, _ = timed(lambda: run(catalog, schools_as_inputs(schools=schools,
                                                                 catalog=catalog),
                                      timezone.localdate()))
        engine_cpu = CPU[0]
        first, record = timed(lambda: runs.assess(actor=actor, schools=schools)[0])
        first_cpu = CPU[0]
        second, _ = timed(lambda: runs.assess(actor=actor, schools=schools))
        second_cpu = CPU[0]
        city = factories.user(username="bench-city", role="city")
        cache.clear()
        cold, _ = timed(lambda: dashboards.city_overview(user=city))
        print(f"{connection.vendor}: {len(schools):,} schools, {record.results:,} rows a run")
        print(f"  engine alone        {engine:6.2f} s wall {engine_cpu:6.2f} s CPU  (baseline)")
        for name, s, c in (("stored run, first", first, first_cpu),
                           ("stored run, second", second, second_cpu)):
            print(f"  {name:19} {s:6.2f} s wall {c:6.2f} s CPU  {s / engine:5.1f}× the engine")
        print(f"  city dashboard cold {cold * 1000:6.0f} ms")
        if hasattr(dashboards, "_grouped"):
            from campusplan.assessments.selectors import current_rows

            every = School.objects.all()
            grouped, _ = timed(lambda: dashboards._grouped(current_rows(schools=every)))
            tallied, _ = timed(lambda: dashboards._requirement_tallies(every))
            print(f"  requirement figures: grouped rows {grouped * 1000:.0f} ms, stored tallies "
                  f"{tallied * 1000:.0f} ms, ratio {grouped / tallied:.1f}×")


if __name__ == "__main__":
    main()
