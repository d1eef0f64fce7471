"""The fact and room forms sit in cached fragments of the school page; without JavaScript they
post their own CSRF field, so each reader must get their own token there (issue 15: "The fact
form's non-JS fallback has no CSRF field"), never the token of whoever warmed the cache."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from campusplan.schools.models import FactValue
from tests.web.world import A

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'<form class="fact-form"[^>]*action="[^"]*/video_retention_days/".*?'
                   r'name="csrfmiddlewaretoken" value="([^"]+)"', re.S)


def _form_token(client: Client) -> str:
    html = client.get(f"/school/{A}/").content.decode()
    match = TOKEN.search(html)
    assert match, "the fact form carries a CSRF field"
    assert "__campusplan_csrf" not in html
    return match.group(1)


def test_each_reader_posts_the_fact_form_without_javascript(world):
    readers = []
    for key in ("city", "haidian"):  # the first warms the cached fragment, the second reads it
        client = Client(enforce_csrf_checks=True)
        client.force_login(world[key])
        readers.append((client, _form_token(client)))
    for days, (client, token) in zip((31, 32), readers, strict=True):
        response = client.post(f"/school/{A}/facts/video_retention_days/",
                               {"value": str(days), "csrfmiddlewaretoken": token})
        assert response.status_code == 200, response.status_code
        assert FactValue.objects.get(school__code=A, key="video_retention_days", room=None,
                                     service=None, superseded_at=None).value == days


def test_a_token_from_another_reader_is_refused(world):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(world["city"])
    second.force_login(world["haidian"])
    token = _form_token(first)
    _form_token(second)  # the second reader's own cookie
    response = second.post(f"/school/{A}/facts/video_retention_days/",
                           {"value": "33", "csrfmiddlewaretoken": token})
    assert response.status_code == 403
