"""The district workbook (区级汇总): what a district IT centre hands to finance.

Sheets: 汇总 (district totals, rate, completeness, counts, budget by year, two native Excel
charts), 学校 (one row per school), 建设规划 (every plan line with priority, year and funding),
购买服务 (yearly cost of purchased services), 单价来源 (the price catalog used, with sources, so
a district can fill in its own 协议供货价). Numbers are written as numbers (with formats), text
is neutralised against formula injection.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet.worksheet import Worksheet

from campusplan.reports import content as c
from campusplan.reports import xlsx_tools as xt
from campusplan.reports.labels import (
    FUNDING,
    LEVEL,
    LINE_KIND,
    PRICE_BASIS,
    PROVIDER,
    comparability,
    listed,
    req_ids,
    t,
    word,
)


def write_district_xlsx(p: c.Planned, out: str | Path | IO[bytes]) -> None:
    build_district_xlsx(p).save(out)


def scope_name(p: c.Planned) -> str:
    codes = sorted({s["district"] for s in p.schools.values()})
    return listed((c.district_name(code, p.lang) for code in codes), p.lang)


def build_district_xlsx(p: c.Planned) -> Workbook:
    wb = Workbook()
    lang = p.lang
    summary_sheet(wb.active, p, t("district_title", lang, district=scope_name(p)))
    schools_sheet(wb.create_sheet(t("s_schools", lang)), p)
    lines_sheet(wb.create_sheet(t("s_lines", lang)), p)
    services_sheet(wb.create_sheet(t("s_services", lang)), p)
    prices_sheet(wb.create_sheet(t("s_prices", lang)), p)
    wb.properties.title = t("district_title", lang, district=scope_name(p))
    wb.properties.creator = "campusplan"
    return wb


def key_figures(p: c.Planned) -> list[tuple[str, object, str | None]]:
    """(label, value, number format) rows of the summary sheet."""
    lang, o, tot = p.lang, c.overall(p), c.totals(p.lines)
    b = p.budget
    rows = [
        (t("k_schools", lang), len(p.schools), xt.INT),
        (t("k_rate", lang), o["rate"], xt.PCT),
        (t("k_judged", lang), o["judged"], xt.INT),
        (t("k_comparable", lang), comparability(o["comparable"], lang), None),
        (t("k_completeness", lang), o["completeness"], xt.PCT),
        (t("k_gaps", lang), o["gaps"], xt.INT),
        (t("k_violations", lang), o["violations"], xt.INT),
        (t("k_unknown", lang), o["unknown"], xt.INT),
        (t("k_optional_gaps", lang), o["optional_gaps"], xt.INT),
        (t("k_lines", lang), tot["lines"], xt.INT),
    ]
    rows += [(t("t_year", lang, year=y), cost, xt.MONEY)
             for y, (_n, cost) in tot["by_year"].items()]
    rows += [
        (t("t_scheduled", lang), tot["scheduled"], xt.MONEY),
        (t("t_unfunded", lang), tot["unfunded"], xt.MONEY),
        (t("c_unpriced", lang), tot["unpriced"], xt.INT),
        (t("t_priced_total", lang), tot["priced_total"], xt.MONEY),
        (t("t_services", lang), float(p.services["yearly_cost"].sum()), xt.MONEY),
        (t("k_budget", lang), b.per_year, xt.MONEY),
        (t("k_budget_per", lang), t("per_school" if b.per == "school" else "per_all", lang), None),
        (t("k_years", lang), b.years, xt.INT),
        (t("k_as_of", lang), p.as_of.isoformat(), None),
        *([(t("k_run", lang), f"#{p.run}", None)] if p.run is not None else []),
        (t("k_catalog", lang), p.assessment.catalog.version, None),
        (t("k_prices", lang), p.prices.version, None),
    ]
    return rows


def summary_sheet(ws: Worksheet, p: c.Planned, heading: str) -> None:
    lang = p.lang
    ws.title = t("s_summary", lang)
    xt.title(ws, heading, lang)
    last = figures_block(ws, p, top=3)
    area_block(ws, p, top=3, left=4)
    years_block(ws, p, top=30, left=4)
    ws.cell(last + 2, 1, xt.safe(t("formula_note", lang)))
    xt.print_setup(ws, t("footer", lang, page="&P", pages="&N"))


def figures_block(ws: Worksheet, p: c.Planned, top: int) -> int:
    """The key figures as a two-column table at column A; returns its last row."""
    figures = key_figures(p)
    last, _ = xt.write_table(ws, [t("c_item_of", p.lang), t("c_value", p.lang)],
                             [[label, value] for label, value, _f in figures], p.lang, top=top,
                             filters=False)
    for i, (_label, _value, fmt) in enumerate(figures, top + 1):
        if fmt:
            ws.cell(i, 2).number_format = fmt
    return last


def area_block(ws: Worksheet, p: c.Planned, top: int, left: int) -> None:
    """The table by area and a horizontal bar chart of its rates under it."""
    lang, areas = p.lang, c.area_rows(p)
    head = [t(k, lang) for k in ("c_area", "c_met", "c_gaps", "c_violations", "c_unknown",
                                 "c_optional_gaps", "c_rate", "c_judged", "c_comparable",
                                 "c_completeness")]
    rows = [[a["name"], a["met"], a["gaps"], a["violations"], a["unknown"], a["optional_gaps"],
             a["rate"], a["judged"], comparability(a["comparable"], lang), a["completeness"]]
            for a in areas]
    last, _ = xt.write_table(ws, head, rows, lang, formats={6: xt.PCT, 9: xt.PCT}, top=top,
                             left=left, filters=False)
    chart = bar_chart(t("chart_area", lang), horizontal=True, percent=True)
    chart.add_data(Reference(ws, min_col=left + 6, min_row=top, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=left, min_row=top + 1, max_row=last))
    ws.add_chart(chart, ws.cell(last + 2, left).coordinate)


def years_block(ws: Worksheet, p: c.Planned, top: int, left: int) -> None:
    """Scheduled spend per year and a column chart of it."""
    lang, tot = p.lang, c.totals(p.lines)
    rows = [[t("t_year", lang, year=y), n, cost] for y, (n, cost) in tot["by_year"].items()]
    head = [t("c_year", lang), t("c_lines", lang), t("c_cost", lang)]
    last, _ = xt.write_table(ws, head, rows, lang, formats={2: xt.MONEY}, top=top, left=left,
                             filters=False)
    if not rows:
        return
    chart = bar_chart(t("chart_years", lang), horizontal=False, percent=False)
    chart.add_data(Reference(ws, min_col=left + 2, min_row=top, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=left, min_row=top + 1, max_row=last))
    ws.add_chart(chart, ws.cell(top, left + 4).coordinate)


def bar_chart(title: str, horizontal: bool, percent: bool) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title, chart.legend = title, None
    chart.width, chart.height = 16, 7.5
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                     showLegendKey=False, showPercent=False)
    chart.dataLabels.numFmt = "0.0%" if percent else xt.MONEY
    chart.y_axis.numFmt = "0%" if percent else xt.MONEY
    chart.x_axis.delete = chart.y_axis.delete = False
    if percent:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first category on top
        chart.y_axis.crosses = "max"
    return chart


SCHOOL_HEAD = ("c_school_id", "c_school", "c_district", "c_type", "p_classes", "p_students",
               "c_rate", "c_judged", "c_comparable", "c_completeness", "c_met", "c_gaps", "c_violations", "c_unknown",
               "c_optional_gaps", "k_lines", "c_scheduled", "c_unfunded", "c_unpriced",
               "c_priced_total", "c_services_cost")


def schools_sheet(ws: Worksheet, p: c.Planned) -> None:
    lang = p.lang
    rows = [[s["school_id"], s["name"], c.district_name(s["district"], lang), s["type_name"],
             s["classes"], s["students"], s["rate"], s["judged"],
             comparability(s["comparable"], lang), s["completeness"], s["met"], s["gaps"],
             s["violations"], s["unknown"], s["optional_gaps"], s["lines"], s["scheduled"],
             s["unfunded"], s["unpriced"], s["priced_total"], s["services"]]
            for s in c.school_rows(p)]
    fmts = {6: xt.PCT, 9: xt.PCT} | {i: xt.MONEY for i in (16, 17, 19, 20)}
    xt.write_table(ws, [t(k, lang) for k in SCHOOL_HEAD], rows, lang, formats=fmts)
    _finish(ws, lang)


LINE_HEAD = ("c_school_id", "c_school", "c_tier", "c_tier_name", "c_kind", "c_req", "c_item",
             "c_level", "c_what", "c_key", "c_qty", "c_unit", "c_price", "c_cost", "c_year",
             "c_funding", "c_explanation")


def lines_sheet(ws: Worksheet, p: c.Planned) -> None:
    lang = p.lang
    rows = []
    for r in p.lines.iter_rows(named=True):
        rows.append([r["school_id"], r["school"], r["tier"], p.tiers[r["tier"]].get(lang),
                     word(LINE_KIND, r["kind"], lang), req_ids(r["requirement_id"], lang),
                     p.item_label(r["requirement_id"]),
                     word(LEVEL, r["level"], lang) if r["level"] else "", r["label"] or r["action"],
                     r["line"], r["quantity"], r["unit"], r["unit_price"], r["cost"], r["year"],
                     word(FUNDING, r["funding"], lang), r["explanation"]])
    xt.write_table(ws, [t(k, lang) for k in LINE_HEAD], rows, lang,
                   formats={12: xt.MONEY, 13: xt.MONEY}, max_width=48)
    _finish(ws, lang)


SERVICE_HEAD = ("c_school_id", "c_school", "c_category", "c_service", "c_vendor", "c_provided_by",
                "c_purchase_unit", "c_price", "c_units", "c_yearly_cost")


def services_sheet(ws: Worksheet, p: c.Planned) -> None:
    lang = p.lang
    rows = [[r["school_id"], p.schools[r["school_id"]]["name"], r["category"], r["name"],
             r["vendor"], word(PROVIDER, r["provided_by"], lang),
             p.purchase_unit(r["billing_unit"]) if r["billing_unit"] else None,
             r["price_per_unit"], r["units"], r["yearly_cost"]]
            for r in p.services.iter_rows(named=True)]
    xt.write_table(ws, [t(k, lang) for k in SERVICE_HEAD], rows, lang,
                   formats={7: xt.MONEY, 9: xt.MONEY})
    _finish(ws, lang)


def prices_sheet(ws: Worksheet, p: c.Planned) -> None:
    lang = p.lang
    head = [t(k, lang) for k in ("c_key", "c_what", "c_unit", "c_price", "c_life", "c_basis",
                                 "c_source")]
    rows = [[x.key, x.label.get(lang), x.unit.get(lang), x.unit_price, x.service_life_years,
             word(PRICE_BASIS, x.basis, lang),
             x.source] for x in p.prices.lines]
    xt.write_table(ws, head, rows, lang, formats={3: xt.MONEY}, max_width=80)
    _finish(ws, lang)


def _finish(ws: Worksheet, lang: str) -> None:
    ws.freeze_panes = "A2"
    xt.print_setup(ws, t("footer", lang, page="&P", pages="&N"), title_rows="1:1")
