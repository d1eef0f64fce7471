"""`campusplan catalog …` — the standard as data: list, show, validate, counts, schemas, docs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from campusplan.cli.options import Lang, console, zh

# The catalog package loads Polars (its check kinds compile to it): imported by each command,
# so `campusplan --help` does not pay for it.
if TYPE_CHECKING:
    from campusplan.catalog.schema import Standard

app = typer.Typer(help="规范目录 / the standard as data", no_args_is_help=True)


# catalog.loader.DEFAULT_STANDARD, spelled out here: importing the loader loads the schema
# (pydantic) and `--help` would pay for it (tests/cli/test_startup.py pins both)
DEFAULT_STANDARD = "beijing"
StandardKey = Annotated[str, typer.Option(
    "--standard", help="规范：beijing（默认）或 youzhi / the standard's key")]


def _catalog(key: str, lang: str = "zh"):
    """The standard named on the command line; an unknown key is a clear error (exit 1)."""
    from campusplan.catalog import load_catalog
    from campusplan.catalog.loader import standard_keys

    try:
        return load_catalog(key)
    except KeyError:
        known = ", ".join(standard_keys())
        console.print(f"[red]没有规范 {key}（可选：{known}）[/red]" if zh(lang)
                      else f"[red]no standard {key} (known: {known})[/red]")
        raise typer.Exit(1) from None


def _level(level, lang: str) -> str:
    from campusplan.catalog.schema import LEVEL_ZH

    return LEVEL_ZH[level] if zh(lang) else level.value


def _params_read(req) -> list[str]:
    from campusplan.catalog import expr

    names = set()
    texts = list(req.check.reads().values()) + [req.applies or ""]
    for text in filter(None, texts):
        names |= {n for ns, n in expr.refs(expr.parse(text)) if ns == "param"}
    return sorted(names)


@app.command("list")
def catalog_list(lang: Lang = "zh", standard: StandardKey = DEFAULT_STANDARD) -> None:
    """列出全部配置项（按领域分组）/ List items grouped by area."""
    from campusplan.catalog.schema import LEVEL_ZH, Level

    std = _catalog(standard, lang).standard
    for area in std.areas:
        table = Table(title=f"{area.chapter} {area.name.get(lang)}", title_justify="left")
        for col in ("序号", "功能要求", "适用对象", LEVEL_ZH[Level.required],
                    LEVEL_ZH[Level.optional], "规则") if zh(lang) else (
                "item", "title", "audience", "required", "optional", "rules"):
            table.add_column(col)
        for it in area.items:
            req = sum(r.level.value == "required" for r in it.requirements)
            table.add_row(str(it.number), it.title, it.audience, str(req),
                          str(len(it.requirements) - req), str(len(it.rules)))
        console.print(table)


@app.command("show")
def catalog_show(item: int, lang: Lang = "zh", standard: StandardKey = DEFAULT_STANDARD) -> None:
    """显示一个配置项的全部要求 / Show one item with its requirements."""
    from campusplan.catalog.schema import STAGE_ZH

    std = _catalog(standard, lang).standard
    try:
        it = std.item(item)
    except KeyError:
        console.print(f"[red]没有序号 {item}[/red]" if zh(lang) else f"[red]no item {item}[/red]")
        raise typer.Exit(1) from None
    stages = "、".join(STAGE_ZH[s] for s in it.stages)
    console.print(f"[bold]序号 {it.number} {it.title}[/bold]  §{it.section} {it.heading}  {it.audience}（{stages}）")
    for remark in it.remarks:
        console.print(f"  备注：{remark}" if zh(lang) else f"  remark: {remark}")
    params = {p.key: p for p in std.parameters}
    for req in it.requirements + it.rules:
        console.print(f"\n[bold]{req.id}[/bold] {req.marker or ''} [{_level(req.level, lang)}] {req.text}")
        console.print(f"  check: {req.check.model_dump(exclude_none=True)}")
        if req.applies:
            console.print(f"  applies: {req.applies}")
        for key in _params_read(req):
            p = params[key]
            console.print(f"  param.{key} = {p.value} {p.unit_in(lang)}  ({p.label.get(lang)}; {p.source.where()})")
        if req.note:
            console.print(f"  [italic]note: {req.note}[/italic]")


@app.command("params")
def catalog_params(lang: Lang = "zh", standard: StandardKey = DEFAULT_STANDARD) -> None:
    """列出全部参数及其出处 / List every parameter with its source."""
    table = Table()
    for col in ("key", "值" if zh(lang) else "value", "单位" if zh(lang) else "unit",
                "名称" if zh(lang) else "label", "出处" if zh(lang) else "source", "原文"
                if zh(lang) else "quote"):
        table.add_column(col)
    for p in _catalog(standard, lang).standard.parameters:
        value = "（待设定）" if p.value is None else str(p.value)
        table.add_row(p.key, value, p.unit_in(lang), p.label.get(lang), p.source.where(), p.source.quote)
    console.print(table)


@app.command("facts")
def catalog_facts(lang: Lang = "zh", scope: str | None = None) -> None:
    """列出指标字典 / List the fact dictionary."""
    from campusplan.catalog import load_catalog
    from campusplan.catalog.schema import Scope

    table = Table()
    for col in ("key", "scope", "label", "type", "unit", "range"):
        table.add_column(col)
    for f in load_catalog().facts.facts:
        if scope and f.scope != Scope(scope):
            continue
        rng = "/".join(f.choices) if f.choices else (
            "" if f.min is None and f.max is None else f"{f.min}–{f.max}")
        table.add_row(f.key, f.scope.value, f.label.get(lang), f.type.value, f.unit_in(lang), rng)
    console.print(table)


@app.command("validate")
def catalog_validate(
    file: Annotated[Path | None, typer.Argument(help="standard YAML (默认: 内置北京规范)")] = None,
    facts: Annotated[Path | None, typer.Option(help="fact dictionary YAML")] = None,
    lang: Lang = "zh",
) -> None:
    """校验规范文件（结构、类型、含义）/ Validate a standard YAML: structure, types, meaning."""
    from pydantic import ValidationError

    from campusplan.catalog.loader import STANDARDS_DIR, load_files
    from campusplan.catalog.validate import validate

    std_path = file or STANDARDS_DIR / "beijing.yaml"
    try:
        cat = load_files(std_path, facts or STANDARDS_DIR / "facts.yaml")
    except ValidationError as exc:
        for e in exc.errors():
            console.print(f"[red]{std_path}: {'.'.join(map(str, e['loc']))}: {e['msg']}[/red]")
        raise typer.Exit(1) from None
    problems = validate(cat)
    for p in problems:
        console.print(f"[red]{std_path}: {p}[/red]")
    if problems:
        raise typer.Exit(1)
    ok = "校验通过" if zh(lang) else "valid"
    console.print(f"[green]{ok}[/green]: {cat.version}")


def stats_of(std: Standard) -> dict[str, int]:
    items = std.items()
    table = [r for it in items for r in it.requirements]
    table_ids = {r.id for r in table}
    rules = [r for _a, _i, r in std.requirements()
             if r.id not in table_ids and r.marker is None and r.source is not None]
    return {
        "items": len(items), "table_requirements": len(table),
        "required": sum(r.level.value == "required" for r in table),
        "optional": sum(r.level.value == "optional" for r in table),
        "remark_rules": sum(1 for r in rules if r.source.item is not None),
        "body_rules": sum(1 for r in rules if r.source.section is not None),
        "parameters": len(std.parameters),
        "informational": len(std.informational),
    }


def kinds_of(std: Standard) -> dict[str, int]:
    """Requirements by check kind, in the order the kinds first appear."""
    out: dict[str, int] = {}
    for _a, _i, r in std.requirements():
        out[r.check.kind] = out.get(r.check.kind, 0) + 1
    return out


@app.command("stats")
def catalog_stats(lang: Lang = "zh", standard: StandardKey = DEFAULT_STANDARD) -> None:
    """统计 / Counts of items, requirements and rules."""
    cat = _catalog(standard, lang)
    s = stats_of(cat.standard)
    kinds = kinds_of(cat.standard)
    labels = {r.check.kind: r.check.label for _a, _i, r in cat.standard.requirements()}
    if zh(lang):
        console.print(f"{cat.standard.identity.title}（{cat.version}）")
        console.print(f"配置项 {s['items']} 项；表内配置要求 {s['table_requirements']} 条"
                      f"（必配 {s['required']}，选配 {s['optional']}）；备注规则 {s['remark_rules']} 条；"
                      f"正文规则 {s['body_rules']} 条；参数 {s['parameters']} 个；"
                      f"指标 {len(cat.facts.facts)} 项")
    else:
        console.print(f"{s['items']} items; {s['table_requirements']} table requirements "
                      f"({s['required']} required, {s['optional']} optional); {s['remark_rules']} "
                      f"remark rules; {s['body_rules']} body-text rules; {s['parameters']} "
                      f"parameters; {len(cat.facts.facts)} facts")
    if standard != DEFAULT_STANDARD:  # the default's two lines stay as docs/catalog.md quotes them
        sep = "，" if zh(lang) else ", "
        console.print(("检查类型：" if zh(lang) else "check kinds: ") + sep.join(
            f"{labels[k].get(lang)} {n}" for k, n in kinds.items()))
        if s["informational"]:
            console.print(f"列举不判定 {s['informational']} 项" if zh(lang)
                          else f"{s['informational']} listed, not judged")


@app.command("schema")
def catalog_schema() -> None:
    """输出规范 YAML 的 JSON Schema（供编辑器使用）/ Print the JSON Schema of a standard."""
    from campusplan.catalog.schema import Standard

    typer.echo(json.dumps(Standard.model_json_schema(), ensure_ascii=False, indent=2))


@app.command("input-schema")
def catalog_input_schema() -> None:
    """输出学校输入格式的 JSON Schema / Print the JSON Schema of the school input format."""
    from campusplan.catalog import load_catalog
    from campusplan.engine.input_schema import input_schema

    typer.echo(json.dumps(input_schema(load_catalog()), ensure_ascii=False, indent=1))


@app.command("docs")
def catalog_docs(standard: StandardKey = DEFAULT_STANDARD) -> None:
    """生成规范参考文档（Markdown）/ Print the catalog reference generated from the YAML."""
    from campusplan.catalog.reference_doc import reference_markdown

    typer.echo(reference_markdown(_catalog(standard)), nl=False)
