"""One test per check kind, with expectations computed by hand from the spec text."""

from __future__ import annotations

import pytest

from tests.engine.helpers import judge, school


def classroom(**over):
    room = {"type": "ordinary_classroom", "info_points": 4, "wifi_clients": 50,
            "central_control": True, "teacher_computers": 1, "display_inch": 86,
            "apps_connected": True}
    return room | over


# presence — 22 ⑥ 安防监控中心 ------------------------------------------------------------------
@pytest.mark.parametrize("value,status", [(True, "met"), (False, "gap"), (None, "unknown")])
def test_presence(value, status):
    r = judge(school(facts={"security_center": value}))["22-6"]
    assert r["status"] == status
    assert r["level"] == "required"


# minimum — 1 ① 带宽不低于百兆 -----------------------------------------------------------------
@pytest.mark.parametrize("mbps,status,short", [(99, "gap", 1), (100, "met", None),
                                               (1000, "met", None), (None, "unknown", None)])
def test_minimum_bandwidth(mbps, status, short):
    r = judge(school(facts={"internet_bandwidth_mbps": mbps}))["1-1"]
    assert (r["status"], r["shortfall"]) == (status, short)
    if status != "unknown":
        assert r["required"] == 100


def test_minimum_video_retention_explains_with_numbers():
    r = judge(school(facts={"video_retention_days": 15}))["22-7"]
    assert r["status"] == "gap"
    assert r["explanation"] == "录像存储 15 天，需不小于 30 天，差 15 天"


# ratio — 10 ① 师机比不低于1:1; 6 备注 生机比10:1 ----------------------------------------------------
def test_ratio_teacher_computers_issue_example():
    r = judge(school(teachers=70, facts={"teacher_computers_total": 65}))["10-1"]
    assert (r["status"], r["required"], r["shortfall"]) == ("gap", 70, 5)
    assert r["explanation"] == "教师用计算机 65 台，专任教师 70 人，需不低于 1:1，缺 5 台"


def test_ratio_student_computers_primary_ten_to_one():
    # 701 primary students at 10:1 need ceil(70.1) = 71 computers
    s = school(stages={"primary": {"classes": 20, "students": 701, "max_class_size": 40}},
               facts={"student_computers_total": 70})
    r = judge(s)["6-r2"]
    assert (r["status"], r["required"], r["shortfall"], r["level"]) == ("gap", 71, 1, "optional")


def test_ratio_is_per_stage_for_a_nine_year_school():
    # 312: primary 700 at 10:1 → 70; junior 400 at 8:1 → 50. The 60 computers are shared, not
    # counted for both (issue 11): 60 × 70/120 = 35 for primary, 25 for junior — both short.
    s = school(type="312", stages={"primary": {"classes": 18, "students": 700, "max_class_size": 40},
                                   "junior": {"classes": 10, "students": 400, "max_class_size": 45}},
               facts={"student_computers_total": 60})
    rows = judge(s)
    assert (rows["6-r2"]["status"], rows["6-r2"]["required"], rows["6-r2"]["actual"]) == (
        "gap", 70, 35)
    assert (rows["7-r2"]["status"], rows["7-r2"]["required"], rows["7-r2"]["actual"]) == (
        "gap", 50, 25)
    assert rows["8-r2"]["status"] == "not_applicable"


# maximum — 5.11 探索期 1 间、试点期不超过 3 间 ---------------------------------------------------------
def smart(n):
    return [{"type": "smart_classroom"} for _ in range(n)]


@pytest.mark.parametrize("phase,rooms,status,excess", [
    ("exploration", 1, "met", None), ("exploration", 2, "violation", 1),
    ("pilot", 3, "met", None), ("pilot", 4, "violation", 1), ("general", 9, "not_applicable", None),
])
def test_maximum_smart_classroom_phase_caps(phase, rooms, status, excess):
    s = school(smart_phase={"phase": phase, "since": "2026-01-01"}, rooms=smart(rooms))
    r = judge(s)["16-r1"]
    assert (r["status"], r["shortfall"]) == (status, excess)


