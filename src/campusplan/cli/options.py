"""The options every command shares, defined once, and the small helpers behind them.

Exit codes across the CLI: 0 success (a school with gaps is a result, not an error), 1 invalid
catalog or other errors, 2 invalid input (nothing written).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.models import OptionInfo

# The catalog, the engine and planning pull in Polars (≈0.16 s): imported where a command
# needs them, so `campusplan --help` and the database-only commands never load it.
if TYPE_CHECKING:
    from campusplan.catalog import Catalog
    from campusplan.engine.inputs import Inputs
    from campusplan.planning.phasing import Budget
    from campusplan.planning.prices import PriceCatalog

console = Console()
err = Console(stderr=True)

PER_CHOICES = ("school", "all")


def parse_date(value: str) -> dt.date:
    """`--as-of` as a date; a bad value is a usage error (exit 2), not a traceback."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r}: 应为有效日期 YYYY-MM-DD / expected a date, YYYY-MM-DD") \
            from None


Lang = Annotated[str, typer.Option("--lang", help="zh (默认) 或 en")]
District = Annotated[str | None, typer.Option(
    "--district", help="行政区划代码，如 110108 / district code")]
School = Annotated[str | None, typer.Option("--school", help="学校标识码 / school code")]
AnnualBudget = Annotated[float, typer.Option(
    "--budget", help="年度预算（元）/ annual budget, RMB")]
Years = Annotated[int, typer.Option("--years", help="规划年数 / years")]
Per = Annotated[str, typer.Option("--per", help="school: 每校预算; all: 全部学校共用")]
Prices = Annotated[Path | None, typer.Option("--prices", help="price catalog YAML (默认内置)")]
AsOf = Annotated[dt.date | None, typer.Option(
    "--as-of", parser=parse_date, metavar="YYYY-MM-DD", help="评估日期 YYYY-MM-DD")]
Format = Annotated[str, typer.Option("--format", help="table | json")]
ShowProgress = Annotated[bool | None, typer.Option(
    "--progress/--no-progress", help="显示进度条（默认：在终端中显示）/ progress bar")]
User = Annotated[str, typer.Option("--user", help="操作人（记入来源）/ acting user")]
SchoolFiles = Annotated[list[Path], typer.Argument(help="school JSON files")]


def output_option(suffixes: str) -> OptionInfo:
    """`-o/--output`, defined once; each command names the file types it writes."""
    return typer.Option("-o", "--output", help=f"输出文件 / output file ({suffixes})")


def zh(lang: str) -> bool:
    return lang.startswith("zh")


def fail(zh_text: str, en_text: str, lang: str) -> NoReturn:
    """Print the message in the reader's language and exit 2 (invalid input)."""
    err.print(f"[red]{zh_text if zh(lang) else en_text}[/red]")
    raise typer.Exit(2)


def actor(user: str = ""):
    """The operator at the command line (no user: full scope), for the use cases and the audit
    trail, named by `--user`, else the login name. Call after setup_django()."""
    from campusplan.accounts import audit

    return audit.actor_for(None, "cli", name=user or os.environ.get("USER", ""))


def budget_of(budget: float, years: int, per: str) -> Budget:
    if per not in PER_CHOICES:
        raise typer.BadParameter("--per must be school or all")
    from campusplan.planning.phasing import Budget

    return Budget(budget, years, per)


def price_catalog(path: Path | None) -> PriceCatalog:
    from campusplan.planning.prices import default_prices, load_prices

    return load_prices(path) if path else default_prices()


def require_scope(district: str | None, school: str | None, lang: str) -> None:
    """Commands over stored schools need a district or a school; the district must exist."""
    if not district and not school:
        fail("请给出 --district 或 --school", "give --district or --school", lang)
    from campusplan.catalog.codes import districts

    if district and district not in districts():
        fail(f"未知行政区划代码：{district}", f"unknown district code {district}", lang)


def load_school_files(files: list[Path], lang: str,
                      as_of: dt.date | None = None) -> tuple[Catalog, Inputs]:
    """Read school JSON files against the built-in catalog; every problem printed, then exit 2."""
    from campusplan.catalog import load_catalog
    from campusplan.engine.inputs import InputInvalid, load_json_files

    catalog = load_catalog()
    try:
        return catalog, load_json_files(files, catalog, as_of)
    except InputInvalid as exc:
        head = f"输入有误（{len(exc.errors)} 处）：" if zh(lang) else \
            f"invalid input ({len(exc.errors)} problems):"
        err.print(f"[red]{head}[/red]")
        for e in exc.errors:
            err.print(f"  {e.message(lang)}")
        raise typer.Exit(2) from None


def setup_django() -> None:
    """Configure Django for a CLI command and bring the database schema up to date.

    Django is imported here, not at module level, so `campusplan --help` and the file commands
    never pay for it and the CLI imports before settings exist.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campusplan.settings")
    import django
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # login throttle and dashboards (idempotent)


ProgressCallback = Callable[[str, int, int | None], None]


@contextmanager
def progress_bar(enabled: bool | None = True) -> Iterator[ProgressCallback]:
    """A Rich progress bar on stderr; yields the callback services report to: (stage, done, total).

    `enabled=None` means: only when stdout is a terminal.
    """
    if enabled is None:
        enabled = console.is_terminal
    if not enabled:
        yield lambda stage, done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update
