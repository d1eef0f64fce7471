"""`campusplan plan` of stored schools: the same use case as the page and the API (the stored
run, the district's price list), under the budget given."""

import json

import pytest
from typer.testing import CliRunner

from campusplan.cli import app
from campusplan.usecases import prices
from tests.actors import operator
from tests.web.world import HAIDIAN

pytestmark = pytest.mark.django_db
runner = CliRunner()


def test_plan_a_stored_district_with_its_prices(world):
    prices.set_price(actor=operator(), district=HAIDIAN, key="firewall", unit_price=26000,
                     source="海淀区2026年协议供货价")
    result = runner.invoke(app, ["plan", "--district", HAIDIAN, "--budget", "900000",
                                 "--basis", "total", "--years", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["budget"] == {"per_year": 300000.0, "years": 3, "per": "school"}
    firewall = [r for r in doc["lines"] if r["line"] == "firewall"]
    assert firewall and {r["priced_by"] for r in firewall} == {"district"}
    assert doc["run"] is not None
    table = runner.invoke(app, ["plan", "--district", HAIDIAN, "--budget", "300000"])
    assert table.exit_code == 0 and "价格覆盖率" in table.output


def test_plan_needs_files_or_one_stored_scope(world):
    assert runner.invoke(app, ["plan"]).exit_code == 2
    missing = runner.invoke(app, ["plan", "--school", "1101089999"])
    assert missing.exit_code == 2 and "1101089999" in missing.output
