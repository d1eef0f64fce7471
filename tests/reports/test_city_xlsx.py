"""The city workbook: one row per district, a city total that is the sum of the districts."""

from __future__ import annotations

import io

import polars as pl
import pytest
from openpyxl import load_workbook

from campusplan.reports.city_xlsx import write_city_xlsx
from tests.reports.test_district_xlsx import figures, records


@pytest.fixture(scope="module")
def wb(city):
    buf = io.BytesIO()
    write_city_xlsx(city, buf)
    return load_workbook(io.BytesIO(buf.getvalue()))


def test_sheets_and_chart(wb):
    assert wb.sheetnames == ["汇总", "各区", "单价来源"]
    assert len(wb["汇总"]._charts) == 1


def test_one_row_per_district_then_the_city_total(wb, city):
    rows = records(wb["各区"])
    districts, total = rows[:-1], rows[-1]
    assert [r["区代码"] for r in districts] == ["110105", "110106", "110108", "110112"]
    assert [r["区"] for r in districts] == ["朝阳区", "丰台区", "海淀区", "通州区"]
    assert total["区"] == "全市合计"
    for key in ("学校数", "必配未达标", "违规", "数据缺失", "规划项数", "已排期金额（元）",
                "待定价项数", "规划金额合计（元）", "购买服务年度费用（元）"):
        assert total[key] == sum(r[key] for r in districts), key
    assert total["规划项数"] == city.lines.height
    assert total["规划金额合计（元）"] == city.lines["cost"].sum()


def test_district_money_is_the_sum_of_its_lines(wb, city):
    for r in records(wb["各区"])[:-1]:
        lines = city.lines.filter(pl.col("district") == r["区代码"])
        scheduled = lines.filter(pl.col("funding") == "scheduled")["cost"].sum()
        assert r["已排期金额（元）"] == scheduled


def test_city_rate_counts_every_required_result(wb, city):
    req = city.assessment.annotated.filter(pl.col("level") == "required")
    judged = req.filter(pl.col("status").is_in(["met", "gap", "violation"]))
    rate = (judged["status"] == "met").sum() / judged.height
    assert records(wb["各区"])[-1]["必配达标率"] == pytest.approx(rate)
    assert figures(wb)["必配达标率"] == pytest.approx(rate)
