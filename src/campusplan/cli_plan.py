"""`campusplan plan`: gaps → priced, phased construction plan (建设规划) from school files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from campusplan.catalog import load_catalog
from campusplan.catalog.vocabulary import FUNDING, label
from campusplan.engine.assessment import run
from campusplan.engine.inputs import InputInvalid, load_json_files
from campusplan.planning.phasing import Budget, phase, yearly_totals
from campusplan.planning.plan import plan_lines, tier_names
from campusplan.planning.prices import default_prices, load_prices
from campusplan.planning.whatif import grow


def plan_files(files: list[Path], budget: Budget, prices_file: Path | None, grow_classes: float,
               grow_students: float, as_of: dt.date | None, fmt: str, lang: str,
               console: Console) -> int:
    catalog = load_catalog()
    try:
        inputs = load_json_files(files, catalog)
    except InputInvalid as exc:
        err = Console(stderr=True)
        for e in exc.errors:
            err.print(f"  {e.message(lang)}")
        return 2
    inputs = grow(inputs, grow_classes, grow_students)
    prices = load_prices(prices_file) if prices_file else default_prices()
    lines = phase(plan_lines(run(catalog, inputs, as_of), prices, lang, as_of), budget)
    if fmt == "json":
        doc = {"catalog": catalog.version, "prices": prices.version,
               "budget": budget.__dict__, "lines": lines.to_dicts(),
               "totals": yearly_totals(lines).to_dicts()}
        print(json.dumps(doc, ensure_ascii=False, indent=1, default=str))
        return 0
    _print_lines(lines, tier_names(catalog), lang, console)
    _print_totals(lines, budget, lang, console)
    return 0


def _money(v) -> str:
    return "—" if v is None else f"{v:,.0f}"


def _print_lines(lines: pl.DataFrame, tiers: dict, lang: str, console: Console) -> None:
    zh = lang.startswith("zh")
    for (tier,), group in lines.group_by("tier", maintain_order=True):
        table = Table(title=f"{tier} · {tiers[tier].get(lang)}", title_justify="left")
        for c in ("学校", "要求", "建设内容", "数量", "单价", "金额", "年度", "状态") if zh else (
                "school", "req", "line", "qty", "price", "cost", "year", "funding"):
            table.add_column(c, overflow="fold")
        for r in group.iter_rows(named=True):
            what = r["label"] or r["action"]
            table.add_row(r["school"] or r["school_id"], r["requirement_id"] or "—", what,
                          f"{r['quantity']:g} {r['unit']}", _money(r["unit_price"]),
                          _money(r["cost"]), str(r["year"] or "—"),
                          label(FUNDING, r["funding"], lang))
        console.print(table)


def _print_totals(lines: pl.DataFrame, budget: Budget, lang: str, console: Console) -> None:
    zh = lang.startswith("zh")
    per = ("每校" if budget.per == "school" else "合计") if zh else budget.per
    console.print(f"[bold]{'年度预算' if zh else 'Annual budget'} ({per}): "
                  f"{_money(budget.per_year)} × {budget.years}[/bold]")
    for r in yearly_totals(lines).iter_rows(named=True):
        funding = label(FUNDING, r["funding"], lang)
        year = f" {'第' if zh else 'year '}{r['year']}{'年' if zh else ''}" if r["year"] else ""
        amount = "" if r["funding"] == "unpriced" else \
            f"，{_money(r['cost'])} {'元' if zh else 'RMB'}"
        console.print(f"  {funding}{year}: {r['lines']} {'项' if zh else 'lines'}{amount}")
