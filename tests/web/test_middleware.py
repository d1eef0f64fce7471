"""The sliding session: the idle timeout is kept without writing the session on every request."""

import pytest
from django.contrib.sessions.models import Session

from campusplan.web.middleware import SlidingSessionMiddleware

pytestmark = pytest.mark.django_db
SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
SLIDING = "campusplan.web.middleware.SlidingSessionMiddleware"


@pytest.fixture
def sliding(settings):
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index(SESSION) + 1, SLIDING)
    settings.MIDDLEWARE = middleware
    settings.SESSION_SAVE_EVERY_REQUEST = False


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_is_saved_at_most_once_a_minute(sliding, client, django_user_model, monkeypatch):
    import time

    user = django_user_model.objects.create_user("u", password="x-Strong-pass-1")
    client.force_login(user)
    now = [1_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    client.get("/catalog/params/")
    first = _expiry(client)
    now[0] += 10
    client.get("/catalog/params/")
    assert _expiry(client) == first  # no write within the minute
    now[0] += SlidingSessionMiddleware.REFRESH_SECONDS
    client.get("/catalog/params/")
    assert _expiry(client) > first  # the expiry slid forward


def test_anonymous_requests_create_no_session(sliding, client):
    client.get("/accounts/login/")
    assert not Session.objects.exists()
