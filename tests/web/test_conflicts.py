"""No lost edits through every door: a workbook or form made before a newer edit shows the
conflicting cells and applies none of them unless the user chooses per conflict (the import
preview, the fact form, the API's 409, the CLI's exit code 3); the preview lists every change
(paged, and all of them as CSV)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from campusplan.cli import app
from campusplan.schools.models import FactValue, School
from campusplan.usecases import exports
from campusplan.usecases.facts import set_fact
from campusplan.usecases.imports import import_files
from tests import factories
from tests.actors import operator
from tests.web.world import HAIDIAN, A

pytestmark = pytest.mark.django_db
KEY = "video_retention_days"  # 15 in the world's school A


def _value(code: str = A):
    return FactValue.objects.get(school__code=code, key=KEY, superseded_at__isnull=True).value


def _old_workbook(tmp_path):
    """The district's survey made now; then somebody edits A's retention in the form."""
    path, _n = exports.survey(actor=operator(), path=tmp_path / "haidian.xlsx",
                              district=HAIDIAN)
    set_fact(actor=operator("form"), school=School.objects.get(code=A), key=KEY, value=45)
    return path


def test_an_old_workbook_never_reverts_a_newer_edit(world, tmp_path):
    path = _old_workbook(tmp_path)
    result = import_files(actor=operator(), paths=[path])
    assert not result.written and not result.ok
    [conflict] = result.unresolved
    assert conflict.id == f"{A}:fact.{KEY}" and (conflict.then, conflict.change.old,
                                                  conflict.change.new) == (15, 45, 15)
    assert conflict.by == "form" and _value() == 45
    kept = import_files(actor=operator(), paths=[path], choices={conflict.id: "stored"})
    assert kept.ok and _value() == 45
    taken = import_files(actor=operator(), paths=[path], choices={conflict.id: "file"})
    assert taken.written and _value() == 15


def _upload(client, path):
    with path.open("rb") as fh:
        html = client.post("/import/", {"file": fh}).content.decode()
    return html, re.search(r"/import/([A-Za-z0-9_-]+)/confirm/", html).group(1)


def test_the_preview_shows_conflicts_and_applies_only_the_choice(world, login, tmp_path):
    client = login(world["haidian"])
    path = _old_workbook(tmp_path)
    html, token = _upload(client, path)
    assert 'class="conflict"' in html and f'name="choice-{A}:fact.{KEY}"' in html
    refused = client.post(f"/import/{token}/confirm/")
    assert refused.status_code == 409 and _value() == 45  # no choice: nothing written
    kept = client.post(f"/import/{token}/confirm/", {f"choice-{A}:fact.{KEY}": "stored"})
    assert kept.status_code == 302 and _value() == 45


def test_the_preview_lists_every_change_paged_and_as_csv(world, login, tmp_path):
    doc = factories.school_doc(example="complete-secondary.json", code="1101089999",
                               name="海淀新学校", district=HAIDIAN)
    path = factories.write_file(path=tmp_path / "new.json", schools=[doc])
    client = login(world["haidian"])
    html, token = _upload(client, path)
    total = int(re.search(r"共 (\d+) 项变更", html).group(1))
    assert total > 100
    page3 = client.get(f"/import/{token}/changes/?page=3", headers={"HX-Request": "true"})
    assert page3.status_code == 200 and "第 3/" in page3.content.decode()
    rows = list(csv.reader(io.StringIO(client.get(
        f"/import/{token}/changes/?format=csv").content.decode("utf-8-sig"))))
    assert len(rows) == total + 1 and rows[0][0] == "学校"
    assert not School.objects.filter(code="1101089999").exists()


def test_the_fact_form_refuses_a_stale_save_then_overwrites_knowingly(world, login):
    client = login(world["haidian"])
    version = School.objects.get(code=A).version
    set_fact(actor=operator("colleague"), school=School.objects.get(code=A), key=KEY, value=30)
    url = f"/school/{A}/facts/{KEY}/"
    stale = client.post(url, {"value": "60", "version": version},
                        headers={"HX-Request": "true"})
    assert stale.status_code == 409 and "colleague" in stale.content.decode()
    assert _value() == 30
    newer = re.search(r'name="version" value="(\d+)"', stale.content.decode()).group(1)
    again = client.post(url, {"value": "60", "version": newer}, headers={"HX-Request": "true"})
    assert again.status_code == 200 and _value() == 60


def test_the_api_answers_409_with_the_conflicts(world, login, tmp_path):
    client = login(world["haidian"])
    version = client.get(f"/api/v1/schools/{A}").json()["version"]
    set_fact(actor=operator("colleague"), school=School.objects.get(code=A), key=KEY, value=30)
    stale = client.put(f"/api/v1/schools/{A}/facts/{KEY}", {"value": 60, "version": version},
                       content_type="application/json")
    assert stale.status_code == 409
    [detail] = stale.json()["details"]
    assert detail["id"] == f"{A}:fact.{KEY}" and detail["change"]["old"] == 30
    assert _value() == 30
    forced = client.put(f"/api/v1/schools/{A}/facts/{KEY}",
                        {"value": 60, "version": version, "force": True},
                        content_type="application/json")
    assert forced.status_code == 200 and _value() == 60

    path = _old_workbook(tmp_path)  # made at 60, then set to 45
    with path.open("rb") as fh:
        imported = client.post("/api/v1/imports", {"files": [fh]})
    assert imported.status_code == 409 and _value() == 45
    assert (imported.json()["details"][0]["then"], imported.json()["details"][0]["change"]
            ["old"]) == (60, 45)
    with path.open("rb") as fh:
        chosen = client.post("/api/v1/imports", {
            "files": [fh], "choices": json.dumps({f"{A}:fact.{KEY}": "file"})})
    assert chosen.status_code == 200 and chosen.json()["written"] and _value() == 60


def test_the_cli_exits_3_on_conflicts_and_takes_a_choice(world, tmp_path):
    path = _old_workbook(tmp_path)
    runner = CliRunner()
    refused = runner.invoke(app, ["import", str(path)])
    assert refused.exit_code == 3 and f"{A}:fact.{KEY}" in refused.output and _value() == 45
    chosen = runner.invoke(app, ["import", str(path), "--choose", f"{A}:fact.{KEY}=stored"])
    assert chosen.exit_code == 0 and _value() == 45
    forced = runner.invoke(app, ["import", str(path), "--force"])
    assert forced.exit_code == 0 and _value() == 15
