"""Nobody sees or changes data outside their scope.

Every URL pattern of the site (resolved from the URLconf, so a new page cannot be forgotten) is
requested as every role — city, district 海淀, a school in 海淀, a read-only 海淀 auditor and an
anonymous visitor — with every school and district of a 2 × 2 world in its path. The web pages
must answer exactly as expected (200, 302 to the login, 403, 404, 405), and no response body of
any page, partial, chart's JSON or download (xlsx/docx unzipped) may carry the code or the name
of a school (or, below the city, a district) the role cannot see.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from campusplan.assessments.models import AssessmentRun
from campusplan.schools.models import FactValue, School
from tests.web.world import DISTRICT_NAMES, HAIDIAN, NAMES, ROLES, XICHENG, A, B, C, D, Role

pytestmark = pytest.mark.django_db

ANON = Role("anonymous", "none")
SCHOOL_CODES = list(NAMES)
DISTRICT_CODES = [HAIDIAN, XICHENG]
LOGIN = "/accounts/login/"


# --- the URLconf ---------------------------------------------------------------------------


def patterns(resolver=None, ns: str = ""):
    """(name with namespace, converter names) of every URL pattern, depth first."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from patterns(p, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{ns}{p.name}", list(p.pattern.regex.groupindex)


def candidates(name: str, param: str) -> list[str]:
    """Values to put in a path parameter: every school/district for `code`, else one guess."""
    if param == "code":
        return DISTRICT_CODES if "district" in name else SCHOOL_CODES + DISTRICT_CODES
    if name == "web:standard" or param == "standard":  # the walk turns both standards on
        return ["beijing", "youzhi"] if name == "web:standard" else ["youzhi"]
    runs = [str(pk) for pk in AssessmentRun.objects.values_list("pk", flat=True)]
    return {"number": ["1"], "key": ["video_retention_days"], "token": ["x" * 32],
            "run_id": runs or ["1"], "room": ["101"], "app_label": ["schools"]}.get(param, ["1"])


def urls() -> list[tuple[str, dict, str]]:
    out = []
    for name, params in patterns():
        for values in itertools.product(*(candidates(name, p) for p in params)):
            kwargs = dict(zip(params, values, strict=True))
            try:
                out.append((name, kwargs, reverse(name, kwargs=kwargs)))
            except NoReverseMatch:
                continue
    return out


# --- what each role may see ------------------------------------------------------------------


def _school_page(role: Role, code: str) -> int:
    return 200 if code in role.visible() else 404


def _district_page(role: Role, code: str) -> int:
    if role.level == "city":
        return 200
    mine = role.district or HAIDIAN  # the school in the world is in 海淀
    if code != mine:
        return 404
    return 403 if role.level == "school" else 200


