"""Malformed input gets a located, bilingual error, and nothing is assessed."""

from __future__ import annotations

import json

import pytest

from campusplan.engine.inputs import InputInvalid, load_json_files, validate_inputs
from tests.engine.helpers import CATALOG, school


def errors_of(doc) -> dict[str, str]:
    with pytest.raises(InputInvalid) as exc:
        validate_inputs(doc, CATALOG)
    return {e.path: e.zh for e in exc.value.errors}


def test_every_problem_is_reported_with_its_path():
    bad = school(district="999999", type="999", teachers=-3,
                 facts={"internet_bandwidth_mbps": "fast", "no_such_fact": 1,
                        "security_center": "yes"})
    errs = errors_of({"schools": [bad]})
    assert "未知行政区划代码" in errs["$.schools[0].district"]
    assert "未知办学类型代码" in errs["$.schools[0].type"]
    assert "超出范围" in errs["$.schools[0].teachers"]
    assert "应为数字" in errs["$.schools[0].facts.internet_bandwidth_mbps"]
    assert "指标字典中没有此项" in errs["$.schools[0].facts.no_such_fact"]
    assert "true/false" in errs["$.schools[0].facts.security_center"]


def test_inconsistent_figures_and_duplicates():
    s = school(stages={"primary": {"classes": 12, "students": 0, "max_class_size": 40}})
    errs = errors_of({"schools": [s, school()]})
    assert "数据不一致" in errs["$.schools[0].stages.primary.students"]
    assert "学校标识码重复" in errs["$.schools[1].code"]


def test_room_and_service_errors_are_located():
    s = school(rooms=[{"type": "ordinary_classroom", "info_points": 3.5}, {"type": "attic"}],
               services=[{"category": "svc99"}, {"category": "svc38", "purchase_unit": "月"}])
    errs = errors_of(s)
    assert "应为整数" in errs["$.rooms[0].info_points"]
    assert "未知房间类型" in errs["$.rooms[1].type"]
    assert "未知服务类别" in errs["$.services[0].category"]
    assert "学校.年度" in errs["$.services[1].purchase_unit"]


def test_null_fact_is_unknown_not_an_error():
    out = validate_inputs(school(facts={"internet_bandwidth_mbps": None}), CATALOG)
    assert "internet_bandwidth_mbps" not in out.schools[0].facts.known()


def test_files_name_themselves_in_errors(tmp_path):
    good, broken = tmp_path / "good.json", tmp_path / "broken.json"
    good.write_text(json.dumps(school()), encoding="utf-8")
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputInvalid) as exc:
        load_json_files([good, broken], CATALOG)
    (err,) = exc.value.errors
    assert err.file.endswith("broken.json") and "JSON" in err.message("zh")
    assert "cannot read JSON" in err.message("en")
