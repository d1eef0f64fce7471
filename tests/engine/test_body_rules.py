"""Rules of the body text (issue 11, point 7), judged on schools built from the sentences quoted.

Each test quotes the sentence it derives its expectation from; numbers are tested at n−1, n, n+1.
"""

from __future__ import annotations

import pytest

from tests.engine.helpers import judge, school


def classroom(info_points: int) -> dict:
    return {"type": "ordinary_classroom", "info_points": info_points, "wifi_clients": 50,
            "central_control": True, "teacher_computers": 1, "display_inch": 86,
            "apps_connected": True}


# 5.3 各类教室可能的信息点: 黑板后1个 + 讲桌2个 + 吊顶3个 + 吊顶中间1个 + 门口1个 + 教室外1个 = 9;
# “教室前后左右可留信息口给机动需求，至少1个(选配)” → 10
RECOMMENDED = 1 + 2 + 3 + 1 + 1 + 1


@pytest.mark.parametrize("points,recommended,spare", [
    (RECOMMENDED - 1, "gap", "gap"), (RECOMMENDED, "met", "gap"),
    (RECOMMENDED + 1, "met", "met"), (RECOMMENDED + 2, "met", "met")])
def test_spare_outlet_is_one_more_than_the_recommended_positions(points, recommended, spare):
    rows = judge(school(rooms=[classroom(points)]))
    assert (rows["5-r2"]["status"], rows["5-r3"]["status"]) == (recommended, spare)
    assert rows["5-r3"]["level"] == "optional"


def venue(**facts) -> dict:
    return {"type": "venue", "one_key_start": True, **facts}


@pytest.mark.parametrize("large,boxes,status", [
    (True, True, "met"), (True, False, "gap"), (False, False, "met"), (None, True, "met"),
    (True, None, "unknown"), (None, None, "unknown")])
def test_interface_boxes_in_large_and_medium_venues(large, boxes, status):
    """5.8: 大中型会场舞台左右两侧及中间位置预留各种接口箱，包括VGA、HDMI、卡农口、6.5mm口等 — small
    meeting rooms are not concerned."""
    r = judge(school(rooms=[venue(large_or_medium_venue=large, stage_interface_boxes=boxes)]))
    assert (r["s5.8-2"]["status"], r["s5.8-2"]["level"]) == (status, "required")


@pytest.mark.parametrize("own,staff,rules,status_staff,status_rules", [
    (True, True, True, "met", "met"), (True, False, True, "gap", "met"),
    (True, True, False, "met", "gap"), (False, False, False, "not_applicable", "not_applicable"),
    (None, True, True, "unknown", "unknown")])
def test_data_centre_staff_and_rules(own, staff, rules, status_staff, status_rules):
    """5.3: 数据中心应配有专业的管理人员进行管理、维护，并配套完善的管理制度 — for a school that runs one."""
    rows = judge(school(facts={"own_data_center": own, "dc_professional_staff": staff,
                               "dc_management_rules": rules}))
    assert (rows["s5.3-2"]["status"], rows["s5.3-3"]["status"]) == (status_staff, status_rules)
    assert rows["s5.3-2"]["level"] == rows["s5.3-3"]["level"] == "required"


@pytest.mark.parametrize("centre,central,watch,expected", [
    (True, True, True, ("met", "met")), (True, False, True, ("gap", "met")),
    (True, True, False, ("met", "gap")), (False, False, False, ("not_applicable",) * 2)])
def test_security_centre_location_and_watch(centre, central, watch, expected):
    """5.14: 安防监控中心应位于学校办公区中心位置 …; 专业人员值守要和消防监控和安保值守相结合."""
    rows = judge(school(facts={"security_center": centre, "security_center_central": central,
                               "security_center_joint_watch": watch}))
    assert (rows["22-r3"]["status"], rows["22-r4"]["status"]) == expected


def test_city_and_district_safety_platforms_are_both_judged():
    """5.14: 要与市、区校园安全防控平台进行对接 — the city half (22 备注(2)) and the district half."""
    rows = judge(school(facts={"city_safety_platform": True, "district_safety_platform": False}))
    assert (rows["22-r2"]["status"], rows["22-r5"]["status"]) == ("met", "gap")
    assert rows["22-r5"]["level"] == "required"


SECURITY_FUNCTIONS = {"s5.2-1": "web_behavior_function", "s9-2": "intrusion_protection_function",
                      "s9-3": "traffic_management_function", "s9-4": "unified_control_function",
                      "s9-5": "security_responsibility_system",
                      "s9-6": "security_monitoring_platform"}