EXPECTED_GET = {
    "web:home": lambda role, kw: 302,
    "web:catalog": lambda role, kw: 200,
    "web:item": lambda role, kw: 200,
    "web:params": lambda role, kw: 200,
    "web:city": lambda role, kw: 200 if role.level == "city" else 403,
    "web:city_workbook": lambda role, kw: 200 if role.level == "city" else 403,
    "web:district": lambda role, kw: _district_page(role, kw["code"]),
    "web:readiness": lambda role, kw: _any_district_page(role, kw["code"]),
    "web:readiness_xlsx": lambda role, kw: _any_district_page(role, kw["code"]),
    "web:readiness_docx": lambda role, kw: _any_district_page(role, kw["code"]),
    "web:standard": lambda role, kw: 200,
    "web:district_workbook": lambda role, kw: _district_page(role, kw["code"]),
    "web:school": lambda role, kw: _school_page(role, kw["code"]),
    "web:fact": lambda role, kw: 405,  # POST only
    "web:school_audit": lambda role, kw: _school_page(role, kw["code"]),
    "web:school_report": lambda role, kw: _school_page(role, kw["code"]),
    "web:school_list": lambda role, kw: 200,  # every list holds the role's own scope
    "web:school_list_xlsx": lambda role, kw: 200,
    "web:school_list_csv": lambda role, kw: 200,
    "web:school_view_save": lambda role, kw: 405,  # POST only
    "web:result_list": lambda role, kw: 200,
    "web:result_list_xlsx": lambda role, kw: 200,
    "web:result_list_csv": lambda role, kw: 200,
    "web:result_view_save": lambda role, kw: 405,
    "web:view_delete": lambda role, kw: 405,
    "web:search": lambda role, kw: 200,
    "web:import": lambda role, kw: 200 if role.can_edit() else 403,
    "web:import_confirm": lambda role, kw: 405,  # POST only
    "web:audit": lambda role, kw: 200,  # every role reads its own scope's trail
    "web:rooms_bulk": lambda role, kw: 405,  # POST only
    "web:district_bulk": lambda role, kw: _bulk_page(role, kw["code"]),
    "web:import_discard": lambda role, kw: 405,  # POST only
    "web:import_changes": lambda role, kw: 404 if role.can_edit() else 403,  # no such upload
    "web:users": lambda role, kw: 200 if role.can_edit() and role.level != "school" else 403,
    "web:school_accounts": lambda role, kw: 405,
    "web:user_reset": lambda role, kw: 405,
    "web:user_active": lambda role, kw: 405,
    "web:password": lambda role, kw: 200,
    "web:notifications": lambda role, kw: 200,
    "web:bell": lambda role, kw: 200,
    "web:job": lambda role, kw: 404,  # nobody's job here
    "web:job_file": lambda role, kw: 404,
    "web:city_workbook_job": lambda role, kw: 405,
    "web:reassess_job": lambda role, kw: 405,
    # campaigns: the world has none, so every campaign's page is not found (tests/campaigns
    # walks them with campaigns); the steps are POST only
    "web:campaigns": lambda role, kw: 200,
    "web:campaign_diff": lambda role, kw: 200,
    **{f"web:{n}": (lambda role, kw: 404) for n in (
        "campaign", "campaign_school", "campaign_form", "campaign_survey", "campaign_review")},
    **{f"web:{n}": (lambda role, kw: 405) for n in (
        "campaign_fact", "campaign_upload", "campaign_upload_confirm", "campaign_keep",
        "campaign_submit", "campaign_unlock", "campaign_confirm")},
    "web:city_plan": lambda role, kw: 200 if role.level == "city" else 404,
    "web:city_plan_file": lambda role, kw: 404,  # the walk's fmt "1" is no format
    "web:district_plan": lambda role, kw: _district_page(role, kw["code"]),
    "web:district_plan_file": lambda role, kw: 404,
    "web:school_plan": lambda role, kw: _school_page(role, kw["code"]),
    "web:school_plan_file": lambda role, kw: 404,
    "web:city_prices": lambda role, kw: 200,
    "web:district_prices": lambda role, kw: _district_page(role, kw["code"]),
    "web:price_file": lambda role, kw: _any_district_page(role, kw["code"]),
    "web:price_import": lambda role, kw: 405,
    "web:price_edit": lambda role, kw: 405,
    "web:projects": lambda role, kw: _any_district_page(role, kw["code"]),
    "web:project_new": lambda role, kw: 405,
    "web:project": lambda role, kw: 404,  # no project 1 in the world
    "web:project_edit": lambda role, kw: 405,
    "web:param_set": lambda role, kw: 405,  # POST only
    "web:deviation_grant": lambda role, kw: 405,
    "web:deviation_revoke": lambda role, kw: 405,
    "web:evidence_upload": lambda role, kw: 405,
    "web:evidence": lambda role, kw: 404,  # no evidence 1 in the world
}


def _bulk_page(role: Role, code: str) -> int:
    """A district's bulk edit: its dashboard's answer, and 403 for a reader."""
    status = _district_page(role, code)
    return 403 if status == 200 and not role.can_edit() else status


def _any_district_page(role: Role, code: str) -> int:
    """A district page walked with school codes too (its name says no "district")."""
    return _district_page(role, code) if code in DISTRICT_CODES else 404


