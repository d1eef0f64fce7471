"""The 优质均衡 rules judged by the engine, expectations from youzhi-junheng.md (§1.2, §1.3, §3)."""

from __future__ import annotations

import math
import re

import pytest

from tests.youzhi.helpers import PER_100, SPEC_TEXT, fact_key, floors, judge, meeting, school, table

BASE = {"primary": 100, "junior": 200}
KOFN = {"primary": "s1.2-1", "junior": "s1.2-2"}


def short_on(stage: str, n: int, students: int, share: float) -> dict:
    """A school meeting every indicator but L`n`, which it reaches only to `share` of the
    threshold."""
    facts = meeting(stage, students)
    per = students / 100 if n in PER_100 else students
    value = round(table()[n][stage] * per * share, 6)
    # heads and rooms are whole numbers: round down, so the school stays short
    facts[fact_key(n, stage)] = math.floor(value) if n in PER_100 else value
    return facts


@pytest.mark.parametrize("stage", ["primary", "junior"])
def test_a_school_at_every_threshold_meets_all_seven(stage):
    rows = judge(school("A", stage, 1000, meeting(stage, 1000)))["A"]
    for n in range(1, 8):
        row = rows[f"{BASE[stage] + n}-1"]
        assert row["status"] == "met", (n, row)
        assert row["actual"] == pytest.approx(table()[n][stage], rel=1e-6)
    assert rows[KOFN[stage]]["status"] == "met"
    assert rows[KOFN[stage]]["actual"] == 7
    other = "junior" if stage == "primary" else "primary"
    assert rows[KOFN[other]]["status"] == "not_applicable"


@pytest.mark.parametrize("stage", ["primary", "junior"])
@pytest.mark.parametrize("n", [1, 6, 7])
def test_one_indicator_short_but_above_85_percent_still_passes(stage, n):
    rows = judge(school("A", stage, 2000, short_on(stage, n, 2000, 0.9)))["A"]
    assert rows[f"{BASE[stage] + n}-1"]["status"] == "gap"
    assert rows[KOFN[stage]]["status"] == "met"
    assert rows[KOFN[stage]]["actual"] == 6


def test_the_floor_itself_is_allowed_and_below_it_fails():
    """余项不能低于要求的85%: at exactly 85 % (生均教学仪器设备值 1700 元 of 2000) the rule holds."""
    assert floors()["primary"][5] == 1700
    at = judge(school("A", "primary", 1000, short_on("primary", 6, 1000, 0.85)))["A"]
    assert at["106-1"]["status"] == "gap" and at["106-1"]["actual"] == pytest.approx(1700)
    assert at["s1.2-1"]["status"] == "met"
    under = judge(school("A", "primary", 1000, short_on("primary", 6, 1000, 0.84)))["A"]
    assert under["s1.2-1"]["status"] == "gap"
    assert under["s1.2-1"]["basis"] == 1
    assert "85%" in under["s1.2-1"]["explanation"]


def test_multimedia_rooms_one_room_under_the_floor():
    """L7 小学 2.3 间/百名学生, floor 1.955: 1000 students with 20 rooms pass the rule, 19 do not."""
    facts = meeting("primary", 1000)
    facts["multimedia_classrooms"] = 20
    assert judge(school("A", "primary", 1000, facts))["A"]["s1.2-1"]["status"] == "met"
    facts["multimedia_classrooms"] = 19
    rows = judge(school("A", "primary", 1000, facts))["A"]
    assert rows["107-1"]["status"] == "gap"
    assert rows["s1.2-1"]["status"] == "gap"
    assert "2.3" in rows["107-1"]["explanation"] and "1.9" in rows["107-1"]["explanation"]


def test_two_indicators_short_fail_even_above_the_floor():
    facts = short_on("junior", 4, 1000, 0.95)
    facts |= {k: v for k, v in short_on("junior", 5, 1000, 0.95).items() if k == "sports_venue_m2"}
    rows = judge(school("A", "junior", 1000, facts))["A"]
    assert rows["s1.2-2"]["status"] == "gap"
    assert rows["s1.2-2"]["actual"] == 5 and rows["s1.2-2"]["shortfall"] == 1


def test_a_missing_indicator_makes_the_rule_unknown_not_failed():
    facts = meeting("primary", 1000)
    del facts["multimedia_classrooms"]
    rows = judge(school("A", "primary", 1000, facts))["A"]
    assert rows["107-1"]["status"] == "unknown"
    assert rows["s1.2-1"]["status"] == "unknown"
    # with two short already, the unknown one cannot rescue it
    facts = short_on("primary", 4, 1000, 0.5)
    del facts["multimedia_classrooms"]
    assert judge(school("A", "primary", 1000, facts))["A"]["s1.2-1"]["status"] == "gap"


