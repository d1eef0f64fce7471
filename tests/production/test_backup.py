"""`campusplan backup` / `restore`: a backup of the API world restored into an empty database
holds every table row for row (SQLite online backup; pg_dump/pg_restore on PostgreSQL), and a
restore over the live database brings back what it held and records itself in the audit trail.
Only the operator may do either."""

from __future__ import annotations

import copy
import sqlite3

import pytest
from django.db import connections
from typer.testing import CliRunner

from campusplan.accounts.models import AuditEntry
from campusplan.cli import app
from campusplan.schools.models import School
from campusplan.usecases.backup import BackupError, backup, restore
from tests.actors import as_user, operator
from tests.api.world import CY, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(settings: dict):
    """A plain DB-API connection (not Django's: the test may not open a second alias)."""
    if settings["ENGINE"].endswith("sqlite3"):
        name = str(settings["NAME"])
        return sqlite3.connect(name, uri=name.startswith("file:"))
    import psycopg

    return psycopg.connect(dbname=settings["NAME"], **_libpq(settings))


def _libpq(settings: dict) -> dict:
    return {k: v for k, v in {"host": settings["HOST"], "port": settings["PORT"],
                              "user": settings["USER"], "password": settings["PASSWORD"]}
            .items() if v}


def snapshot(settings: dict) -> dict[str, list]:
    """Every table's rows, in an engine-neutral text form, sorted."""
    sqlite = settings["ENGINE"].endswith("sqlite3")
    conn = _connect(settings)
    try:
        cur = conn.cursor()
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                    "'sqlite_%'" if sqlite else
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        out = {}
        for (table,) in cur.fetchall():
            cur.execute(f'SELECT * FROM "{table}"' if sqlite else f'SELECT t::text FROM "{table}" t')
            out[table] = sorted(repr(tuple(row)) for row in cur.fetchall())
        return out
    finally:
        conn.close()


@pytest.fixture
def empty_database(tmp_path):
    """The settings of a second, empty database of the same engine."""
    settings = copy.deepcopy(connections["default"].settings_dict)
    if settings["ENGINE"].endswith("sqlite3"):
        settings["NAME"] = str(tmp_path / "restored.sqlite3")
        yield settings
        return
    import psycopg

    name = f"{settings['NAME']}_restored"

    def sql(statement):
        with psycopg.connect(dbname="postgres", autocommit=True, **_libpq(settings)) as conn:
            conn.execute(statement)

    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{name}"')
    settings["NAME"] = name
    try:
        yield settings
    finally:
        sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_holds_every_table(tmp_path, empty_database):
    build_world(tmp_path)
    done = backup(actor=operator(), path=tmp_path / "campusplan.backup")
    assert done.bytes > 10_000
    assert snapshot(empty_database) == {}
    restore(actor=operator(), path=done.path, database=empty_database)

    original, restored = snapshot(connections["default"].settings_dict), snapshot(empty_database)
    assert set(restored) == set(original) and len(original) > 15
    for table in sorted(original):
        assert restored[table] == original[table], table
    assert len(original[AuditEntry._meta.db_table]) > 5 and len(original["schools_school"]) == 5


def test_restore_over_the_live_database_by_the_cli(tmp_path):
    build_world(tmp_path)
    path = tmp_path / "cp.backup"
    runner = CliRunner()
    result = runner.invoke(app, ["backup", str(path)])
    assert result.exit_code == 0, result.output
    School.objects.filter(code=CY).update(name="改过的名字")
    result = runner.invoke(app, ["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    for alias in connections:  # the restore replaced what any open connection had cached
        connections[alias].close()
    assert School.objects.get(code=CY).name != "改过的名字"
    assert AuditEntry.objects.filter(object_type="database",
                                     note="restored from cp.backup").exists()


def test_only_the_operator_and_only_a_backup_of_this_engine(tmp_path):
    world = build_world(tmp_path)
    with pytest.raises(BackupError):
        backup(actor=as_user(world.users["city"]), path=tmp_path / "x.backup")
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(b"not a backup at all")
    result = CliRunner().invoke(app, ["restore", str(bogus), "--yes", "--lang", "en"])
    assert result.exit_code == 2 and "is not a backup of this database" in result.output
    assert School.objects.filter(code=CY).exists()
