"""Every endpoint × every role: the status each answers, and that lists hold only the caller's
scope (rows and counts). Anonymous callers and revoked tokens get 401 everywhere."""

from __future__ import annotations

import json
import re

import pytest

from campusplan.api.app import api
from campusplan.assessments.models import ResultRow
from tests.api.world import (
    CY,
    CY_D,
    DENIED,
    FT_D,
    HD,
    HD1,
    HD2,
    ROLES,
    VISIBLE,
    VISIBLE_DISTRICTS,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_world):
    return module_world

ALL = {"city": 200, "district": 200, "school": 200, "auditor": 200}
HAIDIAN = {"city": 200, "district": 200, "school": 404, "auditor": 200}  # HD2: not the school's
CITY_ONLY = {"city": 200, "district": 404, "school": 404, "auditor": 404}
WHOLE_HD = {"city": 200, "district": 200, "school": 403, "auditor": 200}


def written(ok: int = 200, outside: bool = False, school_ok: bool = True) -> dict[str, int]:
    """A write: 404 outside the scope, 403 for the auditor (inside it)."""
    if outside:
        return {"city": ok, "district": 404, "school": 404, "auditor": 404}
    return {"city": ok, "district": ok, "school": ok if school_ok else 404, "auditor": 403}


FACT = {"value": 20}
ROOM_FACT = {"value": 12}
SERVICE_FACT = {"value": 8}
PRICE = {"unit_price": 2500, "source": "2026年协议供货价（测试）"}
NONE = {"city": 404, "district": 404, "school": 404, "auditor": 404}
MANAGERS = {"city": 200, "district": 403, "school": 403, "auditor": 403}  # accounts, campaigns
KEEP = {"value": 30}
BAD_WAIVER = {"kind": "waiver", "justification": "x", "approver": "y",
              "granted_on": "2026-01-01", "expires_on": "2026-02-01", "requirement_id": "nope"}
GRANTERS = {"city": 422, "district": 422, "school": 403, "auditor": 403}  # a school can't approve
PAST_CAMPAIGN = {"school_year": 2020, "as_of": "2020-09-01", "deadline": "2020-10-01"}

