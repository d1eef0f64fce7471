"""Per-stage 生机比 over one stock of computers (items 6/7/8 备注 (2), issue 11).

「或可按生机比10:1比例进行配置（选配）」 (item 6, 小学), 「…8:1…」 (item 7, 初中), 「…6:1…」 (item 8,
高中). A 九年一贯制 school's computers serve both its stages: they must cover the sum of the stages'
needs and never count twice. Where the school counts a stage's computers apart, that stage is
judged on them; the rest of the total is shared by the other stages' needs (the catalog's note).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campusplan.engine import reference
from campusplan.engine.assessment import run
from campusplan.engine.evaluate import assess, specs
from campusplan.engine.frames import from_inputs
from campusplan.engine.inputs import validate_inputs
from campusplan.planning.plan import plan_lines
from campusplan.planning.prices import default_prices
from tests.engine.helpers import AS_OF, CATALOG, judge, school

QUOTES = {"6-r2": "或可按生机比10:1比例进行配置（选配）", "7-r2": "或可按生机比8:1比例进行配置（选配）",
          "8-r2": "或可按生机比6:1比例进行配置（选配）"}
RATIO = {"primary": 10, "junior": 8, "senior": 6}  # from the quotes above
RULE = {"primary": "6-r2", "junior": "7-r2", "senior": "8-r2"}


def nine_year(total=None, primary_students=500, junior_students=400, **own) -> dict:
    """500 primary students at 10:1 need 50, 400 junior at 8:1 need 50: 100 in all."""
    facts = {"student_computers_total": total} | {f"student_computers_{k}": v
                                                  for k, v in own.items()}
    return school(type="312", facts=facts, stages={
        "primary": {"classes": 12, "students": primary_students, "max_class_size": 42},
        "junior": {"classes": 9, "students": junior_students, "max_class_size": 45}})


def test_the_quotes_and_ratios():
    texts = {s.req.id: s.req.text for s in specs(CATALOG)}
    assert {k: texts[k] for k in QUOTES} == QUOTES
    params = CATALOG.standard.param_values()
    assert {st: params[f"student_computer_ratio_{st}"] for st in RATIO} == RATIO


def test_ninety_computers_do_not_pass_both_stages():
    rows = judge(nine_year(90))
    assert {rows["6-r2"]["status"], rows["7-r2"]["status"]} == {"gap"}
    # 90 shared by needs 50 : 50 → 45 each, 5 short each: 10 in all, as 100 − 90
    assert (rows["6-r2"]["actual"], rows["7-r2"]["actual"]) == (45, 45)
    assert rows["6-r2"]["shortfall"] + rows["7-r2"]["shortfall"] == 10
    assert "共 100台" in rows["6-r2"]["explanation"]


@pytest.mark.parametrize("total,both_met", [(99, False), (100, True), (101, True)])
def test_the_total_against_the_sum_of_the_needs(total, both_met):
    rows = judge(nine_year(total))
    met = [rows[k]["status"] == "met" for k in ("6-r2", "7-r2")]
    assert all(met) is both_met
    assert rows["6-r2"]["actual"] + rows["7-r2"]["actual"] == total  # never counted twice
    short = sum(rows[k]["shortfall"] or 0 for k in ("6-r2", "7-r2"))
    assert short == max(100 - total, 0)


@pytest.mark.parametrize("own,status", [(49, "gap"), (50, "met"), (51, "met")])
def test_a_stage_counted_apart_is_judged_on_its_own_count(own, status):
    rows = judge(nine_year(None, primary=own))
    assert (rows["6-r2"]["status"], rows["6-r2"]["actual"], rows["6-r2"]["required"]) == (
        status, own, 50)
    assert rows["7-r2"]["status"] == "unknown"  # the junior stage's count and the total unknown


def test_the_rest_of_the_total_goes_to_the_stages_not_counted_apart():
    rows = judge(nine_year(90, primary=60))  # 60 counted for primary, 30 left for junior
    assert (rows["6-r2"]["status"], rows["6-r2"]["actual"]) == ("met", 60)
    assert (rows["7-r2"]["status"], rows["7-r2"]["actual"], rows["7-r2"]["shortfall"]) == (
        "gap", 30, 20)


def test_both_stages_counted_apart():
    rows = judge(nine_year(None, primary=50, junior=49))
    assert (rows["6-r2"]["status"], rows["7-r2"]["status"]) == ("met", "gap")


def test_a_single_stage_school_is_judged_on_its_total():
    s = school(stages={"primary": {"classes": 20, "students": 701, "max_class_size": 40}},
               facts={"student_computers_total": 70})
    r = judge(s)["6-r2"]
    assert (r["status"], r["actual"], r["required"], r["shortfall"]) == ("gap", 70, 71, 1)


def test_a_complete_secondary_school_shares_between_junior_and_senior():
    # 341: junior 400 at 8:1 → 50, senior 300 at 6:1 → 50; 80 computers → 40 + 40
    s = school(type="341", facts={"student_computers_total": 80}, stages={
        "junior": {"classes": 9, "students": 400, "max_class_size": 45},
        "senior": {"classes": 8, "students": 300, "max_class_size": 45}})
    rows = judge(s)
    assert [(rows[k]["status"], rows[k]["actual"]) for k in ("7-r2", "8-r2")] == [
        ("gap", 40), ("gap", 40)]


def test_the_plan_buys_the_whole_shortfall_once():
    lines = plan_lines(run(CATALOG, validate_inputs(nine_year(90), CATALOG), AS_OF),
                       default_prices(), as_of=AS_OF)
    bought = lines.filter(lines["requirement_id"].is_in(["6-r2", "7-r2"]))["quantity"].sum()
    assert bought == 10


counts = st.one_of(st.none(), st.integers(0, 400))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["312", "341", "345"]), counts, counts, counts, counts,
       st.lists(st.integers(45, 450), min_size=3, max_size=3))  # plausible for 10 classes of ≤45
def test_vectorized_equals_reference_and_never_counts_twice(stype, total, p, j, s, students):
    stages = {"312": ("primary", "junior"), "341": ("junior", "senior"),
              "345": ("primary", "junior", "senior")}[stype]
    own = dict(zip(("primary", "junior", "senior"), (p, j, s), strict=True))
    doc = school(type=stype, facts={"student_computers_total": total} | {
        f"student_computers_{k}": v for k, v in own.items() if k in stages},
        stages={k: {"classes": 10, "students": n, "max_class_size": 45}
                for k, n in zip(stages, students, strict=False)})
    frames = from_inputs(validate_inputs(doc, CATALOG), CATALOG, AS_OF)
    ids = {s.index: s.req.id for s in specs(CATALOG) if s.req.check.kind == "shared_ratio"}
    vec = {ids[r["req"]]: r for r in assess(CATALOG, frames).iter_rows(named=True)
           if r["req"] in ids}
    ref = {ids[r["req"]]: r for r in reference.assess_all(CATALOG, frames) if r["req"] in ids}
    for k, r in vec.items():
        assert (str(r["status"]), r["actual"], r["required"], r["shortfall"]) == (
            ref[k]["status"], ref[k]["actual"], ref[k]["required"], ref[k]["shortfall"]), k
    shared = [vec[RULE[k]]["actual"] for k in stages if own[k] is None]
    if total is not None and None not in shared:
        counted_apart = sum(own[k] for k in stages if own[k] is not None)
        assert sum(shared) <= max(total - counted_apart, 0)
