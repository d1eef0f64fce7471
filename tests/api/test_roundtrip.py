"""Export by API, import by API (dry run: no changes; then for real: nothing changes) — in every
export format."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campusplan.schools.models import Device, FactValue, Room, School, Source
from tests.api.world import HD, HD1
from tests.factories import audit_changes

pytestmark = pytest.mark.django_db


def state() -> tuple:
    return (FactValue.objects.count(), School.objects.count(), Room.objects.count(),
            Device.objects.count(), Source.objects.count(), audit_changes().count(),
            sorted(School.objects.values_list("code", "updated_at")))


def uploads(res, fmt: str) -> list[SimpleUploadedFile]:
    if fmt != "csv":
        return [SimpleUploadedFile(f"export.{fmt}", res.content)]
    with zipfile.ZipFile(io.BytesIO(res.content)) as zf:
        return [SimpleUploadedFile(name, zf.read(name)) for name in zf.namelist()]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
@pytest.mark.parametrize(("role", "query"), [("district", f"district={HD}"),
                                             ("school", f"school={HD1}")])
def test_export_then_import_changes_nothing(client, world, fmt, role, query):
    headers = world.headers(role)
    res = client.get(f"/api/v1/exports?{query}&format={fmt}", **headers)
    assert res.status_code == 200
    assert res["Content-Disposition"].startswith("attachment;")
    files = uploads(res, fmt)
    if fmt == "csv":
        assert {f.name.split("-")[-1] for f in files} >= {"rooms.csv", "results.csv"}
    before = state()
    dry = client.post("/api/v1/imports", {"files": files, "dry_run": "true"}, **headers)
    assert dry.status_code == 200, dry.content[:500]
    assert (dry.json()["dry_run"], dry.json()["changes_total"], dry.json()["written"]) == (
        True, 0, False)
    for f in files:
        f.seek(0)
    real = client.post("/api/v1/imports", {"files": files}, **headers)
    assert real.status_code == 200, real.content[:500]
    assert (real.json()["changes_total"], real.json()["written"]) == (0, False)
    assert state() == before


def test_a_dry_run_previews_changes_and_writes_nothing(client, world):
    res = client.get(f"/api/v1/exports?school={HD1}&format=json", **world.headers("school"))
    edited = res.content.replace(b'"video_retention_days": 15', b'"video_retention_days": 31')
    assert edited != res.content
    before = state()
    dry = client.post("/api/v1/imports", {"files": [SimpleUploadedFile("e.json", edited)],
                                          "dry_run": "true"}, **world.headers("school"))
    assert dry.json()["changes"] == [{"school": HD1, "target": "school", "ref": "",
                                      "key": "fact.video_retention_days", "old": 15, "new": 31}]
    assert state() == before
    real = client.post("/api/v1/imports", {"files": [SimpleUploadedFile("e.json", edited)]},
                       **world.headers("school"))
    body = real.json()
    assert body["written"] and body["source"] is not None
    assert Source.objects.get(pk=body["source"]).kind == "api"
