"""Readings of the standard's boundaries and phases, judged end to end at n−1, n, n+1.

Boundaries (民法典 第一千二百五十九条, declared in beijing.yaml `boundaries:`): 「民法所称的“以上”、
“以下”、“以内”、“届满”，包括本数；所称的“不满”、“超过”、“以外”，不包括本数」.
"""

from __future__ import annotations

import pytest

from tests.engine.helpers import CATALOG, judge, school

PARAMS = CATALOG.standard.param_values()


def primary(classes: int) -> dict:
    return {"primary": {"classes": classes, "students": classes * 35, "max_class_size": 40}}


def svc(**facts) -> dict:
    return {"category": "svc35", "name": "服务", "vendor": "某公司", "purchase_unit": "学校.年度",
            **facts}


# 「原则上30个班级规模以下学校不单独建设校级数据中心」: 以下 includes 30 ---------------------------------
@pytest.mark.parametrize("classes,status", [(29, "violation"), (30, "violation"), (31, "met")])
def test_data_centre_thirty_classes_is_below_the_threshold(classes, status):
    assert PARAMS["data_center_small_school_classes"] == 30
    s = school(stages=primary(classes), facts={"own_data_center": True})
    assert judge(s)["s5.3-1"]["status"] == status


# 「学校互联网接入带宽3不低于百兆」, 「录像存储时间不小于30天」: include the number -------------------------
@pytest.mark.parametrize("mbps,status", [(99, "gap"), (100, "met"), (101, "met")])
def test_bandwidth_not_below_a_hundred(mbps, status):
    assert judge(school(facts={"internet_bandwidth_mbps": mbps}))["1-1"]["status"] == status


@pytest.mark.parametrize("days,status", [(29, "gap"), (30, "met"), (31, "met")])
def test_video_retention_not_under_thirty_days(days, status):
    assert judge(school(facts={"video_retention_days": days}))["22-7"]["status"] == status


# 「网络信息口不少于4个」, 「交互式显示屏设备80英寸以上」 (per room) ---------------------------------------
@pytest.mark.parametrize("points,status", [(3, "gap"), (4, "met"), (5, "met")])
def test_classroom_outlets_not_fewer_than_four(points, status):
    room = {"type": "ordinary_classroom", "info_points": points}
    assert judge(school(rooms=[room]))["5-1"]["status"] == status


@pytest.mark.parametrize("inch,status", [(79, "gap"), (80, "met"), (81, "met")])
def test_recording_display_eighty_inches_and_up(inch, status):
    room = {"type": "recording_classroom", "display_inch": inch}
    assert judge(school(rooms=[room]))["9-2"]["status"] == status


# 「云服务提供5年以上，日活跃用户2万以上」, 「服务学校规模500所以上」 ------------------------------------------
@pytest.mark.parametrize("years,status", [(4, "violation"), (5, "met"), (6, "met")])
def test_vendor_five_years_and_more(years, status):
    s = school(services=[svc(vendor_years=years, daily_active_users=20000)])
    assert judge(s)["35-1"]["status"] == status


@pytest.mark.parametrize("dau,status", [(19999, "violation"), (20000, "met"), (20001, "met")])
def test_vendor_twenty_thousand_daily_users_and_more(dau, status):
    s = school(services=[svc(vendor_years=5, daily_active_users=dau)])
    assert judge(s)["35-1"]["status"] == status


@pytest.mark.parametrize("served,status", [(499, "violation"), (500, "met"), (501, "met")])
def test_vendor_five_hundred_schools_and_more(served, status):
    s = school(services=[svc(category="svc42", vendor_years=3, schools_served=served)])
    assert judge(s)["42-1"]["status"] == status


# 「中小学可配备1间创新实验室，特色多元且在24个班级规模及以上的学校，可按需配置创新实验室」 -----------------------
# Both conditions must hold (特色多元 *and* 24 classes or more); 24 classes with 特色多元 unknown is
# unknown, never a pass.
@pytest.mark.parametrize("classes,diverse,status", [
    (23, True, "violation"), (24, True, "not_applicable"), (25, True, "not_applicable"),
    (24, False, "violation"), (24, None, "unknown"), (23, None, "violation")])
def test_more_innovation_labs_from_twenty_four_classes(classes, diverse, status):
    labs = [{"type": "innovation_lab"}, {"type": "innovation_lab"}]
    facts = {} if diverse is None else {"diverse_features": diverse}
    s = school(stages=primary(classes), rooms=labs, facts=facts)
    assert judge(s)["19-r2"]["status"] == status


# 5.11 phases: 「探索期可建设1间智慧教室；在探索期后确有效果的情况下，可进入试点期，可申请增加智慧教室配置，
# 原则上不能超过3间智慧教室」 ----------------------------------------------------------------------------
def smart(n: int) -> list[dict]:
    return [{"type": "smart_classroom"} for _ in range(n)]


@pytest.mark.parametrize("rooms,status,excess", [(2, "met", None), (3, "met", None),
                                                 (4, "violation", 1)])
def test_pilot_phase_not_more_than_three(rooms, status, excess):
    s = school(smart_phase={"phase": "pilot", "since": "2026-01-01"}, rooms=smart(rooms))
    r = judge(s)["16-r1"]
    assert (r["status"], r["shortfall"]) == (status, excess)


@pytest.mark.parametrize("rooms,status,excess", [(0, "not_applicable", None), (1, "met", None),
                                                 (2, "violation", 1)])
def test_no_declared_phase_is_held_to_the_first_phase_cap(rooms, status, excess):
    """The pilot phase comes only after the exploration phase: no phase means 探索期's 1 间."""
    r = judge(school(rooms=smart(rooms)))["16-r1"]
    assert (r["status"], r["shortfall"], r["required"] if rooms else 1) == (status, excess, 1)
    assert r["status"] != "not_applicable" or rooms == 0


def test_no_declared_phase_and_no_room_inventory_is_unknown_with_the_reason():
    s = school()
    del s["rooms"]
    r = judge(s)["16-r1"]
    assert r["status"] == "unknown"
    assert r["explanation"] == "缺少数据：智慧教室数量"
