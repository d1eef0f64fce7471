"""Explanations are true to the facts, for every status of every kind that could contradict them.

5.3: 「原则上30个班级规模以下学校不单独建设校级数据中心，确需单独建设数据中心的学校，应在充分论证的基础上
获批后开展建设」 — a school over 30 classes, or approved, may have one: its sentence must say it has
one and why it is allowed, never 「未发现」. Item 5 ①: 「网络信息口不少于4个」; 备注: 普通教室 100% 覆盖 —
rooms without data are said beside the complying and the failing ones.
"""

from __future__ import annotations

import pytest

from tests.engine.helpers import judge, school

LABEL = "学校自建校级数据中心"


def data_centre(classes: int, own, approved: bool, lang: str = "zh") -> dict:
    s = school(stages={"primary": {"classes": classes, "students": classes * 35,
                                   "max_class_size": 40}},
               approved_data_center=approved, facts={"own_data_center": own})
    return judge(s, lang=lang)["s5.3-1"]


@pytest.mark.parametrize("classes,own,approved,status,sentence", [
    (31, True, False, "met", f"已有{LABEL}，属允许情形：班级数 31 超过 30"),
    (29, True, True, "met", f"已有{LABEL}，属允许情形：自建数据中心已获批"),
    (31, True, True, "met", f"已有{LABEL}，属允许情形：班级数 31 超过 30，自建数据中心已获批"),
    (12, None, True, "met", f"未登记是否有{LABEL}；即使有也属允许情形：自建数据中心已获批"),
    (29, False, False, "met", f"未发现：{LABEL}"),
    (30, True, False, "violation",
     f"违反规定：{LABEL}（班级数 30 不超过 30，自建数据中心已获批：否）"),
])
def test_data_centre_sentence_matches_the_facts(classes, own, approved, status, sentence):
    r = data_centre(classes, own, approved)
    assert (r["status"], r["explanation"]) == (status, sentence)


def test_data_centre_sentence_in_english():
    r = data_centre(31, True, False, lang="en")
    assert r["explanation"] == "present but allowed: School runs its own data centre (classes 31 above 30)"


def classroom(**over) -> dict:
    room = {"type": "ordinary_classroom", "info_points": 4, "wifi_clients": 50,
            "central_control": True, "teacher_computers": 1, "display_inch": 86,
            "apps_connected": True}
    return room | over


def thirty_classrooms() -> dict:
    """The issue's school: 30 classes, 30 rooms — 24 comply, 3 fail, 3 without data."""
    rooms = ([classroom() for _ in range(24)]
             + [classroom(info_points=2, central_control=False) for _ in range(3)]
             + [classroom(info_points=None, central_control=None) for _ in range(3)])
    return school(stages={"primary": {"classes": 30, "students": 1200, "max_class_size": 40}},
                  rooms=rooms)


def test_each_says_the_rooms_without_data():
    r = judge(thirty_classrooms())["5-1"]
    assert (r["status"], r["actual"], r["basis"]) == ("gap", 24, 30)
    assert r["explanation"].startswith("普通教室 30 间中 24 间符合，3 间不符合，3 间缺少数据")


def test_each_without_expected_count_prices_the_failing_rooms_and_says_the_rest():
    """Reading: the shortfall (and the plan line) counts the 3 failing rooms; the 3 without data
    are named in the sentence the plan line carries, as not in the shortfall."""
    r = judge(thirty_classrooms())["5-1"]
    assert r["rows_short"] == 3  # the shortfall itself is in outlets (issue 11 point 2)
    assert r["explanation"].startswith("普通教室 30 间中 24 间符合，3 间不符合，3 间缺少数据（未计入差额）")


def test_coverage_counts_every_room_not_known_to_comply():
    """备注 100% coverage: 30 classes need 30 complying rooms; 24 are known to comply → 差 6."""
    r = judge(thirty_classrooms())["5-r1"]
    assert (r["status"], r["required"], r["shortfall"]) == ("gap", 30, 6)
    assert r["explanation"] == "普通教室 30 间中 24 间符合，3 间不符合，3 间缺少数据，需 30 间，差 6 间"


def test_each_unknown_says_how_many_rooms_lack_which_data():
    rooms = [classroom() for _ in range(2)] + [classroom(info_points=None)]
    r = judge(school(rooms=rooms))["5-1"]
    assert r["status"] == "unknown"
    assert r["explanation"] == "普通教室 3 间中 2 间符合，1 间缺少数据：网络信息口数"


def test_each_met_and_english():
    rows = judge(thirty_classrooms(), lang="en")
    assert rows["5-1"]["explanation"].startswith("24 of 30 ")
    assert "3 do not, 3 lack data" in rows["5-1"]["explanation"]