def test_a_nine_year_school_splits_a_shared_total_by_the_per_pupil_weights():
    """九年一贯制: 小学部 A/(A+1.1B), 初中部 1.1B/(A+1.1B) of a whole-school resource (§3.2)."""
    a, b, rooms = 600, 400, 30
    s = school("N", "primary", a, {"multimedia_classrooms": rooms})
    s["type"] = "312"
    s["stages"]["junior"] = {"classes": 10, "students": b, "max_class_size": 40}
    rows = judge(s)["N"]
    primary = rooms * a / (a + 1.1 * b) * 100 / a
    junior = rooms * 1.1 * b / (a + 1.1 * b) * 100 / b
    assert rows["107-1"]["actual"] == pytest.approx(primary, rel=1e-5)
    assert rows["207-1"]["actual"] == pytest.approx(junior, rel=1e-5)


# --- the county rule: 校际差异系数 -------------------------------------------------------------


def worked_example() -> tuple[list[int], list[int], float]:
    """§3.1's example (5 小学, students and books) and its CV, read from the spec."""
    m = re.search(r"students ([\d/]+), books ([\d/]+)\).*?\*\*CV = ([\d.]+)", SPEC_TEXT, re.S)
    students, books = ([int(x) for x in g.split("/")] for g in m.group(1, 2))
    return students, books, float(m.group(3))


def official_cv(amounts, students) -> float:
    """The test's own reading of §3: X̄ = Σx/P, S = sqrt(Σ (P_i/P)(x_i/P_i − X̄)²), CV = S/X̄."""
    total = sum(students)
    mean = sum(amounts) / total
    var = sum(p / total * (x / p - mean) ** 2 for x, p in zip(amounts, students, strict=True))
    return math.sqrt(var) / mean


def test_the_worked_example_gives_0_515_and_fails_the_primary_limit():
    students, books, cv = worked_example()
    assert cv == 0.515
    # any per-student amount carries the method: books become 教学及辅助用房 ㎡
    schools = [school(f"P{i}", "primary", p, {"teaching_space_m2": float(x)})
               for i, (p, x) in enumerate(zip(students, books, strict=True))]
    rows = judge(*schools)
    for code in rows:
        rule = rows[code]["104-r1"]
        assert rule["actual"] == pytest.approx(cv, abs=5e-4)
        assert rule["actual"] == pytest.approx(official_cv(books, students), rel=1e-5)
        assert rule["basis"] == pytest.approx(sum(books) / sum(students), rel=1e-5)  # 6.334
        assert rule["status"] == "gap"  # 0.515 > 0.50
        assert "0.515" in rule["explanation"] and "0.5" in rule["explanation"]
    assert rows["P0"]["104-r1"]["basis"] == pytest.approx(6.334, abs=5e-4)


@pytest.mark.parametrize(("rooms", "cv", "status"), [((36, 14), 0.44, "met"),
                                                    ((73, 27), 0.46, "gap")])
def test_a_junior_district_just_under_and_just_over_0_45(rooms, cv, status):
    schools = [school(f"J{i}", "junior", 1000, {"multimedia_classrooms": r})
               for i, r in enumerate(rooms)]
    rows = judge(*schools)
    assert official_cv(list(rooms), [1000, 1000]) == pytest.approx(cv)
    for code in ("J0", "J1"):
        rule = rows[code]["207-r1"]
        assert rule["actual"] == pytest.approx(cv, rel=1e-5)
        assert rule["required"] == pytest.approx(0.45)
        assert rule["status"] == status


def test_the_same_spread_passes_primary_at_0_50():
    schools = [school(f"P{i}", "primary", 1000, {"multimedia_classrooms": r})
               for i, r in enumerate((73, 27))]
    assert judge(*schools)["P0"]["107-r1"]["status"] == "met"  # 0.46 ≤ 0.50


def test_districts_are_judged_apart_and_a_missing_value_makes_the_district_unknown():
    near = [school(f"A{i}", "junior", 1000, {"multimedia_classrooms": r}, "110108")
            for i, r in enumerate((36, 14))]
    far = [school(f"B{i}", "junior", 1000, {"multimedia_classrooms": r}, "110105")
           for i, r in enumerate((73, 27))]
    blank = school("B9", "junior", 1000, {}, "110105")
    rows = judge(*near, *far, blank)
    assert rows["A0"]["207-r1"]["status"] == "met"
    assert rows["B0"]["207-r1"]["status"] == "unknown"
    assert rows["B0"]["207-r1"]["actual"] == pytest.approx(0.46, rel=1e-5)  # the known part
    assert rows["A0"]["107-r1"]["status"] == "not_applicable"  # no 小学 here
