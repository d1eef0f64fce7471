"""The city and district dashboards: rankings, charts' data, the spread table, the worst and
most common gaps, the sortable/filterable school table (htmx partials) and the workbooks."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import load_workbook

from campusplan.web import catalog_source
from tests import factories
from tests.web.world import HAIDIAN, XICHENG, A, B

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def chart_data(html: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html,
                      re.S)
    return json.loads(found.group(1))


def test_city_ranks_districts_by_rate(world, login):
    response = login(world["city"]).get("/city/")
    context, html = response.context, response.content.decode()
    districts = context["districts"]()  # shaped when the template read it
    rates = [d["rate"] for d in districts]
    assert rates == sorted(rates, reverse=True)
    assert 'href="/district/110108/"' in html and 'href="/district/110102/"' in html
    chart = chart_data(html, "district-chart-data")
    assert chart["names"] == [d["label"] for d in districts]
    assert all(0 <= r <= 100 for r in chart["rate"])


def _table(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start:html.index("</table>", start)]


def test_city_tables_are_shaped_once_per_version_and_language(world, login):
    """The district and 差异系数 tables come from their cached fragments while the figures'
    version stands: their rows are not shaped again (a country has thousands of districts)."""
    client = login(world["city"])
    first = client.get("/city/")
    again = client.get("/city/")
    assert first.context["districts"]._done and first.context["equity"]._done
    assert not again.context["districts"]._done and not again.context["equity"]._done
    for table in ('id="district-table"', 'class="catalog-table equity-table"'):
        assert _table(again.content.decode(), table) == _table(first.content.decode(), table)
        assert "<tr" in _table(first.content.decode(), table)
    client.post("/i18n/setlang/", {"language": "en", "next": "/city/"})
    english = client.get("/city/")
    assert english.context["districts"]._done  # another language, another fragment
    assert "Haidian" in _table(english.content.decode(), 'id="district-table"')


def test_city_has_a_chart_per_area_the_spread_and_the_worst(world, login):
    response = login(world["city"]).get("/city/")
    html = response.content.decode()
    areas = response.context["area_charts"]
    assert [a["name"] for a in areas][:2] == ["基础设施", "数字教学资源"]
    for area in areas:
        data = chart_data(html, area["data_id"])
        assert [d["name"] for d in data] == ["达标", "未达标", "违规", "未知"]
    equity = response.context["equity"]()
    assert {e["code"] for e in equity} <= {HAIDIAN, XICHENG}
    assert all(e["stage"] in ("primary", "junior") for e in equity)
    assert "差异系数" in html and "生机比（人/台）" in html and "多媒体教室（间/百生）" in html
    worst = response.context["worst"]
    assert worst and worst[0]["failing"] >= worst[-1]["failing"]
    assert "录像存储时间不小于30天" in html


def test_district_lists_its_schools(world, login):
    response = login(world["haidian"]).get(f"/district/{HAIDIAN}/")
    html = response.content.decode()
    assert [s["code"] for s in response.context["schools"]] == sorted(
        [A, B], key=lambda c: next(s["rate"] for s in response.context["schools"]
                                   if s["code"] == c))
    assert f'href="/school/{A}/"' in html and "海淀甲小学" in html and "海淀乙中学" in html
    assert sum(chart_data(html, "distribution-chart-data")["counts"]) == 2
    assert response.context["common_gaps"]
    assert "HX-Request" in response["Vary"]


def test_district_table_sorts_and_filters_with_htmx(world, login):
    client = login(world["haidian"])
    response = client.get(f"/district/{HAIDIAN}/?sort=students&order=desc", headers=HX)
    html = response.content.decode()
    assert "<html" not in html and 'id="school-1101080002"' in html
    assert [s["code"] for s in response.context["schools"]] == [B, A]
    assert 'aria-sort="descending"' in html and "sort=students&amp;order=asc" in html
    filtered = client.get(f"/district/{HAIDIAN}/?type=211", headers=HX).context["schools"]
    assert [s["code"] for s in filtered] == [A]
    assert [s["code"] for s in client.get(f"/district/{HAIDIAN}/?q=乙",
                                          headers=HX).context["schools"]] == [B]
    assert client.get(f"/district/{HAIDIAN}/?sort=evil&type=999", headers=HX).status_code == 200


def test_city_user_drills_down(world, login):
    client = login(world["city"])
    html = client.get(f"/district/{XICHENG}/").content.decode()
    assert "西城丙小学" in html and 'href="/city/"' in html


def test_district_workbook(world, login):
    response = login(world["haidian"]).get(f"/district/{HAIDIAN}/workbook.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
    assert "海淀甲小学" in text and "海淀乙中学" in text and "西城" not in text


def test_city_workbook(world, login):
    response = login(world["city"]).get("/city/workbook.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
    assert "海淀区" in text and "西城区" in text


def test_english_dashboards(world, login):
    client = login(world["city"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/city/").content.decode()
    assert "Haidian" in html and "Infrastructure" in html and "Whole city" in html


def test_an_empty_city(client, monkeypatch, product_catalog):
    monkeypatch.setattr(catalog_source, "get_catalog", lambda: product_catalog)
    client.force_login(factories.user(username="city0", role="city"))
    response = client.get("/city/")
    assert response.status_code == 200 and "尚无评估结果" in response.content.decode()
    assert client.get("/city/workbook.xlsx").status_code == 404


@pytest.fixture
def crowded(world):
    """海淀 with 63 more schools than the world's 2 (unassessed: their rate is unknown)."""
    from campusplan.schools.models import District, School

    haidian = District.objects.get(code=HAIDIAN)
    School.objects.bulk_create(School(code=f"11010899{i:02d}", name=f"海淀第{i}校",
                                      district=haidian, school_type="211") for i in range(63))
    return world


