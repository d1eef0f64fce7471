"""`campusplan plan`: gaps → priced, phased construction plan (建设规划) from school files."""

from __future__ import annotations

import json
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from campusplan.catalog.vocabulary import FUNDING, label
from campusplan.cli.options import (
    AnnualBudget,
    AsOf,
    Format,
    Lang,
    Per,
    Prices,
    SchoolFiles,
    Years,
    budget_of,
    console,
    load_school_files,
    price_catalog,
    zh,
)
from campusplan.cli.render import money
from campusplan.engine.assessment import run
from campusplan.planning.phasing import Budget, phase, yearly_totals
from campusplan.planning.plan import plan_lines, tier_names
from campusplan.planning.whatif import grow


def plan_cmd(
    files: SchoolFiles,
    budget: AnnualBudget = 1_000_000,
    years: Years = 3,
    per: Per = "school",
    prices: Prices = None,
    grow_classes: Annotated[float, typer.Option(help="假设班级数增长 %")] = 0.0,
    grow_students: Annotated[float, typer.Option(help="假设学生数增长 %")] = 0.0,
    fmt: Format = "table",
    as_of: AsOf = None,
    lang: Lang = "zh",
) -> None:
    """生成建设规划与预算 / Plan and phase the work that closes the gaps."""
    plan_budget = budget_of(budget, years, per)
    catalog, inputs = load_school_files(files, lang, as_of)
    inputs = grow(inputs, grow_classes, grow_students)
    price_list = price_catalog(prices)
    lines = phase(plan_lines(run(catalog, inputs, as_of), price_list, lang, as_of), plan_budget)
    if fmt == "json":
        doc = {"catalog": catalog.version, "prices": price_list.version,
               "budget": plan_budget.__dict__, "lines": lines.to_dicts(),
               "totals": yearly_totals(lines).to_dicts()}
        print(json.dumps(doc, ensure_ascii=False, indent=1, default=str))
        return
    _print_lines(lines, tier_names(catalog), lang)
    _print_totals(lines, plan_budget, lang)


def _print_lines(lines: pl.DataFrame, tiers: dict, lang: str) -> None:
    for (tier,), group in lines.group_by("tier", maintain_order=True):
        table = Table(title=f"{tier} · {tiers[tier].get(lang)}", title_justify="left")
        for c in ("学校", "要求", "建设内容", "数量", "单价", "金额", "年度", "状态") if zh(lang) else (
                "school", "req", "line", "qty", "price", "cost", "year", "funding"):
            table.add_column(c, overflow="fold")
        for r in group.iter_rows(named=True):
            what = r["label"] or r["action"]
            table.add_row(r["school"] or r["school_id"], r["requirement_id"] or "—", what,
                          f"{r['quantity']:g} {r['unit']}", money(r["unit_price"]),
                          money(r["cost"]), str(r["year"] or "—"),
                          label(FUNDING, r["funding"], lang))
        console.print(table)


def _print_totals(lines: pl.DataFrame, budget: Budget, lang: str) -> None:
    z = zh(lang)
    per = ("每校" if budget.per == "school" else "合计") if z else budget.per
    console.print(f"[bold]{'年度预算' if z else 'Annual budget'} ({per}): "
                  f"{money(budget.per_year)} × {budget.years}[/bold]")
    for r in yearly_totals(lines).iter_rows(named=True):
        funding = label(FUNDING, r["funding"], lang)
        year = f" {'第' if z else 'year '}{r['year']}{'年' if z else ''}" if r["year"] else ""
        amount = "" if r["funding"] == "unpriced" else \
            f"，{money(r['cost'])} {'元' if z else 'RMB'}"
        console.print(f"  {funding}{year}: {r['lines']} {'项' if z else 'lines'}{amount}")
