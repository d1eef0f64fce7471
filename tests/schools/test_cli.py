"""The CLI commands end to end: survey → fill → import (dry run, then for real) → assess → export."""

import pytest
from typer.testing import CliRunner

from campusplan.cli import app
from campusplan.schools.models import School
from tests.exchange.helpers import EXAMPLES, fill
from tests.schools.test_import import FACTS, PROFILE

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


def test_walkthrough(tmp_path):
    out = tmp_path / "haidian.xlsx"
    result = runner.invoke(app, ["survey", "--district", "110108", "-o", str(out)])
    assert result.exit_code == 0, result.output
    fill(out, "学校概况", [PROFILE])
    fill(out, "基础设施", [FACTS])
    dry = runner.invoke(app, ["import", str(out), "--dry-run"])
    assert dry.exit_code == 0 and "试运行" in dry.output and not School.objects.exists()
    real = runner.invoke(app, ["import", str(out), "--user", "zhang"])
    assert real.exit_code == 0 and School.objects.filter(code="1101080101").exists()
    again = runner.invoke(app, ["import", str(out)])
    assert "没有变化" in again.output
    assessed = runner.invoke(app, ["assess-stored", "--district", "110108"])
    assert assessed.exit_code == 0 and "已保存评估批次" in assessed.output
    exported = runner.invoke(app, ["export", "--district", "110108", "-o",
                                   str(tmp_path / "e.json")])
    assert exported.exit_code == 0 and (tmp_path / "e.json").exists()


def test_invalid_file_exit_code_and_english(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("学校标识码,互联网接入带宽（Mbps）\n1101080101,-1\n", encoding="utf-8")
    assert runner.invoke(app, ["import", str(EXAMPLES / "small-primary.json")]).exit_code == 0
    result = runner.invoke(app, ["import", str(bad), "--lang", "en"])
    assert result.exit_code == 2 and "out of range" in result.output


def test_hostile_file_exit_code(tmp_path):
    bomb = tmp_path / "x.xlsx"
    bomb.write_bytes(b"PK\x03\x04 not really a zip")
    result = runner.invoke(app, ["import", str(bomb)])
    assert result.exit_code == 2 and not School.objects.exists()
