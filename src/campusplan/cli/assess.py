"""`campusplan assess` (school JSON files) and `campusplan assess-stored` (the database)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from campusplan.cli.options import (
    AsOf,
    District,
    Format,
    Lang,
    School,
    SchoolFiles,
    ShowProgress,
    User,
    actor,
    console,
    fail,
    load_school_files,
    progress_bar,
    require_scope,
    setup_django,
    zh,
)
from campusplan.cli.render import TONE_STYLE, money, print_summary


def assess_cmd(
    files: SchoolFiles,
    fmt: Format = "table",
    summary: Annotated[bool, typer.Option("--summary", help="只输出汇总 / roll-up only")] = False,
    gaps_only: Annotated[bool, typer.Option("--gaps", help="只显示未达标与违规")] = False,
    as_of: AsOf = None,
    lang: Lang = "zh",
) -> None:
    """评估学校达标情况 / Assess schools against the standard."""
    from campusplan.engine.assessment import run
    from campusplan.engine.costs import service_costs

    catalog, inputs = load_school_files(files, lang, as_of)
    result = run(catalog, inputs, as_of)
    costs = service_costs(result.frames, catalog)
    if fmt == "json":
        doc = {"catalog": catalog.version, "summary": result.summary().to_dicts(),
               "services": costs.to_dicts()}
        if not summary:
            doc["results"] = result.explained(lang=lang)
        print(json.dumps(doc, ensure_ascii=False, indent=1, default=str))
        return
    print_summary(result.summary(), lang)
    if not summary:
        _print_details(result.explained(lang=lang), gaps_only, lang)
        _print_costs(costs, lang)


def assess_stored_cmd(
    district: District = None, school: School = None, as_of: AsOf = None,
    explain: Annotated[bool, typer.Option("--explain", help="（已无需：说明在读取时生成）")] = False,
    user: User = "", lang: Lang = "zh", progress: ShowProgress = None,
) -> None:
    """评估已存储的学校并保存结果 / Assess stored schools and store the run."""
    require_scope(district, school, lang)
    setup_django()
    from campusplan.usecases import runs, scoping

    who = actor(user)
    schools = list(scoping.schools_of(who).filter(
        **({"code": school} if school else {"district__code": district})).order_by("code"))
    if not schools:
        fail("没有已登记的学校", "no stored schools", lang)
    with progress_bar(progress) as bar:
        record, result = runs.assess(actor=who, schools=schools, as_of=as_of, progress=bar)
    if result is not None:  # a run in batches (CAMPUSPLAN_RUN_BATCH) returns no Assessment
        print_summary(result.summary(), lang)
    console.print(f"{'已保存评估批次' if zh(lang) else 'stored run'} #{record.pk}: "
                  f"{record.catalog_version}, {record.results} rows, {record.counts}")


def _print_details(rows: list[dict], gaps_only: bool, lang: str) -> None:
    from campusplan.catalog import vocabulary as vocab

    by_school: dict[str, list[dict]] = {}
    for r in rows:
        if r["status"] == "not_applicable" or (gaps_only and r["status"] not in ("gap", "violation")):
            continue
        by_school.setdefault(f"{r['name']} ({r['school_id']})", []).append(r)
    for school, items in by_school.items():
        items.sort(key=lambda r: (r["item"] or 99, vocab.status_rank(r["status"])))
        console.print(_details_table(school, items, lang))


def _details_table(school: str, items: list[dict], lang: str) -> Table:
    from rich.text import Text

    from campusplan.catalog import vocabulary as vocab

    table = Table(title=school, title_justify="left", show_lines=False)
    for c in ("要求", "级别", "结果", "说明") if zh(lang) else ("req", "level", "status", "explanation"):
        table.add_column(c, overflow="fold")
    # Text cells, not strings: a string is parsed as console markup, which cost a third of
    # printing a school's ~150 rows and would eat an explanation's own "[…]"
    for r in items:
        style = TONE_STYLE[vocab.tone(vocab.STATUS, r["status"])]
        table.add_row(Text(r["requirement_id"]), Text(vocab.label(vocab.LEVEL, r["level"], lang)),
                      Text(vocab.label(vocab.STATUS, r["status"], lang), style=style),
                      Text(r["explanation"]))
    return table


def _print_costs(costs, lang: str) -> None:
    from campusplan.catalog import vocabulary as vocab

    if costs.height == 0:
        return
    z = zh(lang)
    table = Table(title="购买服务年度费用（元）" if z else "Yearly cost of services (RMB)",
                  title_justify="left")
    for c in ("学校", "类别", "服务", "提供方", "购买单位", "单价", "数量", "年度费用") if z else (
            "school", "category", "service", "provided by", "unit", "price", "units", "per year"):
        table.add_column(c)
    for r in costs.iter_rows(named=True):
        by = vocab.label(vocab.PROVIDER, r["provided_by"], lang)
        table.add_row(r["school_id"], r["category"], r["name"], by, r["billing_unit"] or "—",
                      money(r["price_per_unit"]), money(r["units"]), money(r["yearly_cost"]))
    console.print(table)