def body_text(response) -> str:
    """The body as text; an xlsx/docx is unzipped and its XML parts read."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                             if n.endswith((".xml", ".rels")))
    return content.decode("utf-8", "replace")


def assert_no_leak(role: Role, url: str, response) -> None:
    text = body_text(response)
    leaked = [s for s in role.hidden_strings() if s in text]
    assert not leaked, f"{role.name} GET {url}: {leaked} in the response"


def client_for(role_key: str, world) -> tuple[Role, Client]:
    client = Client()
    if role_key == "anonymous":
        return ANON, client
    client.force_login(world[role_key])
    return ROLES[role_key], client


# --- the walk --------------------------------------------------------------------------------


def test_every_web_pattern_has_an_expectation():
    names = {name for name, _params in patterns() if name.startswith("web:")}
    assert names == set(EXPECTED_GET), "add the new page to EXPECTED_GET (and to the role walk)"


ROLE_KEYS = ["city", "haidian", "school", "auditor", "anonymous"]


@pytest.mark.parametrize("role_key", ROLE_KEYS)
def test_walk_every_page_as_every_role(world, role_key, settings):
    """The pages (web:*): the exact status for the role, and no leak — with every shipped
    standard on, so a second standard's pages are walked too."""
    settings.CAMPUSPLAN_STANDARDS = ["beijing", "youzhi"]
    role, client = client_for(role_key, world)
    walked = [(name, kw, url) for name, kw, url in urls() if name.startswith("web:")]
    for name, kwargs, url in walked:
        response = client.get(url)
        expected = 302 if role is ANON else EXPECTED_GET[name](role, kwargs)
        assert response.status_code == expected, f"{role.name} GET {url}"
        if role is ANON:
            assert response["Location"].startswith(LOGIN)
        assert_no_leak(role, url, response)
    assert len(walked) >= 30


@pytest.mark.parametrize("role_key", ROLE_KEYS)
def test_walk_every_other_url_as_every_role(world, role_key):
    """Everything else in the URLconf (accounts, API, admin): no server error and no school
    outside the scope."""
    role, client = client_for(role_key, world)
    problems = []
    for name, _kwargs, url in urls():
        if name.startswith("web:"):
            continue
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url}: {response.status_code}")
        leaked = [s for s in role.hidden_strings(districts=False) if s in body_text(response)]
        if leaked:
            problems.append(f"GET {url}: {leaked}")
    assert not problems, f"{role.name}: " + "; ".join(problems)


@pytest.mark.parametrize("role_key", ["city", "haidian", "school", "auditor"])
@pytest.mark.parametrize("partial", [
    "/district/{d}/?sort=name&order=desc", "/district/{d}/?q=中学", "/school/{s}/?status=all",
    "/lists/schools/?district={d}&per_page=500", "/lists/results/?school={s}&status=failing",
    "/lists/schools.csv?district={d}", "/lists/results.xlsx?school={s}", "/search/?q={s}",
    "/search/?q=学",
])
def test_htmx_partials_stay_in_scope(world, role_key, partial):
    role, client = client_for(role_key, world)
    for d, s in itertools.product(DISTRICT_CODES, SCHOOL_CODES):
        url = partial.format(d=d, s=s)
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code in (200, 302, 403, 404)  # 302: search found the code
        # a list echoes what was asked (the filter form, its links): a code the user typed is
        # not a leak, but the school's name (never in the query) must still be absent
        echoed = {v for _k, v in parse_qsl(urlsplit(url).query)} if "/lists/" in url \
            or "/search/" in url else set()
        text = body_text(response)
        for value in sorted(echoed, key=len, reverse=True):
            text = text.replace(value, "")
        leaked = [h for h in role.hidden_strings() if h in text]
        assert not leaked, f"{role.name} GET {url}: {leaked} in the response"


def test_home_sends_each_role_to_its_workspace(world):
    expected = {"city": "/city/", "haidian": f"/district/{HAIDIAN}/", "school": f"/school/{A}/",
                "auditor": f"/district/{HAIDIAN}/"}
    for key, target in expected.items():
        _role, client = client_for(key, world)
        assert client.get("/")["Location"] == target
    assert Client().get("/")["Location"].startswith(LOGIN)


def test_counts_and_charts_count_only_the_scope(world):
    _role, city = client_for("city", world)
    overview = city.get("/city/").context
    assert overview["totals"]["schools"] == 4
    assert {d["code"] for d in overview["districts"]()} == {HAIDIAN, XICHENG}
    _role, haidian = client_for("haidian", world)
    district = haidian.get(f"/district/{HAIDIAN}/").context
    assert district["district"]["schools"] == 2
    assert {s["code"] for s in district["schools"]} == {A, B}
    assert sum(district["distribution_chart"]["counts"]) == 2


