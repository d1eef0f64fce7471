"""The list pages: one FilterSet behind the page, the API and the export; drill-down targets;
saved views; the header's search — always inside the user's scope."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from campusplan.accounts.models import AuditEntry, SavedView
from campusplan.assessments.models import ResultRow, SchoolScore
from campusplan.assessments.selectors import is_current
from tests.web.world import HAIDIAN, NAMES, XICHENG, A, B, C

pytestmark = pytest.mark.django_db


def codes_on_page(html: str) -> list[str]:
    """The school codes of the list table's rows, in order."""
    table = html.split('id="list-table"', 1)[1].split("</figure>", 1)[0]
    return re.findall(r'<td[^>]*><a href="/school/(\d+)/">\1</a></td>', table)


def xlsx_rows(content: bytes) -> tuple[list[str], list[list]]:
    """The heading lines (title, scope, filters…) and the table's rows below its header."""
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    blank = next(i for i, r in enumerate(rows) if all(v is None for v in r))
    heading = [r[0] for r in rows[:blank]]
    return heading, rows[blank + 2:]


def test_school_list_is_scoped_and_sorted(world, login):
    city = login(world["city"])
    html = city.get("/lists/schools/?ordering=-code").content.decode()
    assert codes_on_page(html) == sorted(NAMES, reverse=True)
    haidian = login(world["haidian"])
    html = haidian.get("/lists/schools/").content.decode()
    assert codes_on_page(html) == [A, B]
    assert NAMES[C] not in html
    # another district's code in the filter finds nothing (and names nothing)
    html = haidian.get(f"/lists/schools/?district={XICHENG}").content.decode()
    assert codes_on_page(html) == []


def test_failing_requirement_lists_exactly_the_failing_schools(world, login):
    row = ResultRow.objects.filter(is_current(), status__in=("gap", "violation"),
                                   level="required").first()
    expected = sorted(set(ResultRow.objects.filter(
        is_current(), requirement_id=row.requirement_id, status__in=("gap", "violation"))
        .values_list("school__code", flat=True)))
    city = login(world["city"])
    html = city.get(f"/lists/schools/?failing_requirement={row.requirement_id}").content.decode()
    assert codes_on_page(html) == expected
    content = city.get(f"/lists/schools.xlsx?failing_requirement={row.requirement_id}").content
    heading, rows = xlsx_rows(content)
    assert [r[0] for r in rows] == expected
    assert any(row.requirement_id in str(line) for line in heading)


def test_rate_range_and_status(world, login):
    city = login(world["city"])
    scores = {s.school.code: s for s in SchoolScore.objects.filter(is_current())}
    html = city.get("/lists/schools/?rate_from=0&rate_to=50").content.decode()
    assert codes_on_page(html) == sorted(c for c, s in scores.items() if s.rate < 0.5)
    html = city.get("/lists/schools/?status=violation").content.decode()
    assert codes_on_page(html) == sorted(c for c, s in scores.items() if s.violations)
    assert city.get("/lists/schools/?rate_from=abc").status_code == 422


def test_result_list_filters_and_csv_export(world, login):
    haidian = login(world["haidian"])
    url = f"/lists/results/?school={B}&status=gap&level=required&per_page=500"
    html = haidian.get(url).content.decode()
    expected = ResultRow.objects.filter(is_current(), school__code=B, status="gap",
                                        level="required").count()
    assert f'data-count="{expected}"' in html
    content = haidian.get(url.replace("/lists/results/", "/lists/results.csv")).content
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    blank = lines.index([])
    assert len(lines) - blank - 2 == expected
    assert haidian.get(f"/lists/results/?school={C}").content.decode().count(NAMES[C]) == 0


