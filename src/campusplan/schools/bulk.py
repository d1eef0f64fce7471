"""Fast inserts for the tables that grow by the hundred thousand (fact values, result rows,
audit rows, a run's tallies and equity units).

`Model.objects.bulk_create` builds a model instance per row and prepares every value through the
field API: about 70 µs a row, most of a 300-school import. Here the rows are plain tuples in the
model's own column order, values already in database form (numbers, text, booleans, and
datetimes/dates prepared once by the caller with `prep`), streamed to the database in one
statement: COPY on PostgreSQL (psycopg's `cursor.copy`, ≈5× Django's client-side-binding
`executemany`), one prepared `executemany` in an immediate transaction on SQLite
(benchmarks/bulk_bench.py measures both against the chunked executemany this replaced).
No signals are sent — neither does bulk_create; the callers record provenance themselves.

The rows are read while the statement runs, so producing them must not query the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

CHUNK = 5000  # rows between two progress reports


def prep(model: type[Model], field: str, value: Any) -> Any:
    """A value as the database stores it (e.g. an aware datetime for SQLite)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]],
                progress=None, total: int | None = None) -> int:
    """Insert the rows; the number inserted. `progress(label, done, total)` every CHUNK rows."""
    meta, qn = model._meta, connection.ops.quote_name
    table = qn(meta.db_table)
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    counted = _Counted(rows, progress, str(meta.verbose_name_plural), total)
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor: no per-row work in Django's wrapper
        if connection.vendor == "postgresql":
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in counted:
                    copy.write_row(row)
        else:
            marks = ", ".join(["?"] * len(fields))
            sqlite3.Cursor.executemany(raw, f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                                       counted)
    return counted.done


class _Counted:
    """The rows as tuples, counted, with a progress report every CHUNK."""

    def __init__(self, rows: Iterable[Sequence[Any]], progress, label: str, total: int | None):
        self.rows, self.progress, self.label, self.total = rows, progress, label, total
        self.done = 0

    def __iter__(self) -> Iterator[tuple]:
        for row in self.rows:
            yield tuple(row)
            self.done += 1
            if self.progress and self.done % CHUNK == 0:
                self.progress(self.label, self.done, self.total)
