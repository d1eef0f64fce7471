"""Per-room (`each`) checks carry their shortfall in the unit of what they measure.

Items 6–8 ④: 「学生用计算机按学校最大班额配置」; ⑤: 「交互式显示屏设备80英寸」; item 5 ①:
「信息口不少于4个」. A room that is short is short by so many computers, inches or outlets, and
the plan buys them in the unit of its price line (a student computer, not a room).
"""

from __future__ import annotations

import polars as pl
import pytest

from campusplan.catalog import expr
from campusplan.engine.assessment import run
from campusplan.engine.evaluate import specs
from campusplan.engine.inputs import validate_inputs
from campusplan.planning.plan import plan_lines
from campusplan.planning.prices import default_prices
from tests.engine.helpers import AS_OF, CATALOG, judge, school

LARGEST_CLASS = "学生用计算机按学校最大班额配置"  # items 6–8 ④
DISPLAY = "交互式显示屏设备80英寸"  # items 6–8 ⑤, read as at least 80 inches
OUTLETS = "网络信息口不少于4个"  # items 6–8 ①
PRICES = default_prices()


def computer_room(**over) -> dict:
    room = {"type": "computer_room", "info_points": 4, "central_control": True,
            "teacher_computers": 1, "student_computers": 42, "display_inch": 80,
            "management_software": True, "switches": 1, "aux_devices": True}
    return room | over


def primary(max_class: int = 42, **over) -> dict:
    return school(stages={"primary": {"classes": 24, "students": 900,
                                      "max_class_size": max_class}}, **over)


def test_quotes_are_the_requirements_texts():
    texts = {s.req.id: s.req.text for s in specs(CATALOG)}
    assert (texts["6-4"], texts["6-5"], texts["6-1"]) == (LARGEST_CLASS, DISPLAY, OUTLETS)


@pytest.mark.parametrize("computers,status,rooms,short", [
    (41, "gap", 1, 1), (42, "met", None, None), (43, "met", None, None), (38, "gap", 1, 4)])
def test_student_computers_short_in_computers_at_the_largest_class(computers, status, rooms,
                                                                   short):
    r = judge(primary(rooms=[computer_room(student_computers=computers)]))["6-4"]
    assert (r["status"], r["rows_short"], r["shortfall"]) == (status, rooms, short)


def test_the_explanation_says_rooms_and_computers():
    r = judge(primary(rooms=[computer_room(student_computers=38)]))["6-4"]
    assert "1 间不符合" in r["explanation"] and "共缺 4 台" in r["explanation"]
    en = judge(primary(rooms=[computer_room(student_computers=38)]), lang="en")["6-4"]
    assert "1 do not" in en["explanation"] and "4 computers short in all" in en["explanation"]


def test_shortfall_sums_over_the_failing_rooms_only():
    rooms = [computer_room(student_computers=38), computer_room(student_computers=40),
             computer_room(student_computers=50)]  # 50 does not make up for the others
    r = judge(primary(rooms=rooms))["6-4"]
    assert (r["status"], r["actual"], r["basis"], r["rows_short"], r["shortfall"]) == (
        "gap", 1, 3, 2, 4 + 2)


def test_a_missing_computer_room_is_short_by_the_whole_largest_class():
    r = judge(primary(rooms=[]))["6-4"]
    assert (r["status"], r["rows_short"], r["shortfall"]) == ("gap", 1, 42)


@pytest.mark.parametrize("inch,short", [(79, 1), (80, None), (81, None), (65, 15)])
def test_display_short_in_inches(inch, short):
    r = judge(primary(rooms=[computer_room(display_inch=inch)]))["6-5"]
    assert r["shortfall"] == short
    assert r["rows_short"] == (None if short is None else 1)


@pytest.mark.parametrize("points,short", [(3, 1), (4, None), (5, None), (1, 3)])
def test_outlets_short_in_outlets(points, short):
    r = judge(primary(rooms=[computer_room(info_points=points)]))["6-1"]
    assert r["shortfall"] == short


def test_a_boolean_condition_is_short_in_rooms():
    r = judge(primary(rooms=[computer_room(central_control=False)] * 2))["6-2"]
    assert (r["status"], r["rows_short"], r["shortfall"]) == ("gap", 2, 2)


def _lines(doc: dict) -> pl.DataFrame:
    return plan_lines(run(CATALOG, validate_inputs(doc, CATALOG), AS_OF), PRICES, as_of=AS_OF)


def test_the_plan_buys_four_student_computers_not_a_room():
    lines = _lines(primary(rooms=[computer_room(student_computers=38)]))
    row = lines.filter(pl.col("requirement_id") == "6-4").row(0, named=True)
    price = PRICES.by_key()["student_desktop"].unit_price
    assert (row["line"], row["unit"], row["quantity"], row["cost"]) == (
        "student_desktop", "台", 4, 4 * price)


def test_the_plan_buys_one_display_per_room_not_inches():
    lines = _lines(primary(rooms=[computer_room(display_inch=65)] * 2))
    row = lines.filter(pl.col("requirement_id") == "6-5").row(0, named=True)
    assert (row["line"], row["quantity"]) == ("interactive_display_86", 2)


def _measured_unit(check) -> tuple[str, str] | None:
    m = check.measured()
    if m is None:
        return None
    ref = expr.parse(m[0])
    fact = next(f for f in CATALOG.facts.facts if f.key == ref.name and f.scope.value == ref.ns)
    return fact.unit_in("zh"), fact.unit_in("en")


def test_a_measured_remedy_buys_in_the_measured_unit_or_per_room():
    """`quantity: shortfall` on a measured condition buys in the fact's unit, so the price line
    must be priced in it; otherwise the remedy says `quantity: rows` (one per room short)."""
    prices = PRICES.by_key()
    for s in specs(CATALOG):
        check, remedy = s.req.check, s.req.remedy
        if check.kind != "each" or remedy is None or remedy.line is None:
            continue
        unit = _measured_unit(check)
        if unit is not None and remedy.quantity == "shortfall":
            assert prices[remedy.line].unit.zh == unit[0], s.req.id
