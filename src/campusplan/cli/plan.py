"""`campusplan plan`: gaps → priced, phased construction plan (建设规划), from school files or
from stored schools (`--school` / `--district`: their stored run, each district's price list)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from campusplan.cli.options import (
    AnnualBudget,
    AsOf,
    District,
    Format,
    Lang,
    Per,
    Prices,
    School,
    Years,
    actor,
    budget_of,
    console,
    fail,
    load_school_files,
    price_catalog,
    setup_django,
    zh,
)
from campusplan.cli.render import money

# the engine and planning load Polars: imported by the command that runs them (fast --help)
if TYPE_CHECKING:
    import polars as pl

    from campusplan.planning.phasing import Budget


def plan_cmd(
    files: Annotated[list[Path] | None, typer.Argument(
        help="school JSON files (或用 --school / --district 规划已存储的学校)")] = None,
    school: School = None,
    district: District = None,
    budget: AnnualBudget = 1_000_000,
    basis: Annotated[str, typer.Option(
        "--basis", help="year: --budget 为每年预算; total: 为各年合计")] = "year",
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
    from campusplan.engine.assessment import run
    from campusplan.planning.phasing import phase, yearly_totals
    from campusplan.planning.plan import plan_lines, tier_names
    from campusplan.planning.whatif import grow

    if basis not in ("year", "total"):
        raise typer.BadParameter("--basis must be year or total")
    plan_budget = budget_of(budget / years if basis == "total" else budget, years, per)
    if not files:
        _stored(school, district, plan_budget, prices, fmt, lang)
        return
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


def _stored(school: str | None, district: str | None, budget: Budget, prices, fmt: str,
            lang: str) -> None:
    """The plan of stored schools through the use case (as the web page and the API)."""
    import polars as pl

    from campusplan.planning.phasing import yearly_totals

    if (school is None) == (district is None):
        fail("请给出学校文件，或 --school / --district 之一", "give school files, or one of "
             "--school / --district", lang)
    setup_django()
    from django.http import Http404

    from campusplan.usecases.plans import plan_scope, planned

    who = actor()
    try:
        scope = plan_scope(actor=who, kind="school" if school else "district",
                           code=school or district)
    except Http404:
        fail(f"没有已登记的学校或区：{school or district}",
             f"no stored school or district {school or district}", lang)
    if not scope.schools:
        fail("该区没有已登记的学校", "the district has no stored schools", lang)
    p = planned(actor=who, schools=scope.schools, budget=budget,
                prices=price_catalog(prices) if prices else None, lang=lang)
    if fmt == "json":
        doc = {"run": p.run, "prices": p.prices.version, "budget": budget.__dict__,
               "lines": p.lines.to_dicts(), "totals": yearly_totals(p.lines).to_dicts()}
        print(json.dumps(doc, ensure_ascii=False, indent=1, default=str))
        return
    _print_lines(p.lines, p.tiers, lang)
    _print_totals(p.lines, budget, lang)
    n, unpriced = p.lines.height, p.lines.filter(pl.col("funding") == "unpriced").height
    if n:
        console.print(f"  {'价格覆盖率' if zh(lang) else 'Price coverage'}: "
                      f"{(n - unpriced) / n:.0%} ({'评估批次' if zh(lang) else 'run'} #{p.run}, "
                      f"{p.prices.version})")


def _print_lines(lines: pl.DataFrame, tiers: dict, lang: str) -> None:
    from campusplan.catalog.vocabulary import FUNDING, label

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
    from campusplan.catalog.vocabulary import FUNDING, label
    from campusplan.planning.phasing import yearly_totals

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