def test_smart_classrooms_without_a_phase_must_declare_one():
    assert judge(school(rooms=smart(1)))["16-r2"]["status"] == "gap"
    assert judge(school(rooms=[]))["16-r2"]["status"] == "not_applicable"


# prohibition — 5.3 30 班以下不单独建设数据中心, 7.1 不自建网站 ----------------------------------------------
@pytest.mark.parametrize("classes,own,approved,status", [
    (29, True, False, "violation"), (30, True, False, "violation"), (31, True, False, "met"),
    (29, True, True, "met"),
    (29, False, False, "met"), (29, None, False, "unknown"), (12, None, True, "met"),
])
def test_prohibition_data_centre(classes, own, approved, status):
    s = school(stages={"primary": {"classes": classes, "students": classes * 35,
                                   "max_class_size": 40}},
               approved_data_center=approved, facts={"own_data_center": own})
    assert judge(s)["s5.3-1"]["status"] == status


def test_prohibition_self_built_website():
    r = judge(school(facts={"self_built_website": True}))["26-r1"]
    assert (r["status"], r["level"]) == ("violation", "required")


# each over rooms — 5 ① 信息口不少于4个, 备注 普通教室100%覆盖 -----------------------------------------
def test_each_room_counts_failing_rooms():
    rows = judge(school(rooms=[classroom(), classroom(info_points=2), classroom(info_points=3)]))
    r = rows["5-1"]
    # 2 rooms fail; the shortfall is in outlets (信息口不少于4个: 4 - 2 + 4 - 3 = 3)
    assert (r["status"], r["actual"], r["required"], r["rows_short"]) == ("gap", 1, 3, 2)
    assert r["shortfall"] == 3


def test_coverage_needs_one_multimedia_classroom_per_class():
    s = school(stages={"primary": {"classes": 12, "students": 400, "max_class_size": 38}},
               rooms=[classroom() for _ in range(10)] + [classroom(display_inch=0)])
    r = judge(s)["5-r1"]
    assert (r["status"], r["actual"], r["required"], r["shortfall"]) == ("gap", 10, 12, 2)


def test_rooms_not_inventoried_are_unknown_not_zero():
    s = school()
    del s["rooms"]
    rows = judge(s)
    assert rows["5-1"]["status"] == "unknown"
    assert rows["19-r1"]["status"] == "unknown"


def test_computer_room_student_computers_follow_the_stage_largest_class():
    room = {"type": "computer_room", "student_computers": 42}
    s = school(type="312", stages={"primary": {"classes": 18, "students": 700, "max_class_size": 40},
                                   "junior": {"classes": 10, "students": 400, "max_class_size": 45}},
               rooms=[room])
    rows = judge(s)
    assert rows["6-4"]["status"] == "met"  # 42 ≥ 40 (小学最大班额)
    assert rows["7-4"]["status"] == "gap"  # 42 < 45 (初中最大班额)


def test_missing_room_type_is_a_gap_only_where_the_standard_needs_it():
    rows = judge(school(rooms=[classroom()]))
    assert rows["6-1"]["status"] == "gap"  # a primary school needs a computer room
    assert rows["9-1"]["status"] == "not_applicable"  # recording classrooms are optional


# each over services — vendor qualification 35–43, purchase unit, duplicate purchase -----------------
def svc(category, **facts):
    return {"category": category, "name": "服务", "vendor": "某公司", **facts}


@pytest.mark.parametrize("years,dau,status", [(5, 20000, "met"), (4.9, 20000, "violation"),
                                              (6, 19999, "violation"), (6, None, "unknown")])
def test_vendor_qualification_item_35(years, dau, status):
    s = school(services=[svc("svc35", vendor_years=years, daily_active_users=dau,
                             purchase_unit="学校.年度")])
    assert judge(s)["35-1"]["status"] == status


def test_vendor_qualification_item_42_counts_schools_served():
    ok = svc("svc42", vendor_years=3, schools_served=500, purchase_unit="学校.年度")
    assert judge(school(services=[ok]))["42-1"]["status"] == "met"
    assert judge(school(services=[ok | {"schools_served": 499}]))["42-1"]["status"] == "violation"


