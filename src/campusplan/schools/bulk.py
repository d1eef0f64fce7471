"""Fast inserts for the two tables that grow by the hundred thousand (fact values, result rows).

`Model.objects.bulk_create` builds a model instance per row and prepares every value through the
field API: about 70 µs a row, most of a 300-school import. Here the rows are plain tuples in the
model's own column order, values already in database form (numbers, text, booleans, and
datetimes/dates prepared once by the caller with `prep`), inserted with one `executemany` per
chunk. No signals are sent — neither does bulk_create; the callers record provenance themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

CHUNK = 5000


def prep(model: type[Model], field: str, value: Any) -> Any:
    """A value as the database stores it (e.g. an aware datetime for SQLite)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]],
                progress=None, total: int | None = None) -> int:
    meta, qn = model._meta, connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
    done, chunk = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(tuple(row))
            if len(chunk) == CHUNK:
                cursor.executemany(sql, chunk)
                done, chunk = done + len(chunk), []
                if progress:
                    progress(str(meta.verbose_name_plural), done, total)
        if chunk:
            cursor.executemany(sql, chunk)
            done += len(chunk)
    return done
