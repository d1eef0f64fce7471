"""Rich tables more than one command prints: the assessment summary, import problems, changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Table

from campusplan.cli.options import console, err, zh

if TYPE_CHECKING:
    import polars as pl


def pct(v) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def money(v) -> str:
    return "—" if v is None else f"{v:,.0f}"


TONE_STYLE = {"ok": "green", "warn": "yellow", "bad": "bold red", "muted": "dim", "": ""}


def rate_cell(row: dict, lang: str) -> str:
    """The rate, the required requirements it was judged on, and 不可比 under the catalog's
    completeness threshold (the summary's `comparable`, engine.rollup.comparable)."""
    judged = f"（{row['judged']} 项）" if zh(lang) else f" ({row['judged']} judged)"
    flag = ("" if row.get("comparable") is not False
            else " [yellow]不可比[/yellow]" if zh(lang) else " [yellow]not comparable[/yellow]")
    return f"{pct(row['rate'])}{judged}{flag}"


def print_summary(df: pl.DataFrame, lang: str) -> None:
    """One row per school: compliance rate, completeness, gaps, violations, unknown."""
    from campusplan.catalog import vocabulary as vocab

    table = Table(title="评估汇总" if zh(lang) else "Summary", title_justify="left")
    cols = ("学校", "达标率(必配)", "数据完整度", "必配未达标") if zh(lang) else (
        "school", "rate (required)", "completeness", "required gaps")
    cols += tuple(vocab.label(vocab.STATUS, k, lang) for k in ("violation", "unknown"))
    for c in cols:
        table.add_column(c)
    for r in df.iter_rows(named=True):
        table.add_row(f"{r['name']} ({r['school_id']})", rate_cell(r, lang),
                      pct(r["completeness"]), str(r["gaps"]), str(r["violations"]),
                      str(r["unknown"]))
    console.print(table)


def print_problems(problems, lang: str, limit: int) -> None:
    """Every located problem of a rejected import (file, sheet, cell, value, reason), on stderr."""
    z = zh(lang)
    err.print(f"[red]{'发现' if z else 'found'} {len(problems)} "
              f"{'处问题，未写入任何数据' if z else 'problems; nothing was written'}[/red]")
    table = Table(show_lines=False)
    for col in ("文件", "工作表", "单元格", "值", "问题") if z else (
            "file", "sheet", "cell", "value", "problem"):
        table.add_column(col, overflow="fold")
    for p in problems[:limit]:
        w = p.where
        table.add_row(w.file, w.sheet, w.cell() or (f"{w.row}" if w.row else w.path),
                      "" if p.value is None else str(p.value)[:40], p.zh if z else p.en)
    err.print(table)
    if len(problems) > limit:
        err.print(f"… {len(problems) - limit} more")


def print_changes(report, lang: str, limit: int) -> None:
    """What an import wrote (or, on a dry run, would write): a table on dry runs, then counts."""
    z, counts, changes = zh(lang), report.plan.counts(), report.plan.changes
    if not changes:
        console.print("[green]没有变化：数据与已存储的一致[/green]" if z
                      else "[green]no changes: the data equals what is stored[/green]")
        return
    if report.dry_run:
        _print_change_table(changes[:limit], lang)
    verb = ("试运行：将" if report.dry_run else "已") if z else (
        "dry run: would " if report.dry_run else "")
    console.print(f"{verb}{'写入' if z else 'write'} {len(changes)} "
                  f"{'处变化' if z else 'changes'} {counts}")


def _print_change_table(changes, lang: str) -> None:
    table = Table(title="将发生的变化（试运行，未写入）" if zh(lang) else "Changes (dry run)")
    for col in ("学校", "对象", "项", "原值", "新值", "来源"):
        table.add_column(col, overflow="fold")
    for c in changes:
        table.add_row(c.school or "", f"{c.target} {c.ref}".strip().replace("\x1f", "/"),
                      c.key, _show(c.old), _show(c.new),
                      c.where.describe(lang) if c.where else "")
    console.print(table)


def _show(value) -> str:
    if value is None:
        return "—"
    return getattr(value, "asset_tag", None) or str(value)


def print_conflicts(conflicts, lang: str) -> None:
    """Cells changed since the file was made (or stated counts an inventory would replace):
    nothing was written; choose with --choose ID=file|stored, --force or --keep-stored."""
    z = zh(lang)
    table = Table(title="冲突：文件生成后数据已被修改，未写入" if z
                  else "Conflicts: the data changed since the file was made; nothing written")
    for col in (("冲突 id", "原值", "现存值", "文件值", "修改者") if z
                else ("conflict id", "then", "stored", "file", "changed by")):
        table.add_column(col, overflow="fold")
    for c in conflicts:
        table.add_row(c.id, str(c.then), str(c.change.old), str(c.change.new), c.by)
    console.print(table)
    console.print("用 --choose <冲突 id>=file|stored 逐个选择，或 --force / --keep-stored" if z
                  else "choose with --choose <conflict id>=file|stored, or --force / --keep-stored")


def parse_choices(raw: list[str], lang: str) -> dict[str, str]:
    out = {}
    for item in raw:
        cid, _eq, choice = item.rpartition("=")
        if not cid or choice not in ("file", "stored"):
            console.print(f"[red]--choose {item}[/red]: " + (
                "应为 <冲突 id>=file|stored" if zh(lang) else "expected <conflict id>=file|stored"))
            raise typer.Exit(2)
        out[cid] = choice
    return out
