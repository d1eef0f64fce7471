"""The school page: profile, results (gaps first, htmx filters), facts edited inline with
immediate re-assessment, validation messages next to the field, history, audit trail, report."""

from __future__ import annotations

import io
import zipfile

import pytest

from campusplan.accounts.models import AuditEntry
from campusplan.assessments.models import AssessmentRun, SchoolScore
from campusplan.assessments.selectors import is_current
from campusplan.schools.models import FactValue
from tests import factories
from tests.web.world import A, C

pytestmark = pytest.mark.django_db
FACT = f"/school/{A}/facts/video_retention_days/"
HX = {"HX-Request": "true"}


def status_of(code: str, requirement: str) -> str:
    return factories.current_result(code=code, requirement=requirement).status


def test_profile_score_and_results(world, login):
    response = login(world["school"]).get(f"/school/{A}/")
    html = response.content.decode()
    assert "海淀甲小学" in html and "211 小学" in html and "海淀区" in html
    assert "198" in html and "36" in html  # the primary stage: students, largest class
    assert response.context["score"].rate is not None
    assert 'id="result-22-7"' in html and "录像存储 15 天，需不小于 30 天，差 15 天" in html
    assert "扩容录像存储至不小于30天" in html  # the remedy
    assert "HX-Request" in response["Vary"]


def test_results_show_gaps_and_violations_first(world, login):
    results = login(world["city"]).get(f"/school/{C}/?status=all").context["results"]()
    order = [r.row.status for r in results]
    ranks = [["violation", "gap", "unknown", "met", "not_applicable"].index(s) for s in order]
    assert ranks == sorted(ranks) and order[0] == "violation"


def test_default_view_is_what_needs_attention(world, login):
    results = login(world["school"]).get(f"/school/{A}/").context["results"]()
    assert {r.row.status for r in results} <= {"gap", "violation", "unknown"}
    assert results


@pytest.mark.parametrize(("query", "statuses", "area"), [
    ("status=met", {"met"}, None),
    ("status=problems", {"gap", "violation"}, None),
    ("status=all&area=security", None, "security"),
    ("status=bogus", {"gap", "violation", "unknown"}, None),
])
def test_filters_render_the_partial(world, login, query, statuses, area):
    response = login(world["school"]).get(f"/school/{A}/?{query}", headers=HX)
    html = response.content.decode()
    assert "<html" not in html and 'class="catalog-table results-table"' in html
    rows = response.context["results"]()
    assert rows
    if statuses:
        assert {r.row.status for r in rows} <= statuses
    if area:
        assert {r.area_key for r in rows} == {area}


def test_facts_are_grouped_by_area_with_their_inputs(world, login):
    response = login(world["school"]).get(f"/school/{A}/")
    areas = response.context["fact_areas"]()
    assert areas[0].key == "infrastructure"
    html = response.content.decode()
    # a number with the dictionary's range, a yes/no select with 未知, provenance
    assert 'id="f-video_retention_days" name="value" type="number" step="1" value="15"' in html
    assert 'min="0" max="3650"' in html
    assert '<option value="否" selected>否</option>' in html
    assert "文件导入" in html


def test_editing_a_fact_reassesses_the_school(world, login):
    client = login(world["school"])
    runs = AssessmentRun.objects.count()
    assert status_of(A, "22-7") == "gap"
    response = client.post(FACT, {"value": "30", "status": "all"}, headers=HX)
    assert response.status_code == 200
    assert status_of(A, "22-7") == "met"
    assert AssessmentRun.objects.count() == runs + 1
    run = AssessmentRun.objects.latest("id")
    assert (run.scope_kind, run.scope_code, run.schools) == ("school", A, 1)
    html = response.content.decode()
    assert 'id="fact-video_retention_days"' in html and 'value="30"' in html
    assert 'id="school-score" hx-swap-oob="true"' in html
    assert 'id="school-results" hx-swap-oob="true"' in html
    assert 'id="result-22-7" class="result status-row-met"' in html  # the filter was kept
    assert SchoolScore.objects.filter(is_current()).filter(school__code=A).count() == 1


def test_edit_is_recorded_in_the_audit_trail_with_its_source(world, login):
    client = login(world["haidian"])
    client.post(FACT, {"value": "45"}, headers=HX)
    entry = AuditEntry.objects.filter(school__code=A, field="fact.video_retention_days").first()
    assert (entry.actor, entry.source, entry.before, entry.after) == ("haidian", "web", 15, 45)
    fv = FactValue.objects.get(school__code=A, key="video_retention_days",
                               superseded_at__isnull=True)
    assert fv.source.kind == "form" and fv.source.actor == "haidian"
    html = client.get(f"/school/{A}/audit/").content.decode()
    assert "录像存储时间" in html and "haidian" in html and "网页" in html
    assert "<td class=\"value\">15</td><td class=\"value\">45</td>" in html


