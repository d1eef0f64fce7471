"""The second standard on the catalog pages, and the crosswalk on both."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from campusplan.catalog.crosswalk import crosswalks, for_standard
from campusplan.catalog.loader import load_catalog
from tests import factories

pytestmark = pytest.mark.django_db
BOTH = override_settings(CAMPUSPLAN_STANDARDS=["beijing", "youzhi"])


def test_the_crosswalk_names_items_that_exist_on_both_sides():
    for cw in crosswalks():
        src, dst = load_catalog(cw.source).standard, load_catalog(cw.target).standard
        for m in cw.mappings:
            for n in m.source.items:
                src.item(n)
            for n in m.target.items:
                dst.item(n)
            assert (m.relationship == "not_related") == (not m.target.items)


def test_the_multimedia_indicator_maps_to_beijing_item_5_from_both_sides():
    youzhi = {tuple(link.items): link for link in for_standard("youzhi")}
    assert youzhi[(107, 207)].other_items == [5]
    beijing = {tuple(link.items): link for link in for_standard("beijing")}
    assert beijing[(5,)].other_items == [107, 207]
    assert beijing[(6, 7, 8, 12)].other == "youzhi"


@pytest.fixture
def reader(client):
    client.force_login(factories.user(username="city", role="city"))
    return client


def test_the_second_standards_page_lists_its_rules_and_what_it_does_not_judge(reader):
    with BOTH:
        html = reader.get("/catalog/standard/youzhi/").content.decode()
    assert "县域义务教育优质均衡发展督导评估办法" in html and "教督〔2017〕6号" in html
    assert 'data-requirement="107-1"' in html and 'data-requirement="207-r1"' in html
    assert 'data-requirement="s1.2-1"' in html
    assert "2.3" in html and "2.4" in html and "0.45" in html
    assert "重建" in html  # §1.2 wording is marked rebuilt
    assert "社会认可度达到85%以上" in html  # informational, listed
    assert 'data-relationship="intersect"' in html


def test_the_second_standard_is_off_unless_active(reader):
    assert reader.get("/catalog/standard/youzhi/").status_code == 404


def test_the_crosswalk_is_on_the_first_standards_catalog_page(reader, monkeypatch):
    from campusplan.web import catalog_source

    monkeypatch.setattr(catalog_source, "get_catalog", lambda: load_catalog("beijing"))
    with BOTH:
        html = reader.get("/catalog/").content.decode()
    assert 'href="/catalog/standard/youzhi/"' in html
    assert 'data-relationship="intersect"' in html
    assert "107、207" in html


def choice_of(html: str) -> str:
    found = re.search(r'<nav class="standard-choice".*?</nav>', html, re.S)
    return found.group(0) if found else ""


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_catalog_page_offers_the_active_standards_this_one_marked(reader, monkeypatch,
                                                                       language):
    from campusplan.web import catalog_source

    monkeypatch.setattr(catalog_source, "get_catalog", lambda: load_catalog("beijing"))
    reader.cookies["django_language"] = language
    with BOTH:
        nav = choice_of(reader.get("/catalog/").content.decode())
        back = choice_of(reader.get("/catalog/standard/youzhi/").content.decode())
    assert ("已启用的规范" if language == "zh" else "Active standards") in nav
    assert ("》（当前）</strong>" if language == "zh" else "》 (current)</strong>") in nav
    assert 'href="/catalog/standard/youzhi/"' in nav
    assert 'aria-current="page" data-standard="beijing"' in nav
    assert 'href="/catalog/standard/beijing/"' not in nav  # the current one is not a link
    # and from the second standard's page back to the first
    assert 'href="/catalog/standard/beijing/"' in back
    assert 'aria-current="page" data-standard="youzhi"' in back


def test_with_one_standard_active_there_is_no_choice(reader, monkeypatch):
    from campusplan.web import catalog_source

    monkeypatch.setattr(catalog_source, "get_catalog", lambda: load_catalog("beijing"))
    with override_settings(CAMPUSPLAN_STANDARDS=["beijing"]):
        html = reader.get("/catalog/").content.decode()
    assert choice_of(html) == "" and "/catalog/standard/" not in html
