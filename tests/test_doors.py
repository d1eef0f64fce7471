"""One application layer: the same workbook through the web import, the API import and the CLI
import makes the same stored changes, the same audit rows, exactly one new assessment run, and
the same dashboard figures afterwards. Each door runs in a savepoint that is rolled back, so the
three start from the same stored world."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from campusplan.accounts.models import AuditEntry
from campusplan.assessments.dashboards import city_overview, district_overview
from campusplan.assessments.models import AssessmentRun
from campusplan.assessments.selectors import current_rows
from campusplan.catalog.loader import load_catalog
from campusplan.cli import app
from campusplan.exchange.inventory import load_kinds
from campusplan.exchange.problems import Location
from campusplan.reports.content import findings as findings_of
from campusplan.reports.content import school_rows
from campusplan.schools.models import FactValue, School
from campusplan.schools.services import fact_bundle, import_bundle
from campusplan.usecases import reports, scoping
from campusplan.usecases.exports import survey
from tests.actors import operator
from tests.api.world import HD, HD1, HD2, build_world
from tests.factories import audit_changes, audit_mark

pytestmark = pytest.mark.django_db
RETENTION, BANDWIDTH = "录像存储时间", "互联网接入带宽"


def edited_survey(tmp_path: Path) -> Path:
    """Haidian's own pre-filled survey with two values changed by hand."""
    path, _n = survey(actor=operator(), path=tmp_path / "haidian.xlsx", district=HD)
    wb = load_workbook(path)
    ws = wb["基础设施"]
    col = {h: next(c.column for c in ws[1] if c.value and str(c.value).startswith(h))
           for h in (RETENTION, BANDWIDTH)}
    row = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    ws.cell(row[HD1], col[RETENTION], 77)
    ws.cell(row[HD2], col[BANDWIDTH], 1234)
    wb.save(path)
    return path


def through_web(client, world, path: Path) -> None:
    client.force_login(world.users["district"])
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    preview = client.post("/import/", {"file": upload})
    assert preview.status_code == 200, preview.content.decode()[:500]
    confirmed = client.post(f"/import/{preview.context['token']}/confirm/")
    assert confirmed.status_code == 302


def through_api(client, world, path: Path) -> None:
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    res = client.post("/api/v1/imports", {"files": [upload]}, **world.headers("district"))
    assert res.status_code == 200 and res.json()["written"], res.content[:500]


def through_cli(client, world, path: Path) -> None:
    result = CliRunner().invoke(app, ["import", str(path), "--user", "haidian"])
    assert result.exit_code == 0, result.output


def outcome(world, runs_before: int, mark: int) -> dict:
    """What a door left behind, in terms that do not depend on ids or on the door's name."""
    audit = audit_changes(after=mark).exclude(object_type="assessment_run").order_by(
        "school__code", "object_type", "object_key", "field")
    run = AssessmentRun.objects.order_by("-id").first()
    facts = FactValue.objects.filter(superseded_at__isnull=True, room__isnull=True,
                                     service__isnull=True)
    city = city_overview(user=world.users["city"])
    district = district_overview(user=world.users["district"], code=HD)
    return {
        "audit": list(audit.values_list("school__code", "object_type", "object_key", "field",
                                        "before", "after")),
        "new_runs": AssessmentRun.objects.count() - runs_before,
        "run": (run.scope_kind, run.scope_code, run.schools, run.counts),
        "run_audited": AuditEntry.objects.filter(object_type="assessment_run",
                                                 object_key=str(run.pk)).count(),
        "facts": sorted(facts.values_list("school__code", "key", "num", "flag", "text")),
        "city": [(d["code"], d["rate"], d["gaps"]) for d in city["districts"]],
        "district": [(s["code"], s["rate"], s["gaps"], s["violations"])
                     for s in district["schools"]],
    }


def test_the_same_workbook_through_every_door_changes_the_same(client, tmp_path):
    world = build_world(tmp_path)
    path = edited_survey(tmp_path)
    runs_before = AssessmentRun.objects.count()
    seen = {}
    for name, door in (("web", through_web), ("api", through_api), ("cli", through_cli)):
        with transaction.atomic():
            mark = audit_mark()
            cache.clear()  # dashboards are cached by the newest run id, which a rollback reuses
            door(client, world, path)
            seen[name] = outcome(world, runs_before, mark)
            transaction.set_rollback(True)
    web = seen["web"]
    assert [(a[0], a[3], a[4], a[5]) for a in web["audit"]] == [
        (HD1, "fact.video_retention_days", 15, 77),
        (HD2, "fact.internet_bandwidth_mbps", web["audit"][1][4], 1234)]
    assert web["new_runs"] == 1 and web["run"][:3] == ("district", HD, 2)
    assert web["run_audited"] == 1
    assert seen["api"] == web and seen["cli"] == web


