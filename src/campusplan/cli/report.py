"""`campusplan report …`: the school Word report, the district and city Excel workbooks, and a
stored district's readiness against an active standard.

A thin shell: read school files → assess → plan and phase (as `campusplan plan`) → a builder in
`campusplan.reports`; `report readiness` reads the stored schools through the use case the
readiness page and the API use. Exit codes as elsewhere: 0 written, 2 invalid input or a bad
choice of school/district/standard (nothing written).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Annotated

import typer

from campusplan.cli.options import (
    AnnualBudget,
    AsOf,
    District,
    Lang,
    Per,
    Prices,
    School,
    SchoolFiles,
    Years,
    budget_of,
    console,
    fail,
    load_school_files,
    output_option,
    price_catalog,
    setup_django,
    zh,
)
from campusplan.cli.options import actor as cli_actor

app = typer.Typer(help="报告：学校 Word 报告、区级与市级 Excel 汇总 / reports (.docx, .xlsx)",
                  no_args_is_help=True)
DocxOut = Annotated[Path, output_option(".docx")]
XlsxOut = Annotated[Path, output_option(".xlsx")]


@app.command("school")
def school_cmd(files: SchoolFiles, output: DocxOut, school: School = None,
               budget: AnnualBudget = 1_000_000, years: Years = 3, per: Per = "school",
               prices: Prices = None, as_of: AsOf = None, lang: Lang = "zh") -> None:
    """学校 Word 报告（基本情况、达标情况、未达标与违规、建设规划）/ A school's .docx report."""
    from campusplan.reports.content import school_lines
    from campusplan.reports.school_docx import write_school_docx

    _check_suffix(output, ".docx")
    catalog, inputs = load_school_files(files, lang, as_of)
    codes = [s.code for s in inputs.schools]
    if school is None and len(codes) != 1:
        fail(f"请用 --school 指定学校：{'、'.join(codes)}",
             f"choose a school with --school: {', '.join(codes)}", lang)
    code = school or codes[0]
    if code not in codes:
        fail(f"文件中没有学校 {code}", f"no school {code} in the files", lang)
    p = _planned(catalog, inputs, budget, years, per, prices, as_of, lang)
    _save(lambda buf: write_school_docx(p, code, buf), output, school_lines(p, code), lang,
          p.schools[code]["name"])


@app.command("district")
def district_cmd(files: SchoolFiles, output: XlsxOut, district: District = None,
                 budget: AnnualBudget = 1_000_000, years: Years = 3, per: Per = "school",
                 prices: Prices = None, as_of: AsOf = None, lang: Lang = "zh") -> None:
    """区级 Excel 汇总（汇总、学校、建设规划、购买服务、单价来源）/ A district .xlsx workbook."""
    from campusplan.engine.inputs import Inputs
    from campusplan.reports.district_xlsx import write_district_xlsx

    _check_suffix(output, ".xlsx")
    catalog, inputs = load_school_files(files, lang, as_of)
    found = sorted({s.district for s in inputs.schools})
    if district is None and len(found) != 1:
        fail(f"文件含多个区，请用 --district 指定：{'、'.join(found)}",
             f"the files hold several districts; choose one with --district: "
             f"{', '.join(found)}", lang)
    code = district or found[0]
    if code not in found:
        fail(f"文件中没有区 {code} 的学校", f"no school of district {code}", lang)
    inputs = Inputs(schools=[s for s in inputs.schools if s.district == code],
                    district_services=[d for d in inputs.district_services if d.district == code])
    p = _planned(catalog, inputs, budget, years, per, prices, as_of, lang)
    what = f"学校 {len(p.schools)} 所" if zh(lang) else f"{len(p.schools)} schools"
    _save(lambda buf: write_district_xlsx(p, buf), output, p.lines, lang, what)


