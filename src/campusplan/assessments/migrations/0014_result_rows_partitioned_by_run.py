"""On PostgreSQL, result rows become a table partitioned by run (LIST on run_id): a large run
is written into a table of its own, indexed once after its rows are in, and attached
(assessments/partitions.py); every other run's rows go to the DEFAULT partition, which is the
table as it was. Nothing changes on SQLite, nor for Django: the model, its indexes and its
constraints keep their names and columns; the primary key becomes (id, run_id), as PostgreSQL
requires of a partitioned table (ids still come from the one sequence)."""

from django.db import migrations

TABLE, SMALL = "assessments_resultrow", "assessments_resultrow_small"
INDEXES = {  # this migration's state (0013): the model's indexes, besides the unique result_once
    "result_school_run": "(school_id, run_id, status, level, item, requirement_id)",
    "result_status": "(run_id, status)",
    "result_waived": "(waived_by_id) WHERE waived_by_id IS NOT NULL",
}


def _one(cursor, sql: str, *params):
    cursor.execute(sql, params)
    row = cursor.fetchone()
    return row[0] if row else None


def _constraint(cursor, table: str, kind: str) -> str | None:
    return _one(cursor, "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = %s AND conparentid = 0", table, kind)


def _foreign_key(cursor, table: str) -> tuple[str, str] | None:
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
    return cursor.fetchone()


def _rename(cursor, table: str, old: str, new: str) -> None:
    """The model's unique constraint and indexes from name+old to name+new (the DEFAULT
    partition keeps its own under a suffix while the parent takes the model's names)."""
    cursor.execute(f"ALTER TABLE {table} RENAME CONSTRAINT result_once{old} TO result_once{new}")
    for name in INDEXES:
        cursor.execute(f"ALTER INDEX {name}{old} RENAME TO {name}{new}")


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        sequence = _one(c, "SELECT pg_get_serial_sequence(%s, 'id')", TABLE)
        fk = _foreign_key(c, TABLE)
        c.execute(f"ALTER TABLE {TABLE} RENAME TO {SMALL}")
        # a partition cannot keep a primary key of its own beside the parent's (id, run_id)
        c.execute(f"ALTER TABLE {SMALL} DROP CONSTRAINT {_constraint(c, SMALL, 'p')}")
        _rename(c, SMALL, "", "_small")
        if fk:
            c.execute(f"ALTER TABLE {SMALL} DROP CONSTRAINT {fk[0]}")
        c.execute(f"CREATE TABLE {TABLE} (LIKE {SMALL} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
                  " PARTITION BY LIST (run_id)")
        c.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval(%s::regclass)",
                  [sequence])
        c.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, run_id)")
        c.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT result_once "
                  "UNIQUE (run_id, school_id, requirement_id)")
        for name, columns in INDEXES.items():
            c.execute(f"CREATE INDEX {name} ON {TABLE} {columns}")
        # the indexes of the same definition are attached, not built again
        c.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {SMALL} DEFAULT")
        if fk:
            c.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {fk[0]} {fk[1]}")


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        fk = _foreign_key(c, TABLE)
        c.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {SMALL}")
        # its copy of the foreign key first: checking it for the rows inserted below would be
        # pending at commit, and a table with pending checks cannot be altered
        if (own := _foreign_key(c, SMALL)) is not None:
            c.execute(f"ALTER TABLE {SMALL} DROP CONSTRAINT {own[0]}")
        c.execute(f"INSERT INTO {SMALL} SELECT * FROM {TABLE}")  # the large runs' rows
        c.execute(f"DROP TABLE {TABLE}")  # and its partitions
        c.execute(f"ALTER TABLE {SMALL} DROP CONSTRAINT {_constraint(c, SMALL, 'p')}")
        c.execute(f"ALTER TABLE {SMALL} RENAME TO {TABLE}")
        c.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
        _rename(c, TABLE, "_small", "")
        if fk:
            c.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {fk[0]} {fk[1]}")


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0013_result_row_keys_unchecked"),
    ]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