# --- one run, named on each ---------------------------------------------------------------


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def xlsx_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True)
                     for v in row if v is not None)


def test_report_workbook_plan_and_dashboard_read_one_run(client, tmp_path):
    world = build_world(tmp_path)
    who = operator()
    school = School.objects.get(code=HD1)
    current = {r.requirement_id: r.status for r in current_rows(schools=[school])}
    run_id = current_rows(schools=[school]).first().run_id
    # a change written without its re-assessment: whatever reads "now" would disagree with
    # the stored run; everything below must still show the run the dashboard shows
    bundle = fact_bundle(school=school, key="video_retention_days", value=90, where=Location())
    catalog = load_catalog()
    assert import_bundle(bundle=bundle, catalog=catalog, kinds=load_kinds(catalog),
                         source={"kind": "cli", "actor": "test"}).plan.changes
    word = reports.school_report(actor=who, school=school)
    book = reports.district_report(actor=who, district=school.district,
                                   schools=scoping.district_schools(who, HD))
    plan = client.get(f"/api/v1/plans?school={HD1}&limit=500", **world.headers("district"))
    row = next(s for s in district_overview(user=world.users["district"], code=HD)["schools"]
               if s["code"] == HD1)
    assert word.run == book.run == plan.json()["run"] == run_id
    assert f"评估批次：#{run_id}" in docx_text(word.content)
    assert f"#{run_id}" in xlsx_text(book.content)
    findings = {r["requirement_id"]: r["status"] for r in findings_of(word.planned, HD1)}
    assert findings == {k: v for k, v in current.items() if v in ("gap", "violation")}
    assert current["22-7"] == findings["22-7"] == "gap"  # 15 days stored; the 90 is not read
    figures = next(r for r in school_rows(book.planned) if r["school_id"] == HD1)
    assert (figures["rate"], figures["gaps"], figures["violations"]) == pytest.approx(
        (row["rate"], row["gaps"], row["violations"]))
    planned_reqs = {r for line in plan.json()["items"] if line["requirement_id"]
                    for r in line["requirement_id"].split("、")}
    assert planned_reqs <= set(findings)


# --- a known value made unknown again -------------------------------------------------------


def _retention(code: str):
    row = FactValue.objects.filter(school__code=code, key="video_retention_days",
                                   superseded_at__isnull=True, room__isnull=True).first()
    return row.value if row else None


def _status(code: str, requirement: str) -> str:
    return current_rows(schools=School.objects.filter(code=code)).get(
        requirement_id=requirement).status


def test_clearing_a_fact_makes_it_unknown_from_web_and_api(client, tmp_path):
    world = build_world(tmp_path)
    assert _retention(HD1) == 15 and _status(HD1, "22-7") == "gap"
    runs = AssessmentRun.objects.count()
    client.force_login(world.users["district"])
    res = client.post(f"/school/{HD1}/facts/video_retention_days/", {"value": ""})
    assert res.status_code == 200 and _retention(HD1) is None
    assert _status(HD1, "22-7") == "unknown" and AssessmentRun.objects.count() == runs + 1
    entry = AuditEntry.objects.filter(field="fact.video_retention_days").latest("id")
    assert (entry.before, entry.after, entry.source) == (15, None, "web")
    client.logout()
    again = client.delete(f"/api/v1/schools/{HD1}/facts/video_retention_days",
                          **world.headers("district"))
    assert again.status_code == 200 and again.json()["changed"] is False  # nothing to clear
    set_back = client.put(f"/api/v1/schools/{HD1}/facts/video_retention_days",
                          {"value": 20}, content_type="application/json",
                          **world.headers("district"))
    assert set_back.status_code == 200 and _retention(HD1) == 20
    cleared = client.delete(f"/api/v1/schools/{HD1}/facts/video_retention_days",
                            **world.headers("district"))
    body = cleared.json()
    assert cleared.status_code == 200 and body["changed"] and body["fact"]["value"] is None
    assert _retention(HD1) is None and _status(HD1, "22-7") == "unknown"
    assert client.delete(f"/api/v1/schools/{HD1}/facts/no_such_fact",
                         **world.headers("district")).status_code == 404
    assert client.delete(f"/api/v1/schools/{HD1}/facts/video_retention_days",
                         **world.headers("auditor")).status_code == 403
