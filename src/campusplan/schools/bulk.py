"""Fast reads and inserts for the tables that grow by the hundred thousand (fact values, result
rows, audit rows, a run's tallies, scores and equity units).

`Model.objects.bulk_create` builds a model instance per row and prepares every value through the
field API: about 70 µs a row, most of a 300-school import. Here the rows are plain tuples in the
model's own column order, values already in database form (numbers, text, booleans, and
datetimes/dates prepared once by the caller with `prep`), streamed to the database in one
statement per CHUNK rows: COPY on PostgreSQL (psycopg's `cursor.copy`, ≈5× Django's
client-side-binding `executemany`), one prepared `executemany` in an immediate transaction on
SQLite (benchmarks/bulk_bench.py measures both against the chunked executemany this replaced).
No signals are sent — neither does bulk_create; the callers record provenance themselves.

Progress is reported between two statements, never inside one: a report may write to the
database (a background job records its progress), and a connection inside a COPY can do nothing
else — a report there waited forever for the COPY it was part of.

A stored run reads and writes Polars frames of millions of rows: `read_frame` and `insert_frame`
move them as CSV on PostgreSQL (one CSV text joined by the server, or `COPY … TO STDOUT`, parsed
by Polars' reader; `COPY … FROM STDIN` from Polars' writer), no Python object per value — at
10,000 schools the fact values' 3.8 M rows were ≈ 6 s of Python through the cursor, the result
rows' 650,000 ≈ 4 s of `write_row` (docs/scale.md). On SQLite the same functions go through the
cursor.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

import polars as pl
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Model, QuerySet

CHUNK = 5000  # rows per statement, and between two progress reports
FRAME_CHUNK = 100_000  # rows of a frame per COPY of CSV (and per progress report)


def prep(model: type[Model], field: str, value: Any) -> Any:
    """A value as the database stores it (e.g. an aware datetime for SQLite)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]],
                progress=None, total: int | None = None, table: str | None = None) -> int:
    """Insert the rows; the number inserted. `progress(label, done, total)` after every CHUNK
    rows. `table`: another table of the model's columns (a partition of its own for a large
    run)."""
    meta, qn = model._meta, connection.ops.quote_name
    table = qn(table or meta.db_table)
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    label, done, rows = str(meta.verbose_name_plural), 0, iter(rows)
    pg = connection.vendor == "postgresql"
    sql = f"COPY {table} ({columns}) FROM STDIN" if pg else \
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['?'] * len(fields))})"
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor: no per-row work in Django's wrapper
        while chunk := [tuple(row) for row in islice(rows, CHUNK)]:
            if pg:
                with raw.copy(sql) as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                sqlite3.Cursor.executemany(raw, sql, chunk)
            done += len(chunk)
            if progress:
                progress(label, done, total)
    return done


def insert_frame(model: type[Model], fields: Sequence[str], frame: pl.DataFrame,
                 progress=None, table: str | None = None) -> int:
    """Insert the frame's rows (its columns in `fields`' order, values in database form, no
    dates); the number inserted. `progress(label, done, total)` after every block; `table` as
    for `insert_rows`."""
    if connection.vendor != "postgresql":
        return insert_rows(model, fields, frame.iter_rows(), progress, frame.height, table)
    meta, qn = model._meta, connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    label = str(meta.verbose_name_plural)
    sql = f"COPY {qn(table or meta.db_table)} ({columns}) FROM STDIN (FORMAT csv)"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, frame.height, FRAME_CHUNK):
            # Polars writes a null as an empty field and an empty string as "": what COPY's
            # CSV format reads as NULL and as ''
            with cursor.cursor.copy(sql) as copy:
                copy.write(frame.slice(start, FRAME_CHUNK).write_csv(include_header=False))
            if progress:
                progress(label, min(start + FRAME_CHUNK, frame.height), frame.height)
    return frame.height


# how PostgreSQL writes a boolean: COPY's CSV as t/f, a boolean cast to text as true/false
BOOLEANS = {"t": True, "f": False, "true": True, "false": False}


def read_frame(rows: QuerySet, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A values_list query's rows as a frame, its columns named and typed by `schema` (in the
    query's order). On PostgreSQL an unordered query (a run's fact values) comes back as one
    CSV text built by the server (`_csv_text`); an ordered one through `COPY … TO STDOUT`."""
    if connection.vendor != "postgresql":
        return pl.DataFrame(list(raw_rows(rows)), schema=schema, orient="row", strict=False)
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return pl.DataFrame(schema=schema)
    data = _copied(sql, params) if rows.ordered else _csv_text(sql, params, schema)
    if not data:
        return pl.DataFrame(schema=schema)
    # PostgreSQL writes NULL as an empty field (Polars: null) and an empty string as ""
    # (Polars: ""); booleans as t/f (COPY) or true/false (text), which Polars' reader does not
    # parse
    text = {c: pl.Utf8 if t == pl.Boolean else t for c, t in schema.items()}
    frame = pl.read_csv(data, has_header=False, schema=text)
    return frame.with_columns(pl.col(c).replace_strict(BOOLEANS, return_dtype=pl.Boolean)
                              for c, t in schema.items() if t == pl.Boolean)


def _copied(sql: str, params) -> bytes:
    out = io.BytesIO()
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy:  # params merged client-side
        for block in copy:
            out.write(block)
    return out.getvalue()


def _csv_text(sql: str, params, schema: dict[str, pl.DataType]) -> bytes:
    """The query's rows as one CSV text, joined by the server (`string_agg`), in one value.
    COPY sends every row as a message of its own, which psycopg hands over one at a time: at
    10,000 schools the 2.2 M room values took 6.2–6.9 s to arrive through COPY, 2.5–2.9 s as
    one text (the server's own COPY of them to /dev/null took 1.8–2.0 s; docs/scale.md). The
    text is at most PostgreSQL's 1 GB: a run's batch of 10,000 schools (CAMPUSPLAN_RUN_BATCH)
    makes ≈ 63 MB. Rows come in no set order: for unordered queries only."""
    names = [f"c{n}" for n in range(len(schema))]
    quoted = "'\"' || replace({}::text, '\"', '\"\"') || '\"'"  # NULL stays NULL: an empty field
    fields = [quoted.format(c) if t == pl.Utf8 else f"{c}::text"
              for c, t in zip(names, schema.values(), strict=True)]
    line = ", ',', ".join(fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT string_agg(concat({line}), E'\\n') "
                       f"FROM ({sql}) AS q({', '.join(names)})", params)
        (text,) = cursor.fetchone()
    return text.encode() if text else b""


def raw_rows(rows: QuerySet):
    """A values_list query's tuples straight from the driver: Django's per-value converters
    cost more than the query for the hundreds of thousands of fact values a run reads (the
    callers convert the one type that needs it, booleans on SQLite)."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. `__in` an empty list: nothing to read
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(10000):
            yield from chunk