@app.command("city")
def city_cmd(files: SchoolFiles, output: XlsxOut, budget: AnnualBudget = 1_000_000,
             years: Years = 3, per: Per = "school", prices: Prices = None, as_of: AsOf = None,
             lang: Lang = "zh") -> None:
    """市级 Excel 汇总（各区一行）/ The city .xlsx summary, one row per district."""
    from campusplan.reports.city_xlsx import write_city_xlsx

    _check_suffix(output, ".xlsx")
    catalog, inputs = load_school_files(files, lang, as_of)
    p = _planned(catalog, inputs, budget, years, per, prices, as_of, lang)
    n = len({s["district"] for s in p.schools.values()})
    what = f"{n} 个区，学校 {len(p.schools)} 所" if zh(lang) else \
        f"{n} districts, {len(p.schools)} schools"
    _save(lambda buf: write_city_xlsx(p, buf), output, p.lines, lang, what)


ReadinessStandard = Annotated[str, typer.Option(
    "--standard", help="已启用的规范，如 youzhi / an active standard's key")]
ReadinessFormat = Annotated[str, typer.Option("--format", help="xlsx（默认）或 docx")]


@app.command("readiness")
def readiness_cmd(district: District = None, standard: ReadinessStandard = "youzhi",
                  fmt: ReadinessFormat = "xlsx",
                  output: Annotated[Path | None, output_option(".xlsx, .docx")] = None,
                  lang: Lang = "zh") -> None:
    """已登记学校按另一规范的达标情况（同达标情况页）/ A stored district's readiness (.xlsx/.docx)."""
    if fmt not in ("xlsx", "docx"):
        raise typer.BadParameter("--format must be xlsx or docx")
    if district is None:
        fail("请用 --district 指定区", "choose a district with --district", lang)
    output = output or Path(f"{district}-readiness-{standard}.{fmt}")
    _check_suffix(output, f".{fmt}")
    setup_django()
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from campusplan.usecases.reports import readiness_export

    try:
        r = readiness_export(actor=cli_actor(), code=district, standard=standard, fmt=fmt,
                             lang=lang)
    except (Http404, PermissionDenied):
        fail(f"没有已登记的区 {district}，或规范 {standard} 未启用（CAMPUSPLAN_STANDARDS）",
             f"no stored district {district}, or standard {standard} is not active "
             "(CAMPUSPLAN_STANDARDS)", lang)
    output.write_bytes(r.content)
    console.print(f"已生成 {output}" if zh(lang) else f"wrote {output}")


def _check_suffix(output: Path, suffix: str) -> None:
    if output.suffix.lower() != suffix:
        raise typer.BadParameter(f"-o must end in {suffix}")


def _planned(catalog, inputs, budget: float, years: int, per: str, prices: Path | None,
             as_of: dt.date | None, lang: str):
    """Assess and plan as `campusplan plan` does; a report is dated today unless `--as-of`."""
    from campusplan.engine.assessment import run
    from campusplan.reports.content import make_planned

    plan_budget = budget_of(budget, years, per)
    day = as_of or dt.date.today()
    return make_planned(run(catalog, inputs, day), price_catalog(prices), plan_budget, lang, day)


def _save(build, output: Path, lines, lang: str, what: str) -> None:
    """Build into memory first so a failure never leaves half a file behind."""
    from campusplan.reports.content import totals
    from campusplan.reports.labels import money

    buf = io.BytesIO()
    build(buf)
    output.write_bytes(buf.getvalue())
    tot = totals(lines)
    if zh(lang):
        console.print(f"已生成 {output}（{what}；规划 {tot['lines']} 项，已排期 "
                      f"{money(tot['scheduled'])} 元，预算不足 {money(tot['unfunded'])} 元，"
                      f"待定价 {tot['unpriced']} 项）")
    else:
        console.print(f"wrote {output} ({what}; {tot['lines']} plan lines, scheduled "
                      f"{money(tot['scheduled'])} RMB, unfunded {money(tot['unfunded'])} RMB, "
                      f"{tot['unpriced']} unpriced)")
