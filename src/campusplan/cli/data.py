"""`campusplan survey | import | export` — stored schools and data exchange.

Thin commands over the Django apps' services and the pure exchange package: parse options, call
one service, render. Exit codes: 0 success, 2 invalid input (nothing written), 1 other errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from campusplan.cli.options import (
    District,
    Lang,
    School,
    ShowProgress,
    User,
    actor,
    console,
    output_option,
    progress_bar,
    require_scope,
    setup_django,
    zh,
)
from campusplan.cli.render import parse_choices, print_changes, print_conflicts, print_problems

Mapping = Annotated[Path | None, typer.Option("--mapping", help="设备类型映射 YAML（默认内置）")]


def survey_cmd(
    output: Annotated[Path, output_option(".xlsx")],
    district: District = None, school: School = None, mapping: Mapping = None,
    lang: Lang = "zh",
) -> None:
    """生成调查表（由指标字典生成；已登记学校预填）/ Generate the survey workbook."""
    require_scope(district, school, lang)
    setup_django()
    from campusplan.usecases.exports import survey

    path, n = survey(actor=actor(), path=output, district=district, school=school, lang=lang,
                     kinds_path=mapping)
    console.print(f"[green]已生成[/green] {path}（{n} 所学校预填）" if zh(lang)
                  else f"[green]written[/green] {path} ({n} schools pre-filled)")


def import_cmd(
    files: Annotated[list[Path], typer.Argument(help=".xlsx / .csv / .json（可多个，一次事务）")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并显示将发生的变化")] = False,
    user: User = "", mapping: Mapping = None, lang: Lang = "zh",
    limit: Annotated[int, typer.Option(help="最多显示多少条问题/变化")] = 200,
    progress: ShowProgress = None,
    force: Annotated[bool, typer.Option(
        "--force", help="冲突处一律采用文件中的值 / take the file's value at every conflict")] = False,
    keep_stored: Annotated[bool, typer.Option(
        "--keep-stored", help="冲突处一律保留现存值 / keep the stored value at every conflict")
    ] = False,
    choose: Annotated[list[str] | None, typer.Option(
        "--choose", help="逐个冲突选择：<冲突 id>=file|stored（可重复）")] = None,
    inventory_complete: Annotated[bool, typer.Option(
        "--inventory-complete", help="设备清单完整：其计数可替换填报值")] = False,
) -> None:
    """导入调查表、清单或 JSON（全部成功才写入；有冲突时退出码 3，不写入）/ Import files, all
    or nothing (exit code 3 on conflicts, nothing written)."""
    setup_django()
    from campusplan.usecases.imports import import_files

    choices = parse_choices(choose or [], lang)
    on_conflict = "file" if force else "stored" if keep_stored else None
    with progress_bar(progress) as bar:
        report = import_files(actor=actor(user), paths=files, dry_run=dry_run,
                              kinds_path=mapping, progress=bar, choices=choices,
                              on_conflict=on_conflict, inventory_complete=inventory_complete)
    for note in report.notes:
        console.print(f"[dim]{note.message(lang)}[/dim]")
    if report.unresolved and not report.problems:
        print_conflicts(report.unresolved, lang)
        raise typer.Exit(3)
    if not report.ok:
        print_problems(report.problems, lang, limit)
        raise typer.Exit(2)
    print_changes(report, lang, limit)
    if report.run is not None:
        console.print(f"{'已重新评估' if zh(lang) else 're-assessed'} {report.run.schools} "
                      f"{'所学校' if zh(lang) else 'schools'}: #{report.run.pk}")


def export_cmd(
    output: Annotated[Path, output_option(".xlsx / .csv / .json")],
    district: District = None, school: School = None,
    results: Annotated[bool, typer.Option(help="包含最近一次评估结果")] = True,
    lang: Lang = "zh", progress: ShowProgress = None,
) -> None:
    """导出已存储的学校数据与评估结果 / Export stored facts and results."""
    require_scope(district, school, lang)
    setup_django()
    from campusplan.usecases.exports import export

    with progress_bar(progress) as bar:
        paths, n = export(actor=actor(), path=output, district=district, school=school,
                          lang=lang, with_results=results, progress=bar)
    for p in paths:
        console.print(f"[green]{'已导出' if zh(lang) else 'exported'}[/green] {p}")
    console.print(f"{n} {'所学校' if zh(lang) else 'schools'}")
