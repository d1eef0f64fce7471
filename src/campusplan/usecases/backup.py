"""A consistent backup of the whole database, and its restore — `campusplan backup|restore`.

SQLite: the online backup API (a page-by-page copy under the database's own locking, taken
while the server runs), and the same API copies a backup back over the live file. PostgreSQL:
`pg_dump --format=custom` (one consistent snapshot) and `pg_restore --clean --if-exists`'s
script run by `psql --single-transaction` (all or nothing), from Debian's postgresql-client.
Only the operator at the command line may do either; a restore replaces everything, audit
trail included, then records that it happened.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

from campusplan.accounts import audit
from campusplan.accounts.audit import Actor
from campusplan.usecases.scoping import is_operator

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(en)

    def message(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str  # "sqlite" | "postgresql"
    bytes: int


def _engine(database: dict) -> str:
    engine = database["ENGINE"]
    if "sqlite" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"不支持的数据库：{engine}", f"unsupported database: {engine}")


def _require_operator(actor: Actor) -> None:
    if not is_operator(actor):
        raise BackupError("只有服务器上的命令行操作员可以备份或恢复",
                          "only the operator at the server's command line may back up or restore")


def backup(*, actor: Actor, path: Path, alias: str = "default") -> BackupResult:
    """Write a consistent copy of the database `alias` to `path` (replaced if it exists)."""
    _require_operator(actor)
    conn = connections[alias]
    engine, path = _engine(conn.settings_dict), Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    if engine == "sqlite":
        conn.ensure_connection()
        with sqlite3.connect(tmp) as target:
            conn.connection.backup(target)
        target.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={tmp}"], conn.settings_dict)
    os.replace(tmp, path)
    return BackupResult(path, engine, path.stat().st_size)


def restore(*, actor: Actor, path: Path, database: dict | None = None) -> BackupResult:
    """Replace the live database — or, given its settings, another (empty) one — with the
    backup at `path`, all or nothing. Restoring the live one records itself in the audit
    trail it brought back."""
    _require_operator(actor)
    conn = connections["default"]
    target = conn.settings_dict if database is None else database
    engine, path = _engine(target), Path(path)
    _check_file(path, engine)
    if engine == "sqlite":
        _restore_sqlite(path, conn if database is None else None, target)
    else:
        conn.close()
        _restore_postgresql(path, target)
    if database is None:
        with audit.acting_as(actor):
            audit.record(object_type="database", object_key="default",
                         note=f"restored from {path.name}")
    return BackupResult(path, engine, path.stat().st_size)


def _restore_sqlite(path: Path, live, target: dict) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if live is not None:
            live.ensure_connection()
            source.backup(live.connection)
        else:
            name = str(target["NAME"])
            with sqlite3.connect(name, uri=name.startswith("file:")) as dest:
                source.backup(dest)
            dest.close()
    finally:
        source.close()


def _check_file(path: Path, engine: str) -> None:
    if not path.is_file():
        raise BackupError(f"备份文件不存在：{path}", f"no such backup file: {path}")
    with path.open("rb") as fh:
        head = fh.read(16)
    expected = SQLITE_MAGIC if engine == "sqlite" else PG_MAGIC
    if not head.startswith(expected):
        raise BackupError(f"{path.name} 不是本数据库（{engine}）的备份文件",
                          f"{path.name} is not a backup of this database ({engine})")


# pg_restore --clean drops a partition's constraints before its parent's, which PostgreSQL
# refuses ("cannot drop inherited constraint"): the partitioned tables (result rows by run,
# assessments/partitions.py) are dropped first, with their partitions, in the same transaction
DROP_PARTITIONED = """DO $$DECLARE t regclass; BEGIN
FOR t IN SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'p' AND n.nspname = current_schema() LOOP
  EXECUTE format('DROP TABLE IF EXISTS %s CASCADE', t);
END LOOP; END$$;"""


def _restore_postgresql(path: Path, database: dict) -> None:
    """pg_restore's script of the backup (with its --clean drops), written out whole first — a
    script cut short would be committed as far as it went —, then run by psql in one
    transaction after DROP_PARTITIONED: all or nothing."""
    with tempfile.TemporaryDirectory(prefix="campusplan-restore-") as folder:
        script = Path(folder) / "restore.sql"
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              f"--file={script}", str(path)], database)
        _run(["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
              "--output=/dev/null", "--command", DROP_PARTITIONED, f"--file={script}"], database)


def _tool(command: list[str]) -> list[str]:
    if shutil.which(command[0]) is None:
        raise BackupError(f"找不到 {command[0]}：请安装 postgresql-client",
                          f"{command[0]} not found: install postgresql-client")
    return command


def _env(database: dict) -> dict:
    """libpq's settings from Django's."""
    return os.environ | {k: str(v) for k, v in {
        "PGHOST": database.get("HOST"), "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"), "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database["NAME"]}.items() if v}


def _run(command: list[str], database: dict) -> None:
    """Run a PostgreSQL client tool against `database`."""
    done = subprocess.run(_tool(command), env=_env(database), capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[-500:]}",
                          f"{command[0]} failed: {done.stderr.strip()[-500:]}")
