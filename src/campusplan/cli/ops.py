"""`campusplan serve | backup | restore` — running and keeping the production installation.

`serve` is what `make serve` runs: migrate, create the cache table, collect the static files
when they changed, then replace itself with gunicorn (DEBUG off; see docs/deployment.md).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from campusplan.cli.options import Lang, actor, console, fail, setup_django, zh

Bind = Annotated[str, typer.Option("--bind", help="地址:端口 / address:port")]
Workers = Annotated[int, typer.Option("--workers", help="gunicorn 进程数 / worker processes")]
Threads = Annotated[int, typer.Option("--threads", help="每进程线程数 / threads per worker")]
BackupFile = Annotated[Path, typer.Argument(help="备份文件 / backup file")]


def serve_cmd(bind: Bind = "127.0.0.1:8000", workers: Workers = 3, threads: Threads = 4,
              timeout: Annotated[int, typer.Option(help="请求超时（秒）")] = 120) -> None:
    """以生产方式运行（gunicorn，静态文件由 whitenoise 提供）/ Run the production server."""
    os.environ.setdefault("CAMPUSPLAN_DEBUG", "0")
    os.environ.setdefault("CAMPUSPLAN_DB_CONN_MAX_AGE", "60")  # the workers inherit it
    setup_django()  # migrate + createcachetable
    _collect_static()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    args = [gunicorn, "campusplan.wsgi:application", "--bind", bind, "--workers", str(workers),
            "--threads", str(threads), "--timeout", str(timeout), "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")]
    console.print(f"gunicorn {bind} ({workers}×{threads})")
    sys.stdout.flush()
    os.execv(gunicorn, args)


def _collect_static() -> None:
    """collectstatic only when the source files changed (a fingerprint beside the manifest)."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    digest = hashlib.sha256()
    for finder in get_finders():
        for name, storage in sorted(finder.list([]), key=lambda pair: pair[0]):
            stat = Path(storage.path(name)).stat()
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".sources"
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest.hexdigest())


def backup_cmd(path: BackupFile, lang: Lang = "zh") -> None:
    """备份整个数据库（SQLite 在线备份 / pg_dump）/ Back up the whole database."""
    setup_django()
    from campusplan.usecases.backup import BackupError, backup

    try:
        done = backup(actor=actor(), path=path)
    except BackupError as exc:
        fail(exc.zh, exc.en, lang)
    console.print(f"[green]{'已备份' if zh(lang) else 'backed up'}[/green] {done.path} "
                  f"({done.engine}, {done.bytes:,} B)")


def restore_cmd(path: BackupFile, lang: Lang = "zh",
                yes: Annotated[bool, typer.Option("--yes", help="不再确认")] = False) -> None:
    """用备份替换整个数据库（含审计记录）/ Replace the whole database with a backup."""
    if not yes and not typer.confirm("用备份替换当前全部数据？/ replace all data with the backup?"):
        raise typer.Exit(1)
    setup_django()
    from campusplan.usecases.backup import BackupError, restore

    try:
        done = restore(actor=actor(), path=path)
    except BackupError as exc:
        fail(exc.zh, exc.en, lang)
    console.print(f"[green]{'已恢复' if zh(lang) else 'restored'}[/green] {done.path} "
                  f"({done.engine})")
