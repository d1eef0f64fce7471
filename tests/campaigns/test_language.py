"""The campaign pages in one language: in English no Chinese but the schools' own data; in
Chinese no internal code (fact keys, state keys) shown as text."""

import datetime as dt

import pytest

from campusplan.usecases import campaigns
from campusplan.web import catalog_source
from tests.campaigns.conftest import TODAY
from tests.web.test_language_leaks import Probe, switch
from tests.web.world import HAIDIAN, A, B

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def _played(actors):
    """Last year's campaign confirmed, this year's with A returned and B approved."""
    old = campaigns.open_campaign(actor=actors["city"], school_year=2025, title="Survey 2025",
                                  as_of=TODAY - dt.timedelta(days=365), deadline=TODAY)
    for code in (A, B):
        campaigns.submit(actor=actors["haidian"], campaign=old, code=code)
    campaigns.approve(actor=actors["haidian"], campaign=old, codes=[A, B])
    campaigns.confirm_district(actor=actors["city"], campaign=old, district=HAIDIAN)
    new = campaigns.open_campaign(actor=actors["city"], school_year=2026, title="Survey 2026",
                                  as_of=TODAY, deadline=TODAY + dt.timedelta(days=9),
                                  instructions="Check and submit.")
    campaigns.save_fact(actor=actors["school"], campaign=new, code=A,
                        key="internet_bandwidth_mbps", value=50000)  # a warning
    for code in (A, B):
        campaigns.submit(actor=actors["haidian"], campaign=new, code=code)
    campaigns.return_submissions(actor=actors["haidian"], campaign=new, codes=[A],
                                 reasons=[{"target": "fact.internet_bandwidth_mbps",
                                           "text": "Gbps or Mbps?"}])
    campaigns.approve(actor=actors["haidian"], campaign=new, codes=[B])
    return old, new


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_campaign_pages_speak_one_language(client, world, actors, catalog, monkeypatch, lang):
    monkeypatch.setattr(catalog_source, "get_catalog", lambda: catalog)
    old, new = _played(actors)
    probe = Probe(catalog, lang)
    pages = {
        "city": ["/campaigns/", f"/campaigns/{new.pk}/", f"/campaigns/{old.pk}/", "/city/",
                 f"/campaigns/diff/?old={old.pk}&new={old.pk}",
                 f"/campaigns/{new.pk}/district/{HAIDIAN}/"],
        "haidian": [f"/campaigns/{new.pk}/district/{HAIDIAN}/", f"/district/{HAIDIAN}/",
                    f"/campaigns/{new.pk}/school/{B}/"],
        "school": [f"/campaigns/{new.pk}/school/{A}/", f"/campaigns/{new.pk}/school/{A}/form/"],
    }
    for key, urls in pages.items():
        client.force_login(world[key])
        switch(client, lang)
        for url in urls:
            probe.html(f"{key} {url}", client.get(url, follow=True))
    saved = client.post(f"/campaigns/{new.pk}/school/{A}/facts/video_retention_days/",
                        {"value": "31"}, headers=HX)
    probe.html("form save", saved)
    assert not probe.leaks, probe.report()