def test_purchase_unit_class_year_for_item_38():
    good = svc("svc38", vendor_years=6, daily_active_users=30000, purchase_unit="班级.年度")
    assert judge(school(services=[good]))["38-2"]["status"] == "met"
    bad = good | {"purchase_unit": "学校.年度"}
    assert judge(school(services=[bad]))["38-2"]["status"] == "violation"


def test_unused_service_category_is_not_applicable():
    assert judge(school(services=[]))["40-1"]["status"] == "not_applicable"


def test_duplicate_purchase_of_a_district_service_is_flagged():
    district = [{"district": "110108", "category": "svc37", "name": "区家校平台", "vendor": "区",
                 "vendor_years": 8, "daily_active_users": 300000, "purchase_unit": "学校.年度"}]
    own = svc("svc37", vendor_years=8, daily_active_users=30000, purchase_unit="学校.年度")
    rows = judge(school(services=[own]), district_services=district)
    assert rows["s8-2"]["status"] == "violation"
    # the district's own service counts for the school and is not a duplicate
    assert judge(school(services=[]), district_services=district)["s8-2"]["status"] == "met"
    # another district's service does not count
    other = [d | {"district": "110101"} for d in district]
    assert judge(school(services=[own]), district_services=other)["s8-2"]["status"] == "met"


# applicability — 学段, 中学-only rules -----------------------------------------------------------------
def test_secondary_only_items_do_not_apply_to_a_primary_school():
    rows = judge(school(facts={"app_course_selection": False, "dc_servers_storage": True}))
    assert rows["28-4"]["status"] == "not_applicable"  # 选课与走班（适用于中学）
    assert rows["4-1"]["status"] == "not_applicable"  # 数据中心（中学）
    assert rows["7-1"]["status"] == "not_applicable"  # 初中计算机教室
    assert rows["18-1"]["status"] == "not_applicable"  # 数字化探究实验室（中学）


def test_secondary_rules_apply_to_a_nine_year_school():
    s = school(type="312", stages={"primary": {"classes": 18, "students": 700, "max_class_size": 40},
                                   "junior": {"classes": 9, "students": 380, "max_class_size": 45}},
               facts={"app_course_selection": False})
    assert judge(s)["28-4"]["status"] == "gap"


def test_unset_parameter_makes_the_rule_unknown_and_says_why():
    r = judge(school(rooms=[classroom()]))["6-r1"]
    assert r["status"] == "unknown"
    assert "尚未设定" in r["explanation"]


def test_recording_rooms_one_per_twelve_classes_rounds_down():
    s = school(stages={"primary": {"classes": 30, "students": 1100, "max_class_size": 40}},
               rooms=[{"type": "recording_classroom"}])
    r = judge(s)["9-r2"]
    assert (r["status"], r["required"], r["shortfall"]) == ("gap", 2, 1)


def test_english_explanations():
    r = judge(school(facts={"video_retention_days": 15}), lang="en")["22-7"]
    assert r["explanation"] == "Video kept 15 days; at least 30 needed, 15 short"


# yearly cost of services from the purchase unit --------------------------------------------------
def test_yearly_cost_per_school_year_and_per_class_year():
    from campusplan.engine.costs import service_costs
    from campusplan.engine.frames import from_inputs
    from campusplan.engine.inputs import validate_inputs
    from tests.engine.helpers import AS_OF, CATALOG

    s = school(stages={"primary": {"classes": 24, "students": 900, "max_class_size": 40}},
               services=[svc("svc37", purchase_unit="学校.年度", unit_price=30000),
                         svc("svc38", purchase_unit="班级.年度", unit_price=1200),
                         svc("svc40", purchase_unit="班级.年度")])
    frames = from_inputs(validate_inputs(s, CATALOG), CATALOG, AS_OF)
    costs = {r["category"]: r["yearly_cost"] for r in service_costs(frames).iter_rows(named=True)}
    assert costs == {"svc37": 30000, "svc38": 24 * 1200, "svc40": None}