# --- changes -----------------------------------------------------------------------------------


def _retention(code: str):
    return FactValue.objects.get(school__code=code, key="video_retention_days",
                                 superseded_at__isnull=True).value


@pytest.mark.parametrize(("role_key", "code", "status"), [
    ("city", C, 200), ("haidian", B, 200), ("school", A, 200),
    ("haidian", C, 404), ("school", B, 404), ("school", C, 404),
    ("auditor", A, 403), ("auditor", C, 404), ("anonymous", A, 302),
])
def test_fact_edits_only_inside_the_scope(world, role_key, code, status):
    _role, client = client_for(role_key, world)
    before = _retention(code)
    response = client.post(f"/school/{code}/facts/video_retention_days/", {"value": "45"},
                           headers={"HX-Request": "true"})
    assert response.status_code == status
    assert _retention(code) == (45 if status == 200 else before)


FIRST_ROOM = {A: "101", B: "001", C: "101", D: "A01"}  # C (violations.json) lists no rooms


@pytest.mark.parametrize(("role_key", "code", "status"), [
    ("city", D, 302), ("haidian", B, 302), ("school", A, 302),
    ("haidian", D, 404), ("school", B, 404), ("auditor", A, 403), ("auditor", D, 404),
])
def test_bulk_room_edits_only_inside_the_scope(world, role_key, code, status):
    _role, client = client_for(role_key, world)
    before = FactValue.objects.count()
    response = client.post(f"/school/{code}/rooms/bulk/", {
        "rooms": [FIRST_ROOM[code]], "key": "info_points", "value": "13"})
    assert response.status_code == status
    assert (FactValue.objects.count() > before) == (status == 302)


@pytest.mark.parametrize("role_key", ["auditor", "anonymous"])
def test_readers_cannot_import(world, role_key):
    _role, client = client_for(role_key, world)
    upload = io.BytesIO(b'{"code": "1101080001", "facts": {"video_retention_days": 90}}')
    upload.name = "a.json"
    assert client.post("/import/", {"file": upload}).status_code in (302, 403)
    assert client.post(f"/import/{'x' * 32}/confirm/").status_code in (302, 403)
    assert _retention(A) == 15


def test_school_page_of_a_reader_has_no_forms(world):
    client_for("haidian", world)[1].get(f"/school/{A}/")  # an editor's page is cached first
    _role, client = client_for("auditor", world)
    html = client.get(f"/school/{A}/").content.decode()
    assert 'hx-post="/school/' not in html and "只读" in html
    assert not re.search(r'<input[^>]+name="value"', html)


# --- CSRF and headers ----------------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["haidian"])
    assert client.post(f"/school/{A}/facts/video_retention_days/",
                       {"value": "45"}).status_code == 403
    upload = io.BytesIO(b"{}")
    upload.name = "a.json"
    assert client.post("/import/", {"file": upload}).status_code == 403
    assert client.post(f"/import/{'x' * 32}/confirm/").status_code == 403
    assert client.post("/accounts/logout/").status_code == 403
    assert _retention(A) == 15


def test_posts_with_the_token_are_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["haidian"])
    html = client.get(f"/school/{A}/").content.decode()
    token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    response = client.post(f"/school/{A}/facts/video_retention_days/", {"value": "45"},
                           headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200
    assert _retention(A) == 45


@pytest.mark.parametrize("url", ["/city/", f"/district/{HAIDIAN}/", f"/school/{A}/", "/import/",
                                 f"/school/{A}/audit/", LOGIN])
def test_security_headers_on_every_page(world, url):
    _role, client = client_for("anonymous" if url == LOGIN else "city", world)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_downloads_are_private(world):
    _role, client = client_for("haidian", world)
    response = client.get(f"/school/{A}/report.docx")
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]


def test_the_world_is_what_the_walk_assumes(world):
    assert School.objects.filter(district__code=HAIDIAN).count() == 2
    assert set(DISTRICT_NAMES) == set(DISTRICT_CODES)
    assert _retention(A) == 15
