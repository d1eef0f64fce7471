"""The list pages kept between requests (web/fragments.py): served kept until anything
changes, never stale after a change, never another reader's, never a refused filter's."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campusplan.accounts.models import Notification
from campusplan.usecases.facts import set_fact
from campusplan.usecases.lists import save_view
from campusplan.usecases.notifications import mark_read
from campusplan.usecases.scoping import school as school_of
from campusplan.web.middleware import CSRF_PLACEHOLDER
from tests.actors import as_user, operator
from tests.web.world import PASSWORD, A, C

pytestmark = pytest.mark.django_db

RESULT = f"/lists/results/?school={A}&requirement=22-7"


def _actual(html: str) -> str:
    """The result row's 实际值 cell (the 8th column: the first numeric after 状态)."""
    row = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return re.findall(r'<td class="value">([^<]*)</td>', row)[1]


def _kept_keys() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM campusplan_cache WHERE cache_key LIKE %s",
                       ["%page:%"])
        return cursor.fetchone()[0]


def test_a_page_is_kept_and_served_without_its_queries(world, login):
    client = login(world["haidian"])
    cache.clear()
    first = client.get(RESULT).content.decode()
    assert _kept_keys() == 1
    with CaptureQueriesContext(connection) as run:
        again = client.get(RESULT).content.decode()
    assert not any("assessments_resultrow" in q["sql"] for q in run.captured_queries)
    masked = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF token: masked anew for each response
    assert masked.sub("", again) == masked.sub("", first)


def test_a_change_anywhere_shows_on_the_next_request(world, login):
    client = login(world["haidian"])
    set_fact(actor=operator(), school=school_of(operator(), A), key="video_retention_days",
             value=12)  # still a gap (不小于30天): the result list holds it
    assert float(_actual(client.get(RESULT).content.decode())) == 12
    set_fact(actor=operator(), school=school_of(operator(), A), key="video_retention_days",
             value=20)  # the use case re-assessed the school: the kept page is stale now
    assert float(_actual(client.get(RESULT).content.decode())) == 20


def test_a_saved_view_shows_at_once(world, login):
    client = login(world["haidian"])
    assert 'data-view="失分学校"' not in client.get("/lists/schools/").content.decode()
    save_view(actor=as_user(world["haidian"]), kind="schools", name="失分学校",
              query="status=gap")
    assert 'data-view="失分学校"' in client.get("/lists/schools/").content.decode()


def test_each_reader_has_their_own(world, login, client):
    """The same address, two districts' officers: each sees their own schools."""
    cache.clear()
    haidian = login(world["haidian"]).get("/lists/schools/").content.decode()
    client.logout()
    city = login(world["city"]).get("/lists/schools/").content.decode()
    client.logout()
    haidian_again = login(world["haidian"]).get("/lists/schools/").content.decode()
    assert C not in haidian and C in city and C not in haidian_again


def test_forms_in_kept_content_carry_the_readers_own_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["haidian"])
    client.get("/lists/schools/")
    html = client.get("/lists/schools/").content.decode()
    token = re.search(r'id="save-view".*?name="csrfmiddlewaretoken" value="([^"]+)"', html,
                      re.S).group(1)
    assert token != CSRF_PLACEHOLDER and CSRF_PLACEHOLDER not in html
    saved = client.post("/lists/schools/views/", {"csrfmiddlewaretoken": token, "name": "全部",
                                                   "query": ""})
    assert saved.status_code == 302


def test_a_refused_filter_is_not_kept(world, login):
    client = login(world["haidian"])
    cache.clear()
    assert client.get("/lists/schools/?rate_from=abc").status_code == 422
    assert _kept_keys() == 0
    assert client.get("/lists/schools/?rate_from=abc").status_code == 422


def test_the_bell_counts_what_came_since(world, login):
    """Notifications write no audit row; the unread count is part of the key."""
    client = login(world["haidian"])
    assert 'data-unread="1"' not in client.get("/lists/schools/").content.decode()
    Notification.objects.create(user=world["haidian"], kind="campaign_opened")
    assert 'data-unread="1"' in client.get("/lists/schools/").content.decode()
    mark_read(actor=as_user(world["haidian"]))
    assert 'data-unread="' not in client.get("/lists/schools/").content.decode()


def test_a_page_with_a_message_is_not_kept(world, login):
    """A message shows once: the page that showed it is not served again."""
    client = login(world["haidian"])
    changed = client.post("/password/", {"old_password": PASSWORD,
                                                  "new_password": "Haidian-2026-new!",
                                                  "new_password2": "Haidian-2026-new!"})
    assert changed.status_code == 302
    assert "密码已修改。" in client.get("/lists/schools/").content.decode()
    assert "密码已修改。" not in client.get("/lists/schools/").content.decode()
