"""Tailoring: the city sets parameter values, a district may only tighten them; a tightened value
changes that district's results only, every result's run says which level set the value, and
the web page, the API and the CLI go through the one use case."""

import json

import pytest
from typer.testing import CliRunner

from campusplan.accounts.models import AuditEntry
from campusplan.assessments.models import ResultRow
from campusplan.cli import app
from campusplan.schools.models import ParameterSetting
from campusplan.usecases import tailoring
from tests import factories
from tests.actors import as_user
from tests.web.world import HAIDIAN, XICHENG, B, D

pytestmark = pytest.mark.django_db
KEY, REQ = "video_retention_days", "22-7"  # 录像存储时间不小于30天; B and D store 30 days


def _row(code: str) -> ResultRow:
    return factories.current_result(code=code, requirement=REQ)


def test_a_tightened_value_changes_that_district_only(world):
    assert _row(B).status == "met" and _row(D).status == "met"
    change = tailoring.set_parameter(actor=as_user(world["haidian"]), key=KEY, value="45",
                                     district=HAIDIAN)
    assert (change.before, change.after) == (None, 45.0)
    b, d = _row(B), _row(D)
    assert (b.status, b.required, b.shortfall) == ("gap", 45.0, 15.0)
    assert (d.status, d.required) == ("met", 30.0)  # 西城 keeps the standard's value
    assert b.run.parameters == {HAIDIAN: {KEY: {"value": 45.0, "level": "district"}}}
    assert tailoring.run_parameters(b.run, b.school, [KEY]) == [(KEY, 45, "district")]
    assert tailoring.run_parameters(d.run, d.school, [KEY]) == [(KEY, 30, "standard")]
    entry = AuditEntry.objects.get(object_type="parameter", object_key=f"{HAIDIAN}:{KEY}")
    assert (entry.before, entry.after, entry.district_code) == (None, 45.0, HAIDIAN)


def test_a_district_cannot_loosen_the_city_value(world):
    tailoring.set_parameter(actor=as_user(world["city"]), key=KEY, value=40)
    with pytest.raises(tailoring.ParamRefused) as refused:
        tailoring.set_parameter(actor=as_user(world["haidian"]), key=KEY, value=35,
                                district=HAIDIAN)
    assert "只能收紧" in refused.value.zh and "40" in refused.value.zh
    assert "never loosen" in refused.value.en
    assert not ParameterSetting.objects.filter(district__code=HAIDIAN).exists()
    # the city's own value is in force for both districts, level 城市
    assert (_row(B).required, _row(D).required) == (40.0, 40.0)
    assert _row(D).run.parameters[XICHENG][KEY]["level"] == "city"


def test_the_direction_comes_from_the_check_a_cap_tightens_downwards(world):
    # 16-r1: 智慧教室 ≤ param.smart_classrooms_exploration_max → only a lower cap is tighter
    who = as_user(world["haidian"])
    with pytest.raises(tailoring.ParamRefused):
        tailoring.set_parameter(actor=who, key="smart_classrooms_exploration_max", value=2,
                                district=HAIDIAN)
    tailoring.set_parameter(actor=who, key="smart_classrooms_exploration_max", value=0,
                            district=HAIDIAN)
    with pytest.raises(tailoring.ParamInvalid):  # not a number
        tailoring.set_parameter(actor=who, key=KEY, value="lots", district=HAIDIAN)


def test_only_the_city_sets_city_values_and_a_school_none(world):
    with pytest.raises(tailoring.ParamRefused):
        tailoring.set_parameter(actor=as_user(world["haidian"]), key=KEY, value=60)
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        tailoring.set_parameter(actor=as_user(world["school"]), key=KEY, value=60,
                                district=HAIDIAN)


def test_a_stricter_city_value_ends_a_looser_district_one(world):
    tailoring.set_parameter(actor=as_user(world["haidian"]), key=KEY, value=45,
                            district=HAIDIAN)
    change = tailoring.set_parameter(actor=as_user(world["city"]), key=KEY, value=60)
    assert change.dropped == (HAIDIAN,)
    assert _row(B).required == 60.0


def test_web_page_shows_the_value_in_force_and_refuses_loosening(world, login):
    client = login(world["haidian"])
    response = client.post(f"/catalog/params/{KEY}/", {"value": "20", "district": HAIDIAN})
    assert response.status_code == 403
    assert "只能收紧" in response.content.decode()
    response = client.post(f"/catalog/params/{KEY}/", {"value": "45", "district": HAIDIAN})
    assert response.status_code == 302
    page = client.get("/catalog/params/").content.decode()
    row = page.split(f'id="param-{KEY}"')[1].split("</tr>")[0]
    assert "<strong>45</strong>" in row and "区" in row
    school_page = login(world["school"]).get("/catalog/params/").content.decode()
    assert "<strong>45</strong>" in school_page.split(f'id="param-{KEY}"')[1].split("</tr>")[0]
    # each result says which level set the value it was judged with
    result = login(world["haidian"]).get(f"/school/{B}/?status=all").content.decode()
    row = result.split(f'id="result-{REQ}"')[1].split("</tr>")[0]
    assert "录像存储时间下限 45天（区）" in row
    other = login(world["city"]).get(f"/school/{D}/?status=all").content.decode()
    assert "录像存储时间下限 30天（标准默认）" in other.split(f'id="result-{REQ}"')[1]


def test_api_refuses_loosening_with_403_and_a_bilingual_message(world, login):
    client = login(world["haidian"])
    response = client.put(f"/api/v1/parameters/{KEY}/{HAIDIAN}", json.dumps({"value": 20}),
                          content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert "只能收紧" in body["message"]["zh"] and "loosen" in body["message"]["en"]
    response = client.put(f"/api/v1/parameters/{KEY}/{HAIDIAN}", json.dumps({"value": 50}),
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["after"] == 50
    listed = {p["key"]: p for p in client.get("/api/v1/parameters").json()["parameters"]}
    assert (listed[KEY]["value"], listed[KEY]["level"], listed[KEY]["tighter"]) == \
        (50, "district", "higher")


def test_cli_sets_and_refuses_through_the_use_case(world):
    runner = CliRunner()
    result = runner.invoke(app, ["param", "set", KEY, "40"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["param", "set", KEY, "35", "--district", HAIDIAN,
                                 "--lang", "en"])
    assert result.exit_code == 2 and "loosen" in result.output
    assert ParameterSetting.objects.get(district=None, key=KEY).value == 40
