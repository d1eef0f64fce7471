"""`result_once` leads with the school and the covering `result_school_run` goes (docs/scale.md,
"One B-tree fewer per result row"). On PostgreSQL the table is partitioned (0014): a constraint
or index made on the parent is made on every partition under a name PostgreSQL chooses, and 0014
finds the DEFAULT partition's own by the model's names with `_small` appended — so after the
operations, either way, the DEFAULT partition's are given those names again."""

from django.db import migrations, models

TABLE, SMALL = "assessments_resultrow", "assessments_resultrow_small"
NAMES = ("result_once", "result_school_run", "result_status", "result_waived")


def name_small(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as c:
        c.execute("SELECT to_regclass(%s)", [SMALL])
        if c.fetchone()[0] is None:
            return
        c.execute("SELECT child.relname, parent.relname FROM pg_inherits i "
                  "JOIN pg_class child ON child.oid = i.inhrelid "
                  "JOIN pg_class parent ON parent.oid = i.inhparent "
                  "JOIN pg_index x ON x.indexrelid = child.oid "
                  "WHERE x.indrelid = %s::regclass AND parent.relname = ANY(%s)",
                  [SMALL, list(NAMES)])
        for child, parent in c.fetchall():
            if child == parent + "_small":
                continue
            c.execute("SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass "
                      "AND conname = %s", [SMALL, child])
            if c.fetchone():  # renaming a unique constraint renames its index too
                c.execute(f'ALTER TABLE {SMALL} RENAME CONSTRAINT "{child}" TO {parent}_small')
            else:
                c.execute(f'ALTER INDEX "{child}" RENAME TO {parent}_small')


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0015_district_sums'),
        ('schools', '0007_fact_snapshot'),
    ]

    operations = [
        # backwards, this runs last: after the old constraint and index are made again
        migrations.RunPython(migrations.RunPython.noop, name_small, elidable=False),
        migrations.RemoveConstraint(
            model_name='resultrow',
            name='result_once',
        ),
        migrations.RemoveIndex(
            model_name='resultrow',
            name='result_school_run',
        ),
        migrations.AddConstraint(
            model_name='resultrow',
            constraint=models.UniqueConstraint(fields=('school', 'run', 'requirement_id'), name='result_once'),
        ),
        migrations.RunPython(name_small, migrations.RunPython.noop, elidable=False),
    ]