# (method, path, json body, expected status per role); {svc} is HD2's service id,
# {cy_svc} 朝阳's, {run} the stored city-wide run, {cy_run} the run of the 朝阳 school alone
ENDPOINTS = [
    ("get", "/me", None, ALL),
    ("get", "/catalog", None, ALL),
    ("get", "/catalog/items?stage=senior", None, ALL),
    ("get", "/catalog/items/6", None, ALL),
    ("get", "/catalog/requirements?item=6", None, ALL),
    ("get", "/catalog/parameters", None, ALL),
    ("get", "/catalog/facts?scope=room", None, ALL),
    ("get", "/catalog/room-types", None, ALL),
    ("get", "/catalog/service-categories", None, ALL),
    ("get", "/districts", None, ALL),
    ("get", f"/districts/{HD}", None, ALL),
    ("get", f"/districts/{CY_D}", None, CITY_ONLY),
    ("get", f"/districts/{FT_D}/services", None, CITY_ONLY),
    ("get", f"/districts/{HD}/services", None, ALL),
    # a second standard is off by default (CAMPUSPLAN_STANDARDS); tests/youzhi cover it on
    ("get", f"/districts/{HD}/readiness/youzhi", None,
     {"city": 404, "district": 404, "school": 403, "auditor": 404}),
    ("get", f"/districts/{HD}/readiness/youzhi/export?format=docx", None,
     {"city": 404, "district": 404, "school": 403, "auditor": 404}),
    ("get", "/schools", None, ALL),
    ("get", f"/schools/{HD1}", None, ALL),
    ("get", f"/schools/{HD2}", None, HAIDIAN),
    ("get", f"/schools/{CY}", None, CITY_ONLY),
    ("get", f"/schools/{HD1}/facts", None, ALL),
    ("get", f"/schools/{HD1}/results?status=met", None, ALL),
    ("get", f"/schools/{CY}/results", None, CITY_ONLY),
    ("get", f"/schools/{HD2}/facts?subject=room", None, HAIDIAN),
    ("get", f"/schools/{CY}/facts", None, CITY_ONLY),
    ("get", f"/schools/{HD1}/facts/video_retention_days/history", None, ALL),
    ("get", f"/schools/{CY}/facts/video_retention_days/history", None, CITY_ONLY),
    ("put", f"/schools/{HD1}/facts/video_retention_days", FACT, written()),
    ("put", f"/schools/{HD2}/facts/video_retention_days", FACT, written(school_ok=False)),
    ("put", f"/schools/{CY}/facts/video_retention_days", FACT, written(outside=True)),
    ("put", f"/schools/{HD1}/rooms/101/facts/info_points", ROOM_FACT, written()),
    ("put", f"/schools/{CY}/rooms/001/facts/info_points", ROOM_FACT, written(outside=True)),
    ("put", f"/schools/{HD2}/services/{{svc}}/facts/vendor_years", SERVICE_FACT,
     written(school_ok=False)),
    ("put", f"/schools/{CY}/services/{{cy_svc}}/facts/vendor_years", SERVICE_FACT,
     written(outside=True)),
    ("delete", f"/schools/{HD1}/facts/video_retention_days", None, written()),
    ("delete", f"/schools/{CY}/facts/video_retention_days", None, written(outside=True)),
    ("delete", f"/schools/{HD1}/rooms/101/facts/info_points", None, written()),
    ("delete", f"/schools/{CY}/rooms/001/facts/info_points", None, written(outside=True)),
    ("delete", f"/schools/{HD2}/services/{{svc}}/facts/vendor_years", None,
     written(school_ok=False)),
    ("delete", f"/schools/{CY}/services/{{cy_svc}}/facts/vendor_years", None,
     written(outside=True)),
    ("get", f"/schools/{HD1}/rooms", None, ALL),
    ("get", f"/schools/{HD1}/rooms/101", None, ALL),
    ("get", f"/schools/{CY}/rooms", None, CITY_ONLY),
    ("get", f"/schools/{HD2}/devices", None, HAIDIAN),
    ("get", f"/schools/{CY}/devices", None, CITY_ONLY),
    ("get", f"/schools/{HD2}/services", None, HAIDIAN),
    ("get", f"/schools/{CY}/services", None, CITY_ONLY),
    ("get", "/runs", None, ALL),
    ("get", "/runs/{run}", None, ALL),
    ("get", "/runs/{cy_run}", None, CITY_ONLY),
    ("get", "/runs/{run}/results?status=gap", None, ALL),
    ("get", "/runs/{cy_run}/results", None, CITY_ONLY),
    ("get", "/results?level=required", None, ALL),
    ("get", "/scores", None, ALL),
    ("get", "/scores/districts", None, ALL),
    ("post", "/runs", {"school": HD1}, written(201)),
    ("post", "/runs", {"school": HD2}, written(201, school_ok=False)),
    ("post", "/runs", {"school": CY}, written(201, outside=True)),
    ("post", "/runs", {"district": HD}, written(201) | {"school": 403}),
    ("post", "/runs", {"district": CY_D}, written(201, outside=True)),
    ("get", f"/plans?school={HD1}", None, ALL),
    ("get", f"/plans?district={HD}", None, WHOLE_HD),
    ("get", f"/plans?district={CY_D}", None, CITY_ONLY),
    ("get", f"/plans?school={CY}", None, CITY_ONLY),
    ("get", "/prices", None, ALL),
    ("get", f"/prices?district={HD}", None, WHOLE_HD),
    ("get", f"/prices?district={CY_D}", None, CITY_ONLY),
    ("put", f"/prices/{HD}/wireless_ap", PRICE, written() | {"school": 403}),
    ("put", f"/prices/{CY_D}/wireless_ap", PRICE, written(outside=True)),
    ("get", "/parameters", None, ALL),
    ("get", f"/parameters?district={HD}", None, WHOLE_HD),
    ("get", f"/parameters?district={CY_D}", None, CITY_ONLY),
    # the standard's own value: the world's results stay as they are
    ("put", "/parameters/video_retention_days", KEEP, MANAGERS),
    ("put", f"/parameters/video_retention_days/{HD}", KEEP, written() | {"school": 403}),
    ("put", f"/parameters/video_retention_days/{CY_D}", KEEP, written(outside=True)),
    ("get", f"/schools/{HD1}/deviations", None, ALL),
    ("get", f"/schools/{CY}/deviations", None, CITY_ONLY),
    ("post", f"/schools/{HD1}/deviations", BAD_WAIVER, GRANTERS),
    ("post", f"/schools/{CY}/deviations", BAD_WAIVER, written(422, outside=True)),
    ("post", "/deviations/999999/revoke", None, NONE),
    ("get", f"/districts/{HD}/deviations/expiring", None, WHOLE_HD),
    ("get", f"/districts/{CY_D}/deviations/expiring", None, CITY_ONLY),
    ("get", f"/schools/{HD1}/evidence", None, ALL),
    ("get", f"/schools/{CY}/evidence", None, CITY_ONLY),
    # a JSON body is no upload: refused before any write (tests/tailoring upload real files)
    ("post", f"/schools/{HD1}/evidence", {}, {r: 422 for r in ALL}),
    ("get", "/evidence/999999", None, NONE),
    ("get", "/projects", None, ALL),
    ("get", f"/projects?district={HD}", None, WHOLE_HD),
    ("get", f"/projects?district={CY_D}", None, CITY_ONLY),
    # a line no plan has: refused (422) inside the scope, 404 outside it, 403 for the auditor
    ("post", "/projects", {"school": HD1, "line": "no_such_line"}, written(422)),
    ("post", "/projects", {"school": CY, "line": "no_such_line"}, written(422, outside=True)),
    ("patch", "/projects/999999", {"status": "approved"},
     {"city": 404, "district": 404, "school": 404, "auditor": 404}),
    ("get", f"/exports?school={HD1}", None, ALL),
    ("get", f"/exports?district={HD}&format=xlsx", None, WHOLE_HD),
    ("get", f"/exports?school={CY}&format=csv", None, CITY_ONLY),
    ("post-file", "/imports", HD1, written() | {"auditor": 403}),
    ("post-file", "/imports", CY, {"city": 200, "district": 403, "school": 403,
                                   "auditor": 403}),
    # campaigns: the world has none, so every id is 404; opening one with a deadline already
    # past is refused (422) only after the level and the scope were checked: nothing written
    ("get", "/campaigns", None, ALL),
    ("get", "/campaigns/999999", None, NONE),
    ("get", "/campaigns/999999/schools", None, NONE),
    ("get", "/campaigns/diff?old=999998&new=999999", None, NONE),
    ("post", "/campaigns", PAST_CAMPAIGN, MANAGERS | {"city": 422}),
    ("post", "/campaigns", PAST_CAMPAIGN | {"district": HD}, MANAGERS | {"city": 422,
                                                                         "district": 422}),
    ("post", "/campaigns", PAST_CAMPAIGN | {"district": CY_D},
     MANAGERS | {"city": 422, "district": 404}),
    ("post", f"/campaigns/999999/schools/{HD1}/submit", None, NONE),
    ("post", f"/campaigns/999999/schools/{HD1}/unlock", {"reason": "测试"}, NONE),
    ("post", f"/campaigns/999999/schools/{HD1}/keep", {"keys": []}, NONE),
    ("post", "/campaigns/999999/review", {"action": "approve", "schools": [HD1]}, NONE),
    ("post", f"/campaigns/999999/districts/{HD}/confirm", None, NONE),
    # the caller's own: a wrong current password is refused (422) whoever asks
    ("get", "/me/notifications?unread=true", None, ALL),
    ("post", "/me/notifications/read", None, {role: 204 for role in ALL}),
    ("post", "/me/password", {"old_password": "not-it", "new_password": "Neu-Passwort-2026"},
     {role: 422 for role in ALL}),
    # accounts: managed by the city and the (writing) district only; a user name that exists
    # is refused (422) after the scope check, so nothing is created
    ("get", "/users", None, MANAGERS | {"district": 200}),
    ("post", "/users", {"username": "city", "level": "city"}, MANAGERS | {"city": 422}),
    ("post", "/users", {"username": "city", "level": "district", "district": HD},
     MANAGERS | {"city": 422, "district": 422}),
    ("post", "/users", {"username": "city", "level": "district", "district": CY_D},
     MANAGERS | {"city": 422, "district": 404}),
    ("post", "/users", {"username": "city", "level": "school", "school": HD2},
     MANAGERS | {"city": 422, "district": 422, "school": 404}),
    ("post", "/users", {"username": "city", "level": "school", "school": CY},
     written(422, outside=True)),
    # activating an active account writes nothing; one's own account is refused (422)
    ("post", "/users/school/active", {"active": True}, MANAGERS | {"district": 200}),
    ("post", "/users/auditor/active", {"active": True}, MANAGERS | {"district": 200}),
    ("post", "/users/city/active", {"active": True}, MANAGERS | {"city": 422, "district": 404}),
    # a reset sets a new initial password: the tokens (all this matrix uses) still work
    ("post", "/users/auditor/reset-password", None, MANAGERS | {"district": 200}),
    ("post", "/users/city/reset-password", None, MANAGERS | {"district": 404}),
    ("post", "/users/nobody/reset-password", None, MANAGERS | {"city": 404, "district": 404}),
    # one account per school without one: 海淀's HD2, 朝阳's school (harmless for the rest)
    ("post", "/users/school-accounts", {"district": HD}, written(201) | {"school": 403}),
    ("post", "/users/school-accounts", {"district": CY_D}, written(201, outside=True)),
]


