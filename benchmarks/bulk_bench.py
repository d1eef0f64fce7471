"""Benchmark of `schools.bulk.insert_rows` against the chunked Django `executemany` it replaced
(not run by the test suite).

    .venv/bin/python benchmarks/bulk_bench.py                     # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/campusplan_bench .venv/bin/python ...

Inserts N result rows (default 200,000; the 10× demo city writes ≈4 M per run) into an empty
ResultRow table, once through the old path (Django's cursor `executemany`, 5,000 rows a call, in
one transaction — its best case) and once through insert_rows (COPY on PostgreSQL, one prepared
executemany on SQLite), each three times alternating, and prints the best of each and the ratio.
PostgreSQL's database is flushed first: use a database of its own.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from _django import setup

FIELDS = ("run", "school", "requirement_id", "item", "status", "level", "actual", "required",
          "shortfall", "basis", "rows_short", "waived_by")


def chunked_executemany(model, fields, rows) -> int:
    """The path before: Django's cursor wrapper, one executemany per 5,000 rows."""
    from django.db import connection, transaction

    meta, qn = model._meta, connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    sql = (f"INSERT INTO {qn(meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    done, chunk = 0, []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            chunk.append(tuple(row))
            if len(chunk) == 5000:
                cursor.executemany(sql, chunk)
                done, chunk = done + len(chunk), []
        if chunk:
            cursor.executemany(sql, chunk)
            done += len(chunk)
    return done


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection

        from campusplan.assessments.models import AssessmentRun, ResultRow
        from campusplan.schools.bulk import insert_rows
        from campusplan.schools.models import District, School

        district = District.objects.create(code="110108", name="海淀区")
        schools = [School.objects.create(code=f"{1110000000 + i}", name=f"学校{i}",
                                         district=district, school_type="211")
                   for i in range(args.rows // 250 + 1)]
        run = AssessmentRun.objects.create(catalog_key="k", catalog_version="v",
                                           catalog_checksum="c", as_of="2026-09-01",
                                           scope_kind="all")
        statuses = ("met", "gap", "violation", "unknown", "not_applicable")

        def rows():
            for i in range(args.rows):
                yield (run.pk, schools[i // 250].pk, f"{i % 250}-1", i % 30 + 1,
                       statuses[i % 5], "required", float(i % 17), 10.0,
                       None if i % 3 else 2.5, 100.0, None, None)

        best = {"executemany": float("inf"), "insert_rows": float("inf")}
        for _ in range(3):
            for name, write in (("executemany", chunked_executemany), ("insert_rows", insert_rows)):
                ResultRow.objects.all().delete()
                t = time.perf_counter()
                assert write(ResultRow, FIELDS, rows()) == args.rows
                best[name] = min(best[name], time.perf_counter() - t)
        ResultRow.objects.all().delete()
        print(f"{connection.vendor}: {args.rows:,} result rows")
        for name, s in best.items():
            print(f"  {name:12} {s:6.2f} s  {args.rows / s:10,.0f} rows/s")
        print(f"  ratio (old / new): {best['executemany'] / best['insert_rows']:.1f}×")


if __name__ == "__main__":
    main()