@pytest.mark.parametrize(("value", "message"), [
    ("99999", "超出范围 0–3650：99999"),
    ("2.5", "应为整数，实际为 2.5"),
    ("abc", "应为数字，实际为 &#x27;abc&#x27;"),
])
def test_invalid_values_are_refused_next_to_the_field(world, login, value, message):
    response = login(world["school"]).post(FACT, {"value": value}, headers=HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and 'class="field-error"' in html and 'aria-invalid="true"' in html
    assert f'value="{value}"' in html  # what was typed stays in the field
    assert status_of(A, "22-7") == "gap"
    assert FactValue.objects.get(school__code=A, key="video_retention_days",
                                 superseded_at__isnull=True).value == 15


def test_messages_follow_the_language(world, login):
    client = login(world["school"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.post(FACT, {"value": "99999"}, headers=HX).content.decode()
    assert "out of range 0–3650: 99999" in html


def test_yes_no_facts(world, login):
    client = login(world["school"])
    key = "ipv6_dual_stack"
    assert client.post(f"/school/{A}/facts/{key}/", {"value": "是"}, headers=HX).status_code == 200
    assert FactValue.objects.get(school__code=A, key=key, superseded_at__isnull=True).value is True
    response = client.post(f"/school/{A}/facts/{key}/", {"value": "也许"}, headers=HX)
    assert response.status_code == 422 and "应为 true/false" in response.content.decode()


def test_an_unknown_fact_can_be_given_and_a_known_one_cleared(world, login):
    client = login(world["school"])
    known = FactValue.objects.filter(school__code=A, key="video_retention_days",
                                     superseded_at__isnull=True)
    response = client.post(FACT, {"value": ""}, headers=HX)
    assert response.status_code == 200 and known.get().value is None  # unknown again
    assert 'placeholder="未知"' in response.content.decode()
    unknown = client.get(f"/school/{A}/").context["fact_areas"]()
    row = next(r for a in unknown for r in a.rows if r.value is None)
    assert client.post(f"/school/{A}/facts/{row.key}/", {"value": ""},
                       headers=HX).status_code == 200


def test_unknown_fact_key_is_404(world, login):
    client = login(world["school"])
    assert client.post(f"/school/{A}/facts/no_such_fact/", {"value": "1"}).status_code == 404


def test_history_lists_each_run(world, login):
    client = login(world["school"])
    client.get(f"/school/{A}/?status=all")  # fills the cached fragments
    client.post(FACT, {"value": "30"}, headers=HX)
    response = client.get(f"/school/{A}/?status=all")
    html = response.content.decode()
    assert 'type="number" step="1" value="30"' in html  # the cached fragments were replaced
    assert 'id="result-22-7" class="result status-row-met"' in html
    history = response.context["history"]
    assert len(history) == 2 and history[0].current and not history[1].current
    assert history[0].rate > history[1].rate


def test_word_report_download(world, login):
    response = login(world["school"]).get(f"/school/{A}/report.docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        text = z.read("word/document.xml").decode()
    assert "海淀甲小学" in text


@pytest.mark.parametrize(("typed", "reason"), [
    ("1e999", "应为数字，实际为 inf"), ("inf", "应为数字，实际为 inf"), ("nan", "应为数字，实际为 nan"),
    ("9" * 400, "超出范围 0–3650：9.999999e+199")])  # the form keeps 200 characters, as float
def test_non_finite_and_huge_numbers_in_the_form_are_refused(world, login, typed, reason):
    client = login(world["school"])
    response = client.post(FACT, {"value": typed}, headers=HX)
    assert response.status_code == 422 and reason in response.content.decode()


def test_a_facts_history_shows_where_its_first_value_came_from(world, login):
    # the import wrote the first value: one audit row for the school's first values, and the
    # fact's history reads the value and its cell from the provenance row it points at
    client = login(world["haidian"])
    client.post(FACT, {"value": "45"}, headers=HX)
    first = FactValue.objects.filter(school__code=A, key="video_retention_days").order_by("id")[0]
    assert first.source.kind == "import" and first.source.file_name
    html = client.get(f"/school/{A}/audit/?field=fact.video_retention_days").content.decode()
    assert "<td class=\"value\">15</td><td class=\"value\">45</td>" in html
    assert "首次录入的值" in html and f"导入 #{first.source.pk}" in html
    assert f"15（导入 #{first.source.pk}，$.facts.video_retention_days）" in html  # value, cell
    # a field the import did not write: its history holds no first-values row
    other = client.get(f"/school/{A}/audit/?field=fact.no_such_fact").content.decode()
    assert "首次录入的值" not in other


def _explanations(html: str) -> dict[str, str]:
    """Result row id → the row as shown (its explanation among its cells)."""
    import re

    return {m.group(1): re.sub(r"\s+", " ", m.group(0))
            for m in re.finditer(r'<tr id="result-([\w-]+)".*?</tr>', html, re.S)}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_edits_results_are_explained_as_the_stored_run_explains_them(world, login, settings,
                                                                        language):
    """The edit's answer explains the new results from the engine's judgement it just made; the
    page read afterwards rebuilds them from the stored run: every row the same, word for word."""
    from django.core.cache import cache

    client = login(world["school"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    edited = client.post(FACT, {"value": "30", "status": "all"}, headers=HX).content.decode()
    cache.clear()  # the results fragment the edit rendered: built again from the stored run
    read = client.get(f"/school/{A}/?status=all", headers=HX).content.decode()
    after, stored = _explanations(edited), _explanations(read)
    assert len(stored) > 20 and after == stored
    assert "22-7" in after and "30" in after["22-7"]