def _ids(world) -> dict[str, int]:
    from campusplan.schools.models import PurchasedService

    return {"svc": PurchasedService.objects.get(school__code=HD2).pk,
            "cy_svc": PurchasedService.objects.get(school__code=CY).pk,
            "run": world.run_id, "cy_run": world.cy_run_id}


def _export(client, world, code: str) -> bytes:
    res = client.get(f"/api/v1/exports?school={code}&results=false", **world.headers("city"))
    assert res.status_code == 200
    return res.content


def call(client, world, role: str, method: str, path: str, body):
    headers = world.headers(role)
    url = "/api/v1" + path.format(**_ids(world))
    if method in ("get", "delete"):
        return getattr(client, method)(url, **headers)
    if method == "post-file":
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(f"{body}.json", _export(client, world, body))
        return client.post(url, {"files": [upload], "dry_run": "true"}, **headers)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json",
                                   **headers)


def test_the_matrix_covers_every_operation():
    """A new endpoint must be added to the matrix."""
    templates = {(m, p.removeprefix("/api/v1"))
                 for p, ops in api.get_openapi_schema()["paths"].items() for m in ops}
    covered = set()
    for method, path, _b, _e in ENDPOINTS:
        concrete = path.split("?")[0]
        verb = "post" if method == "post-file" else method
        covered |= {(m, t) for m, t in templates
                    if m == verb and re.fullmatch(re.sub(r"\{\w+\}", r"[^/]+", t), concrete)}
    assert covered == templates


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), ENDPOINTS,
                         ids=[f"{m} {p} {b or ''}" for m, p, b, _e in ENDPOINTS])
