"""The fast inserts and reads of schools/bulk.py on both databases: rows and frames land as they
were given (nulls, empty and quoted text, floats, booleans read back), and a progress report may
use the database — it runs between two statements, never inside a COPY (a report there waited
forever for the COPY it was part of: a background job's progress is a database write)."""

from __future__ import annotations

import polars as pl
import pytest
from django.db.models import BooleanField, ExpressionWrapper, Q

from campusplan.assessments.models import ResultRow
from campusplan.assessments.services import ROW_FIELDS
from campusplan.schools import bulk

pytestmark = pytest.mark.django_db

SCHEMA = {"run": pl.Int64, "school": pl.Int64, "requirement_id": pl.Utf8, "item": pl.Int64,
          "status": pl.Utf8, "level": pl.Utf8, "actual": pl.Float64, "required": pl.Float64,
          "shortfall": pl.Float64, "basis": pl.Float64, "rows_short": pl.Float64,
          "waived_by": pl.Int64}
# the run and school keys are not checked by the database (ResultRow's own note)
TEXTS = ["", 'a "q", c', "l\nb", "5.11-①"]


def _rows(n: int) -> list[tuple]:
    return [(1, 1 + i // 50, f"{TEXTS[i % 4]}{i}", i % 9 or None, "gap", "required",
             None if i % 3 else i / 7, 0.1 * i, None, 1e-20 * i, 123456789.123456789 if i % 5
             else None, None) for i in range(n)]


def _stored() -> list[tuple]:
    return list(ResultRow.objects.order_by("pk").values_list(
        "run_id", "school_id", "requirement_id", "item", "status", "level", "actual", "required",
        "shortfall", "basis", "rows_short", "waived_by_id"))


def test_progress_may_query_the_database_while_rows_are_inserted():
    seen = []

    def progress(label, done, total):
        seen.append((done, ResultRow.objects.count()))  # a query on the inserting connection

    rows = _rows(bulk.CHUNK * 2 + 7)
    assert bulk.insert_rows(ResultRow, ROW_FIELDS, iter(rows), progress, len(rows)) == len(rows)
    assert seen == [(bulk.CHUNK, bulk.CHUNK), (2 * bulk.CHUNK, 2 * bulk.CHUNK),
                    (len(rows), len(rows))]
    assert _stored() == rows


def test_a_frame_goes_in_as_it_was_given_with_progress_between_blocks(monkeypatch):
    monkeypatch.setattr(bulk, "FRAME_CHUNK", 3)
    rows = _rows(8)
    seen = []
    bulk.insert_frame(ResultRow, ROW_FIELDS, pl.DataFrame(rows, orient="row", schema=SCHEMA),
                      lambda label, done, total: seen.append((done, ResultRow.objects.count())))
    assert _stored() == rows
    assert seen and seen[-1] == (8, 8) and all(done == count for done, count in seen)


def test_read_frame_reads_back_nulls_empty_text_and_booleans():
    rows = _rows(13)
    bulk.insert_rows(ResultRow, ROW_FIELDS, rows)
    query = ResultRow.objects.order_by("pk").annotate(
        many=ExpressionWrapper(Q(item__gt=4), output_field=BooleanField())).values_list(
        "run_id", "school_id", "requirement_id", "item", "status", "level", "actual",
        "required", "shortfall", "basis", "rows_short", "waived_by_id", "many")
    frame = bulk.read_frame(query, SCHEMA | {"many": pl.Boolean})
    assert frame.drop("many").rows() == rows
    assert frame["many"].to_list() == [None if r[3] is None else r[3] > 4 for r in rows]
    assert bulk.read_frame(ResultRow.objects.none().values_list("requirement_id"),
                           {"requirement_id": pl.Utf8}).height == 0


def test_an_unordered_read_gives_the_same_rows_as_an_ordered_one():
    """On PostgreSQL an unordered query comes back as one CSV text the server joined
    (`_csv_text`), an ordered one through COPY: the same rows, quotes, line breaks, nulls and
    empty text, floats to the last digit, booleans."""
    rows = _rows(41)
    bulk.insert_rows(ResultRow, ROW_FIELDS, rows)
    fields = ["run_id", "school_id", "requirement_id", "item", "status", "level", "actual",
              "required", "shortfall", "basis", "rows_short", "waived_by_id", "many"]
    query = ResultRow.objects.annotate(many=ExpressionWrapper(
        Q(item__gt=4), output_field=BooleanField())).values_list(*fields)
    schema = SCHEMA | {"many": pl.Boolean}
    unordered = bulk.read_frame(query.order_by(), schema)
    ordered = bulk.read_frame(query.order_by("pk"), schema)
    assert not query.order_by().ordered and query.order_by("pk").ordered
    key = ["school", "requirement_id"]
    assert unordered.sort(key).rows() == ordered.sort(key).rows() == sorted(
        [r + (None if r[3] is None else r[3] > 4,) for r in rows], key=lambda r: (r[1], r[2]))
    assert unordered.schema == ordered.schema == pl.Schema(schema)
    assert bulk.read_frame(query.order_by().filter(pk=-1), schema).height == 0
