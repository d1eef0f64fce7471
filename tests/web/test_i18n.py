"""Chinese first; the language switch in the header turns the UI (and the standard's labels) English."""

import re
from pathlib import Path

import pytest

import campusplan
from tests.web.world import A

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


CJK = re.compile(r"[\u3400-\u9fff]")


def test_english_school_page_has_no_chinese_status_item_title_or_unit(world, login):
    """Statuses, levels, item titles and fact units come from the vocabulary and the catalog's
    English; only the school's own data (its name) and explanations may stay Chinese."""
    client = login(world["school"])
    client.post("/i18n/setlang/", {"language": "en", "next": f"/school/{A}/"})
    response = client.get(f"/school/{A}/?status=all")
    results = response.context["results"]()
    assert results
    for view in results:
        shown = [view.status_label, view.level_label] + ([view.item_label] if view.spot
                                                          and view.spot.item else [])
        assert not CJK.search(" ".join(shown)), shown
    rows = [row for area in response.context["fact_areas"]() for row in area.rows]
    assert any(row.unit for row in rows)
    assert not [row.unit for row in rows if CJK.search(row.unit)]
    assert not CJK.search(response.context["profile"].smart_phase)
    html = response.content.decode()
    assert "Unknown" in html and "Gap" in html and "Smart security" in html
