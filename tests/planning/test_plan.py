"""Plans: totals, budgets, priorities, and that a plan closes exactly the gaps it names."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from campusplan.catalog import expr
from campusplan.engine.assessment import run
from campusplan.engine.evaluate import specs
from campusplan.engine.inputs import load_json_files, validate_inputs
from campusplan.planning.phasing import Budget, phase, yearly_totals
from campusplan.planning.plan import LINE_SCHEMA, device_life, plan_lines
from campusplan.planning.prices import default_prices
from campusplan.planning.whatif import grow
from tests.engine.helpers import AS_OF, CATALOG, school

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))
PRICES = default_prices()
SPECS = {s.req.id: s for s in specs(CATALOG)}


BUDGET = Budget(500_000, 3)


def plan_for(inputs, budget=BUDGET):
    return phase(plan_lines(run(CATALOG, inputs, AS_OF), PRICES, as_of=AS_OF), budget)


def test_every_remedy_line_is_in_the_price_catalog():
    named = {s.req.remedy.line for s in SPECS.values() if s.req.remedy and s.req.remedy.line}
    assert named <= set(PRICES.by_key())
    for line in PRICES.lines:
        assert line.source, line.key
        assert (line.unit_price is None) == (line.basis == "unpriced"), line.key


def test_sourced_prices_match_the_reference_data():
    p = PRICES.by_key()
    assert (p["teacher_laptop"].unit_price, p["teacher_laptop"].service_life_years) == (7000, 6)
    assert p["student_desktop"].unit_price == 5000
    assert p["interactive_display_86"].unit_price == 15000
    assert p["recording_classroom_premium"].unit_price == 143000
    assert p["recording_classroom_light"].unit_price == 2950 + 2 * 4850 + 1950
    assert p["security_upgrade"].unit_price == 230000


def test_teacher_laptops_quantity_and_cost_from_the_shortfall():
    s = school(teachers=70, facts={"teacher_computers_total": 65})
    lines = plan_for(validate_inputs(s, CATALOG))
    row = lines.filter(pl.col("requirement_id") == "10-1").row(0, named=True)
    assert (row["line"], row["quantity"], row["unit_price"], row["cost"]) == (
        "teacher_laptop", 5, 7000, 35000)


def test_totals_equal_the_sum_of_lines():
    lines = plan_for(load_json_files(EXAMPLES, CATALOG))
    totals = yearly_totals(lines)
    assert totals["cost"].sum() == lines["cost"].sum()
    assert totals["lines"].sum() == lines.height


def test_priorities_required_safety_then_teaching_rooms_then_optional():
    lines = plan_for(load_json_files(EXAMPLES, CATALOG))
    tiers = lines["tier"].to_list()
    assert tiers == sorted(tiers)
    first = lines.filter(pl.col("tier") == 1)
    assert set(first["item"].drop_nulls().to_list()) <= {22, 44}
    required = lines.filter(pl.col("level") == "required")["tier"].max()
    optional = lines.filter(pl.col("level") == "optional")["tier"].min()
    assert required < optional


def test_violations_are_actions_and_unpriced_gaps_are_not_free():
    lines = plan_for(load_json_files(EXAMPLES, CATALOG))
    violations = lines.filter(pl.col("status") == "violation")
    assert violations.height == 5 and (violations["cost"] == 0).all()
    unpriced = lines.filter(pl.col("funding") == "unpriced")
    assert unpriced.height > 0 and unpriced["cost"].is_null().all()


def test_whole_school_line_is_bought_once():
    s = school(facts={"video_surveillance": False, "security_center": False,
                      "security_platform": False})
    lines = plan_for(validate_inputs(s, CATALOG))
    upgrade = lines.filter(pl.col("line") == "security_upgrade")
    assert upgrade.height == 1
    assert set(upgrade["requirement_id"].item().split("、")) == {"22-1", "22-6", "22-9"}


def test_overlapping_counts_take_the_larger_quantity():
    s = school(stages={"primary": {"classes": 30, "students": 1100, "max_class_size": 40}},
               rooms=[])
    lines = plan_for(validate_inputs(s, CATALOG))
    rec = lines.filter(pl.col("line") == "recording_classroom_premium")
    assert rec.height == 1 and rec["quantity"].item() == 2  # max(1, floor(30/12)), not 1 + 2


@settings(max_examples=60, deadline=None)
@given(costs=st.lists(st.one_of(st.none(), st.integers(0, 400_000)), max_size=40),
       per_year=st.integers(1, 500_000), years=st.integers(1, 5))
def test_a_phased_plan_never_exceeds_a_years_budget(costs, per_year, years):
    n = len(costs)
    lines = pl.DataFrame({"school_id": ["S"] * n, "cost": [None if c is None else float(c)
                                                          for c in costs]},
                         schema={"school_id": pl.Utf8, "cost": pl.Float64})
    phased = phase(lines, Budget(per_year, years))
    spent = phased.filter(pl.col("funding") == "scheduled").group_by("year").agg(
        pl.col("cost").sum())
    assert (spent["cost"] <= per_year).all()
    assert phased.filter(pl.col("funding") == "unpriced").height == costs.count(None)
    # first fit: an unfunded line fits no year's remainder
    left = {y: per_year - spent.filter(pl.col("year") == y)["cost"].sum()
            for y in range(1, years + 1)}
    for c in phased.filter(pl.col("funding") == "unfunded")["cost"]:
        assert all(c > room for room in left.values())


def test_refresh_of_devices_past_their_service_life():
    s = school(devices=[{"kind": "teacher_laptop", "quantity": 30, "purchased": "2019-09-01"},
                        {"kind": "teacher_laptop", "quantity": 10, "purchased": "2024-09-01"}])
    lines = plan_for(validate_inputs(s, CATALOG))
    refresh = lines.filter(pl.col("kind") == "refresh")
    assert refresh.height == 1
    assert (refresh["quantity"].item(), refresh["cost"].item(), refresh["tier"].item()) == (
        30, 210000, 4)


def test_what_if_growth_changes_the_plan_not_the_input():
    s = school(teachers=70, facts={"teacher_computers_total": 70},
               stages={"primary": {"classes": 20, "students": 800, "max_class_size": 40}})
    inputs = validate_inputs(s, CATALOG)
    before = copy.deepcopy(inputs.schools)
    grown = grow(inputs, classes_pct=20, students_pct=20)
    assert inputs.schools == before
    assert grown.schools[0].stages["primary"].model_dump() == {
        "classes": 24, "students": 960, "max_class_size": 40}


# the plan closes exactly the gaps it names -------------------------------------------------------
def _apply(school_doc: dict, lines: pl.DataFrame) -> tuple[dict, set[str]]:
    """Apply the plan's school-fact lines to a copy of the input; return what they claim to close."""
    doc, closed = copy.deepcopy(school_doc), set()
    for r in lines.filter(pl.col("status") == "gap").iter_rows(named=True):
        for rid in r["requirement_id"].split("、"):
            check = SPECS[rid].req.check
            if check.kind == "presence":
                doc["facts"][check.fact] = True
            elif check.kind in ("minimum", "ratio") and check.actual.startswith("fact."):
                key = check.actual.removeprefix("fact.")
                doc["facts"][key] = doc["facts"].get(key, 0) + r["quantity"]
            elif check.kind == "shared_ratio":  # bought for the school: into its pool
                key = check.pool.removeprefix("fact.")
                doc["facts"][key] = doc["facts"].get(key, 0) + r["quantity"]
            elif check.kind == "condition":
                for ns, name in expr.refs(expr.parse(check.expr)):
                    doc["facts"][name] = True if ns == "fact" else doc["facts"].get(name)
            else:
                continue
            closed.add(rid)
    return doc, closed