def test_the_pages_of_a_sorted_list_are_the_export_cut_in_pages(world, login):
    """A page is fetched as its ids in the list's order, then those rows: page after page, the
    rows are the export's, in the export's order, none twice, none left out."""
    haidian = login(world["haidian"])
    query = "ordering=-shortfall&status=failing"
    csv_text = haidian.get(f"/lists/results.csv?{query}").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(csv_text)))
    exported = [(r[0], r[4]) for r in lines[lines.index([]) + 2:]]  # school, requirement
    assert len(exported) > 50
    shown = []
    for page in range(1, -(-len(exported) // 25) + 1):
        html = haidian.get(f"/lists/results/?{query}&per_page=25&page={page}").content.decode()
        body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        shown += re.findall(r'<tr><td><a href="/school/(\d+)/">\1</a></td>.*?'
                            r'<td><a href="[^"]*#req-([^"]+)">\2</a></td>', body)
    assert shown == exported


def test_export_neutralises_formulas(world, login):
    from campusplan.schools.models import School
    School.objects.filter(code=A).update(name="=HYPERLINK(\"x\")")
    city = login(world["city"])
    _heading, rows = xlsx_rows(city.get(f"/lists/schools.xlsx?q={A}").content)
    assert rows[0][1] == "'=HYPERLINK(\"x\")"
    text = city.get(f"/lists/schools.csv?q={A}").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_saved_view_restores_its_filters_and_is_private(world, login):
    haidian = login(world["haidian"])
    response = haidian.post("/lists/schools/views/", {
        "name": "我的视图甲", "query": "status=violation&ordering=-rate&page=3&junk=1"})
    assert response.status_code == 302
    view = SavedView.objects.get(user=world["haidian"])
    assert view.query == "status=violation&ordering=-rate"
    assert AuditEntry.objects.filter(object_type="saved_view").exists()
    html = haidian.get("/lists/schools/").content.decode()
    assert 'href="?status=violation&amp;ordering=-rate"' in html
    other = login(world["city"])
    assert "我的视图甲" not in other.get("/lists/schools/").content.decode()
    assert other.post(f"/lists/views/{view.pk}/delete/").status_code == 404
    assert login(world["haidian"]).post(f"/lists/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.exists()


def test_search_is_scoped(world, login):
    haidian = login(world["haidian"])
    html = haidian.get("/search/?q=学").content.decode()
    assert NAMES[A] in html and NAMES[B] in html and NAMES[C] not in html
    html = haidian.get(f"/search/?q={C}").content.decode()
    assert f"/school/{C}/" not in html and NAMES[C] not in html and 'data-count="0"' in html
    assert haidian.get(f"/search/?q={A}")["Location"] == f"/school/{A}/"


def test_dashboards_link_to_the_lists(world, login):
    html = login(world["city"]).get("/city/").content.decode()
    assert "/lists/schools/?failing_requirement=" in html
    assert f"/lists/schools/?district={HAIDIAN}&amp;status=violation" in html
    assert "/lists/schools/?ordering=-students_per_computer" in html \
        or "ordering=students_per_computer" in html
    html = login(world["haidian"]).get(f"/district/{HAIDIAN}/").content.decode()
    assert f"/lists/schools/?district={HAIDIAN}&amp;failing_requirement=" in html


# --- the filter form's widgets, rendered in Python -------------------------------------------


HOSTILE = '"><script>x</script>'


@pytest.mark.parametrize("value", [None, "", "211", HOSTILE, ["211", "341"]])
def test_the_fast_select_renders_what_djangos_select_renders(value):
    from django import forms
    from django.test.html import parse_html

    from campusplan.web.lists import FastSelect

    choices = [("", "全部"), ("211", "211 小学"), ("341", "341 完全中学"), (HOSTILE, HOSTILE)]
    attrs = {"id": "id_type", "class": "x"}
    assert parse_html(FastSelect(choices=choices).render("type", value, attrs)) == parse_html(
        forms.Select(choices=choices).render("type", value, attrs))


@pytest.mark.parametrize("value", [None, "", "5", HOSTILE])
@pytest.mark.parametrize("kind", ["TextInput", "NumberInput", "HiddenInput"])
def test_the_fast_inputs_render_what_djangos_inputs_render(kind, value):
    from django import forms
    from django.test.html import parse_html

    from campusplan.web.lists import FAST_INPUTS

    django_widget = getattr(forms, kind)
    attrs = {"id": "id_q", "size": 10, "min": 0, "required": True, "disabled": False}
    assert parse_html(FAST_INPUTS[django_widget]().render("q", value, attrs)) == parse_html(
        django_widget().render("q", value, attrs))
