"""Writes go through the services and land in the audit trail with source "api"; every error
has the one JSON shape; the rate limit answers 429 with Retry-After."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from campusplan.accounts.models import AuditEntry
from campusplan.assessments.models import AssessmentRun
from campusplan.schools.models import FactValue, School
from tests.api.world import CY, HD, HD1, HD2
from tests.factories import EXAMPLES, audit_changes, audit_mark
from tests.implausible import EXPECTED, FILE

pytestmark = pytest.mark.django_db
FACT_URL = f"/api/v1/schools/{HD1}/facts/video_retention_days"


def put(client, world, role, url, value, **extra):
    return client.put(url, json.dumps({"value": value}), content_type="application/json",
                      **world.headers(role), **extra)


def assert_error(res, status: int, code: str) -> dict:
    assert res.status_code == status, res.content[:300]
    body = res.json()
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    assert set(body["message"]) == {"zh", "en"} and all(body["message"].values())
    assert isinstance(body["details"], list)
    return body


# --- writes and the audit trail -------------------------------------------------------------


def test_a_fact_write_is_audited_with_source_api(client, world):
    mark = audit_mark()
    res = put(client, world, "district", FACT_URL, 45, HTTP_X_REQUEST_ID="req-api-1")
    body = res.json()
    assert res.status_code == 200 and body["changed"]
    assert body["changes"] == [{"school": HD1, "target": "school", "ref": "",
                                "key": "fact.video_retention_days", "old": 15, "new": 45}]
    assert body["fact"]["value"] == 45 and body["fact"]["source"]["kind"] == "api"
    assert body["fact"]["source"]["actor"] == "haidian"
    entry, run = audit_changes(after=mark)  # the change, then the re-assessment
    assert (entry.source, entry.user, entry.request_id) == ("api", world.users["district"],
                                                            "req-api-1")
    assert (run.object_type, run.source, run.request_id) == ("assessment_run", "api", "req-api-1")
    assert (entry.field, entry.before, entry.after) == ("fact.video_retention_days", 15, 45)
    assert res["X-Request-ID"] == "req-api-1"


def test_unchanged_and_invalid_writes_write_nothing(client, world):
    put(client, world, "city", FACT_URL, 45)
    entries, values = audit_changes().count(), FactValue.objects.count()
    again = put(client, world, "city", FACT_URL, 45).json()
    assert (again["changed"], again["changes"]) == (False, [])
    body = assert_error(put(client, world, "city", FACT_URL, 99999), 422, "invalid_data")
    assert body["details"][0]["value"] == 99999 and "0–3650" in body["details"][0]["en"]
    assert_error(put(client, world, "city", f"/api/v1/schools/{HD1}/facts/no_such_fact", 1),
                 422, "invalid_data")
    assert (audit_changes().count(), FactValue.objects.count()) == (entries, values)


def test_fact_history_keeps_every_value_with_provenance(client, world):
    put(client, world, "city", FACT_URL, 40)
    put(client, world, "district", FACT_URL, 41)
    res = client.get(FACT_URL + "/history", **world.headers("school")).json()
    assert [f["value"] for f in res["items"]] == [41, 40, 15]
    current, old, imported = res["items"]
    assert current["superseded_at"] is None and old["superseded_at"] is not None
    assert (current["source"]["actor"], imported["source"]["kind"]) == ("haidian", "import")
    assert imported["where"]["path"]  # the JSON path of the imported value


def test_room_and_service_writes(client, world):
    res = put(client, world, "school", f"/api/v1/schools/{HD1}/rooms/102/facts/info_points", 8)
    assert res.status_code == 200 and res.json()["fact"]["room"] == "102"
    room = client.get(f"/api/v1/schools/{HD1}/rooms/102", **world.headers("school")).json()
    assert room["facts"]["info_points"] == 8
    svc = client.get(f"/api/v1/schools/{HD2}/services", **world.headers("district")).json()
    url = f"/api/v1/schools/{HD2}/services/{svc['items'][0]['id']}/facts/vendor_years"
    assert put(client, world, "district", url, 9).json()["fact"]["value"] == 9
    assert AuditEntry.objects.filter(source="api", field="service.vendor_years").exists()


def test_a_run_by_api_is_stored_and_audited(client, world):
    res = client.post("/api/v1/runs", {"district": HD, "explain": True},
                      content_type="application/json", **world.headers("district"))
    assert res.status_code == 201
    run = AssessmentRun.objects.get(pk=res.json()["id"])
    assert (run.scope_kind, run.scope_code, run.schools, run.created_by) == (
        "district", HD, 2, world.users["district"])
    entry = AuditEntry.objects.get(object_type="assessment_run", object_key=str(run.pk))
    assert (entry.source, entry.user, entry.district_code) == ("api", world.users["district"], HD)
    gaps = client.get(f"/api/v1/runs/{run.pk}/results?status=gap", **world.headers("school"))
    assert all(r["explanation"] for r in gaps.json()["items"])


def test_the_new_results_follow_a_fact_write(client, world):
    """Write a fact, run the assessment, read the new result (the docs/api.md session)."""
    # 录像存储时间不小于30天; a school's every result (the lists hold only what needs attention)
    url = f"/api/v1/schools/{HD1}/results?requirement=22-7"
    before = client.get(url, **world.headers("school")).json()["items"]
    assert (before[0]["status"], before[0]["actual"]) == ("gap", 15)
    put(client, world, "school", FACT_URL, 90)
    client.post("/api/v1/runs", {"school": HD1}, content_type="application/json",
                **world.headers("school"))
    after = client.get(url, **world.headers("school")).json()["items"]
    assert before and after and before[0]["run"] < after[0]["run"]
    assert (after[0]["status"], after[0]["actual"], after[0]["required"]) == ("met", 90, 30)


def test_an_api_import_is_audited_and_all_or_nothing(client, world):
    mark = audit_mark()
    doc = json.loads((EXAMPLES / "small-primary.json").read_text(encoding="utf-8"))
    doc["facts"]["video_retention_days"] = 60
    good = SimpleUploadedFile("edit.json", json.dumps(doc).encode())
    res = client.post("/api/v1/imports", {"files": [good]}, **world.headers("school"))
    assert res.status_code == 200 and res.json()["written"] and res.json()["changes_total"] == 1
    assert list(audit_changes(after=mark).values_list("source", "field")) == [
        ("api", "fact.video_retention_days"), ("api", "created")]  # the change, its re-assessment
    assert res.json()["run"] == AssessmentRun.objects.latest("id").pk
    doc["facts"]["video_retention_days"] = 61
    doc["facts"]["internet_bandwidth_mbps"] = -1
    bad = SimpleUploadedFile("bad.json", json.dumps(doc).encode())
    body = assert_error(client.post("/api/v1/imports", {"files": [bad]},
                                    **world.headers("school")), 422, "invalid_data")
    assert body["details"][0]["file"] == "bad.json" and body["details"][0]["path"]
    assert audit_changes(after=mark).count() == 2  # nothing of the invalid file was written


def test_an_import_naming_a_school_outside_the_scope_shows_nothing_of_it(client, world):
    doc = json.loads((EXAMPLES / "complete-secondary.json").read_text(encoding="utf-8"))
    upload = SimpleUploadedFile("cy.json", json.dumps(doc).encode())
    body = assert_error(client.post("/api/v1/imports", {"files": [upload], "dry_run": "true"},
                                    **world.headers("district")), 403, "forbidden")
    assert body["details"] == [{"school": CY, "zh": "学校不在您的管理范围内",
                                "en": "school outside your scope"}]
    new = {"code": "1101089999", "name": "新学校", "district": "110105", "type": "211"}
    upload = SimpleUploadedFile("new.json", json.dumps(new).encode())
    assert_error(client.post("/api/v1/imports", {"files": [upload]},
                             **world.headers("district")), 403, "forbidden")
    new["district"] = HD  # a new school in the district's own district is fine
    upload = SimpleUploadedFile("new.json", json.dumps(new).encode())
    res = client.post("/api/v1/imports", {"files": [upload]}, **world.headers("district"))
    assert res.status_code == 200 and res.json()["counts"]["new_schools"] == 1
    upload = SimpleUploadedFile("new2.json", json.dumps(new | {"code": "1101089998"}).encode())
    assert_error(client.post("/api/v1/imports", {"files": [upload]}, **world.headers("school")),
                 403, "forbidden")  # a school account creates no schools
    assert not School.objects.filter(code="1101089998").exists()


# --- the error shape ------------------------------------------------------------------------


def test_every_error_has_the_same_shape(client, world, monkeypatch):
    assert_error(client.get("/api/v1/schools"), 401, "unauthenticated")
    assert_error(client.get(f"/api/v1/schools/{CY}", **world.headers("school")), 404,
                 "not_found")
    assert_error(put(client, world, "auditor", FACT_URL, 30), 403, "read_only")
    body = assert_error(client.get("/api/v1/schools?limit=x", **world.headers("city")), 422,
                        "validation_error")
    assert body["details"][0]["loc"] == ["query", "limit"]
    assert_error(client.put(FACT_URL, "{not json", content_type="application/json",
                            **world.headers("city")), 400, "bad_request")
    assert_error(client.post("/api/v1/runs", {"school": HD1, "district": HD},
                             content_type="application/json", **world.headers("city")),
                 422, "validation_error")

    def conflict(**kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr("campusplan.api.schools.set_fact", conflict)
    assert_error(put(client, world, "city", FACT_URL, 30), 409, "conflict")


def test_an_unexpected_error_is_a_json_500_without_internals(client, world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("campusplan.api.schools.set_fact", broken)
    res = put(client, world, "city", FACT_URL, 30)
    assert_error(res, 500, "server_error")
    assert b"secret internals" not in res.content


# --- rate limit -----------------------------------------------------------------------------


def test_rate_limit_per_token(client, world, settings):
    settings.CAMPUSPLAN_API_RATE = "3/min"
    for _ in range(3):
        assert client.get("/api/v1/me", **world.headers("district")).status_code == 200
    res = client.get("/api/v1/me", **world.headers("district"))
    assert_error(res, 429, "rate_limited")
    assert 1 <= int(res["Retry-After"]) <= 60
    assert client.get("/api/v1/me", **world.headers("school")).status_code == 200  # per token


def test_implausible_schools_answer_422_with_located_reasons(client, world):
    """The API import of the file of implausible schools: 422 with the CLI's located zh/en
    reasons, nothing written (tests/implausible.py)."""
    schools = School.objects.count()
    upload = SimpleUploadedFile("implausible.json", FILE.read_bytes())
    body = assert_error(client.post("/api/v1/imports", {"files": [upload]},
                                    **world.headers("district")), 422, "invalid_data")
    assert len(body["details"]) == len(EXPECTED)
    for path, zh, en in EXPECTED:
        assert any(_same_place(d["path"], path) and zh in d["zh"]
                   and en in d["en"] for d in body["details"]), (path, body["details"])
    assert School.objects.count() == schools


def _same_place(found: str, path: str) -> bool:
    """The value itself, a value inside it (a stage's classes cell), or what holds it (the
    school, for a stage the file does not give)."""
    return found.startswith(path) or path.startswith(found)


@pytest.mark.parametrize("raw", ['{"value": 1e999}', '{"value": NaN}', '{"value": Infinity}',
                                 '{"value": ' + "1" * 400 + "}"])
def test_non_finite_and_huge_numbers_answer_422_not_500(client, world, raw):
    values = FactValue.objects.count()
    res = client.put(FACT_URL, raw, content_type="application/json", **world.headers("city"))
    assert res.status_code == 422, res.content[:300]
    assert FactValue.objects.count() == values