def test_status_by_role(client, world, role, method, path, body, expected):
    res = call(client, world, role, method, path, body)
    assert res.status_code == expected[role], res.content[:500]
    if res.status_code >= 400:
        assert set(res.json()) == {"code", "message", "details"}


@pytest.mark.parametrize("role", DENIED)
@pytest.mark.parametrize(("method", "path", "body", "expected"), ENDPOINTS,
                         ids=[f"{m} {p} {b or ''}" for m, p, b, _e in ENDPOINTS])
def test_anonymous_and_revoked_tokens_get_401(client, world, role, method, path, body,
                                              expected):
    if method == "post-file":  # the upload itself needs no export: any file will do
        from django.core.files.uploadedfile import SimpleUploadedFile

        res = client.post("/api/v1" + path, {"files": [SimpleUploadedFile("a.json", b"{}")]},
                          **world.headers(role))
    else:
        res = call(client, world, role, method, path, body)
    assert res.status_code == 401
    assert res.json()["code"] == "unauthenticated"
    assert res["WWW-Authenticate"].startswith("Bearer")


# --- lists hold only the caller's scope -----------------------------------------------------


def get(client, world, role, url):
    res = client.get("/api/v1" + url, **world.headers(role))
    assert res.status_code == 200, res.content[:300]
    return res.json()