def test_applying_the_plan_closes_the_required_gaps_it_covers():
    s = school(teachers=70, facts={
        "teacher_computers_total": 65, "student_computers_total": 40, "security_center": False,
        "video_retention_days": 15, "internet_bandwidth_mbps": 50, "nc_router": True,
        "nc_switch": False, "nc_server": True, "broadcast_info_points": 2,
    })
    inputs = validate_inputs(s, CATALOG)
    lines = plan_for(inputs)
    applied, closed = _apply(s, lines)
    assert {"10-1", "6-r2", "22-6", "3-1", "14-1"} <= closed
    after = {r["requirement_id"]: r["status"]
             for r in run(CATALOG, validate_inputs(applied, CATALOG), AS_OF).explained()}
    still_open = {rid for rid in closed if after[rid] != "met"}
    # minimums on a fact the plan raises are closed by exactly the planned quantity
    assert still_open <= {"22-7", "1-1"}  # storage / bandwidth upgrades are one-off projects


def test_line_schema_is_stable():
    lines = plan_for(load_json_files(EXAMPLES, CATALOG))
    assert list(lines.columns) == [*LINE_SCHEMA, "year", "funding"]


def test_plan_cli(tmp_path):
    from typer.testing import CliRunner

    from campusplan.cli import app

    res = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["plan", *map(str, EXAMPLES), "--budget", "200000", "--years", "2",
              "--as-of", str(dt.date(2026, 11, 1))])
    assert res.exit_code == 0, res.output
    assert "必配·安全" in res.output and "年度预算" in res.output


def test_device_life_is_the_rule_the_refresh_applies():
    """Age and the year the service life ends; due from the day it is as old as its life."""
    bought = dt.date(2019, 9, 1)
    life = device_life(bought, 6, dt.date(2025, 8, 31))
    assert life.refresh_year == 2025 and not life.due and 5.9 < life.age_years < 6
    assert device_life(bought, 6, dt.date(2025, 9, 2)).due
    unknown_life = device_life(bought, None, dt.date(2025, 9, 2))
    assert unknown_life.refresh_year is None and not unknown_life.due
    assert unknown_life.age_years > 6
    no_date = device_life(None, 6, dt.date(2025, 9, 2))
    assert no_date.age_years is None and no_date.refresh_year is None and not no_date.due
