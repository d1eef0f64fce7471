"""Rendering of `campusplan assess`: tables by item, roll-ups, JSON rows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from campusplan.catalog import load_catalog
from campusplan.catalog import vocabulary as vocab
from campusplan.engine.assessment import run
from campusplan.engine.costs import service_costs
from campusplan.engine.inputs import InputInvalid, load_json_files

TONE_STYLE = {"ok": "green", "warn": "yellow", "bad": "bold red", "muted": "dim", "": ""}


def assess_files(files: list[Path], fmt: str, summary: bool, gaps_only: bool,
                 as_of: dt.date | None, lang: str, console: Console) -> int:
    catalog = load_catalog()
    try:
        inputs = load_json_files(files, catalog)
    except InputInvalid as exc:
        err = Console(stderr=True)
        head = f"输入有误（{len(exc.errors)} 处）：" if lang.startswith("zh") else \
            f"invalid input ({len(exc.errors)} problems):"
        err.print(f"[red]{head}[/red]")
        for e in exc.errors:
            err.print(f"  {e.message(lang)}")
        return 2
    result = run(catalog, inputs, as_of)
    costs = service_costs(result.frames, catalog)
    if fmt == "json":
        doc = {"catalog": catalog.version, "summary": result.summary().to_dicts(),
               "services": costs.to_dicts()}
        if not summary:
            doc["results"] = result.explained(lang=lang)
        print(json.dumps(doc, ensure_ascii=False, indent=1, default=str))
        return 0
    _print_summary(result.summary(), lang, console)
    if not summary:
        _print_details(result.explained(lang=lang), gaps_only, lang, console)
        _print_costs(costs, lang, console)
    return 0


def _pct(v) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _print_summary(df, lang: str, console: Console) -> None:
    zh = lang.startswith("zh")
    table = Table(title="评估汇总" if zh else "Summary", title_justify="left")
    cols = ("学校", "达标率(必配)", "数据完整度", "必配未达标") if zh else (
        "school", "rate (required)", "completeness", "required gaps")
    cols += tuple(vocab.label(vocab.STATUS, k, lang) for k in ("violation", "unknown"))
    for c in cols:
        table.add_column(c)
    for r in df.iter_rows(named=True):
        table.add_row(f"{r['name']} ({r['school_id']})", _pct(r["rate"]), _pct(r["completeness"]),
                      str(r["gaps"]), str(r["violations"]), str(r["unknown"]))
    console.print(table)


def _print_details(rows: list[dict], gaps_only: bool, lang: str, console: Console) -> None:
    zh = lang.startswith("zh")
    by_school: dict[str, list[dict]] = {}
    for r in rows:
        if r["status"] == "not_applicable" or (gaps_only and r["status"] not in ("gap", "violation")):
            continue
        by_school.setdefault(f"{r['name']} ({r['school_id']})", []).append(r)
    for school, items in by_school.items():
        table = Table(title=school, title_justify="left", show_lines=False)
        for c in ("要求", "级别", "结果", "说明") if zh else ("req", "level", "status", "explanation"):
            table.add_column(c, overflow="fold")
        items.sort(key=lambda r: (r["item"] or 99, vocab.status_rank(r["status"])))
        for r in items:
            style = TONE_STYLE[vocab.tone(vocab.STATUS, r["status"])]
            table.add_row(r["requirement_id"], vocab.label(vocab.LEVEL, r["level"], lang),
                          f"[{style}]{vocab.label(vocab.STATUS, r['status'], lang)}[/]", r["explanation"])
        console.print(table)


def _money(v) -> str:
    return "—" if v is None else f"{v:,.0f}"


def _print_costs(costs, lang: str, console: Console) -> None:
    if costs.height == 0:
        return
    zh = lang.startswith("zh")
    table = Table(title="购买服务年度费用（元）" if zh else "Yearly cost of services (RMB)",
                  title_justify="left")
    for c in ("学校", "类别", "服务", "提供方", "购买单位", "单价", "数量", "年度费用") if zh else (
            "school", "category", "service", "provided by", "unit", "price", "units", "per year"):
        table.add_column(c)
    for r in costs.iter_rows(named=True):
        by = vocab.label(vocab.PROVIDER, r["provided_by"], lang)
        table.add_row(r["school_id"], r["category"], r["name"], by, r["purchase_unit"] or "—",
                      _money(r["unit_price"]), _money(r["units"]), _money(r["yearly_cost"]))
    console.print(table)
