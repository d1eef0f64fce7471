"""The school Word report: structure, contents, totals, page numbers, fonts, the chart."""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from campusplan.reports.content import totals
from campusplan.reports.school_docx import build_school_docx, write_school_docx
from tests.reports.conftest import SMALL, VIOLATIONS, district_doc, number, planned

HEADINGS_ZH = ["一、基本情况", "二、达标情况", "三、未达标与违规事项", "四、建设规划与预算", "五、编制说明"]


def saved(p, school_id: str):
    buf = io.BytesIO()
    write_school_docx(p, school_id, buf)
    return buf.getvalue()


def reopen(p, school_id: str):
    return Document(io.BytesIO(saved(p, school_id)))


def table_with(doc, first_header: str, *more: str):
    """The tables whose header row starts with these cells."""
    want = [first_header, *more]
    return [tb for tb in doc.tables
            if [c.text for c in tb.rows[0].cells[:len(want)]] == want]


def body(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def headings(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def test_title_and_numbered_sections(city):
    doc = reopen(city, VIOLATIONS)
    assert headings(doc, "Title") == ["丰台区示例小学（存在违规）信息化建设达标评估与建设规划报告"]
    assert headings(doc, "Heading 1") == HEADINGS_ZH
    assert "（一）未达标与违规清单" in headings(doc, "Heading 2")
    assert doc.core_properties.title.startswith("丰台区示例小学")


def test_profile_table(city):
    doc = reopen(city, VIOLATIONS)
    grid = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert grid[0] == ["学校名称", "丰台区示例小学（存在违规）", "学校标识码", VIOLATIONS]
    assert grid[1] == ["所在区", "丰台区（110106）", "办学类型", "小学（211）"]
    assert grid[2][:2] == ["专任教师", "50"]
    stages = table_with(doc, "学段", "班级数", "学生数", "最大班额")
    assert body(stages[0]) == [["小学", "18", "700", "42"]]


def test_every_gap_and_violation_is_listed_with_its_explanation(city):
    doc = reopen(city, VIOLATIONS)
    rows = body(table_with(doc, "序号", "要求编号", "配置项", "级别", "结果")[0])
    expected = city.assessment.explained([VIOLATIONS], statuses=("gap", "violation"))
    assert len(rows) == len(expected) > 0
    listed = {(r[1], r[4], r[5]) for r in rows}
    status = {"gap": "未达标", "violation": "违规"}
    for e in expected:
        assert (e["requirement_id"], status[e["status"]], e["explanation"]) in listed
    assert ("16-r1", "违规", "智慧教室数量 2，超过上限 1，超出 1") in listed
    assert rows[0][4] == "违规"  # violations first
    assert rows[[r[1] for r in rows].index("s5.3-1")][1:3] == ["s5.3-1", "正文 5.3"]


def test_required_facts_still_missing_are_listed(city):
    doc = reopen(city, SMALL)
    missing = table_with(doc, "序号", "要求编号", "配置项", "情况说明")
    unknown = [r for r in city.assessment.explained([SMALL], statuses=("unknown",))
               if r["level"] == "required"]
    by_item = sorted(unknown, key=lambda r: (r["item"] or 99, r["requirement_id"]))  # as listed
    assert [r[1] for r in body(missing[0])] == [r["requirement_id"] for r in by_item]


def test_plan_lines_and_totals_equal_the_sum_of_lines(district):
    doc = reopen(district, SMALL)
    lines = district.lines.filter(pl.col("school_id") == SMALL)
    plan = body(table_with(doc, "序号", "优先级", "建设内容")[0])
    assert len(plan) == lines.height
    costs = [number(r[6]) for r in plan]
    assert costs == [None if c is None else pytest.approx(c) for c in lines["cost"].to_list()]
    assert "到期更新" in {r[3] for r in plan}  # the old laptops
    tot = {r[0]: r for r in body(table_with(doc, "项目", "项数", "金额（元）")[0])}
    priced = sum(c for c in costs if c is not None)
    assert number(tot["规划金额合计（已定价）"][2]) == priced
    scheduled = [number(r[6]) for r in plan if r[8] == "已排期"]
    assert number(tot["已排期合计"][2]) == sum(scheduled)
    years = [number(v[2]) for k, v in tot.items() if k.startswith("第 ")]
    assert sum(years) == sum(scheduled)
    assert int(tot["待定价（需区里填价）"][1]) == sum(r[8] == "待定价" for r in plan)
    assert number(tot["规划金额合计（已定价）"][2]) == totals(lines)["priced_total"]


def test_no_year_over_budget_in_the_report(district):
    doc = reopen(district, SMALL)
    tot = body(table_with(doc, "项目", "项数", "金额（元）")[0])
    for row in tot:
        if row[0].startswith("第 "):
            assert number(row[2]) <= district.budget.per_year


def test_services_table_totals(city):
    doc = reopen(city, VIOLATIONS)
    rows = body(table_with(doc, "服务", "服务商", "提供方")[0])
    svc = city.services.filter(pl.col("school_id") == VIOLATIONS)
    assert len(rows) == svc.height + 1
    assert number(rows[-1][-1]) == svc["yearly_cost"].sum()


def test_footer_has_page_and_page_count_fields(city):
    doc = reopen(city, SMALL)
    footer = doc.sections[0].footer.paragraphs[0]
    instr = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instr == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("第 ") and "页 共 " in footer.text


def test_a4_page_and_chinese_fonts(city):
    doc = reopen(city, SMALL)
    sec = doc.sections[0]
    assert (round(sec.page_width / Cm(1), 1), round(sec.page_height / Cm(1), 1)) == (21.0, 29.7)

    def east_asia(style):
        return doc.styles[style].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asia("Normal") == "宋体"
    assert east_asia("Heading 1") == east_asia("Title") == "黑体"
    fonts = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override 黑体


def test_native_bar_chart_of_rates_by_area(city):
    blob = saved(city, SMALL)
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        names = z.namelist()
        chart = z.read("word/charts/chart1.xml").decode()
        assert any(n.startswith("word/embeddings/") and n.endswith(".xlsx") for n in names)
        assert "drawingml.chart+xml" in z.read("[Content_Types].xml").decode()
    areas = [a.name.zh for a in city.assessment.catalog.standard.areas]
    for name in areas:
        assert f"<c:v>{name}</c:v>" in chart
    assert '<c:barDir val="bar"/>' in chart and "<c:v>0.9</c:v>" in chart  # 基础设施 90%
    doc = Document(io.BytesIO(blob))
    assert len(doc.inline_shapes) == 1


def test_english_report():
    doc = build_school_docx(planned(district_doc(), lang="en"), SMALL)
    assert headings(doc, "Heading 1") == ["1. Profile", "2. Compliance", "3. Gaps and violations",
                                          "4. Construction plan and budget", "5. Notes"]
    assert doc.sections[0].footer.paragraphs[0].text.startswith("Page ")


def test_unknown_school_is_an_error(city):
    with pytest.raises(KeyError):
        build_school_docx(city, "0000000000")