@pytest.mark.parametrize("role", ROLES)
def test_school_list_is_the_scope(client, world, role):
    page = get(client, world, role, "/schools?limit=500")
    assert {s["code"] for s in page["items"]} == VISIBLE[role]
    assert page["count"] == len(VISIBLE[role])
    other = get(client, world, role, f"/schools?district={CY_D}")
    assert other["count"] == (1 if role == "city" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_district_list_counts_only_visible_schools(client, world, role):
    page = get(client, world, role, "/districts")
    assert {d["code"] for d in page["items"]} == VISIBLE_DISTRICTS[role]
    haidian = next(d for d in page["items"] if d["code"] == HD)
    assert haidian["schools"] == len(VISIBLE[role] & {HD1, HD2})
    assert get(client, world, role, f"/districts/{HD}")["schools"] == haidian["schools"]


def every_item(client, world, role, url) -> tuple[int, list[dict]]:
    """The count and every item of a list, page by page."""
    items, count = [], None
    while count is None or len(items) < count:
        page = get(client, world, role, f"{url}{'&' if '?' in url else '?'}limit=500"
                                        f"&offset={len(items)}")
        count, items = page["count"], items + page["items"]
        assert page["items"] or len(items) == count
    return count, items


@pytest.mark.parametrize("role", ROLES)
def test_results_and_runs_hold_only_visible_schools(client, world, role):
    kept = ResultRow.objects.filter(run_id=world.run_id, school__code__in=VISIBLE[role])
    for url in ("/results", f"/runs/{world.run_id}/results"):
        count, items = every_item(client, world, role, url)
        assert {r["school"] for r in items} == VISIBLE[role]
        # the rows that need attention (the database keeps those: assessments/matrix.py)
        assert count == len(items) == kept.count() > 0
        assert {r["status"] for r in items} <= {"gap", "violation", "unknown"}
    assert get(client, world, role, f"/results?school={CY}")["count"] == (
        ResultRow.objects.filter(run_id=world.cy_run_id, school__code=CY).count()
        if role == "city" else 0)
    runs = get(client, world, role, "/runs")
    examples, hd2 = world.import_runs  # the imports' own re-assessments
    assert {r["id"] for r in runs["items"]} == {world.run_id, examples} | (
        {world.cy_run_id, hd2} if role == "city" else {hd2} if role != "school" else set())
    run = next(r for r in runs["items"] if r["id"] == world.run_id)
    assert run["schools"] == len(VISIBLE[role])
    assert run["results"] == sum(run["counts"].values()) == 247 * len(VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_filters_within_the_scope(client, world, role):
    page = get(client, world, role, f"/results?district={HD}&item=5&level=required&limit=500")
    assert page["count"] > 0
    assert all(r["district"] == HD and r["item"] == 5 and r["level"] == "required"
               for r in page["items"])
    assert {r["school"] for r in page["items"]} == VISIBLE[role] & {HD1, HD2}
    gaps = get(client, world, role, f"/results?school={HD1}&status=gap&ordering=-item")
    assert gaps["count"] > 0 and all(r["status"] == "gap" for r in gaps["items"])
    items = [r["item"] or 0 for r in gaps["items"]]
    assert items == sorted(items, reverse=True)


@pytest.mark.parametrize("role", ROLES)
def test_a_school_s_results_are_every_requirement_met_or_not(client, world, role):
    """The school page's rows as JSON: every requirement, met and not applicable too (from the
    run's file), explained; the lists above hold only what needs attention."""
    count, items = every_item(client, world, role, f"/schools/{HD1}/results?lang=en")
    assert count == len(items) == 247  # 192 table requirements + 55 rules
    assert {"met", "gap"} <= {r["status"] for r in items}
    assert all(r["school"] == HD1 and r["explanation"] for r in items)
    met = get(client, world, role, f"/schools/{HD1}/results?status=met")
    assert met["count"] == sum(r["status"] == "met" for r in items) > 0


def test_runs_filter_by_school(client, world):
    page = get(client, world, "city", f"/runs?school={CY}")
    assert {r["id"] for r in page["items"]} == {world.import_runs[0], world.run_id,
                                                world.cy_run_id}
    assert get(client, world, "district", f"/runs?school={CY}")["count"] == 0


def test_pagination_and_ordering(client, world):
    first = get(client, world, "city", "/schools?limit=2&ordering=-code")
    second = get(client, world, "city", "/schools?limit=2&offset=2&ordering=-code")
    codes = [s["code"] for s in first["items"] + second["items"]]
    assert codes == sorted(codes, reverse=True) and len(set(codes)) == 4
    assert first["count"] == 5 and (first["limit"], second["offset"]) == (2, 2)
    res = get(client, world, "city", "/schools?ordering=name")
    assert [s["name"] for s in res["items"]] == sorted(s["name"] for s in res["items"])


@pytest.mark.parametrize("query", ["limit=501", "limit=0", "offset=-1", "ordering=password",
                                   "district=%00", "q=" + "x" * 101])
def test_bad_list_parameters_are_422(client, world, query):
    res = client.get(f"/api/v1/schools?{query}", **world.headers("city"))
    assert res.status_code == 422
    assert res.json()["code"] == "validation_error" and res.json()["details"]


@pytest.mark.parametrize("role", ROLES)
def test_provenance_hides_batch_file_names_naming_other_schools(client, world, role):
    """HD1 came in one batch with the other districts' example files; HD2 in its own file."""
    def file_names(code):
        page = get(client, world, role, f"/schools/{code}/facts?key=video_retention_days")
        return {f["source"]["file_name"] for f in page["items"]}

    batch = file_names(HD1)
    assert batch == ({"complete-secondary.json, nine-year-school.json, small-primary.json, "
                      "violations.json"} if role == "city" else {""})
    if role != "school":
        assert file_names(HD2) == {"second.json"}
