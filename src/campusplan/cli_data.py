"""`campusplan survey | import | export | assess-stored` — stored schools and data exchange.

Thin Typer commands over schools/services.py, assessments/services.py and the pure exchange
package. Registered on the main app by `register(app)` (see the end of cli.py). Exit codes: 0
success, 2 invalid input (nothing written), 1 other errors.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()
err = Console(stderr=True)

Lang = Annotated[str, typer.Option("--lang", help="zh (默认) 或 en")]
DistrictOpt = Annotated[str | None, typer.Option("--district", help="行政区划代码，如 110108")]
SchoolOpt = Annotated[str | None, typer.Option("--school", help="学校标识码")]
Mapping = Annotated[Path | None, typer.Option("--mapping", help="设备类型映射 YAML（默认内置）")]


def _zh(lang: str) -> bool:
    return lang.startswith("zh")


def setup_django() -> None:
    """Configure Django for a CLI command and bring the database schema up to date."""
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


@contextmanager
def progress_bar(enabled: bool = True):
    """A Rich progress bar; yields the callback the services report to: (stage, done, total)."""
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


def cli_actor(user: str = ""):
    """The operator at the command line (full scope), named by --user or $USER."""
    from campusplan.accounts import audit

    return audit.actor_for(None, "cli", name=user or os.environ.get("USER", ""))


def _scope_or_exit(district: str | None, school: str | None, lang: str) -> None:
    from campusplan.catalog.codes import districts

    if not district and not school:
        err.print("[red]请给出 --district 或 --school[/red]" if _zh(lang)
                  else "[red]give --district or --school[/red]")
        raise typer.Exit(2)
    if district and district not in districts():
        err.print(f"[red]未知行政区划代码：{district}[/red]" if _zh(lang)
                  else f"[red]unknown district code {district}[/red]")
        raise typer.Exit(2)


# --- survey --------------------------------------------------------------------------------


def survey_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出 .xlsx")],
    district: DistrictOpt = None, school: SchoolOpt = None, mapping: Mapping = None,
    lang: Lang = "zh",
) -> None:
    """生成调查表（由指标字典生成；已登记学校预填）/ Generate the survey workbook."""
    _scope_or_exit(district, school, lang)
    setup_django()
    from campusplan.usecases.exports import survey

    path, n = survey(actor=cli_actor(), path=output, district=district, school=school,
                     lang=lang, kinds_path=mapping)
    console.print(f"[green]已生成[/green] {path}（{n} 所学校预填）" if _zh(lang)
                  else f"[green]written[/green] {path} ({n} schools pre-filled)")


# --- import --------------------------------------------------------------------------------


def import_cmd(
    files: Annotated[list[Path], typer.Argument(help=".xlsx / .csv / .json（可多个，一次事务）")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并显示将发生的变化")] = False,
    user: Annotated[str, typer.Option("--user", help="操作人（记入来源）")] = "",
    mapping: Mapping = None, lang: Lang = "zh",
    limit: Annotated[int, typer.Option(help="最多显示多少条问题/变化")] = 200,
) -> None:
    """导入调查表、清单或 JSON（全部成功才写入）/ Import files, all or nothing."""
    setup_django()
    from campusplan.usecases.imports import import_files

    with progress_bar(console.is_terminal) as progress:
        report = import_files(actor=cli_actor(user), paths=files, dry_run=dry_run,
                              kinds_path=mapping, progress=progress)
    for note in report.notes:
        console.print(f"[dim]{note.message(lang)}[/dim]")
    if not report.ok:
        _print_problems(report.problems, lang, limit)
        raise typer.Exit(2)
    _print_changes(report, lang, limit)
    if report.run is not None:
        console.print(f"{'已重新评估' if _zh(lang) else 're-assessed'} "
                      f"{report.run.schools} {'所学校' if _zh(lang) else 'schools'}: "
                      f"#{report.run.pk}")


def _print_problems(problems, lang: str, limit: int) -> None:
    zh = _zh(lang)
    err.print(f"[red]{'发现' if zh else 'found'} {len(problems)} "
              f"{'处问题，未写入任何数据' if zh else 'problems; nothing was written'}[/red]")
    table = Table(show_lines=False)
    for col in ("文件", "工作表", "单元格", "值", "问题") if zh else (
            "file", "sheet", "cell", "value", "problem"):
        table.add_column(col, overflow="fold")
    for p in problems[:limit]:
        w = p.where
        table.add_row(w.file, w.sheet, w.cell() or (f"{w.row}" if w.row else w.path),
                      "" if p.value is None else str(p.value)[:40], p.zh if zh else p.en)
    err.print(table)
    if len(problems) > limit:
        err.print(f"… {len(problems) - limit} more")


def _print_changes(report, lang: str, limit: int) -> None:
    zh, counts, changes = _zh(lang), report.plan.counts(), report.plan.changes
    if not changes:
        console.print("[green]没有变化：数据与已存储的一致[/green]" if zh
                      else "[green]no changes: the data equals what is stored[/green]")
        return
    if report.dry_run:
        table = Table(title="将发生的变化（试运行，未写入）" if zh else "Changes (dry run)")
        for col in ("学校", "对象", "项", "原值", "新值", "来源"):
            table.add_column(col, overflow="fold")
        for c in changes[:limit]:
            table.add_row(c.school or "", f"{c.target} {c.ref}".strip().replace("\x1f", "/"),
                          c.key, _show(c.old), _show(c.new),
                          c.where.describe(lang) if c.where else "")
        console.print(table)
    verb = ("试运行：将" if report.dry_run else "已") if zh else (
        "dry run: would " if report.dry_run else "")
    console.print(f"{verb}{'写入' if zh else 'write'} {len(changes)} "
                  f"{'处变化' if zh else 'changes'} {counts}")


def _show(value) -> str:
    if value is None:
        return "—"
    return getattr(value, "asset_tag", None) or str(value)


# --- export --------------------------------------------------------------------------------


def export_cmd(
    output: Annotated[Path, typer.Option("-o", "--output", help=".xlsx / .csv / .json")],
    district: DistrictOpt = None, school: SchoolOpt = None,
    results: Annotated[bool, typer.Option(help="包含最近一次评估结果")] = True,
    lang: Lang = "zh",
) -> None:
    """导出已存储的学校数据与评估结果 / Export stored facts and results."""
    _scope_or_exit(district, school, lang)
    setup_django()
    from campusplan.usecases.exports import export

    with progress_bar(console.is_terminal) as progress:
        paths, n = export(actor=cli_actor(), path=output, district=district, school=school,
                          lang=lang, with_results=results, progress=progress)
    for p in paths:
        console.print(f"[green]{'已导出' if _zh(lang) else 'exported'}[/green] {p}")
    console.print(f"{n} {'所学校' if _zh(lang) else 'schools'}")


# --- assess stored schools -----------------------------------------------------------------


def assess_stored_cmd(
    district: DistrictOpt = None, school: SchoolOpt = None,
    as_of: Annotated[str | None, typer.Option(help="评估日期 YYYY-MM-DD")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="（已无需：说明在读取时生成）")] = False,
    user: Annotated[str, typer.Option("--user", help="操作人")] = "",
    lang: Lang = "zh",
) -> None:
    """评估已存储的学校并保存结果 / Assess stored schools and store the run."""
    _scope_or_exit(district, school, lang)
    setup_django()
    from campusplan.cli_assess import _print_summary
    from campusplan.usecases import runs, scoping

    schools = list(scoping.schools_of(cli_actor(user)).filter(
        **({"code": school} if school else {"district__code": district})).order_by("code"))
    if not schools:
        err.print("[red]没有已登记的学校[/red]" if _zh(lang) else "[red]no stored schools[/red]")
        raise typer.Exit(2)
    day = dt.date.fromisoformat(as_of) if as_of else None
    with progress_bar(console.is_terminal) as progress:
        record, result = runs.assess(actor=cli_actor(user), schools=schools, as_of=day,
                                     progress=progress)
    _print_summary(result.summary(), lang, console)
    console.print(f"{'已保存评估批次' if _zh(lang) else 'stored run'} #{record.pk}: "
                  f"{record.catalog_version}, {record.results} rows, {record.counts}")


def register(app: typer.Typer) -> None:
    app.command("survey")(survey_cmd)
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
    app.command("assess-stored")(assess_stored_cmd)
