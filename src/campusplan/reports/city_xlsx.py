"""The city summary workbook (市级统筹): one row per district.

Sheets: 汇总 (city totals as in the district workbook, plus a chart of each district's required
compliance rate) and 各区 (one row per district: schools, rate, completeness, counts, plan money,
services; a city total row last), 单价来源 (the price catalog used).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.chart import Reference
from openpyxl.worksheet.worksheet import Worksheet

from campusplan.reports import content as c
from campusplan.reports import xlsx_tools as xt
from campusplan.reports.district_xlsx import bar_chart, figures_block, prices_sheet
from campusplan.reports.labels import comparability, t

DISTRICT_HEAD = ("c_district_code", "c_district", "c_schools", "c_rate", "c_judged",
                 "c_comparable", "c_completeness",
                 "c_met", "c_gaps", "c_violations", "c_unknown", "c_optional_gaps", "k_lines",
                 "c_scheduled", "c_unfunded", "c_unpriced", "c_priced_total", "c_services_cost")
KEYS = ("schools", "rate", "judged", "comparable", "completeness", "met", "gaps", "violations", "unknown",
        "optional_gaps", "lines", "scheduled", "unfunded", "unpriced", "priced_total", "services")
FORMATS = {3: xt.PCT, 6: xt.PCT} | {i: xt.MONEY for i in (13, 14, 16, 17)}
DERIVED = ("rate", "comparable", "completeness")  # not sums: taken over all result rows


def write_city_xlsx(p: c.Planned, out: str | Path | IO[bytes]) -> None:
    build_city_xlsx(p).save(out)


def build_city_xlsx(p: c.Planned) -> Workbook:
    wb = Workbook()
    lang = p.lang
    summary(wb.active, p)
    districts_sheet(wb.create_sheet(t("s_districts", lang)), p)
    prices_sheet(wb.create_sheet(t("s_prices", lang)), p)
    wb.properties.title, wb.properties.creator = t("city_title", lang), "campusplan"
    return wb


def city_total(p: c.Planned, rows: list[dict]) -> dict:
    """The city row: counts and money summed, rate and completeness over all result rows."""
    total = {k: sum(r[k] for r in rows) for k in KEYS if k not in DERIVED}
    o = c.overall(p)
    return total | {k: o[k] for k in DERIVED}


def districts_sheet(ws: Worksheet, p: c.Planned) -> None:
    lang = p.lang
    rows = c.district_rows(p)
    table = [[r["district"], r["district_name"], *_cells(r, lang)] for r in rows]
    table.append(["", t("district_total", lang), *_cells(city_total(p, rows), lang)])
    last, last_col = xt.write_table(ws, [t(k, lang) for k in DISTRICT_HEAD], table, lang,
                                    formats=FORMATS)
    ws.auto_filter.ref = f"A1:{ws.cell(last - 1, last_col).coordinate}"  # the total row stays out
    xt.bold_row(ws, last, 1, last_col, lang)
    ws.freeze_panes = "C2"
    xt.print_setup(ws, t("footer", lang, page="&P", pages="&N"), title_rows="1:1")


def _cells(row: dict, lang: str) -> list:
    return [comparability(row[k], lang) if k == "comparable" else row[k] for k in KEYS]


def summary(ws: Worksheet, p: c.Planned) -> None:
    lang = p.lang
    ws.title = t("s_summary", lang)
    xt.title(ws, t("city_title", lang), lang)
    figures_block(ws, p, top=3)
    rows = c.district_rows(p)
    head = [t("c_district", lang), t("c_rate", lang)]
    last, _ = xt.write_table(ws, head, [[r["district_name"], r["rate"]] for r in rows], lang,
                             formats={1: xt.PCT}, top=3, left=4, filters=False)
    chart = bar_chart(t("chart_districts", lang), horizontal=True, percent=True)
    chart.height = max(7.5, 0.6 * len(rows) + 2)
    chart.add_data(Reference(ws, min_col=5, min_row=3, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=4, min_row=4, max_row=last))
    ws.add_chart(chart, "G3")
    xt.print_setup(ws, t("footer", lang, page="&P", pages="&N"))
