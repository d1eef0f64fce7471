"""Inputs an attacker (or a careless script) sends, answered by a located 400/409/422 and never
a 500: a multipart body without its boundary, a busy SQLite database, a value the database
refuses, school codes that are no codes, Snipe-IT companies naming a school outside the
caller's scope, and more API tokens than a user may hold."""

from __future__ import annotations

import csv
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError, OperationalError

from campusplan.accounts.models import ApiToken
from campusplan.accounts.tokens import TokenLimit
from campusplan.schools.models import Device, School
from tests import factories
from tests.api.test_writes_and_errors import FACT_URL, assert_error, put
from tests.api.world import CY, HD, HD1

pytestmark = pytest.mark.django_db

BAD_CODES = ["a/b", "../../x", "<b>x</b>", "1" * 300, "１１０１０８９００１", "11010\u202e89001",
             "=cmd|' /C calc'!A0", " 1101089001", "1101089001\x00"]


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=",
                                          "multipart/form-data; boundary=\u00e9\u00e9"])
def test_a_multipart_body_without_its_boundary_is_refused_not_500(client, world, content_type):
    body = b"--x\r\nContent-Disposition: form-data; name=files\r\n\r\nx\r\n--x--\r\n"
    res = client.generic("POST", "/api/v1/imports", body, content_type=content_type,
                         **world.headers("city"))
    assert res.status_code in (400, 422), res.content[:300]
    assert_error(res, res.status_code, "bad_request" if res.status_code == 400
                 else "validation_error")


def test_a_busy_database_is_409_and_a_refused_value_422(client, world, monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("campusplan.api.schools.set_fact", locked)
    body = assert_error(put(client, world, "city", FACT_URL, 30), 409, "busy")
    assert "retry" in body["message"]["en"]

    def too_long(**kwargs):
        raise DataError("value too long for type character varying(200)")

    monkeypatch.setattr("campusplan.api.schools.set_fact", too_long)
    body = assert_error(put(client, world, "city", FACT_URL, 30), 422, "value_refused")
    assert "varying" not in json.dumps(body)


def _upload(name: str, doc: dict) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(doc, ensure_ascii=False).encode())


@pytest.mark.parametrize("code", BAD_CODES)
def test_a_school_code_that_is_no_code_is_a_located_422(client, world, code):
    doc = {"code": code, "name": "新学校", "district": HD, "type": "211"}
    schools = School.objects.count()
    body = assert_error(client.post("/api/v1/imports", {"files": [_upload("new.json", doc)]},
                                    **world.headers("district")), 422, "invalid_data")
    (problem,) = body["details"]  # located: the file and the school in it ($: the document)
    assert problem["file"] == "new.json" and problem["path"] in ("$", "$.code")
    assert "学校标识码" in problem["zh"] and "school code" in problem["en"]
    assert "\u202e" not in problem["zh"] + problem["en"]  # shown escaped, never as a control
    assert School.objects.count() == schools


def test_over_long_texts_are_located_422_on_every_database(client, world):
    doc = {"code": "1101089001", "name": "长" * 300, "district": HD, "type": "211",
           "rooms": [{"type": "ordinary_classroom", "code": "R" * 100}]}
    body = assert_error(client.post("/api/v1/imports", {"files": [_upload("long.json", doc)]},
                                    **world.headers("district")), 422, "invalid_data")
    paths = {d["path"] for d in body["details"]}
    assert any(p.endswith(".name") for p in paths) and any(p.startswith("$.rooms[0]") for p in paths), \
        [(d["path"], d["zh"]) for d in body["details"]]
    assert not School.objects.filter(code="1101089001").exists()


def _snipeit(path, company: str):
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Company", "Name", "Asset Tag", "Category", "Model", "Location",
                         "Purchase Date", "Purchase Cost", "Status", "Serial", "Notes"])
        writer.writerow([company, "pc", "Z-1", "Teacher Computers", "", "", "2023-01-01", "1",
                         "Deployed", "", ""])
    return SimpleUploadedFile("assets.csv", path.read_bytes())


def test_a_snipeit_company_outside_the_scope_answers_as_one_that_does_not_exist(
        client, world, tmp_path):
    """A 海淀 user's export naming a 朝阳 school (by name, or by code) gets the answer of one
    naming no school at all: the same status and body, and nothing written to that school."""
    cy_name = School.objects.get(code=CY).name
    answers = []
    for company in (cy_name, CY, "某个不存在的学校"):
        res = client.post("/api/v1/imports", {"files": [_snipeit(tmp_path / "a.csv", company)],
                                               "dry_run": "true"}, **world.headers("district"))
        answers.append((res.status_code, res.json()))
    assert answers[0] == answers[1] == answers[2], answers
    assert cy_name not in json.dumps(answers, ensure_ascii=False)
    assert not Device.objects.filter(school__code=CY, asset_tag="Z-1").exists()
    # inside the scope the same row is imported (the name is matched)
    own = School.objects.get(code=HD1).name
    res = client.post("/api/v1/imports", {"files": [_snipeit(tmp_path / "a.csv", own)],
                                           "inventory_complete": "true"},
                      **world.headers("district"))
    assert res.status_code == 200 and res.json()["written"], res.content[:300]


def test_tokens_per_user_are_limited(client, world, settings):
    settings.CAMPUSPLAN_API_TOKENS_PER_USER = 2  # the district user holds one from the world
    user = world.users["district"]
    factories.token(user=user, name="second")
    with pytest.raises(TokenLimit) as err:
        factories.token(user=user, name="third")
    assert "2" in err.value.zh and "revoke" in err.value.en
    client.force_login(user)
    res = client.post("/accounts/tokens/", {"name": "third"})
    assert res.status_code == 409 and "最多 2 个有效令牌" in res.content.decode()
    assert ApiToken.objects.filter(user=user, revoked_at=None).count() == 2
    ApiToken.objects.filter(user=user, name="second").update(revoked_at="2026-01-01T00:00Z")
    assert client.post("/accounts/tokens/", {"name": "third"}).status_code == 201
