"""`/api/v1/campaigns…`: the same steps as the web, scoped, with 409 for a step the state does
not allow and for a write to a locked school's facts (the fact API and the import API)."""

import datetime as dt
import json

import pytest

from campusplan.campaigns.choices import State
from campusplan.campaigns.models import Submission
from tests import factories
from tests.campaigns.conftest import TODAY
from tests.web.world import HAIDIAN, XICHENG, A, B, C

pytestmark = pytest.mark.django_db


def _client(client, world, key):
    secret = factories.token(user=world[key])
    return lambda method, url, **kw: getattr(client, method)(
        f"/api/v1{url}", HTTP_AUTHORIZATION=f"Bearer {secret}", **kw)


def _json(response):
    return json.loads(response.content)


def test_the_whole_cycle_through_the_api(client, world, tmp_path):
    city, school, haidian = (_client(client, world, k) for k in ("city", "school", "haidian"))
    opened = city("post", "/campaigns", content_type="application/json", data={
        "school_year": 2026, "as_of": TODAY.isoformat(),
        "deadline": (TODAY + dt.timedelta(days=7)).isoformat(), "areas": ["infrastructure"]})
    assert opened.status_code == 201, opened.content
    pk = _json(opened)["id"]
    assert _json(school("get", "/campaigns"))["count"] == 1
    assert school("post", f"/campaigns/{pk}/schools/{B}/submit").status_code == 404
    assert _json(school("post", f"/campaigns/{pk}/schools/{A}/submit"))["state"] == "submitted"
    again = school("post", f"/campaigns/{pk}/schools/{A}/submit")
    assert again.status_code == 409 and _json(again)["code"] == "conflict"
    put = school("put", f"/schools/{A}/facts/internet_bandwidth_mbps",
                 content_type="application/json", data={"value": 2000})
    assert put.status_code == 409 and _json(put)["code"] == "locked", put.content
    assert _json(put)["details"][0]["value"] == A
    upload = factories.write_file(path=tmp_path / "a.json", schools=[factories.school_doc(
        example="small-primary.json", code=A, name="海淀甲小学", district=HAIDIAN, teachers=3)])
    with upload.open("rb") as f:
        imported = school("post", "/imports", data={"files": [f]})
    assert imported.status_code == 409 and _json(imported)["code"] == "locked"
    assert school("post", f"/campaigns/{pk}/review", content_type="application/json",
                  data={"action": "approve", "schools": [A]}).status_code == 403
    no_reason = haidian("post", f"/campaigns/{pk}/review", content_type="application/json",
                        data={"action": "return", "schools": [A]})
    assert no_reason.status_code == 422
    outside = haidian("post", f"/campaigns/{pk}/review", content_type="application/json",
                      data={"action": "approve", "schools": [C]})
    assert outside.status_code == 404 and "西城" not in outside.content.decode()
    rows = _json(haidian("get", f"/campaigns/{pk}/schools"))
    assert {r["school"] for r in rows["items"]} == {A, B}
    school("post", f"/campaigns/{pk}/schools/{A}/submit")
    haidian("post", f"/campaigns/{pk}/schools/{B}/submit")
    approved = haidian("post", f"/campaigns/{pk}/review", content_type="application/json",
                       data={"action": "approve", "schools": [A, B]})
    assert [r["state"] for r in _json(approved)] == ["approved", "approved"]
    assert haidian("post", f"/campaigns/{pk}/districts/{HAIDIAN}/confirm").status_code == 403
    assert city("post", f"/campaigns/{pk}/districts/{XICHENG}/confirm").status_code == 409
    confirmed = _json(city("post", f"/campaigns/{pk}/districts/{HAIDIAN}/confirm"))
    assert confirmed["label"] == "2026学年 正式评估"
    assert Submission.objects.get(campaign_id=pk, school__code=A).state == State.CONFIRMED
    rates = _json(city("get", f"/campaigns/{pk}"))["rates"]
    assert (rates["reported"], rates["schools"], rates["report_rate"]) == (2, 4, 0.5)
    diff = city("get", f"/campaigns/diff?old={pk}&new={pk}")
    assert diff.status_code == 200 and all(not d["improved"] for d in _json(diff))
