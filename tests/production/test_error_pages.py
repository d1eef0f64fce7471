"""The app's own 500, 409 (busy database) and 422 (a value the database refuses) pages, in
Chinese and English, with DEBUG off and nothing of the internals (the 400/403/404 pages are
tested on the production stack, tests/production/test_stack.py)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(settings, django_user_model):
    settings.ROOT_URLCONF = "tests.production.boom_urls"
    settings.DEBUG = False
    user = django_user_model.objects.create_user("reader")

    def make(lang: str) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        client.cookies["django_language"] = lang
        return client

    return make


@pytest.mark.parametrize(("lang", "words"), [("zh-hans", "服务器内部错误"),
                                             ("en", "Internal server error")])
def test_the_500_page(client_of, lang, words):
    response = client_of(lang).get("/boom/")
    text = response.content.decode()
    assert response.status_code == 500 and words in text and "/static/" in text
    assert "secret internals" not in text and "Traceback" not in text


@pytest.mark.parametrize(("url", "status", "zh", "en"), [
    ("/locked/", 409, "数据库正忙", "The database is busy"),
    ("/too-long/", 422, "超出允许的长度", "exceeds the allowed length")])
def test_busy_and_refused_are_the_apps_pages(client_of, url, status, zh, en):
    assert zh in client_of("zh-hans").get(url).content.decode()
    response = client_of("en").get(url)
    text = response.content.decode()
    assert response.status_code == status and en in text and "varying" not in text
