"""`campusplan assess` and `campusplan catalog` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from campusplan.cli import app

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))
runner = CliRunner(env={"COLUMNS": "200"})


def test_examples_ship_the_four_cases():
    names = {p.stem for p in EXAMPLES}
    assert {"small-primary", "nine-year-school", "complete-secondary", "violations"} <= names


def test_assess_examples_prints_summary_and_explanations():
    res = runner.invoke(app, ["assess", *map(str, EXAMPLES), "--as-of", "2026-11-01"])
    assert res.exit_code == 0, res.output
    assert "评估汇总" in res.output and "达标率" in res.output
    assert "录像存储 15 天，需不小于 30 天，差 15 天" in res.output


def test_assess_json_rows_and_violations():
    res = runner.invoke(app, ["assess", str(Path(EXAMPLES[0]).parent / "violations.json"),
                              "--format", "json", "--as-of", "2026-11-01"])
    assert res.exit_code == 0
    doc = json.loads(res.output)
    rows = doc["results"]
    assert doc["catalog"].startswith("beijing@") and doc["summary"][0]["violations"] == 5
    costs = {(c["category"], c["provided_by"]): c["yearly_cost"] for c in doc["services"]}
    assert costs[("svc37", "school")] == 30000
    violations = {r["requirement_id"] for r in rows if r["status"] == "violation"}
    assert {"s5.3-1", "26-r1", "16-r1", "37-1", "s8-2"} <= violations


def test_summary_in_english():
    res = runner.invoke(app, ["assess", str(EXAMPLES[0]), "--summary", "--lang", "en"])
    assert res.exit_code == 0 and "Summary" in res.output and "completeness" in res.output


def test_bad_input_exits_2_with_located_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"code": "1", "district": "110108", "type": "211",
                               "facts": {"internet_bandwidth_mbps": -5}}), encoding="utf-8")
    res = runner.invoke(app, ["assess", str(bad)])
    assert res.exit_code == 2
    assert "facts.internet_bandwidth_mbps" in res.output and "超出范围" in res.output


def test_catalog_stats_counts():
    res = runner.invoke(app, ["catalog", "stats"])
    assert res.exit_code == 0
    assert "配置项 46 项" in res.output and "表内配置要求 192 条" in res.output
    assert "46 items; 192 table requirements" in runner.invoke(
        app, ["catalog", "stats", "--lang", "en"]).output


def test_catalog_commands_run():
    for args in (["list"], ["show", "22"], ["params"], ["facts", "--scope", "room"],
                 ["validate"], ["schema"]):
        res = runner.invoke(app, ["catalog", *args])
        assert res.exit_code == 0, (args, res.output)
    assert "录像存储时间不小于30天" in runner.invoke(app, ["catalog", "show", "22"]).output


def test_validate_reports_a_broken_catalog(tmp_path):
    src = Path(__file__).resolve().parents[2] / "src/campusplan/standards/beijing.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_text(src.read_text(encoding="utf-8").replace(
        "fact.internet_bandwidth_mbps", "fact.no_such_fact", 1), encoding="utf-8")
    res = runner.invoke(app, ["catalog", "validate", str(broken)])
    assert res.exit_code == 1 and "no_such_fact" in res.output