def test_security_functions_are_required_though_the_systems_are_optional():
    """9: 配置防火墙、防病毒、网络入侵保护、流量管理、上网行为管理、统一管控等功能网络安全设备; 建立网络安全责任
    制度 …, 建设网络安全监测预警平台. 5.2: 实现防火墙、上网行为管理等功能. The table's
    ⑤ 上网管理系统，包括上网行为管理、流量管理（选配） is a dedicated system, still optional."""
    facts = {"firewall": True, "antivirus": True, "web_behavior_mgmt": False, "ids_audit": False}
    missing = judge(school(facts=facts | dict.fromkeys(SECURITY_FUNCTIONS.values(), False)))
    present = judge(school(facts=facts | dict.fromkeys(SECURITY_FUNCTIONS.values(), True)))
    for rid in SECURITY_FUNCTIONS:
        assert (missing[rid]["status"], missing[rid]["level"]) == ("gap", "required"), rid
        assert present[rid]["status"] == "met", rid
    for rid in ("44-4", "44-5"):
        assert (present[rid]["status"], present[rid]["level"]) == ("gap", "optional")


def innovation_labs(n: int) -> list[dict]:
    return [{"type": "innovation_lab", "info_points": 4} for _ in range(n)]


@pytest.mark.parametrize("classes,diverse,status", [
    (23, True, "violation"), (24, True, "not_applicable"), (25, True, "not_applicable"),
    (24, False, "violation"), (25, False, "violation"), (24, None, "unknown"),
    (23, None, "violation")])
def test_more_innovation_labs_need_both_diverse_features_and_24_classes(classes, diverse, status):
    """5.12: 中小学可配备1间创新实验室，特色多元且在24个班级规模及以上的学校，可按需配置创新实验室."""
    s = school(stages={"primary": {"classes": classes, "students": classes * 35,
                                   "max_class_size": 40}},
               facts={"diverse_features": diverse}, rooms=innovation_labs(2))
    r = judge(s)["19-r2"]
    assert (r["status"], r["level"]) == (status, "optional")


@pytest.mark.parametrize("rooms,teachers,status", [
    (innovation_labs(1), False, "gap"), (innovation_labs(1), True, "met"),
    ([{"type": "maker_room"}], False, "gap"), ([classroom(10)], False, "not_applicable")])
def test_new_rooms_need_their_teachers(rooms, teachers, status):
    """5.12: 在学校具有配套师资条件或同步配置师资许可的情况下，可申请建设技术赋能新型专业教室."""
    r = judge(school(rooms=rooms, facts={"new_room_teachers": teachers}))["s5.12-1"]
    assert (r["status"], r["level"]) == (status, "required")


def test_new_rooms_precondition_unknown_without_an_inventory():
    s = school(facts={"new_room_teachers": False})
    del s["rooms"]
    assert judge(s)["s5.12-1"]["status"] == "unknown"


@pytest.mark.parametrize("terminals,status,short", [
    (119, "gap", 1), (120, "met", None), (121, "met", None)])
def test_byod_target_is_one_terminal_per_student(terminals, status, short):
    """5.11: BYOD家校协同配置模式下的移动学习终端数量 … 最终达到1:1配比 (120 students → 120)."""
    s = school(facts={"byod_program": True, "byod_students": 120, "byod_terminals": terminals})
    r = judge(s)["17-r2"]
    assert (r["status"], r["required"], r["shortfall"], r["level"]) == (
        status, 120, short, "optional")


def test_byod_target_applies_only_to_a_byod_school():
    assert judge(school(facts={"byod_program": False}))["17-r2"]["status"] == "not_applicable"


@pytest.mark.parametrize("integrates,covers,status", [
    (True, False, "gap"), (True, True, "met"), (False, False, "not_applicable"),
    (None, True, "unknown")])
def test_maintenance_covers_learning_terminals(integrates, covers, status):
    """10.1: 开展信息技术与课程整合的学校运维服务需包括学习终端管理、设备维护、程序灌装与更新等."""
    r = judge(school(facts={"it_curriculum_integration": integrates,
                            "om_learning_terminals": covers}))["45-r1"]
    assert (r["status"], r["level"]) == (status, "required")


@pytest.mark.parametrize("bought,confirmed,status", [
    (True, False, "gap"), (True, True, "met"), (False, None, "not_applicable")])
def test_basic_resources_bought_only_after_the_duplicate_check(bought, confirmed, status):
    """6.1: 学校办学特色需要的基础性资源，在与区级现有基础性资源确认不重复的前提下，可以购买服务方式申报支持资金."""
    r = judge(school(facts={"basic_resources_purchased": bought,
                            "basic_resources_dedup_confirmed": confirmed}))["s6.1-1"]
    assert (r["status"], r["level"]) == (status, "required")
