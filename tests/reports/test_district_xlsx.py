"""The district workbook: sheets, one row per school, totals, formula injection, charts."""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest
from openpyxl import load_workbook

from campusplan.reports.district_xlsx import write_district_xlsx
from campusplan.reports.xlsx_tools import safe
from tests.reports.conftest import INJECTED, SECONDARY, SMALL

SHEETS = ["汇总", "学校", "建设规划", "购买服务", "单价来源"]


@pytest.fixture(scope="module")
def blob(district) -> bytes:
    buf = io.BytesIO()
    write_district_xlsx(district, buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def wb(blob):
    return load_workbook(io.BytesIO(blob))


def records(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def figures(wb) -> dict:
    """The summary sheet's key figures (columns A:B from row 4)."""
    ws = wb["汇总"]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, ws.max_row + 1)
            if ws.cell(r, 2).value is not None}


def test_sheets(wb):
    assert wb.sheetnames == SHEETS
    assert wb["汇总"]["A1"].value == "海淀区中小学校信息化建设达标评估与建设规划汇总"


def test_one_row_per_school(wb, district):
    rows = records(wb["学校"])
    assert sorted(r["学校标识码"] for r in rows) == sorted(district.schools)
    summary = {r["school_id"]: r for r in district.assessment.summary().iter_rows(named=True)}
    for r in rows:
        s = summary[r["学校标识码"]]
        assert (r["必配达标率"], r["必配未达标"], r["违规"], r["数据缺失"]) == (
            s["rate"], s["gaps"], s["violations"], s["unknown"])


def test_plan_lines_sheet_holds_every_line(wb, district):
    rows = records(wb["建设规划"])
    assert len(rows) == district.lines.height
    assert [r["金额（元）"] for r in rows] == district.lines["cost"].to_list()
    refresh = [r for r in rows if r["类型"] == "到期更新"]
    assert [(r["学校标识码"], r["数量"], r["金额（元）"]) for r in refresh] == [(SMALL, 12, 84000)]


def test_totals_equal_the_sum_of_lines(wb):
    lines, schools, f = records(wb["建设规划"]), records(wb["学校"]), figures(wb)
    costs = [r["金额（元）"] for r in lines]
    scheduled = [r["金额（元）"] for r in lines if r["资金状态"] == "已排期"]
    assert f["规划金额合计（已定价）"] == sum(c for c in costs if c is not None)
    assert f["已排期合计"] == sum(scheduled)
    assert f["待定价项数"] == sum(r["资金状态"] == "待定价" for r in lines)
    assert f["规划项数"] == len(lines)
    years = [v for k, v in f.items() if k.startswith("第 ")]
    assert sum(years) == f["已排期合计"]
    assert sum(r["已排期金额（元）"] for r in schools) == f["已排期合计"]
    assert sum(r["规划项数"] for r in schools) == len(lines)


def test_no_school_year_over_budget(wb, district):
    per_school_year: dict = {}
    for r in records(wb["建设规划"]):
        if r["年度"] is not None:
            key = (r["学校标识码"], r["年度"])
            per_school_year[key] = per_school_year.get(key, 0) + r["金额（元）"]
    assert per_school_year and max(per_school_year.values()) <= district.budget.per_year


def test_services_sheet_and_total(wb, district):
    rows = records(wb["购买服务"])
    assert len(rows) == district.services.height
    total = sum(r["年度费用（元）"] for r in rows if r["年度费用（元）"] is not None)
    assert figures(wb)["购买服务年度费用合计"] == total > 0


def test_prices_sheet_lists_the_catalog_with_sources(wb, district):
    rows = records(wb["单价来源"])
    assert [r["价格项"] for r in rows] == [x.key for x in district.prices.lines]
    assert all(r["来源"] for r in rows)


def test_formula_like_school_name_is_neutralised(wb):
    hits = [c for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and "cmd()" in c.value]
    assert {cell.parent.title for cell in hits} == {"学校", "建设规划", "购买服务"}
    for cell in hits:
        assert cell.value == "'" + INJECTED and cell.data_type == "s"
    school = next(r for r in records(wb["学校"]) if r["学校标识码"] == SECONDARY)
    assert school["学校"] == "'=cmd()"


@pytest.mark.parametrize(("value", "expected"), [
    ("=cmd()", "'=cmd()"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("海淀=1", "海淀=1"), ("a\x00b", "ab"), (-5, -5),
    (None, None), (1.5, 1.5),
])
def test_safe(value, expected):
    assert safe(value) == expected


def test_native_charts(blob, wb):
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    assert len(wb["汇总"]._charts) == 2


def test_rates_by_area_on_the_summary(wb, district):
    ws = wb["汇总"]
    rows = list(ws.iter_rows(min_row=3, max_row=9, min_col=4, max_col=11, values_only=True))
    assert rows[0][0] == "领域"
    areas = [a.name.zh for a in district.assessment.catalog.standard.areas]
    assert [r[0] for r in rows[1:]] == areas
    infra = next(r for r in rows if r[0] == "基础设施")
    ann = district.assessment.annotated.filter(pl.col("area") == "infrastructure")
    required = ann.filter(pl.col("level") == "required")
    judged = required.filter(pl.col("status").is_in(["met", "gap", "violation"]))
    assert infra[6] == pytest.approx((judged["status"] == "met").sum() / judged.height)
