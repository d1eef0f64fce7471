"""`campusplan audit verify | archive` — the audit trail's hash chain and its archive.

Exit codes: 0 the chain (or the file) verifies / the archive was written and verified, 1 it does
not verify, 2 invalid input (a refused date, an existing file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from campusplan.cli.options import Lang, actor, console, err, fail, parse_date, setup_django, zh

app = typer.Typer(help="审计记录 / the audit trail (hash chain, archive)", no_args_is_help=True)


@app.command("verify")
def verify_cmd(
    archive: Annotated[Path | None, typer.Option(
        "--archive", help="校验归档文件而非数据库 / verify an archive file")] = None,
    lang: Lang = "zh",
) -> None:
    """校验审计记录的哈希链 / Verify the audit trail's hash chain."""
    setup_django()
    from campusplan.usecases.security import audit_verify

    if archive is not None and not archive.is_file():
        fail(f"没有文件：{archive}", f"no such file: {archive}", lang)
    verdict = audit_verify(actor=actor(), path=archive)
    for problem in verdict.problems[:50]:
        err.print(f"[red]{problem}[/red]")
    head = (f"{verdict.rows} 条记录，{verdict.seals} 个封存批次（已归档 {verdict.archived}），"
            f"待封存 {verdict.pending} 条；链头 {verdict.head}") if zh(lang) else (
        f"{verdict.rows} rows, {verdict.seals} seals ({verdict.archived} archived), "
        f"{verdict.pending} pending; head {verdict.head}")
    console.print(head)
    if not verdict.ok:
        console.print(f"[red]{'校验失败' if zh(lang) else 'verification FAILED'}："
                      f"{len(verdict.problems)}[/red]")
        raise typer.Exit(1)
    console.print("校验通过 / verified" if zh(lang) else "verified")


@app.command("archive")
def archive_cmd(
    before: Annotated[str, typer.Option("--before", metavar="YYYY-MM-DD",
                                        help="归档此日期之前封存的记录 / archive rows before")],
    output: Annotated[Path, typer.Option("-o", "--output", help="归档文件 (.jsonl)")],
    lang: Lang = "zh",
) -> None:
    """把保留期（≥180天）以前的审计记录移入校验过的归档文件 / Archive old audit rows."""
    setup_django()
    from campusplan.accounts.archive import ArchiveRefused
    from campusplan.usecases.security import audit_archive

    day = parse_date(before)
    try:
        done = audit_archive(actor=actor(), before=day, path=output)
    except ArchiveRefused as exc:
        fail(exc.zh, exc.en, lang)
    console.print(f"{done.path}: {done.rows} 条 / rows, {done.seals} 批次 / seals, "
                  f"sha256 {done.sha256}")
