"""Chinese first; the language switch in the header turns the UI (and the standard's labels) English."""

from pathlib import Path

import pytest

import campusplan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("member")]

LOCALE = Path(campusplan.__file__).parent / "locale"


def test_chinese_by_default(client):
    html = client.get("/catalog/").content.decode()
    assert '<html lang="zh-hans"' in html
    assert "规范目录" in html and "基础设施" in html
    assert 'action="/i18n/setlang/"' in html  # the switch is on the page


def test_switch_to_english(english):
    response = english.get("/catalog/")
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Catalog" in html and "Infrastructure" in html and "Network and information security" in html
    assert '<span class="badge badge-required">Required</span>' in html
    assert "Minimum internet bandwidth" in html
    assert response.context["chart"]["series"][0]["name"] == "Required"


def test_switch_back_to_chinese(english):
    english.post("/i18n/setlang/", {"language": "zh-hans", "next": "/catalog/"})
    assert "规范目录" in english.get("/catalog/").content.decode()


def test_english_catalog_is_complete():
    """Every msgid has an English msgstr and nothing is left fuzzy."""
    po = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # the first entry is the header
    assert entries, "no messages"
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        assert not entry.rstrip().endswith('msgstr ""'), f"untranslated: {entry}"


def test_browser_language_does_not_override_chinese_first(client):
    html = client.get("/catalog/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="zh-hans"' in html
