"""The campaign pages through the test client: each role's page, the online form's save and its
lock, bulk review, scope (404 outside it) and the dashboards' rates."""

import pytest

from campusplan.campaigns.choices import State
from campusplan.campaigns.models import Submission
from tests.web.world import HAIDIAN, XICHENG, A, B, C

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _product_catalog(monkeypatch, catalog):
    from campusplan.web import catalog_source

    monkeypatch.setattr(catalog_source, "get_catalog", lambda: catalog)


def test_school_fills_online_submits_and_is_locked(client, world, campaign):
    client.force_login(world["school"])
    page = client.get(f"/campaigns/{campaign.pk}/", follow=True)
    assert page.status_code == 200 and "下载预填调查表" in page.content.decode()
    form = client.get(f"/campaigns/{campaign.pk}/school/{A}/form/").content.decode()
    assert "允许范围" in form and "用于" in form and "video_retention_days" in form
    saved = client.post(f"/campaigns/{campaign.pk}/school/{A}/facts/video_retention_days/",
                        {"value": "30"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and 'hx-swap-oob="true"' in saved.content.decode()
    assert Submission.objects.get(campaign=campaign, school__code=A).state == State.IN_PROGRESS
    client.post(f"/campaigns/{campaign.pk}/school/{A}/submit/")
    refused = client.post(f"/campaigns/{campaign.pk}/school/{A}/facts/video_retention_days/",
                          {"value": "40"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "锁定" in refused.content.decode()
    school_page = client.post(f"/school/{A}/facts/video_retention_days/", {"value": "40"})
    assert school_page.status_code == 422 and "锁定" in school_page.content.decode()
    assert client.get(f"/campaigns/{campaign.pk}/school/{B}/").status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/district/{HAIDIAN}/").status_code == 403


def test_district_reviews_in_bulk_and_sees_only_its_own(client, world, campaign, actors):
    from campusplan.usecases import campaigns

    for code in (A, B):
        campaigns.submit(actor=actors["haidian"], campaign=campaign, code=code)
    client.force_login(world["haidian"])
    page = client.get(f"/campaigns/{campaign.pk}/", follow=True).content.decode()
    assert "海淀甲小学" in page and "西城丙小学" not in page
    assert client.get(f"/campaigns/{campaign.pk}/district/{XICHENG}/").status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/school/{C}/").status_code == 404
    client.post(f"/campaigns/{campaign.pk}/district/{HAIDIAN}/",
                {"school": [A], "action": "return", "reason": "带宽填写有误"})
    client.post(f"/campaigns/{campaign.pk}/district/{HAIDIAN}/",
                {"school": [B], "action": "approve"})
    states = dict(Submission.objects.filter(campaign=campaign).values_list("school__code",
                                                                           "state"))
    assert (states[A], states[B]) == (State.RETURNED, State.APPROVED)
    client.force_login(world["school"])
    assert "带宽填写有误" in client.get(f"/campaigns/{campaign.pk}/school/{A}/").content.decode()
    dash = client.get(f"/district/{HAIDIAN}/")
    assert dash.status_code == 403 or "上报率" in dash.content.decode()
    client.force_login(world["haidian"])
    dash = client.get(f"/district/{HAIDIAN}/").content.decode()
    assert "上报率" in dash and "50.0%" in dash  # B approved, A returned: 1 of 2 reported


def test_city_pages_and_diff_render(client, world, campaign):
    client.force_login(world["city"])
    assert "海淀区" in client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert client.get("/campaigns/").status_code == 200
    assert client.get("/campaigns/diff/").status_code == 200
    assert "上报率" in client.get("/city/").content.decode()
