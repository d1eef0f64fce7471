"""`campusplan report school|district|city`."""

from __future__ import annotations

import json

from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from campusplan.cli import app
from tests.reports.conftest import EXAMPLES, SMALL, district_doc

runner = CliRunner()
FILES = [str(p) for p in EXAMPLES]
AS_OF = ["--as-of", "2026-11-01"]


def test_school_report(tmp_path):
    out = tmp_path / "r.docx"
    res = runner.invoke(app, ["report", "school", *FILES, "--school", SMALL, "-o", str(out),
                              "--budget", "500000", *AS_OF])
    assert res.exit_code == 0, res.output
    assert "已生成" in res.output and "已排期 224,000 元" in res.output
    title = Document(str(out)).paragraphs[0].text
    assert title == "海淀区示例小学（小规模）信息化建设达标评估与建设规划报告"


def test_school_must_be_chosen_among_several(tmp_path):
    out = tmp_path / "r.docx"
    res = runner.invoke(app, ["report", "school", *FILES, "-o", str(out)])
    assert res.exit_code == 2 and not out.exists()
    res = runner.invoke(app, ["report", "school", *FILES, "--school", "123", "-o", str(out)])
    assert res.exit_code == 2 and not out.exists()


def test_district_workbook_needs_a_district_when_the_files_hold_several(tmp_path):
    out = tmp_path / "d.xlsx"
    res = runner.invoke(app, ["report", "district", *FILES, "-o", str(out)])
    assert res.exit_code == 2 and not out.exists()
    res = runner.invoke(app, ["report", "district", *FILES, "--district", "110108", "-o",
                              str(out), *AS_OF, "--lang", "en"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Summary", "Schools", "Plan lines", "Services", "Prices"]
    assert wb["Schools"].max_row == 2  # header + the one Haidian school


def test_district_workbook_from_one_district_file(tmp_path):
    src = tmp_path / "district.json"
    src.write_text(json.dumps(district_doc(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "d.xlsx"
    res = runner.invoke(app, ["report", "district", str(src), "-o", str(out), *AS_OF])
    assert res.exit_code == 0, res.output
    assert load_workbook(out)["学校"].max_row == 1 + 4


def test_city_workbook(tmp_path):
    out = tmp_path / "c.xlsx"
    res = runner.invoke(app, ["report", "city", *FILES, "-o", str(out), *AS_OF])
    assert res.exit_code == 0, res.output
    assert load_workbook(out)["各区"].max_row == 1 + 4 + 1


def test_wrong_suffix_and_bad_input(tmp_path):
    res = runner.invoke(app, ["report", "city", *FILES, "-o", str(tmp_path / "c.docx")])
    assert res.exit_code == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"code": "X", "name": "x", "district": "110108", "type": "999"}')
    res = runner.invoke(app, ["report", "city", str(bad), "-o", str(tmp_path / "c.xlsx")])
    assert res.exit_code == 2 and not (tmp_path / "c.xlsx").exists()