def rows(html: str) -> list[str]:
    return re.findall(r'<tr id="school-(\d+)"', html)


def test_the_district_table_shows_a_page_of_schools_and_the_page_links(crowded, login):
    from campusplan.web.dashboards import SCHOOLS_PER_PAGE

    client = login(crowded["haidian"])
    response = client.get(f"/district/{HAIDIAN}/?sort=code")
    html = response.content.decode()
    first = rows(html)
    assert len(first) == SCHOOLS_PER_PAGE == 50
    assert first == sorted(first) and first[0] == A  # the world's schools sort first by code
    assert "65 所学校" in html and "第 1/2 页" in html
    assert 'href="?sort=code&amp;order=asc&amp;page=2"' in html and 'rel="next"' in html
    # the totals and the chart count every school, not the page's
    assert sum(chart_data(html, "distribution-chart-data")["counts"]) == 65
    second = client.get(f"/district/{HAIDIAN}/?sort=code&page=2", headers=HX)
    following = rows(second.content.decode())
    assert "<html" not in second.content.decode()
    assert len(following) == 15 and following[0] > first[-1] and not set(first) & set(following)
    assert 'rel="prev"' in second.content.decode()
    # a school's drill-down link on a later page still leads to the school
    assert f'href="/school/{following[0]}/"' in second.content.decode()


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("99999", 2), ("-3", 2), ("0", 2),
                                                ("", 1), ("2" * 40, 2)])
def test_an_absurd_page_gives_the_first_or_the_last(crowded, login, page, expected):
    response = login(crowded["haidian"]).get(f"/district/{HAIDIAN}/", {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == expected
    assert len(rows(response.content.decode())) == (50 if expected == 1 else 15)


def test_sorting_or_filtering_starts_again_from_the_first_page(crowded, login):
    html = login(crowded["haidian"]).get(f"/district/{HAIDIAN}/?sort=code&page=2",
                                         headers=HX).content.decode()
    sort_links = re.findall(r'data-sort="\w+"', html)
    assert sort_links and "page=2&amp;sort" not in html
    assert not re.search(r'href="\?[^"]*sort=name[^"]*page=', html)


def test_a_small_district_has_no_page_links(world, login):
    html = login(world["haidian"]).get(f"/district/{HAIDIAN}/").content.decode()
    assert 'class="pager"' not in html and len(rows(html)) == 2
